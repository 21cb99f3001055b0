/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * boxnet's firewall, rebuilt from the state: the rule model of
 * core/model/fwmodel.h for every network that has endpoints, every published
 * port and every overlay's peers, installed by the backend BOXNET_FIREWALL
 * names (netlink/fw/backend.h; auto: what fits the host, fw_backend_auto();
 * none: no backend, nothing installed), and the sysctls it needs
 * (ip_forward, route_localnet on the bridges), restored when the last
 * network stops needing them. The backend in use is recorded in the state
 * file "firewall" (backend=NAME), so that a switch takes the old backend's
 * rules away; auto's choice with its reason (auto=WHY), so that auto decides
 * once and keeps its choice while the state lives. Each returns 0 or -errno with s->err set (a
 * backend's reason included once); an invalid BOXNET_FIREWALL is -EINVAL.
 */
#ifndef BOXNET_FIREWALL_H
#define BOXNET_FIREWALL_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ops/session.h"

/* core/model/portspec.h; only pointed to here, so that an applet that
 * includes this header does not see the firewall's rule vocabulary */
struct port_map;

/* fw_sync - install what the state asks for (the whole rule set) */
int fw_sync(struct session *s);

/* fw_render - what fw_sync would install, as the backend's tool lists it
 * (iptables-save or nft text); with no backend, the model as iptables-save
 * text. Nothing is changed. */
int fw_render(struct session *s, FILE *f);

/* fw_port_added - the cheap path for @n new ports @m (already saved in the
 * state): the backend's own port operation where it has one (nft's map
 * elements, the DNAT rules spliced into iptables' nat chain), all of them in
 * one change of each table, else the whole rule set (fw_sync), which is also
 * the fallback when there is nothing installed to add to. A UDP port then has
 * the conntrack entries of flows already arriving on it flushed (best
 * effort), so that they reach the container. fw_port_removed likewise,
 * without the flush, for ports already gone from the state. On failure the
 * kernel may hold part of the change: the caller puts the state back and
 * calls fw_sync. */
int fw_port_added(struct session *s, const struct port_map *m, size_t n);
int fw_port_removed(struct session *s, const struct port_map *m, size_t n);

/* fw_status - "backend: NAME", "reason: WHY" (BOXNET_FIREWALL=NAME, or
 * auto's reason), a "warning: …" line for each thing of the host's own
 * firewall that works against boxnet's (fw_survey(), read only: iptables
 * rules in both legacy x_tables and nf_tables; a legacy FORWARD policy DROP
 * when boxnet's accepts are elsewhere; another table's forward chain that
 * drops), then what boxnet holds in the kernel as far as the backend can
 * list it (iptables: boxnet's chains; nft: nothing, nft lists it). Fails
 * only for an invalid BOXNET_FIREWALL or no memory. */
int fw_status(struct session *s, FILE *f);

#endif
