/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VXLAN devices and their flood lists over rtnetlink. 0 or -errno, kernel text in nl_errmsg(). */
#ifndef BOXNET_NL_VXLANDEV_H
#define BOXNET_NL_VXLANDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "netlink/nl.h"

struct nl_vxlan_spec {
	const char *name;
	uint32_t vni;        /* < 2^24 */
	struct ipaddr group; /* multicast group, unset for none */
	struct ipaddr local; /* source address, unset for the kernel's choice */
	int link;            /* underlay ifindex, 0 for none */
	uint16_t port;       /* UDP destination port */
	bool learning;
	unsigned int mtu;    /* 0: the kernel's (underlay - 50 with a link) */
	int master;          /* bridge to join, 0 for none */
};

/* nl_vxlan_add - create the device, enslaved and up; returns its ifindex */
int nl_vxlan_add(struct nl *nl, const struct nl_vxlan_spec *s);

/* nl_vxlan_flood - add (@add) or remove @remote (host order) from the flood
 * list of vxlan @ifindex: the all-zero MAC entry with that destination. */
int nl_vxlan_flood(struct nl *nl, int ifindex, const struct ipaddr *remote, bool add);

#endif
