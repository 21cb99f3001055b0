// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * printf's formatting for what boxnet prints: integers and strings. musl's
 * vfprintf always links its float formatting and strerror (for %m) along,
 * 12 KiB of a binary that prints neither; with -DBOXNET_SMALL_LIBC (the
 * static build) vfprintf below replaces it, and printf, fprintf, snprintf and
 * vsnprintf, which musl builds on vfprintf, print through format_v. The
 * sanitizer builds keep their libc's, and the unit test holds format_v to
 * glibc's output.
 */
#include "lib/format.h"

#include <stdbool.h>
#include <string.h>

typedef void (*out_fn)(void *ctx, const char *s, size_t n);

/* @n copies of @c */
static void pad(out_fn out, void *ctx, char c, long n)
{
	char run[16];

	memset(run, c, sizeof(run));
	for (; n > 0; n -= sizeof(run))
		out(ctx, run, n < (long)sizeof(run) ? (size_t)n : sizeof(run));
}

static int number(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9')
		n = 10 * n + *(*p)++ - '0';
	return n;
}

size_t format_v(out_fn out, void *ctx, const char *fmt, va_list ap)
{
	size_t total = 0;

	while (*fmt) {
		const char *pct = strchrnul(fmt, '%'), *s = NULL;
		bool minus = false, zero = false, alt = false, sgn;
		char sign = 0, num[24], *end = num + sizeof(num), *d = end, pre[2];
		int width = 0, prec = -1, longs = 0, shorts = 0, npre = 0;
		long zeros = 0, len, fill;
		unsigned long long v;

		out(ctx, fmt, pct - fmt);
		total += pct - fmt;
		if (!*pct)
			break;
		for (fmt = pct + 1;; fmt++) {
			if (*fmt == '-')
				minus = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else if (*fmt == '+' || (*fmt == ' ' && !sign))
				sign = *fmt;
			else
				break;
		}
		if (*fmt == '*') {
			fmt++;
			if ((width = va_arg(ap, int)) < 0)
				minus = true, width = -width;
		} else {
			width = number(&fmt);
		}
		if (*fmt == '.') {
			if (*++fmt == '*') {
				fmt++;
				if ((prec = va_arg(ap, int)) < 0)
					prec = -1;
			} else {
				prec = number(&fmt);
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
				longs++;
			else if (*fmt == 'h')
				shorts++;
			else if (*fmt != 'L')
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
			sgn = *fmt == 'd' || *fmt == 'i';
			if (longs)
				v = va_arg(ap, unsigned long long);
			else if (sgn)
				v = (long long)va_arg(ap, int);
			else
				v = va_arg(ap, unsigned int);
			if (shorts)
				v = shorts == 1 ? (sgn ? (unsigned long long)(short)v : (unsigned short)v)
						: (sgn ? (unsigned long long)(signed char)v : (unsigned char)v);
			if (sgn && (long long)v < 0)
				pre[npre++] = '-', v = -v;
			else if (sgn && sign)
				pre[npre++] = sign;
			if (alt && v && *fmt != 'u' && !sgn)
				pre[npre++] = '0', pre[npre++] = *fmt;
			for (unsigned base = sgn || *fmt == 'u' ? 10 : 16; v; v /= base)
				*--d = "0123456789abcdef0123456789ABCDEF"[v % base + (*fmt == 'X') * 16];
			if (prec < 0)
				prec = 1;
			else
				zero = false;
			zeros = prec - (end - d);
			s = d;
			len = end - d;
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			s = num;
			len = 1;
			zero = false;
			break;
		case 's':
			if (!(s = va_arg(ap, const char *)))
				s = "(null)";
			len = prec < 0 ? strlen(s) : strnlen(s, prec);
			zero = false;
			break;
		case '%':
			s = "%";
			len = 1;
			break;
		default:
			/* not one of ours: nothing, as musl prints nothing more */
			if (!*fmt)
				return total;
			fmt++;
			continue;
		}
		fmt++;
		if (zeros < 0)
			zeros = 0;
		fill = width - npre - zeros - len;
		if (fill < 0)
			fill = 0;
		if (!minus && !zero)
			pad(out, ctx, ' ', fill);
		out(ctx, pre, npre);
		if (!minus && zero)
			pad(out, ctx, '0', fill);
		pad(out, ctx, '0', zeros);
		out(ctx, s, len);
		if (minus)
			pad(out, ctx, ' ', fill);
		total += fill + npre + zeros + len;
	}
	return total;
}

#ifdef BOXNET_SMALL_LIBC
#include <limits.h>
#include <stdio.h>

/* what goes to the stream, in pieces of up to a buffer: an unbuffered stderr
 * gets a whole message in one write, as from musl's vfprintf */
struct sink {
	FILE *f;
	size_t n;
	bool failed;
	char buf[256];
};

static void flush(struct sink *k)
{
	if (k->n && fwrite(k->buf, 1, k->n, k->f) != k->n)
		k->failed = true;
	k->n = 0;
}

static void put(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	while (n) {
		size_t m = sizeof(k->buf) - k->n;

		if (!m) {
			flush(k);
			continue;
		}
		if (m > n)
			m = n;
		memcpy(k->buf + k->n, s, m);
		k->n += m;
		s += m;
		n -= m;
	}
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct sink k = { f, 0, false, "" };
	size_t n = format_v(put, &k, fmt, ap);

	flush(&k);
	return k.failed || n > INT_MAX ? -1 : (int)n;
}
#endif
