// SPDX-License-Identifier: GPL-2.0-or-later
/* One published port at a time on the existing table: its map elements
 * added or deleted in one batch, the shared published element's reference
 * count read first and the batch guarded by that generation. */
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

/* what GETSETELEM found */
struct found {
	bool any;
	uint8_t key_end[NFT_KEYMAX];
	size_t key_end_len;
	uint32_t refs;
};

static void found_elem(const struct nlattr *el, struct found *f)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1], *v[NFTA_DATA_MAX + 1];

	nl_attr_nested_tb(el, tb, NFTA_SET_ELEM_MAX);
	f->any = true;
	f->refs = 1;
	if (tb[NFTA_SET_ELEM_USERDATA])
		f->refs = nft_elem_udata_refs(mnl_attr_get_payload(tb[NFTA_SET_ELEM_USERDATA]),
					      mnl_attr_get_payload_len(tb[NFTA_SET_ELEM_USERDATA]));
	if (!tb[NFTA_SET_ELEM_KEY_END])
		return;
	nl_attr_nested_tb(tb[NFTA_SET_ELEM_KEY_END], v, NFTA_DATA_MAX);
	if (v[NFTA_DATA_VALUE] && mnl_attr_get_payload_len(v[NFTA_DATA_VALUE]) <= NFT_KEYMAX) {
		f->key_end_len = mnl_attr_get_payload_len(v[NFTA_DATA_VALUE]);
		memcpy(f->key_end, mnl_attr_get_payload(v[NFTA_DATA_VALUE]), f->key_end_len);
	}
}

static int elem_cb(const struct nlmsghdr *n, void *arg)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1], *el;

	if (n->nlmsg_type != NFT_TYPE(NFT_MSG_NEWSETELEM))
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_SET_ELEM_LIST_MAX);
	if (tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		mnl_attr_for_each_nested(el, tb[NFTA_SET_ELEM_LIST_ELEMENTS])
			if (mnl_attr_get_type(el) == NFTA_LIST_ELEM) {
				found_elem(el, arg);
				break;
			}
	return MNL_CB_OK;
}

/* get_elem - the element of @e's map holding @e's key (for an interval map,
 * the one holding its first port). 0 and @f, -ENOENT, or -errno. */
static int get_elem(struct nl *nl, uint8_t family, const struct nft_elem *e, struct found *f)
{
	struct nfgenmsg g = { family, NFNETLINK_V0, 0 };
	struct nft_w w = { nl_req(nl, NFT_TYPE(NFT_MSG_GETSETELEM), 0, &g, sizeof(g)), NL_REQSZ,
			   false, family };
	struct nlattr *list;

	memset(f, 0, sizeof(*f));
	nftw_str(&w, NFTA_SET_ELEM_LIST_TABLE, NFT_TABLE);
	nftw_str(&w, NFTA_SET_ELEM_LIST_SET, nft_maps[e->map].name);
	list = nftw_nest(&w, NFTA_SET_ELEM_LIST_ELEMENTS);
	nft_elem_put(&w, e, false);
	nftw_nest_end(&w, list);
	if (w.full)
		return -EMSGSIZE;
	return nl_talk(nl, w.n, elem_cb, f);
}

/* this very element, not another range holding our first port */
static bool same_end(const struct nft_elem *e, const struct found *f)
{
	uint8_t k[NFT_KEYMAX];
	size_t n;

	if (!(nft_maps[e->map].flags & NFT_SET_INTERVAL))
		return true;
	n = nft_elem_key(e, true, k);
	return n == f->key_end_len && !memcmp(k, f->key_end, n);
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
	struct found f;
	int ret;

	r.map = e->map == NFT_PORTS ? NFT_PORT_RANGES : NFT_HOST_RANGES;
	ret = get_elem(nl, family, &r, &f);
	if (ret == -ENOENT)
		return 0;
	if (!ret)
		return nl_fail(-EEXIST, "%s port %u is in a published range", proto_name(e->proto),
			       e->lo);
	return nl_fail(ret, "cannot read %s: %s", nft_maps[r.map].name, errstr(-ret));
}

static void put_published(struct nft_batch *b, uint8_t family, struct nft_elem *pub,
			  uint32_t refs, bool add)
{
	uint32_t now = add ? refs + 1 : refs ? refs - 1 : 0;

	/* delete it to change its count, or to hear ENOENT when it is missing */
	if (refs || !add)
		nft_put_elems(b, NFT_MSG_DELSETELEM, 0, family, pub->map, 0, pub, 1);
	pub->refs = now;
	if (now)
		nft_put_elems(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE | (refs ? 0 : NLM_F_EXCL),
			      family, pub->map, 0, pub, 1);
}

/* one attempt: read the generation and the shared element, then commit */
static int change(struct nl *nl, uint8_t family, struct nft_elem *v, size_t n, bool add)
{
	struct nft_elem *pub = &v[n - 1];
	struct nft_batch b;
	struct found f;
	uint32_t genid;
	int ret = nft_genid(nl, &genid);

	if (!ret && add && n == 2 && (v[0].map == NFT_PORTS || v[0].map == NFT_HOST_PORTS))
		ret = check_in_range(nl, family, &v[0]);
	if (ret)
		return ret;
	ret = get_elem(nl, family, pub, &f);
	if (ret && ret != -ENOENT)
		return nl_fail(ret, "cannot read %s: %s", nft_maps[pub->map].name, errstr(-ret));
	if (!ret && !same_end(pub, &f))
		f.any = false; /* another range overlaps: let the kernel refuse */
	nft_batch_init(&b, (uint32_t)time(NULL));
	nft_batch_begin(&b, genid);
	for (int m = 0; m < NFT_BRIDGES; m++)
		nft_put_elems(&b, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
			      add ? NLM_F_CREATE | NLM_F_EXCL : 0, family, m, 0, v, n - 1);
	put_published(&b, family, pub, f.any ? f.refs : 0, add);
	nft_batch_end(&b);
	ret = nft_commit(nl, &b);
	nft_batch_free(&b);
	return ret;
}

static int port_change(const struct fw_port *p, bool add)
{
	long n = nft_port_elems(p, NULL);
	struct nft_elem *v = n > 0 ? calloc((size_t)n, sizeof(*v)) : NULL;
	struct nl *nl = NULL;
	char ip[IP_STRLEN];
	int ret;

	nl_errmsg_clear();
	ret = n < 0 ? (int)n : v ? nl_open(&nl, NETLINK_NETFILTER) : -ENOMEM;
	if (!ret) {
		nft_port_elems(p, v);
		/* a concurrent change between our read and the commit: read again */
		for (int i = 0; i < 5; i++) {
			ret = change(nl, p->ctr_ip.family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4, v,
				     (size_t)n, add);
			if (ret != -ERESTART)
				break;
		}
		nl_close(nl);
	}
	/* which port, before the step's reason (errno's text when a request
	 * failed without the kernel saying more) */
	if (ret)
		nl_fail(ret, "%s %s %s:%u-%u: %s", add ? "publish" : "unpublish",
			proto_name(p->proto),
			ip_is_set(&p->host_ip) ? ip_format(&p->host_ip, ip) : "0.0.0.0",
			p->host_lo, p->host_hi, nl_errmsg()[0] ? nl_errmsg() : errstr(-ret));
	free(v);
	return ret;
}

int nft_port_add(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++)
		ret = port_change(&p[i], true);
	return ret;
}

int nft_port_del(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++)
		ret = port_change(&p[i], false);
	return ret;
}
