// SPDX-License-Identifier: GPL-2.0-or-later
/* core/model/ipam: allocation, its text form, subnet choice (addresses:
 * test_addr.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <cmocka.h>

#include "core/model/ipam.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* the address a.b.c.d, and the text form of the used set (freed at the next call) */
static struct ipaddr at(int a, int b, int c, int d)
{
	return ip4(A(a, b, c, d));
}

static const char *saved(const struct ipam *m)
{
	static char *text;

	free(text);
	assert_int_equal(ipam_save(m, &text), 0);
	return text;
}

static struct ipprefix pfx(const char *s)
{
	struct ipprefix p;

	assert_int_equal(pfx_parse(s, AF_INET, &p), 0);
	return p;
}

static int take(struct ipam *m, struct ipaddr a)
{
	return ipam_take(m, &a);
}

static void release(struct ipam *m, struct ipaddr a)
{
	ipam_release(m, &a);
}

static bool used(struct ipam *m, struct ipaddr a)
{
	return ipam_is_used(m, &a);
}

static bool same(struct ipaddr x, struct ipaddr y)
{
	return ip_eq(&x, &y);
}

#define TAKE(m, a, b, c, d) take(m, at(a, b, c, d))
#define RELEASE(m, a, b, c, d) release(m, at(a, b, c, d))
#define IS(x, a, b, c, d) assert_true(same(x, at(a, b, c, d)))

static void allocation(void **state)
{
	struct ipam m;
	struct ipprefix s = pfx("172.18.0.0/16");
	struct ipaddr a;

	ipam_init(&m, &s, NULL);
	assert_int_equal(TAKE(&m, 172, 18, 0, 1), 0); /* gateway */
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 2);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 3);
	assert_int_equal(TAKE(&m, 172, 18, 0, 5), 0);
	assert_true(used(&m, at(172, 18, 0, 5)));
	assert_false(used(&m, at(172, 18, 0, 4)));
	assert_int_equal(TAKE(&m, 172, 18, 0, 5), -EADDRINUSE);
	assert_int_equal(TAKE(&m, 172, 18, 0, 0), -EINVAL);
	assert_int_equal(TAKE(&m, 172, 18, 255, 255), -EINVAL);
	assert_int_equal(TAKE(&m, 172, 19, 0, 9), -EINVAL);
	assert_string_equal(saved(&m), "172.18.0.1-172.18.0.3,172.18.0.5");
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 4); /* fills the hole, ranges merge */
	assert_string_equal(saved(&m), "172.18.0.1-172.18.0.5");
	RELEASE(&m, 172, 18, 0, 3); /* split */
	assert_string_equal(saved(&m), "172.18.0.1-172.18.0.2,172.18.0.4-172.18.0.5");
	assert_int_equal(ipam_count(&m), 4);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 3); /* a released address is reused at once */
	RELEASE(&m, 172, 18, 0, 1);
	RELEASE(&m, 172, 18, 0, 5);
	RELEASE(&m, 172, 18, 0, 99); /* not used: nothing happens */
	assert_string_equal(saved(&m), "172.18.0.2-172.18.0.4");
	ipam_free(&m);

	/* round trip, and refusal of malformed or unsorted text */
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_load(&m, "172.18.0.1-172.18.0.3,172.18.0.9"), 0);
	assert_string_equal(saved(&m), "172.18.0.1-172.18.0.3,172.18.0.9");
	assert_int_equal(ipam_load(&m, "172.18.0.9,172.18.0.1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "172.18.0.3-172.18.0.1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "x"), -EINVAL);
	assert_int_equal(ipam_load(&m, ""), 0);
	assert_int_equal(ipam_count(&m), 0);
	assert_string_equal(saved(&m), "");
	ipam_free(&m);
}

static void ranges_and_exhaustion(void **state)
{
	struct ipam m;
	struct ipprefix s = pfx("10.1.0.0/29"), r; /* hosts .1 - .6 */
	struct ipaddr a;

	ipam_init(&m, &s, NULL);
	for (int i = 1; i <= 6; i++) {
		assert_int_equal(ipam_alloc(&m, &a), 0);
		IS(a, 10, 1, 0, i);
	}
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	ipam_free(&m);

	s = pfx("172.18.0.0/16");
	r = pfx("172.18.5.0/24");
	ipam_init(&m, &s, &r);
	TAKE(&m, 172, 18, 0, 1);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 5, 0); /* a range's first address is a host here */
	assert_int_equal(TAKE(&m, 172, 18, 9, 9), 0); /* static outside the range */
	ipam_free(&m);
}

/* many scattered addresses: the text form is not cut (it once was, at 4 KiB) */
static void many(void **state)
{
	struct ipam m;
	struct ipprefix s = pfx("172.20.0.0/16");
	struct ipaddr a;

	ipam_init(&m, &s, NULL);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_int_equal(m.n, 1);
	for (int i = 0; i < 5000; i += 2)
		release(&m, ip4(A(172, 20, 0, 1) + i));
	assert_int_equal(ipam_count(&m), 2500);
	ipam_alloc(&m, &a);
	IS(a, 172, 20, 0, 1);
	{
		struct ipam back;
		char *text;

		assert_int_equal(ipam_save(&m, &text), 0);
		assert_true(strlen(text) > 4096);
		ipam_init(&back, &s, NULL);
		assert_int_equal(ipam_load(&back, text), 0);
		assert_int_equal(ipam_count(&back), 2501);
		assert_string_equal(saved(&back), text);
		free(text);
		ipam_free(&back);
	}
	ipam_free(&m);
}

static void subnet_choice(void **state)
{
	struct ipprefix taken[20], out;
	char buf[PFX_STRLEN];

	assert_int_equal(ipam_pick_subnet(NULL, 0, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "172.17.0.0/16");
	taken[0] = pfx("172.17.0.0/16");
	taken[1] = pfx("172.18.3.0/24");   /* a host route inside 172.18 */
	taken[2] = pfx("172.19.0.1/32");   /* an interface address */
	assert_int_equal(ipam_pick_subnet(taken, 3, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "172.20.0.0/16");
	taken[0] = pfx("172.16.0.0/12");   /* all of 172.16-31 */
	taken[1] = pfx("192.168.0.0/19");
	assert_int_equal(ipam_pick_subnet(taken, 2, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "192.168.32.0/20");
	taken[1] = pfx("192.168.0.0/16");
	assert_int_equal(ipam_pick_subnet(taken, 2, &out), -ENOSPC);
}

/* the text form: a loaded set goes on where it was */
static void load_then_allocate(void **state)
{
	struct ipam m;
	struct ipprefix s;
	struct ipaddr a;

	s = pfx("172.18.0.0/16");
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_load(&m, "172.18.0.1-172.18.0.3,172.18.0.5,172.18.0.7-172.18.0.9"), 0);
	assert_int_equal(ipam_count(&m), 7);
	assert_true(used(&m, at(172, 18, 0, 1)));
	assert_true(used(&m, at(172, 18, 0, 3)));
	assert_false(used(&m, at(172, 18, 0, 4)));
	assert_true(used(&m, at(172, 18, 0, 5)));
	assert_false(used(&m, at(172, 18, 0, 6)));
	assert_true(used(&m, at(172, 18, 0, 9)));
	assert_false(used(&m, at(172, 18, 0, 10)));
	assert_false(used(&m, at(172, 18, 0, 0)));
	assert_int_equal(take(&m, at(172, 18, 0, 8)), -EADDRINUSE);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 4);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 6);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 10);
	assert_string_equal(saved(&m), "172.18.0.1-172.18.0.10");
	assert_int_equal(m.n, 1); /* merged as it filled */

	/* a load replaces the set */
	assert_int_equal(ipam_load(&m, "172.18.0.9"), 0);
	assert_int_equal(ipam_count(&m), 1);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 0, 1);

	/* only sorted, merged, well-formed lists */
	const char *bad[] = { "172.18.0.1-172.18.0.3,172.18.0.4",   /* adjacent: not merged */
			      "172.18.0.1-172.18.0.5,172.18.0.3",   /* overlapping */
			      "172.18.0.3,172.18.0.3",              /* twice */
			      "172.18.0.1-172.18.0.2-172.18.0.3", "172.18.0.1-", "-172.18.0.1",
			      ",172.18.0.1", "172.18.0.1,,172.18.0.3", "172.18.0.01",
			      "172.18.0.1 ", "172.18.0.1-172.18.0.1000",
			      "172.18.0.1-172.18.0.255172.18.0.255" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (ipam_load(&m, bad[i]) != -EINVAL)
			fail_msg("ipam_load accepted \"%s\"", bad[i]);
	ipam_free(&m);
	assert_null(m.used);
	assert_int_equal(m.n, 0);
}

static void release_edges(void **state)
{
	struct ipam m;
	struct ipprefix s;
	struct ipaddr a;

	s = pfx("10.0.0.0/24");
	ipam_init(&m, &s, NULL);
	release(&m, at(10, 0, 0, 1)); /* nothing used yet */
	assert_int_equal(ipam_count(&m), 0);
	for (int i = 0; i < 5; i++)
		ipam_alloc(&m, &a);
	release(&m, at(10, 0, 0, 1)); /* first of a range */
	assert_string_equal(saved(&m), "10.0.0.2-10.0.0.5");
	release(&m, at(10, 0, 0, 5)); /* last of a range */
	assert_string_equal(saved(&m), "10.0.0.2-10.0.0.4");
	release(&m, at(10, 0, 0, 3)); /* the middle: two ranges */
	assert_string_equal(saved(&m), "10.0.0.2,10.0.0.4");
	assert_false(used(&m, at(10, 0, 0, 3)));
	release(&m, at(10, 0, 0, 3)); /* again: nothing */
	release(&m, at(10, 0, 0, 2)); /* a range of one */
	assert_string_equal(saved(&m), "10.0.0.4");
	release(&m, at(10, 0, 0, 4));
	assert_int_equal(m.n, 0);
	assert_int_equal(ipam_count(&m), 0);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 10, 0, 0, 1);
	ipam_free(&m);
}

static void small_subnets_and_ranges(void **state)
{
	struct ipam m;
	struct ipprefix s, r;
	struct ipaddr a;

	s = pfx("10.0.0.4/30"); /* hosts .5 and .6 */
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 10, 0, 0, 5);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 10, 0, 0, 6);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	assert_int_equal(take(&m, at(10, 0, 0, 7)), -EINVAL);
	ipam_free(&m);

	s = pfx("10.0.0.4/31");
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	ipam_free(&m);
	s = pfx("10.0.0.4/32");
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	assert_int_equal(take(&m, at(10, 0, 0, 4)), -EINVAL);
	ipam_free(&m);

	/* a range at the end of the subnet: never its broadcast address, and
	 * the range full is full even when the subnet has room */
	s = pfx("172.18.0.0/16");
	r = pfx("172.18.255.0/24");
	ipam_init(&m, &s, &r);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 255, 0);
	for (int i = 1; i < 255; i++)
		assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 255, 254);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	assert_int_equal(take(&m, at(172, 18, 0, 5)), 0);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	/* an address released in the range is handed out again */
	release(&m, at(172, 18, 255, 77));
	assert_int_equal(ipam_alloc(&m, &a), 0);
	IS(a, 172, 18, 255, 77);
	ipam_free(&m);
}

static void subnet_choice_more(void **state)
{
	struct ipprefix taken[4], out;
	char buf[PFX_STRLEN];

	taken[0] = pfx("172.17.5.5/32");
	assert_int_equal(ipam_pick_subnet(taken, 1, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "172.18.0.0/16");
	taken[0] = pfx("172.0.0.0/8");
	assert_int_equal(ipam_pick_subnet(taken, 1, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "192.168.0.0/20");
	taken[0] = pfx("172.16.0.0/12");
	taken[1] = pfx("192.168.0.0/20");
	taken[2] = pfx("192.168.40.0/24");
	taken[3] = pfx("192.168.17.1/32");
	assert_int_equal(ipam_pick_subnet(taken, 4, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "192.168.48.0/20");
	taken[0] = pfx("10.0.0.0/8"); /* outside the pools: no matter */
	assert_int_equal(ipam_pick_subnet(taken, 1, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "172.17.0.0/16");
	/* the last pool */
	taken[0] = pfx("172.16.0.0/12");
	taken[1] = pfx("192.168.0.0/17");
	taken[2] = pfx("192.168.128.0/18");
	taken[3] = pfx("192.168.192.0/19");
	assert_int_equal(ipam_pick_subnet(taken, 4, &out), 0);
	assert_string_equal(pfx_format(&out, buf), "192.168.224.0/20");
}

/* IPv6: addresses as offsets from the subnet, never enumerated */
static struct ipaddr at6(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ip_parse(s, AF_INET6, &a), 0);
	return a;
}

static struct ipprefix pfx6(const char *s)
{
	struct ipprefix p;

	assert_int_equal(pfx_parse(s, AF_INET6, &p), 0);
	return p;
}

static void v6_allocation(void **state)
{
	struct ipam m;
	struct ipprefix s = pfx6("fd12:3456:789a:1::/64");
	struct ipaddr a;

	ipam_init(&m, &s, NULL);
	/* the subnet-router anycast address is never an endpoint's */
	assert_int_equal(take(&m, at6("fd12:3456:789a:1::")), -EINVAL);
	assert_int_equal(take(&m, at6("fd12:3456:789a:1::1")), 0); /* gateway */
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_true(same(a, at6("fd12:3456:789a:1::2")));
	/* the last address of a /64 is an address like any other (no broadcast) */
	assert_int_equal(take(&m, at6("fd12:3456:789a:1:ffff:ffff:ffff:ffff")), 0);
	assert_int_equal(take(&m, at6("fd12:3456:789a:1:ffff:ffff:ffff:ffff")), -EADDRINUSE);
	assert_int_equal(take(&m, at6("fd12:3456:789a:2::5")), -EINVAL);
	assert_int_equal(take(&m, at(10, 0, 0, 1)), -EINVAL);
	assert_string_equal(saved(&m), "fd12:3456:789a:1::1-fd12:3456:789a:1::2,"
				       "fd12:3456:789a:1:ffff:ffff:ffff:ffff");
	/* a huge used run stays one range of text, and allocation steps over it */
	ipam_free(&m);
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_load(&m, "fd12:3456:789a:1::1-fd12:3456:789a:1:0:ffff:ffff:ffff"), 0);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_true(same(a, at6("fd12:3456:789a:1:1::")));
	assert_int_equal(m.n, 1);
	release(&m, at6("fd12:3456:789a:1::8000"));
	assert_int_equal(m.n, 2);
	assert_true(used(&m, at6("fd12:3456:789a:1::7fff")));
	assert_false(used(&m, at6("fd12:3456:789a:1::8000")));
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_true(same(a, at6("fd12:3456:789a:1::8000")));
	/* damaged: unsorted, other family, outside */
	assert_int_equal(ipam_load(&m, "fd12:3456:789a:1::9,fd12:3456:789a:1::3"), -EINVAL);
	assert_int_equal(ipam_load(&m, "172.18.0.1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "fd12:3456:789a:2::1"), -EINVAL);
	assert_int_equal(ipam_load(&m, "fd12:3456:789a:1:ffff:ffff:ffff:fffe-fd12:3456:789a:1:ffff:ffff:ffff:ffff,fd12:3456:789a:1::5"), -EINVAL);
	ipam_free(&m);
}

static void v6_ranges_and_small(void **state)
{
	struct ipam m;
	struct ipprefix s = pfx6("2001:db8::/120"), r = pfx6("2001:db8::f0/126");
	struct ipaddr a;

	ipam_init(&m, &s, &r);
	assert_int_equal(take(&m, at6("2001:db8::1")), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_true(same(a, at6("2001:db8::f3")));
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	/* a static address outside the range but inside the subnet */
	assert_int_equal(take(&m, at6("2001:db8::ff")), 0);
	ipam_free(&m);
	/* a subnet shorter than /64: its first 2^64 addresses are managed */
	s = pfx6("fd00:1::/48");
	ipam_init(&m, &s, NULL);
	assert_int_equal(ipam_alloc(&m, &a), 0);
	assert_true(same(a, at6("fd00:1::1")));
	assert_int_equal(take(&m, at6("fd00:1:0:0:ffff::1")), 0);
	assert_int_equal(take(&m, at6("fd00:1:0:1::1")), -EINVAL);
	ipam_free(&m);
	/* a range beyond them: nothing to hand out */
	r = pfx6("fd00:1:0:5::/64");
	ipam_init(&m, &s, &r);
	assert_int_equal(ipam_alloc(&m, &a), -ENOSPC);
	ipam_free(&m);
}

static void ula(void **state)
{
	struct ipprefix a, b, c, got, taken[3];
	char t[PFX_STRLEN];

	ipam_ula48("0123456789abcdef0123456789abcdef\n", 33, &a);
	ipam_ula48("0123456789abcdef0123456789abcdef\n", 33, &b);
	ipam_ula48("0123456789abcdef0123456789abcdee\n", 33, &c);
	assert_int_equal(a.len, 48);
	assert_int_equal(a.a.family, AF_INET6);
	assert_int_equal(a.a.v6[0], 0xfd);
	assert_true(pfx_is_network(&a));
	assert_true(same(a.a, b.a));       /* stable for one machine-id */
	assert_false(same(a.a, c.a));      /* another host, another /48 */
	assert_int_equal(ipam_pick_subnet6(&a, NULL, 0, &got), 0);
	assert_int_equal(got.len, 64);
	assert_true(pfx_within(&got, &a));
	assert_true(same(got.a, a.a));     /* subnet ID 0 first */
	/* a route into the first /64 and a network on the second: the third */
	taken[0] = got;
	taken[0].a.v6[15] = 0x80;
	taken[0].len = 120;
	taken[1] = got;
	taken[1].a.v6[7] = 1;
	taken[2] = pfx("10.0.0.0/8");      /* another family never conflicts */
	assert_int_equal(ipam_pick_subnet6(&a, taken, 3, &got), 0);
	assert_int_equal(got.a.v6[6], 0);
	assert_int_equal(got.a.v6[7], 2);
	pfx_format(&got, t);
	assert_int_equal(strlen(t) > 0, 1);
	/* a route covering the whole /48: no room */
	assert_int_equal(ipam_pick_subnet6(&a, &a, 1, &got), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		     
		cmocka_unit_test(allocation),    cmocka_unit_test(ranges_and_exhaustion),
		cmocka_unit_test(many),          cmocka_unit_test(subnet_choice),
		cmocka_unit_test(load_then_allocate), 
		cmocka_unit_test(release_edges), cmocka_unit_test(small_subnets_and_ranges),
		cmocka_unit_test(subnet_choice_more),
		cmocka_unit_test(v6_allocation), cmocka_unit_test(v6_ranges_and_small),
		cmocka_unit_test(ula),
	};

	return cmocka_run_group_tests_name("ipam", tests, NULL, NULL);
}
