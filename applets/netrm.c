// SPDX-License-Identifier: GPL-2.0-or-later
/* netrm - `docker network rm [-f] NETWORK...`: prints each network removed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/network.h"

const char netrm_usage[] =
	"Usage: netrm [-f|--force] NETWORK...\n"
	"\n"
	"Remove networks (by name, ID or ID prefix), as `docker network rm`. A network\n"
	"with endpoints and the predefined networks are refused.\n"
	"\n"
	"  -f, --force   no error for a network that does not exist; a network whose\n"
	"                state file is damaged is removed with what it names\n"
	"\n"
	"Exit status: 0 all removed, 1 some failed, 2 bad usage.\n";

int netrm_main(int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	struct session s;
	bool force = false;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_err(netrm_usage);
		force = true;
	}
	if (optind >= argc)
		return usage_err(netrm_usage);
	if (applet_open(&s, true))
		return EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		int r = force ? net_remove_damaged(&s, argv[i]) : 0;

		if (r == 0)
			r = net_remove(&s, argv[i]);
		if (r == -ENOENT && force)
			continue;
		if (r < 0) {
			msg("%s", s.err);
			ret = EXIT_FAIL;
		} else {
			puts(argv[i]);
		}
	}
	session_close(&s);
	return ret;
}
