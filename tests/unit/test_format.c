// SPDX-License-Identifier: GPL-2.0-or-later
/* The static build's printf formatting: every conversion it takes prints what
 * glibc's vsnprintf prints, for the formats boxnet uses and their corners. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/format.h"

struct text {
	char s[512];
	size_t n;
};

static void add(void *ctx, const char *s, size_t n)
{
	struct text *t = ctx;

	assert_true(t->n + n < sizeof(t->s));
	memcpy(t->s + t->n, s, n);
	t->n += n;
}

/* format_v's text and length are glibc's for @fmt and its arguments */
__attribute__((format(printf, 1, 2))) static void same(const char *fmt, ...)
{
	struct text got = { .n = 0 };
	char want[512];
	va_list ap, aq;
	size_t n;
	int wn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, ap);
	n = format_v(add, &got, fmt, aq);
	va_end(aq);
	va_end(ap);
	got.s[got.n] = 0;
	assert_int_equal(n, got.n);
	assert_int_equal(n, wn);
	assert_memory_equal(got.s, want, n);
}

static void strings(void **state)
{
	const char *volatile none = NULL;

	same("plain text");
	same("%s", "");
	same("%s: %s\n", "brctl", "No such device");
	same("%.*s|", 3, "abcdef");
	same("%.*s|", 0, "abcdef");
	same("%.*s|", -1, "abcdef");
	same("%.12s|%.32s|%.0s|", "0123456789abcdef", "short", "gone");
	same("%-*s|", 20, "left");
	same("%-*s|", -20, "negative width");
	same("%*s|", 20, "right");
	same("%-*.*s|", 10, 3, "abcdef");
	same("%-10s|%-20s|%-16s|%-9s|%-6s|%-14s|", "a", "b", "c", "toolongforit", "e", "f");
	same("%15s|%3s|", "x", "longer than three");
	same("%c%c%-3c|%3c|", 'a', 'b', 'c', 'd');
	same("100%% %s", "done");
	same("%s", none);
}

static void integers(void **state)
{
	same("%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
	same("%i %4i %3i %.2i %.0d|%.0d", 7, 42, -5, 3, 0, 9);
	same("%u %u %-9u| %-6u|", 0u, UINT_MAX, 12u, 65535u);
	same("%x %X %.2x %02x %.4x %04X", 0xabu, 0xabu, 5u, 0xfu, 0x1fu, 0xbeefu);
	same("%#x %#X %#x", 0x1fu, 0x1fu, 0u);
	same("%lu %ld %ld %lld %lld", ULONG_MAX, LONG_MIN, 12L, LLONG_MAX, LLONG_MIN);
	same("%zu %zu", (size_t)0, SIZE_MAX);
	same("%09ld %04ld %02ld %02d", 123456789L, 7L, 5L, -3);
	same("%+d %+d % d % d", 5, -5, 5, -5);
	same("%05d|%5.3d|%-5.3d|", -42, 7, 7);
	same("%hhu %hhd %hu %hd", 300, 200, 70000, 40000);
	same("%jd %td", (intmax_t)-9, (ptrdiff_t)9);
	same("%*d|%-*d|%.*d|", 6, 1, 6, 2, 4, 3);
	same("%8.3x|%-#8x|%#08x|", 0xau, 0xau, 0xau);
}

static void long_output(void **state)
{
	char big[300];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	same("%s|%s", big, "tail");
	same("%100d|%-100s|", 1, "y");
	same("%.100d|", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings),
		cmocka_unit_test(integers),
		cmocka_unit_test(long_output),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
