/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * boxnet's firewall, rebuilt from the state: the rule model of core/fw.h for
 * every network that has endpoints and every published port, installed by the
 * backend BOXNET_FIREWALL names (auto: iptables where the kernel has legacy
 * x_tables, else nft; none: nothing), and the sysctls it needs (ip_forward,
 * route_localnet on the bridges), restored when the last network stops needing
 * them. 0 or -errno with s->err set.
 */
#ifndef BOXNET_FIREWALL_H
#define BOXNET_FIREWALL_H

#include <stdio.h>

#include "core/model/portspec.h"
#include "core/ops/session.h"

enum fw_kind { FWK_NONE, FWK_IPTABLES, FWK_NFT };

/* fw_kind_get - the backend in use: BOXNET_FIREWALL, resolved */
int fw_kind_get(struct session *s, enum fw_kind *k);
const char *fw_kind_name(enum fw_kind k);

/* fw_sync - install what the state asks for (the whole rule set) */
int fw_sync(struct session *s);

/* fw_render - what fw_sync would install, as iptables-save or nft text */
int fw_render(struct session *s, FILE *f);

/* fw_port_added - the cheap path for one new port: map elements on nft,
 * the whole table on iptables. fw_port_removed likewise. */
int fw_port_added(struct session *s, const struct port_map *m);
int fw_port_removed(struct session *s, const struct port_map *m);

/* fw_status - backend and what boxnet holds in the kernel, as text */
int fw_status(struct session *s, FILE *f);

#endif
