// SPDX-License-Identifier: GPL-2.0-or-later
#include "netlink/xfrm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/ipsec.h>
#include <linux/xfrm.h>

#define AEAD_NAME "rfc4106(gcm(aes))"
#define ICV_BITS 128

static void put_addr(xfrm_address_t *x, const struct ipaddr *a)
{
	memset(x, 0, sizeof(*x));
	x->a4 = htonl(a->v4);
}

/* no byte or packet limit, no expiry: the overlay removes its states itself */
static void no_limits(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = l->hard_packet_limit = XFRM_INF;
}

struct nlmsghdr *nl_xfrm_sa_req(struct nl *nl, const struct nl_xfrm_sa *sa, bool add)
{
	struct nlmsghdr *n;

	if (add) {
		struct xfrm_usersa_info info = { 0 };
		struct {
			struct xfrm_algo_aead a;
			char key[NL_XFRM_KEYLEN];
		} aead = { 0 };

		put_addr(&info.id.daddr, &sa->dst);
		put_addr(&info.saddr, &sa->src);
		info.id.spi = htonl(sa->spi);
		info.id.proto = IPPROTO_ESP;
		info.reqid = sa->reqid;
		info.family = AF_INET;
		info.mode = XFRM_MODE_TRANSPORT;
		/* replay protection: 32 packets, iproute2's replay-window 32 */
		info.replay_window = 32;
		no_limits(&info.lft);
		n = nl_req(nl, XFRM_MSG_NEWSA, 0, &info, sizeof(info));
		strcpy(aead.a.alg_name, AEAD_NAME);
		aead.a.alg_key_len = NL_XFRM_KEYLEN * 8;
		aead.a.alg_icv_len = ICV_BITS;
		memcpy(aead.key, sa->key, NL_XFRM_KEYLEN);
		mnl_attr_put(n, XFRMA_ALG_AEAD, sizeof(aead), &aead);
		return n;
	} else {
		struct xfrm_usersa_id id = { .spi = htonl(sa->spi), .family = AF_INET,
					     .proto = IPPROTO_ESP };
		xfrm_address_t src;

		put_addr(&id.daddr, &sa->dst);
		put_addr(&src, &sa->src);
		n = nl_req(nl, XFRM_MSG_DELSA, 0, &id, sizeof(id));
		mnl_attr_put(n, XFRMA_SRCADDR, sizeof(src), &src);
		return n;
	}
}

static void selector(struct xfrm_selector *sel, const struct nl_xfrm_policy *p)
{
	memset(sel, 0, sizeof(*sel));
	put_addr(&sel->daddr, &p->dst);
	put_addr(&sel->saddr, &p->src);
	sel->dport = htons(p->dport);
	sel->dport_mask = p->dport ? 0xffff : 0;
	sel->family = AF_INET;
	sel->prefixlen_d = sel->prefixlen_s = 32;
	sel->proto = p->proto;
}

struct nlmsghdr *nl_xfrm_policy_req(struct nl *nl, const struct nl_xfrm_policy *p, bool add)
{
	uint8_t dir = p->in ? XFRM_POLICY_IN : XFRM_POLICY_OUT;

	if (add) {
		struct xfrm_userpolicy_info info = { .dir = dir, .action = XFRM_POLICY_ALLOW };
		struct xfrm_user_tmpl t = { 0 };
		struct nlmsghdr *n;

		selector(&info.sel, p);
		no_limits(&info.lft);
		n = nl_req(nl, XFRM_MSG_NEWPOLICY, 0, &info, sizeof(info));
		/* the template: ESP between the same two hosts, transport mode */
		put_addr(&t.id.daddr, &p->dst);
		put_addr(&t.saddr, &p->src);
		t.id.proto = IPPROTO_ESP;
		t.family = AF_INET;
		t.reqid = p->reqid;
		t.mode = XFRM_MODE_TRANSPORT;
		t.aalgos = t.ealgos = t.calgos = ~0u; /* any algorithm the state has */
		mnl_attr_put(n, XFRMA_TMPL, sizeof(t), &t);
		return n;
	} else {
		struct xfrm_userpolicy_id id = { .dir = dir };

		selector(&id.sel, p);
		return nl_req(nl, XFRM_MSG_DELPOLICY, 0, &id, sizeof(id));
	}
}

int nl_xfrm_sa(struct nl *nl, const struct nl_xfrm_sa *sa, bool add)
{
	return nl_talk(nl, nl_xfrm_sa_req(nl, sa, add), NULL, NULL);
}

int nl_xfrm_policy(struct nl *nl, const struct nl_xfrm_policy *p, bool add)
{
	return nl_talk(nl, nl_xfrm_policy_req(nl, p, add), NULL, NULL);
}

int nl_xfrm_esp_probe(struct nl *nl)
{
	/* 192.0.2.0/24 (TEST-NET-1) is never a real peer; SPI 1 is in IANA's
	 * reserved 1-255, which no key exchange hands out */
	struct nl_xfrm_sa sa = { .src = ip4(0xc0000201), .dst = ip4(0xc0000202), .spi = 1 };
	int ret = nl_xfrm_sa(nl, &sa, true);

	if (ret == 0)
		nl_xfrm_sa(nl, &sa, false);
	return ret;
}
