// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/addr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* parse decimal 0..max with no sign, no leading zero; advance *s */
static int parse_dec(const char **s, unsigned max, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -EINVAL;
	}
	*s = p;
	*out = v;
	return 0;
}

static int parse_addr(const char **s, uint32_t *out)
{
	uint32_t a = 0;
	unsigned o;

	for (int i = 0; i < 4; i++) {
		if (i && *(*s)++ != '.')
			return -EINVAL;
		if (parse_dec(s, 255, &o))
			return -EINVAL;
		a = a << 8 | o;
	}
	*out = a;
	return 0;
}

int addr_parse(const char *s, uint32_t *out)
{
	return parse_addr(&s, out) || *s ? -EINVAL : 0;
}

int prefix_parse(const char *s, struct prefix *p)
{
	unsigned len;

	if (parse_addr(&s, &p->addr) || *s++ != '/' || parse_dec(&s, 32, &len) || *s)
		return -EINVAL;
	p->len = len;
	return 0;
}

uint32_t prefix_mask(int len)
{
	return len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

bool prefix_is_network(const struct prefix *p)
{
	return !(p->addr & ~prefix_mask(p->len));
}

bool prefix_contains(const struct prefix *p, uint32_t a)
{
	return !((a ^ p->addr) & prefix_mask(p->len));
}

bool prefix_within(const struct prefix *inner, const struct prefix *outer)
{
	return inner->len >= outer->len && prefix_contains(outer, inner->addr);
}

bool prefix_overlap(const struct prefix *a, const struct prefix *b)
{
	int len = a->len < b->len ? a->len : b->len;

	return !((a->addr ^ b->addr) & prefix_mask(len));
}

uint32_t prefix_first(const struct prefix *p)
{
	return p->addr & prefix_mask(p->len);
}

uint32_t prefix_last(const struct prefix *p)
{
	return p->addr | ~prefix_mask(p->len);
}

char *addr_format(uint32_t a, char buf[ADDR_STRLEN])
{
	snprintf(buf, ADDR_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

char *prefix_format(const struct prefix *p, char buf[PREFIX_STRLEN])
{
	char a[ADDR_STRLEN];

	snprintf(buf, PREFIX_STRLEN, "%s/%d", addr_format(p->addr, a), p->len);
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int mac_parse(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++, s += 3) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		mac[i] = hi << 4 | lo;
	}
	if (mac[0] & 1 || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EINVAL;
	return 0;
}

char *mac_format(const uint8_t m[6], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}
