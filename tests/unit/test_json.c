// SPDX-License-Identifier: GPL-2.0-or-later
/* core/json: the tree, and Go's encoding/json output byte for byte. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"

/* RULESETS.md §2.7: docker network inspect rsnet (20.10), byte for byte */
static const char golden[] =
	"[\n"
	"    {\n"
	"        \"Name\": \"rsnet\",\n"
	"        \"Id\": \"9f5582408190c31682e2d6c441009b6197420edf93d71a8d4c24c1303fd6c955\",\n"
	"        \"Created\": \"2026-11-22T21:01:27.917902521Z\",\n"
	"        \"Scope\": \"local\",\n"
	"        \"Driver\": \"bridge\",\n"
	"        \"EnableIPv6\": false,\n"
	"        \"IPAM\": {\n"
	"            \"Driver\": \"default\",\n"
	"            \"Options\": {},\n"
	"            \"Config\": [\n"
	"                {\n"
	"                    \"Subnet\": \"172.22.0.0/16\",\n"
	"                    \"Gateway\": \"172.22.0.1\"\n"
	"                }\n"
	"            ]\n"
	"        },\n"
	"        \"Internal\": false,\n"
	"        \"Attachable\": false,\n"
	"        \"Ingress\": false,\n"
	"        \"ConfigFrom\": {\n"
	"            \"Network\": \"\"\n"
	"        },\n"
	"        \"ConfigOnly\": false,\n"
	"        \"Containers\": {\n"
	"            \"6fa7a0f17cf91db32c0188df5d315da6de44fb7ad56f6018b3b3789bf96c64b0\": {\n"
	"                \"Name\": \"c4\",\n"
	"                \"EndpointID\": \"caddb98df759647a025b8c951eb95c2660a1a1a5b8ef138b1e88d289de418605\",\n"
	"                \"MacAddress\": \"02:42:ac:16:00:02\",\n"
	"                \"IPv4Address\": \"172.22.0.2/16\",\n"
	"                \"IPv6Address\": \"\"\n"
	"            }\n"
	"        },\n"
	"        \"Options\": {},\n"
	"        \"Labels\": {}\n"
	"    }\n"
	"]";

/* the same, as `jq -c .` prints it (json.Marshal's compact form) */
static const char golden_compact[] =
	"[{\"Name\":\"rsnet\",\"Id\":\"9f5582408190c31682e2d6c441009b6197420edf93d71a8d4c24c1303fd6c955\","
	"\"Created\":\"2026-11-22T21:01:27.917902521Z\",\"Scope\":\"local\",\"Driver\":\"bridge\","
	"\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":"
	"[{\"Subnet\":\"172.22.0.0/16\",\"Gateway\":\"172.22.0.1\"}]},\"Internal\":false,"
	"\"Attachable\":false,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,"
	"\"Containers\":{\"6fa7a0f17cf91db32c0188df5d315da6de44fb7ad56f6018b3b3789bf96c64b0\":"
	"{\"Name\":\"c4\",\"EndpointID\":\"caddb98df759647a025b8c951eb95c2660a1a1a5b8ef138b1e88d289de418605\","
	"\"MacAddress\":\"02:42:ac:16:00:02\",\"IPv4Address\":\"172.22.0.2/16\",\"IPv6Address\":\"\"}},"
	"\"Options\":{},\"Labels\":{}}]";

static struct jv *endpoint(void)
{
	struct jv *e = jv_object();

	jv_set(e, "Name", jv_str("c4"));
	jv_set(e, "EndpointID",
	       jv_str("caddb98df759647a025b8c951eb95c2660a1a1a5b8ef138b1e88d289de418605"));
	jv_set(e, "MacAddress", jv_str("02:42:ac:16:00:02"));
	jv_set(e, "IPv4Address", jv_str("172.22.0.2/16"));
	jv_set(e, "IPv6Address", jv_str(""));
	return e;
}

/* as netinspect builds it: Go structs as objects, Go maps as maps */
static struct jv *network(void)
{
	struct jv *n = jv_object(), *ipam = jv_object(), *cfg = jv_array();
	struct jv *c = jv_object(), *ctr = jv_map(), *from = jv_object();

	jv_set(n, "Name", jv_str("rsnet"));
	jv_set(n, "Id", jv_str("9f5582408190c31682e2d6c441009b6197420edf93d71a8d4c24c1303fd6c955"));
	jv_set(n, "Created", jv_str("2026-11-22T21:01:27.917902521Z"));
	jv_set(n, "Scope", jv_str("local"));
	jv_set(n, "Driver", jv_str("bridge"));
	jv_set(n, "EnableIPv6", jv_bool(false));
	jv_set(ipam, "Driver", jv_str("default"));
	jv_set(ipam, "Options", jv_map());
	jv_set(c, "Subnet", jv_str("172.22.0.0/16"));
	jv_set(c, "Gateway", jv_str("172.22.0.1"));
	jv_push(cfg, c);
	jv_set(ipam, "Config", cfg);
	jv_set(n, "IPAM", ipam);
	jv_set(n, "Internal", jv_bool(false));
	jv_set(n, "Attachable", jv_bool(false));
	jv_set(n, "Ingress", jv_bool(false));
	jv_set(from, "Network", jv_str(""));
	jv_set(n, "ConfigFrom", from);
	jv_set(n, "ConfigOnly", jv_bool(false));
	jv_set(ctr, "6fa7a0f17cf91db32c0188df5d315da6de44fb7ad56f6018b3b3789bf96c64b0", endpoint());
	jv_set(n, "Containers", ctr);
	jv_set(n, "Options", jv_map());
	jv_set(n, "Labels", jv_map());
	return n;
}

/* jv_write() of @v through a memory stream; the text, to free() */
static char *written(const struct jv *v, int indent, unsigned int flags, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*ret = flags ? jv_write_ex(f, v, indent, flags) : jv_write(f, v, indent);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect(const struct jv *v, int indent, unsigned int flags, const char *want)
{
	int ret;
	char *got = written(v, indent, flags, &ret);

	assert_int_equal(ret, 0);
	assert_string_equal(got, want);
	free(got);
}

static void inspect_golden(void **state)
{
	struct jv *a = jv_array();

	jv_push(a, network());
	expect(a, 4, 0, golden);
	expect(a, 0, 0, golden_compact);
	jv_free(a);
}

static void inspect_empty_list(void **state)
{
	struct jv *a = jv_array();

	expect(a, 4, 0, "[]"); /* docker network inspect nosuchnet prints [] */
	expect(a, 0, 0, "[]");
	jv_free(a);
}

static void scalars(void **state)
{
	struct jv *v[] = { jv_null(), jv_bool(true), jv_bool(false), jv_int(0),
			   jv_int(-1), jv_int(LLONG_MAX), jv_int(LLONG_MIN), jv_str("") };
	const char *want[] = { "null", "true", "false", "0", "-1", "9223372036854775807",
			       "-9223372036854775808", "\"\"" };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		expect(v[i], 0, 0, want[i]);
		expect(v[i], 4, 0, want[i]);
		jv_free(v[i]);
	}
}

static void str_escaped(const char *in, size_t n, unsigned int flags, const char *want)
{
	struct jv *v = jv_strn(in, n);

	expect(v, 0, flags, want);
	jv_free(v);
}

#define ESC(in, want) str_escaped(in, sizeof(in) - 1, 0, want)

static void escapes_go(void **state)
{
	ESC("a\"b\\c", "\"a\\\"b\\\\c\"");
	ESC("\n\r\t", "\"\\n\\r\\t\"");
	ESC("\b\f", "\"\\u0008\\u000c\""); /* Go before 1.22 */
	ESC("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""); /* DEL goes out as is */
	ESC("a\0b", "\"a\\u0000b\"");
	ESC("<a href=\"x&y\">", "\"\\u003ca href=\\\"x\\u0026y\\\"\\u003e\"");
	ESC("/'", "\"/'\"");
	ESC("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"");
	ESC("\xe2\x80\xa7", "\"\xe2\x80\xa7\""); /* U+2027 is left alone */
	ESC("h\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", "\"h\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\"");
	ESC("\xef\xbf\xbd", "\"\xef\xbf\xbd\""); /* a real U+FFFD stays raw */
}

static void escapes_invalid_utf8(void **state)
{
	ESC("\x80", "\"\\ufffd\"");
	ESC("a\xff" "b", "\"a\\ufffdb\"");
	ESC("\xc0\xaf", "\"\\ufffd\\ufffd\""); /* overlong '/' */
	ESC("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
	ESC("\xe2\x82" "a", "\"\\ufffd\\ufffda\""); /* truncated, byte by byte */
	ESC("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* past U+10FFFF */
	ESC("\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\"");
	ESC("\xc2", "\"\\ufffd\"");
}

static void escapes_flags(void **state)
{
	str_escaped("<&>", 3, JV_NOHTML, "\"<&>\"");
	str_escaped("\b\f\n", 3, JV_GO122, "\"\\b\\f\\n\"");
	str_escaped("\xe2\x80\xa8<", 4, JV_NOHTML | JV_GO122, "\"\\u2028<\"");
}

static void containers(void **state)
{
	struct jv *o = jv_object(), *a = jv_array(), *inner = jv_array();

	jv_push(inner, jv_int(1));
	jv_push(inner, jv_object());
	jv_push(a, inner);
	jv_push(a, jv_array());
	jv_set(o, "a", a);
	jv_set(o, "e", jv_object());
	jv_set(o, "n", jv_null());
	expect(o, 0, 0, "{\"a\":[[1,{}],[]],\"e\":{},\"n\":null}");
	expect(o, 2, 0,
	       "{\n  \"a\": [\n    [\n      1,\n      {}\n    ],\n    []\n  ],\n"
	       "  \"e\": {},\n  \"n\": null\n}");
	jv_free(o);
}

static void key_order(void **state)
{
	struct jv *o = jv_object(), *m = jv_map();
	const char *keys[] = { "b", "a", "\xc3\xa9", "B", "a1", "" };
	size_t i;

	for (i = 0; i < 6; i++) {
		jv_set(o, keys[i], jv_int((long long)i));
		jv_set(m, keys[i], jv_int((long long)i));
	}
	/* a struct keeps its order; a map is sorted bytewise, as Go sorts */
	expect(o, 0, 0, "{\"b\":0,\"a\":1,\"\xc3\xa9\":2,\"B\":3,\"a1\":4,\"\":5}");
	expect(m, 0, 0, "{\"\":5,\"B\":3,\"a\":1,\"a1\":4,\"b\":0,\"\xc3\xa9\":2}");
	/* replacing keeps the place */
	jv_set(o, "a", jv_str("x"));
	jv_set(m, "a", jv_str("x"));
	expect(o, 0, 0, "{\"b\":0,\"a\":\"x\",\"\xc3\xa9\":2,\"B\":3,\"a1\":4,\"\":5}");
	expect(m, 0, 0, "{\"\":5,\"B\":3,\"a\":\"x\",\"a1\":4,\"b\":0,\"\xc3\xa9\":2}");
	/* keys are escaped like strings */
	jv_set(m, "<\n>", jv_null());
	expect(m, 0, 0, "{\"\":5,\"\\u003c\\n\\u003e\":null,\"B\":3,\"a\":\"x\",\"a1\":4,"
			"\"b\":0,\"\xc3\xa9\":2}");
	jv_free(o);
	jv_free(m);
}

static void accessors(void **state)
{
	struct jv *n = network(), *cfg;

	assert_int_equal(jv_type(n), JV_OBJECT);
	assert_false(jv_is_map(n));
	assert_true(jv_is_map(jv_get(n, "Containers")));
	assert_int_equal(jv_len(n), 15);
	assert_string_equal(jv_key(n, 0), "Name");
	assert_string_equal(jv_strval(jv_at(n, 0)), "rsnet");
	assert_int_equal(jv_len(jv_at(n, 0)), 5);
	assert_null(jv_get(n, "Nope"));
	assert_null(jv_key(n, 15));
	assert_null(jv_at(n, 15));
	cfg = jv_get(jv_get(n, "IPAM"), "Config");
	assert_int_equal(jv_type(cfg), JV_ARRAY);
	assert_int_equal(jv_len(cfg), 1);
	assert_string_equal(jv_strval(jv_get(jv_at(cfg, 0), "Gateway")), "172.22.0.1");
	assert_null(jv_at(cfg, 1));
	assert_false(jv_boolval(jv_get(n, "Internal")));
	assert_null(jv_strval(jv_get(n, "Internal")));
	assert_int_equal(jv_intval(jv_get(n, "Name")), 0);
	/* NULL and wrong types are harmless */
	assert_int_equal(jv_type(NULL), JV_NULL);
	assert_int_equal(jv_len(NULL), 0);
	assert_null(jv_get(NULL, "x"));
	assert_null(jv_get(cfg, "x"));
	assert_null(jv_at(NULL, 0));
	assert_null(jv_key(cfg, 0));
	assert_false(jv_is_map(NULL));
	jv_free(NULL);
	jv_free(n);
}

static void strings_with_nul(void **state)
{
	struct jv *v = jv_strn("a\0b", 3);

	assert_int_equal(jv_len(v), 3);
	assert_memory_equal(jv_strval(v), "a\0b", 4);
	jv_free(v);
	errno = 0;
	assert_null(jv_str(NULL));
	assert_int_equal(errno, EINVAL);
	v = jv_strn(NULL, 0);
	expect(v, 0, 0, "\"\"");
	jv_free(v);
}

static void lost_values(void **state)
{
	struct jv *o = jv_object(), *a = jv_array(), *m = jv_map();
	char *out;
	int ret;

	/* a failed constructor (NULL) is recorded, not a crash */
	jv_push(a, jv_int(1));
	jv_push(a, NULL);
	jv_set(m, "k", NULL);
	jv_set(o, "a", a);
	out = written(o, 0, 0, &ret);
	assert_int_equal(ret, -ENOMEM);
	assert_string_equal(out, ""); /* and nothing is written */
	free(out);
	out = written(m, 4, 0, &ret);
	assert_int_equal(ret, -ENOMEM);
	free(out);
	out = written(NULL, 0, 0, &ret);
	assert_int_equal(ret, -ENOMEM);
	free(out);
	assert_int_equal(jv_dump(o, 0, 0, &out, NULL), -ENOMEM);
	/* pushing to nothing, or to a non-container, frees the value */
	jv_push(NULL, jv_str("leak?"));
	jv_set(NULL, "k", jv_str("leak?"));
	jv_push(m, jv_str("leak?"));
	jv_set(a, "k", jv_str("leak?"));
	jv_set(m, NULL, jv_str("leak?"));
	jv_free(o);
	jv_free(m);
}

static void references(void **state)
{
	struct jv *a = jv_array(), *s = jv_str("shared");

	jv_push(a, jv_ref(s));
	jv_free(a); /* s survives: we still hold it */
	expect(s, 0, 0, "\"shared\"");
	assert_ptr_equal(jv_ref(NULL), NULL);
	jv_free(s);
}

static void write_errors(void **state)
{
	struct jv *v = jv_str("x");
	FILE *ro = fopen("/dev/null", "r");
	char *out;
	size_t len;
	int ret;

	out = written(v, -1, 0, &ret);
	assert_int_equal(ret, -EINVAL);
	free(out);
	assert_non_null(ro);
	setvbuf(ro, NULL, _IONBF, 0);
	assert_true(jv_write(ro, v, 0) < 0);
	fclose(ro);
	assert_int_equal(jv_write_ex(NULL, v, 0, 0), -EINVAL);
	assert_int_equal(jv_dump(v, 0, 0, &out, &len), 0);
	assert_int_equal(len, 3);
	assert_string_equal(out, "\"x\"");
	free(out);
	jv_free(v);
}

static void utf8_decoder(void **state)
{
	unsigned int r = 0;

	assert_int_equal(jv_utf8("a", 1, &r), 1);
	assert_int_equal(r, 'a');
	assert_int_equal(jv_utf8("\xc3\xa9", 2, &r), 2);
	assert_int_equal(r, 0xe9);
	assert_int_equal(jv_utf8("\xf4\x8f\xbf\xbf", 4, &r), 4);
	assert_int_equal(r, 0x10ffff);
	assert_int_equal(jv_utf8("\xc3\xa9", 1, &r), 0); /* cut short */
	assert_int_equal(jv_utf8("\xe0\x9f\xbf", 3, &r), 0); /* overlong */
	assert_int_equal(jv_utf8("\xef\xbf\xbf", 3, NULL), 3);
	assert_int_equal(jv_utf8("", 0, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inspect_golden),
		cmocka_unit_test(inspect_empty_list),
		cmocka_unit_test(scalars),
		cmocka_unit_test(escapes_go),
		cmocka_unit_test(escapes_invalid_utf8),
		cmocka_unit_test(escapes_flags),
		cmocka_unit_test(containers),
		cmocka_unit_test(key_order),
		cmocka_unit_test(accessors),
		cmocka_unit_test(strings_with_nul),
		cmocka_unit_test(lost_values),
		cmocka_unit_test(references),
		cmocka_unit_test(write_errors),
		cmocka_unit_test(utf8_decoder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
