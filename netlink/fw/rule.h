/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A firewall rule as boxnet's backends take it: an iptables-like match and
 * verdict, in one of the raw, filter and nat tables. The vocabulary shared by
 * the rule model (core/model/fwmodel.c builds the rule set) and the backends
 * behind netlink/fw/backend.h that install it; fwrule_text() prints a rule
 * the way iptables-save does. Addresses are lib/addr.h's. Every rule belongs
 * to one family (iptables or ip6tables): family AF_INET6 for ip6tables, any
 * other value (0 too, for rules made before families existed) for iptables;
 * its addresses, if any, are of that family.
 */
#ifndef BOXNET_FWRULE_H
#define BOXNET_FWRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sys/socket.h>

#include "lib/addr.h"

enum fw_table { FW_RAW, FW_FILTER, FW_NAT, FW_NTABLES };

/* The filter chain of the user's own rules (Docker's DOCKER-USER), jumped to
 * first from FORWARD. Every backend makes it empty when missing and keeps what
 * the kernel holds in it: its rules are never flushed or rewritten. When
 * boxnet takes its rules away (an empty rule set) the chain and its jump stay
 * if it holds rules, and go with the rest if it is empty. */
#define FW_USER_CHAIN "BOXNET-USER"

enum fw_verdict { FW_ACCEPT, FW_DROP, FW_RETURN, FW_JUMP, FW_DNAT, FW_MASQUERADE, FW_SNAT };

struct fw_match {
	char iif[16], oif[16];      /* "" = any */
	bool not_iif, not_oif;
	bool not_src, not_dst;
	struct ipprefix src, dst;   /* an unset family: any address, no match */
	uint8_t proto;              /* 0 any, 6 tcp, 17 udp, 132 sctp */
	uint16_t dport_lo, dport_hi; /* 0 = any */
	bool dst_local, src_local;  /* addrtype LOCAL */
	bool ct_established;        /* ctstate RELATED,ESTABLISHED */
	bool ct_dnat;               /* ctstate DNAT: the connection was published */
	uint32_t vni;               /* the VXLAN header's VNI in the UDP payload
				     * (u32 match, nft @th,96,24); 0 = any */
	bool no_ipsec;              /* arrived without IPsec (policy --pol none,
				     * nft meta ipsec missing) */
};

struct fw_rule {
	enum fw_table table;
	const char *chain;          /* a built-in chain ("FORWARD") or one of boxnet's */
	struct fw_match m;
	enum fw_verdict verdict;
	const char *target;         /* FW_JUMP: the chain */
	struct ipaddr to_addr;      /* FW_DNAT, FW_SNAT */
	uint16_t to_lo, to_hi;      /* FW_DNAT ports; 0 = keep the packet's port */
	uint16_t to_base;           /* FW_DNAT: first port of a shifted range (offset mapping) */
	uint8_t family;             /* AF_INET6: ip6tables; else iptables (last: older
				     * positional initializers stay valid) */
};

/* one published port (range) */
struct fw_port {
	uint8_t proto;
	struct ipaddr host_ip;      /* an unset family: every local address */
	uint16_t host_lo, host_hi;
	struct ipaddr ctr_ip;
	uint16_t ctr_lo, ctr_hi;
	char bridge[16];
};

struct fw_ruleset {
	struct fw_rule *v;
	size_t n, cap;
	bool oom;
};

extern const char *const fw_table_names[FW_NTABLES];
/* the built-in chains of each table, in hook order (NULL-terminated) */
extern const char *const fw_builtins[FW_NTABLES][5];
/* boxnet's chains per table, sorted by name as iptables orders them */
extern const char *const fw_chains[FW_NTABLES][6];

/* fw_is6 - @r is an ip6tables rule */
static inline bool fw_is6(const struct fw_rule *r)
{
	return r->family == AF_INET6;
}

/* fwrule_text - one rule as "-A CHAIN …\n", iptables-save's (or for an IPv6
 * rule ip6tables-save's) canonical form */
void fwrule_text(const struct fw_rule *r, FILE *f);

/* fwrule_save_family - @t of the rules of @family (AF_INET or AF_INET6) as
 * iptables-save (ip6tables-save) text: the built-in and boxnet chains, the
 * built-ins' jumps to boxnet's chains, boxnet's rules. */
void fwrule_save_family(const struct fw_ruleset *r, int family, enum fw_table t, FILE *f);

/* fwrule_save - fwrule_save_family() of the IPv4 rules */
void fwrule_save(const struct fw_ruleset *r, enum fw_table t, FILE *f);

/* fwrule_has - @r has rules of @family; fwrule_save_all - raw, filter and nat
 * of the IPv4 rules, then, when @r has IPv6 rules, those of IPv6: what
 * iptables-save then ip6tables-save print */
bool fwrule_has(const struct fw_ruleset *r, int family);
void fwrule_save_all(const struct fw_ruleset *r, FILE *f);

#endif
