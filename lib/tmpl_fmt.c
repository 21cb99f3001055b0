// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Go's fmt for the values of a JSON tree: %v as templates print values
 * (map[k:v] with sorted keys, [a b], <nil>), Sprint, Sprintln and Sprintf
 * with the verbs v s d q t x X o b c, the flags - + # 0 space, width and
 * precision, and fmt's %!verb(type=value), %!v(MISSING), %!(EXTRA ...) and
 * %!(NOVERB) complaints. Not supported: %[n] argument indexes, '*' widths,
 * %#v's Go syntax (printed as %v), floats. %q treats every assigned
 * non-ASCII code point as printable except the few listed below.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmpl_int.h"

struct fspec {
	unsigned int verb;
	const char *vs; /* the verb's bytes, for %!verb(...) */
	size_t vlen;
	bool minus, plus, sharp, space, zero;
	int wid, prec; /* -1: absent */
};

static const struct fspec plain_v = { 'v', "v", 1, false, false, false, false,
				      false, -1, -1 };

void sb_put(struct sbuf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (b->err || !n)
		return;
	if (n > TMPL_MAX_STR - b->len) {
		b->err = -E2BIG;
		return;
	}
	if (b->len + n >= b->cap) {
		for (cap = b->cap ? b->cap : 64; cap <= b->len + n; cap *= 2)
			;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_putc(struct sbuf *b, char c)
{
	sb_put(b, &c, 1);
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_fill(struct sbuf *b, char c, size_t n)
{
	char buf[64];
	size_t k;

	if (n > TMPL_MAX_STR && !b->err)
		b->err = -E2BIG;
	memset(buf, c, sizeof(buf));
	for (; n && !b->err; n -= k) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		sb_put(b, buf, k);
	}
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct tkv *)a)->key, ((const struct tkv *)b)->key);
}

struct tkv *tmpl_sorted(const struct jv *obj)
{
	size_t i, n = jv_len(obj);
	struct tkv *kv = malloc((n ? n : 1) * sizeof(*kv));

	if (!kv)
		return NULL;
	for (i = 0; i < n; i++) {
		kv[i].key = jv_key(obj, i);
		kv[i].i = i;
	}
	if (!jv_is_map(obj)) /* a map is kept sorted already */
		qsort(kv, n, sizeof(*kv), cmp_kv);
	return kv;
}

/* runes in @s as utf8.RuneCountInString counts them; *@bytes: the length of
 * the first @max of them */
static size_t runes(const char *s, size_t n, size_t max, size_t *bytes)
{
	size_t i = 0, r = 0, len;

	for (; i < n && r < max; i += len, r++) {
		len = jv_utf8(s + i, n - i, NULL);
		len += !len;
	}
	if (bytes)
		*bytes = i;
	return r;
}

/* @s after or before the spaces (or zeros) that make up the width */
static void pad(struct sbuf *b, const struct fspec *f, const char *s, size_t n)
{
	size_t r = f->wid > 0 ? runes(s, n, (size_t)-1, NULL) : 0;
	size_t w = f->wid > 0 && (size_t)f->wid > r ? (size_t)f->wid - r : 0;

	if (!f->minus)
		sb_fill(b, f->zero ? '0' : ' ', w);
	sb_put(b, s, n);
	if (f->minus)
		sb_fill(b, ' ', w);
}

static void put_hex(struct sbuf *b, const char *prefix, unsigned long v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	sb_puts(b, prefix);
	while (digits--)
		sb_putc(b, hex[v >> (4 * digits) & 15]);
}

/* strconv.IsPrint, but for unassigned code points: controls, spaces other
 * than ' ', format characters, separators, private use, noncharacters */
static bool printable(unsigned long r)
{
	static const unsigned long no[][2] = { { 0x80, 0xa0 }, { 0xad, 0xad },
		{ 0x600, 0x605 }, { 0x61c, 0x61c }, { 0x6dd, 0x6dd }, { 0x70f, 0x70f },
		{ 0x1680, 0x1680 }, { 0x180e, 0x180e }, { 0x2000, 0x200f },
		{ 0x2028, 0x202f }, { 0x205f, 0x206f }, { 0x3000, 0x3000 },
		{ 0xe000, 0xf8ff }, { 0xfeff, 0xfeff }, { 0xfff9, 0xfffb },
		{ 0xfffe, 0xffff }, { 0xe0001, 0xe007f }, { 0xf0000, 0x10ffff } };
	size_t i;

	if (r < 0x80)
		return r >= 0x20 && r < 0x7f;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (r >= no[i][0] && r <= no[i][1])
			return false;
	return true;
}

/* strconv.Quote (@q '"') and QuoteRune (@q '\'') */
static void quote(struct sbuf *b, const char *s, size_t n, char q)
{
	static const char ctl[] = "\a\b\f\n\r\t\v", esc[] = "abfnrtv";
	unsigned int r;
	size_t i, len;

	sb_putc(b, q);
	for (i = 0; i < n; i += len) {
		len = jv_utf8(s + i, n - i, &r);
		if (!len) {
			put_hex(b, "\\x", (unsigned char)s[i], 2);
			len = 1;
		} else if (r == (unsigned char)q || r == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)r);
		} else if (printable(r)) {
			sb_put(b, s + i, len);
		} else if (r && r < 0x80 && strchr(ctl, (int)r)) {
			sb_putc(b, '\\');
			sb_putc(b, esc[strchr(ctl, (int)r) - ctl]);
		} else if (r < 0x20 || r == 0x7f) {
			put_hex(b, "\\x", r, 2);
		} else {
			put_hex(b, r < 0x10000 ? "\\u" : "\\U", r, r < 0x10000 ? 4 : 8);
		}
	}
	sb_putc(b, q);
}

/* a piece built in a scratch buffer, then padded into @b */
static void pad_sb(struct sbuf *b, const struct fspec *f, struct sbuf *t)
{
	if (t->err && !b->err)
		b->err = t->err;
	pad(b, f, t->p ? t->p : "", t->len);
	free(t->p);
}

static void bad_verb(struct sbuf *b, const struct fspec *f, const struct jv *v,
		     const char *s, size_t n)
{
	sb_puts(b, "%!");
	sb_put(b, f->vs, f->vlen);
	sb_putc(b, '(');
	if (s) {
		sb_puts(b, "string=");
		sb_put(b, s, n);
	} else if (jv_type(v) == JV_NULL) {
		sb_puts(b, "<nil>");
	} else {
		sb_puts(b, tmpl_typename(v));
		sb_putc(b, '=');
		tmpl_print(b, v);
	}
	sb_putc(b, ')');
}

static void fmt_str(struct sbuf *b, const struct fspec *f, const char *s, size_t n)
{
	const char *hex = f->verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	struct sbuf t = { 0 };
	size_t i;

	if (f->prec >= 0 && f->verb != 'x' && f->verb != 'X')
		runes(s, n, (size_t)f->prec, &n);
	else if (f->prec >= 0 && (size_t)f->prec < n)
		n = (size_t)f->prec; /* %x counts bytes */
	if (f->verb == 's' || f->verb == 'v') {
		pad(b, f, s, n);
	} else if (f->verb == 'q') {
		quote(&t, s, n, '"');
		pad_sb(b, f, &t);
	} else if (f->verb == 'x' || f->verb == 'X') {
		for (i = 0; i < n; i++) {
			sb_putc(&t, hex[(unsigned char)s[i] >> 4]);
			sb_putc(&t, hex[(unsigned char)s[i] & 15]);
		}
		pad_sb(b, f, &t);
	} else {
		bad_verb(b, f, NULL, s, n);
	}
}

/* fmt's fmtInteger: precision or the 0 flag give leading zeros */
static void fmt_int(struct sbuf *b, const struct fspec *f, long long n)
{
	const char *dig = f->verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int base = f->verb == 'x' || f->verb == 'X' ? 16 : f->verb == 'o' ? 8 :
			    f->verb == 'b' ? 2 : 10;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	const char *prefix = f->sharp && base == 16 ? (f->verb == 'X' ? "0X" : "0x") : "";
	char buf[72], *p = buf + sizeof(buf), sign = n < 0 ? '-' : f->plus ? '+' :
							    f->space ? ' ' : 0;
	long prec = f->prec;
	size_t nd, zeros = 0, len, w;
	struct fspec g = *f;

	if (!prec && !n) { /* %.0d of 0 prints nothing but the padding */
		g.zero = false;
		pad(b, &g, "", 0);
		return;
	}
	do
		*--p = dig[u % base];
	while (u /= base);
	nd = (size_t)(buf + sizeof(buf) - p);
	if (prec < 0 && f->zero && f->wid > 0)
		prec = f->wid - (sign != 0);
	if (prec > 0 && (size_t)prec > nd)
		zeros = (size_t)prec - nd;
	len = (sign != 0) + strlen(prefix) + zeros + nd;
	w = f->wid > 0 && (size_t)f->wid > len ? (size_t)f->wid - len : 0;
	if (!f->minus)
		sb_fill(b, ' ', w);
	if (sign)
		sb_putc(b, sign);
	sb_puts(b, prefix);
	sb_fill(b, '0', zeros);
	sb_put(b, p, nd);
	if (f->minus)
		sb_fill(b, ' ', w);
}

/* %c and %q of an integer: the character, invalid ones as U+FFFD */
static void fmt_rune(struct sbuf *b, const struct fspec *f, long long n)
{
	struct sbuf t = { 0 };
	char buf[4];
	size_t len;

	if (n < 0 || n > 0x10ffff || (n >= 0xd800 && n < 0xe000))
		n = 0xfffd;
	len = tmpl_utf8_put(buf, (unsigned long)n);
	if (f->verb == 'c') {
		pad(b, f, buf, len);
		return;
	}
	quote(&t, buf, len, '\'');
	pad_sb(b, f, &t);
}

static void fmt_value(struct sbuf *b, const struct jv *v, const struct fspec *f, int depth);

static void fmt_map(struct sbuf *b, const struct jv *v, const struct fspec *f, int depth)
{
	struct tkv *kv = tmpl_sorted(v);
	size_t i;

	if (!kv) {
		b->err = b->err ? b->err : -ENOMEM;
		return;
	}
	sb_puts(b, "map[");
	for (i = 0; i < jv_len(v); i++) {
		if (i)
			sb_putc(b, ' ');
		fmt_str(b, f, kv[i].key, strlen(kv[i].key));
		sb_putc(b, ':');
		fmt_value(b, jv_at(v, kv[i].i), f, depth + 1);
	}
	sb_putc(b, ']');
	free(kv);
}

/* fmt's printValue: containers apply the verb to their contents; a nil
 * inside one prints "<nil>" whatever the verb */
static void fmt_value(struct sbuf *b, const struct jv *v, const struct fspec *f, int depth)
{
	unsigned int verb = f->verb;
	size_t i;

	switch (jv_type(v)) {
	case JV_NULL:
		if (depth)
			sb_puts(b, "<nil>");
		else if (verb == 'v')
			pad(b, f, "<nil>", 5);
		else
			bad_verb(b, f, v, NULL, 0);
		break;
	case JV_BOOL:
		if (verb == 'v' || verb == 't')
			pad(b, f, jv_boolval(v) ? "true" : "false", jv_boolval(v) ? 4 : 5);
		else
			bad_verb(b, f, v, NULL, 0);
		break;
	case JV_INT:
		if (verb < 0x80 && verb && strchr("vdxXob", (int)verb))
			fmt_int(b, f, jv_intval(v));
		else if (verb == 'c' || verb == 'q')
			fmt_rune(b, f, jv_intval(v));
		else
			bad_verb(b, f, v, NULL, 0);
		break;
	case JV_STR:
		fmt_str(b, f, jv_strval(v), jv_len(v));
		break;
	case JV_ARRAY:
		sb_putc(b, '[');
		for (i = 0; i < jv_len(v); i++) {
			if (i)
				sb_putc(b, ' ');
			fmt_value(b, jv_at(v, i), f, depth + 1);
		}
		sb_putc(b, ']');
		break;
	case JV_OBJECT:
		fmt_map(b, v, f, depth);
	}
}

void tmpl_print(struct sbuf *b, const struct jv *v)
{
	if (v)
		fmt_value(b, v, &plain_v, 0);
	else
		sb_puts(b, "<no value>");
}

void tmpl_sprint(struct sbuf *b, const struct tval *argv, int argc, bool ln)
{
	bool str, prev = false;
	int i;

	for (i = 0; i < argc; i++) {
		/* Sprint puts spaces between operands when neither is a string */
		str = jv_type(argv[i].v) == JV_STR;
		if (i && (ln || (!str && !prev)))
			sb_putc(b, ' ');
		fmt_value(b, argv[i].v, &plain_v, 0);
		prev = str;
	}
	if (ln)
		sb_putc(b, '\n');
}

/* a width or precision; false for fmt's "too large" (over 1e6) */
static bool num(const char *s, size_t n, size_t *i, int *out)
{
	long v = 0;

	if (*i >= n || s[*i] < '0' || s[*i] > '9')
		return true;
	for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (v > 1000000)
			return false;
		v = v * 10 + (s[*i] - '0');
	}
	*out = (int)v;
	return true;
}

/* the flags, width, precision and verb after a '%'; false: none */
static bool spec(const char *s, size_t n, size_t *i, struct fspec *f)
{
	static const char flags[] = "#0+- ";
	unsigned int r;
	size_t len;

	*f = plain_v;
	for (; *i < n && s[*i] && strchr(flags, s[*i]); (*i)++) {
		f->sharp |= s[*i] == '#';
		f->plus |= s[*i] == '+';
		f->space |= s[*i] == ' ';
		f->zero = s[*i] == '0' ? !f->minus : f->zero && s[*i] != '-';
		f->minus |= s[*i] == '-';
	}
	if (!num(s, n, i, &f->wid))
		return false;
	if (*i + 1 < n && s[*i] == '.') {
		(*i)++;
		f->prec = 0;
		if (!num(s, n, i, &f->prec))
			return false;
	}
	if (*i >= n)
		return false;
	len = jv_utf8(s + *i, n - *i, &r);
	f->verb = len ? r : 0xfffd;
	f->vs = len ? s + *i : "\xef\xbf\xbd";
	f->vlen = len ? len : 3;
	*i += len ? len : 1;
	return true;
}

void tmpl_sprintf(struct sbuf *b, const char *s, size_t n, const struct tval *argv,
		  int argc)
{
	size_t i = 0, start;
	struct fspec f;
	int arg = 0;

	while (i < n) {
		for (start = i; i < n && s[i] != '%'; i++)
			;
		sb_put(b, s + start, i - start);
		if (i++ >= n)
			break;
		if (!spec(s, n, &i, &f)) {
			sb_puts(b, "%!(NOVERB)");
			break;
		}
		if (f.verb == '%') {
			sb_putc(b, '%');
		} else if (arg >= argc) {
			sb_puts(b, "%!");
			sb_put(b, f.vs, f.vlen);
			sb_puts(b, "(MISSING)");
		} else {
			fmt_value(b, argv[arg++].v, &f, 0);
		}
	}
	for (start = (size_t)arg; arg < argc; arg++) {
		sb_puts(b, (size_t)arg == start ? "%!(EXTRA " : ", ");
		if (jv_type(argv[arg].v) != JV_NULL) {
			sb_puts(b, tmpl_typename(argv[arg].v));
			sb_putc(b, '=');
		}
		fmt_value(b, argv[arg].v, &plain_v, 0);
		if (arg + 1 == argc)
			sb_putc(b, ')');
	}
}
