/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Published ports (`docker run -p`): one mapping of a container's port range
 * to the host's, its SPEC syntax and the conflict rule. Pure.
 */
#ifndef BOXNET_PORTSPEC_H
#define BOXNET_PORTSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/names.h"
#include "netlink/fw/rule.h"

struct port_map {
	struct fw_port p;       /* bridge filled in from the network */
	char container[OBJNAME_MAX + 1], network[OBJNAME_MAX + 1];
	bool any_ip;            /* the SPEC gave no host address */
};

/*
 * port_spec_parse - "[HOSTIP:]HOSTPORT[-END]:CPORT[-END][/tcp|/udp|/sctp]"
 * into @m (protocol, host side, container ports; the rest zeroed). An IPv6
 * HOSTIP is written in brackets ("[2001:db8::1]:8080:80"; "[::]" is every
 * IPv6 address); "[::1]" is refused: IPv6 has no route_localnet, nothing in
 * the kernel carries it to a container. 0, or -EINVAL / -ERANGE with the
 * reason, worded as Docker words it, in @why.
 */
int port_spec_parse(const char *spec, struct port_map *m, char *why, size_t size);

/* port_spec_format - "HOSTIP:LO-HI:CLO-CHI/proto" (the canonical SPEC) */
void port_spec_format(const struct port_map *m, char *buf, size_t size);

/* port_proto_name - "tcp", "udp" or "sctp"; "?" for another number */
const char *port_proto_name(uint8_t proto);

/* ports_overlap - same protocol, overlapping host ports, and the same host
 * address or either one bound to every address */
bool ports_overlap(const struct fw_port *a, const struct fw_port *b);

/* port_ip_parse - a port's host address as a state file or a network's
 * host_binding_ipv4 writes it: IPv4, where 0.0.0.0 means every address and
 * becomes no address (family unset), as struct fw_port has it, or IPv6
 * (without brackets; "::" stays an IPv6 address: every IPv6 address). 0 or
 * -EINVAL (then *@out is unset). */
int port_ip_parse(const char *s, struct ipaddr *out);

/* port_ip_format - the text of a port's host address: "0.0.0.0" for every
 * address, as Docker prints it and as the state's file names have it */
char *port_ip_format(const struct ipaddr *a, char buf[IP_STRLEN]);

#endif
