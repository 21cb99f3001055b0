// SPDX-License-Identifier: GPL-2.0-or-later
/* Conntrack: dump the table (IPv4 and IPv6), delete the UDP entries to some ports. */
#include "lib/errstr.h"
#include "netlink/conntrack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "netlink/nl.h"

#define CT_TYPE(m) ((uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | (m)))
#define TUPLE_MAX 128

/* the entries to delete: their original tuple and zone, as the kernel sent them */
struct victim {
	uint8_t tuple[TUPLE_MAX];
	uint16_t tuple_len, zone;
	bool has_zone;
	uint8_t family; /* the entry's: its tuple's addresses are of it */
};

struct victims {
	struct victim *v;
	size_t n, cap;
	uint16_t lo, hi; /* destination ports, host order */
	int err;
};

static bool udp_to_ports(const struct nlattr *orig, uint16_t lo, uint16_t hi)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1], *p[CTA_PROTO_MAX + 1];

	nl_attr_nested_tb(orig, tb, CTA_TUPLE_MAX);
	if (!tb[CTA_TUPLE_PROTO])
		return false;
	nl_attr_nested_tb(tb[CTA_TUPLE_PROTO], p, CTA_PROTO_MAX);
	if (!p[CTA_PROTO_NUM] || mnl_attr_get_u8(p[CTA_PROTO_NUM]) != IPPROTO_UDP ||
	    !p[CTA_PROTO_DST_PORT] || mnl_attr_get_payload_len(p[CTA_PROTO_DST_PORT]) != 2)
		return false;
	return ntohs(mnl_attr_get_u16(p[CTA_PROTO_DST_PORT])) >= lo &&
	       ntohs(mnl_attr_get_u16(p[CTA_PROTO_DST_PORT])) <= hi;
}

static int entry_cb(const struct nlmsghdr *n, void *arg)
{
	const struct nlattr *tb[CTA_MAX + 1];
	struct victims *vs = arg;
	struct victim *v;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, CTA_MAX);
	if (!tb[CTA_TUPLE_ORIG] || !udp_to_ports(tb[CTA_TUPLE_ORIG], vs->lo, vs->hi) ||
	    mnl_attr_get_payload_len(tb[CTA_TUPLE_ORIG]) > TUPLE_MAX)
		return MNL_CB_OK;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 16;
		struct victim *nv = realloc(vs->v, cap * sizeof(*nv));

		if (!nv) {
			vs->err = -ENOMEM;
			return MNL_CB_OK; /* read the dump to its end all the same */
		}
		vs->v = nv;
		vs->cap = cap;
	}
	v = &vs->v[vs->n++];
	v->family = ((const struct nfgenmsg *)mnl_nlmsg_get_payload(n))->nfgen_family;
	v->tuple_len = mnl_attr_get_payload_len(tb[CTA_TUPLE_ORIG]);
	memcpy(v->tuple, mnl_attr_get_payload(tb[CTA_TUPLE_ORIG]), v->tuple_len);
	v->has_zone = tb[CTA_ZONE] && mnl_attr_get_payload_len(tb[CTA_ZONE]) == 2;
	v->zone = v->has_zone ? mnl_attr_get_u16(tb[CTA_ZONE]) : 0;
	return MNL_CB_OK;
}

static int delete_one(struct nl *nl, const struct victim *v)
{
	struct nfgenmsg g = { v->family, NFNETLINK_V0, 0 };
	struct nlmsghdr *n = nl_req(nl, CT_TYPE(IPCTNL_MSG_CT_DELETE), 0, &g, sizeof(g));

	mnl_attr_put(n, CTA_TUPLE_ORIG | NLA_F_NESTED, v->tuple_len, v->tuple);
	if (v->has_zone)
		mnl_attr_put_u16(n, CTA_ZONE, v->zone);
	return nl_talk(nl, n, NULL, NULL);
}

int ct_flush_udp_port(uint16_t port)
{
	return ct_flush_udp_ports(port, port);
}

int ct_flush_udp_ports(uint16_t lo, uint16_t hi)
{
	/* both families: a port is published on IPv4 and IPv6 alike */
	struct nfgenmsg g = { AF_UNSPEC, NFNETLINK_V0, 0 };
	struct victims vs = { .lo = lo, .hi = hi };
	struct nl *nl;
	int ret = nl_open(&nl, NETLINK_NETFILTER), done = 0;

	if (ret) {
		nl_fail(ret, "cannot open a netfilter socket: %s", errstr(-ret));
		goto out;
	}
	ret = nl_dump(nl, nl_req(nl, CT_TYPE(IPCTNL_MSG_CT_GET), 0, &g, sizeof(g)), entry_cb, &vs);
	if (!ret)
		ret = vs.err;
	if (ret)
		nl_fail(ret, "cannot list connections: %s", errstr(-ret));
	for (size_t i = 0; !ret && i < vs.n; i++) {
		ret = delete_one(nl, &vs.v[i]);
		if (ret == -ENOENT) /* gone meanwhile */
			ret = 0;
		else if (ret)
			nl_fail(ret, "cannot delete a connection to udp ports %u-%u: %s", lo, hi,
				errstr(-ret));
		else
			done++;
	}
	nl_close(nl);
out:
	free(vs.v);
	return ret ? ret : done;
}
