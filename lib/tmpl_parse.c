// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Go text/template: the expression level of the parser. Pipelines, commands,
 * operands and literals, with Go's checks done at parse time (undefined
 * variables, unknown functions, literals in later pipeline stages).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmpl_int.h"

static bool var_known(const struct tparser *p, const char *name, size_t len)
{
	size_t i;

	if (len == 1)
		return true; /* "$", the data */
	for (i = 0; i < p->nvars; i++)
		if (p->vars[i].len == len && !memcmp(p->vars[i].name, name, len))
			return true;
	return false;
}

static int add_var(struct tparser *p, const char *name, size_t len)
{
	struct pvar *v;

	if (p->nvars == p->cap) {
		v = realloc(p->vars, (p->cap * 2 + 4) * sizeof(*v));
		if (!v)
			return tmpl_perr(p, p->pos, -ENOMEM, "out of memory");
		p->vars = v;
		p->cap = p->cap * 2 + 4;
	}
	p->vars[p->nvars].name = name;
	p->vars[p->nvars++].len = len;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 32) >= 'a' && (c | 32) <= 'z')
		return (c | 32) - 'a' + 10;
	return 99;
}

/* One character of a quoted literal at s[*i]: a byte, or the value of an
 * escape (a byte for \x and octal, a code point for \u and \U: *@rune).
 * -1 for an invalid escape. */
static long unescape(const char *s, size_t *i, char q, bool *rune)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\";
	const char *e;
	int digits = 3, base = 8, k;
	long v = 0;
	char c = s[(*i)++];

	*rune = false;
	if (c != '\\')
		return (unsigned char)c;
	c = s[(*i)++];
	if (c == q)
		return c;
	e = strchr(simple, c);
	if (c && e && (e - simple) % 2 == 0)
		return e[1];
	if (c == 'x' || c == 'u' || c == 'U') {
		digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		base = 16;
		*rune = c != 'x';
	} else {
		(*i)--;
	}
	for (k = 0; k < digits; k++, (*i)++) {
		if (hexval(s[*i]) >= base)
			return -1;
		v = v * base + hexval(s[*i]);
	}
	if (!*rune)
		return v > 255 ? -1 : v;
	return v > 0x10ffff || (v >= 0xd800 && v < 0xe000) ? -1 : v;
}

size_t tmpl_utf8_put(char *out, unsigned long r)
{
	if (r < 0x80) {
		out[0] = (char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (char)(0xc0 | r >> 6);
		out[1] = (char)(0x80 | (r & 0x3f));
		return 2;
	}
	if (r < 0x10000) {
		out[0] = (char)(0xe0 | r >> 12);
		out[1] = (char)(0x80 | (r >> 6 & 0x3f));
		out[2] = (char)(0x80 | (r & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | r >> 18);
	out[1] = (char)(0x80 | (r >> 12 & 0x3f));
	out[2] = (char)(0x80 | (r >> 6 & 0x3f));
	out[3] = (char)(0x80 | (r & 0x3f));
	return 4;
}

/* "..." and `...` (Go drops carriage returns from raw strings) */
static struct jv *parse_string(const char *s, size_t n)
{
	char *buf = malloc(n);
	size_t i = 1, o = 0;
	struct jv *v = NULL;
	bool rune;
	long c;

	if (!buf)
		return NULL;
	while (i < n - 1) {
		if (s[0] == '`') {
			if (s[i] != '\r')
				buf[o++] = s[i];
			i++;
			continue;
		}
		c = unescape(s, &i, '"', &rune);
		if (c < 0) {
			errno = EINVAL;
			goto out;
		}
		if (rune)
			o += tmpl_utf8_put(buf + o, (unsigned long)c);
		else
			buf[o++] = (char)c;
	}
	v = jv_strn(buf, o);
out:
	free(buf);
	return v;
}

/* 'x': the code point, or the byte of \x and octal escapes */
static struct jv *parse_char(const char *s, size_t n)
{
	size_t i = 1, len = 1;
	unsigned int r;
	bool rune;
	long c;

	if (s[1] == '\\') {
		c = unescape(s, &i, '\'', &rune);
	} else {
		len = jv_utf8(s + 1, n - 2, &r);
		c = len ? (long)r : -1;
		i += len;
	}
	if (c < 0 || i != n - 1) {
		errno = EINVAL;
		return NULL;
	}
	return jv_int(c);
}

static int parse_number(struct tparser *p, const struct tok *t, long long *out)
{
	const char *s = p->src + t->pos, *e = s + t->len, *w = s;
	unsigned long long v = 0, lim = LLONG_MAX;
	int base = 10, d, digits = 0;
	bool neg = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	lim += neg;
	if (s[0] == '0' && s + 1 < e) {
		d = s[1] | 32;
		base = d == 'x' ? 16 : d == 'b' ? 2 : 8;
		s += d == 'x' || d == 'b' || d == 'o' ? 2 : 1;
	}
	if (memchr(w, '.', t->len) || memchr(w, 'i', t->len) ||
	    (base != 16 && (memchr(w, 'e', t->len) || memchr(w, 'E', t->len))) ||
	    (base == 16 && (memchr(w, 'p', t->len) || memchr(w, 'P', t->len))))
		return tmpl_perr(p, t->pos, -EINVAL,
				 "floating-point constants are not supported: %.*s",
				 (int)t->len, w);
	for (; s < e; s++) {
		if (*s == '_' && digits)
			continue;
		d = hexval(*s);
		if (d >= base)
			return tmpl_perr(p, t->pos, -EINVAL, "bad number syntax: \"%.*s\"",
					 (int)t->len, w);
		if (v > (lim - (unsigned)d) / (unsigned)base)
			return tmpl_perr(p, t->pos, -EINVAL, "%.*s overflows int",
					 (int)t->len, w);
		v = v * (unsigned)base + (unsigned)d;
		digits++;
	}
	if (!digits && base != 8)
		return tmpl_perr(p, t->pos, -EINVAL, "bad number syntax: \"%.*s\"",
				 (int)t->len, w);
	*out = neg ? -(long long)(v - 1) - 1 : (long long)v;
	return 0;
}

/* a literal, or an identifier: true, false, nil or a function */
static int parse_word(struct tparser *p, const struct tok *t, struct tnode *n)
{
	const char *s = p->src + t->pos;
	long long num = 0;
	int ret;

	if (t->t == T_IDENT) {
		if ((t->len == 4 && !memcmp(s, "true", 4)) ||
		    (t->len == 5 && !memcmp(s, "false", 5))) {
			n->kind = TN_CONST;
			n->val = jv_bool(*s == 't');
		} else if (t->len == 3 && !memcmp(s, "nil", 3)) {
			n->kind = TN_NIL;
			n->val = jv_null();
		} else {
			n->func = tmpl_func_find(s, t->len);
			if (n->func < 0)
				return tmpl_perr(p, t->pos, -EINVAL,
						 "function \"%.*s\" not defined", (int)t->len, s);
			return 0;
		}
	} else if (t->t == T_NUM) {
		ret = parse_number(p, t, &num);
		if (ret)
			return ret;
		n->val = jv_int(num);
	} else {
		errno = ENOMEM;
		n->val = t->t == T_CHAR ? parse_char(s, t->len) : parse_string(s, t->len);
		if (!n->val && errno == EINVAL)
			return tmpl_perr(p, t->pos, -EINVAL, "invalid syntax in %s",
					 t->t == T_CHAR ? "character constant" : "quoted string");
	}
	return n->val ? 0 : tmpl_perr(p, t->pos, -ENOMEM, "out of memory");
}

/* a term: literal, function, ., .Field, $x or ( pipeline ); *@out NULL if
 * the next token starts none */
static int parse_term(struct tparser *p, struct tnode **out)
{
	const char *s;
	struct tnode *n;
	struct tok t;
	int ret;

	*out = NULL;
	tmpl_next(p, &t);
	s = p->src + t.pos;
	if (t.t == T_VAR && !var_known(p, s, t.len))
		return tmpl_perr(p, t.pos, -EINVAL, "undefined variable \"%.*s\"",
				 (int)t.len, s);
	if (t.t < T_FIELD || t.t > T_LPAREN || tmpl_keyword(p, &t) >= 0) {
		p->pos = t.pos;
		return 0;
	}
	n = *out = tmpl_node(p, TN_CONST, t.pos);
	if (!n)
		return -ENOMEM;
	n->end = (int)(t.pos + t.len);
	switch (t.t) {
	case T_DOT:
		n->kind = TN_DOT;
		return 0;
	case T_FIELD:
		n->kind = TN_FIELD;
		n->chain = s, n->clen = t.len;
		return 0;
	case T_VAR:
		n->kind = TN_VAR;
		n->s = s, n->n = t.len;
		return 0;
	case T_LPAREN:
		n->kind = TN_PAREN;
		if (++p->depth > TMPL_MAX_DEPTH)
			return tmpl_perr(p, t.pos, -EINVAL, "max nesting depth exceeded");
		ret = tmpl_parse_pipe(p, "parenthesized pipeline", T_RPAREN, &n->pipe);
		p->depth--;
		n->end = (int)p->pos;
		return ret;
	case T_IDENT:
		n->kind = TN_FUNC;
		/* fall through */
	default:
		return parse_word(p, &t, n);
	}
}

/* a term and the fields after it: $x.A.B, (pipeline).A */
static int parse_operand(struct tparser *p, struct tnode **out)
{
	struct tnode *n;
	struct tok t;
	size_t at;
	int ret = parse_term(p, out);

	n = *out;
	tmpl_lex(p, p->pos, &t);
	if (ret || !n || t.t != T_FIELD)
		return ret;
	at = t.pos;
	while (t.t == T_FIELD) {
		p->pos = t.pos + t.len;
		tmpl_lex(p, p->pos, &t);
	}
	if (n->kind == TN_CONST || n->kind == TN_NIL || n->kind == TN_DOT)
		return tmpl_perr(p, at, -EINVAL, "unexpected . after term \"%.*s\"",
				 n->end - n->start, p->src + n->start);
	if (!n->chain)
		n->chain = p->src + at;
	n->clen = p->pos - (size_t)(n->chain - p->src);
	n->pos = (int)at; /* Go reports a chain where its fields start */
	n->end = (int)p->pos;
	return 0;
}

static int parse_cmd(struct tparser *p, struct tnode **out)
{
	struct tnode *cmd, *arg, **tail;
	struct tok t;
	int ret;

	*out = cmd = tmpl_node(p, TN_CMD, p->pos);
	if (!cmd)
		return -ENOMEM;
	tail = &cmd->list;
	for (;;) {
		tmpl_next_ns(p, &t);
		p->pos = t.pos;
		ret = parse_operand(p, &arg);
		if (ret)
			return ret;
		if (arg) {
			*tail = arg;
			tail = &arg->next;
			cmd->end = arg->end;
		}
		tmpl_next(p, &t);
		if (t.t == T_PIPE)
			return 0;
		if (t.t == T_RDELIM || t.t == T_RPAREN) {
			p->pos = t.pos;
			return 0;
		}
		if (t.t != T_SPACE)
			return tmpl_bad_tok(p, &t, "operand", T_EOF);
	}
}

/* $x := / $x = / $k, $v := (range only) in front of a pipeline */
static int parse_decl(struct tparser *p, struct tnode *pipe, const struct tok *v,
		      const char *ctx)
{
	bool range = !strcmp(ctx, "range");
	struct tok t, v2;
	int i, ret;

	p->pos = v->pos + v->len;
	tmpl_next_ns(p, &t);
	pipe->decl[0] = p->src + v->pos, pipe->dlen[0] = v->len;
	pipe->ndecl = 1;
	if (t.t == T_COMMA && !range)
		return tmpl_perr(p, t.pos, -EINVAL, "too many declarations in %s", ctx);
	if (t.t == T_COMMA) {
		tmpl_next_ns(p, &v2);
		if (v2.t != T_VAR)
			return tmpl_perr(p, v2.pos, -EINVAL, "range can only initialize variables");
		pipe->decl[1] = p->src + v2.pos, pipe->dlen[1] = v2.len;
		pipe->ndecl = 2;
		tmpl_next_ns(p, &t);
		if (t.t != T_DECL && t.t != T_ASSIGN)
			return tmpl_bad_tok(p, &t, ctx, T_RDELIM);
	} else if (t.t != T_DECL && t.t != T_ASSIGN) {
		pipe->ndecl = 0; /* no declaration: $x starts a command */
		p->pos = v->pos;
		return 0;
	}
	pipe->assign = t.t == T_ASSIGN;
	for (i = 0; i < pipe->ndecl; i++) {
		if (pipe->assign && !var_known(p, pipe->decl[i], pipe->dlen[i]))
			return tmpl_perr(p, v->pos, -EINVAL, "undefined variable \"%.*s\"",
					 (int)pipe->dlen[i], pipe->decl[i]);
		ret = pipe->assign ? 0 : add_var(p, pipe->decl[i], pipe->dlen[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int tmpl_parse_pipe(struct tparser *p, const char *ctx, enum tok_type end,
		    struct tnode **out)
{
	struct tnode *pipe, *cmd, **tail;
	struct tok t;
	int ret, i;

	tmpl_next_ns(p, &t);
	*out = pipe = tmpl_node(p, TN_PIPE, t.pos);
	if (!pipe)
		return -ENOMEM;
	p->pos = t.pos;
	ret = t.t == T_VAR ? parse_decl(p, pipe, &t, ctx) : 0;
	tail = &pipe->list;
	while (!ret) {
		tmpl_next_ns(p, &t);
		if (t.t == end)
			break;
		if (t.t < T_FIELD || t.t > T_LPAREN || tmpl_keyword(p, &t) >= 0)
			return tmpl_bad_tok(p, &t, ctx, end);
		p->pos = t.pos;
		ret = parse_cmd(p, tail);
		if (*tail) {
			pipe->end = (*tail)->end;
			tail = &(*tail)->next;
		}
	}
	if (ret)
		return ret;
	p->trim = end == T_RDELIM && t.len == 4;
	if (!pipe->list)
		return tmpl_perr(p, t.pos, -EINVAL, "missing value for %s", ctx);
	/* only the first command may start with something not executable */
	for (cmd = pipe->list->next, i = 2; cmd; cmd = cmd->next, i++)
		if (cmd->list->kind == TN_CONST || cmd->list->kind == TN_NIL ||
		    cmd->list->kind == TN_DOT)
			return tmpl_perr(p, cmd->pos, -EINVAL,
					 "non executable command in pipeline stage %d", i);
	return 0;
}
