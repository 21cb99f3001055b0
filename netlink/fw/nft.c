// SPDX-License-Identifier: GPL-2.0-or-later
/* The whole-table replace: table, chains, maps and sets with their elements,
 * and rules in one batch. The table layout is described in nft_int.h.
 * Also the backend's ops instance. */
#include "lib/errstr.h"
#include "netlink/fw/backend.h"
#include "netlink/fw/nft_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink/nl.h"


/* ---- the table ------------------------------------------------------------- */

static void put_table(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(type), flags, family);

	nftw_str(&w, NFTA_TABLE_NAME, NFT_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		nftw_u32(&w, NFTA_TABLE_FLAGS, 0);
	nft_msg_end(b, &w);
}

static void put_chain(struct nft_batch *b, const struct nft_chain *c)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWCHAIN), NLM_F_CREATE, c->family);
	struct nlattr *hook;

	nftw_str(&w, NFTA_CHAIN_TABLE, NFT_TABLE);
	nftw_str(&w, NFTA_CHAIN_NAME, c->name);
	if (c->base) {
		nftw_str(&w, NFTA_CHAIN_TYPE, c->type);
		nftw_u32(&w, NFTA_CHAIN_POLICY, NF_ACCEPT);
		hook = nftw_nest(&w, NFTA_CHAIN_HOOK);
		nftw_u32(&w, NFTA_HOOK_HOOKNUM, (uint32_t)c->hook);
		nftw_u32(&w, NFTA_HOOK_PRIORITY, (uint32_t)c->prio);
		nftw_nest_end(&w, hook);
	}
	nft_msg_end(b, &w);
}

static void put_set(struct nft_batch *b, uint8_t family, enum nft_map m, uint32_t id)
{
	const struct nft_mapdef *d = nft_mapdef(family, m);
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWSET), NLM_F_CREATE, family);

	nftw_str(&w, NFTA_SET_TABLE, NFT_TABLE);
	nftw_str(&w, NFTA_SET_NAME, d->name);
	nftw_u32(&w, NFTA_SET_FLAGS, d->flags);
	nftw_u32(&w, NFTA_SET_KEY_TYPE, d->ktype);
	nftw_u32(&w, NFTA_SET_KEY_LEN, d->klen);
	if (d->flags & NFT_SET_MAP) {
		nftw_u32(&w, NFTA_SET_DATA_TYPE, d->dtype);
		nftw_u32(&w, NFTA_SET_DATA_LEN, d->dlen);
	}
	nftw_u32(&w, NFTA_SET_ID, id);
	if (d->nfields) {
		struct nlattr *desc = nftw_nest(&w, NFTA_SET_DESC);
		struct nlattr *cat = nftw_nest(&w, NFTA_SET_DESC_CONCAT);

		for (int i = 0; i < d->nfields; i++) {
			struct nlattr *f = nftw_nest(&w, NFTA_LIST_ELEM);

			nftw_u32(&w, NFTA_SET_FIELD_LEN, d->field[i]);
			nftw_nest_end(&w, f);
		}
		nftw_nest_end(&w, cat);
		nftw_nest_end(&w, desc);
	}
	nftw_put(&w, NFTA_SET_USERDATA, d->udata, d->udlen);
	nft_msg_end(b, &w);
}

void nft_put_elems(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family,
		   enum nft_map m, uint32_t set_id, const struct nft_elem *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		struct nft_w w;
		struct nlattr *list;
		int k = 0;

		while (i < n && v[i].map != m)
			i++;
		if (i == n)
			return;
		w = nft_msg(b, NFT_TYPE(type), flags, family);
		nftw_str(&w, NFTA_SET_ELEM_LIST_TABLE, NFT_TABLE);
		nftw_str(&w, NFTA_SET_ELEM_LIST_SET, nft_maps[m].name);
		if (set_id)
			nftw_u32(&w, NFTA_SET_ELEM_LIST_SET_ID, set_id);
		list = nftw_nest(&w, NFTA_SET_ELEM_LIST_ELEMENTS);
		for (; i < n && k < NFT_CHUNK; i++)
			if (v[i].map == m) {
				nft_elem_put(&w, &v[i], type == NFT_MSG_NEWSETELEM);
				k++;
			}
		nftw_nest_end(&w, list);
		nft_msg_end(b, &w);
	}
}

static int put_rule(struct nft_batch *b, const struct nft_chain *c, const struct fw_rule *r,
		    int map_rule, uint32_t id0)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND,
				 c->family);
	char target[NFT_NAMESZ];
	struct nlattr *ex;
	int ret = 0;

	nftw_str(&w, NFTA_RULE_TABLE, NFT_TABLE);
	nftw_str(&w, NFTA_RULE_CHAIN, c->name);
	ex = nftw_nest(&w, NFTA_RULE_EXPRESSIONS);
	if (r)
		ret = nft_rule_exprs(&w, r, r->verdict == FW_JUMP ?
					    nft_chain_name(r->table, r->target, target) : NULL);
	else
		nft_map_rule(c, map_rule, &w, id0);
	nftw_nest_end(&w, ex);
	nft_msg_end(b, &w);
	return ret;
}

/* the port rules (at the top), then the model's rules of chain @c */
static int put_rules(struct nft_batch *b, const struct nft_chain *c, const struct fw_ruleset *r,
		     uint32_t id0)
{
	int ret = 0;

	for (int i = 0; nft_map_rule_text(c, i); i++)
		put_rule(b, c, NULL, i, id0);
	for (size_t i = 0; i < r->n && !ret; i++)
		if (fw_is6(&r->v[i]) == (c->family == NFPROTO_IPV6) && r->v[i].table == c->table &&
		    !strcmp(r->v[i].chain, c->fwname))
			ret = put_rule(b, c, &r->v[i], 0, id0);
	return ret;
}

/* the user's rules back into their chain of @p's table, as the kernel held them */
static void put_user_rules(struct nft_batch *b, const struct nft_plan *p)
{
	char name[NFT_NAMESZ];
	size_t len;

	nft_chain_name(FW_FILTER, FW_USER_CHAIN, name);
	for (size_t off = 0; off + sizeof(len) <= p->user_len; off += sizeof(len) + len) {
		struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND,
					 p->family);

		memcpy(&len, p->user + off, sizeof(len));
		nftw_str(&w, NFTA_RULE_TABLE, NFT_TABLE);
		nftw_str(&w, NFTA_RULE_CHAIN, name);
		nftw_put(&w, NLA_F_NESTED | NFTA_RULE_EXPRESSIONS, p->user + off + sizeof(len), len);
		nft_msg_end(b, &w);
	}
}

/* one table: made afresh from its plan (the user's rules put back), or deleted */
static int put_plan(const struct nft_plan *p, const struct fw_ruleset *r, struct nft_batch *b)
{
	uint32_t id0 = b->set_id + 1;
	int ret = 0;

	put_table(b, NFT_MSG_NEWTABLE, 0, p->family); /* so that DELTABLE finds one */
	put_table(b, NFT_MSG_DELTABLE, 0, p->family);
	if (!p->empty) {
		put_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE, p->family);
		for (size_t i = 0; i < p->nchains; i++)
			put_chain(b, &p->chains[i]);
		for (int m = 0; m < NFT_NMAPS; m++) {
			put_set(b, p->family, m, id0 + m);
			nft_put_elems(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE, p->family, m, id0 + m,
				      p->elems, p->nelems);
		}
		b->set_id = id0 + NFT_NMAPS - 1;
		for (size_t i = 0; i < p->nchains && !ret; i++)
			ret = put_rules(b, &p->chains[i], r, id0);
		put_user_rules(b, p);
	}
	return ret;
}

int nft_build_apply(const struct nft_plan *p, size_t n, const struct fw_ruleset *r,
		    struct nft_batch *b)
{
	int ret = 0;

	nft_batch_begin(b, n ? p[0].genid : 0);
	for (size_t i = 0; i < n && !ret; i++)
		ret = put_plan(&p[i], r, b);
	nft_batch_end(b);
	return ret ? ret : b->err;
}

/* the table boxnet of @family is in the kernel */
static bool table_exists(struct nl *nl, uint8_t family)
{
	struct nfgenmsg g = { family, NFNETLINK_V0, 0 };
	struct nft_w w = { nl_req(nl, NFT_TYPE(NFT_MSG_GETTABLE), 0, &g, sizeof(g)), NL_REQSZ,
			   false, family };

	nftw_str(&w, NFTA_TABLE_NAME, NFT_TABLE);
	return !w.full && nl_talk(nl, w.n, NULL, NULL) == 0;
}

/* the user's rules: each rule's expressions, after its length */
struct user_rules {
	FILE *f;
	int err;
};

static int user_cb(const struct nlmsghdr *n, void *arg)
{
	struct user_rules *u = arg;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	size_t len;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	if (!tb[NFTA_RULE_EXPRESSIONS])
		return MNL_CB_OK;
	len = mnl_attr_get_payload_len(tb[NFTA_RULE_EXPRESSIONS]);
	if (fwrite(&len, sizeof(len), 1, u->f) != 1 ||
	    fwrite(mnl_attr_get_payload(tb[NFTA_RULE_EXPRESSIONS]), 1, len, u->f) != len)
		u->err = -ENOMEM;
	return MNL_CB_OK;
}

/* the rules of FW_USER_CHAIN in the table of @family into *@buf (*@len bytes) */
static int read_user(struct nl *nl, uint8_t family, char **buf, size_t *len)
{
	struct nfgenmsg g = { family, NFNETLINK_V0, 0 };
	struct user_rules u = { open_memstream(buf, len), 0 };
	struct nlmsghdr *req;
	char name[NFT_NAMESZ];
	int ret;

	if (!u.f)
		return -ENOMEM;
	req = nl_req(nl, NFT_TYPE(NFT_MSG_GETRULE), 0, &g, sizeof(g));
	mnl_attr_put_strz(req, NFTA_RULE_TABLE, NFT_TABLE);
	mnl_attr_put_strz(req, NFTA_RULE_CHAIN, nft_chain_name(FW_FILTER, FW_USER_CHAIN, name));
	ret = nl_dump(nl, req, user_cb, &u);
	/* no table yet: no user rules */
	ret = ret == -ENOENT ? 0 : ret;
	if (fclose(u.f) && !ret)
		ret = -ENOMEM;
	return ret ? ret : u.err;
}

/* the plans of both families from @r; p[1] IPv6's */
static int plans(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		 struct nft_plan p[2])
{
	int ret = nft_plan_build(r, ports, nports, AF_INET, &p[0]);

	if (!ret && (ret = nft_plan_build(r, ports, nports, AF_INET6, &p[1])))
		nft_plan_free(&p[0]);
	return ret;
}

/* @r's plans; a family with nothing of boxnet's but the user's rules
 * (@ulen[k]) keeps its jump into them: @r plus that jump, in @ext (freed by
 * the caller), is the rule set the plans are of, returned in *@use */
static int plans_user(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		      const size_t ulen[2], struct nft_plan p[2], struct fw_ruleset *ext,
		      const struct fw_ruleset **use)
{
	int ret = plans(r, ports, nports, p);

	*use = r;
	if (ret || !((p[0].empty && ulen[0]) || (p[1].empty && ulen[1])))
		return ret;
	if (!(ext->v = malloc((r->n + 2) * sizeof(*ext->v)))) {
		ret = -ENOMEM;
		goto out;
	}
	if (r->n) /* r->v may be NULL */
		memcpy(ext->v, r->v, r->n * sizeof(*ext->v));
	ext->n = r->n;
	for (int k = 0; k < 2; k++)
		if (p[k].empty && ulen[k])
			ext->v[ext->n++] = (struct fw_rule){
				.table = FW_FILTER, .chain = "FORWARD", .verdict = FW_JUMP,
				.target = FW_USER_CHAIN, .family = k ? AF_INET6 : AF_INET };
	*use = ext;
out:
	nft_plan_free(&p[0]);
	nft_plan_free(&p[1]);
	return ret ? ret : plans(ext, ports, nports, p);
}

#define TRIES 5 /* reads and batches after a concurrent change (ERESTART) */

int nft_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports)
{
	static const uint8_t fams[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	struct nft_plan p[2];
	struct nft_batch b = { 0 };
	struct nl *nl = NULL;
	char *user[2] = { NULL, NULL };
	size_t ulen[2] = { 0, 0 };
	uint32_t genid;
	int ret;

	nl_errmsg_clear();
	ret = nl_open(&nl, NETLINK_NETFILTER);
	if (ret)
		return nl_fail(ret, "cannot open a netfilter socket: %s", errstr(-ret));
	for (int try = 0; try < TRIES; try++) {
		struct fw_ruleset ext = { 0 };
		const struct fw_ruleset *use;
		size_t n;

		for (int k = 0; k < 2; k++) {
			free(user[k]);
			user[k] = NULL;
			ulen[k] = 0;
		}
		nl_errmsg_clear();
		/* the generation first: the batch fails if anything changed after */
		ret = nft_genid(nl, &genid);
		for (int k = 0; k < 2 && !ret; k++)
			ret = read_user(nl, fams[k], &user[k], &ulen[k]);
		if (ret) {
			if (!*nl_errmsg())
				nl_fail(ret, "cannot read the rules of %s: %s", FW_USER_CHAIN, errstr(-ret));
			if (ret == -EINTR)
				continue;
			break;
		}
		if ((ret = plans_user(r, ports, nports, ulen, p, &ext, &use))) {
			free(ext.v);
			nl_fail(ret, "cannot render the rule set for nf_tables: %s", errstr(-ret));
			break;
		}
		for (int k = 0; k < 2; k++) {
			p[k].user = user[k];
			p[k].user_len = ulen[k];
			p[k].genid = genid;
		}
		nft_batch_free(&b);
		nft_batch_init(&b, genid);
		/* no IPv6 rule: the ip6 table needs deleting only when it is there
		 * (a kernel without IPv6 nf_tables would refuse even to make it) */
		n = p[1].empty && !table_exists(nl, NFPROTO_IPV6) ? 1 : 2;
		ret = nft_build_apply(p, n, use, &b);
		if (ret)
			nl_fail(ret, "cannot render the rule set for nf_tables: %s", errstr(-ret));
		else
			ret = nft_commit(nl, &b);
		nft_plan_free(&p[0]);
		nft_plan_free(&p[1]);
		free(ext.v);
		if (ret != -ERESTART)
			break;
	}
	nl_close(nl);
	nft_batch_free(&b);
	free(user[0]);
	free(user[1]);
	return ret;
}

const struct fw_backend nft_backend = {
	.name = "nft",
	.ports_as_rules = false,
	.available = nft_available,
	.apply = nft_apply,
	.render = nft_text,
	.port_add = nft_port_add,
	.port_del = nft_port_del,
};
