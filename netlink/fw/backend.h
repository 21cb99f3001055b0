/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firewall backends behind one small table of operations, so that their
 * caller (core/ops/firewall.c) names none of them: it looks one up by the
 * name that BOXNET_FIREWALL or the firewall state file gives, or lets
 * fw_backend_auto() pick from what fw_survey() found on the host, and "none"
 * is no backend at all. Each backend installs the same rule model
 * (netlink/fw/rule.h), IPv4 and IPv6 rules (fw_is6), its own way:
 *   iptables  legacy x_tables blobs, one atomic replace per table (ip_tables,
 *             then ip6_tables); a port change replaces nat only
 *   nft       one nf_tables table per family, published ports in maps
 *   iptables-nft  the iptables-nft (ip6tables-nft) tables over nf_tables, as
 *             iptables-nft writes
 *
 * Every operation that can fail returns 0 or -errno with a one-line reason
 * in nl_errmsg() (netlink/nl.h). None prints, but to the FILE it is given;
 * none keeps a pointer to what it is given. The table lives in static
 * storage: a backend pointer stays valid for the whole run, and two equal
 * pointers are the same backend.
 */
#ifndef BOXNET_FW_BACKEND_H
#define BOXNET_FW_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "netlink/fw/rule.h"

struct fw_backend {
	/* "iptables", "nft", "iptables-nft": what BOXNET_FIREWALL and the state file say */
	const char *name;
	/* fw_build() should make published ports rules (true), or leave them to
	 * the backend, which gets them as @ports (its own maps) */
	bool ports_as_rules;
	/* the kernel here offers what the backend needs */
	bool (*available)(void);
	/* make the kernel hold exactly @r and @ports, as atomically as the
	 * backend can (nft: one batch; iptables: one replace per table); an
	 * empty @r and no ports take everything of boxnet's away. Other rules of
	 * the host are left alone. */
	int (*apply)(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports);
	/* what apply would install, as the backend's own tool lists it
	 * (iptables-save then ip6tables-save, nft list) */
	void (*render)(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		       FILE *f);
	/* the @n published ports @p added to or taken from what apply
	 * installed, @r their rules as fw_build makes them (ports_as_rules
	 * backends install these; nft reads @p), everything around the
	 * kernel's own change costing the same however many other ports there
	 * are; -ENOENT when there is nothing installed to add to, or a port to
	 * take is not there (then apply the whole set). On any failure the
	 * caller applies the whole set again. Both NULL when the backend has no
	 * cheaper way than apply. */
	int (*port_add)(const struct fw_port *p, size_t n, const struct fw_ruleset *r);
	int (*port_del)(const struct fw_port *p, size_t n, const struct fw_ruleset *r);
	/* boxnet's part of what the kernel holds now, as render prints it; NULL
	 * when the backend's own tool is the way to look */
	int (*show)(FILE *f);
};

/* The backends, each defined with its own files, which also say in detail
 * what each operation does there (xt_int.h, nft_int.h). */
/* xt_backend - "iptables": legacy x_tables, boxnet's chains in raw, filter
 * and nat of ip_tables and ip6_tables, one atomic replace per table; ports
 * as rules; shows the kernel's */
extern const struct fw_backend xt_backend;
/* nft_backend - "nft": the tables ip boxnet and ip6 boxnet in one batch,
 * ports in maps (port_add/port_del cost the same however many there are) */
extern const struct fw_backend nft_backend;
/* iptnft_backend - "iptables-nft": boxnet's chains in iptables-nft's tables
 * ip raw, filter, nat (and ip6tables-nft's ip6 ones), in iptables-nft's
 * expressions, one batch; ports as rules; iptables-nft-save and
 * ip6tables-nft-save show the kernel's (iptnft.h) */
extern const struct fw_backend iptnft_backend;

/* fw_backend_find - the backend called @name; NULL for any other name
 * (including "none"). */
const struct fw_backend *fw_backend_find(const char *name);

/* ---- what the host's own firewall holds (read only) ---------------------- */

/* one iptables table: legacy x_tables' "filter", or nf_tables' "ip filter" */
struct fw_tabsum {
	char name[40];
	unsigned chains;    /* user-defined chains */
	unsigned rules;     /* rules in all its chains */
	char drops[48];     /* "FORWARD policy DROP": the first built-in chain
			     * whose policy is not ACCEPT; "" when none */
};

/* a forward hook chain of another nf_tables table that drops what it does
 * not accept itself (firewalld, fw4, an "inet filter" of policy drop) */
struct fw_dropper {
	char table[48];     /* "inet filter" */
	char chain[40];
	bool policy;        /* by its policy drop (else: its last rule drops all) */
};

#define FW_SURVEY_MAX 8

struct fw_survey {
	bool nft_ok;        /* nf_tables answers */
	bool no_ip6;        /* legacy x_tables answer for IPv4 but have no
			     * ip6_tables (xt_available_family) */
	bool iptnft;        /* iptables-nft's tables exist (an ip filter, nat, raw,
			     * mangle or security table with a built-in base chain) */
	struct fw_tabsum legacy[FW_SURVEY_MAX]; /* legacy tables that hold anything */
	size_t nlegacy;
	struct fw_tabsum nft[FW_SURVEY_MAX];    /* iptables-nft tables that hold anything */
	size_t nnft;
	struct fw_dropper drop[FW_SURVEY_MAX];  /* of every table but ip boxnet */
	size_t ndrop;
};

/*
 * fw_survey - what the host's firewall holds, changing nothing in the kernel:
 * the legacy tables /proc/net/ip_tables_names lists (a legacy table is never
 * read unless it exists: reading one would make it), iptables-nft's tables in
 * nf_tables, and the forward hook chains of the other nf_tables tables. A
 * table "holds" something when it has a user chain, a rule or a built-in
 * chain whose policy is not ACCEPT: an empty table with ACCEPT policies is
 * what the kernel makes on a first look (iptables -L, a loaded module) and
 * filters nothing. What cannot be read counts as empty. 0 or -ENOMEM.
 */
int fw_survey(struct fw_survey *s);

/* xt_survey - fw_survey's legacy part (xt.c); nft_survey - its nf_tables part */
void xt_survey(struct fw_survey *s);
int nft_survey(struct fw_survey *s);

/*
 * fw_backend_auto - the backend that fits the host as @s found it, with the
 * reason in @why (one line, no newline):
 *   - legacy x_tables hold rules and nf_tables' iptables tables do not:
 *     iptables (the host's iptables is iptables-legacy; boxnet's accepts must
 *     be in the FORWARD chain its policy applies to);
 *   - iptables-nft's tables exist and legacy holds nothing: iptables-nft;
 *   - both hold rules (a mixed host): the side whose FORWARD has policy DROP
 *     when only one has, else iptables-nft (what iptables is on current
 *     distributions); fw_status warns;
 *   - where the two above would pick iptables but legacy has no ip6_tables
 *     (@s->no_ip6) and nf_tables answers: iptables-nft, which covers IPv6
 *     networks too (@why says so);
 *   - nothing in use: iptables-nft where nf_tables answers, else iptables
 *     where legacy x_tables answer, else NULL.
 * nft, boxnet's own table with maps, is never auto's choice: it is asked for.
 */
const struct fw_backend *fw_backend_auto(const struct fw_survey *s, char *why, size_t len);

/* xt_available_family - the legacy backend's kernel interface answers for
 * @family (AF_INET: ip_tables, AF_INET6: ip6_tables); xt_backend.available
 * is AF_INET's answer */
bool xt_available_family(int family);

#endif
