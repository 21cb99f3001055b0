/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firewall rule model: what Docker's bridge driver (29.x layout, proxy
 * off: the kernel does all publishing) would install for boxnet's networks and
 * published ports, independent of the backend that renders it. Pure.
 *
 * Chains (all boxnet's, jumped to from the built-in ones):
 *   raw    BOXNET-RAW        PREROUTING: 127/8 only via lo; VXLAN only from peers
 *   filter BOXNET-USER       FORWARD, first: the user's own rules (Docker's
 *                            DOCKER-USER); made empty, its contents never
 *                            rewritten by a backend (netlink/fw/backend.h)
 *          BOXNET-FORWARD    FORWARD: -> CT, INTERNAL, BRIDGE, then egress / ICC
 *          BOXNET-CT         replies into a bridge
 *          BOXNET-INTERNAL   --internal networks keep to themselves
 *          BOXNET-BRIDGE     into a bridge -> BOXNET
 *          BOXNET            per network: what a DNAT of this host sent in
 *                            accepted ("ctstate DNAT": routing to a container's
 *                            address directly opens nothing), the rest from
 *                            outside dropped; no rule per port
 *   nat    BOXNET            PREROUTING and OUTPUT (to a local address): DNAT,
 *                            one rule per published port (of its family)
 *          BOXNET-POSTROUTING  masquerade: egress, host-to-container, hairpin
 *
 * IPv6 (ip6tables, Docker 27+'s ip6tables rules): the same chains and rules
 * for the IPv6 networks and ports, in rules of family AF_INET6, with these
 * differences: no raw chain (nothing like 127/8: IPv6 has no
 * route_localnet), the OUTPUT hook skips ::1, no masquerade of the host's
 * own (loopback) connections into a bridge, and DNAT skips link-local
 * sources (! -s fe80::/10, as Docker 28+). Masquerade (NAT66) is the
 * network's masquerade flag, as for IPv4.
 */
#ifndef BOXNET_FW_H
#define BOXNET_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "netlink/fw/rule.h"

/* one network of one family, as the firewall sees it: a dual-stack network
 * is two, with the same bridge, one per family of @subnet (for IPv6 in routed
 * mode, masquerade false) */
struct fw_net {
	char bridge[16];
	struct ipprefix subnet;
	struct ipaddr gateway;
	bool internal, icc, masquerade;
	struct ipaddr snat;         /* com.docker.network.host_ipv4: SNAT to it;
				     * unset: MASQUERADE */
};

/*
 * fw_build - the whole rule set for @nets (networks with endpoints) and
 * @ports, into *@out, which it first empties (free it with fw_free, also
 * after a failure). With @ports_as_rules, published ports are rules
 * (iptables); without, the backend handles them in its own way (nft maps)
 * and only the per-network rules and hooks are produced. The rules of each
 * family (IPv4 first, then IPv6) have their hooks when there is a network of
 * that family; a port's family is its ctr_ip's, and a port of a family with
 * no network gets no rule. No network: no rule at all, not even the hooks.
 * No rule points into @nets or @ports:
 * they may be freed after. Returns 0 or -ENOMEM.
 */
int fw_build(const struct fw_net *nets, size_t nnets, const struct fw_port *ports, size_t nports,
	     bool ports_as_rules, struct fw_ruleset *out);

/* fw_free - free the rules of @r and leave it empty */
void fw_free(struct fw_ruleset *r);

/*
 * fw_add_vxlan - only the @npeers addresses at @peers may send VXLAN (UDP
 * @port) to this host: raw rules accepting each peer then dropping the rest,
 * appended to @r, hooked from PREROUTING (the hook is added when @r has none
 * yet), per family of the peers (no peer: the IPv4 drop only). 0 or
 * -ENOMEM (then @r holds what fit, with r->oom set).
 */
int fw_add_vxlan(struct fw_ruleset *r, uint16_t port, const struct ipaddr *peers, size_t npeers);

/*
 * fw_add_vxlan_plain_drop - VXLAN (UDP @port) for VNI @vni that did not come
 * through IPsec is dropped: the raw rule of an encrypted overlay, appended
 * to @r (hooked as fw_add_vxlan hooks; put it before the peers' rules).
 * 0 or -ENOMEM as fw_add_vxlan.
 */
int fw_add_vxlan_plain_drop(struct fw_ruleset *r, uint16_t port, uint32_t vni);

/* fw_port_rules - the rule of one published port (its DNAT in nat BOXNET; the
 * filter needs none), of the family of its ctr_ip, appended to @out; 0 or
 * -ENOMEM as fw_add_vxlan */
int fw_port_rules(const struct fw_port *p, struct fw_ruleset *out);

#endif
