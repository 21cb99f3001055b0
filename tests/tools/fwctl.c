// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwctl - drive a firewall backend directly with a rule set from fw_build(),
 * for the integration tests (test-only; never installed).
 *
 *   fwctl BACKEND VERB [WORD...]
 *
 * BACKEND   iptables   legacy x_tables (netlink/fw/xt*.c)
 *           nft        nf_tables (netlink/fw/nft*.c)
 *           (netlink/fw/backend.h: the ops table boxnet itself uses)
 * VERB      apply      install the scenario's rule set; with no network,
 *                      remove all of boxnet's rules
 *           show       print the rule set the scenario gives (iptables:
 *                      fwrule_save of raw, filter and nat; nft: nft's list)
 *           kernel     print boxnet's part of what the kernel holds now
 *                      (iptables only)
 *           available  exit 0 when the backend can be used here
 * WORD      net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]
 *               a network on BRIDGE; its gateway is SUBNET's first address
 *           port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE
 *               a published port (range); PROTO tcp|udp|sctp; HOSTIP
 *               0.0.0.0 (or [::]) for every local address
 *           IPv6 subnets and addresses in brackets: net:br-a:[fd00:1::/64]
 *   e.g. fwctl iptables apply net:br-a:172.18.0.0/16 \
 *            port:tcp:0.0.0.0:8080-8080:172.18.0.2:80-80:br-a
 *
 * Exit: 0 done, 1 failed (reason on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "core/model/fwmodel.h"
#include "netlink/fw/backend.h"
#include "netlink/nl.h"
#include "tests/tools/scenario.h"

static int usage(void)
{
	fputs("usage: fwctl iptables|nft apply|show|kernel|available [WORD...]\n"
	      "  net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]\n"
	      "  port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE\n", stderr);
	return 2;
}

static int run(const struct fw_backend *b, const char *verb, const struct scenario *s)
{
	struct fw_ruleset r;
	int ret;

	if (!strcmp(verb, "available"))
		return b->available() ? 0 : 1;
	if (!strcmp(verb, "kernel")) {
		ret = b->show ? b->show(stdout) : -EOPNOTSUPP;
		if (ret)
			fprintf(stderr, "fwctl: %s: %s\n", b->name, strerror(-ret));
		return ret ? 1 : 0;
	}
	if (fw_build(s->nets, s->nnets, s->ports, s->nports, b->ports_as_rules, &r)) {
		fputs("fwctl: out of memory\n", stderr);
		return 1;
	}
	if (!strcmp(verb, "show")) {
		b->render(&r, s->ports, s->nports, stdout);
		ret = 0;
	} else {
		ret = b->apply(&r, s->ports, s->nports);
		if (ret)
			fprintf(stderr, "fwctl: %s\n", nl_errmsg()[0] ? nl_errmsg() : strerror(-ret));
	}
	fw_free(&r);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct fw_backend *b;
	struct scenario *s;
	int ret;

	if (argc < 3)
		return usage();
	b = fw_backend_find(argv[1]);
	if (!b || (strcmp(argv[2], "apply") && strcmp(argv[2], "show") &&
		   strcmp(argv[2], "kernel") && strcmp(argv[2], "available")))
		return usage();
	s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	ret = parse_scenario(argc - 3, argv + 3, s, "fwctl") ? 2 : run(b, argv[2], s);
	scenario_free(s);
	free(s);
	return ret;
}
