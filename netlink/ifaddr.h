/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RTM_*ADDR and RTM_*ROUTE for IPv4: 0 or -errno, kernel text in nl_errmsg(). */
#ifndef BOXNET_NL_IFADDR_H
#define BOXNET_NL_IFADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink/nl.h"

struct nl_prefix4 {
	uint32_t addr; /* host byte order */
	int len;
};

/* nl_addr_fill - append to @n (an RTM_NEWADDR/DELADDR from nl_req with an
 * ifaddrmsg) the attributes of @addr/@len on @ifindex with its broadcast. */
void nl_addr_fill(struct nlmsghdr *n, int ifindex, uint32_t addr, int len);

/* nl_addr_add - add @addr/@len (with broadcast) to @ifindex. */
int nl_addr_add(struct nl *nl, int ifindex, uint32_t addr, int len);

/* nl_addr_del - remove @addr/@len from @ifindex. */
int nl_addr_del(struct nl *nl, int ifindex, uint32_t addr, int len);

/* nl_route_default_fill - build into @n (RTM_NEWROUTE/DELROUTE started with
 * an rtmsg) a main-table default route via @gw on @ifindex. */
void nl_route_default_fill(struct nlmsghdr *n, uint32_t gw, int ifindex);

/* nl_route_default - add (@add) or delete the default route via @gw dev @ifindex. */
int nl_route_default(struct nl *nl, bool add, uint32_t gw, int ifindex);

/*
 * nl_used_prefixes - every IPv4 prefix in use in nl's namespace: the
 * destination of every route of every table except default routes, and every
 * interface address with its prefix. Malloc'd array in *out.
 */
int nl_used_prefixes(struct nl *nl, struct nl_prefix4 **out, size_t *n);

/* nl_default_route_dev - ifindex of the device of the main table's default
 * route, or -ENOENT. */
int nl_default_route_dev(struct nl *nl);

/* nl_route_dev - the device and preferred source address the main table
 * would use to reach @dst (RTM_GETROUTE lookup): the ifindex, or -errno. */
int nl_route_dev(struct nl *nl, uint32_t dst, uint32_t *src);

#endif
