/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The overlay of a network in the state: vxlan/NETWORK, its VNI, device,
 * underlay and peers (core/ops/overlay.h makes and changes them). 0 or -errno.
 */
#ifndef BOXNET_OVERLAYS_H
#define BOXNET_OVERLAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/state/dir.h"
#include "lib/addr.h"
#include "lib/names.h"

/* static peers of one overlay: past a hundred hosts, EVPN finds them (control=evpn) */
#define VXLAN_MAX_PEERS 128

struct vxlan {
	char network[OBJNAME_MAX + 1];
	char dev[16], underlay[16];
	uint32_t vni;
	struct ipaddr group, local; /* unset: none, the kernel's choice */
	uint16_t port;
	bool learning;
	bool evpn;             /* control=evpn: BGP EVPN (FRR) fills the fdb, no peers */
	unsigned int mtu_was;  /* the network's MTU before the overlay */
	struct ipaddr peers[VXLAN_MAX_PEERS];
	size_t npeers;
	/* an encrypted overlay: the SPIs of the ESP states to and from each
	 * peer (same index as peers; 0: none) */
	bool encrypted;
	uint32_t spi_out[VXLAN_MAX_PEERS], spi_in[VXLAN_MAX_PEERS];
};

/* vxlan_load - the overlay of network @name into @v; -ENOENT when it has
 * none, -EBADMSG when its file is not a whole overlay of @name (damaged;
 * @v then holds what could be read) */
int vxlan_load(const struct state *st, const char *name, struct vxlan *v);

/* vxlan_save - write @v as vxlan/NETWORK (creating the folder if needed) */
int vxlan_save(const struct state *st, const struct vxlan *v);

/* vxlan_list - every overlay, in a malloc'd *@v the caller frees; fails at
 * a damaged file, named by state_load_failed() */
int vxlan_list(const struct state *st, struct vxlan **v, size_t *n);

#endif
