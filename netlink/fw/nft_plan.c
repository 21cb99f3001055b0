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
			bool ports = t != FW_RAW && !strcmp(c.fwname, "BOXNET");

			if (!used && !ports)
				continue;
			nft_chain_name(t, c.fwname, c.name);
			ret = add_chain(p, cap, &c);
		}
	}
	return ret;
}

/* every bridge the filter rules send to, and every port's: the "bridges" set */
static int add_bridge(struct nft_plan *p, size_t *cap, const char *bridge)
{
	if (!bridge[0])
		return 0;
	for (size_t i = 0; i < p->nelems; i++)
		if (p->elems[i].map == NFT_BRIDGES && !strcmp(p->elems[i].bridge, bridge))
			return 0;
	if (p->nelems == *cap) {
		size_t n = *cap ? 2 * *cap : 16;
		struct nft_elem *v = realloc(p->elems, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->elems = v;
		*cap = n;
	}
	p->elems[p->nelems] = (struct nft_elem){ .map = NFT_BRIDGES, .refs = 1 };
	snprintf(p->elems[p->nelems++].bridge, 16, "%s", bridge);
	return 0;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* by family, then the address's bytes in network order (numeric order) */
static int cmp_ip(const struct ipaddr *a, const struct ipaddr *b)
{
	uint8_t x[16] = { 0 }, y[16] = { 0 };
	int d = cmp_u32(a->family, b->family);

	if (d)
		return d;
	ip_to_bytes(a, x);
	ip_to_bytes(b, y);
	d = memcmp(x, y, sizeof(x));
	return d < 0 ? -1 : d > 0;
}

/* by map and key; equal keys in their order in the plan */
static int by_key(const void *x, const void *y)
{
	const struct nft_elem *a = *(struct nft_elem *const *)x, *b = *(struct nft_elem *const *)y;
	int d = cmp_u32(a->map, b->map);

	if (!d)
		d = cmp_ip(&a->addr, &b->addr);
	if (!d)
		d = cmp_u32(a->proto, b->proto);
	if (!d)
		d = cmp_u32(a->lo, b->lo);
	if (!d)
		d = cmp_u32(a->hi, b->hi);
	return d ? d : a < b ? -1 : a > b;
}

static bool same_key(const struct nft_elem *a, const struct nft_elem *b)
{
	return a->map == b->map && ip_eq(&a->addr, &b->addr) && a->proto == b->proto &&
	       a->lo == b->lo && a->hi == b->hi;
}

/* several ports to one container port: one published element, counted */
static int merge_published(struct nft_plan *p)
{
	struct nft_elem **v = malloc((p->nelems + 1) * sizeof(*v));
	size_t n = 0, first = 0, out = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < p->nelems; i++)
		if (p->elems[i].map >= NFT_PUB)
			v[n++] = &p->elems[i];
	qsort(v, n, sizeof(*v), by_key);
	for (size_t i = 1; i < n; i++) {
		if (same_key(v[i], v[first])) {
			v[first]->refs++;
			v[i]->refs = 0;
		} else {
			first = i;
		}
	}
	free(v);
	for (size_t i = 0; i < p->nelems; i++)
		if (p->elems[i].map < NFT_PUB || p->elems[i].refs)
			p->elems[out++] = p->elems[i];
	p->nelems = out;
	return 0;
}

/* the port belongs in the table of plan @p */
static bool port_ours(const struct nft_plan *p, const struct fw_port *x)
{
	return (x->ctr_ip.family == AF_INET6) == (p->family == NFPROTO_IPV6);
}

static int port_elems(const struct fw_port *ports, size_t nports, struct nft_plan *p, size_t *cap)
{
	size_t total = p->nelems;

	for (size_t i = 0; i < nports; i++) {
		long n = port_ours(p, &ports[i]) ? nft_port_elems(&ports[i], NULL) : 0;

		if (n < 0)
			return (int)n;
		total += (size_t)n;
	}
	if (total + 1 > *cap) {
		struct nft_elem *v = realloc(p->elems, (total + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->elems = v;
		*cap = total + 1;
	}
	for (size_t i = 0; i < nports; i++)
		if (port_ours(p, &ports[i]))
			p->nelems += (size_t)nft_port_elems(&ports[i], p->elems + p->nelems);
	return merge_published(p);
}

int nft_plan_build(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		   int family, struct nft_plan *p)
{
	size_t cap = 0, ecap = 0;
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
	for (size_t i = 0; i < r->n && !ret; i++)
		if (ours(p, &r->v[i]) && r->v[i].table == FW_FILTER)
			ret = add_bridge(p, &ecap, r->v[i].m.oif);
	for (size_t i = 0; i < nports && !ret; i++)
		if (port_ours(p, &ports[i]))
			ret = add_bridge(p, &ecap, ports[i].bridge);
	if (!ret)
		ret = port_elems(ports, nports, p, &ecap);
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
