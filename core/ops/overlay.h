/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multi-host networks: a VXLAN device on the network's bridge, the same VNI
 * and subnet on every host; peers are the flood list of the device (head-end
 * replication). State: vxlan/NETWORK. 0 or -errno with s->err set.
 */
#ifndef BOXNET_VXLAN_H
#define BOXNET_VXLAN_H

#include <stdio.h>

#include "core/ops/session.h"
#include "core/state/overlays.h"
#include "core/state/store.h"

/* the options of `vxlan add`, as strings (NULL: not given) */
struct vxlan_spec {
	const char *vni, *group, *dev, *local, *port;
	const char *control; /* NULL or "static": peers as given; "evpn": core/ops/evpn.h */
	const char *const *remotes;
	size_t nremotes;
	bool learning;
	bool encrypted; /* the overlay driver's: states come after (ipsec_up) */
};

/* vxlan_add - give network @netref an overlay: the VXLAN device on its
 * bridge, the peers' flood entries, the lower MTU, the peer filter. All or
 * nothing (journaled as "vxlan"). */
int vxlan_add(struct session *s, const char *netref, const struct vxlan_spec *spec);
/* vxlan_attach - vxlan_add under the caller's journal entry (netcreate -d
 * overlay: the whole network goes if a kill stops it) */
int vxlan_attach(struct session *s, const char *netref, const struct vxlan_spec *spec);
/* vxlan_check - what vxlan_add of @spec to a network named @name would
 * refuse, refused now (the VNI, peers, underlay), changing nothing */
int vxlan_check(struct session *s, const char *name, const struct vxlan_spec *spec);
/* vxlan_peer - add (@add) or remove peer @ip of the overlay of @netref */
int vxlan_peer(struct session *s, const char *netref, const char *ip, bool add);
/* vxlan_del - remove the overlay of @netref (-ENOENT when it has none) */
int vxlan_del(struct session *s, const char *netref);
/* vxlan_drop - remove the overlay of network @name if it has one (netrm),
 * a damaged file too, with its device (named from the network when the
 * file lost the name) */
int vxlan_drop(struct session *s, const char *name);
/* vxlan_name - a name for a container on another host, on every container's
 * hosts file of the network: with @nips (1 or 2) addresses at @ips, one per
 * family, each in the network's subnet of its family (a dual-stack name
 * gives both at once, as a second add replaces the first); with none, forget
 * the name */
int vxlan_name(struct session *s, const char *netref, const char *name, char *const *ips, size_t nips);

/* The overlay driver of netcreate (overlay_net.c): a bridge network with the
 * VXLAN device of vxlan_add, configured by its -o options. */
/* overlay_net_check - @opts of a new network (@overlay: driver overlay)
 * checked before anything is made: overlay options only on an overlay
 * network, which needs @has_subnet, a free VNI, peers that are addresses,
 * an underlay, and for `encrypted` a key and a kernel with ESP;
 * boxnet.overlay.control=evpn as vxlan_add's control (with a local VTEP
 * address, without peers or encryption). */
int overlay_net_check(struct session *s, const char *name, bool overlay, const struct pairs *opts,
		      bool has_subnet);
/* overlay_net_attach - give the just created overlay network @name the
 * overlay @opts ask for (as overlay_net_check accepted them); all or nothing */
int overlay_net_attach(struct session *s, const char *name, const struct pairs *opts);

/* Encrypted overlays (overlay_ipsec.c): ESP states and policies per peer,
 * keys from the pre-shared key file, the default one being: */
#define OVERLAY_KEYFILE "/etc/boxnet/overlay.key"
/* ipsec_check - the key file @opts name (or the default) is readable and
 * long enough, and the kernel has ESP with rfc4106(gcm(aes)); changes nothing */
int ipsec_check(struct session *s, const struct pairs *opts);
/* ipsec_up - mark @v encrypted and give each of its peers states and
 * policies (their SPIs into @v, which the caller saves); all or nothing */
int ipsec_up(struct session *s, struct vxlan *v);
/* ipsec_peer - states and policies for peer @i of @v (@add), or remove
 * them; nothing for an overlay that is not encrypted */
int ipsec_peer(struct session *s, struct vxlan *v, size_t i, bool add);
/* ipsec_down - remove every state and policy of @v (as far as it can) */
void ipsec_down(struct session *s, struct vxlan *v);
/* ipsec_rekey - new states from the key file as it is now, then the old
 * ones go; the SPIs in @v follow (save it also after a failure) */
int ipsec_rekey(struct session *s, struct vxlan *v);
/* vxlan_rekey - ipsec_rekey of the overlay of @netref, saved */
int vxlan_rekey(struct session *s, const char *netref);

/* overlay_list - every overlay (vxlan_list), the failure worded in s->err */
int overlay_list(struct session *s, struct vxlan **v, size_t *n);

/* vxlan_undo_add - the journal's undo of a killed `vxlan add`: its device
 * goes unless the overlay was saved; @ctx is the session (core/ops/repair.c). */
int vxlan_undo_add(void *ctx, const struct kvs *entry);
/* vxlan_undo_peer - a killed peer add or del: the peer's flood entry as the
 * overlay's file says; vxlan_undo_del - a killed del: finish it */
int vxlan_undo_peer(void *ctx, const struct kvs *entry);
int vxlan_undo_del(void *ctx, const struct kvs *entry);

#endif
