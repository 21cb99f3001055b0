/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Overlays whose peers come from BGP EVPN as FRR runs it (control=evpn): the
 * VXLAN device is made for zebra to fill (no learning, no flood entries, the
 * local VTEP address set, a bridge port with learning off and neigh_suppress
 * on), and the FRR lines this host needs are printed for the operator. No
 * daemon of boxnet's own: FRR's bgpd and zebra do the control plane.
 * 0 or -errno with s->err set.
 *
 * The entry point for every front end (`vxlan add --control evpn`, the
 * overlay driver's `-o boxnet.overlay.control=evpn`): set
 * vxlan_spec.control = "evpn" and call vxlan_add (core/ops/overlay.h); the
 * hooks below are what vxlan_add calls for it.
 */
#ifndef BOXNET_EVPN_H
#define BOXNET_EVPN_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ops/session.h"
#include "core/state/overlays.h"

/* evpn_plan - read @control (NULL or "static": no, "evpn": yes) into
 * v->evpn and, for EVPN, refuse what it excludes in the planned overlay @v:
 * static peers, a multicast group, learning, no local address (the VTEP
 * address FRR announces). Either way, refuse to share a UDP port between an
 * EVPN overlay and a static one with a peer filter. */
int evpn_plan(struct session *s, const char *control, struct vxlan *v);

/* evpn_port - make VXLAN device @index, already a port of its bridge, the
 * port FRR expects: bridge learning off (zebra installs the remote MACs),
 * neigh_suppress on (ARP/ND answered from the EVPN MAC+IP routes). */
int evpn_port(struct session *s, int index);

/* the options of `vxlan evpn` (NULL/0: not given) */
struct evpn_bgp {
	const char *asn;       /* default 65000, the same on every host (iBGP) */
	const char *router_id; /* default: the overlay's local VTEP address */
	const char *const *rr; /* route reflectors this host peers with */
	size_t nrr;
	const char *clients;   /* PREFIX: this host is a route reflector for it */
};

/* evpn_config - print to @out the FRR configuration (frr.conf / vtysh lines)
 * this host needs for the EVPN overlay of @netref: `router bgp`, the
 * neighbours, `address-family l2vpn evpn` with `advertise-all-vni`. */
int evpn_config(struct session *s, const char *netref, const struct evpn_bgp *b, FILE *out);

#endif
