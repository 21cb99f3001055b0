// SPDX-License-Identifier: GPL-2.0-or-later
/* The rule model: what boxnet installs for networks and ports, as
 * iptables-save text (the golden form both backends are checked against). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "core/model/fwmodel.h"
#include "netlink/fw/backend.h"

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
/* an IPv4 struct ipaddr, as an initializer */
#define A(a, b, c, d) { .family = AF_INET, .v4 = V4(a, b, c, d) }

static char *save(const struct fw_ruleset *r, enum fw_table t)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fwrule_save(r, t, f);
	fclose(f);
	return buf;
}

static const struct fw_net net = { "br-dummy", { A(192, 168, 0, 0), 24 }, A(192, 168, 0, 1),
				   false, true, true, { 0 } };
static const struct fw_port port = { 6, { 0 }, 8080, 8080, A(192, 168, 0, 2), 80, 80, "br-dummy" };

static void nothing_without_networks(void **state)
{
	struct fw_ruleset r;
	char *t;

	assert_int_equal(fw_build(NULL, 0, NULL, 0, true, &r), 0);
	assert_int_equal(r.n, 0);
	t = save(&r, FW_NAT);
	assert_string_equal(t, "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
			       ":POSTROUTING ACCEPT [0:0]\nCOMMIT\n");
	free(t);
	fw_free(&r);
}

static void default_network_with_port(void **state)
{
	struct fw_ruleset r;
	char *t;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	t = save(&r, FW_FILTER);
	assert_string_equal(t,
		"*filter\n"
		":INPUT ACCEPT [0:0]\n"
		":FORWARD ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":BOXNET - [0:0]\n"
		":BOXNET-BRIDGE - [0:0]\n"
		":BOXNET-CT - [0:0]\n"
		":BOXNET-FORWARD - [0:0]\n"
		":BOXNET-INTERNAL - [0:0]\n"
		":BOXNET-USER - [0:0]\n"
		"-A FORWARD -j BOXNET-USER\n"
		"-A FORWARD -j BOXNET-FORWARD\n"
		"-A BOXNET ! -i br-dummy -o br-dummy -m conntrack --ctstate DNAT -j ACCEPT\n"
		"-A BOXNET ! -i br-dummy -o br-dummy -j DROP\n"
		"-A BOXNET-BRIDGE -o br-dummy -j BOXNET\n"
		"-A BOXNET-CT -o br-dummy -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
		"-A BOXNET-FORWARD -j BOXNET-CT\n"
		"-A BOXNET-FORWARD -j BOXNET-INTERNAL\n"
		"-A BOXNET-FORWARD -j BOXNET-BRIDGE\n"
		"-A BOXNET-FORWARD -i br-dummy -j ACCEPT\n"
		"COMMIT\n");
	free(t);
	t = save(&r, FW_NAT);
	assert_string_equal(t,
		"*nat\n"
		":PREROUTING ACCEPT [0:0]\n"
		":INPUT ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":POSTROUTING ACCEPT [0:0]\n"
		":BOXNET - [0:0]\n"
		":BOXNET-POSTROUTING - [0:0]\n"
		"-A PREROUTING -m addrtype --dst-type LOCAL -j BOXNET\n"
		"-A OUTPUT -m addrtype --dst-type LOCAL -j BOXNET\n"
		"-A POSTROUTING -j BOXNET-POSTROUTING\n"
		"-A BOXNET -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.0.2:80\n"
		"-A BOXNET-POSTROUTING -o br-dummy -m addrtype --src-type LOCAL -j MASQUERADE\n"
		"-A BOXNET-POSTROUTING -s 192.168.0.0/24 -o br-dummy -m conntrack --ctstate DNAT -j MASQUERADE\n"
		"-A BOXNET-POSTROUTING -s 192.168.0.0/24 ! -o br-dummy -j MASQUERADE\n"
		"COMMIT\n");
	free(t);
	t = save(&r, FW_RAW);
	assert_string_equal(t,
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":BOXNET-RAW - [0:0]\n"
		"-A PREROUTING -j BOXNET-RAW\n"
		"-A BOXNET-RAW -d 127.0.0.0/8 ! -i lo -j DROP\n"
		"COMMIT\n");
	free(t);
	fw_free(&r);
}

static void internal_no_icc_no_masq(void **state)
{
	struct fw_net nets[2] = { net, net };
	struct fw_ruleset r;
	char *t;

	strcpy(nets[1].bridge, "br-int");
	nets[1].subnet.a = ip4(V4(10, 1, 0, 0));
	nets[1].gateway = ip4(V4(10, 1, 0, 1));
	nets[1].internal = true;
	nets[0].icc = false;
	nets[0].masquerade = false;
	assert_int_equal(fw_build(nets, 2, NULL, 0, true, &r), 0);
	t = save(&r, FW_FILTER);
	assert_non_null(strstr(t, "-A BOXNET-FORWARD -i br-dummy -o br-dummy -j DROP\n"
				  "-A BOXNET-FORWARD -i br-dummy ! -o br-dummy -j ACCEPT\n"
				  "-A BOXNET-FORWARD -i br-int -o br-int -j ACCEPT\n"));
	assert_non_null(strstr(t, "-A BOXNET-INTERNAL ! -s 10.1.0.0/24 -o br-int -j DROP\n"
				  "-A BOXNET-INTERNAL ! -d 10.1.0.0/24 -i br-int -j DROP\n"));
	assert_null(strstr(t, "-o br-int -j BOXNET\n"));
	free(t);
	t = save(&r, FW_NAT);
	assert_null(strstr(t, "! -o br-dummy -j MASQUERADE"));
	assert_null(strstr(t, "! -o br-int -j MASQUERADE"));
	free(t);
	fw_free(&r);
}

static void port_forms(void **state)
{
	struct fw_port ps[3] = {
		{ 17, A(127, 0, 0, 1), 5353, 5353, A(192, 168, 0, 3), 53, 53, "br-dummy" },
		{ 6, { 0 }, 8000, 8010, A(192, 168, 0, 2), 8000, 8010, "br-dummy" },
		{ 132, A(10, 0, 2, 15), 9000, 9010, A(192, 168, 0, 2), 7000, 7010, "br-dummy" },
	};
	struct fw_ruleset r = { 0 };
	char *t;

	for (int i = 0; i < 3; i++)
		assert_int_equal(fw_port_rules(&ps[i], &r), 0);
	t = save(&r, FW_NAT);
	assert_non_null(strstr(t, "-A BOXNET -d 127.0.0.1/32 -p udp -m udp --dport 5353 "
				  "-j DNAT --to-destination 192.168.0.3:53\n"
				  "-A BOXNET -p tcp -m tcp --dport 8000:8010 -j DNAT --to-destination 192.168.0.2\n"
				  "-A BOXNET -d 10.0.2.15/32 -p sctp -m sctp --dport 9000:9010 "
				  "-j DNAT --to-destination 192.168.0.2:7000-7010/9000\n"));
	free(t);
	/* the DNAT is all: no filter rule per port */
	assert_int_equal(r.n, 3);
	fw_free(&r);
}

/* many host ports to one container port: one DNAT each, and no filter
 * rule of a port (the network's ctstate DNAT accept lets them all in) */
static void no_accept_per_port(void **state)
{
	struct fw_port ps[3] = { port, port, port };
	struct fw_ruleset r;
	size_t accepts = 0, dnats = 0;

	ps[1].host_lo = ps[1].host_hi = 8081;
	ps[2].host_lo = ps[2].host_hi = 8082;
	ps[2].ctr_lo = ps[2].ctr_hi = 81;
	assert_int_equal(fw_build(&net, 1, ps, 3, true, &r), 0);
	for (size_t i = 0; i < r.n; i++) {
		accepts += r.v[i].verdict == FW_ACCEPT && r.v[i].m.ct_dnat;
		dnats += r.v[i].verdict == FW_DNAT;
	}
	assert_int_equal(dnats, 3);
	assert_int_equal(accepts, 1); /* the network's */
	fw_free(&r);
}

/* only the listed peers may send VXLAN; the raw hook once */
static void vxlan_peers(void **state)
{
	const struct ipaddr peers[2] = { A(10, 200, 0, 2), A(10, 200, 0, 3) };
	struct fw_ruleset r = { 0 };
	size_t hooks = 0;
	char *t;

	/* alone (no network with endpoints yet): the hook comes with it */
	assert_int_equal(fw_add_vxlan(&r, 4789, peers, 2), 0);
	t = save(&r, FW_RAW);
	assert_string_equal(t,
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":BOXNET-RAW - [0:0]\n"
		"-A PREROUTING -j BOXNET-RAW\n"
		"-A BOXNET-RAW -s 10.200.0.2/32 -p udp -m udp --dport 4789 -j RETURN\n"
		"-A BOXNET-RAW -s 10.200.0.3/32 -p udp -m udp --dport 4789 -j RETURN\n"
		"-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP\n"
		"COMMIT\n");
	free(t);
	fw_free(&r);

	/* after the networks' rules: no second hook, the loopback rule first */
	assert_int_equal(fw_build(&net, 1, NULL, 0, true, &r), 0);
	assert_int_equal(fw_add_vxlan(&r, 4790, peers, 1), 0);
	for (size_t i = 0; i < r.n; i++)
		hooks += r.v[i].table == FW_RAW && !strcmp(r.v[i].chain, "PREROUTING");
	assert_int_equal(hooks, 1);
	t = save(&r, FW_RAW);
	assert_non_null(strstr(t, "-A PREROUTING -j BOXNET-RAW\n"
				  "-A BOXNET-RAW -d 127.0.0.0/8 ! -i lo -j DROP\n"
				  "-A BOXNET-RAW -s 10.200.0.2/32 -p udp -m udp --dport 4790 -j RETURN\n"
				  "-A BOXNET-RAW -p udp -m udp --dport 4790 -j DROP\nCOMMIT\n"));
	free(t);
	fw_free(&r);

	/* no peer at all: every VXLAN packet dropped */
	assert_int_equal(fw_add_vxlan(&r, 4789, NULL, 0), 0);
	t = save(&r, FW_RAW);
	assert_non_null(strstr(t, "-A PREROUTING -j BOXNET-RAW\n"
				  "-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP\nCOMMIT\n"));
	assert_null(strstr(t, "RETURN"));
	free(t);
	fw_free(&r);

	/* an encrypted overlay: its VNI without IPsec dropped, before the peers */
	assert_int_equal(fw_add_vxlan_plain_drop(&r, 4789, 0x123456), 0);
	assert_int_equal(fw_add_vxlan(&r, 4789, peers, 1), 0);
	t = save(&r, FW_RAW);
	assert_non_null(strstr(t, "-A PREROUTING -j BOXNET-RAW\n"
				  "-A BOXNET-RAW -p udp -m udp --dport 4789 -m u32 --u32 "
				  "\"0x0>>0x16&0x3c@0xc>>0x8=0x123456\" -m policy --dir in --pol none -j DROP\n"
				  "-A BOXNET-RAW -s 10.200.0.2/32 -p udp -m udp --dport 4789 -j RETURN\n"));
	free(t);
	fw_free(&r);
}

/* com.docker.network.host_ipv4: SNAT to that address instead of MASQUERADE */
static void snat_to_host_address(void **state)
{
	struct fw_net n = net;
	struct fw_ruleset r;
	char *t;

	n.snat = (struct ipaddr)A(10, 0, 2, 15);
	assert_int_equal(fw_build(&n, 1, NULL, 0, true, &r), 0);
	t = save(&r, FW_NAT);
	assert_non_null(strstr(t, "-A BOXNET-POSTROUTING -s 192.168.0.0/24 ! -o br-dummy "
				  "-j SNAT --to-source 10.0.2.15\n"));
	assert_null(strstr(t, "! -o br-dummy -j MASQUERADE"));
	/* host-to-container and hairpin stay MASQUERADE */
	assert_non_null(strstr(t, "-A BOXNET-POSTROUTING -o br-dummy -m addrtype --src-type LOCAL "
				  "-j MASQUERADE\n"));
	free(t);
	fw_free(&r);
	/* no masquerade at all: no SNAT either */
	n.masquerade = false;
	assert_int_equal(fw_build(&n, 1, NULL, 0, true, &r), 0);
	t = save(&r, FW_NAT);
	assert_null(strstr(t, "SNAT"));
	free(t);
	fw_free(&r);
}

/* for nft the ports are the backend's (maps): the rule set leaves them out */
static void ports_not_as_rules(void **state)
{
	struct fw_ruleset with, without;
	char *t;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &with), 0);
	assert_int_equal(fw_build(&net, 1, &port, 1, false, &without), 0);
	assert_int_equal(with.n, without.n + 1); /* the DNAT */
	for (size_t i = 0; i < without.n; i++) {
		assert_false(without.v[i].verdict == FW_DNAT);
		assert_false(without.v[i].m.ct_dnat && without.v[i].verdict == FW_ACCEPT &&
			     without.v[i].m.dport_lo);
	}
	t = save(&without, FW_FILTER);
	/* the bridge's DNAT accept is no port's: it stays */
	assert_non_null(strstr(t, "-A BOXNET ! -i br-dummy -o br-dummy -m conntrack --ctstate DNAT "
				  "-j ACCEPT\n-A BOXNET ! -i br-dummy -o br-dummy -j DROP\n"));
	assert_null(strstr(t, "--dport"));
	free(t);
	fw_free(&with);
	fw_free(&without);
}

/* an internal network: no route out, so nothing jumps to its port drops */
static void internal_only(void **state)
{
	struct fw_net n = net;
	struct fw_ruleset r;
	char *t;

	n.internal = true;
	assert_int_equal(fw_build(&n, 1, NULL, 0, true, &r), 0);
	t = save(&r, FW_FILTER);
	assert_null(strstr(t, "-A BOXNET-CT -o br-dummy"));
	assert_null(strstr(t, "-A BOXNET-BRIDGE -o br-dummy"));
	assert_null(strstr(t, "-A BOXNET ! -i br-dummy"));
	assert_non_null(strstr(t, "-A BOXNET-FORWARD -i br-dummy -o br-dummy -j ACCEPT\n"));
	free(t);
	t = save(&r, FW_NAT);
	assert_null(strstr(t, "! -o br-dummy -j MASQUERADE"));
	assert_non_null(strstr(t, "-A BOXNET-POSTROUTING -s 192.168.0.0/24 -o br-dummy "
				  "-m conntrack --ctstate DNAT -j MASQUERADE\n"));
	free(t);
	fw_free(&r);
}

/* an IPv6 address from its text */
static struct ipaddr a6(const char *s)
{
	struct ipaddr a;

	assert_int_equal(ip_parse(s, AF_INET6, &a), 0);
	return a;
}

static char *save6(const struct fw_ruleset *r, enum fw_table t)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fwrule_save_family(r, AF_INET6, t, f);
	fclose(f);
	return buf;
}

/* a dual-stack network is two fw_nets; its v6 half gets ip6tables' rules */
static void dual_stack(void **state)
{
	struct fw_net nets[2] = { net, net };
	struct fw_port ps[2] = { port, port };
	struct fw_ruleset r, v4only;
	char *t, *t4;

	nets[1].subnet = (struct ipprefix){ a6("fd00:1::"), 64 };
	nets[1].gateway = a6("fd00:1::1");
	ps[1].ctr_ip = a6("fd00:1::2");
	assert_int_equal(fw_build(nets, 2, ps, 2, true, &r), 0);
	/* the IPv4 part is exactly what the IPv4 network alone gives */
	assert_int_equal(fw_build(nets, 1, ps, 1, true, &v4only), 0);
	for (int tb = 0; tb < FW_NTABLES; tb++) {
		t = save(&r, tb);
		t4 = save(&v4only, tb);
		assert_string_equal(t, t4);
		free(t);
		free(t4);
	}
	assert_true(fwrule_has(&r, AF_INET6));
	assert_false(fwrule_has(&v4only, AF_INET6));
	fw_free(&v4only);
	t = save6(&r, FW_FILTER);
	assert_string_equal(t,
		"*filter\n"
		":INPUT ACCEPT [0:0]\n"
		":FORWARD ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":BOXNET - [0:0]\n"
		":BOXNET-BRIDGE - [0:0]\n"
		":BOXNET-CT - [0:0]\n"
		":BOXNET-FORWARD - [0:0]\n"
		":BOXNET-INTERNAL - [0:0]\n"
		":BOXNET-USER - [0:0]\n"
		"-A FORWARD -j BOXNET-USER\n"
		"-A FORWARD -j BOXNET-FORWARD\n"
		"-A BOXNET ! -i br-dummy -o br-dummy -m conntrack --ctstate DNAT -j ACCEPT\n"
		"-A BOXNET ! -i br-dummy -o br-dummy -j DROP\n"
		"-A BOXNET-BRIDGE -o br-dummy -j BOXNET\n"
		"-A BOXNET-CT -o br-dummy -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
		"-A BOXNET-FORWARD -j BOXNET-CT\n"
		"-A BOXNET-FORWARD -j BOXNET-INTERNAL\n"
		"-A BOXNET-FORWARD -j BOXNET-BRIDGE\n"
		"-A BOXNET-FORWARD -i br-dummy -j ACCEPT\n"
		"COMMIT\n");
	free(t);
	t = save6(&r, FW_NAT);
	assert_string_equal(t,
		"*nat\n"
		":PREROUTING ACCEPT [0:0]\n"
		":INPUT ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":POSTROUTING ACCEPT [0:0]\n"
		":BOXNET - [0:0]\n"
		":BOXNET-POSTROUTING - [0:0]\n"
		"-A PREROUTING -m addrtype --dst-type LOCAL -j BOXNET\n"
		"-A OUTPUT ! -d ::1/128 -m addrtype --dst-type LOCAL -j BOXNET\n"
		"-A POSTROUTING -j BOXNET-POSTROUTING\n"
		"-A BOXNET ! -s fe80::/10 -p tcp -m tcp --dport 8080 -j DNAT --to-destination [fd00:1::2]:80\n"
		"-A BOXNET-POSTROUTING -s fd00:1::/64 -o br-dummy -m conntrack --ctstate DNAT -j MASQUERADE\n"
		"-A BOXNET-POSTROUTING -s fd00:1::/64 ! -o br-dummy -j MASQUERADE\n"
		"COMMIT\n");
	free(t);
	/* no 127/8, no route_localnet: an IPv6 raw table without boxnet */
	t = save6(&r, FW_RAW);
	assert_string_equal(t, "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
	free(t);
	fw_free(&r);
}

/* IPv6 only, routed (no masquerade), internal, no icc; a v4 port with no v4 network */
static void v6_only_variants(void **state)
{
	struct fw_net nets[2] = { net, net };
	struct fw_port p4 = port, p6 = port;
	struct fw_ruleset r;
	char *t;

	nets[0].subnet = (struct ipprefix){ a6("2001:db8:1::"), 64 };
	nets[0].masquerade = false; /* gateway_mode_ipv6=routed */
	nets[0].icc = false;
	strcpy(nets[1].bridge, "br-int");
	nets[1].subnet = (struct ipprefix){ a6("fd00:2::"), 64 };
	nets[1].internal = true;
	p6.ctr_ip = a6("2001:db8:1::2");
	p6.host_ip = a6("2001:db8::1");
	p6.host_lo = p6.host_hi = 8000;
	p6.ctr_lo = p6.ctr_hi = 8000;
	{
		struct fw_port ps[2] = { p4, p6 };

		assert_int_equal(fw_build(nets, 2, ps, 2, true, &r), 0);
	}
	assert_false(fwrule_has(&r, AF_INET));
	t = save6(&r, FW_FILTER);
	assert_non_null(strstr(t, "-A BOXNET-FORWARD -i br-dummy -o br-dummy -j DROP\n"
				  "-A BOXNET-FORWARD -i br-dummy ! -o br-dummy -j ACCEPT\n"
				  "-A BOXNET-FORWARD -i br-int -o br-int -j ACCEPT\n"));
	assert_non_null(strstr(t, "-A BOXNET-INTERNAL ! -s fd00:2::/64 -o br-int -j DROP\n"
				  "-A BOXNET-INTERNAL ! -d fd00:2::/64 -i br-int -j DROP\n"));
	free(t);
	t = save6(&r, FW_NAT);
	assert_null(strstr(t, "! -o br-dummy -j MASQUERADE"));
	assert_null(strstr(t, "! -o br-int -j MASQUERADE"));
	assert_null(strstr(t, "192.168"));
	/* the same port number on the container: no port after the address */
	assert_non_null(strstr(t, "-A BOXNET ! -s fe80::/10 -d 2001:db8::1/128 -p tcp -m tcp "
				  "--dport 8000 -j DNAT --to-destination 2001:db8:1::2\n"));
	free(t);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].family, AF_INET6);
	fw_free(&r);
}

/* VXLAN peers of both families: each family its own hook and drop */
static void vxlan_v6_peers(void **state)
{
	const struct ipaddr peers[2] = { A(10, 200, 0, 2), a6("2001:db8::2") };
	struct fw_ruleset r = { 0 };
	char *t;

	assert_int_equal(fw_add_vxlan(&r, 4789, peers, 2), 0);
	t = save6(&r, FW_RAW);
	assert_string_equal(t,
		"*raw\n"
		":PREROUTING ACCEPT [0:0]\n"
		":OUTPUT ACCEPT [0:0]\n"
		":BOXNET-RAW - [0:0]\n"
		"-A PREROUTING -j BOXNET-RAW\n"
		"-A BOXNET-RAW -s 2001:db8::2/128 -p udp -m udp --dport 4789 -j RETURN\n"
		"-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP\n"
		"COMMIT\n");
	free(t);
	t = save(&r, FW_RAW);
	assert_non_null(strstr(t, "-A BOXNET-RAW -s 10.200.0.2/32 -p udp -m udp --dport 4789 -j RETURN\n"
				  "-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP\n"));
	assert_null(strstr(t, "2001:db8"));
	free(t);
	fw_free(&r);
}

/* auto on a host whose legacy tables hold rules: iptables, unless legacy has
 * no ip6_tables while nf_tables works (IPv6 networks need it): iptables-nft */
static void auto_without_ip6_tables(void **state)
{
	struct fw_survey s = { .nft_ok = true, .nlegacy = 1 };
	char why[256];

	(void)state;
	strcpy(s.legacy[0].name, "filter");
	s.legacy[0].rules = 3;
	assert_ptr_equal(fw_backend_auto(&s, why, sizeof(why)), &xt_backend);
	assert_string_equal(why, "the host's iptables rules are in legacy x_tables "
				 "(filter: 0 chains, 3 rules)");
	s.no_ip6 = true;
	assert_ptr_equal(fw_backend_auto(&s, why, sizeof(why)), &iptnft_backend);
	assert_non_null(strstr(why, "(filter: 0 chains, 3 rules); "
				    "but legacy x_tables have no ip6_tables"));
	/* a mixed host whose legacy FORWARD drops: the same */
	s.nnft = 1;
	strcpy(s.nft[0].name, "ip filter");
	s.nft[0].rules = 1;
	strcpy(s.legacy[0].drops, "FORWARD policy DROP");
	assert_ptr_equal(fw_backend_auto(&s, why, sizeof(why)), &iptnft_backend);
	assert_non_null(strstr(why, "legacy's FORWARD drops; but legacy x_tables have no ip6_tables"));
	s.no_ip6 = false;
	assert_ptr_equal(fw_backend_auto(&s, why, sizeof(why)), &xt_backend);
	/* no nf_tables: legacy, IPv4 only, all there is */
	s.no_ip6 = true;
	s.nft_ok = false;
	s.nnft = 0;
	assert_ptr_equal(fw_backend_auto(&s, why, sizeof(why)), &xt_backend);
	assert_null(strstr(why, "ip6_tables"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_without_networks),
		cmocka_unit_test(default_network_with_port),
		cmocka_unit_test(internal_no_icc_no_masq),
		cmocka_unit_test(port_forms),
		cmocka_unit_test(no_accept_per_port),
		cmocka_unit_test(vxlan_peers),
		cmocka_unit_test(snat_to_host_address),
		cmocka_unit_test(ports_not_as_rules),
		cmocka_unit_test(internal_only),
		cmocka_unit_test(dual_stack),
		cmocka_unit_test(v6_only_variants),
		cmocka_unit_test(vxlan_v6_peers),
		cmocka_unit_test(auto_without_ip6_tables),
	};

	return cmocka_run_group_tests_name("fw", tests, NULL, NULL);
}
