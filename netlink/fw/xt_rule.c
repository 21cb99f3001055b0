// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One boxnet rule <-> one ipt_entry, byte for byte as iptables-legacy 1.8.9
 * writes it (checked against its IPT_SO_SET_REPLACE blobs), so that
 * iptables-legacy-save prints exactly fwrule_text()'s line. Pure.
 */
#include "netlink/fw/xt_int.h"

#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter_ipv4/ip_tables.h>
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

/* an address and its mask, the address's host bits cleared as iptables
 * does; the ipt_ip of these tables is IPv4 (ip6tables is another ABI) */
static int put_prefix(const struct ipprefix *p, struct in_addr *addr, struct in_addr *mask)
{
	if (p->a.family != AF_INET || p->len > 32)
		return -EINVAL;
	mask->s_addr = htobe32(pfx_mask4(p->len));
	addr->s_addr = htobe32(p->a.v4 & pfx_mask4(p->len));
	return 0;
}

static int put_ip(struct ipt_ip *ip, const struct fw_match *m)
{
	if (ip_is_set(&m->src.a)) {
		if (put_prefix(&m->src, &ip->src, &ip->smsk))
			return -EINVAL;
		ip->invflags |= m->not_src ? IPT_INV_SRCIP : 0;
	}
	if (ip_is_set(&m->dst.a)) {
		if (put_prefix(&m->dst, &ip->dst, &ip->dmsk))
			return -EINVAL;
		ip->invflags |= m->not_dst ? IPT_INV_DSTIP : 0;
	}
	if (put_iface(m->iif, ip->iniface, ip->iniface_mask) ||
	    put_iface(m->oif, ip->outiface, ip->outiface_mask))
		return -EINVAL;
	ip->invflags |= (m->iif[0] && m->not_iif ? IPT_INV_VIA_IN : 0) |
			(m->oif[0] && m->not_oif ? IPT_INV_VIA_OUT : 0);
	ip->proto = m->proto;
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

static int put_dnat(struct wr *w, const struct fw_rule *r)
{
	struct nf_nat_range2 *n;

	if (r->to_addr.family != AF_INET)
		return -EINVAL;
	n = put_ext(w, "DNAT", 2, sizeof(*n));
	if (!n)
		return -EMSGSIZE;
	n->flags = NF_NAT_RANGE_MAP_IPS;
	n->min_addr.ip = n->max_addr.ip = htobe32(r->to_addr.v4);
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

static int put_target(struct wr *w, const struct fw_rule *r)
{
	switch (r->verdict) {
	case FW_ACCEPT: return put_verdict(w, -NF_ACCEPT - 1);
	case FW_DROP: return put_verdict(w, -NF_DROP - 1);
	case FW_RETURN: return put_verdict(w, XT_RETURN);
	case FW_JUMP: return put_verdict(w, 0);
	case FW_DNAT: return put_dnat(w, r);
	case FW_MASQUERADE: return put_compat(w, "MASQUERADE", NULL);
	case FW_SNAT:
		/* to 0.0.0.0 would be no address at all: the kernel would masquerade */
		if (r->to_addr.family != AF_INET || !r->to_addr.v4)
			return -EINVAL;
		return put_compat(w, "SNAT", &r->to_addr);
	}
	return -EINVAL;
}

int xt_rule_encode(const struct fw_rule *r, void *buf, size_t cap)
{
	struct wr w = { buf, sizeof(struct ipt_entry), cap };
	struct ipt_entry *e = buf;
	int ret;

	if (cap < sizeof(*e))
		return -EMSGSIZE;
	memset(buf, 0, cap);
	ret = put_ip(&e->ip, &r->m);
	if (!ret)
		ret = put_matches(&w, &r->m);
	e->target_offset = w.off;
	if (!ret)
		ret = put_target(&w, r);
	if (ret)
		return ret;
	e->next_offset = w.off;
	return w.off;
}

int xt_entry_error(const char *name, void *buf)
{
	struct wr w = { buf, sizeof(struct ipt_entry), XT_ENTRY_SMALL };
	struct ipt_entry *e = buf;
	char *errorname;

	memset(buf, 0, XT_ENTRY_SMALL);
	e->target_offset = w.off;
	errorname = put_ext(&w, XT_ERROR_TARGET, 0, XT_FUNCTION_MAXNAMELEN);
	memcpy(errorname, name, strnlen(name, XT_FUNCTION_MAXNAMELEN - 1));
	e->next_offset = w.off;
	return w.off;
}

int xt_entry_verdict(int verdict, void *buf)
{
	struct wr w = { buf, sizeof(struct ipt_entry), XT_ENTRY_SMALL };
	struct ipt_entry *e = buf;

	memset(buf, 0, XT_ENTRY_SMALL);
	e->target_offset = w.off;
	put_verdict(&w, verdict);
	e->next_offset = w.off;
	return w.off;
}

const char *xt_entry_target(const void *p)
{
	const struct ipt_entry *e = p;

	return ((const struct xt_entry_target *)((const char *)p + e->target_offset))->u.user.name;
}

int xt_entry_std_verdict(const void *p, uint32_t len, int *verdict)
{
	const struct ipt_entry *e = p;
	const struct xt_standard_target *t =
	    (const void *)((const char *)p + e->target_offset);

	if (t->target.u.user.name[0] || t->target.u.user.target_size < sizeof(*t) ||
	    e->target_offset + sizeof(*t) > len)
		return -ENOENT;
	*verdict = t->verdict;
	return 0;
}

void xt_entry_set_verdict(void *p, int verdict)
{
	struct ipt_entry *e = p;

	((struct xt_standard_target *)((char *)p + e->target_offset))->verdict = verdict;
}

const char *xt_entry_errorname(const void *p)
{
	const struct ipt_entry *e = p;
	const struct xt_error_target *t = (const void *)((const char *)p + e->target_offset);

	if (strcmp(t->target.u.user.name, XT_ERROR_TARGET) ||
	    t->target.u.user.target_size < sizeof(*t))
		return NULL;
	return t->errorname;
}
