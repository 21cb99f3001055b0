// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

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

/* exactly four decimal octets and nothing after them */
static int parse_v4(const char *s, uint32_t *out)
{
	return parse_addr(&s, out) || *s ? -EINVAL : 0;
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

/*
 * RFC 4291 text as inet_pton reads it: groups of 1 to 4 hex digits, at most
 * one "::" for one or more zero groups, a dotted quad for the last two
 * ("::ffff:1.2.3.4", as Go also takes). Written here: musl's inet_pton is
 * 0.8 KiB with the IPv4 part boxnet already has.
 */
static int parse_v6(const char *s, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1;

	if (*s == ':' && *++s != ':')
		return -EINVAL;
	for (;;) {
		unsigned v = 0;
		uint32_t v4;
		int k, d;

		if (*s == ':') {
			if (gap >= 0)
				return -EINVAL;
			gap = n;
			if (!*++s)
				break;
		}
		for (k = 0; k < 4 && (d = hexval(s[k])) >= 0; k++)
			v = v << 4 | d;
		if (s[k] == '.' && n <= 6 && !parse_v4(s, &v4)) {
			g[n++] = v4 >> 16;
			g[n++] = v4 & 0xffff;
			break;
		}
		if (!k || n == 8)
			return -EINVAL;
		g[n++] = v;
		s += k;
		if (!*s)
			break;
		if (*s++ != ':')
			return -EINVAL;
	}
	if (gap < 0 ? n != 8 : n == 8)
		return -EINVAL;
	memset(out, 0, 16);
	for (int i = 0, j = 0; i < n; i++, j++) {
		if (i == gap)
			j += 8 - n;
		out[2 * j] = g[i] >> 8;
		out[2 * j + 1] = g[i] & 0xff;
	}
	return 0;
}

int ip_parse(const char *s, int family, struct ipaddr *out)
{
	memset(out, 0, sizeof(*out));
	if ((family == AF_INET || family == AF_UNSPEC) && parse_v4(s, &out->v4) == 0) {
		out->family = AF_INET;
		return 0;
	}
	if ((family == AF_INET6 || family == AF_UNSPEC) && parse_v6(s, out->v6) == 0) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

/*
 * RFC 5952 text, written here rather than by inet_ntop: glibc's writes the
 * deprecated IPv4-compatible form for ::/96 ("::2:3" as "::0.2.0.3"), musl's
 * does not, and the text must not depend on the libc. Lowercase hex without
 * leading zeros; "::" for the first longest run of two or more zero fields;
 * a dotted quad only for IPv4-mapped addresses (::ffff:0:0/96), as Go does.
 */
static void format6(const uint8_t b[16], char buf[IP_STRLEN])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	unsigned w[8];
	int best = -1, bestlen = 1, run = 0;
	size_t off = 0;

	if (!memcmp(b, mapped, sizeof(mapped))) {
		snprintf(buf, IP_STRLEN, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
		return;
	}
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
		run = w[i] ? 0 : run + 1;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	buf[0] = 0;
	for (int i = 0; i < 8 && off < IP_STRLEN; i++) {
		if (i == best) {
			off += snprintf(buf + off, IP_STRLEN - off, "::");
			i += bestlen - 1;
			continue;
		}
		off += snprintf(buf + off, IP_STRLEN - off, "%s%x",
				i && i != best + bestlen ? ":" : "", w[i]);
	}
}

char *ip_format(const struct ipaddr *a, char buf[IP_STRLEN])
{
	buf[0] = 0;
	if (a->family == AF_INET)
		snprintf(buf, IP_STRLEN, "%u.%u.%u.%u", a->v4 >> 24, (a->v4 >> 16) & 255,
			 (a->v4 >> 8) & 255, a->v4 & 255);
	else if (a->family == AF_INET6)
		format6(a->v6, buf);
	return buf;
}

bool ip_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->v4 == b->v4
	       : a->family == AF_INET6 ? !memcmp(a->v6, b->v6, 16) : true;
}

size_t ip_to_bytes(const struct ipaddr *a, void *out)
{
	uint32_t be;

	if (a->family == AF_INET) {
		be = htonl(a->v4);
		memcpy(out, &be, 4);
		return 4;
	}
	if (a->family == AF_INET6) {
		memcpy(out, a->v6, 16);
		return 16;
	}
	return 0;
}

int ip_from_bytes(int family, const void *p, size_t len, struct ipaddr *out)
{
	uint32_t be;

	memset(out, 0, sizeof(*out));
	if (family == AF_INET && len == 4) {
		memcpy(&be, p, 4);
		out->v4 = ntohl(be);
	} else if (family == AF_INET6 && len == 16) {
		memcpy(out->v6, p, 16);
	} else {
		return -EINVAL;
	}
	out->family = family;
	return 0;
}

int pfx_parse(const char *s, int family, struct ipprefix *p)
{
	char buf[IP_STRLEN];
	const char *slash = strrchr(s, '/'), *l;
	unsigned len;
	size_t n = slash ? (size_t)(slash - s) : 0;

	memset(p, 0, sizeof(*p));
	if (!slash || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	l = slash + 1;
	if (ip_parse(buf, family, &p->a) ||
	    parse_dec(&l, p->a.family == AF_INET ? 32 : 128, &len) || *l) {
		memset(p, 0, sizeof(*p));
		return -EINVAL;
	}
	p->len = len;
	return 0;
}

char *pfx_format(const struct ipprefix *p, char buf[PFX_STRLEN])
{
	char a[IP_STRLEN];

	snprintf(buf, PFX_STRLEN, "%s/%u", ip_format(&p->a, a), p->len);
	return buf;
}

uint32_t pfx_mask4(int len)
{
	return len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

/* byte @i of the mask of @len bits */
static uint8_t mask_byte(int len, int i)
{
	int bits = len - 8 * i;

	return bits <= 0 ? 0 : bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
}

/* @a with its bits beyond @len cleared (@ones: set) */
static struct ipaddr masked(const struct ipaddr *a, int len, bool ones)
{
	struct ipaddr r = *a;

	if (a->family == AF_INET)
		r.v4 = ones ? a->v4 | ~pfx_mask4(len) : a->v4 & pfx_mask4(len);
	else if (a->family == AF_INET6)
		for (int i = 0; i < 16; i++)
			r.v6[i] = ones ? a->v6[i] | (uint8_t)~mask_byte(len, i) : a->v6[i] & mask_byte(len, i);
	return r;
}

bool pfx_is_network(const struct ipprefix *p)
{
	struct ipaddr f = masked(&p->a, p->len, false);

	return ip_eq(&f, &p->a);
}

bool pfx_contains(const struct ipprefix *p, const struct ipaddr *a)
{
	struct ipaddr x = masked(a, p->len, false), y = masked(&p->a, p->len, false);

	return a->family == p->a.family && ip_eq(&x, &y);
}

bool pfx_within(const struct ipprefix *inner, const struct ipprefix *outer)
{
	return inner->len >= outer->len && pfx_contains(outer, &inner->a);
}

bool pfx_overlap(const struct ipprefix *a, const struct ipprefix *b)
{
	return a->len <= b->len ? pfx_contains(a, &b->a) : pfx_contains(b, &a->a);
}

struct ipaddr pfx_first(const struct ipprefix *p)
{
	return masked(&p->a, p->len, false);
}

struct ipaddr pfx_last(const struct ipprefix *p)
{
	return masked(&p->a, p->len, true);
}
