// SPDX-License-Identifier: GPL-2.0-or-later
/* nf_tables expressions: the attribute writer, one encoder per expression
 * (attribute order as nft 1.0.6 sends them), and a model rule as expressions. */
#include "netlink/fw/nft_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

/* ---- the writer ---------------------------------------------------------- */

void nftw_put(struct nft_w *w, uint16_t type, const void *data, size_t len)
{
	if (!w->full && !mnl_attr_put_check(w->n, w->cap, type, len, data))
		w->full = true;
}

void nftw_u32(struct nft_w *w, uint16_t type, uint32_t host)
{
	uint32_t be = htonl(host);

	nftw_put(w, type, &be, sizeof(be));
}

void nftw_u64(struct nft_w *w, uint16_t type, uint64_t host)
{
	uint32_t be[2] = { htonl(host >> 32), htonl((uint32_t)host) };

	nftw_put(w, type, be, sizeof(be));
}

void nftw_str(struct nft_w *w, uint16_t type, const char *s)
{
	nftw_put(w, type, s, strlen(s) + 1);
}

struct nlattr *nftw_nest(struct nft_w *w, uint16_t type)
{
	struct nlattr *a = NULL;

	if (!w->full && !(a = mnl_attr_nest_start_check(w->n, w->cap, type)))
		w->full = true;
	return a;
}

void nftw_nest_end(struct nft_w *w, struct nlattr *nest)
{
	if (!w->full && nest)
		mnl_attr_nest_end(w->n, nest);
}

void nftw_data(struct nft_w *w, uint16_t type, const void *v, size_t len)
{
	struct nlattr *d = nftw_nest(w, type);

	nftw_put(w, NFTA_DATA_VALUE, v, len);
	nftw_nest_end(w, d);
}

void nftw_verdict(struct nft_w *w, uint16_t type, int code, const char *chain)
{
	struct nlattr *d = nftw_nest(w, type), *v = nftw_nest(w, NFTA_DATA_VERDICT);

	nftw_u32(w, NFTA_VERDICT_CODE, (uint32_t)code);
	if (chain)
		nftw_str(w, NFTA_VERDICT_CHAIN, chain);
	nftw_nest_end(w, v);
	nftw_nest_end(w, d);
}

/* ---- expressions --------------------------------------------------------- */

struct nlattr *nft_expr_open(struct nft_w *w, const char *name, struct nlattr **data)
{
	struct nlattr *e = nftw_nest(w, NFTA_LIST_ELEM);

	nftw_str(w, NFTA_EXPR_NAME, name);
	*data = nftw_nest(w, NFTA_EXPR_DATA);
	return e;
}

void nft_expr_close(struct nft_w *w, struct nlattr *e, struct nlattr *data)
{
	nftw_nest_end(w, data);
	nftw_nest_end(w, e);
}

void nft_expr_payload(struct nft_w *w, uint32_t dreg, uint32_t base, uint32_t off, uint32_t len)
{
	struct nlattr *d, *e = nft_expr_open(w, "payload", &d);

	nftw_u32(w, NFTA_PAYLOAD_DREG, dreg);
	nftw_u32(w, NFTA_PAYLOAD_BASE, base);
	nftw_u32(w, NFTA_PAYLOAD_OFFSET, off);
	nftw_u32(w, NFTA_PAYLOAD_LEN, len);
	nft_expr_close(w, e, d);
}

void nft_expr_meta(struct nft_w *w, uint32_t key, uint32_t dreg)
{
	struct nlattr *d, *e = nft_expr_open(w, "meta", &d);

	nftw_u32(w, NFTA_META_KEY, key);
	nftw_u32(w, NFTA_META_DREG, dreg);
	nft_expr_close(w, e, d);
}

void nft_expr_cmp(struct nft_w *w, uint32_t sreg, uint32_t op, const void *data, size_t len)
{
	struct nlattr *d, *e = nft_expr_open(w, "cmp", &d);

	nftw_u32(w, NFTA_CMP_SREG, sreg);
	nftw_u32(w, NFTA_CMP_OP, op);
	nftw_data(w, NFTA_CMP_DATA, data, len);
	nft_expr_close(w, e, d);
}

void nft_expr_bitwise(struct nft_w *w, uint32_t reg, const void *mask, const void *xor,
		      size_t len)
{
	struct nlattr *d, *e = nft_expr_open(w, "bitwise", &d);

	nftw_u32(w, NFTA_BITWISE_SREG, reg);
	nftw_u32(w, NFTA_BITWISE_DREG, reg);
	nftw_u32(w, NFTA_BITWISE_LEN, (uint32_t)len);
	nftw_data(w, NFTA_BITWISE_MASK, mask, len);
	nftw_data(w, NFTA_BITWISE_XOR, xor, len);
	nft_expr_close(w, e, d);
}

void nft_expr_immediate(struct nft_w *w, uint32_t dreg, const void *data, size_t len)
{
	struct nlattr *d, *e = nft_expr_open(w, "immediate", &d);

	nftw_u32(w, NFTA_IMMEDIATE_DREG, dreg);
	nftw_data(w, NFTA_IMMEDIATE_DATA, data, len);
	nft_expr_close(w, e, d);
}

void nft_expr_verdict(struct nft_w *w, int code, const char *chain)
{
	struct nlattr *d, *e = nft_expr_open(w, "immediate", &d);

	nftw_u32(w, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	nftw_verdict(w, NFTA_IMMEDIATE_DATA, code, chain);
	nft_expr_close(w, e, d);
}

void nft_expr_lookup(struct nft_w *w, const char *set, uint32_t set_id, uint32_t sreg, int dreg,
		     uint32_t flags)
{
	struct nlattr *d, *e = nft_expr_open(w, "lookup", &d);

	nftw_u32(w, NFTA_LOOKUP_SREG, sreg);
	if (dreg >= 0)
		nftw_u32(w, NFTA_LOOKUP_DREG, (uint32_t)dreg);
	nftw_str(w, NFTA_LOOKUP_SET, set);
	if (set_id)
		nftw_u32(w, NFTA_LOOKUP_SET_ID, set_id);
	if (flags)
		nftw_u32(w, NFTA_LOOKUP_FLAGS, flags);
	nft_expr_close(w, e, d);
}

void nft_expr_ct(struct nft_w *w, uint32_t key, uint32_t dreg)
{
	struct nlattr *d, *e = nft_expr_open(w, "ct", &d);

	nftw_u32(w, NFTA_CT_KEY, key);
	nftw_u32(w, NFTA_CT_DREG, dreg);
	nft_expr_close(w, e, d);
}

void nft_expr_fib(struct nft_w *w, uint32_t flags, uint32_t result, uint32_t dreg)
{
	struct nlattr *d, *e = nft_expr_open(w, "fib", &d);

	nftw_u32(w, NFTA_FIB_FLAGS, flags);
	nftw_u32(w, NFTA_FIB_RESULT, result);
	nftw_u32(w, NFTA_FIB_DREG, dreg);
	nft_expr_close(w, e, d);
}

void nft_expr_nat(struct nft_w *w, uint32_t type, uint32_t addr, uint32_t pmin, uint32_t pmax,
		  uint32_t flags)
{
	struct nlattr *d, *e = nft_expr_open(w, "nat", &d);

	nftw_u32(w, NFTA_NAT_TYPE, type);
	nftw_u32(w, NFTA_NAT_FAMILY, w->family);
	if (addr)
		nftw_u32(w, NFTA_NAT_REG_ADDR_MIN, addr);
	if (pmin)
		nftw_u32(w, NFTA_NAT_REG_PROTO_MIN, pmin);
	if (pmax)
		nftw_u32(w, NFTA_NAT_REG_PROTO_MAX, pmax);
	if (flags)
		nftw_u32(w, NFTA_NAT_FLAGS, flags);
	nft_expr_close(w, e, d);
}

void nft_expr_masq(struct nft_w *w)
{
	struct nlattr *d, *e = nft_expr_open(w, "masq", &d);

	nft_expr_close(w, e, d); /* an empty NFTA_EXPR_DATA, as nft sends it */
}

/* ---- a model rule as expressions ------------------------------------------ */

/* ip(6) saddr/daddr [!=] prefix: a shorter load when byte-aligned, else the
 * whole address and bitwise; "!= /0" matches nothing */
int nft_expr_prefix(struct nft_w *w, bool dst, const struct ipprefix *p, bool inv)
{
	uint32_t op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;
	bool v6 = w->family == NFPROTO_IPV6;
	uint32_t off = v6 ? (dst ? 24 : 8) : (dst ? 16 : 12);
	uint8_t net[16], mask[16], zero[16] = { 0 };
	size_t alen = ip_to_bytes(&p->a, net);

	if (p->a.family != (v6 ? AF_INET6 : AF_INET) || p->len > 8 * alen || (p->len == 0 && inv))
		return -EINVAL;
	if (p->len == 0)
		return 0; /* any address */
	for (size_t i = 0; i < alen; i++) {
		int bits = p->len - 8 * (int)i;

		mask[i] = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff00 >> bits) : 0;
		net[i] &= mask[i];
	}
	if (p->len % 8 == 0) {
		nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, off, p->len / 8);
		nft_expr_cmp(w, NFT_REG_1, op, net, p->len / 8);
		return 0;
	}
	nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, off, alen);
	nft_expr_bitwise(w, NFT_REG_1, mask, zero, alen);
	nft_expr_cmp(w, NFT_REG_1, op, net, alen);
	return 0;
}

static void put_ifname(struct nft_w *w, uint32_t key, const char *name, bool inv)
{
	char buf[16] = { 0 };

	/* the kernel compares all 16 bytes: the name NUL-padded */
	memcpy(buf, name, strnlen(name, sizeof(buf) - 1));
	nft_expr_meta(w, key, NFT_REG_1);
	nft_expr_cmp(w, NFT_REG_1, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, buf, sizeof(buf));
}

static int put_l4(struct nft_w *w, const struct fw_match *m)
{
	uint16_t lo = htons(m->dport_lo), hi = htons(m->dport_hi);

	if (!m->proto)
		return m->dport_lo ? -EINVAL : 0;
	nft_expr_meta(w, NFT_META_L4PROTO, NFT_REG_1);
	nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &m->proto, 1);
	if (!m->dport_lo)
		return 0;
	nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	if (m->dport_hi <= m->dport_lo) {
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &lo, 2);
	} else {
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_GTE, &lo, 2);
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_LTE, &hi, 2);
	}
	return 0;
}

/* fib saddr/daddr type local: RTN_LOCAL in host order */
static void put_local(struct nft_w *w, uint32_t flag)
{
	uint32_t local = 2;

	nft_expr_fib(w, flag, NFT_FIB_RESULT_ADDRTYPE, NFT_REG_1);
	nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &local, 4);
}

/* ct state/status & bits != 0, the u32 in host order */
void nft_expr_ct_bits(struct nft_w *w, uint32_t key, uint32_t bits)
{
	uint32_t zero = 0;

	nft_expr_ct(w, key, NFT_REG_1);
	nft_expr_bitwise(w, NFT_REG_1, &bits, &zero, 4);
	nft_expr_cmp(w, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
}

static int put_nat(struct nft_w *w, const struct fw_rule *r)
{
	uint8_t addr[16];
	uint16_t lo = htons(r->to_lo), hi = htons(r->to_hi);

	if (r->to_base)
		return -EOPNOTSUPP; /* nf_tables has no port offset mapping */
	if (r->to_addr.family != (w->family == NFPROTO_IPV6 ? AF_INET6 : AF_INET))
		return -EINVAL;
	nft_expr_immediate(w, NFT_REG_1, addr, ip_to_bytes(&r->to_addr, addr));
	if (r->verdict == FW_SNAT || !r->to_lo) {
		uint32_t type = r->verdict == FW_SNAT ? NFT_NAT_SNAT : NFT_NAT_DNAT;

		nft_expr_nat(w, type, NFT_REG_1, 0, 0, 0);
		return 0;
	}
	nft_expr_immediate(w, NFT_REG_2, &lo, 2);
	if (r->to_hi > r->to_lo)
		nft_expr_immediate(w, NFT_REG_3, &hi, 2);
	nft_expr_nat(w, NFT_NAT_DNAT, NFT_REG_1, NFT_REG_2, r->to_hi > r->to_lo ? NFT_REG_3 : 0,
		     2 /* NF_NAT_RANGE_PROTO_SPECIFIED */);
	return 0;
}

static int put_verdict(struct nft_w *w, const struct fw_rule *r, const char *target)
{
	switch (r->verdict) {
	case FW_ACCEPT: nft_expr_verdict(w, NF_ACCEPT, NULL); return 0;
	case FW_DROP: nft_expr_verdict(w, NF_DROP, NULL); return 0;
	case FW_RETURN: nft_expr_verdict(w, NFT_RETURN, NULL); return 0;
	case FW_JUMP:
		if (!target)
			return -EINVAL;
		nft_expr_verdict(w, NFT_JUMP, target);
		return 0;
	case FW_MASQUERADE: nft_expr_masq(w); return 0;
	case FW_DNAT:
	case FW_SNAT: return put_nat(w, r);
	}
	return -EINVAL;
}

int nft_rule_exprs(struct nft_w *w, const struct fw_rule *r, const char *target)
{
	const struct fw_match *m = &r->m;
	int ret = 0;

	if (ip_is_set(&m->src.a))
		ret = nft_expr_prefix(w, false, &m->src, m->not_src);
	if (!ret && ip_is_set(&m->dst.a))
		ret = nft_expr_prefix(w, true, &m->dst, m->not_dst);
	if (ret)
		return ret;
	if (m->iif[0])
		put_ifname(w, NFT_META_IIFNAME, m->iif, m->not_iif);
	if (m->oif[0])
		put_ifname(w, NFT_META_OIFNAME, m->oif, m->not_oif);
	ret = put_l4(w, m);
	if (ret)
		return ret;
	if (m->vni) {
		/* @th,96,24: the VNI, 12 bytes into the UDP header */
		uint8_t vni[3] = { m->vni >> 16, m->vni >> 8, m->vni };

		nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_TRANSPORT_HEADER, 12, 3);
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, vni, 3);
	}
	if (m->no_ipsec) {
		uint8_t none = 0;

		nft_expr_meta(w, NFT_META_SECPATH, NFT_REG_1);
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &none, 1);
	}
	if (m->src_local)
		put_local(w, NFTA_FIB_F_SADDR);
	if (m->dst_local)
		put_local(w, NFTA_FIB_F_DADDR);
	if (m->ct_established)
		nft_expr_ct_bits(w, NFT_CT_STATE, 2 | 4); /* ESTABLISHED, RELATED */
	if (m->ct_dnat)
		nft_expr_ct_bits(w, NFT_CT_STATUS, 0x20); /* IPS_DST_NAT */
	return put_verdict(w, r, target);
}
