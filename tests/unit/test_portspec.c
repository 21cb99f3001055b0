// SPDX-License-Identifier: GPL-2.0-or-later
/* core/model/portspec: `docker run -p` SPECs, their canonical text and the
 * conflict rule between published ports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/model/portspec.h"
#include "lib/addr.h"

#define N(v) (sizeof(v) / sizeof(*(v)))

/* the addresses, as text: the one place that knows their type */
static const char *host_ip(const struct port_map *m, char buf[IP_STRLEN])
{
	return port_ip_format(&m->p.host_ip, buf);
}

static void check_no_ctr_ip(const struct port_map *m)
{
	assert_false(ip_is_set(&m->p.ctr_ip));
}

static void set_host_ip(struct fw_port *p, const char *s)
{
	assert_int_equal(port_ip_parse(s, &p->host_ip), 0);
}

static void accepted(void **state)
{
	static const struct {
		const char *spec, *ip;
		uint8_t proto;
		uint16_t lo, hi, clo, chi;
		bool any;
		const char *canonical;
	} ok[] = {
		{ "8080:80", "0.0.0.0", 6, 8080, 8080, 80, 80, true, "0.0.0.0:8080-8080:80-80/tcp" },
		{ "8080:80/tcp", "0.0.0.0", 6, 8080, 8080, 80, 80, true, "0.0.0.0:8080-8080:80-80/tcp" },
		{ "127.0.0.1:5353:53/udp", "127.0.0.1", 17, 5353, 5353, 53, 53, false,
		  "127.0.0.1:5353-5353:53-53/udp" },
		{ "8000-8010:9000-9010/sctp", "0.0.0.0", 132, 8000, 8010, 9000, 9010, true,
		  "0.0.0.0:8000-8010:9000-9010/sctp" },
		{ "10.0.2.15:9000-9001:7000-7001", "10.0.2.15", 6, 9000, 9001, 7000, 7001, false,
		  "10.0.2.15:9000-9001:7000-7001/tcp" },
		{ "0.0.0.0:80:80", "0.0.0.0", 6, 80, 80, 80, 80, false, "0.0.0.0:80-80:80-80/tcp" },
		{ "1:65535", "0.0.0.0", 6, 1, 1, 65535, 65535, true, "0.0.0.0:1-1:65535-65535/tcp" },
		{ "[2001:db8::1]:8080:80", "2001:db8::1", 6, 8080, 8080, 80, 80, false,
		  "[2001:db8::1]:8080-8080:80-80/tcp" },
		{ "[::]:53:53/udp", "::", 17, 53, 53, 53, 53, false, "[::]:53-53:53-53/udp" },
		{ "[FD00:0:0:1::A]:9000-9001:7000-7001", "fd00:0:0:1::a", 6, 9000, 9001, 7000, 7001,
		  false, "[fd00:0:0:1::a]:9000-9001:7000-7001/tcp" },
		{ "65535-65535:1-1/udp", "0.0.0.0", 17, 65535, 65535, 1, 1, true,
		  "0.0.0.0:65535-65535:1-1/udp" },
		{ "1-65535:1-65535", "0.0.0.0", 6, 1, 65535, 1, 65535, true,
		  "0.0.0.0:1-65535:1-65535/tcp" },
	};
	struct port_map m, again;
	char why[256], buf[128], ip[IP_STRLEN], ip2[IP_STRLEN];

	for (size_t i = 0; i < N(ok); i++) {
		why[0] = 0;
		memset(&m, 0x5a, sizeof(m));
		if (port_spec_parse(ok[i].spec, &m, why, sizeof(why)))
			fail_msg("refused %s: %s", ok[i].spec, why);
		assert_string_equal(why, "");
		assert_int_equal(m.p.proto, ok[i].proto);
		assert_string_equal(host_ip(&m, ip), ok[i].ip);
		assert_int_equal(m.p.host_lo, ok[i].lo);
		assert_int_equal(m.p.host_hi, ok[i].hi);
		assert_int_equal(m.p.ctr_lo, ok[i].clo);
		assert_int_equal(m.p.ctr_hi, ok[i].chi);
		assert_int_equal(m.any_ip, ok[i].any);
		/* the rest is zeroed: filled in later from the network */
		assert_string_equal(m.container, "");
		assert_string_equal(m.network, "");
		assert_string_equal(m.p.bridge, "");
		check_no_ctr_ip(&m);
		port_spec_format(&m, buf, sizeof(buf));
		assert_string_equal(buf, ok[i].canonical);
		/* the canonical SPEC parses to the same mapping */
		assert_int_equal(port_spec_parse(buf, &again, why, sizeof(why)), 0);
		assert_int_equal(again.p.proto, m.p.proto);
		assert_string_equal(host_ip(&again, ip2), host_ip(&m, ip));
		assert_int_equal(again.p.host_lo, m.p.host_lo);
		assert_int_equal(again.p.ctr_hi, m.p.ctr_hi);
	}
}

static void refused(void **state)
{
	static const struct {
		const char *spec;
		int err;
		const char *why;
	} bad[] = {
		{ "80", -EINVAL, "invalid port mapping 80: want [HOSTIP:]HOSTPORT:CONTAINERPORT" },
		{ "80/tcp", -EINVAL, "invalid port mapping 80/tcp: want [HOSTIP:]HOSTPORT:CONTAINERPORT" },
		{ "", -EINVAL, "invalid port mapping : want [HOSTIP:]HOSTPORT:CONTAINERPORT" },
		{ "8080:80/icmp", -EINVAL, "invalid proto: icmp" },
		{ "8080:80/TCP", -EINVAL, "invalid proto: TCP" },
		{ "8080:80/", -EINVAL, "invalid proto: " },
		{ "8080:80/tcp/udp", -EINVAL, "invalid proto: tcp/udp" },
		{ "0:80", -ERANGE, "invalid port in 0:80: ports are 1 to 65535, LO <= HI" },
		{ "80:0", -ERANGE, "invalid port in 80:0: ports are 1 to 65535, LO <= HI" },
		{ "65536:80", -ERANGE, "invalid port in 65536:80: ports are 1 to 65535, LO <= HI" },
		{ "70000:80", -ERANGE, "invalid port in 70000:80: ports are 1 to 65535, LO <= HI" },
		{ "81-80:81-80", -ERANGE, "invalid port in 81-80:81-80: ports are 1 to 65535, LO <= HI" },
		{ "99999999999999999999:80", -EINVAL,
		  "invalid port in 99999999999999999999:80: want a number or a range LO-HI" },
		{ "x:80", -EINVAL, "invalid port in x:80: want a number or a range LO-HI" },
		{ "80:x", -EINVAL, "invalid port in 80:x: want a number or a range LO-HI" },
		{ ":80", -EINVAL, "invalid port in :80: want a number or a range LO-HI" },
		{ "7777:", -EINVAL, "invalid port in 7777:: want a number or a range LO-HI" },
		{ "80-:80", -EINVAL, "invalid port in 80-:80: want a number or a range LO-HI" },
		{ "-80:80", -EINVAL, "invalid port in -80:80: want a number or a range LO-HI" },
		{ "+80:80", -EINVAL, "invalid port in +80:80: want a number or a range LO-HI" },
		{ "8000-8010:80-81", -EINVAL,
		  "invalid ranges in 8000-8010:80-81: host and container ranges differ in length" },
		{ "8080-8081:80", -EINVAL,
		  "invalid ranges in 8080-8081:80: host and container ranges differ in length" },
		{ "1.2.3:8081:80", -EINVAL, "invalid IP address 1.2.3 in 1.2.3:8081:80" },
		{ "01.2.3.4:80:80", -EINVAL, "invalid IP address 01.2.3.4 in 01.2.3.4:80:80" },
		{ ":80:80", -EINVAL, "invalid IP address  in :80:80" },
		{ "[::1]:80:80", -EINVAL, "cannot publish on [::1]: IPv6 has no route_localnet, so the "
		  "kernel has no path from ::1 to a container (Docker uses its userland proxy); use a "
		  "host address" },
		{ "[0:0::1]:80:80", -EINVAL, "cannot publish on [::1]: IPv6 has no route_localnet, so the "
		  "kernel has no path from ::1 to a container (Docker uses its userland proxy); use a "
		  "host address" },
		{ "[2001:db8::1:8080:80", -EINVAL, "invalid IP address in [2001:db8::1:8080:80: want [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "[2001:db8::1]8080:80", -EINVAL, "invalid IP address in [2001:db8::1]8080:80: want [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "[]:8080:80", -EINVAL, "invalid IP address in []:8080:80: want [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "[2001:db8::1]:80", -EINVAL, "invalid IP address in [2001:db8::1]:80: want [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "[[2001:db8::1]]:8080:80", -EINVAL, "invalid IP address in [[2001:db8::1]]:8080:80: want [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "[1.2.3.4]:8080:80", -EINVAL, "invalid IPv6 address 1.2.3.4 in [1.2.3.4]:8080:80" },
		{ "[2001:db8::g]:8080:80", -EINVAL, "invalid IPv6 address 2001:db8::g in [2001:db8::g]:8080:80" },
		{ "2001:db8::1]:8080:80", -EINVAL, "invalid IP address in 2001:db8::1]:8080:80: an IPv6 "
		  "address is written [IPV6]:HOSTPORT:CONTAINERPORT" },
		{ "2001:db8::1:8080:80", -EINVAL, "invalid IP address 2001:db8::1 in 2001:db8::1:8080:80" },
		{ "255.255.255.255.1:80:80", -EINVAL, "invalid IP address in 255.255.255.255.1:80:80" },
	};
	struct port_map m;
	char why[256];

	for (size_t i = 0; i < N(bad); i++) {
		int ret;

		why[0] = 0;
		ret = port_spec_parse(bad[i].spec, &m, why, sizeof(why));
		if (ret != bad[i].err || strcmp(why, bad[i].why))
			fail_msg("\"%s\": %d \"%s\", want %d \"%s\"", bad[i].spec, ret, why, bad[i].err,
				 bad[i].why);
	}
	/* the reason is cut to the buffer, never overflowing it */
	memset(why, 'x', sizeof(why));
	assert_int_equal(port_spec_parse("8080:80/icmp", &m, why, 8), -EINVAL);
	assert_string_equal(why, "invalid");
	assert_int_equal(why[8], 'x');
}

static void proto_names(void **state)
{
	assert_string_equal(port_proto_name(6), "tcp");
	assert_string_equal(port_proto_name(17), "udp");
	assert_string_equal(port_proto_name(132), "sctp");
	assert_string_equal(port_proto_name(1), "?");
	assert_string_equal(port_proto_name(0), "?");
}

static struct fw_port fp(uint8_t proto, const char *ip, uint16_t lo, uint16_t hi)
{
	struct fw_port p = { .proto = proto, .host_lo = lo, .host_hi = hi };

	set_host_ip(&p, ip);
	return p;
}

static void overlap(void **state)
{
	static const struct {
		struct {
			uint8_t proto;
			const char *ip;
			uint16_t lo, hi;
		} a, b;
		bool overlap;
	} cases[] = {
		{ { 6, "0.0.0.0", 8080, 8080 }, { 6, "0.0.0.0", 8080, 8080 }, true },
		{ { 6, "0.0.0.0", 8080, 8080 }, { 17, "0.0.0.0", 8080, 8080 }, false },
		{ { 6, "0.0.0.0", 8080, 8081 }, { 6, "0.0.0.0", 8082, 8090 }, false },
		{ { 6, "0.0.0.0", 8080, 8082 }, { 6, "0.0.0.0", 8082, 8090 }, true },
		{ { 6, "0.0.0.0", 8000, 9000 }, { 6, "0.0.0.0", 8500, 8500 }, true },
		{ { 6, "0.0.0.0", 8500, 8500 }, { 6, "0.0.0.0", 8000, 9000 }, true },
		{ { 6, "0.0.0.0", 9001, 9001 }, { 6, "0.0.0.0", 8000, 9000 }, false },
		/* addresses: the same, or either bound to every address */
		{ { 6, "127.0.0.1", 80, 80 }, { 6, "127.0.0.1", 80, 80 }, true },
		{ { 6, "127.0.0.1", 80, 80 }, { 6, "10.0.0.1", 80, 80 }, false },
		{ { 6, "127.0.0.1", 80, 80 }, { 6, "0.0.0.0", 80, 80 }, true },
		{ { 6, "0.0.0.0", 80, 80 }, { 6, "10.0.0.1", 80, 80 }, true },
		{ { 6, "0.0.0.0", 80, 80 }, { 6, "10.0.0.1", 81, 81 }, false },
		{ { 132, "10.0.0.1", 1, 65535 }, { 132, "10.0.0.1", 65535, 65535 }, true },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct fw_port a = fp(cases[i].a.proto, cases[i].a.ip, cases[i].a.lo, cases[i].a.hi);
		struct fw_port b = fp(cases[i].b.proto, cases[i].b.ip, cases[i].b.lo, cases[i].b.hi);

		if (ports_overlap(&a, &b) != cases[i].overlap || ports_overlap(&b, &a) != cases[i].overlap)
			fail_msg("case %zu: overlap should be %d", i, cases[i].overlap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted),
		cmocka_unit_test(refused),
		cmocka_unit_test(proto_names),
		cmocka_unit_test(overlap),
	};

	return cmocka_run_group_tests_name("portspec", tests, NULL, NULL);
}
