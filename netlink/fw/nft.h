/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nf_tables backend: boxnet's rule set (netlink/fw/rule.h) as the table
 * `ip boxnet`, committed over NETLINK_NETFILTER in one batch per command.
 *
 * Layout of the table:
 *   - each built-in chain that has rules is a base chain named TABLE-CHAIN
 *     ("filter-FORWARD", "nat-PREROUTING", "raw-PREROUTING"; Docker's names);
 *   - boxnet's chains keep their iptables names; a name already used by an
 *     earlier table gets the table's prefix (nat's BOXNET is "nat-BOXNET");
 *   - published ports are elements of maps and sets, reached by one rule each,
 *     so that a packet's path and a port's cost do not grow with their number:
 *       ports            l4proto . port        : address . port   (hash)
 *       port-ranges      l4proto . port range  : address          (interval)
 *       host-ports       daddr . l4proto . port       : address . port
 *       host-port-ranges daddr . l4proto . port range : address
 *     looked up by nat-BOXNET ("dnat to ... map @..."), and the sets
 *       published        address . l4proto . port        (hash)
 *       published-ranges address . l4proto . port range  (interval)
 *       bridges          "BR" . "BR" for every bridge    (hash)
 *     looked up by filter BOXNET before the per-network drops:
 *       iifname . oifname != @bridges ip daddr . ... @published ct status dnat accept
 *     (the iptables rule's "! -i BRIDGE -o BRIDGE": not from the bridge itself;
 *     "ct status dnat": only connections that came through a published port).
 *     A range that keeps its numbers is one interval element with an
 *     address-only DNAT; any other range (shifted, or many host ports to one
 *     container port) is one element per port. Several ports to the same
 *     container port share one published element, whose reference count lives
 *     in the element's user data. No element is a jump/goto verdict: those
 *     make the kernel re-validate every chain and element on each change.
 *
 * nft_int.h holds the parts inside.
 */
#ifndef BOXNET_NFT_H
#define BOXNET_NFT_H

#include "netlink/fw/backend.h"

/*
 * nft_backend - "nft", published ports in the maps above (not as rules).
 *
 * available: the kernel answers NFT_MSG_GETGEN.
 * apply: the table replaced in one batch (nft_apply in nft_int.h); an
 * empty rule set without ports deletes it. No other table is touched.
 * render: the table as `nft list table ip boxnet` (nft 1.0.6) prints it.
 * port_add, port_del: the port's map and set elements in one batch on the
 * installed table (nft_port_add in nft_int.h): -EEXIST for a taken key,
 * -ENOENT when the table (or, deleting, the port) is not there.
 * show: none; `nft list table ip boxnet` shows what the kernel holds.
 */
extern const struct fw_backend nft_backend;

#endif
