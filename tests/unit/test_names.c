// SPDX-License-Identifier: GPL-2.0-or-later
/* Names users give, and the applet registry's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/errstr.h"
#include "lib/names.h"

static void ifnames(void **state)
{
	assert_true(name_is_ifname("br0"));
	assert_true(name_is_ifname("a"));
	assert_true(name_is_ifname("abcdefghijklmno")); /* 15 */
	assert_true(name_is_ifname("docker_gwbridge"));
	assert_true(name_is_ifname("br-0123456789ab"));
	assert_false(name_is_ifname("abcdefghijklmnop")); /* 16 */
	assert_false(name_is_ifname(""));
	assert_false(name_is_ifname("."));
	assert_false(name_is_ifname(".."));
	assert_false(name_is_ifname("a/b"));
	assert_false(name_is_ifname("a:b"));
	assert_false(name_is_ifname("a b"));
	assert_false(name_is_ifname("a\tb"));
	assert_true(name_is_ifname("..."));
}

static void glibc_texts(void **state)
{
	assert_string_equal(errstr(95), "Operation not supported");
	assert_string_equal(errstr(-34), "Numerical result out of range");
	assert_string_equal(errstr(17), "File exists");
	assert_string_equal(errstr(0), "Unknown error 0");
	assert_string_equal(errstr(4000), "Unknown error 4000");
}

/* applets.def must stay sorted, without duplicates */
static void registry_sorted(void **state)
{
	FILE *f = fopen("applets/applets.def", "r");
	char line[256], prev[64] = "", name[64];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "APPLET(%63[a-z0-9],", name) != 1)
			continue;
		assert_true(strcmp(prev, name) < 0);
		strcpy(prev, name);
		n++;
	}
	fclose(f);
	assert_true(n >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ifnames),
		cmocka_unit_test(glibc_texts),
		cmocka_unit_test(registry_sorted),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
