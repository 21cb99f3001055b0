// SPDX-License-Identifier: GPL-2.0-or-later
/* The maps of published ports: their types, their elements' encoding and
 * listing order, port -> elements, and the rules that look them up. */
#include "netlink/fw/nft_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

/* ---- maps -------------------------------------------------------------------------- */

/* NFTA_SET_USERDATA as nft 1.0.6 sends it for these types (byte-order hints) */
static const uint8_t ud_map_concat[] = { 0x00, 0x04, 0, 0, 0, 0, 0x01, 0x04, 0, 0, 0, 0,
					 0x03, 0x08, 0x00, 0x04, 0x0d, 0, 0, 0, 0x01, 0x00,
					 0x04, 0x08, 0x00, 0x04, 0x0d, 0, 0, 0, 0x01, 0x00,
					 0x06, 0x04, 0, 0, 0, 0 };
static const uint8_t ud_map_addr[] = { 0x00, 0x04, 0, 0, 0, 0, 0x01, 0x04, 0x02, 0, 0, 0,
				       0x03, 0x08, 0x00, 0x04, 0x0d, 0, 0, 0, 0x01, 0x00,
				       0x06, 0x04, 0, 0, 0, 0 };

/* nft's type ids: inet_proto 12, inet_service 13, ipv4_addr 7, ipv6_addr 8,
 * 6 bits each */
#define T_PS 0x30d   /* inet_proto . inet_service */
#define T_APS 0x730d /* ipv4_addr . inet_proto . inet_service */
#define T_AS 0x1cd   /* ipv4_addr . inet_service */
#define T_APS6 0x830d /* ipv6_addr . inet_proto . inet_service */
#define T_AS6 0x20d   /* ipv6_addr . inet_service */
#define F_MAP NFT_SET_MAP
#define F_IMAP (NFT_SET_MAP | NFT_SET_INTERVAL | NFT_SET_CONCAT)
#define UD(x) x, sizeof(x)

const struct nft_mapdef nft_maps[NFT_NMAPS] = {
	[NFT_PORTS] = { "ports", F_MAP, T_PS, 8, T_AS, 8, 0, { 0 }, UD(ud_map_concat),
			"inet_proto . inet_service : ipv4_addr . inet_service" },
	[NFT_PORT_RANGES] = { "port-ranges", F_IMAP, T_PS, 8, 7, 4, 2, { 1, 2 }, UD(ud_map_addr),
			      "inet_proto . inet_service : ipv4_addr" },
	[NFT_HOST_PORTS] = { "host-ports", F_MAP, T_APS, 12, T_AS, 8, 0, { 0 }, UD(ud_map_concat),
			     "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service" },
	[NFT_HOST_RANGES] = { "host-port-ranges", F_IMAP, T_APS, 12, 7, 4, 3, { 4, 1, 2 },
			      UD(ud_map_addr),
			      "ipv4_addr . inet_proto . inet_service : ipv4_addr" },
};

/* table ip6: the same maps with ipv6_addr (16 bytes) for ipv4_addr */
const struct nft_mapdef nft_maps6[NFT_NMAPS] = {
	[NFT_PORTS] = { "ports", F_MAP, T_PS, 8, T_AS6, 20, 0, { 0 }, UD(ud_map_concat),
			"inet_proto . inet_service : ipv6_addr . inet_service" },
	[NFT_PORT_RANGES] = { "port-ranges", F_IMAP, T_PS, 8, 8, 16, 2, { 1, 2 }, UD(ud_map_addr),
			      "inet_proto . inet_service : ipv6_addr" },
	[NFT_HOST_PORTS] = { "host-ports", F_MAP, T_APS6, 24, T_AS6, 20, 0, { 0 },
			     UD(ud_map_concat),
			     "ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service" },
	[NFT_HOST_RANGES] = { "host-port-ranges", F_IMAP, T_APS6, 24, 8, 16, 3, { 16, 1, 2 },
			      UD(ud_map_addr),
			      "ipv6_addr . inet_proto . inet_service : ipv6_addr" },
};

static bool has_addr(enum nft_map m)
{
	return m != NFT_PORTS && m != NFT_PORT_RANGES;
}

/* a key: [address] . proto . port, each field padded to 4 bytes */
static size_t key_bytes(const struct nft_elem *e, uint16_t port, uint8_t *k)
{
	uint16_t p = htons(port);
	size_t n = 0;

	memset(k, 0, NFT_KEYMAX);
	if (has_addr(e->map))
		n = ip_to_bytes(&e->addr, k);
	k[n] = e->proto;
	memcpy(k + n + 4, &p, 2);
	return n + 8;
}

size_t nft_elem_key(const struct nft_elem *e, bool end, uint8_t *k)
{
	return key_bytes(e, end ? e->hi : e->lo, k);
}

void nft_elem_put(struct nft_w *w, const struct nft_elem *e, bool with_data)
{
	const struct nft_mapdef *d = nft_mapdef(w->family, e->map);
	struct nlattr *el = nftw_nest(w, NFTA_LIST_ELEM);
	uint8_t k[NFT_KEYMAX], v[NFT_DATAMAX] = { 0 };
	uint16_t p = htons(e->to_port);
	size_t n = key_bytes(e, e->lo, k);

	nftw_data(w, NFTA_SET_ELEM_KEY, k, n);
	if (d->flags & NFT_SET_INTERVAL) {
		key_bytes(e, e->hi, k);
		nftw_data(w, NFTA_SET_ELEM_KEY_END, k, n); /* inclusive, concatenations */
	}
	if (with_data && (d->flags & NFT_SET_MAP)) {
		memcpy(v + ip_to_bytes(&e->to_addr, v), &p, 2);
		nftw_data(w, NFTA_SET_ELEM_DATA, v, d->dlen);
	}
	nftw_nest_end(w, el);
}

/* the key's fields unpadded, as nft reads them to sort */
static size_t sort_key(const struct nft_elem *e, uint8_t *k)
{
	size_t n = 0;

	if (has_addr(e->map))
		n = ip_to_bytes(&e->addr, k);
	k[n] = e->proto;
	k[n + 1] = e->lo >> 8;
	k[n + 2] = e->lo & 255;
	return n + 3;
}

/* nft lists a hash set's elements sorted by those bytes read as one
 * little-endian number: compare from the last byte back */
int nft_elem_cmp(const struct nft_elem *a, const struct nft_elem *b)
{
	uint8_t ka[24], kb[24];
	size_t n = sort_key(a, ka);

	sort_key(b, kb);
	for (size_t i = n; i-- > 0;)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

long nft_port_elems(const struct fw_port *p, struct nft_elem *out)
{
	bool any = !ip_is_set(&p->host_ip);
	bool same = p->host_hi > p->host_lo && p->ctr_lo == p->host_lo && p->ctr_hi == p->host_hi;
	long n = same ? 1 : (long)p->host_hi - p->host_lo + 1;
	unsigned int span = p->ctr_hi - p->ctr_lo + 1u;

	/* the maps' keys and data are of one family: the table's (ip, ip6) */
	if ((p->proto != 6 && p->proto != 17 && p->proto != 132) || !p->host_lo || !p->ctr_lo ||
	    p->host_hi < p->host_lo || p->ctr_hi < p->ctr_lo ||
	    (p->ctr_ip.family != AF_INET && p->ctr_ip.family != AF_INET6) ||
	    (p->ctr_ip.family == AF_INET && !p->ctr_ip.v4) ||
	    (!any && p->host_ip.family != p->ctr_ip.family))
		return -EINVAL;
	if (!out)
		return n;
	for (long i = 0; i < n; i++) {
		struct nft_elem *e = &out[i];

		*e = (struct nft_elem){ .addr = p->host_ip, .proto = p->proto,
					.lo = (uint16_t)(p->host_lo + i), .to_addr = p->ctr_ip };
		e->hi = same ? p->host_hi : e->lo;
		if (same)
			e->map = any ? NFT_PORT_RANGES : NFT_HOST_RANGES;
		else
			e->map = any ? NFT_PORTS : NFT_HOST_PORTS;
		/* a shifted range maps port by port; several to one port share it */
		if (!same && p->host_hi > p->host_lo)
			e->to_port = (uint16_t)(p->ctr_lo + i % span);
		else if (!same)
			e->to_port = p->ctr_lo;
	}
	return n;
}

/* ---- map rules ------------------------------------------------------------ */

#define LL6 "ip6 saddr != fe80::/10 " /* IPv6 DNAT: not from link-local sources */

static const struct {
	enum fw_table t;
	enum nft_map map;
	const char *text, *text6; /* in table ip, in table ip6 */
} map_rules[] = {
	{ FW_NAT, NFT_HOST_PORTS, "dnat ip to ip daddr . meta l4proto . th dport map @host-ports",
	  LL6 "dnat ip6 to ip6 daddr . meta l4proto . th dport map @host-ports" },
	{ FW_NAT, NFT_HOST_RANGES,
	  "dnat to ip daddr . meta l4proto . th dport map @host-port-ranges",
	  LL6 "dnat to ip6 daddr . meta l4proto . th dport map @host-port-ranges" },
	{ FW_NAT, NFT_PORTS, "dnat ip to meta l4proto . th dport map @ports",
	  LL6 "dnat ip6 to meta l4proto . th dport map @ports" },
	{ FW_NAT, NFT_PORT_RANGES, "dnat to meta l4proto . th dport map @port-ranges",
	  LL6 "dnat to meta l4proto . th dport map @port-ranges" },
};

static int map_rule_index(const struct nft_chain *c, int i)
{
	if (!c->fwname || strcmp(c->fwname, "BOXNET"))
		return -1;
	for (int k = 0; k < (int)(sizeof(map_rules) / sizeof(map_rules[0])); k++)
		if (map_rules[k].t == c->table && i-- == 0)
			return k;
	return -1;
}

const char *nft_map_rule_text(const struct nft_chain *c, int i)
{
	int k = map_rule_index(c, i);

	return k < 0 ? NULL : c->family == NFPROTO_IPV6 ? map_rules[k].text6 : map_rules[k].text;
}

/* the key into consecutive registers: [daddr reg 1] . l4proto . th dport
 * (after a 4-byte IPv4 address in the next 32-bit register, after a 16-byte
 * IPv6 one four further); in ip6, first "ip6 saddr != fe80::/10" */
bool nft_map_rule(const struct nft_chain *c, int i, struct nft_w *w, uint32_t set_id0)
{
	bool v6 = c->family == NFPROTO_IPV6;
	uint32_t next = v6 ? NFT_REG32_04 : NFT_REG32_01; /* the register after an address */
	int k = map_rule_index(c, i);
	uint32_t reg = NFT_REG_1;
	enum nft_map m;

	if (k < 0)
		return false;
	m = map_rules[k].map;
	if (v6) {
		struct ipprefix ll = { .a = { .family = AF_INET6, .v6 = { 0xfe, 0x80 } }, .len = 10 };

		nft_expr_prefix(w, false, &ll, true);
	}
	if (has_addr(m)) {
		nft_expr_payload(w, reg, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16, v6 ? 16 : 4);
		reg = next;
	}
	nft_expr_meta(w, NFT_META_L4PROTO, reg);
	nft_expr_payload(w, reg == NFT_REG_1 ? NFT_REG32_01 : reg + 1,
			 NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	nft_expr_lookup(w, nft_maps[m].name, set_id0 + m, NFT_REG_1, NFT_REG_1, 0);
	if (m == NFT_PORTS || m == NFT_HOST_PORTS)
		nft_expr_nat(w, NFT_NAT_DNAT, NFT_REG_1, next, 0, 0);
	else
		nft_expr_nat(w, NFT_NAT_DNAT, NFT_REG_1, 0, 0, 0);
	return true;
}
