/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nf_tables backend, nft_backend of backend.h: boxnet's rule set
 * (netlink/fw/rule.h) as the table `ip boxnet`, and its IPv6 rules and ports
 * as the table `ip6 boxnet` of the same layout (the same chains, maps and
 * sets, their types with ipv6_addr for ipv4_addr; the DNAT map rules skip
 * link-local sources, as the model's ip6tables DNAT does), committed over
 * NETLINK_NETFILTER in one batch per command. This header is for the
 * backend's own files, its unit tests and the test tools.
 *
 * Layout of the table:
 *   - each built-in chain that has rules is a base chain named TABLE-CHAIN
 *     ("filter-FORWARD", "nat-PREROUTING", "raw-PREROUTING"; Docker's names);
 *   - boxnet's chains keep their iptables names; a name already used by an
 *     earlier table gets the table's prefix (nat's BOXNET is "nat-BOXNET");
 *   - published ports are elements of maps, reached by one rule each, so
 *     that a packet's path and a port's cost do not grow with their number:
 *       ports            l4proto . port        : address . port   (hash)
 *       port-ranges      l4proto . port range  : address          (interval)
 *       host-ports       daddr . l4proto . port       : address . port
 *       host-port-ranges daddr . l4proto . port range : address
 *     looked up by nat-BOXNET ("dnat to ... map @..."). The filter needs
 *     nothing of a port: the model's per-network rule of chain BOXNET
 *     (iifname != BRIDGE oifname BRIDGE ct status dnat accept) lets in what
 *     a DNAT of this host sent, whichever port. A range that keeps its
 *     numbers is one interval element with an address-only DNAT; any other
 *     range (shifted, or many host ports to one container port) is one
 *     element per port. No element is a jump/goto verdict: those make the
 *     kernel re-validate every chain and element on each change.
 *
 * nft_backend's operations: available is nft_available, apply nft_apply,
 * render nft_text, port_add and port_del nft_port_add and nft_port_del (each
 * below); no show: `nft list table ip boxnet` shows what the kernel holds.
 * Below them, the building blocks shared by nft*.c and the unit tests:
 * batches, an attribute writer, one encoder per expression, chain names, the
 * maps of published ports and their elements, the plan of the whole table.
 *
 * Functions that talk to the kernel return 0 or -errno, with a one-line
 * reason in nl_errmsg(). None prints, except nft_text to the FILE it is given.
 */
#ifndef BOXNET_NFT_INT_H
#define BOXNET_NFT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netlink/fw/rule.h"
#include "netlink/mnl.h"

#define NFT_TABLE "boxnet"

/* nft_available - the kernel answers nf_tables (NFT_MSG_GETGEN). */
bool nft_available(void);

/*
 * nft_apply - replace the table `ip boxnet` with @r's IPv4 rules and ports
 * and `ip6 boxnet` with the IPv6 ones in ONE batch (per table NEWTABLE,
 * DELTABLE, NEWTABLE, chains, maps, elements, rules; then END), checking the
 * END's ACK. A table with no rule and no port of its family is deleted.
 * Never touches another table. The rules of chain BOXNET-USER of each table
 * (FW_USER_CHAIN: the user's, jumped to first from filter-FORWARD) are read
 * first and put back as the kernel held them (their expressions, counters
 * included; new handles), the batch guarded by the generation id read before
 * them; a family with no rule and no port but user rules keeps its table
 * with that chain and its jump. A user rule may jump to boxnet's chains but
 * not name a set or object of its own in the table: those go with the table.
 * The first NEWTABLE makes the DELTABLE safe
 * when there is no table yet (DESTROYTABLE would need kernel 6.3). The table
 * is not NFT_TABLE_F_OWNER: it would go with the socket of a command that
 * exits (and OWNER|PERSIST needs 6.9 and confuses nft 1.0.6's listing).
 * -EINVAL/-EOPNOTSUPP for a rule nf_tables cannot say (a DNAT port offset).
 */
int nft_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports);

/*
 * nft_port_add / nft_port_del - the @n published ports @p (@r unused: the
 * ports' rules are the maps') as map elements added to or deleted from the
 * existing table (made by nft_apply), in one batch per family. A single
 * port costs the same however many ports exist (hash maps); a port range
 * lives in interval maps whose kernel update grows with the number of
 * ranges. -EEXIST when a key is taken, an interval partly overlaps one of the
 * same map, or a single port falls in a published range of the same scope
 * (a range that contains an existing range or single port is not detected:
 * the caller's state is the authority on conflicts); -ENOENT when the table
 * is not there (nothing applied yet, or someone flushed it) or, deleting, a
 * port is not. The table is that of the family of the port's ctr_ip.
 */
int nft_port_add(const struct fw_port *p, size_t n, const struct fw_ruleset *r);
int nft_port_del(const struct fw_port *p, size_t n, const struct fw_ruleset *r);

/* nft_text - what nft_apply would install, as `nft list table ip boxnet`
 * then `nft list table ip6 boxnet` (nft 1.0.6) print them; nothing for a
 * table that would be deleted. */
void nft_text(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports, FILE *f);

/* ---- building blocks, shared by nft*.c and the unit tests ---------------- */

#define NFT_MSGMAX 65536 /* room reserved per message: attribute lengths are u16 */
#define NFT_TYPE(m) ((uint16_t)(10 << 8 | (m))) /* NFNL_SUBSYS_NFTABLES */
#define NFT_CHUNK 200    /* elements per NEWSETELEM/DELSETELEM message */

struct nl;

/* a batch of messages in one growable buffer */
struct nft_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq;    /* the next message's sequence number */
	uint32_t set_id; /* the last NFTA_SET_ID handed out */
	int err;         /* sticky -ENOMEM / -EMSGSIZE */
};

/* an attribute writer over one message; @full records an overflow;
 * @family the message's (NFPROTO_IPV4 or NFPROTO_IPV6 = AF_INET, AF_INET6):
 * the expressions that depend on it (addresses, nat) read it here */
struct nft_w {
	struct nlmsghdr *n;
	size_t cap;
	bool full;
	uint8_t family;
};

/* nft_batch_init - an empty batch whose first message gets sequence @seq;
 * nft_batch_free - give its buffer back (the batch may be used again) */
void nft_batch_init(struct nft_batch *b, uint32_t seq);
void nft_batch_free(struct nft_batch *b);
/* nft_msg - start a message of netlink type @type (NFT_TYPE(NFT_MSG_x), or a
 * batch control: 0x10, 0x11), seq b->seq++, nfgenmsg with @family (res_id
 * NFNL_SUBSYS_NFTABLES for the controls). On failure the writer is full and
 * b->err is set. */
struct nft_w nft_msg(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family);
/* nft_msg_end - close the message of @w into @b; a full writer makes b->err
 * -EMSGSIZE (once an error is set, every later message is dropped) */
void nft_msg_end(struct nft_batch *b, struct nft_w *w);
/* BEGIN (with NFNL_BATCH_GENID when @genid != 0) and END (with NLM_F_ACK) */
void nft_batch_begin(struct nft_batch *b, uint32_t genid);
void nft_batch_end(struct nft_batch *b);

/* the attribute writer: each put appends one attribute, or marks @w full and
 * writes nothing more (no call fails otherwise); nests return NULL when full,
 * which nftw_nest_end takes */
void nftw_put(struct nft_w *w, uint16_t type, const void *data, size_t len);
void nftw_u32(struct nft_w *w, uint16_t type, uint32_t host); /* written big-endian */
void nftw_u64(struct nft_w *w, uint16_t type, uint64_t host);
void nftw_str(struct nft_w *w, uint16_t type, const char *s);
struct nlattr *nftw_nest(struct nft_w *w, uint16_t type);
void nftw_nest_end(struct nft_w *w, struct nlattr *nest);
/* NFTA_*_DATA {NFTA_DATA_VALUE} and {NFTA_DATA_VERDICT {CODE, [CHAIN]}} */
void nftw_data(struct nft_w *w, uint16_t type, const void *v, size_t len);
void nftw_verdict(struct nft_w *w, uint16_t type, int code, const char *chain);

/* expressions, each one NFTA_LIST_ELEM inside an open NFTA_RULE_EXPRESSIONS */
/* nft_expr_open - open NFTA_LIST_ELEM { NAME @name, DATA { … } } in @w: the
 * caller puts the expression's attributes, then closes both nests with
 * nft_expr_close(@w, returned, *@data) */
struct nlattr *nft_expr_open(struct nft_w *w, const char *name, struct nlattr **data);
void nft_expr_close(struct nft_w *w, struct nlattr *e, struct nlattr *data);

void nft_expr_payload(struct nft_w *w, uint32_t dreg, uint32_t base, uint32_t off, uint32_t len);
void nft_expr_meta(struct nft_w *w, uint32_t key, uint32_t dreg);
void nft_expr_cmp(struct nft_w *w, uint32_t sreg, uint32_t op, const void *data, size_t len);
void nft_expr_bitwise(struct nft_w *w, uint32_t reg, const void *mask, const void *xor,
		      size_t len);
void nft_expr_immediate(struct nft_w *w, uint32_t dreg, const void *data, size_t len);
void nft_expr_verdict(struct nft_w *w, int code, const char *chain);
/* lookup: @dreg < 0 for a plain set; @flags NFT_LOOKUP_F_INV for "!=" */
void nft_expr_lookup(struct nft_w *w, const char *set, uint32_t set_id, uint32_t sreg, int dreg,
		     uint32_t flags);
void nft_expr_ct(struct nft_w *w, uint32_t key, uint32_t dreg);
/* nft_expr_ct_bits - ct KEY & @bits != 0 (ct state / ct status flags) */
void nft_expr_ct_bits(struct nft_w *w, uint32_t key, uint32_t bits);
void nft_expr_fib(struct nft_w *w, uint32_t flags, uint32_t result, uint32_t dreg);
/* nat: @addr/@pmin/@pmax registers (0 = none), @flags 0 = attribute left out */
void nft_expr_nat(struct nft_w *w, uint32_t type, uint32_t addr, uint32_t pmin, uint32_t pmax,
		  uint32_t flags);
void nft_expr_masq(struct nft_w *w);

/* nft_expr_prefix - ip/ip6 saddr or daddr (@dst) [!=] @p: a load of the
 * prefix's whole bytes and cmp when it is byte-aligned, else a load of the
 * whole address, bitwise and cmp (iptables-nft's form); nothing for /0.
 * -EINVAL for a prefix not of w->family or "!= /0". */
int nft_expr_prefix(struct nft_w *w, bool dst, const struct ipprefix *p, bool inv);

/* nft_rule_exprs - the expressions of @r; @target is its jump target's nft
 * name. What nf_tables cannot say: -EOPNOTSUPP for a DNAT port offset,
 * -EINVAL for "!= /0", an address not of w->family (the table's), a
 * port without a protocol or a jump without a target. */
int nft_rule_exprs(struct nft_w *w, const struct fw_rule *r, const char *target);

/* chain names: @buf of NFT_NAMESZ; NULL when @chain is unknown in @t */
#define NFT_NAMESZ 64
const char *nft_chain_name(enum fw_table t, const char *chain, char *buf);
/* the base chain of built-in @chain of @t: hook number, priority, type */
bool nft_base_chain(enum fw_table t, const char *chain, int *hook, int *prio, const char **type);

/* the maps of published ports, in creation (and listing) order */
enum nft_map {
	NFT_PORTS,
	NFT_PORT_RANGES,
	NFT_HOST_PORTS,
	NFT_HOST_RANGES,
	NFT_NMAPS
};
#define NFT_KEYMAX 24 /* ipv6_addr . proto . port */
#define NFT_DATAMAX 20 /* ipv6_addr . inet_service */

struct nft_mapdef {
	const char *name;
	uint32_t flags, ktype, klen, dtype, dlen;
	uint8_t nfields, field[3];   /* NFTA_SET_DESC_CONCAT (interval maps only) */
	const uint8_t *udata;        /* nft's NFTA_SET_USERDATA for the same type */
	uint8_t udlen;
	const char *text;            /* the "type ..." line; a map when flags has NFT_SET_MAP */
};
/* the maps of table ip (names and flags are the same in ip6) and of ip6 */
extern const struct nft_mapdef nft_maps[NFT_NMAPS], nft_maps6[NFT_NMAPS];

static inline const struct nft_mapdef *nft_mapdef(int family, enum nft_map m)
{
	return family == AF_INET6 /* = NFPROTO_IPV6 */ ? &nft_maps6[m] : &nft_maps[m];
}

/* one element of a port map */
struct nft_elem {
	enum nft_map map;
	struct ipaddr addr;    /* the key's address (host or container); unset in
				* the maps without one (ports, port-ranges) */
	uint8_t proto;
	uint16_t lo, hi;       /* key port(s); hi > lo only in interval maps */
	struct ipaddr to_addr; /* nat maps: DNAT address */
	uint16_t to_port;      /* NFT_PORTS, NFT_HOST_PORTS: DNAT port */
};

/* nft_port_elems - the map elements of @p. Returns how many, or -EINVAL (a
 * protocol other than tcp, udp, sctp, a port 0 or a reversed range, a host
 * address of another family than the container's, no container address);
 * @out NULL just counts. */
long nft_port_elems(const struct fw_port *p, struct nft_elem *out);
/* nft_elem_key - the KEY (or KEY_END) bytes of @e into @k[NFT_KEYMAX]; returns the length */
size_t nft_elem_key(const struct nft_elem *e, bool end, uint8_t *k);
/* nft_elem_put - one NFTA_LIST_ELEM of @e, data as the maps of w->family have it */
void nft_elem_put(struct nft_w *w, const struct nft_elem *e, bool with_data);
/* nft_elem_cmp - nft's listing order of hash maps' elements (qsort order) */
int nft_elem_cmp(const struct nft_elem *a, const struct nft_elem *b);

/* the whole plan of the table: chains in creation order, elements per map */
struct nft_chain {
	uint8_t family;            /* the table's: NFPROTO_IPV4, NFPROTO_IPV6 */
	enum fw_table table;
	const char *fwname;        /* the model's name */
	char name[NFT_NAMESZ];
	bool base;
	int hook, prio;
	const char *type;
};

struct nft_plan {
	uint8_t family;            /* the table's: NFPROTO_IPV4 (ip), NFPROTO_IPV6 (ip6) */
	struct nft_chain *chains;
	size_t nchains;
	struct nft_elem *elems;    /* the elements of all maps */
	size_t nelems;
	bool empty;                /* nothing to install: the table goes */
	/* the rules the kernel holds in FW_USER_CHAIN, put back after the
	 * model's: NFTA_RULE_EXPRESSIONS payloads as dumped, each preceded by
	 * its length (a size_t); set by nft_apply, not by nft_plan_build */
	const char *user;
	size_t user_len;
	uint32_t genid;            /* the batch's guard (0: none); set by nft_apply */
};

/* nft_plan_build - chains and elements of @r's rules and @ports of @family
 * (AF_INET: table ip, AF_INET6: table ip6); free with nft_plan_free */
int nft_plan_build(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		   int family, struct nft_plan *p);
void nft_plan_free(struct nft_plan *p);
/* nft_map_rule - the port rules of chain @c (nat-BOXNET) as expressions
 * of rule number @i; false when @c has no more */
bool nft_map_rule(const struct nft_chain *c, int i, struct nft_w *w, uint32_t set_id0);
/* the nft text of map rule @i of @c (same numbering) */
const char *nft_map_rule_text(const struct nft_chain *c, int i);

/* nft_put_elems - the elements of @v[0..n) that belong to map @m of the
 * table of @family, in messages @type (NFT_MSG_NEWSETELEM / DELSETELEM) of
 * NFT_CHUNK elements; @set_id != 0 names a map created in the same batch */
void nft_put_elems(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family,
		   enum nft_map m, uint32_t set_id, const struct nft_elem *v, size_t n);

/* nft_build_apply - the batch nft_apply sends, without the socket: the
 * tables of the @n plans @p (one per family), guarded by @p[0].genid */
int nft_build_apply(const struct nft_plan *p, size_t n, const struct fw_ruleset *r,
		    struct nft_batch *b);

/* nft_commit - send @b in one sendmsg and wait for the END's ACK: 0 when
 * committed, else the first error, described in nl_errmsg() (which message
 * failed, errno text, the kernel's extack). */
int nft_commit(struct nl *nl, const struct nft_batch *b);

/* nft_genid - the rule set's generation (NFT_MSG_GETGEN) */
int nft_genid(struct nl *nl, uint32_t *genid);

#endif
