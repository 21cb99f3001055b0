// SPDX-License-Identifier: GPL-2.0-or-later
/* Published ports on the existing table: their map elements added or
 * deleted, one batch per family however many ports. */
#include "lib/errstr.h"
#include "netlink/fw/nft_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/ipproto.h"
#include "netlink/nl.h"

static int gen_cb(const struct nlmsghdr *n, void *arg)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1];

	if (n->nlmsg_type != NFT_TYPE(NFT_MSG_NEWGEN))
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_GEN_MAX);
	if (tb[NFTA_GEN_ID] && mnl_attr_get_payload_len(tb[NFTA_GEN_ID]) == 4)
		*(uint32_t *)arg = ntohl(mnl_attr_get_u32(tb[NFTA_GEN_ID]));
	return MNL_CB_OK;
}

int nft_genid(struct nl *nl, uint32_t *genid)
{
	struct nfgenmsg g = { AF_UNSPEC, NFNETLINK_V0, 0 };

	*genid = 0;
	return nl_talk(nl, nl_req(nl, NFT_TYPE(NFT_MSG_GETGEN), 0, &g, sizeof(g)), gen_cb, genid);
}

bool nft_available(void)
{
	struct nl *nl;
	uint32_t genid;
	bool ok = false;

	if (nl_open(&nl, NETLINK_NETFILTER) == 0) {
		ok = nft_genid(nl, &genid) == 0;
		nl_close(nl);
	}
	return ok;
}

/* get_elem - is there an element of @e's map holding @e's key (for an
 * interval map, its first port)? 0, -ENOENT, or -errno. */
static int get_elem(struct nl *nl, uint8_t family, const struct nft_elem *e)
{
	struct nfgenmsg g = { family, NFNETLINK_V0, 0 };
	struct nft_w w = { nl_req(nl, NFT_TYPE(NFT_MSG_GETSETELEM), 0, &g, sizeof(g)), NL_REQSZ,
			   false, family };
	struct nlattr *list;

	nftw_str(&w, NFTA_SET_ELEM_LIST_TABLE, NFT_TABLE);
	nftw_str(&w, NFTA_SET_ELEM_LIST_SET, nft_maps[e->map].name);
	list = nftw_nest(&w, NFTA_SET_ELEM_LIST_ELEMENTS);
	nft_elem_put(&w, e, false);
	nftw_nest_end(&w, list);
	if (w.full)
		return -EMSGSIZE;
	return nl_talk(nl, w.n, NULL, NULL);
}

/* the word for a port's protocol in our messages; "sctp" for any other
 * number, which nft_port_elems refuses before anything is sent */
static const char *proto_name(uint8_t p)
{
	const char *n = ipproto_name(p);

	return n ? n : "sctp";
}

/* a single port must not fall into a published range of the same scope */
static int check_in_range(struct nl *nl, uint8_t family, const struct nft_elem *e)
{
	struct nft_elem r = *e;
	int ret;

	r.map = e->map == NFT_PORTS ? NFT_PORT_RANGES : NFT_HOST_RANGES;
	ret = get_elem(nl, family, &r);
	if (ret == -ENOENT)
		return 0;
	if (!ret)
		return nl_fail(-EEXIST, "%s port %u is in a published range", proto_name(e->proto),
			       e->lo);
	return nl_fail(ret, "cannot read %s: %s", nft_maps[r.map].name, errstr(-ret));
}

/* a port's words in our messages: "publish tcp 0.0.0.0:8080-8080" */
static void port_words(const struct fw_port *p, bool add, char *buf, size_t len)
{
	char ip[IP_STRLEN];

	snprintf(buf, len, "%s %s %s:%u-%u", add ? "publish" : "unpublish", proto_name(p->proto),
		 ip_is_set(&p->host_ip) ? ip_format(&p->host_ip, ip) : "0.0.0.0", p->host_lo,
		 p->host_hi);
}

/* the ports of @p of @family (NFPROTO_IPV4: those to an IPv4 container
 * address) as one batch of element changes */
static int family_change(struct nl *nl, uint8_t family, const struct fw_port *p, size_t np,
			 bool add, char *which, size_t wlen)
{
	struct nft_elem *v = NULL;
	struct nft_batch b;
	size_t n = 0, total = 0, k = 0;
	int ret = 0;

	for (size_t i = 0; i < np && ret >= 0; i++)
		if ((p[i].ctr_ip.family == AF_INET6) == (family == NFPROTO_IPV6)) {
			long c = nft_port_elems(&p[i], NULL);

			ret = c < 0 ? (int)c : 0;
			total += c < 0 ? 0 : (size_t)c;
			k++;
			if (ret)
				port_words(&p[i], add, which, wlen);
		}
	if (ret || !k)
		return ret;
	if (!(v = calloc(total + 1, sizeof(*v))))
		return -ENOMEM;
	for (size_t i = 0; i < np && !ret; i++) {
		long c;

		if ((p[i].ctr_ip.family == AF_INET6) != (family == NFPROTO_IPV6))
			continue;
		c = nft_port_elems(&p[i], v + n);
		/* a single port must not fall into a published range */
		if (add && c == 1 && (v[n].map == NFT_PORTS || v[n].map == NFT_HOST_PORTS) &&
		    (ret = check_in_range(nl, family, &v[n])))
			port_words(&p[i], add, which, wlen);
		n += (size_t)c;
	}
	/* one port: the kernel's refusal is that port's */
	if (k == 1 && !ret)
		for (size_t i = 0; i < np; i++)
			if ((p[i].ctr_ip.family == AF_INET6) == (family == NFPROTO_IPV6))
				port_words(&p[i], add, which, wlen);
	if (!ret) {
		nft_batch_init(&b, (uint32_t)time(NULL));
		nft_batch_begin(&b, 0);
		for (int m = 0; m < NFT_NMAPS; m++)
			nft_put_elems(&b, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
				      add ? NLM_F_CREATE | NLM_F_EXCL : 0, family, m, 0, v, n);
		nft_batch_end(&b);
		ret = nft_commit(nl, &b);
		nft_batch_free(&b);
		if (ret && k > 1)
			snprintf(which, wlen, "%s %zu ports", add ? "publish" : "unpublish", k);
	}
	free(v);
	return ret;
}

static int ports_change(const struct fw_port *p, size_t n, bool add)
{
	struct nl *nl = NULL;
	char which[96] = "";
	int ret;

	nl_errmsg_clear();
	if (!(ret = nl_open(&nl, NETLINK_NETFILTER))) {
		ret = family_change(nl, NFPROTO_IPV4, p, n, add, which, sizeof(which));
		if (!ret)
			ret = family_change(nl, NFPROTO_IPV6, p, n, add, which, sizeof(which));
		nl_close(nl);
	}
	/* which port, before the step's reason (errno's text when a request
	 * failed without the kernel saying more) */
	if (ret)
		nl_fail(ret, "%s%s%s", which, which[0] ? ": " : "",
			nl_errmsg()[0] ? nl_errmsg() : errstr(-ret));
	return ret;
}

int nft_port_add(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return ports_change(p, n, true);
}

int nft_port_del(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return ports_change(p, n, false);
}
