// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/addr: the IPv4 functions and the family-tagged address and prefix
 * types, parsing (strict), text forms (RFC 5952 for IPv6) and arithmetic. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "lib/addr.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define N(v) (sizeof(v) / sizeof(*(v)))

/* --- IPv4 cases, as plain numbers, through the family-tagged API ------------ */

#define ADDR_STRLEN IP_STRLEN
#define PREFIX_STRLEN PFX_STRLEN
struct prefix {
	uint32_t addr;
	int len;
};

static int addr_parse(const char *s, uint32_t *out)
{
	struct ipaddr a;
	int ret = ip_parse(s, AF_INET, &a);

	if (!ret)
		*out = a.v4;
	return ret;
}

static char *addr_format(uint32_t a, char *buf)
{
	struct ipaddr x = ip4(a);

	return ip_format(&x, buf);
}

static struct ipprefix pfx_of(const struct prefix *p)
{
	return (struct ipprefix){ ip4(p->addr), (uint8_t)p->len };
}

static int prefix_parse(const char *s, struct prefix *p)
{
	struct ipprefix x;
	int ret = pfx_parse(s, AF_INET, &x);

	if (!ret)
		*p = (struct prefix){ x.a.v4, x.len };
	return ret;
}

static char *prefix_format(const struct prefix *p, char *buf)
{
	struct ipprefix x = pfx_of(p);

	return pfx_format(&x, buf);
}

#define prefix_mask pfx_mask4
#define WRAP2(name, fn)                                                                            \
	static bool name(const struct prefix *a, const struct prefix *b)                             \
	{                                                                                          \
		struct ipprefix x = pfx_of(a), y = pfx_of(b);                                        \
		return fn(&x, &y);                                                                   \
	}
WRAP2(prefix_within, pfx_within)
WRAP2(prefix_overlap, pfx_overlap)

static bool prefix_is_network(const struct prefix *p)
{
	struct ipprefix x = pfx_of(p);

	return pfx_is_network(&x);
}

static bool prefix_contains(const struct prefix *p, uint32_t a)
{
	struct ipprefix x = pfx_of(p);
	struct ipaddr y = ip4(a);

	return pfx_contains(&x, &y);
}

static uint32_t prefix_first(const struct prefix *p)
{
	struct ipprefix x = pfx_of(p);

	return pfx_first(&x).v4;
}

static uint32_t prefix_last(const struct prefix *p)
{
	struct ipprefix x = pfx_of(p);

	return pfx_last(&x).v4;
}

static void v4_parse_format(void **state)
{
	char buf[ADDR_STRLEN], pbuf[PREFIX_STRLEN];
	struct prefix p;
	uint32_t a;

	assert_int_equal(addr_parse("172.18.0.1", &a), 0);
	assert_int_equal(a, A(172, 18, 0, 1));
	assert_string_equal(addr_format(a, buf), "172.18.0.1");
	assert_int_equal(addr_parse("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	assert_string_equal(addr_format(a, buf), "0.0.0.0");
	assert_int_equal(addr_parse("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	assert_string_equal(addr_format(a, buf), "255.255.255.255");
	assert_int_equal(addr_parse("10.0.0.100", &a), 0);
	assert_int_equal(a, A(10, 0, 0, 100));

	const char *bad[] = { "01.2.3.4", "1.02.3.4", "1.2.3.00", "1.2.3", "1.2.3.4.5", "256.1.1.1",
			      "1.2.3.256", "1.2.3.4 ", " 1.2.3.4", "1..2.3", "", ".1.2.3", "1.2.3.",
			      "a.b.c.d", "1.2.3.-4", "+1.2.3.4", "1.2.3.4/8", "0x1.2.3.4",
			      "4294967296.1.1.1", "::1", "1.2.3.4\n" };
	for (size_t i = 0; i < N(bad); i++) {
		a = 0x5a5a5a5a;
		if (addr_parse(bad[i], &a) != -EINVAL)
			fail_msg("addr_parse accepted \"%s\"", bad[i]);
	}

	assert_int_equal(prefix_parse("10.5.0.1/16", &p), 0);
	assert_int_equal(p.addr, A(10, 5, 0, 1));
	assert_int_equal(p.len, 16);
	assert_string_equal(prefix_format(&p, pbuf), "10.5.0.1/16");
	assert_int_equal(prefix_parse("0.0.0.0/0", &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(prefix_parse("1.2.3.4/32", &p), 0);
	assert_int_equal(p.len, 32);
	assert_string_equal(prefix_format(&p, pbuf), "1.2.3.4/32");
	const char *badp[] = { "1.2.3.4/33", "1.2.3.4/", "1.2.3.4", "/24", "1.2.3.4/08", "1.2.3.4/-1",
			       "1.2.3.4/ 8", "1.2.3.4/8/8", "01.2.3.4/8", "1.2.3/8", "1.2.3.4/8 ",
			       "1.2.3.4/100000000000" };
	for (size_t i = 0; i < N(badp); i++)
		if (prefix_parse(badp[i], &p) != -EINVAL)
			fail_msg("prefix_parse accepted \"%s\"", badp[i]);
}

static void v4_arithmetic(void **state)
{
	struct prefix a, b, c, all = { 0, 0 };

	assert_int_equal(prefix_mask(0), 0);
	assert_int_equal(prefix_mask(1), 0x80000000u);
	assert_int_equal(prefix_mask(24), 0xffffff00u);
	assert_int_equal(prefix_mask(31), 0xfffffffeu);
	assert_int_equal(prefix_mask(32), 0xffffffffu);

	prefix_parse("172.18.0.0/16", &a);
	prefix_parse("172.18.5.0/24", &b);
	prefix_parse("172.19.0.0/16", &c);
	assert_true(prefix_is_network(&a));
	assert_true(prefix_is_network(&all));
	b.addr |= 1;
	assert_false(prefix_is_network(&b));
	b.addr &= ~1u;

	assert_true(prefix_contains(&a, A(172, 18, 0, 0)));
	assert_true(prefix_contains(&a, A(172, 18, 255, 255)));
	assert_false(prefix_contains(&a, A(172, 19, 0, 0)));
	assert_false(prefix_contains(&a, A(172, 17, 255, 255)));
	assert_true(prefix_contains(&all, A(8, 8, 8, 8)));

	assert_true(prefix_within(&b, &a));
	assert_false(prefix_within(&a, &b));
	assert_true(prefix_within(&a, &a));
	assert_true(prefix_within(&a, &all));
	assert_false(prefix_within(&c, &a));

	assert_true(prefix_overlap(&a, &b));
	assert_true(prefix_overlap(&b, &a));
	assert_false(prefix_overlap(&a, &c));
	assert_false(prefix_overlap(&c, &b));
	assert_true(prefix_overlap(&all, &c));

	prefix_parse("10.1.2.3/20", &a);
	assert_int_equal(prefix_first(&a), A(10, 1, 0, 0));
	assert_int_equal(prefix_last(&a), A(10, 1, 15, 255));
	prefix_parse("10.1.2.3/32", &a);
	assert_int_equal(prefix_first(&a), A(10, 1, 2, 3));
	assert_int_equal(prefix_last(&a), A(10, 1, 2, 3));
	assert_int_equal(prefix_first(&all), 0);
	assert_int_equal(prefix_last(&all), 0xffffffffu);
}

static void macs(void **state)
{
	uint8_t mac[6];
	char buf[MAC_STRLEN];

	assert_int_equal(mac_parse("02:42:AC:11:00:02", mac), 0);
	assert_memory_equal(mac, ((uint8_t[]){ 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 }), 6);
	assert_string_equal(mac_format(mac, buf), "02:42:ac:11:00:02");
	assert_int_equal(mac_parse("fe:ff:ff:ff:ff:ff", mac), 0);
	const char *bad[] = { "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
			      "02:42:ac:11:00", "02:42:ac:11:00:02:", "2:42:ac:11:00:02",
			      "02-42-ac-11-00-02", "02:42:ac:11:00:0g", "", "02:42:ac:11:00:02 " };
	for (size_t i = 0; i < N(bad); i++)
		if (mac_parse(bad[i], mac) != -EINVAL)
			fail_msg("mac_parse accepted \"%s\"", bad[i]);
}

/* --- struct ipaddr ------------------------------------------------------- */

/* the text of @s parsed as @family, formatted again */
static const char *roundtrip(const char *s, int family)
{
	static char buf[IP_STRLEN];
	struct ipaddr a;

	if (ip_parse(s, family, &a))
		return "(refused)";
	return ip_format(&a, buf);
}

static void ip_parsing(void **state)
{
	struct ipaddr a;

	assert_int_equal(ip_parse("10.1.2.3", AF_INET, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.v4, A(10, 1, 2, 3));
	assert_int_equal(ip_parse("10.1.2.3", AF_UNSPEC, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.v4, A(10, 1, 2, 3));
	assert_int_equal(ip_parse("10.1.2.3", AF_INET6, &a), -EINVAL);
	assert_int_equal(a.family, 0);

	assert_int_equal(ip_parse("2001:DB8::1", AF_INET6, &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.v6, ((uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }), 16);
	assert_int_equal(ip_parse("2001:db8::1", AF_UNSPEC, &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(ip_parse("::ffff:1.2.3.4", AF_UNSPEC, &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(a.v6, ((uint8_t[16]){ [10] = 0xff, 0xff, 1, 2, 3, 4 }), 16);
	assert_int_equal(ip_parse("::1", AF_INET, &a), -EINVAL);
	assert_int_equal(a.family, 0);

	const char *bad[] = { "01.2.3.4", "1.2.3", "1.2.3.4.5", "", " ::1", "::1 ", "fe80::1%eth0",
			      "[::1]", "1::2::3", ":1::", "1:::2", "12345::", "1:2:3:4:5:6:7:8:9",
			      "1:2:3:4:5:6:7::8", "::ffff:01.2.3.4", "::ffff:1.2.3", "::ffff:256.1.1.1",
			      "1.2.3.4::", "::/0", "::g", ":" };
	for (size_t i = 0; i < N(bad); i++) {
		memset(&a, 0x5a, sizeof(a));
		if (ip_parse(bad[i], AF_UNSPEC, &a) != -EINVAL || a.family)
			fail_msg("ip_parse accepted \"%s\"", bad[i]);
	}
}

static void ip_text(void **state)
{
	char buf[IP_STRLEN];
	struct ipaddr none = { 0 }, v4 = ip4(A(192, 168, 0, 255));

	assert_string_equal(ip_format(&v4, buf), "192.168.0.255");
	assert_string_equal(ip_format(&none, buf), "");
	assert_false(ip_is_set(&none));
	assert_true(ip_is_set(&v4));
	assert_int_equal(v4.family, AF_INET);

	/* RFC 5952: lowercase, no leading zeros, "::" for the longest run of two
	 * or more zero fields (the first of equal ones), never for a single one */
	static const char *const v6[][2] = {
		{ "2001:DB8:0:0:0:0:0:1", "2001:db8::1" },
		{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
		{ "2001:db8::1:0:0:1", "2001:db8::1:0:0:1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
		{ "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::" },
		{ "0:0:0:0:0:0:0:0", "::" },
		{ "0:0:0:0:0:0:0:1", "::1" },
		{ "1:0:0:0:0:0:0:0", "1::" },
		{ "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
		{ "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
		{ "0:0:1:2:3:4:5:6", "::1:2:3:4:5:6" },
		/* musl's inet_ntop shortens the second of two equal runs when the
		 * first starts the address ("0:0:1::1:1:1") */
		{ "0:0:1:0:0:1:1:1", "::1:0:0:1:1:1" },
		{ "0:0:0:1:0:0:0:1", "::1:0:0:0:1" },
		{ "fe80::ABCD:ef01", "fe80::abcd:ef01" },
		{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" },   /* IPv4-mapped: dotted, as Go */
		{ "::ffff:0102:0304", "::ffff:1.2.3.4" },
		{ "::ffff:0:1.2.3.4", "::ffff:0:102:304" }, /* not mapped: hex */
		/* nothing else gets a dotted quad (glibc's inet_ntop writes the
		 * deprecated IPv4-compatible form "::0.2.0.3" for these) */
		{ "::2:3", "::2:3" },
		{ "::102:304", "::102:304" },
		{ "::1.2.3.4", "::102:304" },
		{ "::ffff", "::ffff" },
		{ "64:ff9b::1.2.3.4", "64:ff9b::102:304" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	};
	for (size_t i = 0; i < N(v6); i++)
		if (strcmp(roundtrip(v6[i][0], AF_INET6), v6[i][1]))
			fail_msg("ip_format(%s) = %s, want %s", v6[i][0], roundtrip(v6[i][0], AF_INET6),
				 v6[i][1]);
	/* the longest text fits IP_STRLEN */
	assert_string_equal(roundtrip("1111:2222:3333:4444:5555:ffff:255.255.255.255", AF_INET6),
			    "1111:2222:3333:4444:5555:ffff:ffff:ffff");
	assert_string_equal(roundtrip("::ffff:255.255.255.255", AF_INET6), "::ffff:255.255.255.255");
}

static void ip_compare_and_bytes(void **state)
{
	struct ipaddr a, b, none = { 0 }, none2 = { 0 }, zero4 = ip4(0), zero6;
	uint8_t bytes[16];

	ip_parse("::", AF_INET6, &zero6);
	ip_parse("10.0.0.1", AF_INET, &a);
	b = ip4(A(10, 0, 0, 1));
	assert_true(ip_eq(&a, &b));
	b.v4++;
	assert_false(ip_eq(&a, &b));
	assert_true(ip_eq(&none, &none2));
	assert_false(ip_eq(&none, &zero4));
	assert_false(ip_eq(&zero4, &zero6));
	assert_false(ip_eq(&zero6, &none));
	ip_parse("2001:db8::1", AF_INET6, &a);
	ip_parse("2001:db8:0::0:1", AF_INET6, &b);
	assert_true(ip_eq(&a, &b));
	b.v6[15] = 2;
	assert_false(ip_eq(&a, &b));

	/* network byte order out and in */
	a = ip4(A(10, 1, 2, 3));
	memset(bytes, 0xee, sizeof(bytes));
	assert_int_equal(ip_to_bytes(&a, bytes), 4);
	assert_memory_equal(bytes, ((uint8_t[]){ 10, 1, 2, 3, 0xee }), 5);
	assert_int_equal(ip_from_bytes(AF_INET, bytes, 4, &b), 0);
	assert_int_equal(b.family, AF_INET);
	assert_int_equal(b.v4, A(10, 1, 2, 3));
	assert_true(ip_eq(&a, &b));

	ip_parse("2001:db8::a:b", AF_INET6, &a);
	assert_int_equal(ip_to_bytes(&a, bytes), 16);
	assert_memory_equal(bytes, ((uint8_t[16]){ 0x20, 1, 0xd, 0xb8, [13] = 0xa, [15] = 0xb }), 16);
	assert_int_equal(ip_from_bytes(AF_INET6, bytes, 16, &b), 0);
	assert_int_equal(b.family, AF_INET6);
	assert_true(ip_eq(&a, &b));

	assert_int_equal(ip_to_bytes(&none, bytes), 0);
	assert_int_equal(ip_from_bytes(AF_INET, bytes, 16, &b), -EINVAL);
	assert_int_equal(b.family, 0);
	assert_int_equal(ip_from_bytes(AF_INET6, bytes, 4, &b), -EINVAL);
	assert_int_equal(b.family, 0);
	assert_int_equal(ip_from_bytes(AF_UNSPEC, bytes, 4, &b), -EINVAL);
	assert_int_equal(ip_from_bytes(AF_INET, bytes, 0, &b), -EINVAL);
}

/* --- struct ipprefix ----------------------------------------------------- */

static struct ipprefix P(const char *s)
{
	struct ipprefix p;

	if (pfx_parse(s, AF_UNSPEC, &p))
		fail_msg("pfx_parse refused \"%s\"", s);
	return p;
}

static struct ipaddr IP(const char *s)
{
	struct ipaddr a;

	if (ip_parse(s, AF_UNSPEC, &a))
		fail_msg("ip_parse refused \"%s\"", s);
	return a;
}

static const char *fmt(struct ipaddr a)
{
	static char buf[4][IP_STRLEN];
	static int i;

	return ip_format(&a, buf[i++ % 4]);
}

static void pfx_parsing(void **state)
{
	struct ipprefix p;
	char buf[PFX_STRLEN];

	assert_int_equal(pfx_parse("10.1.0.1/16", AF_INET, &p), 0);
	assert_int_equal(p.a.family, AF_INET);
	assert_int_equal(p.a.v4, A(10, 1, 0, 1));
	assert_int_equal(p.len, 16);
	assert_string_equal(pfx_format(&p, buf), "10.1.0.1/16");
	assert_int_equal(pfx_parse("2001:DB8::/32", AF_INET6, &p), 0);
	assert_int_equal(p.a.family, AF_INET6);
	assert_int_equal(p.len, 32);
	assert_string_equal(pfx_format(&p, buf), "2001:db8::/32");
	assert_int_equal(pfx_parse("::1/128", AF_UNSPEC, &p), 0);
	assert_int_equal(p.len, 128);
	assert_string_equal(pfx_format(&p, buf), "::1/128");
	assert_int_equal(pfx_parse("::/0", AF_UNSPEC, &p), 0);
	assert_string_equal(pfx_format(&p, buf), "::/0");
	assert_int_equal(pfx_parse("0.0.0.0/0", AF_UNSPEC, &p), 0);
	assert_int_equal(p.a.family, AF_INET);
	assert_string_equal(pfx_format(&p, buf), "0.0.0.0/0");
	assert_int_equal(pfx_parse("1.2.3.4/32", AF_UNSPEC, &p), 0);
	assert_string_equal(pfx_format(&p, buf), "1.2.3.4/32");
	assert_int_equal(pfx_parse("::ffff:1.2.3.4/120", AF_INET6, &p), 0);
	assert_string_equal(pfx_format(&p, buf), "::ffff:1.2.3.4/120");

	const char *bad[] = { "1.2.3.4/33", "::1/129", "1.2.3.4/64", "1.2.3.4", "::1", "1.2.3.4/",
			      "/24", "/", "", "1.2.3.4/08", "::/00", "1.2.3.4/-1", "1.2.3.4/+8",
			      "1.2.3.4/ 8", "1.2.3.4/8 ", "1.2.3.4/8/8", "01.2.3.4/8", "1.2.3/8",
			      "[::1]/64", "fe80::1%eth0/64", "::1/1000000000000",
			      "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa/64" };
	for (size_t i = 0; i < N(bad); i++) {
		memset(&p, 0x5a, sizeof(p));
		if (pfx_parse(bad[i], AF_UNSPEC, &p) != -EINVAL || p.a.family || p.len)
			fail_msg("pfx_parse accepted \"%s\"", bad[i]);
	}
	assert_int_equal(pfx_parse("::/0", AF_INET, &p), -EINVAL);
	assert_int_equal(pfx_parse("10.0.0.0/8", AF_INET6, &p), -EINVAL);
}

static void pfx_arithmetic(void **state)
{
	struct ipprefix p;

	assert_int_equal(pfx_mask4(0), 0);
	assert_int_equal(pfx_mask4(-1), 0);
	assert_int_equal(pfx_mask4(1), 0x80000000u);
	assert_int_equal(pfx_mask4(20), 0xfffff000u);
	assert_int_equal(pfx_mask4(32), 0xffffffffu);
	assert_int_equal(pfx_mask4(33), 0xffffffffu);

	/* is_network: no host bits, at any bit position */
	const char *net[] = { "10.0.0.0/8", "0.0.0.0/0", "1.2.3.4/32", "10.0.0.0/7", "::/0",
			      "::1/128", "2001:db8::/32", "2001:db8:8000::/33", "2001:db8:a800::/37",
			      "fe80::/10" };
	const char *host[] = { "10.0.0.1/8", "11.0.0.0/7", "1.0.0.0/0", "::1/0", "::1/127",
			       "2001:db8::1/32", "2001:db8:4000::/33", "2001:db8:ab00::/37",
			       "fec0::/9" };
	for (size_t i = 0; i < N(net); i++) {
		p = P(net[i]);
		if (!pfx_is_network(&p))
			fail_msg("%s is a network", net[i]);
	}
	for (size_t i = 0; i < N(host); i++) {
		p = P(host[i]);
		if (pfx_is_network(&p))
			fail_msg("%s has host bits", host[i]);
	}

	/* first and last, the family kept */
	p = P("10.1.2.3/20");
	assert_string_equal(fmt(pfx_first(&p)), "10.1.0.0");
	assert_string_equal(fmt(pfx_last(&p)), "10.1.15.255");
	p = P("0.0.0.0/0");
	assert_string_equal(fmt(pfx_first(&p)), "0.0.0.0");
	assert_string_equal(fmt(pfx_last(&p)), "255.255.255.255");
	p = P("10.9.9.9/32");
	assert_string_equal(fmt(pfx_first(&p)), "10.9.9.9");
	assert_string_equal(fmt(pfx_last(&p)), "10.9.9.9");
	p = P("2001:db8::1/64");
	assert_string_equal(fmt(pfx_first(&p)), "2001:db8::");
	assert_string_equal(fmt(pfx_last(&p)), "2001:db8::ffff:ffff:ffff:ffff");
	p = P("2001:db8:1234::/33");
	assert_string_equal(fmt(pfx_first(&p)), "2001:db8::");
	assert_string_equal(fmt(pfx_last(&p)), "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff");
	p = P("2001:db8::5/126");
	assert_string_equal(fmt(pfx_first(&p)), "2001:db8::4");
	assert_string_equal(fmt(pfx_last(&p)), "2001:db8::7");
	p = P("::/0");
	assert_string_equal(fmt(pfx_last(&p)), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	p = P("fe80::1/128");
	assert_string_equal(fmt(pfx_first(&p)), "fe80::1");
	assert_string_equal(fmt(pfx_last(&p)), "fe80::1");
	assert_int_equal(pfx_last(&p).family, AF_INET6);
}

static bool contains(const char *p, const char *a)
{
	struct ipprefix x = P(p);
	struct ipaddr y = IP(a);

	return pfx_contains(&x, &y);
}

static bool within(const char *in, const char *out)
{
	struct ipprefix x = P(in), y = P(out);

	return pfx_within(&x, &y);
}

static bool overlap(const char *a, const char *b)
{
	struct ipprefix x = P(a), y = P(b);

	return pfx_overlap(&x, &y);
}

static void pfx_relations(void **state)
{
	struct ipprefix all4 = P("0.0.0.0/0");
	struct ipaddr none = { 0 };

	assert_true(contains("10.0.0.0/8", "10.0.0.0"));
	assert_true(contains("10.0.0.0/8", "10.255.255.255"));
	assert_false(contains("10.0.0.0/8", "11.0.0.0"));
	assert_false(contains("10.0.0.0/8", "9.255.255.255"));
	assert_true(contains("10.1.2.3/8", "10.200.0.1")); /* host bits of the prefix ignored */
	assert_true(contains("1.2.3.4/32", "1.2.3.4"));
	assert_false(contains("1.2.3.4/32", "1.2.3.5"));
	assert_true(contains("0.0.0.0/0", "255.255.255.255"));
	assert_true(contains("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(contains("2001:db8::/32", "2001:db9::"));
	assert_true(contains("2001:db8::/33", "2001:db8:7fff::"));
	assert_false(contains("2001:db8::/33", "2001:db8:8000::"));
	assert_true(contains("::/0", "::1"));
	assert_false(contains("::1/128", "::2"));
	/* never across families, even for the prefixes that hold everything */
	assert_false(contains("::/0", "10.0.0.1"));
	assert_false(contains("0.0.0.0/0", "::1"));
	assert_false(contains("::/96", "0.0.0.1"));
	assert_false(contains("::ffff:0:0/96", "1.2.3.4"));
	assert_false(pfx_contains(&all4, &none));

	assert_true(within("10.1.0.0/16", "10.0.0.0/8"));
	assert_false(within("10.0.0.0/8", "10.1.0.0/16"));
	assert_true(within("10.1.0.0/16", "10.1.0.0/16"));
	assert_false(within("11.1.0.0/16", "10.0.0.0/8"));
	assert_true(within("10.1.0.0/16", "0.0.0.0/0"));
	assert_true(within("2001:db8:1::/48", "2001:db8::/32"));
	assert_false(within("2001:db8::/32", "2001:db8:1::/48"));
	assert_false(within("2001:db9::/48", "2001:db8::/32"));
	assert_false(within("10.0.0.0/8", "::/0"));
	assert_false(within("::/96", "0.0.0.0/0"));

	assert_true(overlap("172.18.0.0/16", "172.18.5.0/24"));
	assert_true(overlap("172.18.5.0/24", "172.18.0.0/16"));
	assert_false(overlap("172.18.0.0/16", "172.19.0.0/16"));
	assert_true(overlap("172.18.0.0/16", "172.18.0.0/16"));
	assert_true(overlap("0.0.0.0/0", "1.2.3.4/32"));
	assert_true(overlap("2001:db8::/32", "2001:db8:5::/48"));
	assert_true(overlap("2001:db8:5::/48", "2001:db8::/32"));
	assert_false(overlap("2001:db8::/48", "2001:db8:1::/48"));
	assert_false(overlap("0.0.0.0/0", "::/0"));
	assert_false(overlap("::/0", "0.0.0.0/0"));
	assert_false(overlap("::/96", "0.0.0.0/8"));
}

/* IPv6 text is read as glibc's inet_pton reads it, for the texts that stand
 * at its corners and for random strings of its characters */
static void ip6_as_inet_pton(void **state)
{
	static const char *const corners[] = {
		"::", "::1", "1::", "1:", ":1", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2:3:4:5:6:7:8", "12345::",
		"0001::", "ABCD::ef01", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
		"1:2:3:4:5:6:7:1.2.3.4", "::ffff:01.2.3.4", "::ffff:1.2.3", "::ffff:256.1.1.1",
		"::ffff:1.2.3.4.5", "::ffff:1.2.3.4:1", "1.2.3.4", "::12345.1.1.1", "fe80::1%eth0",
		"g::", " ::1", "::1 ", "", ":", "::ffff:1.2.3.", "::a.b.c.d", "1::1.2.3.4",
	};
	const char alphabet[] = "0123:::::..aAfF9";
	unsigned seed = 1;

	for (size_t i = 0; i < sizeof(corners) / sizeof(*corners) + 300000; i++) {
		char r[24];
		const char *s = r;
		struct ipaddr a;
		uint8_t want[16];

		if (i < sizeof(corners) / sizeof(*corners)) {
			s = corners[i];
		} else {
			size_t len = (seed = seed * 1103515245 + 12345) >> 16 & 15;

			for (size_t k = 0; k < len; k++)
				r[k] = alphabet[(seed = seed * 1103515245 + 12345) >> 16 & 15];
			r[len] = 0;
		}
		if (inet_pton(AF_INET6, s, want) == 1) {
			if (ip_parse(s, AF_INET6, &a) || memcmp(a.v6, want, 16))
				fail_msg("\"%s\" read otherwise than inet_pton", s);
		} else if (ip_parse(s, AF_INET6, &a) == 0) {
			fail_msg("\"%s\" taken, inet_pton refuses it", s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v4_parse_format),      cmocka_unit_test(v4_arithmetic),
		cmocka_unit_test(macs),                 cmocka_unit_test(ip_parsing),
		cmocka_unit_test(ip6_as_inet_pton),
		cmocka_unit_test(ip_text),              cmocka_unit_test(ip_compare_and_bytes),
		cmocka_unit_test(pfx_parsing),          cmocka_unit_test(pfx_arithmetic),
		cmocka_unit_test(pfx_relations),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
