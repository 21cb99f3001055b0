/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BOXNET_LIBC_SUBST_H
#define BOXNET_LIBC_SUBST_H

#include <stddef.h>

typedef int (*cmp_fn)(const void *, const void *);

/* sort_stable - qsort's contract, and elements that compare equal keep their
 * order (a merge sort; an insertion sort when there is no memory to merge).
 * The static build's qsort. */
void sort_stable(void *base, size_t n, size_t size, cmp_fn cmp);

/* str_find - strstr: the first @n in @h, @h itself for an empty @n, or NULL.
 * Plain search, for short texts. The static build's strstr. */
char *str_find(const char *h, const char *n);

#endif
