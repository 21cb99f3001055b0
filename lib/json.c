// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON value tree printed as Go's encoding/json prints it. See core/json.h. */
#include "lib/json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct jv_member {
	char *key; /* NULL in arrays */
	struct jv *val;
};

struct jv {
	enum jv_type type;
	unsigned int refs;
	bool map;	     /* an object kept sorted by key */
	bool lost;	     /* a jv_push()/jv_set() dropped a value */
	long long n;	     /* JV_BOOL, JV_INT */
	char *s;	     /* JV_STR: len bytes and a NUL */
	struct jv_member *m; /* JV_ARRAY, JV_OBJECT: len members */
	size_t len, cap;
};

static struct jv *jv_new(enum jv_type type, long long n)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (v) {
		v->type = type;
		v->refs = 1;
		v->n = n;
	}
	return v;
}

struct jv *jv_null(void)
{
	return jv_new(JV_NULL, 0);
}

struct jv *jv_bool(bool b)
{
	return jv_new(JV_BOOL, b);
}

struct jv *jv_int(long long n)
{
	return jv_new(JV_INT, n);
}

struct jv *jv_strn(const char *s, size_t n)
{
	struct jv *v = s || !n ? jv_new(JV_STR, 0) : NULL;

	if (!v) {
		errno = s || !n ? ENOMEM : EINVAL;
		return NULL;
	}
	v->s = malloc(n + 1);
	if (!v->s) {
		free(v);
		return NULL;
	}
	if (n)
		memcpy(v->s, s, n);
	v->s[n] = '\0';
	v->len = n;
	return v;
}

struct jv *jv_str(const char *s)
{
	return jv_strn(s, s ? strlen(s) : 1);
}

struct jv *jv_array(void)
{
	return jv_new(JV_ARRAY, 0);
}

struct jv *jv_object(void)
{
	return jv_new(JV_OBJECT, 0);
}

struct jv *jv_map(void)
{
	struct jv *v = jv_new(JV_OBJECT, 0);

	if (v)
		v->map = true;
	return v;
}

/* put @v, with a copy of @key, at @at in @c; takes @v even on failure */
static void insert(struct jv *c, size_t at, const char *key, struct jv *v)
{
	size_t cap = c->cap ? c->cap * 2 : 4;
	struct jv_member *m = c->m;
	char *k = NULL;

	if (v && c->len == c->cap) {
		m = cap < SIZE_MAX / sizeof(*m) ? realloc(c->m, cap * sizeof(*m)) : NULL;
		if (m) {
			c->m = m;
			c->cap = cap;
		}
	}
	if (key && m && v) {
		k = malloc(strlen(key) + 1);
		if (k)
			strcpy(k, key);
	}
	if (!v || !m || (key && !k)) {
		c->lost = true;
		jv_free(v);
		return;
	}
	memmove(m + at + 1, m + at, (c->len - at) * sizeof(*m));
	m[at].key = k;
	m[at].val = v;
	c->len++;
}

void jv_push(struct jv *arr, struct jv *v)
{
	if (arr && arr->type == JV_ARRAY)
		insert(arr, arr->len, NULL, v);
	else
		jv_free(v);
}

/* the index of @key in @obj, or -(where it would go) - 1 */
static long find(const struct jv *obj, const char *key)
{
	size_t lo = 0, hi = obj->len, i;
	int c;

	if (!obj->map) {
		for (i = 0; i < obj->len; i++)
			if (!strcmp(obj->m[i].key, key))
				return (long)i;
		return -(long)obj->len - 1;
	}
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		c = strcmp(obj->m[i].key, key); /* unsigned bytes, as Go sorts */
		if (!c)
			return (long)i;
		if (c < 0)
			lo = i + 1;
		else
			hi = i;
	}
	return -(long)lo - 1;
}

void jv_set(struct jv *obj, const char *key, struct jv *v)
{
	long i;

	if (!obj || obj->type != JV_OBJECT || !key) {
		jv_free(v);
		return;
	}
	i = find(obj, key);
	if (i < 0 || !v) { /* a new key, or a lost value to record */
		insert(obj, i < 0 ? (size_t)(-i - 1) : 0, key, v);
		return;
	}
	jv_free(obj->m[i].val);
	obj->m[i].val = v;
}

struct jv *jv_get(const struct jv *obj, const char *key)
{
	long i;

	if (!obj || obj->type != JV_OBJECT || !key)
		return NULL;
	i = find(obj, key);
	return i >= 0 ? obj->m[i].val : NULL;
}

struct jv *jv_at(const struct jv *arr, size_t i)
{
	return jv_type(arr) >= JV_ARRAY && i < arr->len ? arr->m[i].val : NULL;
}

const char *jv_key(const struct jv *obj, size_t i)
{
	return jv_type(obj) == JV_OBJECT && i < obj->len ? obj->m[i].key : NULL;
}

size_t jv_len(const struct jv *v)
{
	return jv_type(v) >= JV_STR ? v->len : 0;
}

enum jv_type jv_type(const struct jv *v)
{
	return v ? v->type : JV_NULL;
}

bool jv_is_map(const struct jv *v)
{
	return v && v->map;
}

bool jv_boolval(const struct jv *v)
{
	return jv_type(v) == JV_BOOL && v->n;
}

long long jv_intval(const struct jv *v)
{
	return jv_type(v) == JV_INT ? v->n : 0;
}

const char *jv_strval(const struct jv *v)
{
	return jv_type(v) == JV_STR ? v->s : NULL;
}

struct jv *jv_ref(struct jv *v)
{
	if (v)
		v->refs++;
	return v;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v || --v->refs)
		return;
	for (i = 0; i < v->len && v->m; i++) {
		free(v->m[i].key);
		jv_free(v->m[i].val);
	}
	free(v->m);
	free(v->s);
	free(v);
}

/* --- printing ------------------------------------------------------------ */

unsigned int jv_utf8(const char *s, size_t n, unsigned int *rune)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int len, r, i, lo = 0x80, hi = 0xbf;

	if (!n)
		return 0;
	if (p[0] < 0x80) {
		len = 1, r = p[0];
	} else if (p[0] < 0xc2) {
		return 0; /* continuation byte, or overlong C0/C1 lead */
	} else if (p[0] < 0xe0) {
		len = 2, r = p[0] & 0x1f;
	} else if (p[0] < 0xf0) {
		len = 3, r = p[0] & 0x0f;
		lo = p[0] == 0xe0 ? 0xa0 : 0x80; /* no overlongs */
		hi = p[0] == 0xed ? 0x9f : 0xbf; /* no surrogates */
	} else if (p[0] < 0xf5) {
		len = 4, r = p[0] & 0x07;
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80, hi = 0xbf;
		r = r << 6 | (p[i] & 0x3f);
	}
	if (rune)
		*rune = r;
	return len;
}

/* where the text goes: @f, or else the malloc'd string @buf */
struct jw {
	FILE *f;
	char *buf;
	size_t len, cap;
	unsigned int flags;
	int indent;
	int err;
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (!n || w->err)
		return;
	if (w->f) {
		if (fwrite(s, 1, n, w->f) != n)
			w->err = errno > 0 ? -errno : -EIO;
		return;
	}
	if (n >= w->cap - w->len) {
		size_t cap = w->cap ? w->cap : 64;
		char *p;

		while (cap && n >= cap - w->len)
			cap *= 2;
		p = cap ? realloc(w->buf, cap) : NULL;
		if (!p) {
			w->err = -ENOMEM;
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put_s(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline(struct jw *w, int depth)
{
	static const char spaces[] = "                ";
	long n = (long)depth * w->indent;

	put(w, "\n", 1);
	for (; n > 0; n -= (long)sizeof(spaces) - 1)
		put(w, spaces, n < (long)sizeof(spaces) - 1 ? (size_t)n : sizeof(spaces) - 1);
}

/* the escape for ASCII byte @c, or NULL if @c goes out as it is */
static const char *escape(unsigned char c, unsigned int flags, char buf[7])
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
	case '\f':
		if (flags & JV_GO122)
			return c == '\b' ? "\\b" : "\\f";
		break;
	case '<':
	case '>':
	case '&':
		if (!(flags & JV_NOHTML))
			break;
		return NULL;
	default:
		if (c >= 0x20)
			return NULL;
	}
	memcpy(buf, "\\u00", 4);
	buf[4] = hex[c >> 4];
	buf[5] = hex[c & 15];
	buf[6] = '\0';
	return buf;
}

static void write_str(struct jw *w, const char *s, size_t n)
{
	size_t i = 0, start = 0, len;
	unsigned int r;
	const char *e;
	char buf[7];

	put(w, "\"", 1);
	while (i < n) {
		len = 1;
		if ((unsigned char)s[i] < 0x80) {
			e = escape((unsigned char)s[i], w->flags, buf);
		} else {
			len = jv_utf8(s + i, n - i, &r);
			/* Go: invalid bytes become U+FFFD one by one; the line
			 * separators are escaped for JavaScript's sake */
			e = !len ? "\\ufffd" : r == 0x2028 ? "\\u2028" :
			    r == 0x2029 ? "\\u2029" : NULL;
			len += !len;
		}
		if (e) {
			put(w, s + start, i - start);
			put_s(w, e);
			start = i + len;
		}
		i += len;
	}
	put(w, s + start, n - start);
	put(w, "\"", 1);
}

static void write_int(struct jw *w, long long n)
{
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	char buf[24], *p = buf + sizeof(buf);

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--p = '-';
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

static void write_val(struct jw *w, const struct jv *v, int depth);

static void write_members(struct jw *w, const struct jv *v, int depth)
{
	bool obj = v->type == JV_OBJECT;
	size_t i, n = jv_len(v);

	put(w, obj ? "{" : "[", 1);
	for (i = 0; i < n; i++) {
		if (i)
			put(w, ",", 1);
		if (w->indent)
			newline(w, depth + 1);
		if (obj) {
			write_str(w, v->m[i].key, strlen(v->m[i].key));
			put(w, ": ", w->indent ? 2 : 1);
		}
		write_val(w, jv_at(v, i), depth + 1);
	}
	if (n && w->indent)
		newline(w, depth);
	put(w, obj ? "}" : "]", 1);
}

static void write_val(struct jw *w, const struct jv *v, int depth)
{
	switch (v->type) {
	case JV_NULL:
		put_s(w, "null");
		break;
	case JV_BOOL:
		put_s(w, v->n ? "true" : "false");
		break;
	case JV_INT:
		write_int(w, v->n);
		break;
	case JV_STR:
		write_str(w, v->s, v->len);
		break;
	default:
		write_members(w, v, depth);
	}
}

/* did building the tree lose a value? */
static bool incomplete(const struct jv *v)
{
	size_t i;

	if (!v || v->lost)
		return true;
	for (i = 0; i < jv_len(v) && v->type >= JV_ARRAY; i++)
		if (incomplete(jv_at(v, i)))
			return true;
	return false;
}

static int dump(struct jw *w, const struct jv *v)
{
	if (w->indent < 0)
		return -EINVAL;
	if (incomplete(v))
		return -ENOMEM;
	errno = 0;
	write_val(w, v, 0);
	return w->err;
}

int jv_write_ex(FILE *f, const struct jv *v, int indent, unsigned int flags)
{
	struct jw w = { .f = f, .flags = flags, .indent = indent };

	return f ? dump(&w, v) : -EINVAL;
}

int jv_dump(const struct jv *v, int indent, unsigned int flags, char **out,
	    size_t *len)
{
	struct jw w = { .flags = flags, .indent = indent };
	int ret = dump(&w, v);

	if (ret) {
		free(w.buf);
		return ret;
	}
	*out = w.buf;
	*len = w.len;
	return 0;
}

int jv_write(FILE *f, const struct jv *v, int indent)
{
	return jv_write_ex(f, v, indent, 0);
}
