// SPDX-License-Identifier: GPL-2.0-or-later
/* core/addr and core/ipam: parsing, formatting, allocation, subnet choice. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/model/ipam.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void addresses(void **state)
{
	uint32_t a;
	struct prefix p;
	uint8_t mac[6];
	char buf[PREFIX_STRLEN];

	assert_int_equal(addr_parse("172.18.0.1", &a), 0);
	assert_int_equal(a, A(172, 18, 0, 1));
	assert_int_equal(addr_parse("0.0.0.0", &a), 0);
	assert_int_equal(addr_parse("255.255.255.255", &a), 0);
	const char *bad[] = { "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
			      "1..2.3", "", "a.b.c.d", "1.2.3.-4", "1.2.3.4/8", "+1.2.3.4" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(addr_parse(bad[i], &a), -EINVAL);
	assert_int_equal(prefix_parse("10.5.0.1/16", &p), 0);
	assert_false(prefix_is_network(&p));
	assert_string_equal(prefix_format(&p, buf), "10.5.0.1/16");
	assert_int_equal(prefix_parse("10.0.0.0/33", &p), -EINVAL);
	assert_int_equal(prefix_parse("10.0.0.0/", &p), -EINVAL);
	assert_int_equal(prefix_parse("10.0.0.0/08", &p), -EINVAL);
	assert_int_equal(prefix_parse("10.0.0.0", &p), -EINVAL);
	assert_int_equal(prefix_parse("0.0.0.0/0", &p), 0);
	assert_int_equal(prefix_mask(0), 0);
	assert_int_equal(mac_parse("02:42:AC:11:00:02", mac), 0);
	assert_int_equal(mac[2], 0xac);
	assert_int_equal(mac_parse("01:00:5e:00:00:01", mac), -EINVAL); /* multicast */
	assert_int_equal(mac_parse("00:00:00:00:00:00", mac), -EINVAL);
	assert_int_equal(mac_parse("02:42:ac:11:00", mac), -EINVAL);
	assert_int_equal(mac_parse("02:42:ac:11:00:02:", mac), -EINVAL);
	assert_int_equal(mac_parse("2:42:ac:11:00:02", mac), -EINVAL);
}

static void overlaps(void **state)
{
	struct prefix a, b;

	prefix_parse("172.18.0.0/16", &a);
	prefix_parse("172.18.5.0/24", &b);
	assert_true(prefix_overlap(&a, &b));
	assert_true(prefix_within(&b, &a));
	assert_false(prefix_within(&a, &b));
	prefix_parse("172.19.0.0/16", &b);
	assert_false(prefix_overlap(&a, &b));
	assert_true(prefix_contains(&a, A(172, 18, 255, 255)));
	assert_false(prefix_contains(&a, A(172, 19, 0, 0)));
}

static void allocation(void **state)
{
	struct ipam m;
	struct prefix s;
	uint32_t a;
	char text[256];

	prefix_parse("172.18.0.0/16", &s);
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_take(&m, A(172, 18, 0, 1)), 0); /* gateway */
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(a, A(172, 18, 0, 2));
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(a, A(172, 18, 0, 3));
	assert_int_equal(ipam_take(&m, A(172, 18, 0, 5)), 0);
	assert_int_equal(ipam_take(&m, A(172, 18, 0, 5)), -EADDRINUSE);
	assert_int_equal(ipam_take(&m, A(172, 18, 0, 0)), -EINVAL);
	assert_int_equal(ipam_take(&m, A(172, 18, 255, 255)), -EINVAL);
	assert_int_equal(ipam_take(&m, A(172, 19, 0, 9)), -EINVAL);
	assert_int_equal(ipam_save(&m, text, sizeof(text)), 0);
	assert_string_equal(text, "172.18.0.1-172.18.0.3,172.18.0.5");
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(a, A(172, 18, 0, 4)); /* fills the hole, ranges merge */
	ipam_save(&m, text, sizeof(text));
	assert_string_equal(text, "172.18.0.1-172.18.0.5");
	ipam_release(&m, A(172, 18, 0, 3)); /* split */
	ipam_save(&m, text, sizeof(text));
	assert_string_equal(text, "172.18.0.1-172.18.0.2,172.18.0.4-172.18.0.5");
	assert_int_equal(ipam_count(&m), 4);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(a, A(172, 18, 0, 3)); /* a released address is reused at once */
	ipam_release(&m, A(172, 18, 0, 1));
	ipam_release(&m, A(172, 18, 0, 5));
	ipam_release(&m, A(172, 18, 0, 99)); /* not used: nothing happens */
	ipam_save(&m, text, sizeof(text));
	assert_string_equal(text, "172.18.0.2-172.18.0.4");
	ipam_free(&m);

	/* round trip, and refusal of malformed or unsorted text */
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_load(&m, "172.18.0.1-172.18.0.3,172.18.0.9"), 0);
	ipam_save(&m, text, sizeof(text));
	assert_string_equal(text, "172.18.0.1-172.18.0.3,172.18.0.9");
	assert_int_equal(ipam_load(&m, "172.18.0.9,172.18.0.1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "172.18.0.3-172.18.0.1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "x"), -EINVAL);
	assert_int_equal(ipam_load(&m, ""), 0);
	assert_int_equal(ipam_count(&m), 0);
	ipam_free(&m);
}

static void ranges_and_exhaustion(void **state)
{
	struct ipam m;
	struct prefix s, r;
	uint32_t a;

	prefix_parse("10.1.0.0/29", &s); /* hosts .1 - .6 */
	ipam_init(&m, &s, NULL);
	for (int i = 1; i <= 6; i++) {
		assert_int_equal(ipam_alloc(&m, &a), 0);
		assert_int_equal(a, A(10, 1, 0, i));
	}
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	ipam_free(&m);

	prefix_parse("172.18.0.0/16", &s);
	prefix_parse("172.18.5.0/24", &r);
	ipam_init(&m, &s, &r);
	ipam_take(&m, A(172, 18, 0, 1));
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(a, A(172, 18, 5, 0)); /* a range's first address is a host here */
	assert_int_equal(ipam_take(&m, A(172, 18, 9, 9)), 0); /* static outside the range */
	ipam_free(&m);
}

static void many(void **state)
{
	struct ipam m;
	struct prefix s;
	uint32_t a;
	char text[64];

	prefix_parse("172.20.0.0/16", &s);
	ipam_init(&m, &s, NULL);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(m.n, 1);
	for (int i = 0; i < 5000; i += 2)
		ipam_release(&m, A(172, 20, 0, 1) + i);
	assert_int_equal(ipam_count(&m), 2500);
	ipam_alloc(&m, &a);
	assert_int_equal(a, A(172, 20, 0, 1));
	assert_int_equal(ipam_save(&m, text, sizeof(text)), -ENOSPC);
	ipam_free(&m);
}

static void subnet_choice(void **state)
{
	struct prefix taken[20], out;
	char buf[PREFIX_STRLEN];

	assert_int_equal(ipam_pick_subnet(NULL, 0, &out), 0);
	assert_string_equal(prefix_format(&out, buf), "172.17.0.0/16");
	prefix_parse("172.17.0.0/16", &taken[0]);
	prefix_parse("172.18.3.0/24", &taken[1]);   /* a host route inside 172.18 */
	prefix_parse("172.19.0.1/32", &taken[2]);   /* an interface address */
	assert_int_equal(ipam_pick_subnet(taken, 3, &out), 0);
	assert_string_equal(prefix_format(&out, buf), "172.20.0.0/16");
	prefix_parse("172.16.0.0/12", &taken[0]);   /* all of 172.16-31 */
	prefix_parse("192.168.0.0/19", &taken[1]);
	assert_int_equal(ipam_pick_subnet(taken, 2, &out), 0);
	assert_string_equal(prefix_format(&out, buf), "192.168.32.0/20");
	prefix_parse("192.168.0.0/16", &taken[1]);
	assert_int_equal(ipam_pick_subnet(taken, 2, &out), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses),     cmocka_unit_test(overlaps),
		cmocka_unit_test(allocation),    cmocka_unit_test(ranges_and_exhaustion),
		cmocka_unit_test(many),          cmocka_unit_test(subnet_choice),
	};

	return cmocka_run_group_tests_name("ipam", tests, NULL, NULL);
}
