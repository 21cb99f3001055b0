// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boxnet: the multicall entry point. The applet is basename(argv[0]), or argv[1]
 * when called as "boxnet". BusyBox conventions: an unknown applet exits 127,
 * "APPLET --help" prints the usage on stdout and exits 0.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "version.h"
#include "applets/err.h"

#define APPLET(name, sym, summary) \
	int name##_main(int argc, char **argv); \
	extern const char name##_usage[];
#define FRONTEND(name, sym, summary) int name##_main(int argc, char **argv);
#include "applets/applets.def"
#undef APPLET
#undef FRONTEND
#define FRONTEND(name, sym, summary)

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage, *summary;
};

static const struct applet applets[] = {
#define APPLET(name, sym, summary) IF_##sym({ #name, name##_main, name##_usage, summary }, )
#include "applets/applets.def"
#undef APPLET
};
#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

static char obuf[4096 + 8]; /* stdout's buffer; musl keeps 8 bytes for ungetc */

static const struct applet *find(const char *name)
{
	for (size_t i = 0; i < NAPPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

static int help(FILE *f)
{
	fprintf(f, "boxnet %s: container networking without a daemon\n\n"
		   "Usage: boxnet APPLET [ARGS]...   or   APPLET [ARGS]... (through a link)\n"
		   "       boxnet --list | --install DIR | --version | APPLET --help\n\n"
		   "Applets:\n", BOXNET_VERSION);
	for (size_t i = 0; i < NAPPLETS; i++)
		fprintf(f, "  %-14s%s\n", applets[i].name, applets[i].summary);
	return 0;
}

/* one symlink per applet in @dir, pointing at this very binary */
static int install(const char *dir)
{
	char self[PATH_MAX], path[PATH_MAX], old[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ret = 0;

	if (n < 0) {
		msg_err(errno, NULL, "cannot find my own path");
		return EXIT_FAIL;
	}
	self[n] = 0;
	for (size_t i = 0; i < NAPPLETS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, applets[i].name);
		n = readlink(path, old, sizeof(old) - 1);
		if (n >= 0 && (old[n] = 0, !strcmp(old, self)))
			continue;
		if (n >= 0)
			unlink(path); /* a symlink to something else: ours now */
		if (symlink(self, path) < 0) {
			msg_err(errno, NULL, "cannot create %s", path);
			ret = EXIT_FAIL;
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	const struct applet *a;

	name = name ? name + 1 : argv[0];
#if ENABLE_CNI
	/* a CNI runtime runs the plugin named after its "type" with no argument */
	if (!strcmp(name, "boxnet") && argc < 2 && getenv("CNI_COMMAND")) {
		applet_name = "boxnet";
		return cni_main(argc, argv);
	}
#endif
	if (!strcmp(name, "boxnet")) {
		if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			return help(stdout);
		if (!strcmp(argv[1], "--list")) {
			for (size_t i = 0; i < NAPPLETS; i++)
				puts(applets[i].name);
			return 0;
		}
		if (!strcmp(argv[1], "--version")) {
			printf("boxnet %s\n", BOXNET_VERSION);
			return 0;
		}
		if (!strcmp(argv[1], "--install")) {
			if (argc != 3) {
				fputs("Usage: boxnet --install DIR\n", stderr);
				return EXIT_USAGE;
			}
			return install(argv[2]);
		}
		argv++, argc--;
		name = argv[0];
	}
	a = find(name);
	if (!a) {
		fprintf(stderr, "boxnet: applet not found: %s\n", name);
		return EXIT_NOAPPLET;
	}
	applet_name = a->name;
	/* musl flushes stdout's first line even into a file; glibc-built originals
	 * buffer it all, and scripts see stderr and stdout interleaved as they do */
	if (!isatty(1))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	/* an empty usage is made at run time by the applet, which answers
	 * --help itself (brctl: from its command table, as bridge-utils does) */
	if (argc > 1 && a->usage[0] && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(a->usage, stdout);
		return 0;
	}
	return a->main(argc, argv);
}
