/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Docker's --format: a subset of Go's text/template, with docker's functions,
 * executed over a struct jv tree (core/json.h). Pure: no global state, never
 * prints to stderr.
 *
 * Supported: text; {{.}} {{.A.B}} {{$}} {{$x.A}} {{(pipeline).A}}; pipelines
 * with |; $x := and $x = (also in if, with and range), $k, $v := in range;
 * {{if}} {{with}} {{range}} with {{else}}, {{else if}} and {{else with}};
 * range over arrays, maps, structs and integers; {{break}} {{continue}};
 * the trim markers {{- and -}}; comments (an action holding only a C-style
 * comment); string, raw string, character, integer, true, false and nil
 * literals; the functions and, or, not, len, index, print, printf, println,
 * eq, ne, lt, le, gt, ge, and docker's json, split, join, title, lower,
 * upper, pad, truncate.
 * Not supported: {{define}} {{template}} {{block}}; methods (docker ls's
 * {{.Label "k"}}); floating-point and complex constants; html, js, urlquery,
 * call, slice; case mapping beyond ASCII.
 *
 * Go values stand in as follows. A jv_object is a Go struct: a missing field
 * is an error worded as docker reports it ("map has no entry for key"); it is
 * always true; ranging over it goes by sorted key. A jv_map is a Go map: a
 * missing key is "no value" (printed "<no value>"), index gives "" (the zero
 * of docker's map[string]string). JSON null is a nil: false, empty to range
 * over, "<no value>" for its fields. Values print as Go's %v does: true/false,
 * decimal, <nil> for null, [a b] for arrays and map[k1:v1 k2:v2] with sorted
 * keys for objects and maps (docker prints typed structs as {v1 v2}, which
 * the JSON cannot tell). {{json}} writes compact JSON without escaping < > &,
 * as docker's does.
 */
#ifndef BOXNET_TEMPLATE_H
#define BOXNET_TEMPLATE_H

#include <stddef.h>
#include <stdio.h>

#include "lib/json.h"

/*
 * tmpl_exec - execute the template @tmpl with "." = @root (NULL: no value)
 * and write the result to @f, all of it or, on error, nothing (as docker
 * buffers its output).
 * Returns 0; -EINVAL for a syntax or execution error, with a one-line message
 * in @err (@err_size bytes, may be 0) worded like Go's, e.g.
 *   template: :1: function "foo" not defined
 *   template: :1:7: executing "" at <.IPAM.Nope>: map has no entry for key "Nope"
 * (nesting deeper than 100 blocks or parentheses is a syntax error too);
 * -ENOMEM; -E2BIG past a limit Go does not have (output or any string over
 * 16 MiB, over 4M steps); -errno (or -EIO) if writing to @f failed. Each of
 * those also leaves a message in @err.
 */
int tmpl_exec(FILE *f, const char *tmpl, const struct jv *root, char *err,
	      size_t err_size);

#endif
