/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BOXNET_FORMAT_H
#define BOXNET_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * format_v - printf's formatting of @fmt with @ap, for the conversions boxnet
 * uses: d i u x X c s and %%, with the flags - 0 + space #, a width and a
 * precision (digits or *), and the sizes hh h l ll z j t. The text goes to
 * @out(@ctx, bytes, length) in pieces; returns its whole length. Anything
 * else (floats, %n, %p, %o, %m, wide characters) prints nothing: the static
 * build's vfprintf is this, so that musl's 12 KiB of float formatting and
 * strerror stay out of the binary.
 */
size_t format_v(void (*out)(void *ctx, const char *s, size_t n), void *ctx, const char *fmt,
		va_list ap);

#endif
