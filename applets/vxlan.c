// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vxlan - make a boxnet network span hosts: a VXLAN device on its bridge
 * (created on every host with the same VNI and subnet), peers as the
 * device's flood list, names of containers that live on other hosts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/overlay.h"

const char vxlan_usage[] =
	"Usage: vxlan add NETWORK --vni N [--remote IP]... [--group MCAST] [--dev IFACE]\n"
	"                 [--local IP] [--port 4789] [--learning]\n"
	"       vxlan peer add|del NETWORK IP\n"
	"       vxlan name add NETWORK NAME IP | vxlan name del NETWORK NAME\n"
	"       vxlan ls\n"
	"       vxlan del NETWORK\n"
	"\n"
	"Attach a VXLAN device to a network's bridge so that the same network on\n"
	"several hosts (same --subnet, disjoint --ip-range or static --ip) is one L2\n"
	"segment. Peers (the other hosts' underlay addresses) get every broadcast;\n"
	"VXLAN packets from anyone else are dropped by the firewall. The network's\n"
	"MTU is lowered by 50 to fit. `name` makes a container of another host\n"
	"resolvable by name on this one.\n"
	"\n"
	"Exit status: 0 done, 1 failed, 2 bad usage.\n";

static int do_add(struct session *s, int argc, char **argv)
{
	enum { O_VNI = 256, O_REMOTE, O_GROUP, O_DEV, O_LOCAL, O_PORT, O_LEARN };
	static const struct option opts[] = {
		{ "vni", required_argument, NULL, O_VNI },     { "remote", required_argument, NULL, O_REMOTE },
		{ "group", required_argument, NULL, O_GROUP }, { "dev", required_argument, NULL, O_DEV },
		{ "local", required_argument, NULL, O_LOCAL }, { "port", required_argument, NULL, O_PORT },
		{ "learning", no_argument, NULL, O_LEARN },    { 0 }
	};
	const char **remotes = calloc(argc, sizeof(char *));
	struct vxlan_spec sp = { .remotes = remotes };
	int c, ret;

	if (!remotes)
		return EXIT_FAIL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_VNI: sp.vni = optarg; break;
		case O_REMOTE: remotes[sp.nremotes++] = optarg; break;
		case O_GROUP: sp.group = optarg; break;
		case O_DEV: sp.dev = optarg; break;
		case O_LOCAL: sp.local = optarg; break;
		case O_PORT: sp.port = optarg; break;
		case O_LEARN: sp.learning = true; break;
		default:
			free(remotes);
			return -EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		free(remotes);
		return -EXIT_USAGE;
	}
	ret = vxlan_add(s, argv[optind], &sp);
	free(remotes);
	return ret ? EXIT_FAIL : 0;
}

static void ls(struct session *s)
{
	struct vxlan *v;
	size_t n;
	char a[IP_STRLEN];

	if (overlay_list(s, &v, &n))
		return;
	printf("%-20s %-9s %-16s %-10s %-6s %s\n", "NETWORK", "VNI", "DEVICE", "UNDERLAY", "PORT",
	       "PEERS");
	for (size_t i = 0; i < n; i++) {
		printf("%-20s %-9u %-16s %-10s %-6u ", v[i].network, v[i].vni, v[i].dev, v[i].underlay,
		       v[i].port);
		if (ip_is_set(&v[i].group))
			printf("group %s", ip_format(&v[i].group, a));
		for (size_t j = 0; j < v[i].npeers; j++)
			printf("%s%s", j ? "," : "", ip_format(&v[i].peers[j], a));
		putchar('\n');
	}
	free(v);
}

int vxlan_main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "", *sub = argc > 2 ? argv[2] : "";
	struct session s;
	int ret;

	if (!strcmp(verb, "add") ? argc < 4
	    : !strcmp(verb, "peer") ? argc != 5 || (strcmp(sub, "add") && strcmp(sub, "del"))
	    : !strcmp(verb, "name") ? (strcmp(sub, "add") || argc != 6) && (strcmp(sub, "del") || argc != 5)
	    : !strcmp(verb, "ls") ? argc != 2
	    : !strcmp(verb, "del") ? argc != 3
				   : 1)
		return usage_err(vxlan_usage);
	if (applet_open(&s, strcmp(verb, "ls")))
		return EXIT_FAIL;
	if (!strcmp(verb, "add"))
		ret = do_add(&s, argc - 1, argv + 1);
	else if (!strcmp(verb, "peer"))
		ret = vxlan_peer(&s, argv[3], argv[4], !strcmp(sub, "add")) ? EXIT_FAIL : 0;
	else if (!strcmp(verb, "name"))
		ret = vxlan_name(&s, argv[3], argv[4], argc == 6 ? argv[5] : NULL, !strcmp(sub, "add"))
			      ? EXIT_FAIL : 0;
	else if (!strcmp(verb, "del"))
		ret = vxlan_del(&s, argv[2]) ? EXIT_FAIL : 0;
	else
		ls(&s), ret = s.err[0] ? EXIT_FAIL : 0;
	if (ret == -EXIT_USAGE)
		ret = usage_err(vxlan_usage);
	else if (ret)
		msg("%s", s.err);
	session_close(&s);
	return ret;
}
