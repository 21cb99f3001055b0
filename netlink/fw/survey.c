// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the host's own firewall holds (backend.h fw_survey): one dump of
 * nf_tables' chains and one of its rules, of every family, and the legacy
 * tables (xt.c). Read only: nothing here creates, changes or loads anything.
 */
#include "netlink/fw/backend.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink/fw/nft_int.h"
#include "netlink/nl.h"

/* one chain of nf_tables as the dumps found it */
struct schain {
	uint8_t family;
	bool base;
	int hook;
	uint32_t policy, rules;
	bool last_drops;    /* its last rule drops or rejects everything */
	char table[32], name[32];
};

struct scan {
	struct schain *c;
	size_t n;
	int err;
};

static const char *family_name(uint8_t f)
{
	return f == NFPROTO_IPV4 ? "ip" : f == NFPROTO_INET ? "inet" : f == NFPROTO_IPV6 ? "ip6"
	       : f == NFPROTO_BRIDGE ? "bridge" : "other";
}

static struct schain *find(const struct scan *s, uint8_t family, const char *table,
			   const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->c[i].family == family && !strcmp(s->c[i].table, table) &&
		    !strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

static uint8_t family_of(const struct nlmsghdr *n)
{
	return ((const struct nfgenmsg *)mnl_nlmsg_get_payload(n))->nfgen_family;
}

static int chain_cb(const struct nlmsghdr *n, void *arg)
{
	struct scan *s = arg;
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1], *h[NFTA_HOOK_MAX + 1];
	struct schain *c;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_CHAIN_MAX);
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	if (s->n % 32 == 0) {
		void *v = realloc(s->c, (s->n + 32) * sizeof(*s->c));

		if (!v) {
			s->err = -ENOMEM;
			return MNL_CB_ERROR;
		}
		s->c = v;
	}
	c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	c->family = family_of(n);
	snprintf(c->table, sizeof(c->table), "%s", mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]));
	snprintf(c->name, sizeof(c->name), "%s", mnl_attr_get_str(tb[NFTA_CHAIN_NAME]));
	c->policy = NF_ACCEPT;
	if (tb[NFTA_CHAIN_HOOK]) {
		nl_attr_nested_tb(tb[NFTA_CHAIN_HOOK], h, NFTA_HOOK_MAX);
		c->base = true;
		c->hook = h[NFTA_HOOK_HOOKNUM] ? (int)ntohl(mnl_attr_get_u32(h[NFTA_HOOK_HOOKNUM])) : -1;
		if (tb[NFTA_CHAIN_POLICY])
			c->policy = ntohl(mnl_attr_get_u32(tb[NFTA_CHAIN_POLICY]));
	}
	return MNL_CB_OK;
}

/* the rule drops everything: nothing but counter or log before a reject or
 * a drop verdict (firewalld's last "reject with icmpx admin-prohibited") */
static bool drops_all(const struct nlattr *exprs)
{
	const struct nlattr *el, *tb[NFTA_EXPR_MAX + 1], *im[NFTA_IMMEDIATE_MAX + 1];
	const struct nlattr *d[NFTA_DATA_MAX + 1], *v[NFTA_VERDICT_MAX + 1];
	bool drops = false;

	mnl_attr_for_each_nested(el, exprs) {
		const char *name;

		nl_attr_nested_tb(el, tb, NFTA_EXPR_MAX);
		name = tb[NFTA_EXPR_NAME] ? mnl_attr_get_str(tb[NFTA_EXPR_NAME]) : "";
		if (drops)
			return false; /* something after the verdict */
		if (!strcmp(name, "counter") || !strcmp(name, "log"))
			continue;
		if (!strcmp(name, "reject")) {
			drops = true;
			continue;
		}
		if (strcmp(name, "immediate") || !tb[NFTA_EXPR_DATA])
			return false;
		nl_attr_nested_tb(tb[NFTA_EXPR_DATA], im, NFTA_IMMEDIATE_MAX);
		if (!im[NFTA_IMMEDIATE_DATA])
			return false;
		nl_attr_nested_tb(im[NFTA_IMMEDIATE_DATA], d, NFTA_DATA_MAX);
		if (!d[NFTA_DATA_VERDICT])
			return false;
		nl_attr_nested_tb(d[NFTA_DATA_VERDICT], v, NFTA_VERDICT_MAX);
		drops = v[NFTA_VERDICT_CODE] && ntohl(mnl_attr_get_u32(v[NFTA_VERDICT_CODE])) == NF_DROP;
		if (!drops)
			return false;
	}
	return drops;
}

static int rule_cb(const struct nlmsghdr *n, void *arg)
{
	struct scan *s = arg;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct schain *c;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	if (!tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] ||
	    !(c = find(s, family_of(n), mnl_attr_get_str(tb[NFTA_RULE_TABLE]),
		       mnl_attr_get_str(tb[NFTA_RULE_CHAIN]))))
		return MNL_CB_OK;
	c->rules++;
	/* a chain's rules come in order: the last one seen is its last */
	c->last_drops = tb[NFTA_RULE_EXPRESSIONS] && drops_all(tb[NFTA_RULE_EXPRESSIONS]);
	return MNL_CB_OK;
}

static int dump(struct nl *nl, uint8_t msg, mnl_cb_t cb, struct scan *s)
{
	struct nfgenmsg g = { NFPROTO_UNSPEC, NFNETLINK_V0, 0 };
	int ret = -EINTR;

	/* a change during the dump: start it over (the chains again with it) */
	for (int i = 0; ret == -EINTR && i < 5; i++) {
		if (msg == NFT_MSG_GETCHAIN)
			s->n = 0;
		for (size_t k = 0; msg == NFT_MSG_GETRULE && k < s->n; k++)
			s->c[k].rules = 0;
		ret = nl_dump(nl, nl_req(nl, NFT_TYPE(msg), 0, &g, sizeof(g)), cb, s);
	}
	return s->err ? s->err : ret;
}

/* iptables' built-in chain names: what iptables-nft calls its base chains */
static bool builtin_name(const char *name)
{
	static const char *const b[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT",
					 "POSTROUTING" };

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (!strcmp(name, b[i]))
			return true;
	return false;
}

static bool iptables_table(const struct schain *c)
{
	static const char *const t[] = { "filter", "nat", "raw", "mangle", "security" };

	for (size_t i = 0; c->family == NFPROTO_IPV4 && i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(c->table, t[i]))
			return true;
	return false;
}

/* the iptables-nft tables: chains, rules, a policy that is not accept */
static void sum_iptnft(struct fw_survey *sv, const struct scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct schain *c = &s->c[i];
		struct fw_tabsum *sum = NULL;
		char name[40];

		if (!iptables_table(c))
			continue;
		if (c->base && builtin_name(c->name))
			sv->iptnft = true;
		snprintf(name, sizeof(name), "ip %s", c->table);
		for (size_t k = 0; k < sv->nnft && !sum; k++)
			if (!strcmp(sv->nft[k].name, name))
				sum = &sv->nft[k];
		if (!sum && sv->nnft < FW_SURVEY_MAX) {
			sum = &sv->nft[sv->nnft++];
			memset(sum, 0, sizeof(*sum));
			snprintf(sum->name, sizeof(sum->name), "%s", name);
		}
		if (!sum)
			continue;
		sum->chains += !c->base;
		sum->rules += c->rules;
		if (c->base && c->policy != NF_ACCEPT && !sum->drops[0])
			snprintf(sum->drops, sizeof(sum->drops), "%s policy DROP", c->name);
	}
	/* only the tables that hold anything */
	for (size_t k = 0, out = 0, n = sv->nnft; k < n; k++) {
		if (sv->nft[k].chains || sv->nft[k].rules || sv->nft[k].drops[0])
			sv->nft[out++] = sv->nft[k];
		else
			sv->nnft--;
	}
}

int nft_survey(struct fw_survey *sv)
{
	struct scan s = { 0 };
	struct nl *nl = NULL;
	int ret;

	if (nl_open(&nl, NETLINK_NETFILTER))
		return 0;
	ret = dump(nl, NFT_MSG_GETCHAIN, chain_cb, &s);
	if (!ret)
		ret = dump(nl, NFT_MSG_GETRULE, rule_cb, &s);
	nl_close(nl);
	sv->nft_ok = !ret;
	if (!ret) {
		sum_iptnft(sv, &s);
		for (size_t i = 0; i < s.n && sv->ndrop < FW_SURVEY_MAX; i++) {
			const struct schain *c = &s.c[i];
			struct fw_dropper *d = &sv->drop[sv->ndrop];

			if (!c->base || c->hook != NF_INET_FORWARD ||
			    (c->family != NFPROTO_IPV4 && c->family != NFPROTO_INET) ||
			    (c->policy != NF_DROP && !c->last_drops) ||
			    (c->family == NFPROTO_IPV4 && !strcmp(c->table, NFT_TABLE)))
				continue;
			snprintf(d->table, sizeof(d->table), "%s %s", family_name(c->family), c->table);
			snprintf(d->chain, sizeof(d->chain), "%s", c->name);
			d->policy = c->policy == NF_DROP;
			sv->ndrop++;
		}
	}
	free(s.c);
	return ret == -ENOMEM ? ret : 0;
}

int fw_survey(struct fw_survey *sv)
{
	memset(sv, 0, sizeof(*sv));
	xt_survey(sv);
	return nft_survey(sv);
}
