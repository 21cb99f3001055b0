// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/json_read.c: strict parsing into the tree, and the typed accessor. */
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

static struct jv *parse_ok(const char *text)
{
	char err[128];
	struct jv *v;
	int ret = jv_parse(text, strlen(text), &v, err, sizeof(err));

	if (ret)
		print_error("parse of %s: %d %s\n", text, ret, err);
	assert_int_equal(ret, 0);
	assert_non_null(v);
	return v;
}

/* parse @in and print it compact: the round trip must give @want */
static void round_trip(const char *in, const char *want)
{
	struct jv *v = parse_ok(in);
	char *out;
	size_t n;

	assert_int_equal(jv_dump(v, 0, JV_NOHTML, &out, &n), 0);
	assert_string_equal(out, want);
	free(out);
	jv_free(v);
}

static void documents(void **state)
{
	round_trip("{}", "{}");
	round_trip(" [ ] ", "[]");
	round_trip("\t\r\n{\"a\" : [1, -2, 0, true, false, null, \"x\"], \"b\": {\"c\": {}}}\n",
		   "{\"a\":[1,-2,0,true,false,null,\"x\"],\"b\":{\"c\":{}}}");
	/* member order is the text's, not sorted */
	round_trip("{\"z\":1,\"a\":2,\"m\":3}", "{\"z\":1,\"a\":2,\"m\":3}");
	/* a repeated key: first place, last value */
	round_trip("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
	round_trip("9223372036854775807", "9223372036854775807");
	round_trip("-9223372036854775808", "-9223372036854775808");
	round_trip("\"\"", "\"\"");
}

static void strings(void **state)
{
	struct jv *v;

	round_trip("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"a\\\"b\\\\c/d\\u0008\\u000c\\n\\r\\t\"");
	v = parse_ok("\"\\u00e9\\u20ac\\ud83d\\ude00\"");
	assert_string_equal(jv_strval(v), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	jv_free(v);
	v = parse_ok("\"caf\xc3\xa9\"");
	assert_string_equal(jv_strval(v), "caf\xc3\xa9");
	jv_free(v);
	/* a NUL in a value is kept with its length */
	v = parse_ok("\"a\\u0000b\"");
	assert_int_equal(jv_len(v), 3);
	assert_memory_equal(jv_strval(v), "a\0b", 3);
	jv_free(v);
}

/* every one of these is refused with -EINVAL and an offset in the message */
static void refused(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "[", "[1,", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{a:1}",
		"{\"a\":1", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\ud800\"",
		"\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"a\tb\"", "\"\xff\"",
		"\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "01", "-", "--1", "+1", "1.5", "1e3", "1E3",
		"tru", "nul", "True", "{} x", "[] []", "1 2", "{\"a\\u0000\":1}", "'a'", "[1 2]",
		"\xef\xbb\xbf{}", "nan", "[-]", "{\"a\":1 \"b\":2}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char err[128] = "x";
		struct jv *v = (struct jv *)1;
		int ret = jv_parse(bad[i], strlen(bad[i]), &v, err, sizeof(err));

		if (ret != -EINVAL)
			print_error("'%s' gave %d\n", bad[i], ret);
		assert_int_equal(ret, -EINVAL);
		assert_null(v);
		assert_non_null(strstr(err, "at offset"));
	}
}

static void limits(void **state)
{
	char buf[JV_PARSE_DEPTH * 2 + 8], err[64];
	struct jv *v;
	size_t n = 0;

	assert_int_equal(jv_parse("9223372036854775808", 19, &v, err, sizeof(err)), -ERANGE);
	assert_int_equal(jv_parse("-9223372036854775809", 20, &v, err, sizeof(err)), -ERANGE);
	assert_int_equal(jv_parse("99999999999999999999999", 23, &v, NULL, 0), -ERANGE);
	/* exactly the depth limit parses, one more does not */
	for (int i = 0; i < JV_PARSE_DEPTH; i++)
		buf[n++] = '[';
	for (int i = 0; i < JV_PARSE_DEPTH; i++)
		buf[n++] = ']';
	assert_int_equal(jv_parse(buf, n, &v, NULL, 0), 0);
	jv_free(v);
	memmove(buf + 1, buf, n);
	buf[0] = '[', buf[n + 1] = ']';
	assert_int_equal(jv_parse(buf, n + 2, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nested too deeply"));
	/* the size limit holds whatever the text */
	assert_int_equal(jv_parse("{}", (size_t)JV_PARSE_MAX + 1, &v, err, sizeof(err)), -E2BIG);
	/* a length shorter than the string: what is past it is not read */
	assert_int_equal(jv_parse("[1]garbage", 3, &v, NULL, 0), 0);
	jv_free(v);
	assert_int_equal(jv_parse("[1]", 2, &v, NULL, 0), -EINVAL);
}

static void member(void **state)
{
	struct jv *v = parse_ok("{\"s\":\"x\",\"n\":7,\"z\":null,\"b\":true,\"nul\":\"a\\u0000\","
				"\"o\":{},\"a\":[]}");
	const struct jv *m;

	assert_int_equal(jv_member(v, "s", JV_STR, &m), 0);
	assert_string_equal(jv_strval(m), "x");
	assert_int_equal(jv_member(v, "n", JV_INT, &m), 0);
	assert_int_equal(jv_intval(m), 7);
	assert_int_equal(jv_member(v, "b", JV_BOOL, &m), 0);
	assert_true(jv_boolval(m));
	assert_int_equal(jv_member(v, "o", JV_OBJECT, &m), 0);
	assert_int_equal(jv_member(v, "a", JV_ARRAY, &m), 0);
	assert_int_equal(jv_member(v, "missing", JV_STR, &m), -ENOENT);
	assert_null(m);
	assert_int_equal(jv_member(v, "z", JV_STR, &m), -ENOENT);
	assert_int_equal(jv_member(v, "n", JV_STR, &m), -EINVAL);
	assert_null(m);
	assert_int_equal(jv_member(v, "s", JV_INT, &m), -EINVAL);
	assert_int_equal(jv_member(v, "nul", JV_STR, &m), -EINVAL);
	assert_int_equal(jv_member(NULL, "s", JV_STR, &m), -ENOENT);
	jv_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documents),
		cmocka_unit_test(strings),
		cmocka_unit_test(refused),
		cmocka_unit_test(limits),
		cmocka_unit_test(member),
	};

	return cmocka_run_group_tests_name("json_read", tests, NULL, NULL);
}
