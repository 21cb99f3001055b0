// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/model/ipam.h"

#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ipam_init(struct ipam *m, const struct ipprefix *subnet, const struct ipprefix *range)
{
	const struct ipprefix *pool = range ? range : subnet;

	memset(m, 0, sizeof(*m));
	m->subnet = *subnet;
	m->lo = pfx_first(pool).v4;
	m->hi = pfx_last(pool).v4;
	/* never the subnet's own network and broadcast addresses */
	if (m->lo == pfx_first(subnet).v4)
		m->lo++;
	if (m->hi == pfx_last(subnet).v4)
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

static bool used(const struct ipam *m, uint32_t a)
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

bool ipam_is_used(const struct ipam *m, const struct ipaddr *a)
{
	return a->family == m->subnet.a.family && used(m, a->v4);
}

int ipam_take(struct ipam *m, const struct ipaddr *ip)
{
	uint32_t a = ip->v4;

	if (!pfx_contains(&m->subnet, ip) || a == pfx_first(&m->subnet).v4 ||
	    a == pfx_last(&m->subnet).v4)
		return -EINVAL;
	if (used(m, a))
		return -EADDRINUSE;
	return add(m, a);
}

int ipam_alloc(struct ipam *m, struct ipaddr *out)
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
	*out = ip4(a);
	return add(m, a);
}

void ipam_release(struct ipam *m, const struct ipaddr *ip)
{
	uint32_t a = ip->v4;
	size_t i = find(m, a);
	struct ipam_range *r = &m->used[i];

	if (ip->family != m->subnet.a.family || i >= m->n || r->first > a)
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
	char buf[IP_STRLEN * 2 + 2];

	m->n = 0;
	while (*text) {
		size_t len = strcspn(text, ",");
		char *dash;
		struct ipaddr first, last;

		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, text, len);
		buf[len] = 0;
		dash = strchr(buf, '-');
		if (dash)
			*dash = 0;
		if (ip_parse(buf, AF_INET, &first) || ip_parse(dash ? dash + 1 : buf, AF_INET, &last) ||
		    last.v4 < first.v4 || (m->n && first.v4 <= m->used[m->n - 1].last + 1))
			return -EINVAL;
		if (insert_at(m, m->n, first.v4))
			return -ENOMEM;
		m->used[m->n - 1].last = last.v4;
		text += len + (text[len] == ',');
	}
	return 0;
}

int ipam_save(const struct ipam *m, char **out)
{
	/* "a.b.c.d-a.b.c.d," at most per range */
	size_t size = m->n * (2 * IP_STRLEN + 2) + 1, off = 0;
	char *buf = malloc(size);

	if (!(*out = buf))
		return -ENOMEM;
	buf[0] = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct ipaddr first = ip4(m->used[i].first), last = ip4(m->used[i].last);
		char a[IP_STRLEN], b[IP_STRLEN];

		ip_format(&first, a);
		if (m->used[i].first == m->used[i].last)
			off += snprintf(buf + off, size - off, "%s%s", i ? "," : "", a);
		else
			off += snprintf(buf + off, size - off, "%s%s-%s", i ? "," : "", a,
					ip_format(&last, b));
	}
	return 0;
}

static bool free_of(const struct ipprefix *p, const struct ipprefix *taken, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pfx_overlap(p, &taken[i]))
			return false;
	return true;
}

int ipam_pick_subnet(const struct ipprefix *taken, size_t n, struct ipprefix *out)
{
	struct ipprefix p = { .len = 16 };

	for (uint32_t b = 17; b <= 31; b++) {
		p.a = ip4((172u << 24) | (b << 16));
		if (free_of(&p, taken, n))
			return *out = p, 0;
	}
	p.len = 20;
	for (uint32_t b = 0; b < 256; b += 16) {
		p.a = ip4((192u << 24) | (168u << 16) | (b << 8));
		if (free_of(&p, taken, n))
			return *out = p, 0;
	}
	return -ENOSPC;
}
