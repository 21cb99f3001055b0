// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An x_tables table blob: parse it into entries with jumps as references,
 * swap boxnet's part for a new one, write it back with every offset
 * recomputed. Foreign entries are copied byte for byte; only their jump
 * verdicts change. Pure: no I/O.
 */
#include "netlink/fw/xt_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter_ipv4/ip_tables.h>

bool xt_is_boxnet(const char *c)
{
	return !strncmp(c, "BOXNET", 6) && (c[6] == '\0' || c[6] == '-');
}

int xt_table_add(struct xt_table *t, const void *b, uint32_t len)
{
	unsigned char *copy;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct xt_ent *ne = realloc(t->e, cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		t->e = ne;
		t->cap = cap;
	}
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, b, len);
	t->e[t->n] = (struct xt_ent){ copy, len, -1, -1 };
	return t->n++;
}

void xt_table_free(struct xt_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].b);
	free(t->e);
	free(t->order);
	memset(t, 0, sizeof(*t));
}

/* the sizes of the entry at @off fit in the blob and in themselves */
static int check_entry(int fam, const unsigned char *b, size_t off, size_t size)
{
	const void *e = b + off;
	const struct xt_entry_target *x;
	size_t hdr = xt_hdr_len(fam), toff, next;

	if (size - off < hdr)
		return -EPROTO;
	toff = xt_toff(fam, e);
	next = xt_next(fam, e);
	if (next % __alignof__(struct ipt_entry) || toff < hdr || toff + sizeof(*x) > next ||
	    next > size - off)
		return -EPROTO;
	x = (const void *)(b + off + toff);
	if (x->u.user.target_size < sizeof(*x) || toff + x->u.user.target_size > next ||
	    !memchr(x->u.user.name, 0, sizeof(x->u.user.name)))
		return -EPROTO;
	if (!strcmp(x->u.user.name, XT_ERROR_TARGET) &&
	    (x->u.user.target_size < sizeof(struct xt_error_target) ||
	     !memchr(((const struct xt_error_target *)x)->errorname, 0, XT_FUNCTION_MAXNAMELEN)))
		return -EPROTO;
	return 0;
}

/* the index of the entry at blob offset @off, by bisection; -1 if none */
static int find_off(const uint32_t *offs, size_t n, uint32_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (offs[mid] == off)
			return mid;
		if (offs[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int read_entries(struct xt_table *t, const unsigned char *b, size_t size, uint32_t *offs)
{
	for (size_t off = 0; off < size;) {
		int ret = check_entry(t->family, b, off, size);

		if (!ret)
			ret = xt_table_add(t, b + off, xt_next(t->family, b + off));
		if (ret < 0)
			return ret;
		t->e[ret].orig = ret;
		offs[ret] = off;
		off += xt_next(t->family, b + off);
	}
	return 0;
}

static int link_jumps(struct xt_table *t, const uint32_t *offs, const uint32_t hook_entry[],
		      const uint32_t underflow[])
{
	for (size_t i = 0; i < t->n; i++) {
		int v;

		if (xt_entry_std_verdict(t->family, t->e[i].b, t->e[i].len, &v) || v < 0)
			continue;
		t->e[i].jump = find_off(offs, t->n, v);
		if (t->e[i].jump < 0)
			return -EPROTO;
	}
	for (int h = 0; h < XT_NHOOKS; h++) {
		if (!(t->valid_hooks & (1u << h)))
			continue;
		t->hook_entry[h] = find_off(offs, t->n, hook_entry[h]);
		t->underflow[h] = find_off(offs, t->n, underflow[h]);
		if (t->hook_entry[h] < 0 || t->underflow[h] < 0)
			return -EPROTO;
	}
	return 0;
}

int xt_table_parse(struct xt_table *t, int family, const char *name, uint32_t valid_hooks,
		   const uint32_t hook_entry[XT_NHOOKS], const uint32_t underflow[XT_NHOOKS],
		   const void *blob, size_t size, unsigned int num_entries)
{
	uint32_t *offs = calloc(size / xt_hdr_len(family) + 1, sizeof(*offs));
	int ret = offs ? 0 : -ENOMEM;

	memset(t, 0, sizeof(*t));
	t->family = family;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->valid_hooks = valid_hooks;
	for (int h = 0; h < XT_NHOOKS; h++)
		t->hook_entry[h] = t->underflow[h] = -1;
	if (!ret)
		ret = read_entries(t, blob, size, offs);
	if (!ret && (t->n != num_entries || !t->n || !xt_entry_errorname(family, t->e[t->n - 1].b)))
		ret = -EPROTO; /* the count is off, or the table does not end with ERROR */
	if (!ret)
		ret = link_jumps(t, offs, hook_entry, underflow);
	if (!ret) {
		t->order = malloc(t->n * sizeof(*t->order));
		ret = t->order ? 0 : -ENOMEM;
	}
	for (size_t i = 0; !ret && i < t->n; i++)
		t->order[t->norder++] = i;
	free(offs);
	return ret;
}

int xt_table_blob(const struct xt_table *t, void **out, size_t *len)
{
	uint32_t *off = malloc((t->n ? t->n : 1) * sizeof(*off));
	struct ipt_replace *rep = NULL;
	size_t size = 0;
	int ret = off ? 0 : -ENOMEM;

	for (size_t p = 0; !ret && p < t->norder; p++) {
		off[t->order[p]] = size;
		size += t->e[t->order[p]].len;
	}
	if (!ret && size > UINT32_MAX / 2)
		ret = -E2BIG;
	if (!ret && !(rep = calloc(1, sizeof(*rep) + size)))
		ret = -ENOMEM;
	if (ret)
		goto out;
	memcpy(rep->name, t->name, sizeof(rep->name));
	rep->valid_hooks = t->valid_hooks;
	rep->num_entries = t->norder;
	rep->size = size;
	for (int h = 0; h < XT_NHOOKS; h++)
		if (t->valid_hooks & (1u << h)) {
			rep->hook_entry[h] = off[t->hook_entry[h]];
			rep->underflow[h] = off[t->underflow[h]];
		}
	for (size_t p = 0; p < t->norder; p++) {
		const struct xt_ent *x = &t->e[t->order[p]];
		unsigned char *dst = (unsigned char *)rep->entries + off[t->order[p]];

		memcpy(dst, x->b, x->len);
		if (x->jump >= 0)
			xt_entry_set_verdict(t->family, dst, off[x->jump]);
	}
	*out = rep;
	*len = sizeof(*rep) + size;
out:
	free(off);
	return ret;
}

/* memcmp's answer to "equal?", eight bytes at a time: a del compares its
 * entry with every entry of the table, and the static build's memcmp goes
 * a byte at a time */
static bool same(const unsigned char *x, const unsigned char *y, size_t n)
{
	uint64_t a, b;

	for (; n >= 8; n -= 8, x += 8, y += 8) {
		memcpy(&a, x, 8);
		memcpy(&b, y, 8);
		if (a != b)
			return false;
	}
	return !memcmp(x, y, n);
}

bool xt_blob_same(int fam, const void *a, const void *b, size_t size)
{
	const unsigned char *x = a, *y = b;
	const size_t skip = xt_toff_at(fam) + 4; /* comefrom, then the counters */
	const size_t rest = xt_hdr_len(fam);

	for (size_t off = 0; off < size;) {
		size_t len = size - off < rest ? 0 : xt_next(fam, x + off);

		if (len < rest || len > size - off)
			return same(x + off, y + off, size - off);
		if (!same(x + off, y + off, skip) || !same(x + off + rest, y + off + rest, len - rest))
			return false;
		off += len;
	}
	return true;
}
