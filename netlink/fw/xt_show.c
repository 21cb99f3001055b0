// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading boxnet's rules back from a table: an ipt_entry (ip6t_entry) -> struct fw_rule
 * (the inverse of xt_rule_encode), and boxnet's part of a parsed table as
 * iptables-save text. Pure but for writing to the FILE it is given.
 */
#include "netlink/fw/xt_int.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_policy.h>
#include <linux/netfilter/xt_u32.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_sctp.h>
#include <linux/netfilter/xt_tcpudp.h>

#define CT_ESTABLISHED \
	(XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) | XT_CONNTRACK_STATE_BIT(IP_CT_RELATED))
#define ADDRTYPE_LOCAL (1 << 2)
#define INV_KNOWN (IPT_INV_VIA_IN | IPT_INV_VIA_OUT | IPT_INV_SRCIP | IPT_INV_DSTIP)

static const char *const hook_names[XT_NHOOKS] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"
};

/* an address match of @alen bytes (network order); a contiguous mask only;
 * ::/0 (not inverted) is no match: left unset */
static int get_prefix(int fam, const unsigned char *addr, const unsigned char *mask, bool inv,
		      struct ipprefix *p)
{
	size_t alen = fam == AF_INET6 ? 16 : 4;
	int len = 0;

	for (size_t i = 0; i < alen; i++)
		len += __builtin_popcount(mask[i]);
	for (size_t i = 0; i < alen; i++) {
		int bits = len - 8 * (int)i;

		if (mask[i] != (bits >= 8 ? 0xff : bits > 0 ? (unsigned char)(0xff00 >> bits) : 0))
			return -EOPNOTSUPP;
	}
	memset(p, 0, sizeof(*p));
	if ((len || inv) && !ip_from_bytes(fam, addr, alen, &p->a))
		p->len = (uint8_t)len;
	return 0;
}

static int get_iface(const char *name, const unsigned char *mask, char *out)
{
	size_t n = strnlen(name, IFNAMSIZ);
	unsigned char want[IFNAMSIZ] = { 0 };

	if (n == IFNAMSIZ)
		return -EOPNOTSUPP;
	if (n)
		memset(want, 0xff, name[n - 1] == '+' ? n - 1 : n + 1);
	if (memcmp(mask, want, IFNAMSIZ))
		return -EOPNOTSUPP;
	memcpy(out, name, n + 1);
	return 0;
}

/* the ip part (ipt_ip or ip6t_ip6): the same fields after four addresses of
 * @alen bytes; ip6t_ip6 has tos before flags, and IP6T_F_PROTO with a proto */
static int get_ip(int fam, const void *e, struct fw_match *m)
{
	const unsigned char *b = e;
	size_t a = fam == AF_INET6 ? 16 : 4, x = 4 * a;
	uint16_t proto = *(const uint16_t *)(b + x + 64);
	uint8_t tos = fam == AF_INET6 ? b[x + 66] : 0;
	uint8_t flags = b[x + 66 + (fam == AF_INET6)], inv = b[x + 67 + (fam == AF_INET6)];
	uint8_t want = fam == AF_INET6 && proto ? IP6T_F_PROTO : 0;

	if (flags != want || tos || (inv & ~INV_KNOWN))
		return -EOPNOTSUPP;
	if (get_prefix(fam, b, b + 2 * a, inv & IPT_INV_SRCIP, &m->src) ||
	    get_prefix(fam, b + a, b + 3 * a, inv & IPT_INV_DSTIP, &m->dst) ||
	    get_iface((const char *)b + x, b + x + 32, m->iif) ||
	    get_iface((const char *)b + x + 16, b + x + 48, m->oif))
		return -EOPNOTSUPP;
	m->not_src = inv & IPT_INV_SRCIP;
	m->not_dst = inv & IPT_INV_DSTIP;
	m->not_iif = inv & IPT_INV_VIA_IN;
	m->not_oif = inv & IPT_INV_VIA_OUT;
	if (proto > 255)
		return -EOPNOTSUPP;
	m->proto = proto;
	return 0;
}

/* tcp, udp and sctp matches: exactly what the encoder writes, but for the ports */
static int get_ports(const struct xt_entry_match *x, uint8_t proto, struct fw_match *m)
{
	struct xt_sctp_info s = { .flags = XT_SCTP_DEST_PORTS };
	struct xt_tcp t = { .spts = { 0, 0xffff } }; /* udp: the same start, shorter */
	bool sctp = proto == IPPROTO_SCTP;
	size_t len = sctp ? sizeof(s) : proto == IPPROTO_TCP ? sizeof(t) : sizeof(struct xt_udp);
	uint16_t *dpts = sctp ? s.dpts : t.dpts;

	if (x->u.user.revision || x->u.user.match_size < XT_ALIGN(sizeof(*x) + len) ||
	    m->proto != proto || m->dport_lo)
		return -EOPNOTSUPP;
	for (int i = 0; i < XT_NUM_SCTP_FLAGS; i++)
		s.flag_info[i].chunktype = 0xff;
	memcpy(dpts, (const char *)x->data + (sctp ? 0 : 4), 4);
	if (memcmp(x->data, sctp ? (void *)&s : (void *)&t, len) || !dpts[0] || dpts[1] < dpts[0])
		return -EOPNOTSUPP;
	m->dport_lo = dpts[0];
	m->dport_hi = dpts[1];
	return 0;
}

static int get_match(const struct xt_entry_match *x, struct fw_match *m)
{
	const char *n = x->u.user.name;
	const void *d = x->data;

	if (!strcmp(n, "tcp"))
		return get_ports(x, IPPROTO_TCP, m);
	if (!strcmp(n, "udp"))
		return get_ports(x, IPPROTO_UDP, m);
	if (!strcmp(n, "sctp"))
		return get_ports(x, IPPROTO_SCTP, m);
	if (!strcmp(n, "addrtype") && x->u.user.revision == 1 &&
	    x->u.user.match_size >= XT_ALIGN(sizeof(*x) + sizeof(struct xt_addrtype_info_v1))) {
		const struct xt_addrtype_info_v1 *a = d;

		if (a->flags || !!a->source == !!a->dest ||
		    (a->source | a->dest) != ADDRTYPE_LOCAL)
			return -EOPNOTSUPP;
		m->src_local |= a->source != 0;
		m->dst_local |= a->dest != 0;
		return 0;
	}
	/* u32 and policy: only the forms xt_rule.c writes (a VXLAN VNI, no IPsec) */
	if (!strcmp(n, "u32") && !x->u.user.revision &&
	    x->u.user.match_size >= XT_ALIGN(sizeof(*x) + sizeof(struct xt_u32))) {
		const struct xt_u32 *u = d;
		static const struct xt_u32_location_element loc[] = {
			{ 0, XT_U32_AND }, { 22, XT_U32_RIGHTSH }, { 0x3c, XT_U32_AND },
			{ 12, XT_U32_AT }, { 8, XT_U32_RIGHTSH }
		};
		const struct xt_u32_test *t = &u->tests[0];

		if (u->ntests != 1 || u->invert || t->nnums != 5 || t->nvalues != 1 ||
		    memcmp(t->location, loc, sizeof(loc)) || t->value[0].min != t->value[0].max ||
		    !t->value[0].min || m->vni)
			return -EOPNOTSUPP;
		m->vni = t->value[0].min;
		return 0;
	}
	if (!strcmp(n, "policy") && !x->u.user.revision &&
	    x->u.user.match_size >= XT_ALIGN(sizeof(*x) + sizeof(struct xt_policy_info))) {
		struct xt_policy_info p = { .flags = XT_POLICY_MATCH_IN | XT_POLICY_MATCH_NONE };

		if (memcmp(d, &p, sizeof(p)))
			return -EOPNOTSUPP;
		m->no_ipsec = true;
		return 0;
	}
	if (!strcmp(n, "conntrack") && x->u.user.revision == 3 &&
	    x->u.user.match_size >= XT_ALIGN(sizeof(*x) + sizeof(struct xt_conntrack_mtinfo3))) {
		struct xt_conntrack_mtinfo3 c = { .match_flags = XT_CONNTRACK_STATE };

		c.state_mask = ((const struct xt_conntrack_mtinfo3 *)d)->state_mask;
		if (memcmp(d, &c, sizeof(c)) || (c.state_mask != CT_ESTABLISHED &&
						 c.state_mask != XT_CONNTRACK_STATE_DNAT))
			return -EOPNOTSUPP;
		m->ct_established |= c.state_mask == CT_ESTABLISHED;
		m->ct_dnat |= c.state_mask == XT_CONNTRACK_STATE_DNAT;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int get_dnat(int fam, const struct nf_nat_range2 *n, struct fw_rule *r)
{
	uint32_t known = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED |
			 NF_NAT_RANGE_PROTO_OFFSET;

	if (!(n->flags & NF_NAT_RANGE_MAP_IPS) || (n->flags & ~known) ||
	    memcmp(&n->min_addr, &n->max_addr, sizeof(n->min_addr)) ||
	    ip_from_bytes(fam, &n->min_addr, fam == AF_INET6 ? 16 : 4, &r->to_addr))
		return -EOPNOTSUPP;
	r->verdict = FW_DNAT;
	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		r->to_lo = be16toh(n->min_proto.all);
		r->to_hi = be16toh(n->max_proto.all);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_OFFSET)
		r->to_base = be16toh(n->base_proto.all);
	return 0;
}

static int get_compat(const struct nf_nat_ipv4_multi_range_compat *c, struct fw_rule *r)
{
	const struct nf_nat_ipv4_range *x = &c->range[0];

	if (c->rangesize != 1)
		return -EOPNOTSUPP;
	if (r->verdict == FW_MASQUERADE)
		return x->flags || x->min_ip || x->max_ip ? -EOPNOTSUPP : 0;
	if (x->flags != NF_NAT_RANGE_MAP_IPS || x->min_ip != x->max_ip || x->min.all || x->max.all)
		return -EOPNOTSUPP;
	r->to_addr = ip4(be32toh(x->min_ip));
	return 0;
}

/* ip6tables' MASQUERADE and SNAT: struct nf_nat_range */
static int get_range(const struct nf_nat_range *n, struct fw_rule *r)
{
	struct nf_nat_range want = { 0 };

	if (r->verdict == FW_SNAT) {
		want.flags = NF_NAT_RANGE_MAP_IPS;
		want.min_addr = want.max_addr = n->min_addr;
		if (ip_from_bytes(AF_INET6, &n->min_addr, 16, &r->to_addr))
			return -EOPNOTSUPP;
	}
	return memcmp(n, &want, sizeof(want)) ? -EOPNOTSUPP : 0;
}

static int get_target(int fam, const void *e, size_t len, struct fw_rule *r)
{
	const struct xt_entry_target *t = (const void *)((const char *)e + xt_toff(fam, e));
	const char *n = t->u.user.name;
	size_t size = t->u.user.target_size;
	int v;

	if (!xt_entry_std_verdict(fam, e, len, &v)) {
		r->verdict = v == -NF_ACCEPT - 1 ? FW_ACCEPT : v == -NF_DROP - 1 ? FW_DROP
			   : v == XT_RETURN ? FW_RETURN : FW_JUMP;
		return v < 0 && r->verdict == FW_JUMP ? -EOPNOTSUPP : 0;
	}
	if (!strcmp(n, "DNAT") && t->u.user.revision == 2 &&
	    size >= XT_ALIGN(sizeof(*t) + sizeof(struct nf_nat_range2)))
		return get_dnat(fam, (const void *)t->data, r);
	r->verdict = !strcmp(n, "SNAT") ? FW_SNAT : FW_MASQUERADE;
	if (strcmp(n, "SNAT") && strcmp(n, "MASQUERADE"))
		return -EOPNOTSUPP;
	if (fam == AF_INET6)
		return t->u.user.revision != (r->verdict == FW_SNAT) ||
		       size < XT_ALIGN(sizeof(*t) + sizeof(struct nf_nat_range))
		       ? -EOPNOTSUPP : get_range((const void *)t->data, r);
	if (t->u.user.revision ||
	    size < XT_ALIGN(sizeof(*t) + sizeof(struct nf_nat_ipv4_multi_range_compat)))
		return -EOPNOTSUPP;
	return get_compat((const void *)t->data, r);
}

int xt_rule_decode(int fam, const void *p, size_t len, struct fw_rule *r)
{
	size_t off = xt_hdr_len(fam), toff = xt_toff(fam, p);

	memset(r, 0, sizeof(*r));
	r->family = fam;
	if (get_ip(fam, p, &r->m))
		return -EOPNOTSUPP;
	while (off < toff) {
		const struct xt_entry_match *x = (const void *)((const char *)p + off);

		if (x->u.user.match_size < sizeof(*x) || off + x->u.user.match_size > toff ||
		    get_match(x, &r->m))
			return -EOPNOTSUPP;
		off += x->u.user.match_size;
	}
	return get_target(fam, p, len, r);
}

/* the name of the chain of each entry (by index in t->e; NULL when not in the order) */
static const char **chain_names(const struct xt_table *t)
{
	const char **names = calloc(t->n ? t->n : 1, sizeof(*names));
	const char *cur = "";

	for (size_t p = 0; names && p < t->norder; p++) {
		int i = t->order[p];
		const char *err = xt_entry_errorname(t->family, t->e[i].b);

		for (int h = 0; h < XT_NHOOKS; h++)
			if (t->hook_entry[h] == i)
				cur = hook_names[h];
		names[i] = cur = err ? err : cur;
	}
	return names;
}

static void show_rule(const struct xt_table *t, const char **names, int i, FILE *f)
{
	const struct xt_ent *x = &t->e[i];
	struct fw_rule r;

	if (xt_rule_decode(t->family, x->b, x->len, &r)) {
		fprintf(f, "# -A %s: a rule boxnet did not write (%u bytes)\n", names[i], x->len);
		return;
	}
	r.chain = names[i];
	if (r.verdict == FW_JUMP)
		r.target = names[x->jump] ? names[x->jump] : "?";
	fwrule_text(&r, f);
}

static bool is_hook_jump(const struct xt_table *t, const char **names, int i)
{
	const struct xt_ent *x = &t->e[i];

	return x->jump >= 0 && names[x->jump] && xt_is_boxnet(names[x->jump]);
}

/* the unconditional RETURN that ends a user chain */
static bool is_tail(int fam, const struct xt_ent *x)
{
	int v;

	return x->len == xt_hdr_len(fam) + XT_ALIGN(sizeof(struct xt_standard_target)) &&
	       xt_all_zero(x->b, xt_toff_at(fam) - 4) && !xt_entry_std_verdict(fam, x->b, x->len, &v) &&
	       v == XT_RETURN;
}

static void show_policies(const struct xt_table *t, FILE *f)
{
	for (int h = 0; h < XT_NHOOKS; h++) {
		int v = 0;

		if (t->underflow[h] < 0)
			continue;
		xt_entry_std_verdict(t->family, t->e[t->underflow[h]].b, t->e[t->underflow[h]].len,
				     &v);
		fprintf(f, ":%s %s [0:0]\n", hook_names[h], v == -NF_DROP - 1 ? "DROP" : "ACCEPT");
	}
}

void xt_table_show(const struct xt_table *t, enum fw_table ft, FILE *f)
{
	const char **names = chain_names(t);

	fprintf(f, "*%s\n", fw_table_names[ft]);
	show_policies(t, f);
	for (size_t p = 0; names && p < t->norder; p++)
		if (xt_entry_errorname(t->family, t->e[t->order[p]].b) && xt_is_boxnet(names[t->order[p]]))
			fprintf(f, ":%s - [0:0]\n", names[t->order[p]]);
	for (int h = 0; names && h < XT_NHOOKS; h++)
		for (size_t p = 0; p < t->norder; p++) {
			int i = t->order[p];

			if (names[i] == hook_names[h] && is_hook_jump(t, names, i))
				show_rule(t, names, i, f);
		}
	for (size_t p = 0; names && p < t->norder; p++) {
		int i = t->order[p];

		/* a boxnet chain's rules: not its ERROR head, not its RETURN tail */
		if (!xt_is_boxnet(names[i]) || xt_entry_errorname(t->family, t->e[i].b) ||
		    (is_tail(t->family, &t->e[i]) && p + 1 < t->norder &&
		     xt_entry_errorname(t->family, t->e[t->order[p + 1]].b)))
			continue;
		show_rule(t, names, i, f);
	}
	fputs("COMMIT\n", f);
	free(names);
}
