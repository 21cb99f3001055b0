// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv4 addresses and routes over rtnetlink. */
#include "netlink/ifaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

static uint32_t mask(int len)
{
	return len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

void nl_addr_fill(struct nlmsghdr *n, int ifindex, uint32_t addr, int len)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	uint32_t a = htonl(addr), brd = htonl(addr | ~mask(len));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = len;
	ifa->ifa_index = ifindex;
	mnl_attr_put(n, IFA_LOCAL, 4, &a);
	mnl_attr_put(n, IFA_ADDRESS, 4, &a);
	if (len < 31)
		mnl_attr_put(n, IFA_BROADCAST, 4, &brd);
}

int nl_addr_add(struct nl *nl, int ifindex, uint32_t addr, int len)
{
	struct nlmsghdr *n = nl_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, NULL,
				    sizeof(struct ifaddrmsg));

	nl_addr_fill(n, ifindex, addr, len);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_addr_del(struct nl *nl, int ifindex, uint32_t addr, int len)
{
	struct nlmsghdr *n = nl_req(nl, RTM_DELADDR, 0, NULL, sizeof(struct ifaddrmsg));

	nl_addr_fill(n, ifindex, addr, len);
	return nl_talk(nl, n, NULL, NULL);
}

void nl_route_default_fill(struct nlmsghdr *n, uint32_t gw, int ifindex)
{
	struct rtmsg *rt = mnl_nlmsg_get_payload(n);
	uint32_t g = htonl(gw);

	rt->rtm_family = AF_INET;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	mnl_attr_put(n, RTA_GATEWAY, 4, &g);
	mnl_attr_put_u32(n, RTA_OIF, ifindex);
}

int nl_route_default(struct nl *nl, bool add, uint32_t gw, int ifindex)
{
	struct nlmsghdr *n = add ? nl_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, NULL,
					  sizeof(struct rtmsg))
				 : nl_req(nl, RTM_DELROUTE, 0, NULL, sizeof(struct rtmsg));

	nl_route_default_fill(n, gw, ifindex);
	return nl_talk(nl, n, NULL, NULL);
}

struct prefixes {
	struct nl_prefix4 *v;
	size_t n, cap;
};

static int push(struct prefixes *p, const struct nlattr *a, int len)
{
	uint32_t addr;

	if (!a || mnl_attr_get_payload_len(a) != 4)
		return MNL_CB_OK;
	if (p->n == p->cap) {
		struct nl_prefix4 *v = realloc(p->v, (p->cap = p->cap ? 2 * p->cap : 64) * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		p->v = v;
	}
	memcpy(&addr, mnl_attr_get_payload(a), 4);
	p->v[p->n++] = (struct nl_prefix4){ ntohl(addr), len };
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *n, void *arg)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[RTA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET || !rt->rtm_dst_len)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*rt), tb, RTA_MAX);
	return push(arg, tb[RTA_DST], rt->rtm_dst_len);
}

static int addr_cb(const struct nlmsghdr *n, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[IFA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*ifa), tb, IFA_MAX);
	return push(arg, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], ifa->ifa_prefixlen);
}

int nl_used_prefixes(struct nl *nl, struct nl_prefix4 **out, size_t *n)
{
	struct rtmsg rt = { .rtm_family = AF_INET }; /* table 0: every table */
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };
	struct prefixes p = { 0 };
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
	int oif;
	uint32_t src;
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
	if (tb[RTA_PREFSRC] && mnl_attr_get_payload_len(tb[RTA_PREFSRC]) == 4) {
		memcpy(&a->src, mnl_attr_get_payload(tb[RTA_PREFSRC]), 4);
		a->src = ntohl(a->src);
	}
	return MNL_CB_OK;
}

int nl_route_dev(struct nl *nl, uint32_t dst, uint32_t *src)
{
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_dst_len = 32 };
	struct nlmsghdr *n = nl_req(nl, RTM_GETROUTE, 0, &rt, sizeof(rt));
	struct route_answer a = { -ENETUNREACH, 0 };
	uint32_t d = htonl(dst);
	int ret;

	mnl_attr_put(n, RTA_DST, 4, &d);
	ret = nl_talk(nl, n, route_get_cb, &a);
	if (ret)
		return ret;
	if (src)
		*src = a.src;
	return a.oif;
}
