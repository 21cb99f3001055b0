// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The functions of docker's templates: Go's builtins (and, or, not, len,
 * index, print, printf, println, eq, ne, lt, le, gt, ge) and those docker's
 * cli/templates adds (json, split, join, title, lower, upper, pad, truncate).
 * Case mapping is ASCII only (docker's own comment says it uses title for
 * ASCII); Go's html, js, urlquery, call and slice are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmpl_int.h"

/* not every function needs every parameter */
#define UNUSED __attribute__((unused))
#define FUNC(name)                                                        \
	static int name(struct tstate *s UNUSED, const struct tnode *at UNUSED, \
			struct tval *argv UNUSED, int argc UNUSED, struct tval *res)

static int want_str(struct tstate *s, const struct tnode *at, const struct tval *v,
		    const char **p, size_t *n)
{
	if (!v->v)
		return tmpl_fail(s, at, -EINVAL, "invalid value; expected string");
	if (jv_type(v->v) != JV_STR)
		return tmpl_fail(s, at, -EINVAL, "wrong type for value; expected string; got %s",
				 tmpl_typename(v->v));
	*p = jv_strval(v->v);
	*n = jv_len(v->v);
	return 0;
}

static int want_int(struct tstate *s, const struct tnode *at, const struct tval *v,
		    long long *n)
{
	if (jv_type(v->v) != JV_INT)
		return tmpl_fail(s, at, -EINVAL, "wrong type for value; expected int; got %s",
				 v->v ? tmpl_typename(v->v) : "<no value>");
	*n = jv_intval(v->v);
	return 0;
}

/* a string result built in @b, which is freed */
static int ret_sb(struct tstate *s, const struct tnode *at, struct tval *res,
		  struct sbuf *b)
{
	int ret;

	if (b->err)
		ret = tmpl_fail(s, at, b->err, b->err == -ENOMEM ? "out of memory" :
				"string too long");
	else
		ret = tv_new(s, res, jv_strn(b->p ? b->p : "", b->len));
	free(b->p);
	return ret;
}

static int ret_bool(struct tstate *s, struct tval *res, bool b)
{
	return tv_new(s, res, jv_bool(b));
}

FUNC(f_not)
{
	return ret_bool(s, res, !tmpl_true(argv[0].v));
}

FUNC(f_len)
{
	const struct jv *v = argv[0].v;

	if (jv_type(v) == JV_NULL)
		return tmpl_fail(s, at, -EINVAL, "error calling len: len of nil pointer");
	if (jv_type(v) < JV_STR)
		return tmpl_fail(s, at, -EINVAL, "error calling len: len of type %s",
				 tmpl_typename(v));
	return tv_new(s, res, jv_int((long long)jv_len(v)));
}

#define INDEX_ERR(...) tmpl_fail(s, at, -EINVAL, "error calling index: " __VA_ARGS__)

/* Go's index; a key missing from a map yields the zero value of docker's
 * map[string]string, "" */
FUNC(f_index)
{
	const struct jv *v = argv[0].v, *x;
	long long k;
	int i;

	for (i = 1; i < argc; i++) {
		x = argv[i].v;
		if (jv_type(v) == JV_NULL)
			return INDEX_ERR("index of %s", i == 1 ? "untyped nil" : "nil pointer");
		if (jv_type(v) == JV_OBJECT) {
			if (jv_type(x) != JV_STR)
				return INDEX_ERR("value has type %s; should be string",
						 tmpl_typename(x));
			v = jv_get(v, jv_strval(x));
			if (!v && i + 1 == argc)
				return tv_new(s, res, jv_str(""));
			if (!v)
				return INDEX_ERR("can't index item of type string");
			continue;
		}
		if (jv_type(v) != JV_ARRAY && jv_type(v) != JV_STR)
			return INDEX_ERR("can't index item of type %s", tmpl_typename(v));
		if (jv_type(x) != JV_INT)
			return INDEX_ERR("cannot index slice/array with %s%s", x ? "type " : "nil",
					 x ? tmpl_typename(x) : "");
		k = jv_intval(x);
		if (k < 0 || (unsigned long long)k >= jv_len(v))
			return INDEX_ERR("index out of range: %lld", k);
		if (jv_type(v) == JV_STR && i + 1 < argc)
			return INDEX_ERR("can't index item of type uint8");
		if (jv_type(v) == JV_STR) /* a byte, printed as a number */
			return tv_new(s, res, jv_int((unsigned char)jv_strval(v)[k]));
		v = jv_at(v, (size_t)k);
	}
	if (argc == 1 && jv_type(v) == JV_NULL)
		return INDEX_ERR("index of untyped nil");
	*res = tv_sub(argv[0], v);
	return 0;
}

FUNC(f_print)
{
	struct sbuf b = { 0 };

	tmpl_sprint(&b, argv, argc, false);
	return ret_sb(s, at, res, &b);
}

FUNC(f_println)
{
	struct sbuf b = { 0 };

	tmpl_sprint(&b, argv, argc, true);
	return ret_sb(s, at, res, &b);
}

FUNC(f_printf)
{
	struct sbuf b = { 0 };
	const char *fmt;
	size_t n;
	int ret = want_str(s, at, &argv[0], &fmt, &n);

	if (ret)
		return ret;
	tmpl_sprintf(&b, fmt, n, argv + 1, argc - 1);
	return ret_sb(s, at, res, &b);
}

static int compare(const struct jv *a, const struct jv *b)
{
	size_t la = jv_len(a), lb = jv_len(b);
	int c;

	switch (jv_type(a)) {
	case JV_BOOL:
		return (int)jv_boolval(a) - (int)jv_boolval(b);
	case JV_INT:
		return (jv_intval(a) > jv_intval(b)) - (jv_intval(a) < jv_intval(b));
	case JV_STR: /* bytewise, as Go compares strings */
		c = memcmp(jv_strval(a), jv_strval(b), la < lb ? la : lb);
		return c ? c : (la > lb) - (la < lb);
	default:
		return 0; /* nil == nil */
	}
}

/* eq: is argv[0] equal to any of the others? nil only equals nil */
static int equal(struct tstate *s, const struct tnode *at, const char *fn,
		 const struct tval *argv, int argc, bool *eq)
{
	int i, ka = jv_type(argv[0].v), kb;

	*eq = false;
	if (argc < 2)
		return tmpl_fail(s, at, -EINVAL,
				 "error calling %s: missing argument for comparison", fn);
	for (i = 1; i < argc && !*eq; i++) {
		kb = jv_type(argv[i].v);
		if (ka >= JV_ARRAY || kb >= JV_ARRAY)
			return tmpl_fail(s, at, -EINVAL, "error calling %s: non-comparable type %s",
					 fn, tmpl_typename(ka >= JV_ARRAY ? argv[0].v : argv[i].v));
		if (ka != kb && ka != JV_NULL && kb != JV_NULL)
			return tmpl_fail(s, at, -EINVAL,
					 "error calling %s: incompatible types for comparison", fn);
		*eq = ka == kb && !compare(argv[0].v, argv[i].v);
	}
	return 0;
}

FUNC(f_eq)
{
	bool eq;
	int ret = equal(s, at, "eq", argv, argc, &eq);

	return ret ? ret : ret_bool(s, res, eq);
}

FUNC(f_ne)
{
	bool eq;
	int ret = equal(s, at, "ne", argv, argc, &eq);

	return ret ? ret : ret_bool(s, res, !eq);
}

/* lt, le, gt, ge: integers with integers, strings with strings */
static int order(struct tstate *s, const struct tnode *at, const char *fn,
		 const struct tval *argv, struct tval *res)
{
	int ka = jv_type(argv[0].v), kb = jv_type(argv[1].v), c;

	if ((ka != JV_INT && ka != JV_STR) || (kb != JV_INT && kb != JV_STR))
		return tmpl_fail(s, at, -EINVAL,
				 "error calling %s: invalid type for comparison", fn);
	if (ka != kb)
		return tmpl_fail(s, at, -EINVAL,
				 "error calling %s: incompatible types for comparison", fn);
	c = compare(argv[0].v, argv[1].v);
	return ret_bool(s, res, fn[1] == 't' ? (fn[0] == 'l' ? c < 0 : c > 0) :
					      (fn[0] == 'l' ? c <= 0 : c >= 0));
}

FUNC(f_lt)
{
	return order(s, at, "lt", argv, res);
}

FUNC(f_le)
{
	return order(s, at, "le", argv, res);
}

FUNC(f_gt)
{
	return order(s, at, "gt", argv, res);
}

FUNC(f_ge)
{
	return order(s, at, "ge", argv, res);
}

/* docker's json: an Encoder with SetEscapeHTML(false), newline trimmed */
FUNC(f_json)
{
	char *buf;
	size_t len;
	int ret;

	if (!argv[0].v) /* Go passes no value as nil */
		return tv_new(s, res, jv_str("null"));
	ret = jv_dump(argv[0].v, 0, JV_NOHTML, &buf, &len);
	if (ret)
		return tmpl_fail(s, at, ret, "error calling json: out of memory");
	ret = tv_new(s, res, jv_strn(buf, len));
	free(buf);
	return ret;
}

/* strings.Split: an empty separator splits into UTF-8 sequences */
FUNC(f_split)
{
	const char *p, *sep;
	size_t n, sn, i = 0, j = 0, count = 0, len;
	struct jv *arr;
	int ret = want_str(s, at, &argv[0], &p, &n);

	if (ret || (ret = want_str(s, at, &argv[1], &sep, &sn)))
		return ret;
	arr = jv_array();
	while (arr && sn && j + sn <= n) {
		if (memcmp(p + j, sep, sn)) {
			j++;
			continue;
		}
		jv_push(arr, jv_strn(p + i, j - i));
		i = j += sn;
		count++;
	}
	for (; arr && !sn && i < n; i += len, count++) {
		len = jv_utf8(p + i, n - i, NULL);
		len += !len;
		jv_push(arr, jv_strn(p + i, len));
	}
	if (sn)
		jv_push(arr, jv_strn(p + i, n - i)), count++;
	if (jv_len(arr) != count) {
		jv_free(arr);
		arr = NULL;
	}
	return tv_new(s, res, arr);
}

FUNC(f_join)
{
	const struct jv *a = argv[0].v;
	struct sbuf b = { 0 };
	const char *sep;
	size_t sn, i;
	int ret = want_str(s, at, &argv[1], &sep, &sn);

	if (ret)
		return ret;
	if (jv_type(a) != JV_ARRAY && jv_type(a) != JV_NULL)
		return tmpl_fail(s, at, -EINVAL, "wrong type for value; expected []string; got %s",
				 tmpl_typename(a));
	for (i = 0; i < jv_len(a); i++) {
		if (jv_type(jv_at(a, i)) != JV_STR) {
			free(b.p);
			return tmpl_fail(s, at, -EINVAL,
					 "wrong type for value; expected []string; got []interface {}");
		}
		if (i)
			sb_put(&b, sep, sn);
		sb_put(&b, jv_strval(jv_at(a, i)), jv_len(jv_at(a, i)));
	}
	return ret_sb(s, at, res, &b);
}

/* lower (@mode 'l'), upper ('u'), title ('t': strings.Title for ASCII:
 * a letter after anything but a letter, digit or '_' goes upper case) */
static int recase(struct tstate *s, const struct tnode *at, const struct tval *arg,
		  struct tval *res, char mode)
{
	struct sbuf b = { 0 };
	bool word = false;
	const char *p;
	size_t n, i;
	char c;
	int ret = want_str(s, at, arg, &p, &n);

	for (i = 0; !ret && i < n; i++) {
		c = p[i];
		if (mode == 'l' && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		else if ((mode == 'u' || (mode == 't' && !word)) && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		word = (unsigned char)c >= 0x80 || c == '_' || (c >= '0' && c <= '9') ||
		       ((c | 32) >= 'a' && (c | 32) <= 'z');
		sb_putc(&b, c);
	}
	return ret ? ret : ret_sb(s, at, res, &b);
}

FUNC(f_lower)
{
	return recase(s, at, argv, res, 'l');
}

FUNC(f_upper)
{
	return recase(s, at, argv, res, 'u');
}

FUNC(f_title)
{
	return recase(s, at, argv, res, 't');
}

/* docker's pad: @prefix and @suffix spaces around a non-empty string */
FUNC(f_pad)
{
	struct sbuf b = { 0 };
	long long pre, suf;
	const char *p;
	size_t n;
	int ret = want_str(s, at, &argv[0], &p, &n);

	if (ret || (ret = want_int(s, at, &argv[1], &pre)) ||
	    (ret = want_int(s, at, &argv[2], &suf)))
		return ret;
	if (n && (pre < 0 || suf < 0))
		return tmpl_fail(s, at, -EINVAL,
				 "error calling pad: strings: negative Repeat count");
	/* counts past the limit become just past it: sb_fill() refuses */
	pre = pre > (long long)TMPL_MAX_STR ? (long long)TMPL_MAX_STR + 1 : pre;
	suf = suf > (long long)TMPL_MAX_STR ? (long long)TMPL_MAX_STR + 1 : suf;
	if (n) {
		sb_fill(&b, ' ', (size_t)pre);
		sb_put(&b, p, n);
		sb_fill(&b, ' ', (size_t)suf);
	}
	return ret_sb(s, at, res, &b);
}

/* docker's truncate: the first @len bytes */
FUNC(f_truncate)
{
	long long len;
	const char *p;
	size_t n;
	int ret = want_str(s, at, &argv[0], &p, &n);

	if (ret || (ret = want_int(s, at, &argv[1], &len)))
		return ret;
	if (len < 0)
		return tmpl_fail(s, at, -EINVAL,
				 "error calling truncate: slice bounds out of range [:%lld]", len);
	if ((unsigned long long)len < n)
		n = (size_t)len;
	return tv_new(s, res, jv_strn(p, n));
}

/* sorted by name; fn NULL: "and"/"or", which execution evaluates lazily */
const struct tfunc tmpl_funcs[] = {
	{ "and", 1, -1, NULL },		{ "eq", 1, -1, f_eq },
	{ "ge", 2, 2, f_ge },		{ "gt", 2, 2, f_gt },
	{ "index", 1, -1, f_index },	{ "join", 2, 2, f_join },
	{ "json", 1, 1, f_json },	{ "le", 2, 2, f_le },
	{ "len", 1, 1, f_len },		{ "lower", 1, 1, f_lower },
	{ "lt", 2, 2, f_lt },		{ "ne", 2, 2, f_ne },
	{ "not", 1, 1, f_not },		{ "or", 1, -1, NULL },
	{ "pad", 3, 3, f_pad },		{ "print", 0, -1, f_print },
	{ "printf", 1, -1, f_printf },	{ "println", 0, -1, f_println },
	{ "split", 2, 2, f_split },	{ "title", 1, 1, f_title },
	{ "truncate", 2, 2, f_truncate }, { "upper", 1, 1, f_upper },
	{ NULL, 0, 0, NULL },
};

int tmpl_func_find(const char *name, size_t len)
{
	int i;

	for (i = 0; tmpl_funcs[i].name; i++)
		if (!strncmp(tmpl_funcs[i].name, name, len) && !tmpl_funcs[i].name[len])
			return i;
	return -1;
}
