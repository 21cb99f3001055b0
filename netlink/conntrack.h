/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conntrack entries over ctnetlink (NETLINK_NETFILTER, NFNL_SUBSYS_CTNETLINK).
 * Backend-independent: both firewall backends publish ports through NAT,
 * and NAT is only looked up for a connection's first packet.
 */
#ifndef BOXNET_CONNTRACK_H
#define BOXNET_CONNTRACK_H

#include <stddef.h>
#include <stdint.h>

/*
 * ct_flush_udp_port - delete the conntrack entries (IPv4 and IPv6) whose original tuple
 * is UDP to destination port @port, so that a flow that was already arriving
 * before the port was published (its entry says "to the host itself") gets a
 * fresh entry, and with it the DNAT, on its next packet. Returns how many
 * entries were deleted, or -errno with the step that failed in nl_errmsg()
 * (entries deleted before the failure stay deleted). An entry that vanished
 * between the dump and its delete is no failure.
 */
int ct_flush_udp_port(uint16_t port);

/* ct_flush_udp_ports - the same for every destination port in [@lo, @hi],
 * with one dump of the table (a published range) */
int ct_flush_udp_ports(uint16_t lo, uint16_t hi);

#endif
