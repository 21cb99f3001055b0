/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The legacy iptables backend: boxnet's rules as the kernel's x_tables blob
 * (the ipt_entry records that IPT_SO_SET_REPLACE takes), committed with one
 * atomic replace per table, without any iptables binary. See KERNEL-NOTES.md
 * section 4 for the ABI, and xt_int.h for the parts inside.
 *
 * boxnet owns, in each of raw, filter and nat, the user chains named BOXNET
 * or BOXNET-* and the jumps into them from the built-in chains. Everything
 * else of a table (other chains, their rules, policies, counters) is kept
 * byte for byte: only the offsets of its jumps are rewritten.
 */
#ifndef BOXNET_XT_H
#define BOXNET_XT_H

#include "netlink/fw/backend.h"

/*
 * xt_backend - "iptables", published ports as rules.
 *
 * available: IPT_SO_GET_INFO on "filter" answers in this network namespace.
 *
 * apply: for each of raw, filter, nat, make the table hold exactly @r's
 * rules of that table in boxnet's chains, and boxnet's hook jumps (the rules
 * of @r whose chain is a built-in one) at the top of the built-in chains, in
 * @r's order, above any other rule (@ports are already rules of @r: unused).
 * Every other chain and rule is kept, with its counters
 * (IPT_SO_SET_ADD_COUNTERS). One atomic IPT_SO_SET_REPLACE per table that
 * changes; a table whose boxnet part is already right is not touched. Runs
 * under flock(/run/xtables.lock), the lock iptables-legacy takes, and starts
 * a table over when the kernel says EAGAIN (someone changed it without the
 * lock). An empty @r removes boxnet's chains and jumps. Chain policies are
 * never changed. Errors: -EINVAL (a rule the backend cannot express), -EMLINK
 * (a foreign rule jumps into a boxnet chain that would go away), -ENOENT (the
 * table is missing), -EPERM, -ENOMEM, or what the kernel returned. Tables are
 * replaced in the order raw, filter, nat: on failure the ones before stay
 * replaced.
 *
 * render: fwrule_save() of raw, filter and nat.
 *
 * port_add, port_del: none (a port is a change of the whole table).
 *
 * show: boxnet's part of each table as the kernel holds it now, in
 * fwrule_save()'s layout (equal to render's when the kernel is in sync and
 * the policies are ACCEPT); a rule in a boxnet chain that boxnet cannot
 * decode shows as a "# " comment line. A table that cannot be read is left
 * out; the first such error is returned.
 */
extern const struct fw_backend xt_backend;

#endif
