// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/model/ipam.h"

#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the high and low 64 bits of an IPv6 address */
static uint64_t half(const struct ipaddr *a, int which)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | a->v6[8 * which + i];
	return v;
}

/* @a as a number of @m (see struct ipam_range); false when it has none:
 * another family, or an IPv6 address beyond the first 2^64 of the subnet */
static bool num(const struct ipam *m, const struct ipaddr *a, uint64_t *out)
{
	struct ipaddr base = pfx_first(&m->subnet);

	if (a->family != base.family)
		return false;
	if (a->family == AF_INET)
		return *out = a->v4, true;
	if (half(a, 0) != half(&base, 0) || half(a, 1) < half(&base, 1))
		return false;
	*out = half(a, 1) - half(&base, 1);
	return true;
}

/* the address of number @v of @m */
static struct ipaddr addr(const struct ipam *m, uint64_t v)
{
	struct ipaddr a = pfx_first(&m->subnet);

	if (a.family == AF_INET)
		return ip4((uint32_t)v);
	v += half(&a, 1);
	for (int i = 15; i >= 8; i--, v >>= 8)
		a.v6[i] = (uint8_t)v;
	return a;
}

/* the numbers an address of the subnet may not have: IPv4's network and
 * broadcast addresses, IPv6's subnet-router anycast (offset 0) */
static bool reserved(const struct ipam *m, uint64_t v)
{
	struct ipaddr first = pfx_first(&m->subnet), last = pfx_last(&m->subnet);

	if (first.family == AF_INET6)
		return v == 0;
	return v == first.v4 || v == last.v4;
}

void ipam_init(struct ipam *m, const struct ipprefix *subnet, const struct ipprefix *range)
{
	const struct ipprefix *pool = range ? range : subnet;
	struct ipaddr first = pfx_first(pool), last = pfx_last(pool);

	memset(m, 0, sizeof(*m));
	m->subnet = *subnet;
	m->hi = UINT64_MAX; /* an IPv6 pool beyond 2^64 addresses: its first 2^64 */
	if (!num(m, &first, &m->lo))
		m->lo = 1, m->hi = 0; /* nothing of it is managed: empty */
	else
		num(m, &last, &m->hi);
	if (reserved(m, m->lo))
		m->lo++;
	if (first.family == AF_INET && reserved(m, m->hi))
		m->hi--;
}

void ipam_free(struct ipam *m)
{
	free(m->used);
	m->used = NULL;
	m->n = m->cap = 0;
}

/* index of the first range whose last address is >= a */
static size_t find(const struct ipam *m, uint64_t a)
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

static bool used(const struct ipam *m, uint64_t a)
{
	size_t i = find(m, a);

	return i < m->n && m->used[i].first <= a;
}

static int insert_at(struct ipam *m, size_t i, uint64_t a)
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
static int add(struct ipam *m, uint64_t a)
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
	uint64_t v;

	return num(m, a, &v) && used(m, v);
}

int ipam_take(struct ipam *m, const struct ipaddr *ip)
{
	uint64_t a;

	if (!pfx_contains(&m->subnet, ip) || !num(m, ip, &a) || reserved(m, a))
		return -EINVAL;
	if (used(m, a))
		return -EADDRINUSE;
	return add(m, a);
}

int ipam_alloc(struct ipam *m, struct ipaddr *out)
{
	uint64_t a = m->lo;
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
	*out = addr(m, a);
	return add(m, a);
}

void ipam_release(struct ipam *m, const struct ipaddr *ip)
{
	uint64_t a;
	size_t i;
	struct ipam_range *r;

	if (!num(m, ip, &a) || (i = find(m, a)) >= m->n || (r = &m->used[i])->first > a)
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
	int family = m->subnet.a.family;

	m->n = 0;
	while (*text) {
		size_t len = strcspn(text, ",");
		char *dash;
		struct ipaddr first, last;
		uint64_t f, l;

		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, text, len);
		buf[len] = 0;
		dash = strchr(buf, '-');
		if (dash)
			*dash = 0;
		if (ip_parse(buf, family, &first) || ip_parse(dash ? dash + 1 : buf, family, &last) ||
		    !num(m, &first, &f) || !num(m, &last, &l) || l < f ||
		    (m->n && (f <= m->used[m->n - 1].last || f - 1 == m->used[m->n - 1].last)))
			return -EINVAL;
		if (insert_at(m, m->n, f))
			return -ENOMEM;
		m->used[m->n - 1].last = l;
		text += len + (text[len] == ',');
	}
	return 0;
}

int ipam_save(const struct ipam *m, char **out)
{
	/* "ADDR-ADDR," at most per range */
	size_t size = m->n * (2 * IP_STRLEN + 2) + 1, off = 0;
	char *buf = malloc(size);

	if (!(*out = buf))
		return -ENOMEM;
	buf[0] = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct ipaddr first = addr(m, m->used[i].first), last = addr(m, m->used[i].last);
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

void ipam_ula48(const void *seed, size_t len, struct ipprefix *out)
{
	const uint8_t *p = seed;
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a: no crypto needed, only spread */

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	h ^= h >> 29; /* mix the high bits into the ones kept */
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 32;
	memset(out, 0, sizeof(*out));
	out->a.family = AF_INET6;
	out->a.v6[0] = 0xfd;
	for (int i = 1; i < 6; i++, h >>= 8)
		out->a.v6[i] = (uint8_t)h;
	out->len = 48;
}

int ipam_pick_subnet6(const struct ipprefix *ula48, const struct ipprefix *taken, size_t n,
		      struct ipprefix *out)
{
	struct ipprefix p = { pfx_first(ula48), 64 };

	for (unsigned id = 0; id < 65536; id++) {
		p.a.v6[6] = id >> 8;
		p.a.v6[7] = id & 0xff;
		if (free_of(&p, taken, n))
			return *out = p, 0;
	}
	return -ENOSPC;
}
