// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/model/ipam.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ipam_init(struct ipam *m, const struct prefix *subnet, const struct prefix *range)
{
	const struct prefix *pool = range ? range : subnet;

	memset(m, 0, sizeof(*m));
	m->subnet = *subnet;
	m->lo = prefix_first(pool);
	m->hi = prefix_last(pool);
	/* never the subnet's own network and broadcast addresses */
	if (m->lo == prefix_first(subnet))
		m->lo++;
	if (m->hi == prefix_last(subnet))
		m->hi--;
}

void ipam_free(struct ipam *m)
{
	free(m->used);
	m->used = NULL;
	m->n = m->cap = 0;
}

/* index of the first range whose last address is >= a */
static size_t find(const struct ipam *m, uint32_t a)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->used[mid].last < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ipam_is_used(const struct ipam *m, uint32_t a)
{
	size_t i = find(m, a);

	return i < m->n && m->used[i].first <= a;
}

static int insert_at(struct ipam *m, size_t i, uint32_t a)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		struct ipam_range *v = realloc(m->used, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->used = v;
		m->cap = cap;
	}
	memmove(&m->used[i + 1], &m->used[i], (m->n - i) * sizeof(*m->used));
	m->used[i] = (struct ipam_range){ a, a };
	m->n++;
	return 0;
}

/* add @a, not yet in the set, merging with its neighbours */
static int add(struct ipam *m, uint32_t a)
{
	size_t i = find(m, a);
	struct ipam_range *next = i < m->n ? &m->used[i] : NULL;
	struct ipam_range *prev = i ? &m->used[i - 1] : NULL;
	bool joins_prev = prev && prev->last + 1 == a;
	bool joins_next = next && next->first == a + 1;

	if (joins_prev && joins_next) {
		prev->last = next->last;
		memmove(next, next + 1, (m->n - i - 1) * sizeof(*next));
		m->n--;
	} else if (joins_prev) {
		prev->last = a;
	} else if (joins_next) {
		next->first = a;
	} else {
		return insert_at(m, i, a);
	}
	return 0;
}

int ipam_take(struct ipam *m, uint32_t a)
{
	if (!prefix_contains(&m->subnet, a) || a == prefix_first(&m->subnet) ||
	    a == prefix_last(&m->subnet))
		return -EINVAL;
	if (ipam_is_used(m, a))
		return -EADDRINUSE;
	return add(m, a);
}

int ipam_alloc(struct ipam *m, uint32_t *out)
{
	uint32_t a = m->lo;
	size_t i = find(m, a);

	/* walk the ranges from lo: the first gap is the answer */
	while (i < m->n && m->used[i].first <= a) {
		if (m->used[i].last >= m->hi)
			return -ENOSPC;
		a = m->used[i].last + 1;
		i++;
	}
	if (a > m->hi || m->lo > m->hi)
		return -ENOSPC;
	*out = a;
	return add(m, a);
}

void ipam_release(struct ipam *m, uint32_t a)
{
	size_t i = find(m, a);
	struct ipam_range *r = &m->used[i];

	if (i >= m->n || r->first > a)
		return;
	if (r->first == a && r->last == a) {
		memmove(r, r + 1, (m->n - i - 1) * sizeof(*r));
		m->n--;
	} else if (r->first == a) {
		r->first++;
	} else if (r->last == a) {
		r->last--;
	} else if (insert_at(m, i + 1, a + 1) == 0) {
		/* split in two; on ENOMEM the address just stays used */
		m->used[i + 1].last = m->used[i].last;
		m->used[i].last = a - 1;
	}
}

size_t ipam_count(const struct ipam *m)
{
	size_t c = 0;

	for (size_t i = 0; i < m->n; i++)
		c += m->used[i].last - m->used[i].first + 1;
	return c;
}

int ipam_load(struct ipam *m, const char *text)
{
	char buf[ADDR_STRLEN * 2 + 2];

	m->n = 0;
	while (*text) {
		size_t len = strcspn(text, ",");
		char *dash;
		uint32_t first, last;

		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, text, len);
		buf[len] = 0;
		dash = strchr(buf, '-');
		if (dash)
			*dash = 0;
		if (addr_parse(buf, &first) || addr_parse(dash ? dash + 1 : buf, &last) ||
		    last < first || (m->n && first <= m->used[m->n - 1].last + 1))
			return -EINVAL;
		if (insert_at(m, m->n, first))
			return -ENOMEM;
		m->used[m->n - 1].last = last;
		text += len + (text[len] == ',');
	}
	return 0;
}

int ipam_save(const struct ipam *m, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < m->n; i++) {
		char a[ADDR_STRLEN], b[ADDR_STRLEN];
		int w;

		addr_format(m->used[i].first, a);
		if (m->used[i].first == m->used[i].last)
			w = snprintf(buf + off, size - off, "%s%s", i ? "," : "", a);
		else
			w = snprintf(buf + off, size - off, "%s%s-%s", i ? "," : "", a,
				     addr_format(m->used[i].last, b));
		if (w < 0 || (size_t)w >= size - off)
			return -ENOSPC;
		off += w;
	}
	return 0;
}

static bool free_of(const struct prefix *p, const struct prefix *taken, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_overlap(p, &taken[i]))
			return false;
	return true;
}

int ipam_pick_subnet(const struct prefix *taken, size_t n, struct prefix *out)
{
	struct prefix p = { .len = 16 };

	for (uint32_t b = 17; b <= 31; b++) {
		p.addr = (172u << 24) | (b << 16);
		if (free_of(&p, taken, n))
			return *out = p, 0;
	}
	p.len = 20;
	for (uint32_t b = 0; b < 256; b += 16) {
		p.addr = (192u << 24) | (168u << 16) | (b << 8);
		if (free_of(&p, taken, n))
			return *out = p, 0;
	}
	return -ENOSPC;
}
