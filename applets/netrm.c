// SPDX-License-Identifier: GPL-2.0-or-later
/* netrm - `docker network rm NETWORK...`: prints each network removed. */
#include <stdio.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/network.h"

const char netrm_usage[] =
	"Usage: netrm NETWORK...\n"
	"\n"
	"Remove networks (by name, ID or ID prefix), as `docker network rm`. A network\n"
	"with endpoints and the predefined networks are refused.\n"
	"\n"
	"Exit status: 0 all removed, 1 some failed, 2 bad usage.\n";

int netrm_main(int argc, char **argv)
{
	struct session s;
	int ret = 0;

	if (argc < 2 || argv[1][0] == '-')
		return usage_err(netrm_usage);
	if (applet_open(&s, true))
		return EXIT_FAIL;
	for (int i = 1; i < argc; i++) {
		if (net_remove(&s, argv[i])) {
			msg("%s", s.err);
			ret = EXIT_FAIL;
		} else {
			puts(argv[i]);
		}
	}
	session_close(&s);
	return ret;
}
