// Build, run: clang -g -O1 -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_template.c core/template.c core/tmpl_*.c core/json.c -o /tmp/fz && /tmp/fz -max_total_time=60
// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for core/template: the input is a --format template,
 * executed over a fixed network document that holds every JSON type, a
 * struct, a map and text that needs escaping. Besides what the sanitizers
 * catch, it checks the contract: 0 or a negative errno, and on failure a
 * one-line message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/template.h"

static struct jv *endpoint(const char *name)
{
	struct jv *e = jv_object();

	jv_set(e, "Name", jv_str(name));
	jv_set(e, "EndpointID", jv_str("caddb98df759647a025b8c951eb95c26"));
	jv_set(e, "IPv4Address", jv_str("172.22.0.2/16"));
	jv_set(e, "IPv6Address", jv_str(""));
	return e;
}

static struct jv *document(void)
{
	struct jv *n = jv_object(), *ipam = jv_object(), *cfg = jv_array();
	struct jv *c = jv_object(), *ctr = jv_map(), *opt = jv_map(), *misc = jv_array();

	jv_set(n, "Name", jv_str("rsnet"));
	jv_set(n, "Id", jv_str("9f5582408190c31682e2d6c441009b61"));
	jv_set(n, "EnableIPv6", jv_bool(true));
	jv_set(n, "Internal", jv_bool(false));
	jv_set(ipam, "Driver", jv_str("default"));
	jv_set(ipam, "Options", jv_null());
	jv_set(c, "Subnet", jv_str("172.22.0.0/16"));
	jv_set(c, "Gateway", jv_str("172.22.0.1"));
	jv_push(cfg, c);
	jv_push(cfg, jv_object());
	jv_set(ipam, "Config", cfg);
	jv_set(n, "IPAM", ipam);
	jv_set(ctr, "6fa7a0f17cf9", endpoint("c4"));
	jv_set(ctr, "0123abcd", endpoint("<c&5>"));
	jv_set(n, "Containers", ctr);
	jv_set(opt, "com.docker.network.bridge.name", jv_str("br-9f5582408190"));
	jv_set(opt, "mtu", jv_str("1500"));
	jv_set(n, "Options", opt);
	jv_set(n, "Labels", jv_map());
	jv_push(misc, jv_int(-7));
	jv_push(misc, jv_int(9223372036854775807LL));
	jv_push(misc, jv_null());
	jv_push(misc, jv_strn("a\0\n\"\xe2\x80\xa8\xff", 8));
	jv_push(misc, jv_array());
	jv_set(n, "Misc", misc);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jv *root = document();
	char *tmpl = malloc(size + 1), err[160], *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int ret;

	if (!tmpl || !f || !root)
		abort();
	memcpy(tmpl, data, size);
	tmpl[size] = '\0';
	ret = tmpl_exec(f, tmpl, root, err, sizeof(err));
	fclose(f);
	if (ret > 0 || (ret && (!err[0] || strchr(err, '\n'))) || (ret && len))
		abort();
	free(out);
	free(tmpl);
	jv_free(root);
	return 0;
}
