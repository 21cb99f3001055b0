// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netinspect - `docker network inspect [-f FORMAT] NETWORK...`: Docker's JSON,
 * indented as the docker CLI prints it, or a Go template per network.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/inspect.h"
#include "core/ops/lookup.h"
#include "lib/template.h"

const char netinspect_usage[] =
	"Usage: netinspect [-f|--format json|TEMPLATE] NETWORK...\n"
	"\n"
	"Show networks as `docker network inspect` does: a JSON array (indented;\n"
	"compact with -f json), or a Go template per network (e.g.\n"
	"-f '{{json .Containers}}', -f '{{.Id}}', -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}').\n"
	"\n"
	"Exit status: 0 all found, 1 some not found or failed, 2 bad usage.\n";

int netinspect_main(int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, { 0 } };
	const char *format = NULL;
	struct jv *all;
	struct session s;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_err(netinspect_usage);
		format = optarg;
	}
	if (optind >= argc)
		return usage_err(netinspect_usage);
	if (applet_open(&s, false))
		return EXIT_FAIL;
	all = jv_array();
	for (int i = optind; i < argc; i++) {
		struct network n;

		if (net_find(&s, argv[i], &n)) {
			msg("%s", s.err);
			ret = EXIT_FAIL;
			continue;
		}
		jv_push(all, net_inspect_json(&s, &n));
		net_free(&n);
	}
	session_close(&s);
	/* no format: Docker's indented array; "json": its compact array (the
	 * JSON inspector of docker/cli), so `jq '.[0]'` works on both */
	if (!format || !strcmp(format, "json")) {
		jv_write_ex(stdout, all, format ? 0 : 4, JV_NOHTML);
		putchar('\n');
		format = NULL;
	}
	for (size_t i = 0; format && i < jv_len(all); i++) {
		char err[256];

		if (tmpl_exec(stdout, format, jv_at(all, i), err, sizeof(err))) {
			msg("%s", err);
			ret = EXIT_FAIL;
			break;
		}
		putchar('\n');
	}
	jv_free(all);
	return ret;
}
