/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iptables-nft backend, iptnft_backend of backend.h: boxnet's rule set
 * (netlink/fw/rule.h) written over nf_tables netlink into the tables that
 * iptables-nft uses (`ip raw`, `ip filter`, `ip nat`), and its IPv6 rules
 * into ip6tables-nft's (`ip6 raw`, `ip6 filter`, `ip6 nat`: the same chains,
 * hooks and priorities; addresses at the IPv6 header's offsets, the xt
 * expressions with ip6t_entry's match and target data), each rule in the
 * expressions iptables-nft 1.8.9 writes for it, so that iptables-nft-save
 * (ip6tables-nft-save) prints exactly the lines iptables-legacy-save
 * (ip6tables-legacy-save) prints for the iptables backend. No iptables
 * binary is involved. This header is for the backend's
 * file, its unit tests and the test tools.
 *
 * What iptables-nft 1.8.9 writes (captured with strace and
 * `nft --debug=netlink`), and so this backend:
 *   - a table: NEWTABLE with its name only, created when missing;
 *   - a built-in chain, only when missing: a base chain with the hook and
 *     priority iptables-nft gives it (raw -300; filter 0; nat PREROUTING and
 *     OUTPUT -100, INPUT and POSTROUTING 100), type "nat" in nat, else
 *     "filter", policy accept. An existing chain is never changed;
 *   - a rule: meta iifname/oifname + cmp (the name and its NUL, or the prefix
 *     of a "name+"), meta l4proto + cmp (-p), ip saddr/daddr as
 *     nft_expr_prefix(), tcp/udp --dport as a transport payload + cmp (one
 *     port) or range (a range), every other match as an xt `match`
 *     expression (addrtype rev 1, conntrack rev 3, sctp rev 0) holding the
 *     legacy entry's match data, a counter, then an immediate verdict or an
 *     xt `target` (DNAT rev 2, MASQUERADE and SNAT rev 0); NFTA_RULE_COMPAT
 *     carries the protocol; no user data.
 *
 * apply: in ONE batch, guarded by the generation id under which the tables
 * were read (a concurrent change: read and try again, up to 5 times): take
 * away boxnet's jumps from the built-in chains and boxnet's chains (BOXNET,
 * BOXNET-*: flushed, and deleted unless still wanted; FW_USER_CHAIN is never
 * flushed, see rule.h), then put @r back: the
 * chains, the jumps at the top of the built-in chains in @r's order, the
 * rules. Every other rule, chain, policy and counter of those tables is kept.
 * With an empty @r a built-in chain that held boxnet's jumps and is now empty
 * with policy accept is deleted (to iptables the same as no chain), and so is
 * a table left with nothing in it. -EBUSY when a foreign rule jumps into a
 * boxnet chain that would go away; -EINVAL for a rule the encoder refuses.
 * Both families' tables change in the same batch.
 * render: fwrule_save_all(). No port_add/port_del, no
 * show: iptables-nft-save shows what the kernel holds.
 */
#ifndef BOXNET_IPTNFT_H
#define BOXNET_IPTNFT_H

#include "netlink/fw/nft_int.h"

/*
 * iptnft_rule_exprs - the expressions of @r as iptables-nft 1.8.9 writes
 * them (above), into the open NFTA_RULE_EXPRESSIONS of @w (a message of
 * @r's family). 0, or what xt_rule_encode() refuses (-EINVAL), -EINVAL for
 * an address prefix nf_tables cannot say ("! -s 0.0.0.0/0"), a jump without
 * a target, or a message of the other family.
 */
int iptnft_rule_exprs(struct nft_w *w, const struct fw_rule *r);

/*
 * iptnft_put_rule - one NEWRULE of @r into @b (table fw_table_names[r->table]
 * of @r's family,
 * chain r->chain, NFTA_RULE_COMPAT with r->m.proto): appended to the chain,
 * or with @top inserted at its beginning. 0 or iptnft_rule_exprs()' error;
 * b->err says whether the batch could hold it.
 */
int iptnft_put_rule(struct nft_batch *b, const struct fw_rule *r, bool top);

/* iptnft_base - hook number and priority iptables-nft gives built-in @chain
 * of @t; false for a name that is no built-in chain of @t */
bool iptnft_base(enum fw_table t, const char *chain, int *hook, int *prio);

#endif
