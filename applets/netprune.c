// SPDX-License-Identifier: GPL-2.0-or-later
/* netprune - `docker network prune`: remove every user network without endpoints. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/network.h"
#include "core/ops/repair.h"

const char netprune_usage[] =
	"Usage: netprune [-f|--force]\n"
	"\n"
	"Remove all user networks that have no endpoint, as `docker network prune`.\n"
	"Endpoints whose namespace has vanished are cleaned up first, damaged port\n"
	"and overlay state files removed, damaged names files rebuilt.\n"
	"\n"
	"  -f, --force   do not ask for confirmation\n"
	"\n"
	"Exit status: 0 done (or declined), 1 failed, 2 bad usage.\n";

static void removed(const char *name, void *arg)
{
	int *count = arg;

	if (!(*count)++)
		puts("Deleted Networks:");
	puts(name);
}

int netprune_main(int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	struct session s;
	bool force = false;
	int c, count = 0, ret;

	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_err(netprune_usage);
		force = true;
	}
	if (optind != argc)
		return usage_err(netprune_usage);
	if (!force) {
		char answer[16] = "";

		fputs("WARNING! This will remove all custom networks not used by at least one container.\n"
		      "Are you sure you want to continue? [y/N] ", stdout);
		fflush(stdout);
		if (!fgets(answer, sizeof(answer), stdin) || (strcmp(answer, "y\n") && strcmp(answer, "Y\n") &&
							     strcmp(answer, "y") && strcmp(answer, "Y")))
			return 0;
	}
	if (ops_open_prune(&s)) {
		msg("%s", s.err);
		return EXIT_FAIL;
	}
	ret = applet_close(&s, net_prune(&s, removed, &count));
	if (count)
		puts("");
	return ret;
}
