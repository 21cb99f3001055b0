/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of core/template: the parse tree (template.c builds it),
 * execution (tmpl_eval.c), the functions (tmpl_func.c) and Go fmt-style
 * printing (tmpl_fmt.c). Not for applets: they use core/template.h.
 */
#ifndef BOXNET_TMPL_INT_H
#define BOXNET_TMPL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/json.h"

/* Limits Go does not have. They keep hostile or mistyped templates from
 * exhausting the C stack, the CPU or memory; no real format comes close. */
#define TMPL_MAX_DEPTH 100	   /* nested blocks and parentheses */
#define TMPL_MAX_STEPS (1L << 22) /* actions and commands executed */
#define TMPL_MAX_STR (1UL << 24)  /* bytes of output or of any string built */

enum tn_kind {
	/* statements */
	TN_TEXT, TN_ACTION, TN_IF, TN_WITH, TN_RANGE, TN_BREAK, TN_CONTINUE,
	/* a pipeline and its commands */
	TN_PIPE, TN_CMD,
	/* operands */
	TN_DOT, TN_FIELD, TN_VAR, TN_FUNC, TN_CONST, TN_NIL, TN_PAREN,
};

struct tnode {
	enum tn_kind kind;
	int pos;		    /* offset reported as line:column, as Go does */
	int start, end;		    /* source span quoted in messages */
	struct tnode *next;	    /* next statement, command or argument */
	struct tnode *all;	    /* every node of a tree, to free them */
	struct tnode *pipe;	    /* ACTION IF WITH RANGE PAREN */
	struct tnode *list, *elist; /* IF WITH RANGE: bodies; PIPE: commands;
				     * CMD: arguments */
	const char *s;		    /* TEXT: the text; VAR: "$name" */
	size_t n;
	const char *chain;	    /* FIELD VAR PAREN FUNC: ".A.B" after the term */
	size_t clen;
	struct jv *val;		    /* CONST NIL: the value (owned) */
	int func;		    /* FUNC: index into tmpl_funcs[] */
	int ndecl;		    /* PIPE: $x := / $k, $v := */
	bool assign;		    /* PIPE: "=" rather than ":=" */
	const char *decl[2];
	size_t dlen[2];
};

/* A value during execution. v NULL is Go's "invalid" reflect.Value (a missing
 * map key), printed "<no value>". own: we hold a reference to v. */
struct tval {
	const struct jv *v;
	bool own;
};

struct sbuf {
	char *p;
	size_t len, cap;
	int err; /* -ENOMEM, or -E2BIG past TMPL_MAX_STR */
};

struct tvar {
	const char *name;
	size_t len;
	struct tval val;
};

struct tstate {
	const char *src;
	struct sbuf out;
	char *err;
	size_t err_size;
	struct tvar *vars;
	size_t nvars, cap;
	long steps;
};

/* parsing */
enum tok_type {
	T_EOF, T_ERR, T_RDELIM, T_SPACE, T_FIELD, T_VAR, T_DOT, T_IDENT, T_STR,
	T_RAW, T_CHAR, T_NUM, T_LPAREN, T_RPAREN, T_PIPE, T_COMMA, T_ASSIGN,
	T_DECL, T_OTHER,
};

struct tok {
	enum tok_type t;
	size_t pos, len;
	const char *msg; /* T_ERR */
	char bad;	 /* T_ERR: the offending character */
};

struct pvar {
	const char *name;
	size_t len;
};

struct tparser {
	const char *src;
	size_t len, pos;
	struct tnode *all;
	int depth, ranges;
	bool trim; /* the last action ended with " -}}" */
	struct pvar *vars; /* variables in scope */
	size_t nvars, cap;
	char *err;
	size_t err_size;
};

/* "template: :LINE: MSG" into p->err; returns @err */
int tmpl_perr(struct tparser *p, size_t pos, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tmpl_next(struct tparser *p, struct tok *t);	/* token, consumed */
void tmpl_next_ns(struct tparser *p, struct tok *t); /* same, after spaces */
void tmpl_lex(const struct tparser *p, size_t i, struct tok *t);
/* index of the keyword @t is in tmpl_keywords[], or -1 */
int tmpl_keyword(const struct tparser *p, const struct tok *t);
extern const char *const tmpl_keywords[];
/* the error for an unexpected token in context @ctx, ended by @end */
int tmpl_bad_tok(struct tparser *p, const struct tok *t, const char *ctx,
		 enum tok_type end);
struct tnode *tmpl_node(struct tparser *p, enum tn_kind kind, size_t pos);
/* parse a pipeline ended by @end (T_RDELIM or T_RPAREN), consumed */
int tmpl_parse_pipe(struct tparser *p, const char *ctx, enum tok_type end,
		    struct tnode **out);
/* replace control characters in @s by spaces: messages are one line */
void tmpl_one_line(char *s);

/* functions */
typedef int tfunc_fn(struct tstate *s, const struct tnode *at, struct tval *argv,
		     int argc, struct tval *res);
struct tfunc {
	const char *name;
	signed char min, max; /* arguments; max -1: any */
	tfunc_fn *fn;	      /* NULL: "and"/"or", evaluated lazily */
};
extern const struct tfunc tmpl_funcs[];
int tmpl_func_find(const char *name, size_t len);
/* Go's truth: false for no value, nil, false, 0, empty; structs are true */
bool tmpl_true(const struct jv *v);

/* values */
void tv_drop(struct tval *t);
struct tval tv_copy(struct tval t);
/* @child, a part of @parent, kept alive as long as the result is */
struct tval tv_sub(struct tval parent, const struct jv *child);
/* a value for the caller to own: @v (NULL: no memory) becomes -ENOMEM */
int tv_new(struct tstate *s, struct tval *res, struct jv *v);
const char *tmpl_typename(const struct jv *v);

/* execution */
int tmpl_run(struct tstate *s, const struct tnode *list, const struct jv *root);
/* tmpl_fail - format "template: :L:C: executing "" at <ctx>: MSG" into
 * s->err; returns -EINVAL (-ENOMEM/-E2BIG for those messages' sake) */
int tmpl_fail(struct tstate *s, const struct tnode *at, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* strings */
void sb_put(struct sbuf *b, const char *s, size_t n);
void sb_putc(struct sbuf *b, char c);
void sb_puts(struct sbuf *b, const char *s);
void sb_fill(struct sbuf *b, char c, size_t n);
/* encode code point @r as UTF-8 at @out (4 bytes room); returns the length */
size_t tmpl_utf8_put(char *out, unsigned long r);
/* the members of an object in Go's map order (sorted by key): key and index
 * for jv_at(); free() it. NULL: no memory. */
struct tkv {
	const char *key;
	size_t i;
};
struct tkv *tmpl_sorted(const struct jv *obj);
/* fmt.Fprint of one value, as an action prints it ("<no value>" for NULL) */
void tmpl_print(struct sbuf *b, const struct jv *v);
/* fmt.Sprint (@ln false) and fmt.Sprintln (@ln true) */
void tmpl_sprint(struct sbuf *b, const struct tval *argv, int argc, bool ln);
/* fmt.Sprintf with @fmt of @n bytes */
void tmpl_sprintf(struct sbuf *b, const char *fmt, size_t n,
		  const struct tval *argv, int argc);

#endif
