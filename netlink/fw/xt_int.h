/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The legacy iptables backend, xt_backend of backend.h: boxnet's rules as the
 * kernel's x_tables blob (the ipt_entry records that IPT_SO_SET_REPLACE
 * takes), committed with one atomic replace per table, without any iptables
 * binary. See KERNEL-NOTES.md section 4 for the ABI. This header is for the
 * backend's own files, its unit tests and the test tools.
 *
 * IPv6 rules (fw_is6) go to ip6_tables the same way: its own blob format
 * (ip6t_entry: a 136-byte ip6t_ip6 where ipt_entry has its 84-byte ipt_ip,
 * so 168 bytes of header instead of 112; the rest, matches, targets,
 * getinfo, replace and the sockopt numbers, is the same) over an AF_INET6
 * raw socket at level IPPROTO_IPV6. Every function below that sees raw
 * entries takes the family; the table remembers its own.
 *
 * boxnet owns, in each of raw, filter and nat, the user chains named BOXNET
 * or BOXNET-* and the jumps into them from the built-in chains. Everything
 * else of a table (other chains, their rules, policies, counters) is kept
 * byte for byte: only the offsets of its jumps are rewritten.
 *
 * xt_backend's operations (xt.c, the only file that talks to the kernel):
 *
 * available: IPT_SO_GET_INFO on "filter" answers in this network namespace
 * (IPv4; xt_available_family() asks about either family).
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
 * replaced in the order raw, filter, nat, IPv4 then IPv6: on failure the
 * ones before stay replaced. The IPv6 tables are touched only when @r has
 * IPv6 rules or they hold boxnet's chains; when @r has IPv6 rules and the
 * kernel has no ip6_tables, apply fails before changing anything
 * (-EAFNOSUPPORT, "ip6tables: this kernel has no ip6_tables ...").
 *
 * render: fwrule_save_all(): iptables-save text, then ip6tables-save text
 * when there are IPv6 rules.
 *
 * port_add, port_del: the ports' rules (@r: their DNATs, in nat BOXNET)
 * spliced into the nat table of their family as the kernel holds it: each
 * appended at the end of its chain (after the ports already there: a full
 * apply orders them as the state lists them, so the two may list the same
 * rules in another order), or, deleting, the first entry of the chain equal
 * to its encoding taken out (xt_blob_same: counters aside, as iptables -D
 * compares). One IPT_SO_SET_REPLACE of nat per family (IPv4 first), under
 * the lock, started over on EAGAIN; no other table is read. -ENOENT when
 * the table or chain is not there, or a rule to take is not (the caller
 * applies the whole set); other errors as apply's.
 *
 * show: boxnet's part of each table as the kernel holds it now (the IPv6
 * tables after the IPv4 ones, when they hold boxnet's chains), in
 * fwrule_save()'s layout (equal to render's when the kernel is in sync and
 * the policies are ACCEPT); a rule in a boxnet chain that boxnet cannot
 * decode shows as a "# " comment line. A table that cannot be read is left
 * out; the first such error is returned.
 *
 * The rest is pure, declared below: xt_blob.c parses and serialises a table
 * (entries with jumps as references), xt_edit.c swaps boxnet's part of it,
 * xt_rule.c encodes a rule as an entry, xt_show.c decodes and prints them.
 */
#ifndef BOXNET_XT_INT_H
#define BOXNET_XT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netlink/fw/rule.h"


#define XT_NHOOKS 5
#define XT_ENTRY_MAX 4096 /* the largest entry xt_rule_encode() writes (a u32 match is 2 KiB) */
#define XT_ENTRY_SMALL 256 /* what xt_entry_error and xt_entry_verdict write, at most */

/* the header of an entry of @family (sizeof ipt_entry or ip6t_entry), and
 * where its target_offset is (next_offset follows it, then comefrom);
 * xt_rule.c checks these numbers against the kernel headers */
static inline size_t xt_hdr_len(int family)
{
	return family == AF_INET6 ? 168 : 112;
}

static inline size_t xt_toff_at(int family)
{
	return family == AF_INET6 ? 140 : 88;
}

/* target_offset and next_offset of the entry at @e (entries are 8-aligned) */
static inline uint16_t xt_toff(int family, const void *e)
{
	return *(const uint16_t *)((const char *)e + xt_toff_at(family));
}

static inline uint16_t xt_next(int family, const void *e)
{
	return *(const uint16_t *)((const char *)e + xt_toff_at(family) + 2);
}

/* whether the @n bytes at @p are all zero (an unset address, an entry's
 * empty match part) */
static inline bool xt_all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* one ipt_entry of a table */
struct xt_ent {
	unsigned char *b; /* the entry's bytes, next_offset long (owned) */
	uint32_t len;
	int orig;         /* its index in the parsed blob (for its counters); -1 if new */
	int jump;         /* standard target jump: index in xt_table.e of the entry it
			   * goes to (whose offset the serialiser writes); -1 if none */
};

/*
 * A table being edited. @e holds every entry ever seen (the parsed ones first,
 * in blob order, then the added ones) and never shrinks, so jump references
 * stay valid; @order lists the entries of the table as it will be written.
 * Hook starts and underflows are entry indexes too (-1 for invalid hooks).
 */
struct xt_table {
	char name[32];
	int family;       /* AF_INET (ipt_entry) or AF_INET6 (ip6t_entry) */
	uint32_t valid_hooks;
	struct xt_ent *e;
	size_t n, cap;
	int *order;
	size_t norder;
	int hook_entry[XT_NHOOKS], underflow[XT_NHOOKS];
};

/*
 * xt_table_parse - read a blob of @family's entries as IPT_SO_GET_ENTRIES
 * (IP6T_SO_GET_ENTRIES) returns it. @name,
 * @valid_hooks, @hook_entry and @underflow come from IPT_SO_GET_INFO (offsets
 * of hooks not in @valid_hooks are ignored); @num_entries is checked. Returns
 * 0, -EPROTO (malformed: bad sizes, a jump or hook to no entry) or -ENOMEM.
 * Free with xt_table_free(), also after a failure.
 */
int xt_table_parse(struct xt_table *t, int family, const char *name, uint32_t valid_hooks,
		   const uint32_t hook_entry[XT_NHOOKS], const uint32_t underflow[XT_NHOOKS],
		   const void *blob, size_t size, unsigned int num_entries);
void xt_table_free(struct xt_table *t);

/* xt_table_add - append a copy of the entry @entry (@len bytes) to t->e, not
 * to the order; returns its index or -ENOMEM. */
int xt_table_add(struct xt_table *t, const void *entry, uint32_t len);

/*
 * xt_table_set - replace boxnet's part of @t by the rules of @r in table @ft
 * of the table's family:
 * drop every chain named BOXNET or BOXNET-* and every jump into one from a
 * built-in chain; add boxnet's chains (those of fw_chains[@ft] and any other
 * a rule names) at their place in name order, and the hook jumps at the top
 * of their built-in chains. A jump of a foreign chain into a boxnet chain is
 * pointed at the new chain of that name. Returns 0, -EINVAL (a rule in a
 * foreign chain, a hook rule that is not a jump to a boxnet chain, a rule the
 * encoder refuses), -EMLINK (a foreign rule jumps into a boxnet chain that is
 * not in @r) or -ENOMEM; @t is unusable after a failure (free it).
 */
int xt_table_set(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft);

/*
 * xt_table_splice - the rules of @r in table @ft of @t's family into @t, by
 * chain: with @add appended to the end of their chain (before its RETURN
 * tail), else for each the first entry of its chain equal to its encoding
 * (xt_blob_same) taken out; a jump into a chain whose first entry changed
 * is aimed at the new first one. Only boxnet's chains (not FW_USER_CHAIN),
 * no jump rules. 0, -ENOENT (a chain not in @t; deleting, a rule not in its
 * chain), -EINVAL (a rule the encoder refuses, or of a chain or kind above),
 * -EPROTO (a chain without its tail), -ENOMEM; @t is unusable after a
 * failure (free it).
 */
int xt_table_splice(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft, bool add);

/*
 * xt_table_blob - serialise @t as a struct ipt_replace followed by its
 * entries (every offset, jump, hook_entry, underflow, num_entries and size
 * recomputed; 0 for invalid hooks; num_counters and counters left 0 for the
 * caller). *@out is malloc'ed, *@len its total size. 0, -E2BIG or -ENOMEM.
 */
int xt_table_blob(const struct xt_table *t, void **out, size_t *len);

/* xt_blob_same - the entries of @family @a and @b (@size bytes each) are
 * equal but for the kernel's scratch fields (comefrom, counters). */
bool xt_blob_same(int family, const void *a, const void *b, size_t size);

/* xt_table_show - boxnet's part of @t (table @ft) as xt_show_kernel() prints it */
void xt_table_show(const struct xt_table *t, enum fw_table ft, FILE *f);

/* xt_is_boxnet - @chain is one of boxnet's: "BOXNET" or "BOXNET-..." */
bool xt_is_boxnet(const char *chain);

/*
 * xt_rule_encode - @r as one ipt_entry (ip6t_entry for an IPv6 rule) in @buf
 * (@cap bytes, zeroed here): the ip header part, then the matches in the
 * order fwrule_text() prints them (tcp/udp/sctp, addrtype, conntrack), then
 * the target, as iptables-legacy (ip6tables-legacy) 1.8.9 writes them. A
 * jump (FW_JUMP) gets verdict 0: the serialiser writes the offset. Returns
 * the entry's length or -EINVAL (an unknown protocol, a port without a
 * protocol, an over-long interface name, an address not of the rule's
 * family, a SNAT to no address) or -EMSGSIZE.
 */
int xt_rule_encode(const struct fw_rule *r, void *buf, size_t cap);

/* xt_entry_error - an ERROR entry of @family (chain head, or the table's
 * end with "ERROR") into @buf of XT_ENTRY_SMALL bytes; returns its length. */
int xt_entry_error(int family, const char *name, void *buf);
/* xt_entry_verdict - an unconditional standard entry of @family (RETURN
 * tail, policy): @verdict as the kernel encodes it (-NF_ACCEPT - 1...).
 * Returns its length. */
int xt_entry_verdict(int family, int verdict, void *buf);

/*
 * xt_rule_decode - the inverse of xt_rule_encode() for the entry of @family
 * at @e (@len bytes). Fills @r but for table, chain and target (a jump's
 * verdict is FW_JUMP; the caller names the chain). 0, or -EOPNOTSUPP for an
 * entry boxnet would not have written.
 */
int xt_rule_decode(int family, const void *e, size_t len, struct fw_rule *r);

/* helpers on raw entries of @f (AF_INET, AF_INET6), for the table layer */
const char *xt_entry_target(int f, const void *e);        /* target name ("" standard) */
int xt_entry_std_verdict(int f, const void *e, uint32_t len, int *verdict); /* 0 or -ENOENT */
void xt_entry_set_verdict(int f, void *e, int verdict); /* a standard target's verdict */
const char *xt_entry_errorname(int f, const void *e);   /* NULL unless an ERROR entry */

#endif
