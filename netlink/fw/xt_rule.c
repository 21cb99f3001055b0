// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One boxnet rule <-> one ipt_entry (ip6t_entry), byte for byte as
 * iptables-legacy (ip6tables-legacy) 1.8.9 writes it (checked against its
 * IPT_SO_SET_REPLACE blobs, and IP6T_SO_GET_ENTRIES of ip6tables' rules), so
 * that iptables-legacy-save (ip6tables-legacy-save) prints exactly
 * fwrule_text()'s line. Pure.
 */
#include "netlink/fw/xt_int.h"

#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

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
#define ADDRTYPE_LOCAL (1 << 2) /* 1 << RTN_LOCAL */

/* the writer: an entry growing in a zeroed buffer */
struct wr {
	unsigned char *b;
	size_t off, cap;
};

/* an interface name and its mask: exact (the NUL compared too) or "prefix+" */
static int put_iface(const char *name, char *dst, unsigned char *mask)
{
	size_t n = strlen(name);

	if (!n)
		return 0;
	if (n >= IFNAMSIZ)
		return -EINVAL;
	memcpy(dst, name, n);
	memset(mask, 0xff, name[n - 1] == '+' ? n - 1 : n + 1);
	return 0;
}

/* an address and its mask (@alen bytes each, network order), the address's
 * host bits cleared as iptables does */
static int put_prefix(const struct ipprefix *p, int fam, unsigned char *addr, unsigned char *mask)
{
	unsigned char b[16];
	size_t alen = ip_to_bytes(&p->a, b);

	if (p->a.family != fam || p->len > 8 * alen)
		return -EINVAL;
	for (size_t i = 0; i < alen; i++) {
		int bits = p->len - 8 * (int)i;

		mask[i] = bits >= 8 ? 0xff : bits > 0 ? (unsigned char)(0xff00 >> bits) : 0;
		addr[i] = b[i] & mask[i];
	}
	return 0;
}

/*
 * The ip part of both entry kinds, by family: ipt_ip (IPv4) and ip6t_ip6
 * (IPv6) lay out the same fields, four addresses of @alen bytes then the
 * interfaces, their masks, proto (u16); then ipt_ip has flags, invflags and
 * ip6t_ip6 tos, flags, invflags. The invflags bits are the same.
 */
struct ipl {
	size_t alen;
	unsigned char *src, *dst, *smsk, *dmsk;
	char *iniface, *outiface;
	unsigned char *inmask, *outmask;
	uint16_t *proto;
	uint8_t *flags, *invflags;
};

static struct ipl ip_layout(int fam, void *e)
{
	unsigned char *b = e;
	size_t a = fam == AF_INET6 ? 16 : 4, x = 4 * a;

	return (struct ipl){ a, b, b + a, b + 2 * a, b + 3 * a, (char *)b + x, (char *)b + x + 16,
			     b + x + 32, b + x + 48, (uint16_t *)(b + x + 64),
			     b + x + 66 + (fam == AF_INET6), b + x + 67 + (fam == AF_INET6) };
}

_Static_assert(offsetof(struct ipt_ip, proto) == 80 && offsetof(struct ipt_ip, invflags) == 83 &&
		       offsetof(struct ip6t_ip6, proto) == 128 &&
		       offsetof(struct ip6t_ip6, flags) == 131 &&
		       offsetof(struct ip6t_ip6, invflags) == 132,
	       "the ip parts are laid out as ip_layout() says");
_Static_assert(sizeof(struct ipt_entry) == 112 && sizeof(struct ip6t_entry) == 168 &&
		       offsetof(struct ipt_entry, target_offset) == 88 &&
		       offsetof(struct ip6t_entry, target_offset) == 140 &&
		       offsetof(struct ipt_entry, next_offset) == 90 &&
		       offsetof(struct ip6t_entry, next_offset) == 142,
	       "xt_hdr_len() and xt_toff_at() match the kernel headers");

static int put_ip(int fam, void *e, const struct fw_match *m)
{
	struct ipl ip = ip_layout(fam, e);

	if (ip_is_set(&m->src.a)) {
		if (put_prefix(&m->src, fam, ip.src, ip.smsk))
			return -EINVAL;
		*ip.invflags |= m->not_src ? IPT_INV_SRCIP : 0;
	}
	if (ip_is_set(&m->dst.a)) {
		if (put_prefix(&m->dst, fam, ip.dst, ip.dmsk))
			return -EINVAL;
		*ip.invflags |= m->not_dst ? IPT_INV_DSTIP : 0;
	}
	if (put_iface(m->iif, ip.iniface, ip.inmask) || put_iface(m->oif, ip.outiface, ip.outmask))
		return -EINVAL;
	*ip.invflags |= (m->iif[0] && m->not_iif ? IPT_INV_VIA_IN : 0) |
			(m->oif[0] && m->not_oif ? IPT_INV_VIA_OUT : 0);
	*ip.proto = m->proto;
	/* ip6_tables looks at proto only with this flag; ip6tables sets it */
	if (fam == AF_INET6 && m->proto)
		*ip.flags = IP6T_F_PROTO;
	return 0;
}

/* a match or target header (their layouts are the same); returns its data */
static void *put_ext(struct wr *w, const char *name, int rev, size_t datalen)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match) + datalen);
	struct xt_entry_match *x = (struct xt_entry_match *)(w->b + w->off);

	if (w->off + size > w->cap)
		return NULL;
	x->u.user.match_size = size;
	/* the buffer was zeroed: the name ends NUL-padded */
	memcpy(x->u.user.name, name, strnlen(name, sizeof(x->u.user.name) - 1));
	x->u.user.revision = rev;
	w->off += size;
	return x->data;
}

static int put_ports(struct wr *w, const struct fw_match *m)
{
	uint16_t lo = m->dport_lo, hi = m->dport_hi ? m->dport_hi : m->dport_lo;

	if (hi < lo)
		return -EINVAL;
	if (m->proto == IPPROTO_SCTP) {
		struct xt_sctp_info *s = put_ext(w, "sctp", 0, sizeof(*s));

		if (!s)
			return -EMSGSIZE;
		s->dpts[0] = lo, s->dpts[1] = hi;
		for (int i = 0; i < XT_NUM_SCTP_FLAGS; i++)
			s->flag_info[i].chunktype = 0xff; /* "none", as iptables' sctp_init */
		s->flags = XT_SCTP_DEST_PORTS;
		return 0;
	}
	/* tcp and udp start alike: source ports, then destination ports */
	{
		struct xt_udp *u = put_ext(w, m->proto == IPPROTO_TCP ? "tcp" : "udp", 0,
					   m->proto == IPPROTO_TCP ? sizeof(struct xt_tcp)
								   : sizeof(struct xt_udp));

		if (!u)
			return -EMSGSIZE;
		u->spts[1] = 0xffff;
		u->dpts[0] = lo, u->dpts[1] = hi;
	}
	return 0;
}

static int put_addrtype(struct wr *w, bool src)
{
	struct xt_addrtype_info_v1 *a = put_ext(w, "addrtype", 1, sizeof(*a));

	if (!a)
		return -EMSGSIZE;
	if (src)
		a->source = ADDRTYPE_LOCAL;
	else
		a->dest = ADDRTYPE_LOCAL;
	return 0;
}

/* the VNI of a VXLAN header: the u32 match iptables makes of
 * "0>>22&0x3C@12>>8=VNI" (IHL to the UDP header, 12 bytes on, 24 bits) */
static int put_vni(struct wr *w, uint32_t vni)
{
	static const struct xt_u32_location_element loc[] = {
		{ 0, XT_U32_AND }, { 22, XT_U32_RIGHTSH }, { 0x3c, XT_U32_AND }, { 12, XT_U32_AT },
		{ 8, XT_U32_RIGHTSH }
	};
	struct xt_u32 *u = put_ext(w, "u32", 0, sizeof(*u));

	if (!u)
		return -EMSGSIZE;
	u->ntests = 1;
	memcpy(u->tests[0].location, loc, sizeof(loc));
	u->tests[0].nnums = sizeof(loc) / sizeof(*loc);
	u->tests[0].value[0].min = u->tests[0].value[0].max = vni;
	u->tests[0].nvalues = 1;
	return 0;
}

/* -m policy --dir in --pol none */
static int put_no_ipsec(struct wr *w)
{
	struct xt_policy_info *p = put_ext(w, "policy", 0, sizeof(*p));

	if (!p)
		return -EMSGSIZE;
	p->flags = XT_POLICY_MATCH_IN | XT_POLICY_MATCH_NONE;
	return 0;
}

static int put_ctstate(struct wr *w, uint16_t states)
{
	struct xt_conntrack_mtinfo3 *c = put_ext(w, "conntrack", 3, sizeof(*c));

	if (!c)
		return -EMSGSIZE;
	c->match_flags = XT_CONNTRACK_STATE;
	c->state_mask = states;
	return 0;
}

static int put_matches(struct wr *w, const struct fw_match *m)
{
	int ret = 0;

	if (m->proto && m->proto != IPPROTO_TCP && m->proto != IPPROTO_UDP &&
	    m->proto != IPPROTO_SCTP)
		return -EINVAL;
	if (m->dport_lo)
		ret = m->proto ? put_ports(w, m) : -EINVAL;
	if (!ret && m->vni)
		ret = put_vni(w, m->vni);
	if (!ret && m->no_ipsec)
		ret = put_no_ipsec(w);
	if (!ret && m->src_local)
		ret = put_addrtype(w, true);
	if (!ret && m->dst_local)
		ret = put_addrtype(w, false);
	if (!ret && m->ct_established)
		ret = put_ctstate(w, CT_ESTABLISHED);
	if (!ret && m->ct_dnat)
		ret = put_ctstate(w, XT_CONNTRACK_STATE_DNAT);
	return ret;
}

static int put_verdict(struct wr *w, int verdict)
{
	int *v = put_ext(w, XT_STANDARD_TARGET, 0, sizeof(int));

	if (!v)
		return -EMSGSIZE;
	*v = verdict;
	return 0;
}

static int put_dnat(struct wr *w, const struct fw_rule *r, int fam)
{
	struct nf_nat_range2 *n;

	if (r->to_addr.family != fam)
		return -EINVAL;
	n = put_ext(w, "DNAT", 2, sizeof(*n));
	if (!n)
		return -EMSGSIZE;
	n->flags = NF_NAT_RANGE_MAP_IPS;
	ip_to_bytes(&r->to_addr, &n->min_addr);
	n->max_addr = n->min_addr;
	if (r->to_lo) {
		n->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		n->min_proto.all = htobe16(r->to_lo);
		n->max_proto.all = htobe16(r->to_hi ? r->to_hi : r->to_lo);
		if (r->to_base) {
			n->flags |= NF_NAT_RANGE_PROTO_OFFSET;
			n->base_proto.all = htobe16(r->to_base);
		}
	}
	return 0;
}

/* MASQUERADE and SNAT revision 0 take the old single-range struct; @addr
 * NULL for no address (MASQUERADE) */
static int put_compat(struct wr *w, const char *name, const struct ipaddr *addr)
{
	struct nf_nat_ipv4_multi_range_compat *c = put_ext(w, name, 0, sizeof(*c));

	if (!c)
		return -EMSGSIZE;
	c->rangesize = 1;
	if (addr) {
		c->range[0].flags = NF_NAT_RANGE_MAP_IPS;
		c->range[0].min_ip = c->range[0].max_ip = htobe32(addr->v4);
	}
	return 0;
}

/* ip6tables' MASQUERADE (revision 0) and SNAT (revision 1) take struct
 * nf_nat_range; @addr NULL for no address */
static int put_range(struct wr *w, const char *name, int rev, const struct ipaddr *addr)
{
	struct nf_nat_range *n = put_ext(w, name, rev, sizeof(*n));

	if (!n)
		return -EMSGSIZE;
	if (addr) {
		n->flags = NF_NAT_RANGE_MAP_IPS;
		ip_to_bytes(addr, &n->min_addr);
		n->max_addr = n->min_addr;
	}
	return 0;
}

static int put_target(struct wr *w, const struct fw_rule *r, int fam)
{
	switch (r->verdict) {
	case FW_ACCEPT: return put_verdict(w, -NF_ACCEPT - 1);
	case FW_DROP: return put_verdict(w, -NF_DROP - 1);
	case FW_RETURN: return put_verdict(w, XT_RETURN);
	case FW_JUMP: return put_verdict(w, 0);
	case FW_DNAT: return put_dnat(w, r, fam);
	case FW_MASQUERADE:
		return fam == AF_INET6 ? put_range(w, "MASQUERADE", 0, NULL)
				       : put_compat(w, "MASQUERADE", NULL);
	case FW_SNAT:
		/* to 0.0.0.0 (::) would be no address at all: the kernel would masquerade */
		if (r->to_addr.family != fam || xt_all_zero(&r->to_addr.v4, fam == AF_INET6 ? 16 : 4))
			return -EINVAL;
		return fam == AF_INET6 ? put_range(w, "SNAT", 1, &r->to_addr)
				       : put_compat(w, "SNAT", &r->to_addr);
	}
	return -EINVAL;
}

static void set_offsets(int fam, void *e, size_t toff, size_t next)
{
	uint16_t *o = (uint16_t *)((char *)e + xt_toff_at(fam));

	o[0] = (uint16_t)toff;
	o[1] = (uint16_t)next;
}

int xt_rule_encode(const struct fw_rule *r, void *buf, size_t cap)
{
	int fam = fw_is6(r) ? AF_INET6 : AF_INET;
	struct wr w = { buf, xt_hdr_len(fam), cap };
	size_t toff;
	int ret;

	if (cap < w.off)
		return -EMSGSIZE;
	memset(buf, 0, cap);
	ret = put_ip(fam, buf, &r->m);
	if (!ret)
		ret = put_matches(&w, &r->m);
	toff = w.off;
	if (!ret)
		ret = put_target(&w, r, fam);
	if (ret)
		return ret;
	set_offsets(fam, buf, toff, w.off);
	return w.off;
}

int xt_entry_error(int fam, const char *name, void *buf)
{
	struct wr w = { buf, xt_hdr_len(fam), XT_ENTRY_SMALL };
	char *errorname;

	memset(buf, 0, XT_ENTRY_SMALL);
	errorname = put_ext(&w, XT_ERROR_TARGET, 0, XT_FUNCTION_MAXNAMELEN);
	memcpy(errorname, name, strnlen(name, XT_FUNCTION_MAXNAMELEN - 1));
	set_offsets(fam, buf, xt_hdr_len(fam), w.off);
	return w.off;
}

int xt_entry_verdict(int fam, int verdict, void *buf)
{
	struct wr w = { buf, xt_hdr_len(fam), XT_ENTRY_SMALL };

	memset(buf, 0, XT_ENTRY_SMALL);
	put_verdict(&w, verdict);
	set_offsets(fam, buf, xt_hdr_len(fam), w.off);
	return w.off;
}

const char *xt_entry_target(int fam, const void *p)
{
	return ((const struct xt_entry_target *)((const char *)p + xt_toff(fam, p)))->u.user.name;
}

int xt_entry_std_verdict(int fam, const void *p, uint32_t len, int *verdict)
{
	const struct xt_standard_target *t = (const void *)((const char *)p + xt_toff(fam, p));

	if (t->target.u.user.name[0] || t->target.u.user.target_size < sizeof(*t) ||
	    xt_toff(fam, p) + sizeof(*t) > len)
		return -ENOENT;
	*verdict = t->verdict;
	return 0;
}

void xt_entry_set_verdict(int fam, void *p, int verdict)
{
	((struct xt_standard_target *)((char *)p + xt_toff(fam, p)))->verdict = verdict;
}

const char *xt_entry_errorname(int fam, const void *p)
{
	const struct xt_error_target *t = (const void *)((const char *)p + xt_toff(fam, p));

	if (strcmp(t->target.u.user.name, XT_ERROR_TARGET) ||
	    t->target.u.user.target_size < sizeof(*t))
		return NULL;
	return t->errorname;
}
