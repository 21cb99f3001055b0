// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netcreate - `docker network create` for the bridge and overlay drivers: prints the new
 * network's ID. Options as in Docker (see usage); booleans accept =true/false.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/network.h"

const char netcreate_usage[] =
	"Usage: netcreate [OPTIONS] NAME\n"
	"\n"
	"Create a network, as `docker network create`, and print its ID.\n"
	"\n"
	"  -d, --driver DRIVER       bridge (default), or overlay: a bridge with a VXLAN\n"
	"                            device, the same network on every host (needs\n"
	"                            --subnet; -o com.docker.network.driver.overlay.\n"
	"                            vxlanid_list=N, boxnet.overlay.peers=IP[,IP]...,\n"
	"                            .dev=IFACE, .local=IP, .port=N, .control=evpn,\n"
	"                            .keyfile=PATH, encrypted)\n"
	"      --ipv6                IPv6 too (default subnet: a free /64 of the\n"
	"                            host's ULA /48 in fd00::/8)\n"
	"      --ipv4=false          no IPv4: an IPv6-only network (with --ipv6)\n"
	"      --subnet CIDR         e.g. 172.18.0.0/16 (default: first free /16 of\n"
	"                            172.17-31, then /20 of 192.168.0.0/16);\n"
	"                            once per address family (IPv6: /16 to /126)\n"
	"      --gateway IP          default: the subnet's first address\n"
	"      --ip-range CIDR       where dynamic addresses come from\n"
	"      --internal            no route out of the network\n"
	"      --attachable          accepted, for Docker compatibility\n"
	"      --mtu N               default: the MTU of the host's uplink\n"
	"  -o, --opt KEY[=VALUE]     driver option: com.docker.network.bridge.name,\n"
	"                            .bridge.enable_icc, .bridge.enable_ip_masquerade,\n"
	"                            .bridge.host_binding_ipv4, .bridge.gateway_mode_ipv6,\n"
	"                            com.docker.network.driver.mtu\n"
	"      --label KEY[=VALUE]   metadata\n"
	"\n"
	"Exit status: 0 created, 1 failed, 2 bad usage.\n";

static int parse_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
		return *out = true, 0;
	if (!strcmp(v, "false") || !strcmp(v, "0"))
		return *out = false, 0;
	return -1;
}

/* KEY[=VALUE] into @p, as Docker's --opt and --label take them: without
 * "=VALUE" the value is empty. NULL, or why not. */
static const char *add_pair(struct pairs *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char key[256];

	if (!*arg || eq == arg)
		return "empty name";
	if (eq && (size_t)(eq - arg) >= sizeof(key))
		return "name too long";
	if (!eq)
		return pairs_add(p, arg, "") ? "out of memory" : NULL;
	memcpy(key, arg, eq - arg);
	key[eq - arg] = 0;
	return pairs_add(p, key, eq + 1) ? "out of memory" : NULL;
}

/* --subnet, --gateway, --ip-range: once per family, IPv6 text has a ':' */
static int per_family(const char **v4, const char **v6, const char *arg, const char *opt)
{
	const char **slot = strchr(arg, ':') ? v6 : v4;

	if (*slot) {
		msg("bridge driver doesn't support multiple subnets: %s given twice for IPv%c", opt,
		    slot == v6 ? '6' : '4');
		return -1;
	}
	*slot = arg;
	return 0;
}

int netcreate_main(int argc, char **argv)
{
	enum { O_SUBNET = 256, O_GATEWAY, O_RANGE, O_INTERNAL, O_ATTACH, O_MTU, O_LABEL, O_IPV6,
	       O_IPV4 };
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },  { "subnet", required_argument, NULL, O_SUBNET },
		{ "gateway", required_argument, NULL, O_GATEWAY }, { "ip-range", required_argument, NULL, O_RANGE },
		{ "internal", optional_argument, NULL, O_INTERNAL },
		{ "attachable", optional_argument, NULL, O_ATTACH },
		{ "mtu", required_argument, NULL, O_MTU },     { "opt", required_argument, NULL, 'o' },
		{ "label", required_argument, NULL, O_LABEL }, { "ipv6", optional_argument, NULL, O_IPV6 },
		{ "ipv4", optional_argument, NULL, O_IPV4 },   { 0 }
	};
	bool ipv4 = true;
	struct net_spec sp = { 0 };
	struct session s;
	struct network n;
	int c, ret = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "d:o:", opts, NULL)) != -1) {
		const char *why;
		char *end;

		switch (c) {
		case 'd': sp.driver = optarg; break;
		case O_SUBNET:
		case O_GATEWAY:
		case O_RANGE: {
			const char **v4 = c == O_SUBNET ? &sp.subnet : c == O_GATEWAY ? &sp.gateway : &sp.ip_range;
			const char **v6 = c == O_SUBNET ? &sp.subnet6 : c == O_GATEWAY ? &sp.gateway6 : &sp.ip_range6;

			if (per_family(v4, v6, optarg, c == O_SUBNET ? "--subnet" : c == O_GATEWAY ?
								 "--gateway" : "--ip-range")) {
				ret = EXIT_FAIL;
				goto out;
			}
			break;
		}
		case O_IPV6:
			if (parse_bool(optarg, &sp.ipv6))
				goto bad;
			break;
		case O_IPV4:
			if (parse_bool(optarg, &ipv4))
				goto bad;
			sp.no_ipv4 = !ipv4;
			break;
		case O_INTERNAL:
			if (parse_bool(optarg, &sp.internal))
				goto bad;
			break;
		case O_ATTACH:
			if (parse_bool(optarg, &sp.attachable))
				goto bad;
			break;
		case O_MTU: {
			/* checked as parsed, before it is narrowed to unsigned int */
			unsigned long mtu = strtoul(optarg, &end, 10);

			if (!*optarg || *end || optarg[0] == '-' || mtu < 68 || mtu > 65535) {
				msg("invalid MTU %s: must be 68 to 65535", optarg);
				ret = EXIT_FAIL;
				goto out;
			}
			sp.mtu = mtu;
			break;
		}
		case 'o':
		case O_LABEL:
			if ((why = add_pair(c == 'o' ? &sp.opts : &sp.labels, optarg))) {
				msg("invalid %s '%s': %s", c == 'o' ? "driver option" : "label", optarg, why);
				ret = EXIT_FAIL;
				goto out;
			}
			break;
		default:
			goto bad;
		}
	}
	if (optind != argc - 1)
		goto bad;
	sp.name = argv[optind];
	if ((ret = applet_open(&s, true)))
		goto out;
	if ((ret = applet_close(&s, net_create(&s, &sp, &n))) == 0) {
		puts(n.id);
		net_free(&n);
	}
	goto out;
bad:
	ret = usage_err(netcreate_usage);
out:
	pairs_free(&sp.opts);
	pairs_free(&sp.labels);
	return ret;
}
