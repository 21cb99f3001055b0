// SPDX-License-Identifier: GPL-2.0-or-later
/* Rules as iptables-save prints them: what netfw show and --dry-run print. */
#include "netlink/fw/rule.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/ipproto.h"

const char *const fw_table_names[FW_NTABLES] = { "raw", "filter", "nat" };

const char *const fw_builtins[FW_NTABLES][5] = {
	[FW_RAW] = { "PREROUTING", "OUTPUT" },
	[FW_FILTER] = { "INPUT", "FORWARD", "OUTPUT" },
	[FW_NAT] = { "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING" },
};

const char *const fw_chains[FW_NTABLES][6] = {
	[FW_RAW] = { "BOXNET-RAW" },
	[FW_FILTER] = { "BOXNET", "BOXNET-BRIDGE", "BOXNET-CT", "BOXNET-FORWARD", "BOXNET-INTERNAL",
		        "BOXNET-USER" },
	[FW_NAT] = { "BOXNET", "BOXNET-POSTROUTING" },
};

/* iptables-save's word for a protocol; "all" is its word for any */
static const char *proto_name(uint8_t p)
{
	const char *n = ipproto_name(p);

	return n ? n : "all";
}

/* the canonical iptables-save spelling, option order as iptables prints it */
void fwrule_text(const struct fw_rule *r, FILE *f)
{
	const struct fw_match *m = &r->m;
	char a[PFX_STRLEN];

	fprintf(f, "-A %s", r->chain);
	if (ip_is_set(&m->src.a))
		fprintf(f, "%s -s %s", m->not_src ? " !" : "", pfx_format(&m->src, a));
	if (ip_is_set(&m->dst.a))
		fprintf(f, "%s -d %s", m->not_dst ? " !" : "", pfx_format(&m->dst, a));
	if (m->iif[0])
		fprintf(f, "%s -i %s", m->not_iif ? " !" : "", m->iif);
	if (m->oif[0])
		fprintf(f, "%s -o %s", m->not_oif ? " !" : "", m->oif);
	if (m->proto)
		fprintf(f, " -p %s", proto_name(m->proto));
	if (m->dport_lo) {
		fprintf(f, " -m %s --dport %u", proto_name(m->proto), m->dport_lo);
		if (m->dport_hi != m->dport_lo)
			fprintf(f, ":%u", m->dport_hi);
	}
	if (m->vni)
		fprintf(f, " -m u32 --u32 \"0x0>>0x16&0x3c@0xc>>0x8=0x%x\"", m->vni);
	if (m->no_ipsec)
		fputs(" -m policy --dir in --pol none", f);
	if (m->src_local)
		fprintf(f, " -m addrtype --src-type LOCAL");
	if (m->dst_local)
		fprintf(f, " -m addrtype --dst-type LOCAL");
	if (m->ct_established)
		fprintf(f, " -m conntrack --ctstate RELATED,ESTABLISHED");
	if (m->ct_dnat)
		fprintf(f, " -m conntrack --ctstate DNAT");
	switch (r->verdict) {
	case FW_ACCEPT: fputs(" -j ACCEPT", f); break;
	case FW_DROP: fputs(" -j DROP", f); break;
	case FW_RETURN: fputs(" -j RETURN", f); break;
	case FW_JUMP: fprintf(f, " -j %s", r->target); break;
	case FW_MASQUERADE: fputs(" -j MASQUERADE", f); break;
	case FW_SNAT: fprintf(f, " -j SNAT --to-source %s", ip_format(&r->to_addr, a)); break;
	case FW_DNAT:
		/* ip6tables brackets an address that a port follows */
		fprintf(f, r->to_lo && r->to_addr.family == AF_INET6 ? " -j DNAT --to-destination [%s]"
								     : " -j DNAT --to-destination %s",
			ip_format(&r->to_addr, a));
		if (r->to_lo) {
			fprintf(f, ":%u", r->to_lo);
			if (r->to_hi != r->to_lo)
				fprintf(f, "-%u", r->to_hi);
			if (r->to_base)
				fprintf(f, "/%u", r->to_base);
		}
		break;
	}
	fputc('\n', f);
}

/* the rule is of table @t and of @family */
static bool in(const struct fw_rule *x, int family, enum fw_table t)
{
	return x->table == t && fw_is6(x) == (family == AF_INET6);
}

bool fwrule_has(const struct fw_ruleset *r, int family)
{
	for (size_t i = 0; i < r->n; i++)
		if (fw_is6(&r->v[i]) == (family == AF_INET6))
			return true;
	return false;
}

void fwrule_save(const struct fw_ruleset *r, enum fw_table t, FILE *f)
{
	fwrule_save_family(r, AF_INET, t, f);
}

void fwrule_save_all(const struct fw_ruleset *r, FILE *f)
{
	for (int t = 0; t < FW_NTABLES; t++)
		fwrule_save_family(r, AF_INET, t, f);
	for (int t = 0; fwrule_has(r, AF_INET6) && t < FW_NTABLES; t++)
		fwrule_save_family(r, AF_INET6, t, f);
}

void fwrule_save_family(const struct fw_ruleset *r, int family, enum fw_table t, FILE *f)
{
	bool any = false;

	for (size_t i = 0; i < r->n && !any; i++)
		any = in(&r->v[i], family, t);
	fprintf(f, "*%s\n", fw_table_names[t]);
	for (int b = 0; b < 5 && fw_builtins[t][b]; b++)
		fprintf(f, ":%s ACCEPT [0:0]\n", fw_builtins[t][b]);
	for (int c = 0; any && c < 6 && fw_chains[t][c]; c++)
		fprintf(f, ":%s - [0:0]\n", fw_chains[t][c]);
	/* built-in chains first, then boxnet's, each in rule order */
	for (int b = 0; b < 5 && fw_builtins[t][b]; b++)
		for (size_t i = 0; i < r->n; i++)
			if (in(&r->v[i], family, t) && !strcmp(r->v[i].chain, fw_builtins[t][b]))
				fwrule_text(&r->v[i], f);
	for (int c = 0; c < 6 && fw_chains[t][c]; c++)
		for (size_t i = 0; i < r->n; i++)
			if (in(&r->v[i], family, t) && !strcmp(r->v[i].chain, fw_chains[t][c]))
				fwrule_text(&r->v[i], f);
	fputs("COMMIT\n", f);
}
