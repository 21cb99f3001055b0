// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Go text/template: execution over a struct jv tree, after Go's exec.go.
 *
 * How JSON stands in for Go values: a jv_object is a Go struct, so a missing
 * field is an error (docker, failing on its typed struct, retries on the JSON
 * with missingkey=error and reports "map has no entry for key"); a jv_map is
 * a Go map, where a missing key is "no value"; JSON null is a nil interface.
 *
 * Values computed during execution (function results) are reference
 * counted: a struct tval owning one holds a reference, and a part of it
 * (index, field) takes its own. Values of the caller's tree are borrowed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmpl_int.h"

enum { WALK_BREAK = 1, WALK_CONTINUE };

void tmpl_one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

int tmpl_fail(struct tstate *s, const struct tnode *at, int err, const char *fmt, ...)
{
	int line = 1, len, n;
	size_t i, bol = 0;
	va_list ap;

	if (!s->err_size)
		return err;
	if (at) {
		for (i = 0; i < (size_t)at->pos; i++)
			if (s->src[i] == '\n')
				line++, bol = i + 1;
		/* Go counts columns from 0, and quotes at most 20 bytes */
		len = at->end - at->start;
		n = snprintf(s->err, s->err_size,
			     "template: :%d:%d: executing \"\" at <%.*s%s>: ", line,
			     at->pos - (int)bol, len > 20 ? 20 : len,
			     s->src + at->start, len > 20 ? "..." : "");
	} else {
		n = snprintf(s->err, s->err_size, "template: ");
	}
	if (n > 0 && (size_t)n < s->err_size) {
		va_start(ap, fmt);
		vsnprintf(s->err + n, s->err_size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	tmpl_one_line(s->err);
	return err;
}

void tv_drop(struct tval *t)
{
	if (t->own)
		jv_free((struct jv *)t->v);
	t->v = NULL;
	t->own = false;
}

struct tval tv_copy(struct tval t)
{
	if (t.own)
		jv_ref((struct jv *)t.v);
	return t;
}

struct tval tv_sub(struct tval parent, const struct jv *child)
{
	struct tval t = { child, parent.own && child };

	return tv_copy(t);
}

int tv_new(struct tstate *s, struct tval *res, struct jv *v)
{
	if (!v)
		return tmpl_fail(s, NULL, -ENOMEM, "out of memory");
	res->v = v;
	res->own = true;
	return 0;
}

bool tmpl_true(const struct jv *v)
{
	switch (jv_type(v)) {
	case JV_BOOL:
		return jv_boolval(v);
	case JV_INT:
		return jv_intval(v) != 0;
	case JV_STR:
	case JV_ARRAY:
		return jv_len(v) > 0;
	case JV_OBJECT:
		return !jv_is_map(v) || jv_len(v) > 0; /* structs are always true */
	default:
		return false;
	}
}

const char *tmpl_typename(const struct jv *v)
{
	static const char *const names[] = { "<nil>", "bool", "int", "string",
		"[]interface {}", "map[string]interface {}" };

	return names[jv_type(v)];
}

static int out_check(struct tstate *s, const struct tnode *n)
{
	if (!s->out.err)
		return 0;
	return tmpl_fail(s, n, s->out.err, s->out.err == -ENOMEM ?
			 "out of memory" : "output too large");
}

/* --- variables ----------------------------------------------------------- */

static int push_var(struct tstate *s, const char *name, size_t len, struct tval v)
{
	struct tvar *nv;

	if (s->nvars == s->cap) {
		nv = realloc(s->vars, (s->cap * 2 + 8) * sizeof(*nv));
		if (!nv) {
			tv_drop(&v);
			return tmpl_fail(s, NULL, -ENOMEM, "out of memory");
		}
		s->vars = nv;
		s->cap = s->cap * 2 + 8;
	}
	s->vars[s->nvars].name = name;
	s->vars[s->nvars].len = len;
	s->vars[s->nvars++].val = v;
	return 0;
}

static void pop_vars(struct tstate *s, size_t mark)
{
	while (s->nvars > mark)
		tv_drop(&s->vars[--s->nvars].val);
}

static struct tvar *find_var(struct tstate *s, const char *name, size_t len)
{
	size_t i = s->nvars;

	while (i--)
		if (s->vars[i].len == len && !memcmp(s->vars[i].name, name, len))
			return &s->vars[i];
	return NULL;
}

/* give variable @i of @pipe the value @v: a new one for "$x :=" when
 * @declare, else the innermost one of that name */
static int set_var(struct tstate *s, const struct tnode *pipe, int i,
		   struct tval v, bool declare)
{
	struct tvar *var;

	if (declare && !pipe->assign)
		return push_var(s, pipe->decl[i], pipe->dlen[i], tv_copy(v));
	var = find_var(s, pipe->decl[i], pipe->dlen[i]);
	if (!var)
		return tmpl_fail(s, pipe, -EINVAL, "undefined variable: %.*s",
				 (int)pipe->dlen[i], pipe->decl[i]);
	tv_drop(&var->val);
	var->val = tv_copy(v);
	return 0;
}

/* --- expressions --------------------------------------------------------- */

static int eval_pipe(struct tstate *s, const struct tnode *pipe, struct tval dot,
		     struct tval *res);
static int call(struct tstate *s, const struct tnode *fn, const struct tnode *args,
		const struct tnode *at, struct tval dot, const struct tval *final,
		struct tval *res);

static const struct jv *member(const struct jv *o, const char *name, size_t len)
{
	size_t i, n = jv_len(o);
	const char *k;

	for (i = 0; i < n; i++) {
		k = jv_key(o, i);
		if (!strncmp(k, name, len) && !k[len])
			return jv_at(o, i);
	}
	return NULL;
}

/* .@name of @recv, as Go's evalField does for maps and structs */
static int field(struct tstate *s, const struct tnode *at, struct tval recv,
		 const char *name, size_t len, struct tval *out)
{
	const struct jv *v = recv.v, *m;

	out->v = NULL;
	out->own = false;
	/* no value, or a nil map: no value, as Go's default missingkey */
	if (jv_type(v) == JV_NULL)
		return 0;
	if (jv_type(v) != JV_OBJECT)
		return tmpl_fail(s, at, -EINVAL, "can't evaluate field %.*s in type %s",
				 (int)len, name, tmpl_typename(v));
	m = member(v, name, len);
	if (m)
		*out = tv_sub(recv, m);
	else if (!jv_is_map(v))
		return tmpl_fail(s, at, -EINVAL, "map has no entry for key \"%.*s\"",
				 (int)len, name);
	return 0;
}

/* the fields of @n's chain, ".A.B", applied to @recv (consumed) */
static int eval_chain(struct tstate *s, const struct tnode *n, struct tval recv,
		      struct tval *res)
{
	const char *p = n->chain, *end = n->chain + n->clen, *q;
	struct tval next;
	int ret = 0;

	while (p < end && !ret) {
		for (q = ++p; q < end && *q != '.'; q++)
			;
		ret = field(s, n, recv, p, (size_t)(q - p), &next);
		tv_drop(&recv);
		recv = next;
		p = q;
	}
	*res = recv;
	return ret;
}

/* an operand used as a value: Go's evalArg */
static int eval_arg(struct tstate *s, const struct tnode *n, struct tval dot,
		    struct tval *res)
{
	struct tval base = { NULL, false };
	struct tvar *var;
	int ret = 0;

	switch (n->kind) {
	case TN_DOT:
	case TN_FIELD:
		base = tv_copy(dot);
		break;
	case TN_VAR:
		var = find_var(s, n->s, n->n);
		if (!var)
			ret = tmpl_fail(s, n, -EINVAL, "undefined variable: %.*s",
					(int)n->n, n->s);
		else
			base = tv_copy(var->val);
		break;
	case TN_FUNC:
		ret = call(s, n, NULL, n, dot, NULL, &base);
		break;
	case TN_PAREN:
		ret = eval_pipe(s, n->pipe, dot, &base);
		break;
	default:
		base.v = n->val;
	}
	if (ret || !n->clen) {
		*res = base;
		return ret;
	}
	return eval_chain(s, n, base, res);
}

/* "and" and "or" evaluate their arguments only as far as needed */
static int lazy(struct tstate *s, bool or, const struct tnode *a, struct tval dot,
		const struct tval *final, int argc, struct tval *res)
{
	int i, ret;

	for (i = 0; i < argc; i++) {
		tv_drop(res);
		if (a) {
			ret = eval_arg(s, a, dot, res);
			if (ret)
				return ret;
			a = a->next;
		} else {
			*res = tv_copy(*final);
		}
		if (tmpl_true(res->v) == or)
			break;
	}
	return 0;
}

/* call function @fn with the arguments @args and the pipeline's @final */
static int call(struct tstate *s, const struct tnode *fn, const struct tnode *args,
		const struct tnode *at, struct tval dot, const struct tval *final,
		struct tval *res)
{
	const struct tfunc *f = &tmpl_funcs[fn->func];
	const struct tnode *a;
	struct tval *argv;
	int argc = final != NULL, i = 0, ret = 0;

	res->v = NULL;
	res->own = false;
	for (a = args; a; a = a->next)
		argc++;
	if (argc < f->min || (f->max >= 0 && argc > f->max))
		return tmpl_fail(s, fn, -EINVAL, "wrong number of args for %s: want %s%d got %d",
				 f->name, f->max < 0 ? "at least " : "", f->min, argc);
	if (!f->fn)
		return lazy(s, f->name[0] == 'o', args, dot, final, argc, res);
	argv = calloc((size_t)argc + 1, sizeof(*argv));
	if (!argv)
		return tmpl_fail(s, NULL, -ENOMEM, "out of memory");
	for (a = args; a && !ret; a = a->next)
		ret = eval_arg(s, a, dot, &argv[i++]);
	if (!ret && final)
		argv[i++] = tv_copy(*final);
	if (!ret)
		ret = f->fn(s, at, argv, argc, res);
	while (i--)
		tv_drop(&argv[i]);
	free(argv);
	return ret;
}

static int eval_cmd(struct tstate *s, const struct tnode *cmd, struct tval dot,
		    const struct tval *final, struct tval *res)
{
	const struct tnode *w = cmd->list;
	const char *name;

	res->v = NULL;
	res->own = false;
	if (++s->steps > TMPL_MAX_STEPS)
		return tmpl_fail(s, cmd, -E2BIG, "more than %ld steps", TMPL_MAX_STEPS);
	if (w->kind == TN_FUNC && !w->clen)
		return call(s, w, w->next, cmd, dot, final, res);
	if ((w->next || final) && w->clen) {
		for (name = w->chain + w->clen; name[-1] != '.'; name--)
			;
		return tmpl_fail(s, w, -EINVAL, "%.*s is not a method but has arguments",
				 (int)(w->chain + w->clen - name), name);
	}
	if (w->next || final)
		return tmpl_fail(s, w, -EINVAL, "can't give argument to non-function %.*s",
				 w->end - w->start, s->src + w->start);
	if (w->kind == TN_NIL)
		return tmpl_fail(s, w, -EINVAL, "nil is not a command");
	return eval_arg(s, w, dot, res);
}

/* each command's result is the last argument of the next one */
static int eval_pipe(struct tstate *s, const struct tnode *pipe, struct tval dot,
		     struct tval *res)
{
	const struct tnode *cmd;
	struct tval v = { NULL, false }, next;
	int ret = 0;

	for (cmd = pipe->list; cmd && !ret; cmd = cmd->next) {
		ret = eval_cmd(s, cmd, dot, cmd == pipe->list ? NULL : &v, &next);
		tv_drop(&v);
		v = next;
	}
	*res = v;
	return ret;
}

/* --- statements ---------------------------------------------------------- */

static int walk(struct tstate *s, const struct tnode *n, struct tval dot);

static int walk_list(struct tstate *s, const struct tnode *n, struct tval dot)
{
	int ret = 0;

	for (; n && !ret; n = n->next)
		ret = walk(s, n, dot);
	return ret;
}

static int walk_action(struct tstate *s, const struct tnode *n, struct tval dot)
{
	struct tval v;
	int ret = eval_pipe(s, n->pipe, dot, &v);

	if (!ret && n->pipe->ndecl)
		ret = set_var(s, n->pipe, 0, v, true);
	else if (!ret)
		tmpl_print(&s->out, v.v);
	tv_drop(&v);
	return ret ? ret : out_check(s, n);
}

/* {{if}} and {{with}}: variables they declare live until their {{end}} */
static int walk_if(struct tstate *s, const struct tnode *n, struct tval dot)
{
	size_t mark = s->nvars;
	struct tval v;
	int ret = eval_pipe(s, n->pipe, dot, &v);

	if (!ret && n->pipe->ndecl)
		ret = set_var(s, n->pipe, 0, v, true);
	if (!ret && tmpl_true(v.v))
		ret = walk_list(s, n->list, n->kind == TN_WITH ? v : dot);
	else if (!ret)
		ret = walk_list(s, n->elist, dot);
	tv_drop(&v);
	pop_vars(s, mark);
	return ret;
}

/* one pass of a range body: set its variables, then drop those the body
 * declared */
static int iterate(struct tstate *s, const struct tnode *n, struct tval key,
		   struct tval elem)
{
	const struct tnode *pipe = n->pipe;
	size_t mark = s->nvars;
	int ret = 0;

	if (++s->steps > TMPL_MAX_STEPS)
		return tmpl_fail(s, pipe, -E2BIG, "more than %ld steps", TMPL_MAX_STEPS);
	if (pipe->ndecl)
		ret = set_var(s, pipe, pipe->ndecl - 1, elem, false);
	if (!ret && pipe->ndecl > 1)
		ret = set_var(s, pipe, 0, key, false);
	if (!ret)
		ret = walk_list(s, n->list, elem);
	pop_vars(s, mark);
	return ret;
}

/* element @i of what @v ranges over, and its index or key if @want_key */
static int range_item(struct tstate *s, struct tval v, const struct tkv *kv,
		      size_t i, bool want_key, struct tval *key, struct tval *elem)
{
	if (jv_type(v.v) == JV_INT)
		return tv_new(s, elem, jv_int((long long)i));
	*elem = tv_sub(v, jv_at(v.v, kv ? kv[i].i : i));
	if (!want_key)
		return 0;
	return tv_new(s, key, kv ? jv_str(kv[i].key) : jv_int((long long)i));
}

static int range_error(struct tstate *s, const struct tnode *at, const struct jv *v)
{
	struct sbuf b = { 0 };
	int ret;

	tmpl_print(&b, v);
	ret = tmpl_fail(s, at, -EINVAL, "range can't iterate over %.*s",
			b.len > 40 ? 40 : (int)b.len, b.p ? b.p : "");
	free(b.p);
	return ret;
}

/* {{range}} over an array, a map or struct (sorted by key, as Go ranges over
 * maps), or an integer (Go 1.22); over nothing or nil it runs {{else}} */
static int walk_range(struct tstate *s, const struct tnode *n, struct tval dot)
{
	const struct tnode *pipe = n->pipe;
	struct tval v, key = { NULL, false }, elem = { NULL, false };
	size_t mark = s->nvars, i, len = 0;
	struct tkv *kv = NULL;
	int ret, i2;

	ret = eval_pipe(s, pipe, dot, &v);
	for (i2 = 0; !ret && i2 < pipe->ndecl; i2++)
		ret = set_var(s, pipe, i2, v, true);
	if (ret)
		goto out;
	if (jv_type(v.v) == JV_ARRAY || jv_type(v.v) == JV_OBJECT)
		len = jv_len(v.v);
	else if (jv_type(v.v) == JV_INT && jv_intval(v.v) > 0)
		len = (size_t)jv_intval(v.v);
	if (jv_type(v.v) == JV_BOOL || jv_type(v.v) == JV_STR)
		ret = range_error(s, pipe, v.v);
	else if (jv_type(v.v) == JV_INT && pipe->ndecl > 1)
		ret = tmpl_fail(s, pipe, -EINVAL,
				"can't use %lld to iterate over more than one variable",
				jv_intval(v.v));
	else if (jv_type(v.v) == JV_OBJECT && !(kv = tmpl_sorted(v.v)))
		ret = tmpl_fail(s, NULL, -ENOMEM, "out of memory");
	for (i = 0; !ret && i < len; i++) {
		ret = range_item(s, v, kv, i, pipe->ndecl > 1, &key, &elem);
		if (!ret)
			ret = iterate(s, n, key, elem);
		tv_drop(&key);
		tv_drop(&elem);
		if (ret == WALK_BREAK)
			break;
		if (ret == WALK_CONTINUE)
			ret = 0;
	}
	if (ret == WALK_BREAK)
		ret = 0;
	else if (!ret && !len)
		ret = walk_list(s, n->elist, dot);
out:
	free(kv);
	tv_drop(&v);
	pop_vars(s, mark);
	return ret;
}

static int walk(struct tstate *s, const struct tnode *n, struct tval dot)
{
	if (++s->steps > TMPL_MAX_STEPS)
		return tmpl_fail(s, n, -E2BIG, "more than %ld steps", TMPL_MAX_STEPS);
	switch (n->kind) {
	case TN_TEXT:
		sb_put(&s->out, n->s, n->n);
		return out_check(s, n);
	case TN_ACTION:
		return walk_action(s, n, dot);
	case TN_IF:
	case TN_WITH:
		return walk_if(s, n, dot);
	case TN_RANGE:
		return walk_range(s, n, dot);
	case TN_BREAK:
		return WALK_BREAK;
	default:
		return WALK_CONTINUE;
	}
}

int tmpl_run(struct tstate *s, const struct tnode *list, const struct jv *root)
{
	struct tval dot = { root, false };
	int ret = push_var(s, "$", 1, dot);

	if (!ret)
		ret = walk_list(s, list, dot);
	pop_vars(s, 0);
	free(s->vars);
	s->vars = NULL;
	return ret > 0 ? 0 : ret;
}
