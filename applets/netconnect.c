// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netconnect - `docker network connect` where the container is a named
 * network namespace (/run/netns/CONTAINER), or the one of --pid.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ops/endpoint.h"
#include "core/ops/runtime.h"
#include "applets/err.h"

const char netconnect_usage[] =
	"Usage: netconnect [OPTIONS] NETWORK CONTAINER\n"
	"\n"
	"Connect a container (a network namespace in /run/netns) to a network, as\n"
	"`docker network connect`: the next free ethN, address, routes, names.\n"
	"\n"
	"      --ip IP          a static address (networks created with --subnet)\n"
	"      --ip6 IP         a static IPv6 address (networks with an IPv6 --subnet)\n"
	"      --alias NAME     another name for the container on this network\n"
	"      --ifname NAME    the interface name inside (default: next free ethN)\n"
	"      --mac MAC        default: 02:42 followed by the IPv4 address\n"
	"      --pid PID        first bind PID's namespace as /run/netns/CONTAINER\n"
	"  -p, --publish SPEC   then publish a port as `portfwd add` (as `docker run -p`);\n"
	"                       a port that cannot be had undoes the connect\n"
	"\n"
	"Exit status: 0 connected, 1 failed, 2 bad usage.\n";

int netconnect_main(int argc, char **argv)
{
	enum { O_IP = 256, O_ALIAS, O_IFNAME, O_MAC, O_PID, O_IP6, O_PUBLISH = 'p' };
	static const struct option opts[] = {
		{ "ip", required_argument, NULL, O_IP },     { "ip6", required_argument, NULL, O_IP6 },
		{ "alias", required_argument, NULL, O_ALIAS },
		{ "ifname", required_argument, NULL, O_IFNAME }, { "mac", required_argument, NULL, O_MAC },
		{ "pid", required_argument, NULL, O_PID },   { "publish", required_argument, NULL, O_PUBLISH },
		{ 0 }
	};
	const char **aliases = calloc(argc, sizeof(char *));
	char **specs = calloc(argc, sizeof(char *));
	size_t nspecs = 0;
	struct ep_spec sp = { .aliases = aliases };
	struct session s;
	struct endpoint e;
	bool failed = false;
	int c, ret = EXIT_FAIL;

	if (!aliases || !specs) {
		free(aliases);
		free(specs);
		return EXIT_FAIL;
	}
	while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
		char *end;
		long pid;

		switch (c) {
		case O_IP: sp.ip = optarg; break;
		case O_IP6: sp.ip6 = optarg; break;
		case O_ALIAS: aliases[sp.naliases++] = optarg; break;
		case O_IFNAME: sp.ifname = optarg; break;
		case O_MAC: sp.mac = optarg; break;
		case O_PUBLISH: specs[nspecs++] = optarg; break;
		case O_PID:
			pid = strtol(optarg, &end, 10);
			if (!*optarg || *end || pid <= 0 || pid > 4194304) {
				msg("invalid PID %s", optarg);
				goto out;
			}
			sp.pid = pid;
			break;
		default:
			ret = usage_err(netconnect_usage);
			goto out;
		}
	}
	if (optind != argc - 2) {
		ret = usage_err(netconnect_usage);
		goto out;
	}
	sp.network = argv[optind];
	sp.container = argv[optind + 1];
	if (applet_open(&s, true))
		goto out;
	if (connect_publish(&s, &sp, specs, nspecs, &e) == 0)
		ep_free(&e);
	else
		failed = true;
	ret = applet_close(&s, failed);
out:
	free(aliases);
	free(specs);
	return ret;
}
