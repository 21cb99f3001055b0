// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vxlan - make a boxnet network span hosts: a VXLAN device on its bridge
 * (created on every host with the same VNI and subnet), peers as the
 * device's flood list, names of containers that live on other hosts.
 */
#include <errno.h>
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
	"       vxlan rekey NETWORK\n"
	"       vxlan ls\n"
	"       vxlan del NETWORK\n"
	"\n"
	"Attach a VXLAN device to a network's bridge so that the same network on\n"
	"several hosts (same --subnet, disjoint --ip-range or static --ip) is one L2\n"
	"segment. Peers (the other hosts' underlay addresses) get every broadcast;\n"
	"VXLAN packets from anyone else are dropped by the firewall. The network's\n"
	"MTU is lowered by 50 to fit. `name` makes a container of another host\n"
	"resolvable by name on this one. `rekey` replaces the IPsec states of an\n"
	"encrypted overlay with keys from its key file as it is now.\n"
	"\n"
	"Exit status: 0 done, 1 failed, 2 bad usage.\n";

/*
 * add's options into @sp, read before the session opens so that a usage
 * error changes nothing. @argv starts at "add" (getopt names it in its
 * complaints). Returns the operand, the network, or NULL for a usage error.
 */
static char *add_options(int argc, char **argv, struct vxlan_spec *sp, const char **remotes)
{
	enum { O_VNI = 256, O_REMOTE, O_GROUP, O_DEV, O_LOCAL, O_PORT, O_LEARN };
	static const struct option opts[] = {
		{ "vni", required_argument, NULL, O_VNI },     { "remote", required_argument, NULL, O_REMOTE },
		{ "group", required_argument, NULL, O_GROUP }, { "dev", required_argument, NULL, O_DEV },
		{ "local", required_argument, NULL, O_LOCAL }, { "port", required_argument, NULL, O_PORT },
		{ "learning", no_argument, NULL, O_LEARN },    { 0 }
	};
	int c;

	sp->remotes = remotes;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_VNI: sp->vni = optarg; break;
		case O_REMOTE: remotes[sp->nremotes++] = optarg; break;
		case O_GROUP: sp->group = optarg; break;
		case O_DEV: sp->dev = optarg; break;
		case O_LOCAL: sp->local = optarg; break;
		case O_PORT: sp->port = optarg; break;
		case O_LEARN: sp->learning = true; break;
		default: return NULL;
		}
	}
	return optind == argc - 1 ? argv[optind] : NULL;
}

/* The verbs; @arg holds the words after the verb, add's options already read. */
static int do_add(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_add(s, arg[0], sp);
}

static int do_peer_add(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_peer(s, arg[0], arg[1], true);
}

static int do_peer_del(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_peer(s, arg[0], arg[1], false);
}

static int do_name_add(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_name(s, arg[0], arg[1], arg[2], true);
}

static int do_name_del(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_name(s, arg[0], arg[1], NULL, false);
}

static int do_rekey(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_rekey(s, arg[0]);
}

static int do_del(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	return vxlan_del(s, arg[0]);
}

static int do_ls(struct session *s, char **arg, const struct vxlan_spec *sp)
{
	struct vxlan *v;
	size_t n;
	char a[IP_STRLEN];

	if (overlay_list(s, &v, &n))
		return -1;
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
	return 0;
}

static const struct verb {
	const char *verb, *sub; /* sub: the second word of a two-word verb, or NULL */
	int min, max;		/* how many words after the verb; -1: no limit */
	int (*fn)(struct session *s, char **arg, const struct vxlan_spec *sp);
	bool mutate;		/* changes the state: the session locks and repairs first */
	bool opts;		/* takes add's options; the one word left is @arg[0] */
} verbs[] = {
	{ "add", NULL, 2, -1, do_add, true, true }, /* NETWORK and at least one option */
	{ "peer", "add", 2, 2, do_peer_add, true, false },
	{ "peer", "del", 2, 2, do_peer_del, true, false },
	{ "name", "add", 3, 3, do_name_add, true, false },
	{ "name", "del", 2, 2, do_name_del, true, false },
	{ "ls", NULL, 0, 0, do_ls, false, false },
	{ "del", NULL, 1, 1, do_del, true, false },
	{ "rekey", NULL, 1, 1, do_rekey, true, false },
};

static const struct verb *find(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		const struct verb *v = &verbs[i];

		if (!strcmp(argv[1], v->verb) && (!v->sub || (argc > 2 && !strcmp(argv[2], v->sub))))
			return v;
	}
	return NULL;
}

int vxlan_main(int argc, char **argv)
{
	const struct verb *v = find(argc, argv);
	int skip = v && v->sub ? 3 : 2, n = argc - skip;
	struct vxlan_spec sp = { 0 };
	const char **remotes = NULL;
	char *net[1], **arg = argv + skip;
	struct session s;
	int ret;

	if (!v || n < v->min || (v->max >= 0 && n > v->max))
		return usage_err(vxlan_usage);
	if (v->opts) {
		/* room for every word as a --remote */
		remotes = calloc(argc, sizeof(*remotes));
		if (!remotes) {
			msg_err(ENOMEM, NULL, "cannot read the options");
			return EXIT_FAIL;
		}
		net[0] = add_options(argc - 1, argv + 1, &sp, remotes);
		if (!net[0]) {
			free(remotes);
			return usage_err(vxlan_usage);
		}
		arg = net;
	}
	ret = applet_open(&s, v->mutate);
	if (!ret)
		ret = applet_close(&s, v->fn(&s, arg, &sp) != 0);
	free(remotes);
	return ret;
}
