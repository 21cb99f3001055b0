// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The static build's qsort and strstr, a tenth of musl's size: musl's are
 * built for inputs boxnet never has (smoothsort's in-place O(n log n), the
 * two-way search's linear time on long texts; 3.3 KiB together). boxnet
 * sorts lists of names, ports and rules and searches short names and
 * templates. Built only with -DBOXNET_SMALL_LIBC (musl, see lib/format.c);
 * the sanitizer builds keep glibc's, and the unit test holds the two to
 * their contracts.
 *
 * qsort here is a stable merge sort, as glibc's is: equal elements keep their
 * order, so the static and the glibc builds print lists alike.
 */
#include "lib/libc_subst.h"

#include <stdlib.h>
#include <string.h>

/* sorts @n elements of @size at @v, using @tmp (room for @n) for merging */
static void merge_sort(char *v, size_t n, size_t size, cmp_fn cmp, char *tmp)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	merge_sort(v, h, size, cmp, tmp);
	merge_sort(v + h * size, n - h, size, cmp, tmp);
	while (i < h && j < n) {
		size_t from = cmp(v + j * size, v + i * size) < 0 ? j++ : i++;

		memcpy(tmp + k++ * size, v + from * size, size);
	}
	/* what is left of the right half already stands where it belongs */
	memcpy(tmp + k * size, v + i * size, (h - i) * size);
	memcpy(v, tmp, (k + h - i) * size);
}

void sort_stable(void *base, size_t n, size_t size, cmp_fn cmp)
{
	char *v = base, *tmp = n > 1 ? malloc(n * size) : NULL;

	if (tmp) {
		merge_sort(v, n, size, cmp, tmp);
		free(tmp);
		return;
	}
	/* no memory for merging: insertion sort by swaps, also stable */
	for (size_t i = 1; i < n; i++)
		for (char *p = v + i * size; p > v && cmp(p - size, p) > 0; p -= size)
			for (size_t b = 0; b < size; b++) {
				char c = p[b];

				p[b] = p[b - size];
				p[b - size] = c;
			}
}

char *str_find(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (!strncmp(h, n, len))
			return (char *)h;
	return *n ? NULL : (char *)h;
}
#ifdef BOXNET_SMALL_LIBC
void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	sort_stable(base, n, size, cmp);
}

char *strstr(const char *h, const char *n)
{
	return str_find(h, n);
}
#endif
