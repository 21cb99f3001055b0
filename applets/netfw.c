// SPDX-License-Identifier: GPL-2.0-or-later
/* netfw - boxnet's firewall: which backend, what it holds, rebuild it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/firewall.h"

const char netfw_usage[] =
	"Usage: netfw status | show | apply [--dry-run]\n"
	"\n"
	"  status   the backend in use (BOXNET_FIREWALL: auto, iptables, nft, iptables-nft, none)\n"
	"           and why; warnings where the host's own firewall works against boxnet's\n"
	"           (rules in both legacy and nf_tables iptables tables, a forward chain\n"
	"           of another table that drops); boxnet's rules as the kernel holds them\n"
	"  show     the rules boxnet's state asks for, as iptables-save or nft text\n"
	"  apply    rebuild every boxnet rule from the state (after a firewall reload\n"
	"           flushed them); --dry-run prints them instead\n"
	"\n"
	"Exit status: 0 done, 1 failed, 2 bad usage.\n";

int netfw_main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	bool dry = argc == 3 && !strcmp(argv[2], "--dry-run");
	struct session s;
	int ret;

	if ((strcmp(verb, "status") && strcmp(verb, "show") && strcmp(verb, "apply")) ||
	    (argc > 2 && !(dry && !strcmp(verb, "apply"))))
		return usage_err(netfw_usage);
	if (applet_open(&s, !strcmp(verb, "apply") && !dry))
		return EXIT_FAIL;
	if (!strcmp(verb, "status"))
		ret = fw_status(&s, stdout);
	else if (!strcmp(verb, "show") || dry)
		ret = fw_render(&s, stdout);
	else
		ret = fw_sync(&s);
	return applet_close(&s, ret);
}
