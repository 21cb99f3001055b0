// SPDX-License-Identifier: GPL-2.0-or-later
/* boxnet's libmnl subset and the real libmnl must produce the same bytes and
 * answers for the same calls (mnl_scenarios.c is compiled against each). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

typedef void (*emit_fn)(const char *what, const void *data, size_t len);
void scenarios_own(emit_fn emit);
void scenarios_sys(emit_fn emit);

struct record {
	char what[64];
	unsigned char data[512];
	size_t len;
};
static struct record recs[2][64];
static int nrec[2], side;

static void emit(const char *what, const void *data, size_t len)
{
	struct record *r = &recs[side][nrec[side]++];

	assert_true(nrec[side] <= 64);
	assert_true(len <= sizeof(r->data));
	strncpy(r->what, what, sizeof(r->what) - 1);
	memcpy(r->data, data, len);
	r->len = len;
}

static void same_bytes(void **state)
{
	side = 0;
	scenarios_sys(emit);
	side = 1;
	scenarios_own(emit);
	assert_int_equal(nrec[0], nrec[1]);
	assert_true(nrec[0] > 30);
	for (int i = 0; i < nrec[0]; i++) {
		assert_string_equal(recs[0][i].what, recs[1][i].what);
		if (!strcmp(recs[0][i].what, "dirty buffer")) {
			/* ours must equal the clean build: padding zeroed */
			assert_memory_equal(recs[1][i].data, recs[1][0].data, recs[1][0].len);
			continue;
		}
		assert_int_equal(recs[0][i].len, recs[1][i].len);
		if (memcmp(recs[0][i].data, recs[1][i].data, recs[0][i].len))
			fail_msg("\"%s\": libmnl and boxnet differ", recs[0][i].what);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(same_bytes) };

	return cmocka_run_group_tests_name("mnl", tests, NULL, NULL);
}
