/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firewall backends behind one small table of operations, so that their
 * caller (core/ops/firewall.c) names none of them: it looks one up by the
 * name that BOXNET_FIREWALL or the firewall state file gives, or lets
 * fw_backend_auto() pick, and "none" is no backend at all. Each backend
 * installs the same rule model (netlink/fw/rule.h), IPv4 and IPv6 rules
 * (fw_is6), its own way:
 *   iptables  legacy x_tables blobs, one atomic replace per table (ip_tables,
 *             then ip6_tables)
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
	/* one published port added to or taken from what apply installed, at a
	 * cost that does not grow with the number of single ports; -ENOENT when
	 * there is nothing installed to add to (then apply the whole set). Both
	 * NULL when the backend has no cheaper way than apply. */
	int (*port_add)(const struct fw_port *p);
	int (*port_del)(const struct fw_port *p);
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

/* fw_backend_auto - iptables where the kernel has legacy x_tables (so that
 * the host's iptables-legacy shows boxnet's rules beside its own) for both
 * families, else nft where nf_tables answers, else iptables for IPv4 only;
 * NULL when neither does. */
const struct fw_backend *fw_backend_auto(void);

/* xt_available_family - the legacy backend's kernel interface answers for
 * @family (AF_INET: ip_tables, AF_INET6: ip6_tables); xt_backend.available
 * is AF_INET's answer */
bool xt_available_family(int family);

#endif
