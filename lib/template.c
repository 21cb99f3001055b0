// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Go text/template as docker's --format uses it: the entry point, the lexer
 * and the statement level of the parser. Expressions are parsed in
 * tmpl_parse.c and executed in tmpl_eval.c. The lexer is stateless (a token
 * is a function of its position), so the parser backs up by resetting its
 * position.
 */
#include "lib/template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmpl_int.h"

enum { END_NONE, END_EOF, END_END, END_ELSE, END_ELSE_IF, END_ELSE_WITH };
enum { K_IF, K_ELSE, K_END, K_RANGE, K_WITH, K_BREAK, K_CONTINUE };
const char *const tmpl_keywords[] = { "if", "else", "end", "range", "with",
	"break", "continue", "define", "template", "block", NULL };

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Go takes Unicode letters too: any non-ASCII byte stands in for them */
static bool is_alnum(char c)
{
	unsigned char u = (unsigned char)c;

	return u == '_' || (u >= '0' && u <= '9') ||
	       ((u | 32) >= 'a' && (u | 32) <= 'z') || u >= 0x80;
}

/* what may follow a field, variable or identifier */
static bool at_terminator(const char *s)
{
	return !*s || is_space(*s) || strchr(".,|:()", *s) || !strncmp(s, "}}", 2);
}

int tmpl_perr(struct tparser *p, size_t pos, int err, const char *fmt, ...)
{
	va_list ap;
	size_t i;
	int line = 1, n;

	for (i = 0; i < pos && i < p->len; i++)
		line += p->src[i] == '\n';
	if (!p->err_size)
		return err;
	n = snprintf(p->err, p->err_size, "template: :%d: ", line);
	if (n > 0 && (size_t)n < p->err_size) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	tmpl_one_line(p->err);
	return err;
}

static int lex_quote(const char *s, size_t i, struct tok *t)
{
	size_t j = i + 1;

	for (; s[j] != s[i]; j++) {
		if (s[j] == '\\')
			j++;
		if (!s[j] || s[j] == '\n') {
			t->msg = s[i] == '"' ? "unterminated quoted string" :
					       "unterminated character constant";
			return T_ERR;
		}
	}
	t->len = j + 1 - i;
	return s[i] == '"' ? T_STR : T_CHAR;
}

/* a field, variable, identifier or number starting at @i */
static int lex_word(const char *s, size_t i, struct tok *t)
{
	size_t j = i + 1;
	char c = s[i];

	if (c == '+' || c == '-' || (c >= '0' && c <= '9') || c == '.') {
		if (c != '.' || (s[j] >= '0' && s[j] <= '9')) {
			/* Go scans digits, '.', exponents and suffixes, then
			 * complains about the whole word: so do we */
			while (is_alnum(s[j]) || s[j] == '.' ||
			       ((s[j] == '+' || s[j] == '-') && strchr("eEpP", s[j - 1])))
				j++;
			t->len = j - i;
			return T_NUM;
		}
	}
	while (is_alnum(s[j]))
		j++;
	t->len = j - i;
	if (!at_terminator(s + j)) {
		t->msg = "bad character";
		t->bad = s[j];
		return T_ERR;
	}
	if (c == '$')
		return T_VAR;
	if (c == '.')
		return j == i + 1 ? T_DOT : T_FIELD;
	return T_IDENT;
}

/* the token at @i, inside an action; see Go's lexInsideAction */
void tmpl_lex(const struct tparser *p, size_t i, struct tok *t)
{
	static const char ops[] = "()|,=";
	const char *s = p->src, *e;
	size_t j = i + 1;
	char c = s[i];

	t->pos = i;
	t->len = 1;
	t->msg = NULL;
	t->bad = 0;
	if (!c) {
		t->t = T_EOF, t->len = 0;
	} else if (c == '}' && s[j] == '}') {
		t->t = T_RDELIM, t->len = 2;
	} else if (is_space(c)) {
		while (is_space(s[j]))
			j++;
		/* " -}}" is a delimiter that trims the text after it */
		if (!strncmp(s + j, "-}}", 3) && j-- == i + 1)
			t->t = T_RDELIM, t->len = 4;
		else
			t->t = T_SPACE, t->len = j - i;
	} else if (c == '"' || c == '\'') {
		t->t = lex_quote(s, i, t);
	} else if (c == '`') {
		e = strchr(s + j, '`');
		t->t = e ? T_RAW : T_ERR;
		t->len = e ? (size_t)(e - s) + 1 - i : 0;
		t->msg = "unterminated raw quoted string";
	} else if (c == '$' || c == '+' || c == '-' || c == '.' || is_alnum(c)) {
		t->t = lex_word(s, i, t);
	} else if (c == ':') {
		t->t = s[j] == '=' ? T_DECL : T_ERR, t->len = 2;
		t->msg = "expected :=";
	} else if (strchr(ops, c)) {
		t->t = (enum tok_type)(T_LPAREN + (strchr(ops, c) - ops));
	} else {
		t->t = (unsigned char)c < 0x20 || c == 0x7f ? T_ERR : T_OTHER;
		t->msg = "unrecognized character in action:";
		t->bad = c;
	}
	if (t->t == T_ERR)
		t->len = 0;
}

void tmpl_next(struct tparser *p, struct tok *t)
{
	tmpl_lex(p, p->pos, t);
	p->pos = t->pos + t->len;
}

void tmpl_next_ns(struct tparser *p, struct tok *t)
{
	do
		tmpl_next(p, t);
	while (t->t == T_SPACE);
}

int tmpl_keyword(const struct tparser *p, const struct tok *t)
{
	int k;

	for (k = 0; t->t == T_IDENT && tmpl_keywords[k]; k++)
		if (strlen(tmpl_keywords[k]) == t->len &&
		    !memcmp(tmpl_keywords[k], p->src + t->pos, t->len))
			return k;
	return -1;
}

int tmpl_bad_tok(struct tparser *p, const struct tok *t, const char *ctx,
		 enum tok_type end)
{
	int kw = tmpl_keyword(p, t), n = t->len > 10 ? 10 : (int)t->len;
	char q[5] = "";

	if (t->t == T_ERR && t->bad > ' ') /* as Go's %#U */
		snprintf(q, sizeof(q), " '%c'", t->bad);
	if (t->t == T_ERR && t->bad)
		return tmpl_perr(p, t->pos, -EINVAL, "%s U+%04X%s", t->msg,
				 (unsigned char)t->bad, q);
	if (t->t == T_ERR)
		return tmpl_perr(p, t->pos, -EINVAL, "%s", t->msg);
	if (t->t == T_EOF)
		return tmpl_perr(p, t->pos, -EINVAL, "unclosed action");
	if (t->t == T_RDELIM && end == T_RPAREN)
		return tmpl_perr(p, t->pos, -EINVAL, "unclosed left paren");
	if (t->t == T_RPAREN && end != T_RPAREN)
		return tmpl_perr(p, t->pos, -EINVAL, "unexpected right paren");
	if (kw >= 0)
		return tmpl_perr(p, t->pos, -EINVAL, "unexpected <%s> in %s",
				 tmpl_keywords[kw], ctx);
	return tmpl_perr(p, t->pos, -EINVAL, "unexpected \"%.*s\"%s in %s", n,
			 p->src + t->pos, t->len > 10 ? "..." : "", ctx);
}

struct tnode *tmpl_node(struct tparser *p, enum tn_kind kind, size_t pos)
{
	struct tnode *n = calloc(1, sizeof(*n));

	if (!n) {
		tmpl_perr(p, pos, -ENOMEM, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->pos = n->start = n->end = (int)pos;
	n->all = p->all;
	p->all = n;
	return n;
}

/* "}}" or " -}}" must come next */
static int expect_end(struct tparser *p, const char *ctx)
{
	struct tok t;

	tmpl_next_ns(p, &t);
	if (t.t != T_RDELIM)
		return tmpl_bad_tok(p, &t, ctx, T_RDELIM);
	p->trim = t.len == 4;
	return 0;
}

/* Text up to the next action, trimmed as its neighbours' markers say. Leaves
 * p->pos inside the action and returns 0, or 1 at the end of the template. */
static int parse_text(struct tparser *p, struct tnode ***tail)
{
	const char *lb = strstr(p->src + p->pos, "{{");
	size_t a = p->pos, b = lb ? (size_t)(lb - p->src) : p->len;
	bool ltrim = lb && lb[2] == '-' && is_space(lb[3]);
	struct tnode *n;

	while (p->trim && a < b && is_space(p->src[a]))
		a++;
	while (ltrim && b > a && is_space(p->src[b - 1]))
		b--;
	p->trim = false;
	if (b > a) {
		n = tmpl_node(p, TN_TEXT, a);
		if (!n)
			return -ENOMEM;
		n->s = p->src + a;
		n->n = b - a;
		**tail = n;
		*tail = &n->next;
	}
	if (!lb) {
		p->pos = p->len;
		return 1;
	}
	p->pos = (size_t)(lb - p->src) + (ltrim ? 4 : 2);
	return 0;
}

/* a comment must fill its action, as in Go */
static int parse_comment(struct tparser *p)
{
	const char *end = strstr(p->src + p->pos + 2, "*/");
	size_t at = p->pos;

	if (!end)
		return tmpl_perr(p, at, -EINVAL, "unclosed comment");
	p->pos = (size_t)(end - p->src) + 2;
	if (!strncmp(p->src + p->pos, "}}", 2) ||
	    (is_space(p->src[p->pos]) && !strncmp(p->src + p->pos + 1, "-}}", 3)))
		return expect_end(p, "comment");
	return tmpl_perr(p, at, -EINVAL, "comment ends before closing delimiter");
}

static int parse_list(struct tparser *p, struct tnode **head, int *how);

static int bad_end(struct tparser *p, int how)
{
	if (how == END_EOF)
		return tmpl_perr(p, p->pos, -EINVAL, "unexpected EOF");
	return tmpl_perr(p, p->pos, -EINVAL, "expected end; found {{else}}");
}

/* {{if}}, {{with}}, {{range}} up to their {{end}} */
static int parse_control(struct tparser *p, int kw, size_t pos, struct tnode **out)
{
	size_t mark = p->nvars;
	struct tnode *n;
	struct tok t;
	int how, ret;

	*out = n = tmpl_node(p, kw == K_IF ? TN_IF : kw == K_WITH ? TN_WITH : TN_RANGE, pos);
	if (!n)
		return -ENOMEM;
	if (++p->depth > TMPL_MAX_DEPTH) {
		ret = tmpl_perr(p, pos, -EINVAL, "max nesting depth exceeded");
		goto out;
	}
	ret = tmpl_parse_pipe(p, tmpl_keywords[kw], T_RDELIM, &n->pipe);
	if (ret)
		goto out;
	p->ranges += kw == K_RANGE;
	ret = parse_list(p, &n->list, &how);
	p->ranges -= kw == K_RANGE;
	if (ret)
		goto out;
	if ((how == END_ELSE_IF && kw == K_IF) || (how == END_ELSE_WITH && kw == K_WITH)) {
		/* {{else if x}} is {{else}}{{if x}} sharing the {{end}} */
		tmpl_next_ns(p, &t);
		ret = parse_control(p, kw, t.pos, &n->elist);
	} else if (how == END_ELSE) {
		ret = parse_list(p, &n->elist, &how);
		if (!ret && how != END_END)
			ret = bad_end(p, how);
	} else if (how != END_END) {
		ret = bad_end(p, how);
	}
out:
	p->nvars = mark;
	p->depth--;
	return ret;
}

static int parse_else(struct tparser *p, int *how)
{
	size_t at = p->pos;
	struct tok t;
	int kw;

	tmpl_next_ns(p, &t);
	kw = tmpl_keyword(p, &t);
	if (kw == K_IF || kw == K_WITH) {
		p->pos = t.pos;
		*how = kw == K_IF ? END_ELSE_IF : END_ELSE_WITH;
		return 0;
	}
	p->pos = at;
	*how = END_ELSE;
	return expect_end(p, "else");
}

/* one action; *@out NULL for a comment, *@how set by {{end}} and {{else}} */
static int parse_action(struct tparser *p, struct tnode **out, int *how)
{
	struct tok t;
	int kw;

	*out = NULL;
	*how = END_NONE;
	if (!strncmp(p->src + p->pos, "/*", 2))
		return parse_comment(p);
	tmpl_next_ns(p, &t);
	kw = tmpl_keyword(p, &t);
	switch (kw) {
	case -1:
		break;
	case K_END:
		*how = END_END;
		return expect_end(p, "end");
	case K_ELSE:
		return parse_else(p, how);
	case K_IF:
	case K_WITH:
	case K_RANGE:
		return parse_control(p, kw, t.pos, out);
	case K_BREAK:
	case K_CONTINUE:
		if (!p->ranges)
			return tmpl_perr(p, t.pos, -EINVAL, "{{%s}} outside {{range}}",
					 tmpl_keywords[kw]);
		*out = tmpl_node(p, kw == K_BREAK ? TN_BREAK : TN_CONTINUE, t.pos);
		return *out ? expect_end(p, tmpl_keywords[kw]) : -ENOMEM;
	default:
		return tmpl_perr(p, t.pos, -EINVAL, "{{%s}} is not supported",
				 tmpl_keywords[kw]);
	}
	p->pos = t.pos;
	*out = tmpl_node(p, TN_ACTION, t.pos);
	if (!*out)
		return -ENOMEM;
	return tmpl_parse_pipe(p, "command", T_RDELIM, &(*out)->pipe);
}

static int parse_list(struct tparser *p, struct tnode **head, int *how)
{
	struct tnode **tail = head, *n;
	int ret;

	for (;;) {
		ret = parse_text(p, &tail);
		if (ret) {
			*how = END_EOF;
			return ret < 0 ? ret : 0;
		}
		ret = parse_action(p, &n, how);
		if (ret || *how)
			return ret;
		if (n) {
			*tail = n;
			tail = &n->next;
		}
	}
}

int tmpl_exec(FILE *f, const char *tmpl, const struct jv *root, char *err,
	      size_t err_size)
{
	struct tparser p = { .src = tmpl, .err = err, .err_size = err ? err_size : 0 };
	struct tstate s = { .src = tmpl, .err = err, .err_size = p.err_size };
	struct tnode *list = NULL, *n;
	int how, ret;

	if (p.err_size)
		*err = '\0';
	if (!f || !tmpl)
		return -EINVAL;
	p.len = strlen(tmpl);
	if (p.len > TMPL_MAX_STR)
		return tmpl_perr(&p, 0, -E2BIG, "template too long");
	ret = parse_list(&p, &list, &how);
	if (!ret && how != END_EOF)
		ret = tmpl_perr(&p, p.pos, -EINVAL, "unexpected {{%s}}",
				how == END_END ? "end" : "else");
	free(p.vars);
	if (!ret)
		ret = tmpl_run(&s, list, root);
	/* Output only from a complete run, as docker buffers it */
	if (!ret && s.out.len && fwrite(s.out.p, 1, s.out.len, f) != s.out.len)
		ret = tmpl_fail(&s, NULL, errno > 0 ? -errno : -EIO, "write error");
	free(s.out.p);
	while ((n = p.all)) {
		p.all = n->all;
		jv_free(n->val);
		free(n);
	}
	return ret;
}
