// SPDX-License-Identifier: GPL-2.0-or-later
/* The shape of tables ip and ip6 boxnet: chain names, and the plan (chains in
 * creation order, port elements) that both the batch (nft.c) and the text
 * (nft_text.c) follow. */
#include "netlink/fw/nft_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>

static const char *const hook_names[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT",
					  "POSTROUTING" };

static bool used_before(enum fw_table t, const char *chain)
{
	for (int u = 0; u < (int)t; u++)
		for (int d = 0; d < 6 && fw_chains[u][d]; d++)
			if (!strcmp(chain, fw_chains[u][d]))
				return true;
	return false;
}

const char *nft_chain_name(enum fw_table t, const char *chain, char *buf)
{
	for (int b = 0; b < 5 && fw_builtins[t][b]; b++)
		if (!strcmp(chain, fw_builtins[t][b])) {
			snprintf(buf, NFT_NAMESZ, "%s-%s", fw_table_names[t], chain);
			return buf;
		}
	for (int c = 0; c < 6 && fw_chains[t][c]; c++) {
		if (strcmp(chain, fw_chains[t][c]))
			continue;
		/* one table in nft: a name an earlier table uses gets a prefix */
		if (used_before(t, chain))
			snprintf(buf, NFT_NAMESZ, "%s-%s", fw_table_names[t], chain);
		else
			snprintf(buf, NFT_NAMESZ, "%s", chain);
		return buf;
	}
	return NULL;
}

bool nft_base_chain(enum fw_table t, const char *chain, int *hook, int *prio, const char **type)
{
	for (int h = 0; h < 5; h++) {
		if (strcmp(chain, hook_names[h]))
			continue;
		*hook = h;
		*type = t == FW_NAT ? "nat" : "filter";
		if (t == FW_RAW)
			*prio = -300;
		else if (t == FW_FILTER)
			*prio = 0;
		else
			*prio = h == NF_INET_PRE_ROUTING || h == NF_INET_LOCAL_OUT ? -100 : 100;
		return true;
	}
	return false;
}

/* ---- the plan ------------------------------------------------------------- */

static int add_chain(struct nft_plan *p, size_t *cap, const struct nft_chain *c)
{
	if (p->nchains == *cap) {
		size_t n = *cap ? 2 * *cap : 16;
		struct nft_chain *v = realloc(p->chains, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->chains = v;
		*cap = n;
	}
	p->chains[p->nchains++] = *c;
	return 0;
}

/* @x belongs in the table of plan @p (table ip: IPv4 rules, ip6: IPv6) */
static bool ours(const struct nft_plan *p, const struct fw_rule *x)
{
	return fw_is6(x) == (p->family == NFPROTO_IPV6);
}

static bool has_rule(const struct nft_plan *p, const struct fw_ruleset *r, enum fw_table t,
		     const char *chain)
{
	for (size_t i = 0; i < r->n; i++)
		if (ours(p, &r->v[i]) && r->v[i].table == t &&
		    (!chain || !strcmp(r->v[i].chain, chain)))
			return true;
	return false;
}

static int check_rules(const struct nft_plan *p, const struct fw_ruleset *r)
{
	char buf[NFT_NAMESZ];

	if (r->oom)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		const struct fw_rule *x = &r->v[i];

		if (!ours(p, x))
			continue;
		if (x->table >= FW_NTABLES || !nft_chain_name(x->table, x->chain, buf))
			return -EINVAL;
		if (x->verdict != FW_JUMP)
			continue;
		if (!x->target || !nft_chain_name(x->table, x->target, buf))
			return -EINVAL;
	}
	return 0;
}

static int model_chains(const struct fw_ruleset *r, struct nft_plan *p, size_t *cap)
{
	int ret = 0;

	for (int t = 0; t < FW_NTABLES && !ret; t++)
		for (int b = 0; b < 5 && fw_builtins[t][b] && !ret; b++) {
			struct nft_chain c = { .family = p->family, .table = t,
					       .fwname = fw_builtins[t][b] };

			if (!has_rule(p, r, t, c.fwname))
				continue;
			c.base = true;
			nft_chain_name(t, c.fwname, c.name);
			nft_base_chain(t, c.fwname, &c.hook, &c.prio, &c.type);
			ret = add_chain(p, cap, &c);
		}
	for (int t = 0; t < FW_NTABLES && !ret; t++) {
		bool used = has_rule(p, r, t, NULL);

		for (int k = 0; k < 6 && fw_chains[t][k] && !ret; k++) {
			struct nft_chain c = { .family = p->family, .table = t,
					       .fwname = fw_chains[t][k] };
			bool ports = t == FW_NAT && !strcmp(c.fwname, "BOXNET"); /* the map rules' */

			if (!used && !ports)
				continue;
			nft_chain_name(t, c.fwname, c.name);
			ret = add_chain(p, cap, &c);
		}
	}
	return ret;
}

/* the port belongs in the table of plan @p */
static bool port_ours(const struct nft_plan *p, const struct fw_port *x)
{
	return (x->ctr_ip.family == AF_INET6) == (p->family == NFPROTO_IPV6);
}

static int port_elems(const struct fw_port *ports, size_t nports, struct nft_plan *p)
{
	size_t total = 0;

	for (size_t i = 0; i < nports; i++) {
		long n = port_ours(p, &ports[i]) ? nft_port_elems(&ports[i], NULL) : 0;

		if (n < 0)
			return (int)n;
		total += (size_t)n;
	}
	if (!(p->elems = malloc((total + 1) * sizeof(*p->elems))))
		return -ENOMEM;
	for (size_t i = 0; i < nports; i++)
		if (port_ours(p, &ports[i]))
			p->nelems += (size_t)nft_port_elems(&ports[i], p->elems + p->nelems);
	return 0;
}

int nft_plan_build(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		   int family, struct nft_plan *p)
{
	size_t cap = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	p->family = family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	p->empty = true;
	for (size_t i = 0; i < r->n && p->empty; i++)
		p->empty = !ours(p, &r->v[i]);
	for (size_t i = 0; i < nports && p->empty; i++)
		p->empty = !port_ours(p, &ports[i]);
	if (p->empty)
		return 0;
	ret = check_rules(p, r);
	if (!ret)
		ret = model_chains(r, p, &cap);
	if (!ret)
		ret = port_elems(ports, nports, p);
	if (ret)
		nft_plan_free(p);
	return ret;
}

void nft_plan_free(struct nft_plan *p)
{
	free(p->chains);
	free(p->elems);
	memset(p, 0, sizeof(*p));
}
