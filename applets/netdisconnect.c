// SPDX-License-Identifier: GPL-2.0-or-later
/* netdisconnect - `docker network disconnect [-f] NETWORK CONTAINER`. */
#include <getopt.h>
#include <stdio.h>

#include "core/ops/endpoint.h"
#include "applets/err.h"

const char netdisconnect_usage[] =
	"Usage: netdisconnect [-f|--force] NETWORK CONTAINER\n"
	"\n"
	"Disconnect a container from a network, as `docker network disconnect`.\n"
	"\n"
	"  -f, --force   no error when the container is not connected\n"
	"\n"
	"Exit status: 0 disconnected, 1 failed, 2 bad usage.\n";

int netdisconnect_main(int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	struct session s;
	bool force = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_err(netdisconnect_usage);
		force = true;
	}
	if (optind != argc - 2)
		return usage_err(netdisconnect_usage);
	if (applet_open(&s, true))
		return EXIT_FAIL;
	ret = ep_disconnect(&s, argv[optind], argv[optind + 1], force);
	return applet_close(&s, ret);
}
