// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * portfwd - the -p of `docker run` for containers that already run:
 * publish a container's ports on the host (DNAT in the kernel, no userland
 * proxy), list them the way `docker port` does, take them back.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/publish.h"

const char portfwd_usage[] =
	"Usage: portfwd add [-n|--network NETWORK] [--dry-run] CONTAINER SPEC...\n"
	"       portfwd del [--dry-run] CONTAINER [SPEC...]\n"
	"       portfwd ls [CONTAINER]\n"
	"\n"
	"Publish container ports as `docker run -p` does. SPEC is\n"
	"[HOSTIP:]HOSTPORT[-END]:CONTAINERPORT[-END][/tcp|/udp|/sctp]. A published port is\n"
	"reachable through every host address (or HOSTIP), from the host itself through\n"
	"127.0.0.1, and from containers through a host address. --dry-run prints the rules.\n"
	"\n"
	"Exit status: 0 done, 1 failed (nothing changed), 2 bad usage.\n";

static int do_ls(struct session *s, const char *ctr)
{
	struct port_listing *v;
	size_t n;

	if (publish_list(s, ctr, &v, &n))
		return -1;
	/* one line per port, as `docker port`; the container first when listing all */
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k <= (unsigned)(v[i].ctr_hi - v[i].ctr_lo); k++)
			printf("%s%s%u/%s -> %s:%u\n", ctr ? "" : v[i].container, ctr ? "" : " ",
			       v[i].ctr_lo + k, v[i].proto, v[i].host_ip, v[i].host_lo + k);
	free(v);
	return 0;
}

int portfwd_main(int argc, char **argv)
{
	enum { O_DRY = 256 };
	static const struct option opts[] = { { "network", required_argument, NULL, 'n' },
					      { "dry-run", no_argument, NULL, O_DRY },
					      { 0 } };
	const char *verb = argc > 1 ? argv[1] : "", *net = NULL;
	bool dry = false;
	struct session s;
	int c, ret;

	optind = 2;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c == 'n' && !strcmp(verb, "add"))
			net = optarg;
		else if (c == O_DRY && strcmp(verb, "ls"))
			dry = true;
		else
			return usage_err(portfwd_usage);
	}
	if (!strcmp(verb, "add") ? argc - optind < 2
	    : !strcmp(verb, "del") ? argc - optind < 1
	    : !strcmp(verb, "ls")  ? argc - optind > 1
				   : 1)
		return usage_err(portfwd_usage);
	if (applet_open(&s, strcmp(verb, "ls")))
		return EXIT_FAIL;
	if (!strcmp(verb, "add"))
		ret = publish_add(&s, argv[optind], net, argv + optind + 1, argc - optind - 1,
				  dry ? stdout : NULL);
	else if (!strcmp(verb, "del"))
		ret = publish_del(&s, argv[optind], argv + optind + 1, argc - optind - 1,
				  dry ? stdout : NULL);
	else
		ret = do_ls(&s, optind < argc ? argv[optind] : NULL);
	return applet_close(&s, ret);
}
