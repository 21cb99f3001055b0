/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Published ports (`docker run -p`): the SPEC syntax, and one state file per
 * mapping, ports/PROTO-HOSTIP-LO-HI, holding the container side. 0 or -errno.
 */
#ifndef BOXNET_PORTS_H
#define BOXNET_PORTS_H

#include "core/ops/session.h"
#include "core/state/store.h"
#include "netlink/fw/rule.h"

struct port_map {
	struct fw_port p;       /* bridge filled in from the network */
	char container[OBJNAME_MAX + 1], network[OBJNAME_MAX + 1];
	bool any_ip;            /* the SPEC gave no host address */
};

/*
 * port_spec_parse - "[HOSTIP:]HOSTPORT[-END]:CPORT[-END][/tcp|/udp|/sctp]"
 * into @m (protocol, host side, container ports). The reason of a refusal
 * goes to @why. Pure.
 */
int port_spec_parse(const char *spec, struct port_map *m, char *why, size_t size);

/* port_spec_format - "HOSTIP:LO-HI:CLO-CHI/proto" (the canonical SPEC) */
void port_spec_format(const struct port_map *m, char *buf, size_t size);

/* ports_load_all - every published port; the caller frees *v */
int ports_load_all(const struct state *st, struct port_map **v, size_t *n);
/* ports_load_keys - the host side of every published port (protocol, host
 * address and ports), read from the file names alone: what a conflict check
 * needs, without opening a file per port. The caller frees *v. */
int ports_load_keys(const struct state *st, struct fw_port **v, size_t *n);
int port_save(const struct state *st, const struct port_map *m);
int port_remove(const struct state *st, const struct port_map *m);

/* port_proto_name - "tcp", "udp" or "sctp" */
const char *port_proto_name(uint8_t proto);

/* ports_overlap - same protocol, overlapping host ports, and the same host
 * address or either one bound to every address */
bool ports_overlap(const struct fw_port *a, const struct fw_port *b);

#endif
