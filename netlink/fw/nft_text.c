// SPDX-License-Identifier: GPL-2.0-or-later
/* The tables as `nft list table ip boxnet` and `nft list table ip6 boxnet`
 * (nft 1.0.6) print them after nft_apply: maps first, then chains in
 * creation order, one rule a line. */
#include "lib/errstr.h"
#include "netlink/fw/nft_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/ipproto.h"

static const char *const hooks[] = { "prerouting", "input", "forward", "output", "postrouting" };

/* nft's word for a protocol; "?" where the model has one nft would not */
static const char *proto_name(uint8_t p)
{
	const char *n = ipproto_name(p);

	return n ? n : "?";
}

/* one statement of a rule line: space-separated */
static void part(FILE *f, bool *first, const char *fmt, ...)
{
	va_list ap;

	if (!*first)
		fputc(' ', f);
	*first = false;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

/* nft prints the network of a prefix, and no length for one address */
static void prefix(FILE *f, bool *first, const char *what, const struct ipprefix *p, bool inv)
{
	struct ipaddr net = pfx_first(p);
	char a[IP_STRLEN];

	if (!p->len)
		return;
	part(f, first, "%s %s %s%s", net.family == AF_INET6 ? "ip6" : "ip", what, inv ? "!= " : "",
	     ip_format(&net, a));
	if (p->len < (net.family == AF_INET6 ? 128 : 32))
		fprintf(f, "/%u", p->len);
}

static void matches(FILE *f, bool *first, const struct fw_match *m)
{
	if (ip_is_set(&m->src.a))
		prefix(f, first, "saddr", &m->src, m->not_src);
	if (ip_is_set(&m->dst.a))
		prefix(f, first, "daddr", &m->dst, m->not_dst);
	if (m->iif[0])
		part(f, first, "iifname %s\"%s\"", m->not_iif ? "!= " : "", m->iif);
	if (m->oif[0])
		part(f, first, "oifname %s\"%s\"", m->not_oif ? "!= " : "", m->oif);
	if (m->proto && !m->dport_lo)
		part(f, first, "meta l4proto %s", proto_name(m->proto));
	if (m->proto && m->dport_lo) {
		part(f, first, "%s dport %u", proto_name(m->proto), m->dport_lo);
		if (m->dport_hi > m->dport_lo)
			fprintf(f, "-%u", m->dport_hi);
	}
	if (m->vni)
		part(f, first, "@th,96,24 0x%x", m->vni);
	if (m->no_ipsec)
		part(f, first, "meta ipsec missing");
	if (m->src_local)
		part(f, first, "fib saddr type local");
	if (m->dst_local)
		part(f, first, "fib daddr type local");
	if (m->ct_established)
		part(f, first, "ct state established,related");
	if (m->ct_dnat)
		part(f, first, "ct status dnat");
}

static void rule_text(FILE *f, const struct fw_rule *r, const char *target)
{
	bool first = true;
	char a[IP_STRLEN];

	fputs("\t\t", f);
	matches(f, &first, &r->m);
	switch (r->verdict) {
	case FW_ACCEPT: part(f, &first, "accept"); break;
	case FW_DROP: part(f, &first, "drop"); break;
	case FW_RETURN: part(f, &first, "return"); break;
	case FW_JUMP: part(f, &first, "jump %s", target ? target : "?"); break;
	case FW_MASQUERADE: part(f, &first, "masquerade"); break;
	case FW_SNAT: part(f, &first, "snat to %s", ip_format(&r->to_addr, a)); break;
	case FW_DNAT:
		part(f, &first, r->to_lo && fw_is6(r) ? "dnat to [%s]" : "dnat to %s",
		     ip_format(&r->to_addr, a));
		if (r->to_lo)
			fprintf(f, ":%u", r->to_lo);
		if (r->to_lo && r->to_hi > r->to_lo)
			fprintf(f, "-%u", r->to_hi);
		break;
	}
	fputc('\n', f);
}

static void elem_text(FILE *f, const struct nft_elem *e)
{
	char a[IP_STRLEN];

	if (e->map != NFT_PORTS && e->map != NFT_PORT_RANGES)
		fprintf(f, "%s . ", ip_format(&e->addr, a));
	fprintf(f, "%s . %u", proto_name(e->proto), e->lo);
	if (e->hi > e->lo)
		fprintf(f, "-%u", e->hi);
	switch (e->map) {
	case NFT_PORTS:
	case NFT_HOST_PORTS: fprintf(f, " : %s . %u", ip_format(&e->to_addr, a), e->to_port); break;
	case NFT_PORT_RANGES:
	case NFT_HOST_RANGES: fprintf(f, " : %s", ip_format(&e->to_addr, a)); break;
	default: break;
	}
}

static int by_nft_order(const void *x, const void *y)
{
	return nft_elem_cmp(*(const struct nft_elem *const *)x, *(const struct nft_elem *const *)y);
}

/* hash maps come sorted by nft; interval maps in the kernel's (insertion) order */
static void elements(FILE *f, const struct nft_plan *p, enum nft_map m)
{
	const struct nft_elem **v = malloc((p->nelems + 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return;
	for (size_t i = 0; i < p->nelems; i++)
		if (p->elems[i].map == m)
			v[n++] = &p->elems[i];
	if (!(nft_maps[m].flags & NFT_SET_INTERVAL))
		qsort(v, n, sizeof(*v), by_nft_order);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n\t\t\t     " : "\t\telements = { ", f);
		elem_text(f, v[i]);
	}
	if (n)
		fputs(" }\n", f);
	free(v);
}

static void prio_text(FILE *f, const struct nft_chain *c)
{
	if (c->prio == -100 && c->hook == 0)
		fputs("dstnat", f);
	else if (c->prio == 100 && c->hook == 4)
		fputs("srcnat", f);
	else if (c->prio == 0)
		fputs("filter", f);
	else if (c->prio == -300)
		fputs("raw", f);
	else
		fprintf(f, "%d", c->prio);
}

static void chain_text(FILE *f, const struct nft_chain *c, const struct fw_ruleset *r)
{
	char target[NFT_NAMESZ];
	const char *t;

	fprintf(f, "\tchain %s {\n", c->name);
	if (c->base) {
		fprintf(f, "\t\ttype %s hook %s priority ", c->type, hooks[c->hook]);
		prio_text(f, c);
		fputs("; policy accept;\n", f);
	}
	for (int i = 0; (t = nft_map_rule_text(c, i)); i++)
		fprintf(f, "\t\t%s\n", t);
	for (size_t i = 0; i < r->n; i++) {
		const struct fw_rule *x = &r->v[i];

		if (fw_is6(x) == (c->family == NFPROTO_IPV6) && x->table == c->table &&
		    !strcmp(x->chain, c->fwname))
			rule_text(f, x, x->verdict == FW_JUMP ?
					       nft_chain_name(x->table, x->target, target) : NULL);
	}
	fputs("\t}\n", f);
}

static void table_text(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		       int family, FILE *f)
{
	struct nft_plan p;
	int ret = nft_plan_build(r, ports, nports, family, &p);

	if (ret) {
		fprintf(f, "# cannot render the rule set for nf_tables: %s\n", errstr(-ret));
		return;
	}
	if (!p.empty) {
		fprintf(f, "table %s " NFT_TABLE " {\n", family == AF_INET6 ? "ip6" : "ip");
		for (int m = 0; m < NFT_NMAPS; m++) {
			fprintf(f, "%s\t%s %s {\n\t\ttype %s\n", m ? "\n" : "",
				nft_maps[m].flags & NFT_SET_MAP ? "map" : "set", nft_maps[m].name,
				nft_mapdef(p.family, m)->text);
			if (nft_maps[m].flags & NFT_SET_INTERVAL)
				fputs("\t\tflags interval\n", f);
			elements(f, &p, m);
			fputs("\t}\n", f);
		}
		for (size_t i = 0; i < p.nchains; i++) {
			fputc('\n', f);
			chain_text(f, &p.chains[i], r);
		}
		fputs("}\n", f);
	}
	nft_plan_free(&p);
}

void nft_text(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports, FILE *f)
{
	table_text(r, ports, nports, AF_INET, f);
	table_text(r, ports, nports, AF_INET6, f);
}
