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
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "netlink/nl.h"


/* ---- the table ------------------------------------------------------------- */

static void put_table(struct nft_batch *b, uint16_t type, uint16_t flags)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(type), flags, NFPROTO_IPV4);

	nftw_str(&w, NFTA_TABLE_NAME, NFT_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		nftw_u32(&w, NFTA_TABLE_FLAGS, 0);
	nft_msg_end(b, &w);
}

static void put_chain(struct nft_batch *b, const struct nft_chain *c)
{
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWCHAIN), NLM_F_CREATE, NFPROTO_IPV4);
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

static void put_set(struct nft_batch *b, enum nft_map m, uint32_t id)
{
	const struct nft_mapdef *d = &nft_maps[m];
	struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWSET), NLM_F_CREATE, NFPROTO_IPV4);

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

void nft_put_elems(struct nft_batch *b, uint16_t type, uint16_t flags, enum nft_map m,
		   uint32_t set_id, const struct nft_elem *v, size_t n)
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
		w = nft_msg(b, NFT_TYPE(type), flags, NFPROTO_IPV4);
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
				 NFPROTO_IPV4);
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
		if (r->v[i].table == c->table && !strcmp(r->v[i].chain, c->fwname))
			ret = put_rule(b, c, &r->v[i], 0, id0);
	return ret;
}

/* the user's rules back into their chain, as the kernel held them */
static void put_user_rules(struct nft_batch *b, const struct nft_plan *p)
{
	char name[NFT_NAMESZ];
	size_t len;

	nft_chain_name(FW_FILTER, FW_USER_CHAIN, name);
	for (size_t off = 0; off + sizeof(len) <= p->user_len; off += sizeof(len) + len) {
		struct nft_w w = nft_msg(b, NFT_TYPE(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND,
					 NFPROTO_IPV4);

		memcpy(&len, p->user + off, sizeof(len));
		nftw_str(&w, NFTA_RULE_TABLE, NFT_TABLE);
		nftw_str(&w, NFTA_RULE_CHAIN, name);
		nftw_put(&w, NLA_F_NESTED | NFTA_RULE_EXPRESSIONS, p->user + off + sizeof(len), len);
		nft_msg_end(b, &w);
	}
}

int nft_build_apply(const struct nft_plan *p, const struct fw_ruleset *r, struct nft_batch *b)
{
	uint32_t id0 = b->set_id + 1;
	int ret = 0;

	nft_batch_begin(b, p->genid);
	put_table(b, NFT_MSG_NEWTABLE, 0); /* so that DELTABLE finds one */
	put_table(b, NFT_MSG_DELTABLE, 0);
	if (!p->empty) {
		put_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
		for (size_t i = 0; i < p->nchains; i++)
			put_chain(b, &p->chains[i]);
		for (int m = 0; m < NFT_NMAPS; m++) {
			put_set(b, m, id0 + m);
			nft_put_elems(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE, m, id0 + m, p->elems,
				      p->nelems);
		}
		b->set_id = id0 + NFT_NMAPS - 1;
		for (size_t i = 0; i < p->nchains && !ret; i++)
			ret = put_rules(b, &p->chains[i], r, id0);
		put_user_rules(b, p);
	}
	nft_batch_end(b);
	return ret ? ret : b->err;
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

/* the generation, then the rules of FW_USER_CHAIN into *@buf (*@len bytes) */
static int read_user(struct nl *nl, char **buf, size_t *len, uint32_t *genid)
{
	struct nfgenmsg g = { NFPROTO_IPV4, NFNETLINK_V0, 0 };
	struct user_rules u = { open_memstream(buf, len), 0 };
	struct nlmsghdr *req;
	char name[NFT_NAMESZ];
	int ret;

	if (!u.f)
		return -ENOMEM;
	if (!(ret = nft_genid(nl, genid))) {
		req = nl_req(nl, NFT_TYPE(NFT_MSG_GETRULE), 0, &g, sizeof(g));
		mnl_attr_put_strz(req, NFTA_RULE_TABLE, NFT_TABLE);
		mnl_attr_put_strz(req, NFTA_RULE_CHAIN, nft_chain_name(FW_FILTER, FW_USER_CHAIN, name));
		ret = nl_dump(nl, req, user_cb, &u);
		/* no table yet: no user rules */
		ret = ret == -ENOENT ? 0 : ret;
	}
	if (fclose(u.f) && !ret)
		ret = -ENOMEM;
	return ret ? ret : u.err;
}

#define TRIES 5 /* reads and batches after a concurrent change (ERESTART) */

int nft_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports)
{
	/* nothing of boxnet's, but the user's rules: they keep their jump */
	struct fw_rule hook = { .table = FW_FILTER, .chain = "FORWARD", .verdict = FW_JUMP,
				.target = FW_USER_CHAIN };
	const struct fw_ruleset only_user = { .v = &hook, .n = 1 };
	struct nft_plan p;
	struct nft_batch b = { 0 };
	struct nl *nl = NULL;
	char *user = NULL;
	size_t ulen = 0;
	uint32_t genid;
	int ret;

	nl_errmsg_clear();
	ret = nl_open(&nl, NETLINK_NETFILTER);
	if (ret)
		return nl_fail(ret, "cannot open a netfilter socket: %s", errstr(-ret));
	for (int try = 0; try < TRIES; try++) {
		free(user);
		user = NULL;
		nl_errmsg_clear();
		if ((ret = read_user(nl, &user, &ulen, &genid))) {
			if (!*nl_errmsg())
				nl_fail(ret, "cannot read the rules of %s: %s", FW_USER_CHAIN, errstr(-ret));
			if (ret == -EINTR)
				continue;
			break;
		}
		if (!r->n && !nports && ulen)
			r = &only_user;
		ret = nft_plan_build(r, ports, nports, &p);
		p.user = user;
		p.user_len = ulen;
		p.genid = genid;
		nft_batch_free(&b);
		nft_batch_init(&b, genid);
		if (!ret)
			ret = nft_build_apply(&p, r, &b);
		if (ret) {
			nl_fail(ret, "cannot render the rule set for nf_tables: %s", errstr(-ret));
			nft_plan_free(&p);
			break;
		}
		ret = nft_commit(nl, &b);
		nft_plan_free(&p);
		if (ret != -ERESTART)
			break;
	}
	nl_close(nl);
	nft_batch_free(&b);
	free(user);
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
