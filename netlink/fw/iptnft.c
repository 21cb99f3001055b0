// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The iptables-nft backend (iptnft.h): boxnet's chains and rules in the
 * tables iptables-nft uses (ip6tables-nft's for IPv6 rules), in its
 * expressions, one batch per apply. A rule is first encoded as the legacy
 * ipt_entry or ip6t_entry (xt_rule.c); its ip part becomes
 * native expressions, its tcp/udp match a payload, its other matches and its
 * target xt compat expressions with the entry's data, as iptables-nft does.
 */
#include "lib/errstr.h"
#include "netlink/fw/backend.h"
#include "netlink/fw/iptnft.h"
#include "netlink/fw/xt_int.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_tcpudp.h>

#include "netlink/nl.h"

#define TRIES 5     /* reads and batches after a concurrent change (ERESTART) */
#define NAMESZ 32   /* the chains this backend looks at: iptables' names */

/* ---- a rule as iptables-nft writes it --------------------------------------- */

/* an exact name is compared with its NUL, "prefix+" by its prefix */
static void put_iface(struct nft_w *w, uint32_t key, const char *name, bool inv)
{
	size_t n = strlen(name);

	nft_expr_meta(w, key, NFT_REG_1);
	nft_expr_cmp(w, NFT_REG_1, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, name,
		     name[n - 1] == '+' ? n - 1 : n + 1);
}

/* tcp/udp --dport: the legacy match's destination ports (tcp and udp alike) */
static void put_dport(struct nft_w *w, const struct xt_udp *u)
{
	uint16_t lo = htons(u->dpts[0]), hi = htons(u->dpts[1]);
	struct nlattr *d, *e;

	nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	if (lo == hi) {
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &lo, 2);
		return;
	}
	e = nft_expr_open(w, "range", &d);
	nftw_u32(w, NFTA_RANGE_SREG, NFT_REG_1);
	nftw_u32(w, NFTA_RANGE_OP, NFT_RANGE_EQ);
	nftw_data(w, NFTA_RANGE_FROM_DATA, &lo, 2);
	nftw_data(w, NFTA_RANGE_TO_DATA, &hi, 2);
	nft_expr_close(w, e, d);
}

/* an xt match or target: name, revision and the legacy entry's data (its
 * XT_ALIGNed size, which nft_compat checks) */
static void put_xt(struct nft_w *w, const char *kind, const struct xt_entry_match *x)
{
	struct nlattr *d, *e = nft_expr_open(w, kind, &d);

	nftw_str(w, NFTA_MATCH_NAME, x->u.user.name);
	nftw_u32(w, NFTA_MATCH_REV, x->u.user.revision);
	nftw_put(w, NFTA_MATCH_INFO, x->data, x->u.user.match_size - sizeof(*x));
	nft_expr_close(w, e, d);
}

int iptnft_rule_exprs(struct nft_w *w, const struct fw_rule *r)
{
	unsigned char buf[XT_ENTRY_MAX] __attribute__((aligned(8)));
	int fam = fw_is6(r) ? AF_INET6 : AF_INET;
	size_t toff;
	const struct xt_entry_match *x;
	const struct fw_match *m = &r->m;
	struct nlattr *d, *c;
	int ret = xt_rule_encode(r, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	if (w->family != (fam == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4))
		return -EINVAL; /* a rule of the other family's tables */
	toff = xt_toff(fam, buf);
	if (m->iif[0])
		put_iface(w, NFT_META_IIFNAME, m->iif, m->not_iif);
	if (m->oif[0])
		put_iface(w, NFT_META_OIFNAME, m->oif, m->not_oif);
	if (m->proto) {
		nft_expr_meta(w, NFT_META_L4PROTO, NFT_REG_1);
		nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, &m->proto, 1);
	}
	ret = ip_is_set(&m->src.a) ? nft_expr_prefix(w, false, &m->src, m->not_src) : 0;
	if (!ret && ip_is_set(&m->dst.a))
		ret = nft_expr_prefix(w, true, &m->dst, m->not_dst);
	if (ret)
		return ret;
	for (size_t off = xt_hdr_len(fam); off < toff; off += x->u.user.match_size) {
		x = (const void *)(buf + off);
		if (!strcmp(x->u.user.name, "tcp") || !strcmp(x->u.user.name, "udp"))
			put_dport(w, (const void *)x->data);
		else
			put_xt(w, "match", x);
	}
	c = nft_expr_open(w, "counter", &d);
	nftw_u64(w, NFTA_COUNTER_BYTES, 0);
	nftw_u64(w, NFTA_COUNTER_PACKETS, 0);
	nft_expr_close(w, c, d);
	x = (const void *)(buf + toff);
	if (x->u.user.name[0]) {
		put_xt(w, "target", x);
		return 0;
	}
	switch (r->verdict) {
	case FW_ACCEPT: nft_expr_verdict(w, NF_ACCEPT, NULL); return 0;
	case FW_DROP: nft_expr_verdict(w, NF_DROP, NULL); return 0;
	case FW_RETURN: nft_expr_verdict(w, NFT_RETURN, NULL); return 0;
	default:
		if (r->verdict != FW_JUMP || !r->target)
			return -EINVAL;
		nft_expr_verdict(w, NFT_JUMP, r->target);
		return 0;
	}
}

int iptnft_put_rule(struct nft_batch *b, const struct fw_rule *r, bool top)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWRULE),
				 NLM_F_CREATE | (top ? 0 : NLM_F_APPEND),
				 fw_is6(r) ? NFPROTO_IPV6 : NFPROTO_IPV4);
	struct nlattr *n;
	int ret;

	nftw_str(&w, NFTA_RULE_TABLE, fw_table_names[r->table]);
	nftw_str(&w, NFTA_RULE_CHAIN, r->chain);
	n = nftw_nest(&w, NFTA_RULE_EXPRESSIONS);
	ret = iptnft_rule_exprs(&w, r);
	nftw_nest_end(&w, n);
	n = nftw_nest(&w, NFTA_RULE_COMPAT);
	nftw_u32(&w, NFTA_RULE_COMPAT_PROTO, r->m.proto);
	nftw_u32(&w, NFTA_RULE_COMPAT_FLAGS, 0);
	nftw_nest_end(&w, n);
	nft_msg_end(b, &w);
	return ret;
}

bool iptnft_base(enum fw_table t, const char *chain, int *hook, int *prio)
{
	static const char *const hooks[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT",
					     "POSTROUTING" };

	for (int b = 0; b < 5 && fw_builtins[t][b]; b++) {
		if (strcmp(chain, fw_builtins[t][b]))
			continue;
		for (*hook = 0; strcmp(hooks[*hook], chain); ++*hook)
			;
		*prio = t == FW_RAW ? -300 : t == FW_FILTER ? 0 : *hook % 3 == 0 ? -100 : 100;
		return true;
	}
	return false;
}

/* ---- what the tables hold now ------------------------------------------------ */

struct ichain {
	int t;
	bool base;
	uint32_t policy, nrules, njumps;
	char name[NAMESZ];
};

struct ijump {
	int t;
	bool user;          /* into FW_USER_CHAIN */
	uint64_t handle;
	char chain[NAMESZ];
};

/* the built-in and boxnet chains of raw, filter and nat of one family, and
 * the jumps of the built-in ones into boxnet's chains */
struct istate {
	uint8_t family;           /* NFPROTO_IPV4 (iptables-nft), NFPROTO_IPV6 (ip6tables-nft) */
	struct ichain *c;
	size_t nc;
	struct ijump *j;
	size_t nj;
	uint32_t use[FW_NTABLES]; /* the table's chains, sets, objects */
	bool have[FW_NTABLES];
	int err;
};

static void *grow(void *v, size_t n, size_t size, int *err)
{
	void *p = n % 16 ? v : realloc(v, (n + 16) * size);

	if (!p)
		*err = -ENOMEM;
	else
		memset((char *)p + n * size, 0, size);
	return p;
}

static int table_of(const struct nlattr *a)
{
	for (int t = 0; a && t < FW_NTABLES; t++)
		if (!strcmp(mnl_attr_get_str(a), fw_table_names[t]))
			return t;
	return -1;
}

static struct ichain *find(const struct istate *s, int t, const char *name)
{
	for (size_t i = 0; i < s->nc; i++)
		if (s->c[i].t == t && !strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

static int table_cb(const struct nlmsghdr *n, void *arg)
{
	struct istate *s = arg;
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	int t;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_TABLE_MAX);
	if ((t = table_of(tb[NFTA_TABLE_NAME])) >= 0) {
		s->have[t] = true;
		s->use[t] = tb[NFTA_TABLE_USE] ? ntohl(mnl_attr_get_u32(tb[NFTA_TABLE_USE])) : ~0u;
	}
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *n, void *arg)
{
	struct istate *s = arg;
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1];
	const char *name;
	struct ichain *c;
	int t, hook, prio;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_CHAIN_MAX);
	if ((t = table_of(tb[NFTA_CHAIN_TABLE])) < 0 || !tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	name = mnl_attr_get_str(tb[NFTA_CHAIN_NAME]);
	if (strlen(name) >= NAMESZ ||
	    !(xt_is_boxnet(name) || (tb[NFTA_CHAIN_HOOK] && iptnft_base(t, name, &hook, &prio))))
		return MNL_CB_OK;
	if (!(s->c = grow(s->c, s->nc, sizeof(*s->c), &s->err)))
		return MNL_CB_ERROR;
	c = &s->c[s->nc++];
	c->t = t;
	c->base = tb[NFTA_CHAIN_HOOK] != NULL;
	c->policy = tb[NFTA_CHAIN_POLICY] ? ntohl(mnl_attr_get_u32(tb[NFTA_CHAIN_POLICY])) : NF_ACCEPT;
	strcpy(c->name, name);
	return MNL_CB_OK;
}

/* the attribute @type nested in @a, or NULL */
static const struct nlattr *sub(const struct nlattr *a, uint16_t type)
{
	const struct nlattr *x;

	if (a)
		mnl_attr_for_each_nested(x, a)
			if (mnl_attr_get_type(x) == type)
				return x;
	return NULL;
}

/* the chain a rule's last expression jumps or goes to, or NULL: "immediate"
 * is the only expression with a verdict, and only jump and goto name a chain */
static const char *jump_of(const struct nlattr *exprs)
{
	const struct nlattr *el, *last = NULL;

	mnl_attr_for_each_nested(el, exprs)
		last = el;
	last = sub(sub(sub(sub(last, NFTA_EXPR_DATA), NFTA_IMMEDIATE_DATA), NFTA_DATA_VERDICT),
		   NFTA_VERDICT_CHAIN);
	return last ? mnl_attr_get_str(last) : NULL;
}

static int rule_cb(const struct nlmsghdr *n, void *arg)
{
	struct istate *s = arg;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	const char *to;
	struct ichain *c;
	struct ijump *j;
	int t;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	if ((t = table_of(tb[NFTA_RULE_TABLE])) < 0 || !tb[NFTA_RULE_CHAIN] ||
	    !(c = find(s, t, mnl_attr_get_str(tb[NFTA_RULE_CHAIN]))))
		return MNL_CB_OK;
	c->nrules++;
	if (!c->base || !tb[NFTA_RULE_HANDLE] || !tb[NFTA_RULE_EXPRESSIONS] ||
	    !(to = jump_of(tb[NFTA_RULE_EXPRESSIONS])) || !xt_is_boxnet(to))
		return MNL_CB_OK;
	if (!(s->j = grow(s->j, s->nj, sizeof(*s->j), &s->err)))
		return MNL_CB_ERROR;
	j = &s->j[s->nj++];
	j->t = t;
	j->user = !strcmp(to, FW_USER_CHAIN);
	j->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	strcpy(j->chain, c->name);
	c->njumps++;
	return MNL_CB_OK;
}

static void istate_free(struct istate *s)
{
	uint8_t family = s->family;

	free(s->c);
	free(s->j);
	memset(s, 0, sizeof(*s));
	s->family = family;
}

static int dump(struct nl *nl, uint8_t msg, mnl_cb_t cb, struct istate *s)
{
	struct nfgenmsg g = { s->family, NFNETLINK_V0, 0 };
	int ret = nl_dump(nl, nl_req(nl, NFT_TYPE(msg), 0, &g, sizeof(g)), cb, s);

	return s->err ? s->err : ret;
}

static int istate_read(struct nl *nl, struct istate *s, uint32_t *genid)
{
	int ret;

	istate_free(s);
	if ((ret = nft_genid(nl, genid)) || (ret = dump(nl, NFT_MSG_GETTABLE, table_cb, s)) ||
	    (ret = dump(nl, NFT_MSG_GETCHAIN, chain_cb, s)))
		return ret;
	return dump(nl, NFT_MSG_GETRULE, rule_cb, s);
}

/* ---- the batch --------------------------------------------------------------- */

/* a message naming a table of family @f and maybe a chain (attribute 1 and @cattr) */
static struct nft_w msg(struct nft_batch *b, uint8_t f, int type, uint16_t flags, int t,
			uint16_t cattr, const char *chain)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(type), flags, f);

	nftw_str(&w, 1, fw_table_names[t]);
	if (chain)
		nftw_str(&w, cattr, chain);
	return w;
}

static void put(struct nft_batch *b, uint8_t f, int type, int t, uint16_t cattr, const char *chain)
{
	struct nft_w w =
	    msg(b, f, type, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0, t, cattr, chain);

	nft_msg_end(b, &w);
}

static void del_rule(struct nft_batch *b, uint8_t f, int t, const char *chain, uint64_t handle)
{
	struct nft_w w = msg(b, f, NFT_MSG_DELRULE, 0, t, NFTA_RULE_CHAIN, chain);

	if (handle)
		nftw_u64(&w, NFTA_RULE_HANDLE, handle);
	nft_msg_end(b, &w);
}

/* a chain that does not exist yet: built-in ones as iptables-nft makes them */
static void new_chain(struct nft_batch *b, const struct istate *s, int t, const char *name)
{
	struct nft_w w;
	struct nlattr *h;
	int hook, prio;

	if (find(s, t, name))
		return;
	w = msg(b, s->family, NFT_MSG_NEWCHAIN, NLM_F_CREATE, t, NFTA_CHAIN_NAME, name);
	if (iptnft_base(t, name, &hook, &prio)) {
		h = nftw_nest(&w, NFTA_CHAIN_HOOK);
		nftw_u32(&w, NFTA_HOOK_HOOKNUM, (uint32_t)hook);
		nftw_u32(&w, NFTA_HOOK_PRIORITY, (uint32_t)prio);
		nftw_nest_end(&w, h);
		nftw_u32(&w, NFTA_CHAIN_POLICY, NF_ACCEPT);
		nftw_str(&w, NFTA_CHAIN_TYPE, t == FW_NAT ? "nat" : "filter");
	}
	nft_msg_end(b, &w);
}

/* the rule belongs in table @t of the family of @s */
static bool in(const struct istate *s, const struct fw_rule *x, int t)
{
	return x->table == (enum fw_table)t && fw_is6(x) == (s->family == NFPROTO_IPV6);
}

/* @name is a chain @r puts rules into or jumps to in @t (or one of boxnet's) */
static bool wanted(const struct istate *s, const struct fw_ruleset *r, int t, const char *name)
{
	for (int c = 0; c < 6 && fw_chains[t][c]; c++)
		if (!strcmp(fw_chains[t][c], name))
			return true;
	for (size_t i = 0; i < r->n; i++)
		if (in(s, &r->v[i], t) &&
		    (!strcmp(r->v[i].chain, name) ||
		     (r->v[i].verdict == FW_JUMP && r->v[i].target && !strcmp(r->v[i].target, name))))
			return true;
	return false;
}

/* boxnet's part of table @t out, then @r's in */
static int build_table(struct nft_batch *b, const struct istate *s, const struct fw_ruleset *r,
		       int t)
{
	const struct fw_rule *v = r->v;
	const struct ichain *user = find(s, t, FW_USER_CHAIN);
	bool need = false, keep;
	uint32_t gone = 0;
	uint8_t f = s->family;
	int ret = 0, hook, prio;

	for (size_t i = 0; i < r->n; i++)
		need |= in(s, &v[i], t);
	/* the user's chain is never flushed; with nothing of boxnet's left it
	 * stays, with its jump, while it holds rules */
	keep = user && (need || user->nrules);
	for (size_t i = 0; i < s->nj; i++)
		if (s->j[i].t == t && (need || !keep || !s->j[i].user))
			del_rule(b, f, t, s->j[i].chain, s->j[i].handle);
	/* all flushed before any goes: they may jump into each other */
	for (size_t i = 0; i < s->nc; i++)
		if (s->c[i].t == t && !s->c[i].base && &s->c[i] != user)
			del_rule(b, f, t, s->c[i].name, 0);
	for (size_t i = 0; i < s->nc; i++) {
		const struct ichain *c = &s->c[i];
		bool user_jump = false;

		for (size_t k = 0; k < s->nj; k++)
			user_jump |= s->j[k].t == t && s->j[k].user && !strcmp(s->j[k].chain, c->name);
		if (c->t != t || (need && !c->base && wanted(s, r, t, c->name)) || (keep && c == user))
			continue;
		if (c->base && (need || !c->njumps || c->nrules != c->njumps || c->policy != NF_ACCEPT ||
				(keep && user_jump)))
			continue;
		put(b, f, NFT_MSG_DELCHAIN, t, NFTA_CHAIN_NAME, c->name);
		gone++;
	}
	if (!need) {
		if (s->have[t] && s->use[t] == gone)
			put(b, f, NFT_MSG_DELTABLE, t, 0, NULL);
		return 0;
	}
	put(b, f, NFT_MSG_NEWTABLE, t, 0, NULL);
	for (size_t i = 0; i < r->n; i++)
		if (in(s, &v[i], t) && iptnft_base(t, v[i].chain, &hook, &prio))
			new_chain(b, s, t, v[i].chain);
	for (int c = 0; c < 6 && fw_chains[t][c]; c++)
		new_chain(b, s, t, fw_chains[t][c]);
	for (size_t i = 0; i < r->n; i++) {
		bool seen = false;

		if (!in(s, &v[i], t) || iptnft_base(t, v[i].chain, &hook, &prio))
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = in(s, &v[k], t) && !strcmp(v[k].chain, v[i].chain);
		for (int c = 0; c < 6 && fw_chains[t][c] && !seen; c++)
			seen = !strcmp(fw_chains[t][c], v[i].chain);
		if (!seen)
			new_chain(b, s, t, v[i].chain);
	}
	/* the jumps at the top of the built-in chains, in @r's order */
	for (size_t i = r->n; i-- > 0 && !ret;)
		if (in(s, &v[i], t) && iptnft_base(t, v[i].chain, &hook, &prio))
			ret = iptnft_put_rule(b, &v[i], true);
	for (size_t i = 0; i < r->n && !ret; i++)
		if (in(s, &v[i], t) && !iptnft_base(t, v[i].chain, &hook, &prio))
			ret = iptnft_put_rule(b, &v[i], false);
	return ret;
}

static int iptnft_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports)
{
	/* iptables-nft's tables (ip) and ip6tables-nft's (ip6), in one batch */
	struct istate s[2] = { { .family = NFPROTO_IPV4 }, { .family = NFPROTO_IPV6 } };
	struct nft_batch b = { 0 };
	struct nl *nl = NULL;
	uint32_t genid, genid6;
	int ret;

	nl_errmsg_clear();
	if ((ret = nl_open(&nl, NETLINK_NETFILTER)))
		return nl_fail(ret, "cannot open a netfilter socket: %s", errstr(-ret));
	for (int try = 0; try < TRIES; try++) {
		/* a change between the reads: the batch, guarded by the first
		 * generation, fails with ERESTART and all is read again */
		if ((ret = istate_read(nl, &s[0], &genid)) ||
		    (ret = istate_read(nl, &s[1], &genid6))) {
			if (ret == -EINTR)
				continue;
			break;
		}
		nft_batch_free(&b);
		nft_batch_init(&b, genid);
		nft_batch_begin(&b, genid);
		for (int k = 0; k < 2 && !ret; k++)
			for (int t = 0; t < FW_NTABLES && !ret; t++)
				ret = build_table(&b, &s[k], r, t);
		nft_batch_end(&b);
		if (ret || (ret = b.err))
			break;
		if ((ret = nft_commit(nl, &b)) != -ERESTART)
			break;
	}
	/* nft_commit and the dumps word their failures; the others are errno's */
	if (ret && !*nl_errmsg())
		nl_fail(ret, "%s", errstr(-ret));
	nft_batch_free(&b);
	istate_free(&s[0]);
	istate_free(&s[1]);
	nl_close(nl);
	return ret;
}

/* ---- ports: their rules alone, in nat BOXNET ------------------------------- */

/* the rules of one chain as dumped: handle and a copy of the expressions */
struct drule {
	uint64_t handle;
	struct nlattr *ex;
	bool taken;
};

struct dchain {
	struct drule *v;
	size_t n;
	int err;
};

static int drule_cb(const struct nlmsghdr *n, void *arg)
{
	struct dchain *c = arg;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct drule *d;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	if (!tb[NFTA_RULE_HANDLE] || !tb[NFTA_RULE_EXPRESSIONS])
		return MNL_CB_OK;
	if (!(c->v = grow(c->v, c->n, sizeof(*c->v), &c->err)))
		return MNL_CB_ERROR;
	d = &c->v[c->n];
	d->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	if (!(d->ex = malloc(mnl_attr_get_len(tb[NFTA_RULE_EXPRESSIONS])))) {
		c->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	memcpy(d->ex, tb[NFTA_RULE_EXPRESSIONS], mnl_attr_get_len(tb[NFTA_RULE_EXPRESSIONS]));
	c->n++;
	return MNL_CB_OK;
}

static void dchain_free(struct dchain *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].ex);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* the rules of chain BOXNET of table nat of @family (the kernel filters the
 * dump by table and chain: no other rule is read) */
static int dump_chain(struct nl *nl, uint8_t family, struct dchain *c)
{
	struct nfgenmsg g = { family, NFNETLINK_V0, 0 };
	struct nlmsghdr *req = nl_req(nl, NFT_TYPE(NFT_MSG_GETRULE), 0, &g, sizeof(g));
	int ret;

	mnl_attr_put_strz(req, NFTA_RULE_TABLE, fw_table_names[FW_NAT]);
	mnl_attr_put_strz(req, NFTA_RULE_CHAIN, "BOXNET");
	ret = nl_dump(nl, req, drule_cb, c);
	return c->err ? c->err : ret;
}

/* every attribute of expression data @a is in @b, but a bitwise operation
 * of 0 (NFT_BITWISE_BOOL), which newer kernels list and older ones do not;
 * by type and payload (the kernel lists a nest without NLA_F_NESTED) */
static bool attrs_in(const struct nlattr *a, const struct nlattr *b, bool bitwise)
{
	const struct nlattr *x, *y;

	mnl_attr_for_each_nested(x, a) {
		bool found = bitwise && mnl_attr_get_type(x) == NFTA_BITWISE_OP &&
			     mnl_attr_get_payload_len(x) == 4 && !mnl_attr_get_u32(x);

		mnl_attr_for_each_nested(y, b)
			found |= mnl_attr_get_type(x) == mnl_attr_get_type(y) &&
				 mnl_attr_get_len(x) == mnl_attr_get_len(y) &&
				 !memcmp(mnl_attr_get_payload(x), mnl_attr_get_payload(y),
					 mnl_attr_get_payload_len(x));
		if (!found)
			return false;
	}
	return true;
}

/* the expressions of two rules say the same, counters aside, whatever order
 * the kernel lists each expression's attributes in */
static bool exprs_same(const struct nlattr *a, const struct nlattr *b)
{
	const struct nlattr *x, *y = mnl_attr_get_payload(b);
	int left = mnl_attr_get_payload_len(b);

	mnl_attr_for_each_nested(x, a) {
		const struct nlattr *ex[NFTA_EXPR_MAX + 1], *ey[NFTA_EXPR_MAX + 1];
		bool bitwise;

		if (left < (int)sizeof(*y) || mnl_attr_get_len(y) > left)
			return false;
		nl_attr_nested_tb(x, ex, NFTA_EXPR_MAX);
		nl_attr_nested_tb(y, ey, NFTA_EXPR_MAX);
		left -= NLA_ALIGN(mnl_attr_get_len(y));
		y = (const void *)((const char *)y + NLA_ALIGN(mnl_attr_get_len(y)));
		if (!ex[NFTA_EXPR_NAME] || !ey[NFTA_EXPR_NAME] ||
		    strcmp(mnl_attr_get_str(ex[NFTA_EXPR_NAME]), mnl_attr_get_str(ey[NFTA_EXPR_NAME])))
			return false;
		if (!strcmp(mnl_attr_get_str(ex[NFTA_EXPR_NAME]), "counter"))
			continue;
		if (!ex[NFTA_EXPR_DATA] || !ey[NFTA_EXPR_DATA])
			return ex[NFTA_EXPR_DATA] == ey[NFTA_EXPR_DATA];
		bitwise = !strcmp(mnl_attr_get_str(ex[NFTA_EXPR_NAME]), "bitwise");
		if (!attrs_in(ex[NFTA_EXPR_DATA], ey[NFTA_EXPR_DATA], bitwise) ||
		    !attrs_in(ey[NFTA_EXPR_DATA], ex[NFTA_EXPR_DATA], bitwise))
			return false;
	}
	return left <= 0;
}

/* the handle of the first untaken rule of @c with @r's expressions; 0 if none */
static uint64_t find_rule(struct dchain *c, const struct fw_rule *r, struct nft_batch *scratch,
			  int *err)
{
	struct nft_w w = nft_msg(scratch, NFT_TYPE(NFT_MSG_NEWRULE), 0,
				 fw_is6(r) ? NFPROTO_IPV6 : NFPROTO_IPV4);
	struct nlattr *ex = nftw_nest(&w, NFTA_RULE_EXPRESSIONS);

	*err = iptnft_rule_exprs(&w, r);
	nftw_nest_end(&w, ex);
	if (!*err && (w.full || !ex))
		*err = -EMSGSIZE;
	for (size_t i = 0; i < c->n && !*err; i++)
		if (!c->v[i].taken && exprs_same(ex, c->v[i].ex)) {
			c->v[i].taken = true;
			return c->v[i].handle;
		}
	return 0;
}

/* the DELRULEs of @r's rules of @family into @b: 0, -ENOENT (a rule that is
 * not there, or no chain), or -errno */
static int del_rules(struct nl *nl, uint8_t family, const struct fw_ruleset *r, struct nft_batch *b)
{
	struct dchain c = { 0 };
	struct nft_batch scratch;
	int ret = dump_chain(nl, family, &c);

	nft_batch_init(&scratch, 0);
	for (size_t i = 0; i < r->n && !ret; i++) {
		uint64_t h;

		if (fw_is6(&r->v[i]) != (family == NFPROTO_IPV6))
			continue;
		/* one message at a time: the scratch space is used again */
		scratch.len = 0;
		h = find_rule(&c, &r->v[i], &scratch, &ret);
		if (!ret && !h)
			ret = nl_fail(-ENOENT, "%s nat BOXNET: a port's rule is not there",
				      family == NFPROTO_IPV6 ? "ip6" : "ip");
		else if (!ret)
			del_rule(b, family, FW_NAT, "BOXNET", h);
	}
	nft_batch_free(&scratch);
	dchain_free(&c);
	return ret;
}

/* one batch: the rules appended to their chain, or the equal ones deleted by
 * handle (guarded by the generation their dump was read under) */
static int ports_once(struct nl *nl, const struct fw_ruleset *r, bool add)
{
	struct nft_batch b;
	uint32_t genid = 0;
	int ret = add ? 0 : nft_genid(nl, &genid);

	nft_batch_init(&b, genid ? genid : 1);
	nft_batch_begin(&b, genid);
	for (int k = 0; k < 2 && !ret; k++) {
		uint8_t family = k ? NFPROTO_IPV6 : NFPROTO_IPV4;

		if (!fwrule_has(r, k ? AF_INET6 : AF_INET))
			continue;
		if (!add)
			ret = del_rules(nl, family, r, &b);
		for (size_t i = 0; add && i < r->n && !ret; i++)
			if (fw_is6(&r->v[i]) == (family == NFPROTO_IPV6))
				ret = iptnft_put_rule(&b, &r->v[i], false);
	}
	nft_batch_end(&b);
	if (!ret)
		ret = nft_commit(nl, &b);
	nft_batch_free(&b);
	return ret;
}

static int iptnft_ports(const struct fw_ruleset *r, bool add)
{
	struct nl *nl = NULL;
	int ret = -ERESTART;

	nl_errmsg_clear();
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].table != FW_NAT || strcmp(r->v[i].chain, "BOXNET"))
			return nl_fail(-EINVAL, "iptables-nft: a port rule outside nat BOXNET");
	if ((ret = nl_open(&nl, NETLINK_NETFILTER)))
		return nl_fail(ret, "cannot open a netfilter socket: %s", errstr(-ret));
	ret = -ERESTART;
	for (int try = 0; try < TRIES && ret == -ERESTART; try++)
		ret = ports_once(nl, r, add);
	if (ret && !*nl_errmsg())
		nl_fail(ret, "%s", errstr(-ret));
	nl_close(nl);
	return ret;
}

static int iptnft_port_add(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return iptnft_ports(r, true);
}

static int iptnft_port_del(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return iptnft_ports(r, false);
}

static void iptnft_render(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
			  FILE *f)
{
	fwrule_save_all(r, f);
}

const struct fw_backend iptnft_backend = {
	.name = "iptables-nft",
	.ports_as_rules = true,
	.available = nft_available,
	.apply = iptnft_apply,
	.render = iptnft_render,
	.port_add = iptnft_port_add,
	.port_del = iptnft_port_del,
};
