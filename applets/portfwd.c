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

/* what the options said, for the verbs that take them */
struct opts {
	const char *net; /* -n: the network to publish on */
	bool dry;	 /* --dry-run: print the rules, change nothing */
};

static int do_add(struct session *s, char **arg, int n, const struct opts *o)
{
	return publish_add(s, arg[0], o->net, arg + 1, n - 1, o->dry ? stdout : NULL);
}

static int do_del(struct session *s, char **arg, int n, const struct opts *o)
{
	return publish_del(s, arg[0], arg + 1, n - 1, o->dry ? stdout : NULL);
}

static int do_ls(struct session *s, char **arg, int n, const struct opts *o)
{
	const char *ctr = n ? arg[0] : NULL;
	struct port_listing *v;
	size_t nv;

	if (publish_list(s, ctr, &v, &nv))
		return -1;
	/* one line per port, as `docker port`; the container first when listing all */
	for (size_t i = 0; i < nv; i++)
		for (unsigned k = 0; k <= (unsigned)(v[i].ctr_hi - v[i].ctr_lo); k++)
			printf("%s%s%u/%s -> %s:%u\n", ctr ? "" : v[i].container, ctr ? "" : " ",
			       v[i].ctr_lo + k, v[i].proto, v[i].host_ip, v[i].host_lo + k);
	free(v);
	return 0;
}

static const struct verb {
	const char *name;
	int min, max; /* how many words after the options; -1: no limit */
	int (*fn)(struct session *s, char **arg, int n, const struct opts *o);
	bool mutate; /* changes the state: the session locks and repairs first */
	bool net;    /* takes -n */
} verbs[] = {
	{ "add", 2, -1, do_add, true, true },
	{ "del", 1, -1, do_del, true, false },
	{ "ls", 0, 1, do_ls, false, false },
};

int portfwd_main(int argc, char **argv)
{
	enum { O_DRY = 256 };
	static const struct option longopts[] = { { "network", required_argument, NULL, 'n' },
						  { "dry-run", no_argument, NULL, O_DRY },
						  { 0 } };
	const struct verb *v = NULL;
	struct opts o = { 0 };
	struct session s;
	int c, n;

	for (size_t i = 0; argc > 1 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			v = &verbs[i];
	/* an unknown verb is refused after its options are read, so that
	 * getopt's own complaints about them come first */
	optind = 2;
	while ((c = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		if (c == 'n' && v && v->net)
			o.net = optarg;
		else if (c == O_DRY && (!v || v->mutate)) /* nothing to dry-run in ls */
			o.dry = true;
		else
			return usage_err(portfwd_usage);
	}
	n = argc - optind;
	if (!v || n < v->min || (v->max >= 0 && n > v->max))
		return usage_err(portfwd_usage);
	if (applet_open(&s, v->mutate))
		return EXIT_FAIL;
	return applet_close(&s, v->fn(&s, argv + optind, n, &o) != 0);
}
