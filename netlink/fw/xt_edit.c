// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Swap boxnet's part of a parsed table (xt_blob.c) for a new one: its chains
 * (BOXNET, BOXNET-*) and the jumps into them from the built-in chains go,
 * the rule set's chains and hook jumps come in. Nothing else moves but
 * for the offsets the serialiser recomputes. The user's chain
 * (FW_USER_CHAIN) is boxnet's by name but kept in place with its rules;
 * only its jump from FORWARD is boxnet's to rewrite. Pure.
 */
#include "netlink/fw/xt_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter_ipv4/ip_tables.h>

#define CHAIN_MAX (XT_EXTENSION_MAXNAMELEN - 1) /* what iptables accepts: 28 */

enum kind { K_BUILTIN, K_FOREIGN, K_BOXNET, K_USER };

/* the scratch of one xt_table_set() */
struct edit {
	struct xt_table *t;
	const struct fw_ruleset *r;
	enum fw_table ft;
	size_t nold;          /* entries of t->e before this edit */
	bool need;            /* @r has rules in this table */
	bool keep_user;       /* the kernel's FW_USER_CHAIN stays as it is */
	int user_start;       /* its first entry (a rule or its RETURN tail) */
	size_t user_rules;    /* its entries but the head: rules and RETURN tail */
	unsigned char *kind;  /* per old entry in the order: enum kind */
	const char **start_of; /* per old entry: the boxnet chain it is the first rule of */
	const char **names;   /* boxnet's chains of the new table, sorted, unique */
	int *start;           /* per name: index of its first rule (or its RETURN tail) */
	int *tail;            /* per name: index of its RETURN tail (head .. tail are contiguous) */
	size_t nnames;
	int *ent;             /* per rule of r: its new entry, -1 if of another table */
	int *order;           /* the new order */
	size_t norder;
};

static const char *const hook_names[XT_NHOOKS] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"
};

static int hook_of(const struct xt_table *t, const char *chain)
{
	for (int h = 0; h < XT_NHOOKS; h++)
		if (!strcmp(chain, hook_names[h]))
			return t->valid_hooks & (1u << h) ? h : -2;
	return -1;
}

/* @x is a rule of the table being edited: its table and family */
static bool mine(const struct edit *ed, const struct fw_rule *x)
{
	return x->table == ed->ft && fw_is6(x) == (ed->t->family == AF_INET6);
}

static bool chain_name_ok(const char *c)
{
	return c && xt_is_boxnet(c) && strlen(c) <= CHAIN_MAX;
}

/* boxnet writes only into its chains, and into built-ins only jumps to them */
static int check_rules(const struct edit *ed)
{
	for (size_t i = 0; i < ed->r->n; i++) {
		const struct fw_rule *x = &ed->r->v[i];
		int h;

		if (!mine(ed, x))
			continue;
		if (!x->chain)
			return -EINVAL;
		h = hook_of(ed->t, x->chain);
		if (h == -2 || (h == -1 && !chain_name_ok(x->chain)) ||
		    (h >= 0 && x->verdict != FW_JUMP) ||
		    (x->verdict == FW_JUMP && !chain_name_ok(x->target)))
			return -EINVAL;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* fw_chains[ft] when the table has rules, plus any other chain the rules name */
static int collect_names(struct edit *ed)
{
	size_t n = 0;

	ed->names = malloc((6 + 2 * ed->r->n) * sizeof(*ed->names));
	ed->ent = malloc((ed->r->n + 1) * sizeof(*ed->ent));
	if (!ed->names || !ed->ent)
		return -ENOMEM;
	for (size_t i = 0; i < ed->r->n; i++) {
		const struct fw_rule *x = &ed->r->v[i];

		ed->ent[i] = -1;
		if (!mine(ed, x))
			continue;
		if (!n)
			for (int c = 0; c < 6 && fw_chains[ed->ft][c]; c++)
				ed->names[n++] = fw_chains[ed->ft][c];
		if (hook_of(ed->t, x->chain) == -1)
			ed->names[n++] = x->chain;
		if (x->verdict == FW_JUMP)
			ed->names[n++] = x->target;
	}
	/* a kept user chain is not made again */
	for (size_t i = 0; i < n && ed->keep_user;)
		if (!strcmp(ed->names[i], FW_USER_CHAIN))
			ed->names[i] = ed->names[--n];
		else
			i++;
	qsort(ed->names, n, sizeof(*ed->names), cmp_names);
	for (size_t i = 0; i < n; i++)
		if (!ed->nnames || strcmp(ed->names[ed->nnames - 1], ed->names[i]))
			ed->names[ed->nnames++] = ed->names[i];
	ed->start = malloc((ed->nnames + 1) * sizeof(*ed->start));
	ed->tail = malloc((ed->nnames + 1) * sizeof(*ed->tail));
	return ed->start && ed->tail ? 0 : -ENOMEM;
}

/* which chain each entry is in; where each boxnet chain starts */
static int mark(struct edit *ed)
{
	const struct xt_table *t = ed->t;
	enum kind cur = K_BUILTIN;

	ed->kind = calloc(ed->nold + 1, 1);
	ed->start_of = calloc(ed->nold + 1, sizeof(*ed->start_of));
	if (!ed->kind || !ed->start_of)
		return -ENOMEM;
	for (size_t p = 0; p < t->norder; p++) {
		int i = t->order[p];
		const char *err = xt_entry_errorname(t->family, t->e[i].b);

		for (int h = 0; h < XT_NHOOKS; h++)
			if (t->hook_entry[h] == i)
				cur = K_BUILTIN;
		if (err) {
			cur = !strcmp(err, FW_USER_CHAIN) ? K_USER
			      : xt_is_boxnet(err) ? K_BOXNET : K_FOREIGN;
			if (cur != K_FOREIGN && p + 1 < t->norder)
				ed->start_of[t->order[p + 1]] = err;
			if (cur == K_USER && p + 1 < t->norder)
				ed->user_start = t->order[p + 1];
		} else if (cur == K_USER) {
			ed->user_rules++; /* its rules and its RETURN tail */
		}
		ed->kind[i] = cur;
	}
	/* boxnet keeps the user's chain while it has rules or boxnet has any */
	ed->keep_user = ed->user_start >= 0 && (ed->need || ed->user_rules > 1);
	return 0;
}

static bool dropped(const struct edit *ed, int i)
{
	const struct xt_ent *x = &ed->t->e[i];

	if (ed->kind[i] == K_BOXNET || (ed->kind[i] == K_USER && !ed->keep_user))
		return true;
	if (ed->kind[i] != K_BUILTIN || x->jump < 0)
		return false;
	/* the jump into the user's chain is @r's to give (or to take away with it) */
	return ed->kind[x->jump] == K_BOXNET ||
	       (ed->kind[x->jump] == K_USER && (ed->need || !ed->keep_user));
}

/* @len from an encoder: the entry in @buf, appended; its index or -errno */
static int add_raw(struct xt_table *t, int len, const unsigned char *buf)
{
	return len < 0 ? len : xt_table_add(t, buf, len);
}

static int add_rule(struct edit *ed, size_t i)
{
	unsigned char buf[XT_ENTRY_MAX];

	ed->ent[i] = add_raw(ed->t, xt_rule_encode(&ed->r->v[i], buf, sizeof(buf)), buf);
	return ed->ent[i] < 0 ? ed->ent[i] : 0;
}

/* each new chain: ERROR head, its rules, RETURN tail; then the hook jumps */
static int append_new(struct edit *ed)
{
	unsigned char buf[XT_ENTRY_MAX];
	int ret = 0;

	for (size_t k = 0; !ret && k < ed->nnames; k++) {
		ret = add_raw(ed->t, xt_entry_error(ed->t->family, ed->names[k], buf), buf);
		ed->start[k] = ret + 1;
		for (size_t i = 0; ret >= 0 && i < ed->r->n; i++)
			if (mine(ed, &ed->r->v[i]) && !strcmp(ed->r->v[i].chain, ed->names[k]))
				ret = add_rule(ed, i);
		if (ret >= 0)
			ret = ed->tail[k] =
			    add_raw(ed->t, xt_entry_verdict(ed->t->family, XT_RETURN, buf), buf);
		ret = ret < 0 ? ret : 0;
	}
	for (size_t i = 0; !ret && i < ed->r->n; i++)
		if (mine(ed, &ed->r->v[i]) && hook_of(ed->t, ed->r->v[i].chain) >= 0)
			ret = add_rule(ed, i);
	return ret;
}

static int start_of_name(const struct edit *ed, const char *name)
{
	for (size_t k = 0; k < ed->nnames; k++)
		if (!strcmp(ed->names[k], name))
			return ed->start[k];
	return ed->keep_user && !strcmp(name, FW_USER_CHAIN) ? ed->user_start : -1;
}

/* the jumps of the new rules; foreign jumps into old boxnet chains re-aimed */
static int link_jumps(struct edit *ed)
{
	for (size_t i = 0; i < ed->r->n; i++)
		if (ed->ent[i] >= 0 && ed->r->v[i].verdict == FW_JUMP)
			ed->t->e[ed->ent[i]].jump = start_of_name(ed, ed->r->v[i].target);
	for (size_t p = 0; p < ed->norder; p++) {
		struct xt_ent *x = &ed->t->e[ed->order[p]];

		if (ed->order[p] >= (int)ed->nold || x->jump < 0 || !dropped(ed, x->jump))
			continue;
		x->jump = ed->start_of[x->jump] ? start_of_name(ed, ed->start_of[x->jump]) : -1;
		if (x->jump < 0)
			return -EMLINK;
	}
	return 0;
}

static void push(struct edit *ed, int i)
{
	ed->order[ed->norder++] = i;
}

/* the hook jumps of @h, in rule order; returns the first, or @first */
static int push_hook(struct edit *ed, int h, int first)
{
	int top = -1;

	for (size_t i = 0; i < ed->r->n; i++)
		if (ed->ent[i] >= 0 && hook_of(ed->t, ed->r->v[i].chain) == h) {
			top = top < 0 ? ed->ent[i] : top;
			push(ed, ed->ent[i]);
		}
	return top < 0 ? first : top;
}

/* the new chains that sort before the user chain @name (all of them at the end) */
static void push_chains(struct edit *ed, size_t *next, const char *name, bool end)
{
	for (; *next < ed->nnames && (end || strcmp(ed->names[*next], name) < 0); (*next)++)
		for (int i = ed->start[*next] - 1; i <= ed->tail[*next]; i++)
			push(ed, i);
}

static int build_order(struct edit *ed)
{
	struct xt_table *t = ed->t;
	unsigned pending = 0;
	size_t next = 0;

	ed->order = malloc((t->norder + t->n - ed->nold + 1) * sizeof(*ed->order));
	if (!ed->order)
		return -ENOMEM;
	for (size_t p = 0; p < t->norder; p++) {
		int i = t->order[p];
		const char *err = xt_entry_errorname(t->family, t->e[i].b);

		for (int h = 0; h < XT_NHOOKS; h++)
			pending |= t->hook_entry[h] == i ? 1u << h : 0;
		if (dropped(ed, i))
			continue;
		for (int h = 0; pending && h < XT_NHOOKS; h++)
			if (pending & (1u << h))
				t->hook_entry[h] = push_hook(ed, h, i);
		pending = 0;
		if (err)
			push_chains(ed, &next, err, p + 1 == t->norder);
		push(ed, i);
	}
	return pending || next < ed->nnames ? -EPROTO : 0;
}

int xt_table_set(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft)
{
	struct edit ed = { .t = t, .r = r, .ft = ft, .nold = t->n, .user_start = -1 };
	int ret = r->oom ? -ENOMEM : check_rules(&ed);

	for (size_t i = 0; i < r->n; i++)
		ed.need |= mine(&ed, &r->v[i]);
	if (!ret)
		ret = mark(&ed);
	if (!ret)
		ret = collect_names(&ed);
	if (!ret)
		ret = append_new(&ed);
	if (!ret)
		ret = build_order(&ed);
	if (!ret)
		ret = link_jumps(&ed);
	for (int h = 0; !ret && h < XT_NHOOKS; h++)
		if (t->underflow[h] >= 0 && dropped(&ed, t->underflow[h]))
			ret = -EPROTO;
	if (!ret) {
		free(t->order);
		t->order = ed.order;
		t->norder = ed.norder;
		ed.order = NULL;
	}
	free(ed.kind);
	free(ed.start_of);
	free(ed.names);
	free(ed.start);
	free(ed.tail);
	free(ed.ent);
	free(ed.order);
	return ret;
}

/* the position in @t->order of the head of chain @name; -1 if none */
static long chain_head(const struct xt_table *t, const char *name)
{
	for (size_t p = 0; p + 1 < t->norder; p++) {
		const char *err = xt_entry_errorname(t->family, t->e[t->order[p]].b);

		if (err && !strcmp(err, name))
			return (long)p;
	}
	return -1;
}

/* the rules of @r for @chain (table @ft, the family of @t) into chain @chain
 * of @t: appended before its RETURN tail, or each one's first equal entry
 * taken out */
static int splice_chain(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft,
			const char *chain, bool add)
{
	unsigned char buf[XT_ENTRY_MAX] __attribute__((aligned(8)));
	long head = chain_head(t, chain);
	size_t end, cnt = 0, out;
	int *order, first;

	if (head < 0)
		return -ENOENT;
	for (end = head + 1; end < t->norder && !xt_entry_errorname(t->family, t->e[t->order[end]].b);
	     end++)
		;
	/* the entries of the chain are head+1 .. end-1, the last its RETURN tail */
	if (end == t->norder || end < (size_t)head + 2)
		return -EPROTO;
	for (size_t i = 0; i < r->n; i++)
		cnt += r->v[i].table == ft && fw_is6(&r->v[i]) == (t->family == AF_INET6) &&
		       !strcmp(r->v[i].chain, chain);
	if (!(order = malloc((t->norder + (add ? cnt : 0) + 1) * sizeof(*order))))
		return -ENOMEM;
	first = t->order[head + 1];
	memcpy(order, t->order, (end - 1) * sizeof(*order));
	out = end - 1;
	for (size_t i = 0; i < r->n; i++) {
		const struct fw_rule *x = &r->v[i];
		int len;
		size_t p;

		if (x->table != ft || fw_is6(x) != (t->family == AF_INET6) || strcmp(x->chain, chain))
			continue;
		if ((len = xt_rule_encode(x, buf, sizeof(buf))) < 0 ||
		    (add && (len = xt_table_add(t, buf, len)) < 0)) {
			free(order);
			return len;
		}
		if (add) {
			order[out++] = len;
			continue;
		}
		for (p = head + 1; p < out; p++) {
			const struct xt_ent *e = &t->e[order[p]];

			if (e->len == (uint32_t)len && xt_blob_same(t->family, e->b, buf, len))
				break;
		}
		if (p == out) {
			free(order);
			return -ENOENT;
		}
		memmove(&order[p], &order[p + 1], (--out - p) * sizeof(*order));
	}
	memcpy(&order[out], &t->order[end - 1], (t->norder - end + 1) * sizeof(*order));
	out += t->norder - end + 1;
	/* jumps go to a chain's first entry: when that changed, to the new one */
	if (order[head + 1] != first)
		for (size_t i = 0; i < t->n; i++)
			if (t->e[i].jump == first)
				t->e[i].jump = order[head + 1];
	free(t->order);
	t->order = order;
	t->norder = out;
	return 0;
}

int xt_table_splice(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft, bool add)
{
	int ret = r->oom ? -ENOMEM : 0;

	for (size_t i = 0; i < r->n && !ret; i++) {
		const struct fw_rule *x = &r->v[i];
		size_t k;

		if (x->table != ft || fw_is6(x) != (t->family == AF_INET6))
			continue;
		for (k = 0; k < i && !(r->v[k].table == ft && fw_is6(&r->v[k]) == fw_is6(x) &&
				       !strcmp(r->v[k].chain, x->chain));
		     k++)
			;
		if (k < i)
			continue; /* that chain is done */
		if (!xt_is_boxnet(x->chain) || !strcmp(x->chain, FW_USER_CHAIN) ||
		    x->verdict == FW_JUMP)
			return -EINVAL;
		ret = splice_chain(t, r, ft, x->chain, add);
	}
	return ret;
}
