// SPDX-License-Identifier: GPL-2.0-or-later
/* The static build's qsort and strstr against their contracts and glibc's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/libc_subst.h"

struct item {
	int key, seq;
	char pad[5]; /* an element size that is no power of two */
};

static int by_key(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* sorted by key, and equal keys in the order they came */
static void sorts_stably(void **state)
{
	static struct item v[5000];

	srand(7);
	for (size_t n = 0; n <= sizeof(v) / sizeof(*v); n = n < 20 ? n + 1 : n * 3) {
		for (size_t i = 0; i < n; i++)
			v[i] = (struct item){ rand() % (n / 3 + 1), (int)i, "" };
		sort_stable(v, n, sizeof(*v), by_key);
		for (size_t i = 1; i < n; i++) {
			assert_true(v[i - 1].key <= v[i].key);
			if (v[i - 1].key == v[i].key)
				assert_true(v[i - 1].seq < v[i].seq);
		}
	}
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sorts_names(void **state)
{
	const char *v[] = { "veth9", "br0", "docker0", "br-1", "lo", "br0", "a" };
	const char *want[] = { "a", "br-1", "br0", "br0", "docker0", "lo", "veth9" };

	sort_stable(v, 7, sizeof(*v), by_str);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(v[i], want[i]);
}

static void finds(void **state)
{
	const char *h[] = { "", "a", "abc.tmp", "xx.tmpx", "FORWARD", "chain FORWARD x",
			    "{{.Name}}", "aaab", "K8S_POD_NAME=x;K8S_POD_NAME=y" };
	const char *n[] = { "", "a", ".tmp", "FORWARD", "{{", "*/", "aab", "K8S_POD_NAME=", "abcd" };

	for (size_t i = 0; i < sizeof(h) / sizeof(*h); i++)
		for (size_t j = 0; j < sizeof(n) / sizeof(*n); j++)
			assert_ptr_equal(str_find(h[i], n[j]), strstr(h[i], n[j]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorts_stably),
		cmocka_unit_test(sorts_names),
		cmocka_unit_test(finds),
	};

	return cmocka_run_group_tests_name("libc_subst", tests, NULL, NULL);
}
