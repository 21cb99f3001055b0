// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JSON text into the value tree of lib/json.h: RFC 8259, strictly. Runtimes
 * hand boxnet configurations it must not misread, so anything doubtful is
 * refused with the offset where it was seen, never guessed at.
 */
#include "lib/json.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reader {
	const char *p, *start, *end;
	int depth;
	char *err;
	size_t errsize;
};

/* record the first failure only: the innermost one says what was wrong */
static int bad(struct reader *r, int ret, const char *what)
{
	if (r->err && r->errsize && !r->err[0])
		snprintf(r->err, r->errsize, "%s at offset %zu", what, (size_t)(r->p - r->start));
	return ret;
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return false;
	r->p += n;
	return true;
}

static int hex4(struct reader *r, unsigned int *u)
{
	*u = 0;
	if (r->end - r->p < 4)
		return bad(r, -EINVAL, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		*u <<= 4;
		if (c >= '0' && c <= '9')
			*u |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*u |= (c | 0x20) - 'a' + 10;
		else
			return bad(r, -EINVAL, "bad \\u escape");
	}
	return 0;
}

/* append the UTF-8 form of @u to @b; @b has room (6 bytes per escape fit) */
static size_t put_utf8(char *b, unsigned int u)
{
	if (u < 0x80)
		return b[0] = u, 1;
	if (u < 0x800)
		return b[0] = 0xc0 | u >> 6, b[1] = 0x80 | (u & 0x3f), 2;
	if (u < 0x10000)
		return b[0] = 0xe0 | u >> 12, b[1] = 0x80 | (u >> 6 & 0x3f), b[2] = 0x80 | (u & 0x3f), 3;
	b[0] = 0xf0 | u >> 18, b[1] = 0x80 | (u >> 12 & 0x3f);
	b[2] = 0x80 | (u >> 6 & 0x3f), b[3] = 0x80 | (u & 0x3f);
	return 4;
}

/* one \-escape after the backslash, as UTF-8 into @b; its length or -errno */
static int escape(struct reader *r, char *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	unsigned int u, lo;

	if (r->p >= r->end)
		return bad(r, -EINVAL, "truncated escape");
	if (*r->p != 'u') {
		if (!*r->p || !(k = strchr(from, *r->p)))
			return bad(r, -EINVAL, "bad escape");
		r->p++;
		b[0] = to[k - from];
		return 1;
	}
	r->p++;
	if (hex4(r, &u))
		return -EINVAL;
	if (u >= 0xdc00 && u <= 0xdfff)
		return bad(r, -EINVAL, "lone low surrogate");
	if (u >= 0xd800 && u <= 0xdbff) {
		/* only a pair names a code point past U+FFFF */
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return bad(r, -EINVAL, "lone high surrogate");
		r->p += 2;
		if (hex4(r, &lo))
			return -EINVAL;
		if (lo < 0xdc00 || lo > 0xdfff)
			return bad(r, -EINVAL, "bad surrogate pair");
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	return (int)put_utf8(b, u);
}

/* a string after its opening quote, into a malloc'd buffer of *@n bytes */
static int string(struct reader *r, char **out, size_t *n)
{
	const char *q = r->p;
	size_t len = 0;
	char *b;

	/* an upper bound first: an escape never grows (\uXXXX: 6 in, <= 4 out) */
	while (q < r->end && *q != '"')
		q += *q == '\\' && q + 1 < r->end ? 2 : 1;
	if (q >= r->end)
		return bad(r, -EINVAL, "unterminated string");
	if (!(b = malloc(q - r->p + 1)))
		return -ENOMEM;
	while (*r->p != '"') {
		unsigned char c = *r->p;
		unsigned int k;
		int e;

		if (c < 0x20) {
			free(b);
			return bad(r, -EINVAL, "control character in string");
		}
		if (c == '\\') {
			r->p++;
			if ((e = escape(r, b + len)) < 0) {
				free(b);
				return e;
			}
			len += e;
			continue;
		}
		if (!(k = jv_utf8(r->p, r->end - r->p, NULL))) {
			free(b);
			return bad(r, -EINVAL, "invalid UTF-8 in string");
		}
		memcpy(b + len, r->p, k);
		len += k, r->p += k;
	}
	r->p++;
	b[len] = 0;
	*out = b, *n = len;
	return 0;
}

/* an integer within long long; a fraction or an exponent is refused, since
 * nothing boxnet reads has one and a rounded value would be a silent change */
static int number(struct reader *r, struct jv **out)
{
	bool neg = *r->p == '-';
	unsigned long long v = 0, lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	const char *digits;

	r->p += neg;
	digits = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned int d = *r->p - '0';

		if (v > (lim - d) / 10)
			return bad(r, -ERANGE, "number out of range");
		v = v * 10 + d;
		r->p++;
	}
	if (r->p == digits)
		return bad(r, -EINVAL, "bad number");
	if (*digits == '0' && r->p - digits > 1)
		return bad(r, -EINVAL, "leading zero in number");
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
		return bad(r, -EINVAL, "only integers are supported");
	*out = jv_int(neg ? (long long)(0 - v) : (long long)v);
	return *out ? 0 : -ENOMEM;
}

static int value(struct reader *r, struct jv **out);

/* an array or an object after its opening bracket */
static int container(struct reader *r, bool obj, struct jv **out)
{
	struct jv *c = obj ? jv_object() : jv_array();
	char close = obj ? '}' : ']';
	int ret = 0;

	if (!c)
		return -ENOMEM;
	if (++r->depth > JV_PARSE_DEPTH) {
		jv_free(c);
		return bad(r, -EINVAL, "nested too deeply");
	}
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		goto done;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		struct jv *v;

		skip_ws(r);
		if (obj) {
			if (r->p >= r->end || *r->p != '"') {
				ret = bad(r, -EINVAL, "expected a key");
				break;
			}
			r->p++;
			if ((ret = string(r, &key, &klen)))
				break;
			if (strlen(key) != klen) { /* keys are C strings */
				free(key);
				ret = bad(r, -EINVAL, "NUL in a key");
				break;
			}
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				ret = bad(r, -EINVAL, "expected ':'");
				break;
			}
			r->p++;
		}
		if ((ret = value(r, &v))) {
			free(key);
			break;
		}
		/* a container that could not grow frees @v and marks itself: ask it */
		if (obj) {
			jv_set(c, key, v); /* a repeated key: the last value, as Go decodes */
			ret = jv_get(c, key) == v ? 0 : -ENOMEM;
		} else {
			size_t before = jv_len(c);

			jv_push(c, v);
			ret = jv_len(c) == before + 1 ? 0 : -ENOMEM;
		}
		free(key);
		if (ret)
			break;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			break;
		}
		ret = bad(r, -EINVAL, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
done:
	r->depth--;
	if (ret) {
		jv_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

static int value(struct reader *r, struct jv **out)
{
	char *s;
	size_t n;
	int ret;

	skip_ws(r);
	if (r->p >= r->end)
		return bad(r, -EINVAL, "unexpected end of input");
	switch (*r->p) {
	case '{':
	case '[':
		return container(r, *r->p++ == '{', out);
	case '"':
		r->p++;
		if ((ret = string(r, &s, &n)))
			return ret;
		*out = jv_strn(s, n);
		free(s);
		return *out ? 0 : -ENOMEM;
	case 't':
	case 'f':
	case 'n':
		if (literal(r, "true"))
			*out = jv_bool(true);
		else if (literal(r, "false"))
			*out = jv_bool(false);
		else if (literal(r, "null"))
			*out = jv_null();
		else
			return bad(r, -EINVAL, "unknown literal");
		return *out ? 0 : -ENOMEM;
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return number(r, out);
		return bad(r, -EINVAL, "unexpected character");
	}
}

int jv_parse(const char *text, size_t len, struct jv **out, char *err, size_t errsize)
{
	struct reader r = { text, text, text + len, 0, err, errsize };
	struct jv *v;
	int ret;

	*out = NULL;
	if (err && errsize)
		err[0] = 0;
	if (len > JV_PARSE_MAX)
		return bad(&r, -E2BIG, "input too large");
	if ((ret = value(&r, &v)))
		return ret;
	skip_ws(&r);
	if (r.p != r.end) {
		jv_free(v);
		return bad(&r, -EINVAL, "trailing data");
	}
	*out = v;
	return 0;
}

int jv_member(const struct jv *obj, const char *key, enum jv_type type, const struct jv **out)
{
	const struct jv *v = jv_get(obj, key);

	*out = NULL;
	if (!v || jv_type(v) == JV_NULL)
		return -ENOENT;
	if (jv_type(v) != type || (type == JV_STR && strlen(jv_strval(v)) != jv_len(v)))
		return -EINVAL;
	*out = v;
	return 0;
}

int jv_read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	while (buf && (r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		n += r;
		if (n > JV_PARSE_MAX)
			break; /* jv_parse refuses it, with the limit in its message */
		if (n == cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				free(buf);
			buf = b;
		}
	}
	if (!buf)
		return -ENOMEM;
	*out = buf, *len = n;
	return 0;
}
