/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RTM_*ADDR and RTM_*ROUTE, either family: 0 or -errno, kernel text in nl_errmsg(). */
#ifndef BOXNET_NL_ADDR_ROUTE_H
#define BOXNET_NL_ADDR_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "netlink/nl.h"

/* nl_addr_fill - append to @n (an RTM_NEWADDR/DELADDR from nl_req with an
 * ifaddrmsg) the attributes of address @p (its family, address and prefix
 * length) on @ifindex, with the IPv4 broadcast; an IPv6 address is flagged
 * IFA_F_NODAD (never tentative: usable at once). */
void nl_addr_fill(struct nlmsghdr *n, int ifindex, const struct ipprefix *p);

/* nl_addr_add - add address @p to @ifindex; -EEXIST when it is there. */
int nl_addr_add(struct nl *nl, int ifindex, const struct ipprefix *p);

/* nl_addr_del - remove address @p from @ifindex. */
int nl_addr_del(struct nl *nl, int ifindex, const struct ipprefix *p);

/* nl_route_default_fill - build into @n (RTM_NEWROUTE/DELROUTE started with
 * an rtmsg) a main-table default route of @gw's family via @gw on @ifindex. */
void nl_route_default_fill(struct nlmsghdr *n, const struct ipaddr *gw, int ifindex);

/* nl_route_default - add (@add) or delete the default route via @gw dev @ifindex. */
int nl_route_default(struct nl *nl, bool add, const struct ipaddr *gw, int ifindex);

/* What the container's end of a new veth gets, in one round trip. */
struct nl_ifconf {
	int ifindex;                   /* the interface, in nl's namespace */
	struct ipprefix addr, addr6;   /* its addresses (an unset family: none) */
	const struct ipaddr *gateway;  /* NULL: no default route */
	const struct ipaddr *gateway6; /* NULL: no IPv6 default route */
};

/*
 * nl_ifconf_apply - add the addresses, set the interface and lo up, and with
 * gateways add the default routes through them, in one send (the IPv6
 * address after the link is up, so that its prefix route is there for the
 * route's gateway). Returns 0, 1 when everything but a route was done because
 * a default route of that family already existed (not ours to replace), or
 * -errno (nl_errmsg() says why).
 */
int nl_ifconf_apply(struct nl *nl, const struct nl_ifconf *c);

/*
 * nl_used_prefixes - every prefix of @family in use in nl's namespace: the
 * destination of every route of every table except default routes, and every
 * interface address with its prefix. Malloc'd array in *out (the caller
 * frees it).
 */
int nl_used_prefixes(struct nl *nl, int family, struct ipprefix **out, size_t *n);

/* nl_addr_find - the ifindex of the device that holds address @a in nl's
 * namespace, or -ENOENT. */
int nl_addr_find(struct nl *nl, const struct ipaddr *a);

/* nl_default_route_dev - ifindex of the device of the main table's default
 * route, or -ENOENT. */
int nl_default_route_dev(struct nl *nl);

/* nl_route_dev - the device and preferred source address (@src may be
 * NULL) the main table would use to reach @dst (RTM_GETROUTE lookup): the
 * ifindex, or -errno. */
int nl_route_dev(struct nl *nl, const struct ipaddr *dst, struct ipaddr *src);

#endif
