// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nftctl - drive the nf_tables backend (netlink/fw/nft*.c) directly, for the
 * integration tests (test-only; never installed). Same scenario words as
 * tests/tools/fwctl.c.
 *
 *   nftctl apply WORD...        install the scenario (no word: delete the table)
 *   nftctl show WORD...         print what apply installs, as nft lists it
 *   nftctl port-add PORTWORD    publish one port on the installed table
 *   nftctl port-del PORTWORD    withdraw it
 *   nftctl ct-flush-udp PORT[-PORT]  delete conntrack entries of UDP to PORT(s);
 *                               prints how many
 *   nftctl available            exit 0 when nf_tables answers
 *   nftctl bench N [REPEAT] [ranges]
 *                               apply one network with N ports (N port ranges
 *                               of two), then time REPEAT (default 20) pairs of
 *                               port-add + port-del of one more
 *
 * WORD      net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]
 *           port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE
 *
 * Exit: 0 done, 1 failed (reason on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/addr.h"
#include "core/model/fwmodel.h"
#include "tests/tools/scenario.h"
#include "netlink/conntrack.h"
#include "netlink/fw/nft_int.h"
#include "netlink/nl.h"

static int usage(void)
{
	fputs("usage: nftctl apply|show WORD... | port-add|port-del PORTWORD\n"
	      "       nftctl ct-flush-udp PORT[-PORT] | available | bench N [REPEAT] [ranges]\n"
	      "  WORD: net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]\n"
	      "        port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE\n",
	      stderr);
	return 2;
}

/* the backend's reason for a failure, or errno's text when it gave none */
static const char *reason(int ret)
{
	return nl_errmsg()[0] ? nl_errmsg() : strerror(-ret);
}

static int apply_or_show(const struct scenario *s, bool apply)
{
	struct fw_ruleset r;
	int ret;

	if (fw_build(s->nets, s->nnets, s->ports, s->nports, false, &r)) {
		fputs("nftctl: out of memory\n", stderr);
		return 1;
	}
	if (apply) {
		ret = nft_apply(&r, s->ports, s->nports);
		if (ret)
			fprintf(stderr, "nftctl: %s\n", reason(ret));
	} else {
		nft_text(&r, s->ports, s->nports, stdout);
		ret = 0;
	}
	fw_free(&r);
	return ret ? 1 : 0;
}

static int port_verb(const char *verb, const char *word)
{
	struct fw_port p;
	int ret;

	if (parse_port(word, &p)) {
		fprintf(stderr, "nftctl: bad port word: %s\n", word);
		return 2;
	}
	ret = !strcmp(verb, "port-add") ? nft_port_add(&p, 1, NULL) : nft_port_del(&p, 1, NULL);
	if (ret)
		fprintf(stderr, "nftctl: %s\n", reason(ret));
	return ret == -EEXIST ? 3 : ret ? 1 : 0;
}

static int ct_flush(const char *arg)
{
	uint16_t lo, hi;
	int ret;

	if (parse_range(arg, &lo, &hi))
		return usage();
	ret = lo == hi ? ct_flush_udp_port(lo) : ct_flush_udp_ports(lo, hi);
	if (ret < 0) {
		fprintf(stderr, "nftctl: %s\n", nl_errmsg());
		return 1;
	}
	printf("%d\n", ret);
	return 0;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* N ports (ranges) to N containers of 10.88.0.0/16 (br-bench), then time
 * single adds and deletes */
static int bench(int n, int repeat, bool ranges)
{
	struct fw_net net = { .bridge = "br-bench", .subnet = { ip4(0x0a580000), 16 },
			      .gateway = ip4(0x0a580001), .icc = true, .masquerade = true };
	struct fw_port *ports = calloc((size_t)n + 1, sizeof(*ports));
	struct fw_ruleset r;
	double t0, add = 0, del = 0, apply;
	int ret = 1;

	uint16_t w = ranges ? 2 : 1;

	for (int i = 0; ports && i < n; i++) {
		uint16_t lo = (uint16_t)(2000 + w * i), hi = (uint16_t)(lo + w - 1);

		ports[i] = (struct fw_port){ 6, { 0 }, lo, hi, ip4(0x0a580002 + (uint32_t)i),
					     ranges ? lo : 80, ranges ? hi : 80, "br-bench" };
	}
	if (!ports || fw_build(&net, 1, ports, (size_t)n, false, &r))
		goto out;
	t0 = now_us();
	ret = nft_apply(&r, ports, (size_t)n);
	apply = now_us() - t0;
	for (int i = 0; !ret && i < repeat; i++) {
		struct fw_port p = { 17, { 0 }, 65000, (uint16_t)(65000 + w - 1), ip4(0x0a580002),
				     ranges ? 65000 : 53, (uint16_t)(ranges ? 65000 + w - 1 : 53),
				     "br-bench" };

		t0 = now_us();
		ret = nft_port_add(&p, 1, NULL);
		add += now_us() - t0;
		t0 = now_us();
		ret = ret ? ret : nft_port_del(&p, 1, NULL);
		del += now_us() - t0;
	}
	fw_free(&r);
	if (ret)
		fprintf(stderr, "nftctl: %s\n", nl_errmsg());
	else
		printf("%s=%d apply=%.0fus port-add=%.0fus port-del=%.0fus\n",
		       ranges ? "ranges" : "ports", n, apply, add / repeat, del / repeat);
out:
	free(ports);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct scenario s = { 0 };
	int ret;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "available"))
		return nft_available() ? 0 : 1;
	if ((!strcmp(argv[1], "port-add") || !strcmp(argv[1], "port-del")) && argc == 3)
		return port_verb(argv[1], argv[2]);
	if (!strcmp(argv[1], "ct-flush-udp") && argc == 3)
		return ct_flush(argv[2]);
	if (!strcmp(argv[1], "bench") && argc >= 3 && argc <= 5)
		return bench(atoi(argv[2]), argc >= 4 ? atoi(argv[3]) : 20,
			     argc == 5 && !strcmp(argv[4], "ranges"));
	if (strcmp(argv[1], "apply") && strcmp(argv[1], "show"))
		return usage();
	ret = parse_scenario(argc - 2, argv + 2, &s, "nftctl") ? 2
							      : apply_or_show(&s, !strcmp(argv[1], "apply"));
	scenario_free(&s);
	return ret;
}
