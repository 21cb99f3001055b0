// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netls - `docker network ls`: a table (columns as Go's tabwriter lays them
 * out for the docker CLI), -q, --filter, --format json|TEMPLATE, --no-trunc.
 * Filters of one key are OR'ed, of different keys AND'ed, as in Docker.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/err.h"
#include "core/ops/inspect.h"
#include "core/ops/lookup.h"
#include "lib/template.h"

const char netls_usage[] =
	"Usage: netls [-q] [--no-trunc] [--format table|json|TEMPLATE] [-f|--filter KEY=VALUE]...\n"
	"\n"
	"List networks as `docker network ls`. Filters: name=PART, id=PART, driver=NAME,\n"
	"label=KEY or label=KEY=VALUE, type=custom|builtin, scope=local.\n"
	"\n"
	"Exit status: 0 listed, 1 failed, 2 bad usage.\n";

static bool has_label(const struct network *n, const char *want)
{
	const char *eq = strchr(want, '=');
	size_t klen = eq ? (size_t)(eq - want) : strlen(want);

	for (size_t i = 0; i < n->labels.n; i++)
		if (strlen(n->labels.key[i]) == klen && !strncmp(n->labels.key[i], want, klen) &&
		    (!eq || !strcmp(n->labels.val[i], eq + 1)))
			return true;
	return false;
}

/* one KEY=VALUE filter; -1 for an unknown key */
static int filter_one(const struct network *n, const char *f)
{
	const char *v = strchr(f, '=') + 1;
	size_t klen = v - f - 1;

	if (!strncmp(f, "name", klen) && klen == 4)
		return strstr(n->name, v) != NULL;
	if (!strncmp(f, "id", klen) && klen == 2)
		return strstr(n->id, v) != NULL;
	if (!strncmp(f, "driver", klen) && klen == 6)
		return !strcmp(n->driver, v);
	if (!strncmp(f, "label", klen) && klen == 5)
		return has_label(n, v);
	if (!strncmp(f, "type", klen) && klen == 4)
		return !strcmp(v, n->predefined ? "builtin" : "custom");
	if (!strncmp(f, "scope", klen) && klen == 5)
		return !strcmp(v, "local");
	return -1;
}

/* the AND over keys of the OR over each key's values */
static bool wanted(const struct network *n, char **filters, int nf)
{
	for (int i = 0; i < nf; i++) {
		size_t klen = strchr(filters[i], '=') - filters[i];
		bool any = false;

		for (int j = 0; j < nf; j++)
			if (!strncmp(filters[j], filters[i], klen + 1) && filter_one(n, filters[j]) == 1)
				any = true;
		if (!any)
			return false;
	}
	return true;
}

/* Go's tabwriter as docker uses it: cells padded to max(widest + 3, 10) */
static void table(struct network *v, size_t n, bool trunc)
{
	size_t w[3] = { 10, 4, 6 };

	for (size_t i = 0; i < n; i++) {
		size_t lens[3] = { trunc ? 12 : ID_LEN, strlen(v[i].name), strlen(v[i].driver) };

		for (int c = 0; c < 3; c++)
			if (lens[c] > w[c])
				w[c] = lens[c];
	}
	for (int c = 0; c < 3; c++)
		w[c] = w[c] + 3 < 10 ? 10 : w[c] + 3;
	printf("%-*s%-*s%-*sSCOPE\n", (int)w[0], "NETWORK ID", (int)w[1], "NAME", (int)w[2], "DRIVER");
	for (size_t i = 0; i < n; i++)
		printf("%-*.*s%-*s%-*slocal\n", (int)w[0], trunc ? 12 : ID_LEN, v[i].id, (int)w[1],
		       v[i].name, (int)w[2], v[i].driver);
}

int netls_main(int argc, char **argv)
{
	enum { O_NOTRUNC = 256 };
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },      { "filter", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' }, { "no-trunc", no_argument, NULL, O_NOTRUNC },
		{ 0 }
	};
	char **filters = calloc(argc, sizeof(char *));
	const char *format = NULL;
	bool quiet = false, trunc = true;
	struct network *v = NULL;
	size_t n = 0, kept = 0;
	struct session s;
	int c, nf = 0, ret = EXIT_FAIL;

	if (!filters)
		return EXIT_FAIL;
	while ((c = getopt_long(argc, argv, "qf:", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'F': format = optarg; break;
		case O_NOTRUNC: trunc = false; break;
		case 'f':
			if (!strchr(optarg, '=')) {
				msg("bad format of filter (expected name=value): %s", optarg);
				goto out;
			}
			filters[nf++] = optarg;
			break;
		default:
			ret = usage_err(netls_usage);
			goto out;
		}
	}
	if (optind != argc) {
		ret = usage_err(netls_usage);
		goto out;
	}
	for (int i = 0; i < nf; i++) {
		struct network probe = { 0 };

		if (filter_one(&probe, filters[i]) < 0) {
			*strchr(filters[i], '=') = 0;
			msg("invalid filter '%s'", filters[i]);
			goto out;
		}
	}
	if (applet_open(&s, false))
		goto out;
	if (applet_close(&s, net_list(&s, &v, &n)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (wanted(&v[i], filters, nf))
			v[kept++] = v[i];
		else
			net_free(&v[i]);
	ret = 0;
	if (quiet) {
		for (size_t i = 0; i < kept; i++)
			printf("%.*s\n", trunc ? 12 : ID_LEN, v[i].id);
	} else if (!format || !strcmp(format, "table")) {
		table(v, kept, trunc);
	} else {
		for (size_t i = 0; i < kept && !ret; i++) {
			struct jv *row = net_ls_json(&v[i], trunc);
			char err[256];

			/* docker's ls json goes through json.Marshal: HTML-escaped */
			if (!strcmp(format, "json")) {
				jv_write(stdout, row, 0);
				putchar('\n');
			} else if (tmpl_exec(stdout, format, row, err, sizeof(err))) {
				msg("%s", err);
				ret = EXIT_FAIL;
			} else {
				putchar('\n');
			}
			jv_free(row);
		}
	}
	net_list_free(v, kept);
out:
	free(filters);
	return ret;
}
