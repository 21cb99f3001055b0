// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state writer and reader, round trip over random input: whatever a user
 * or a front end puts in an option, a label or an alias, net_save/ep_save
 * either refuse it (-EINVAL, nothing written) or write what loads back the
 * same — no input can add a key of its own to a state file. A fixed seed
 * keeps each run the same; BOXNET_FUZZ_SEED and BOXNET_FUZZ_ROUNDS change it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpstate.h"
#include "core/state/store.h"

static uint64_t seed = 0x9e3779b97f4a7c15u;

static unsigned next(unsigned n)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* a string of up to 12 bytes, newlines, '=' and other troublemakers likely */
static void rand_str(char *buf, bool allow_empty)
{
	static const char pool[] = "ab=\n.-_ \t#\\x\xc3\xa9\r=\n";
	unsigned len = next(13);

	if (!len && !allow_empty)
		len = 1;
	for (unsigned i = 0; i < len; i++)
		buf[i] = pool[next(sizeof(pool) - 1)];
	buf[len] = 0;
}

static bool clean_key(const char *k)
{
	return !strpbrk(k, "=\n");
}

static bool clean_val(const char *v)
{
	return !strchr(v, '\n');
}

static void network_pairs(void **state)
{
	struct state *st = tmpstate_open(state);
	const char *env = getenv("BOXNET_FUZZ_ROUNDS");
	unsigned rounds = env ? (unsigned)atoi(env) : 3000, refused = 0, saved = 0;

	if ((env = getenv("BOXNET_FUZZ_SEED")))
		seed = strtoull(env, NULL, 0) | 1;
	for (unsigned r = 0; r < rounds; r++) {
		struct network n = { .name = "fz", .driver = "bridge" }, back;
		char key[16], val[16];
		bool clean = true;
		unsigned count = next(4);
		int ret;

		memset(n.id, 'f', ID_LEN);
		n.used = strdup("");
		for (unsigned i = 0; i < count; i++) {
			rand_str(key, true);
			rand_str(val, true);
			clean &= clean_key(key) && clean_val(val);
			assert_int_equal(pairs_add(next(2) ? &n.opts : &n.labels, key, val), 0);
		}
		ret = net_save(st, &n);
		if (!clean) {
			/* refused, and the previous file is still the whole file */
			assert_int_equal(ret, -EINVAL);
			refused++;
		} else {
			assert_int_equal(ret, 0);
			assert_int_equal(net_load(st, "fz", &back), 0);
			assert_string_equal(back.name, "fz");
			assert_string_equal(back.driver, "bridge");
			assert_false(back.internal);
			assert_false(ip_is_set(&back.subnet.a));
			assert_int_equal(back.opts.n, n.opts.n);
			assert_int_equal(back.labels.n, n.labels.n);
			for (size_t i = 0; i < n.opts.n; i++) {
				assert_string_equal(back.opts.key[i], n.opts.key[i]);
				assert_string_equal(back.opts.val[i], n.opts.val[i]);
			}
			for (size_t i = 0; i < n.labels.n; i++) {
				assert_string_equal(back.labels.key[i], n.labels.key[i]);
				assert_string_equal(back.labels.val[i], n.labels.val[i]);
			}
			net_free(&back);
			saved++;
		}
		net_free(&n);
	}
	/* both ways were taken, many times */
	assert_true(refused > rounds / 10);
	assert_true(saved > rounds / 10);
}

static void endpoint_aliases(void **state)
{
	struct state *st = tmpstate_open(state);

	for (unsigned r = 0; r < 2000; r++) {
		struct endpoint e = { .network = "n1", .container = "c1", .ifname = "eth0" }, back;
		char a[3][16], *alias[3] = { a[0], a[1], a[2] };
		bool clean = true;
		int ret;

		memset(e.id, 'e', ID_LEN);
		e.alias = alias;
		e.naliases = next(4);
		for (size_t i = 0; i < e.naliases; i++) {
			rand_str(a[i], false);
			clean &= clean_val(a[i]);
		}
		assert_int_equal(mkdir(tmpstate_path(state, "endpoints/n1"), 0755) < 0 && errno != EEXIST, 0);
		ret = ep_save(st, &e);
		if (!clean) {
			assert_int_equal(ret, -EINVAL);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(ep_load(st, "n1", "c1", &back), 0);
		assert_string_equal(back.ifname, "eth0");
		assert_false(ip_is_set(&back.ip));
		assert_int_equal(back.naliases, e.naliases);
		for (size_t i = 0; i < e.naliases; i++)
			assert_string_equal(back.alias[i], e.alias[i]);
		ep_free(&back);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmpstate_setup, tmpstate_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = { T(network_pairs), T(endpoint_aliases) };

	return cmocka_run_group_tests_name("state_fuzz", tests, NULL, NULL);
}
