/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small JSON value tree, printed byte for byte as Go's encoding/json prints
 * it, so that netinspect and netls can reproduce docker's output. Pure: no
 * global state, never prints to stderr.
 *
 * Ownership: every constructor returns a node with one reference; jv_push()
 * and jv_set() take over the caller's reference; jv_free() drops one and frees
 * the node (and its children) when none is left. Only core/template takes
 * extra references (jv_ref); a tree built with the constructors alone is freed
 * by one jv_free() of its root.
 *
 * Allocation failures: constructors return NULL (errno ENOMEM). Passing such a
 * NULL to jv_push()/jv_set() does not crash: the container records that it
 * lost a value, and jv_write() of any tree holding it returns -ENOMEM without
 * writing anything. So a caller may build a whole document unchecked and look
 * at one return value at the end.
 */
#ifndef BOXNET_JSON_H
#define BOXNET_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum jv_type { JV_NULL, JV_BOOL, JV_INT, JV_STR, JV_ARRAY, JV_OBJECT };

struct jv;

/* Constructors: a new value the caller owns until jv_push/jv_set take it,
 * or NULL when out of memory (which the containers record, see above). */
struct jv *jv_null(void);
struct jv *jv_bool(bool b);
struct jv *jv_int(long long n);
/* jv_str - a copy of the NUL-terminated @s (NULL @s: NULL, errno EINVAL). */
struct jv *jv_str(const char *s);
/* jv_strn - a copy of @n bytes at @s, which may hold NUL bytes. */
struct jv *jv_strn(const char *s, size_t n);
struct jv *jv_array(void);
/* jv_object - a Go struct: members are printed in insertion order. */
struct jv *jv_object(void);
/* jv_map - a Go map: members are printed sorted bytewise by key. Its type is
 * JV_OBJECT too; see jv_is_map(). */
struct jv *jv_map(void);

/* jv_push - append @v to the array @arr and take ownership of @v. @v NULL
 * (a failed constructor) or no memory: @arr is marked, see above. @arr NULL
 * or not an array: @v is freed. */
void jv_push(struct jv *arr, struct jv *v);
/* jv_set - set member @key of object @obj to @v, taking ownership of @v. An
 * existing member keeps its place and gets the new value. Failures as for
 * jv_push(). */
void jv_set(struct jv *obj, const char *key, struct jv *v);

/* jv_get - the value of member @key of @obj, NULL if absent or @obj is not an
 * object. The tree keeps ownership. */
struct jv *jv_get(const struct jv *obj, const char *key);
/* jv_at - element @i of an array, or the value of member @i of an object in
 * printing order (insertion for a struct, sorted for a map); NULL if out of
 * range. */
struct jv *jv_at(const struct jv *arr, size_t i);
/* jv_key - the key of member @i of an object in printing order, or NULL. */
const char *jv_key(const struct jv *obj, size_t i);
/* jv_len - members of an object, elements of an array, bytes of a string;
 * 0 for anything else and for NULL. */
size_t jv_len(const struct jv *v);
/* jv_type - the type of @v; NULL counts as JV_NULL. */
enum jv_type jv_type(const struct jv *v);
bool jv_is_map(const struct jv *v);
/* Scalar contents; false, 0 or NULL when @v has another type. jv_strval()'s
 * string is NUL-terminated and jv_len() bytes long. */
bool jv_boolval(const struct jv *v);
long long jv_intval(const struct jv *v);
const char *jv_strval(const struct jv *v);

/* jv_ref - add a reference to @v (NULL allowed) and return it. */
struct jv *jv_ref(struct jv *v);
/* jv_free - drop a reference to @v (NULL allowed). */
void jv_free(struct jv *v);

/* jv_utf8 - the length (1 to 4) of the valid UTF-8 sequence at @s, which has
 * @n bytes, and its code point in *@rune (if not NULL); 0 if the first byte
 * starts no valid sequence. Go's utf8.DecodeRune rules: no overlong forms,
 * surrogates or code points past U+10FFFF. */
unsigned int jv_utf8(const char *s, size_t n, unsigned int *rune);

/* Flags for jv_write_ex(). */
enum {
	/* Leave < > & alone, as json.Encoder with SetEscapeHTML(false) does:
	 * the docker daemon's API replies and the CLI's {{json}} do so. */
	JV_NOHTML = 1,
	/* Write \b and \f instead of \u0008 and \u000c, as Go >= 1.22 does. */
	JV_GO122 = 2,
};

/*
 * jv_write - write @v to @f as Go's encoding/json does. @indent 0: compact,
 * like json.Marshal; @indent N > 0: like json.MarshalIndent(v, "", N spaces),
 * with "{}" and "[]" for empty containers. No newline follows the value.
 * Strings are escaped as Go does by default: \" \\ \n \r \t, other control
 * characters as \u00XX, < > & as \u003c \u003e \u0026, U+2028 and U+2029 as
 * \u2028 \u2029, and each byte that is not part of valid UTF-8 as \ufffd.
 * Returns 0; -ENOMEM if the tree lost a value to an allocation failure (then
 * nothing is written); -EINVAL for a negative @indent; or -errno of a failed
 * write (-EIO if unknown).
 */
int jv_write(FILE *f, const struct jv *v, int indent);
/* jv_write_ex - jv_write() with JV_* @flags. */
int jv_write_ex(FILE *f, const struct jv *v, int indent, unsigned int flags);
/* jv_dump - jv_write_ex() into a NUL-terminated string: on success *@out
 * (free() it) holds *@len bytes. Returns 0, -ENOMEM or -EINVAL. */
int jv_dump(const struct jv *v, int indent, unsigned int flags, char **out,
	    size_t *len);

/* --- reading (lib/json_read.c) ------------------------------------------- */

#define JV_PARSE_MAX (1 << 20) /* bytes of text jv_parse() accepts */
#define JV_PARSE_DEPTH 64      /* arrays and objects nested in each other */

/*
 * jv_parse - exactly one JSON value (RFC 8259) from the @len bytes at @text,
 * surrounded by nothing but white space. Strict: strings must be valid UTF-8
 * without raw control characters, \u escapes of surrogates must pair up,
 * numbers are integers within long long (a fraction or exponent is refused:
 * nothing boxnet reads has one, and rounding would change a value silently),
 * a key may not hold \u0000 (string values may: see jv_member), at most
 * JV_PARSE_MAX bytes and JV_PARSE_DEPTH levels. Objects keep their members in
 * the order of the text (jv_object); a repeated key keeps its first place and
 * takes the last value, as Go's decoder does. Returns 0 with *@out (the
 * caller jv_frees it); -EINVAL (syntax), -ERANGE (an integer too large),
 * -E2BIG (too long) or -ENOMEM with *@out NULL, and then @err (@errsize
 * bytes; NULL allowed) says what was wrong and at which byte offset.
 */
int jv_parse(const char *text, size_t len, struct jv **out, char *err, size_t errsize);

/*
 * jv_read_fd - the text at @fd to its end, for jv_parse: 0 and *@out (the
 * caller frees it, not NUL-terminated) holding *@len bytes. Reading stops
 * once it has more than JV_PARSE_MAX bytes, which jv_parse then refuses.
 * -errno of a failed read, or -ENOMEM.
 */
int jv_read_fd(int fd, char **out, size_t *len);

/*
 * jv_member - member @key of object @obj, when it has type @type: 0 and
 * *@out. -ENOENT (*@out NULL) when absent or null, as Go leaves a field that
 * is null untouched; -EINVAL when it has another type, or is a string with a
 * NUL byte in it (which no C string can carry faithfully).
 */
int jv_member(const struct jv *obj, const char *key, enum jv_type type, const struct jv **out);

#endif
