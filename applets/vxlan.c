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
#include "core/ops/evpn.h"
#include "core/ops/overlay.h"

const char vxlan_usage[] =
	"Usage: vxlan add NETWORK --vni N [--remote IP]... [--group MCAST] [--dev IFACE]\n"
	"                 [--local IP] [--port 4789] [--learning] [--control static|evpn]\n"
	"       vxlan peer add|del NETWORK IP\n"
	"       vxlan name add NETWORK NAME IP [IP6] | vxlan name del NETWORK NAME\n"
	"       vxlan rekey NETWORK\n"
	"       vxlan ls\n"
	"       vxlan del NETWORK\n"
	"       vxlan evpn NETWORK [--asn N] [--rr IP]... [--rr-clients PREFIX] [--router-id IP]\n"
	"\n"
	"Attach a VXLAN device to a network's bridge so that the same network on\n"
	"several hosts (same --subnet, disjoint --ip-range or static --ip) is one L2\n"
	"segment. Peers (the other hosts' underlay addresses) get every broadcast;\n"
	"VXLAN packets from anyone else are dropped by the firewall. The network's\n"
	"MTU is lowered by 50 (70 over IPv6) to fit. `name` makes a container of\n"
	"another host resolvable by name on this one (an IPv4 address, an IPv6\n"
	"one, or both). `rekey` replaces the IPsec states of an encrypted overlay\n"
	"with keys from its key file as it is now.\n"
	"\n"
	"With --control evpn (and --local, the VTEP address) there are no static\n"
	"peers: FRR's bgpd and zebra fill the device from BGP EVPN routes. `evpn`\n"
	"prints the FRR lines for this host: peering with route reflector(s) --rr,\n"
	"or being one for every host in --rr-clients. EVPN carries MACs and\n"
	"addresses, not names: give remote names with `name add`.\n"
	"\n"
	"Exit status: 0 done, 1 failed, 2 bad usage.\n";

/* the options of add or evpn, read before the session opens */
struct opts {
	struct vxlan_spec sp;
	struct evpn_bgp bgp;
};

/*
 * add's options into @sp, read before the session opens so that a usage
 * error changes nothing. @argv is the applet's, the verb at argv[1] (getopt
 * names argv[0], the applet, in its complaints). Returns the operand, the
 * network, or NULL for a usage error.
 */
static char *add_options(int argc, char **argv, struct vxlan_spec *sp, const char **remotes)
{
	enum { O_VNI = 256, O_REMOTE, O_GROUP, O_DEV, O_LOCAL, O_PORT, O_LEARN, O_CONTROL };
	static const struct option opts[] = {
		{ "vni", required_argument, NULL, O_VNI },     { "remote", required_argument, NULL, O_REMOTE },
		{ "group", required_argument, NULL, O_GROUP }, { "dev", required_argument, NULL, O_DEV },
		{ "local", required_argument, NULL, O_LOCAL }, { "port", required_argument, NULL, O_PORT },
		{ "learning", no_argument, NULL, O_LEARN },    { "control", required_argument, NULL, O_CONTROL },
		{ 0 }
	};
	int c;

	sp->remotes = remotes;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_VNI: sp->vni = optarg; break;
		case O_REMOTE: remotes[sp->nremotes++] = optarg; break;
		case O_GROUP: sp->group = optarg; break;
		case O_DEV: sp->dev = optarg; break;
		case O_LOCAL: sp->local = optarg; break;
		case O_PORT: sp->port = optarg; break;
		case O_LEARN: sp->learning = true; break;
		case O_CONTROL: sp->control = optarg; break;
		default: return NULL;
		}
	}
	return optind == argc - 1 ? argv[optind] : NULL;
}

/* evpn's options into @b, as add_options; @rr has room for every word */
static char *evpn_options(int argc, char **argv, struct evpn_bgp *b, const char **rr)
{
	enum { O_ASN = 256, O_RR, O_CLIENTS, O_ID };
	static const struct option opts[] = {
		{ "asn", required_argument, NULL, O_ASN },
		{ "rr", required_argument, NULL, O_RR },
		{ "rr-clients", required_argument, NULL, O_CLIENTS },
		{ "router-id", required_argument, NULL, O_ID },
		{ 0 }
	};
	int c;

	b->rr = rr;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_ASN: b->asn = optarg; break;
		case O_RR: rr[b->nrr++] = optarg; break;
		case O_CLIENTS: b->clients = optarg; break;
		case O_ID: b->router_id = optarg; break;
		default: return NULL;
		}
	}
	return optind == argc - 1 ? argv[optind] : NULL;
}

/* The verbs; @arg holds the words after the verb, add's options already read. */
static int do_add(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_add(s, arg[0], &o->sp);
}

static int do_peer_add(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_peer(s, arg[0], arg[1], true);
}

static int do_peer_del(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_peer(s, arg[0], arg[1], false);
}

static int do_name_add(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_name(s, arg[0], arg[1], arg + 2, arg[3] ? 2 : 1);
}

static int do_name_del(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_name(s, arg[0], arg[1], NULL, 0);
}

static int do_rekey(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_rekey(s, arg[0]);
}

static int do_del(struct session *s, char **arg, const struct opts *o)
{
	return vxlan_del(s, arg[0]);
}

static int do_evpn(struct session *s, char **arg, const struct opts *o)
{
	return evpn_config(s, arg[0], &o->bgp, stdout);
}

static int do_ls(struct session *s, char **arg, const struct opts *o)
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
		if (v[i].evpn)
			printf("evpn");
		for (size_t j = 0; j < v[i].npeers; j++)
			printf("%s%s", j ? "," : "", ip_format(&v[i].peers[j], a));
		putchar('\n');
	}
	free(v);
	return 0;
}

static char *read_add(int argc, char **argv, struct opts *o, const char **room)
{
	return add_options(argc, argv, &o->sp, room);
}

static char *read_evpn(int argc, char **argv, struct opts *o, const char **room)
{
	return evpn_options(argc, argv, &o->bgp, room);
}

static const struct verb {
	const char *verb, *sub; /* sub: the second word of a two-word verb, or NULL */
	int min, max;		/* how many words after the verb; -1: no limit */
	int (*fn)(struct session *s, char **arg, const struct opts *o);
	bool mutate;		/* changes the state: the session locks and repairs first */
	char *(*opts)(int argc, char **argv, struct opts *o, const char **room);
	/* reads the verb's options; the one word left is @arg[0] */
} verbs[] = {
	{ "add", NULL, 2, -1, do_add, true, read_add }, /* NETWORK and at least one option */
	{ "peer", "add", 2, 2, do_peer_add, true, NULL },
	{ "peer", "del", 2, 2, do_peer_del, true, NULL },
	{ "name", "add", 3, 4, do_name_add, true, NULL },
	{ "name", "del", 2, 2, do_name_del, true, NULL },
	{ "ls", NULL, 0, 0, do_ls, false, NULL },
	{ "del", NULL, 1, 1, do_del, true, NULL },
	{ "rekey", NULL, 1, 1, do_rekey, true, NULL },
	{ "evpn", NULL, 1, -1, do_evpn, false, read_evpn },
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
	struct opts o = { 0 };
	const char **remotes = NULL;
	char *net[1], **arg = argv + skip;
	struct session s;
	int ret;

	if (!v || n < v->min || (v->max >= 0 && n > v->max))
		return usage_err(vxlan_usage);
	if (v->opts) {
		/* room for every word as a --remote or --rr */
		remotes = calloc(argc, sizeof(*remotes));
		if (!remotes) {
			msg_err(ENOMEM, NULL, "cannot read the options");
			return EXIT_FAIL;
		}
		net[0] = v->opts(argc, argv, &o, remotes);
		if (!net[0]) {
			free(remotes);
			return usage_err(vxlan_usage);
		}
		arg = net;
	}
	ret = applet_open(&s, v->mutate);
	if (!ret)
		ret = applet_close(&s, v->fn(&s, arg, &o) != 0);
	free(remotes);
	return ret;
}
