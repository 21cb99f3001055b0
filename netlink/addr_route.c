// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses and routes over rtnetlink, for either family of struct ipaddr. */
#include "netlink/addr_route.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

void nl_addr_fill(struct nlmsghdr *n, int ifindex, const struct ipprefix *p)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	struct ipaddr brd = pfx_last(p);
	uint8_t a[16], b[16];
	size_t len = ip_to_bytes(&p->a, a);

	ifa->ifa_family = p->a.family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = ifindex;
	/* boxnet hands each IPv6 address out once: no duplicate address
	 * detection, so the address is usable at once, not tentative */
	if (p->a.family == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(n, IFA_LOCAL, len, a);
	mnl_attr_put(n, IFA_ADDRESS, len, a);
	/* IPv4 only has broadcast; /31 and /32 have none (RFC 3021) */
	if (p->a.family == AF_INET && p->len < 31)
		mnl_attr_put(n, IFA_BROADCAST, ip_to_bytes(&brd, b), b);
}

int nl_addr_add(struct nl *nl, int ifindex, const struct ipprefix *p)
{
	struct nlmsghdr *n = nl_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, NULL,
				    sizeof(struct ifaddrmsg));

	nl_addr_fill(n, ifindex, p);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_addr_del(struct nl *nl, int ifindex, const struct ipprefix *p)
{
	struct nlmsghdr *n = nl_req(nl, RTM_DELADDR, 0, NULL, sizeof(struct ifaddrmsg));

	nl_addr_fill(n, ifindex, p);
	return nl_talk(nl, n, NULL, NULL);
}

void nl_route_default_fill(struct nlmsghdr *n, const struct ipaddr *gw, int ifindex)
{
	struct rtmsg *rt = mnl_nlmsg_get_payload(n);
	uint8_t g[16];

	rt->rtm_family = gw->family;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	mnl_attr_put(n, RTA_GATEWAY, ip_to_bytes(gw, g), g);
	mnl_attr_put_u32(n, RTA_OIF, ifindex);
}

int nl_route_default(struct nl *nl, bool add, const struct ipaddr *gw, int ifindex)
{
	struct nlmsghdr *n = add ? nl_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, NULL,
					  sizeof(struct rtmsg))
				 : nl_req(nl, RTM_DELROUTE, 0, NULL, sizeof(struct rtmsg));

	nl_route_default_fill(n, gw, ifindex);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_ifconf_apply(struct nl *nl, const struct nl_ifconf *c)
{
	struct ifinfomsg up = { .ifi_family = AF_UNSPEC, .ifi_index = c->ifindex, .ifi_flags = IFF_UP,
				.ifi_change = IFF_UP };
	struct ifinfomsg lo = up;
	const struct ipaddr *gw[2] = { c->gateway, c->gateway6 };
	struct nlmsghdr *first = NULL, *m = NULL;
	int errs[6], count = 0, routes = 0, ret, other = 0, exist = 0;

	lo.ifi_index = 1; /* the loopback device is always the first of a namespace */
#define NEXT(type, flags, fam, len) \
	(m = count++ ? nl_req_next(nl, m, type, flags, fam, len) : (first = nl_req(nl, type, flags, fam, len)))
	if (ip_is_set(&c->addr.a))
		nl_addr_fill(NEXT(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, NULL, sizeof(struct ifaddrmsg)),
			     c->ifindex, &c->addr);
	NEXT(RTM_NEWLINK, 0, &up, sizeof(up));
	NEXT(RTM_NEWLINK, 0, &lo, sizeof(lo));
	if (ip_is_set(&c->addr6.a))
		nl_addr_fill(NEXT(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, NULL, sizeof(struct ifaddrmsg)),
			     c->ifindex, &c->addr6);
	for (int i = 0; i < 2; i++)
		if (gw[i]) {
			nl_route_default_fill(NEXT(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, NULL,
						   sizeof(struct rtmsg)), gw[i], c->ifindex);
			routes++;
		}
#undef NEXT
	ret = nl_talk_all(nl, first, count, errs);
	/* the routes are the last requests */
	for (int i = 0; i < count; i++) {
		if (i >= count - routes && errs[i] == -EEXIST)
			exist++;
		else if (errs[i])
			other++;
	}
	return exist && !other ? 1 : ret;
}

struct prefixes {
	int family;
	struct ipprefix *v;
	size_t n, cap;
};

static int push(struct prefixes *p, const struct nlattr *a, int len)
{
	struct ipprefix x = { .len = len };

	if (!a || ip_from_bytes(p->family, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), &x.a))
		return MNL_CB_OK;
	if (p->n == p->cap) {
		struct ipprefix *v = realloc(p->v, (p->cap = p->cap ? 2 * p->cap : 64) * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		p->v = v;
	}
	p->v[p->n++] = x;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *n, void *arg)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[RTA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != ((struct prefixes *)arg)->family ||
	    !rt->rtm_dst_len)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*rt), tb, RTA_MAX);
	return push(arg, tb[RTA_DST], rt->rtm_dst_len);
}

static int addr_cb(const struct nlmsghdr *n, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[IFA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != ((struct prefixes *)arg)->family)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*ifa), tb, IFA_MAX);
	return push(arg, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], ifa->ifa_prefixlen);
}

int nl_used_prefixes(struct nl *nl, int family, struct ipprefix **out, size_t *n)
{
	struct rtmsg rt = { .rtm_family = family }; /* table 0: every table */
	struct ifaddrmsg ifa = { .ifa_family = family };
	struct prefixes p = { .family = family };
	int ret;

	ret = nl_dump(nl, nl_req(nl, RTM_GETROUTE, 0, &rt, sizeof(rt)), route_cb, &p);
	if (!ret)
		ret = nl_dump(nl, nl_req(nl, RTM_GETADDR, 0, &ifa, sizeof(ifa)), addr_cb, &p);
	if (ret) {
		free(p.v);
		return ret;
	}
	*out = p.v;
	*n = p.n;
	return 0;
}

struct addr_search {
	struct ipaddr want;
	int ifindex;
};

static int addr_find_cb(const struct nlmsghdr *n, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[IFA_MAX + 1], *a;
	struct addr_search *q = arg;
	struct ipaddr got;

	if (n->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != q->want.family || q->ifindex > 0)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*ifa), tb, IFA_MAX);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a && ip_from_bytes(ifa->ifa_family, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
			       &got) == 0 && ip_eq(&got, &q->want))
		q->ifindex = ifa->ifa_index;
	return MNL_CB_OK;
}

int nl_addr_find(struct nl *nl, const struct ipaddr *a)
{
	struct ifaddrmsg ifa = { .ifa_family = a->family };
	struct addr_search q = { *a, -ENOENT };
	int ret = nl_dump(nl, nl_req(nl, RTM_GETADDR, 0, &ifa, sizeof(ifa)), addr_find_cb, &q);

	return ret ? ret : q.ifindex;
}

static int default_cb(const struct nlmsghdr *n, void *arg)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[RTA_MAX + 1];
	int *oif = arg;

	if (n->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET || rt->rtm_dst_len ||
	    rt->rtm_type != RTN_UNICAST || *oif > 0)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*rt), tb, RTA_MAX);
	if (tb[RTA_OIF] && mnl_attr_get_payload_len(tb[RTA_OIF]) == 4)
		*oif = mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_default_route_dev(struct nl *nl)
{
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN };
	struct nlmsghdr *n = nl_req(nl, RTM_GETROUTE, 0, &rt, sizeof(rt));
	int oif = -ENOENT, ret;

	/* strict checking makes the kernel filter the dump by table */
	mnl_attr_put_u32(n, RTA_TABLE, RT_TABLE_MAIN);
	ret = nl_dump(nl, n, default_cb, &oif);
	return ret ? ret : oif;
}

struct route_answer {
	int oif, family;
	struct ipaddr src;
};

static int route_get_cb(const struct nlmsghdr *n, void *arg)
{
	struct route_answer *a = arg;
	const struct nlattr *tb[RTA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(struct rtmsg), tb, RTA_MAX);
	if (tb[RTA_OIF] && mnl_attr_get_payload_len(tb[RTA_OIF]) == 4)
		a->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PREFSRC])
		ip_from_bytes(a->family, mnl_attr_get_payload(tb[RTA_PREFSRC]),
			      mnl_attr_get_payload_len(tb[RTA_PREFSRC]), &a->src);
	return MNL_CB_OK;
}

int nl_route_dev(struct nl *nl, const struct ipaddr *dst, struct ipaddr *src)
{
	uint8_t d[16];
	size_t dlen = ip_to_bytes(dst, d);
	struct rtmsg rt = { .rtm_family = dst->family, .rtm_dst_len = dlen * 8 };
	struct nlmsghdr *n = nl_req(nl, RTM_GETROUTE, 0, &rt, sizeof(rt));
	struct route_answer a = { .oif = -ENETUNREACH, .family = dst->family };
	int ret;

	mnl_attr_put(n, RTA_DST, dlen, d);
	ret = nl_talk(nl, n, route_get_cb, &a);
	if (ret)
		return ret;
	if (src)
		*src = a.src;
	return a.oif;
}
