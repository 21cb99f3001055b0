// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The static build's malloc: a bump allocator. Every boxnet command runs for a
 * few milliseconds and exits; musl's allocator returns freed memory to the
 * kernel at once, and the mmap/munmap pairs that cost were the largest system
 * call item of a netconnect on a network with hundreds of endpoints (strace
 * -c: 50 munmap). Here memory is only taken from the kernel in 1 MiB regions
 * (untouched pages cost nothing), free() gives back only the most recent block
 * and realloc() grows the most recent block in place — the pattern of the
 * growing buffers boxnet uses. A block realloc() has to move gets room for
 * twice what was asked: arrays that grow side by side (a network's member
 * names and inodes, one element at a time) are then copied O(log n) times,
 * not once per element (which made a connect quadratic in the members). Built only with -DBOXNET_BUMP_ALLOC (musl);
 * the sanitizer builds keep their own malloc so that ASan sees every block.
 */
#ifdef BOXNET_BUMP_ALLOC
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define ALIGN 16
#define REGION (1u << 20)

struct head {
	size_t size;   /* what was asked for */
	size_t cap;    /* what the block can hold */
	size_t mapped; /* non-zero: a block with its own mapping, of this length */
	size_t pad;    /* a multiple of ALIGN */
};

static char *cur, *end, *last;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *malloc(size_t n)
{
	size_t need = sizeof(struct head) + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	struct head *h;

	if (n > SIZE_MAX / 4) {
		errno = ENOMEM;
		return NULL;
	}
	if (need > REGION / 4) {
		/* big blocks get their own mapping, so that they can go back */
		size_t len = (need + 4095) & ~(size_t)4095;

		if (!(h = map(len))) {
			errno = ENOMEM;
			return NULL;
		}
		*h = (struct head){ n, len - sizeof(*h), len, 0 };
		return h + 1;
	}
	if (!cur || (size_t)(end - cur) < need) {
		if (!(cur = map(REGION))) {
			errno = ENOMEM;
			return NULL;
		}
		end = cur + REGION;
	}
	h = (struct head *)cur;
	*h = (struct head){ n, need - sizeof(*h), 0, 0 };
	cur += need;
	return last = (char *)(h + 1);
}

void free(void *p)
{
	struct head *h = (struct head *)p - 1;

	if (!p)
		return;
	if (h->mapped)
		munmap(h, h->mapped);
	else if (p == last)
		cur = (char *)h, last = NULL;
}

void *calloc(size_t a, size_t b)
{
	void *p;

	if (b && a > SIZE_MAX / b) {
		errno = ENOMEM;
		return NULL;
	}
	/* a rewound block may hold old data: always clear */
	if ((p = malloc(a * b)))
		memset(p, 0, a * b);
	return p;
}

void *realloc(void *p, size_t n)
{
	struct head *h = (struct head *)p - 1;
	size_t need = sizeof(*h) + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	void *q;

	if (!p)
		return malloc(n);
	if (n <= h->cap) {
		h->size = n;
		return p;
	}
	if (p == last && !h->mapped && (size_t)(end - (char *)h) >= need) {
		h->size = n;
		h->cap = need - sizeof(*h);
		cur = (char *)h + need;
		return p;
	}
	if ((q = malloc(n <= SIZE_MAX / 8 ? 2 * n : n))) {
		((struct head *)q - 1)->size = n;
		memcpy(q, p, h->size);
		free(p);
	}
	return q;
}

void *aligned_alloc(size_t align, size_t n)
{
	/* boxnet needs no more than ALIGN; honour it only up to that */
	if (align > ALIGN) {
		errno = EINVAL;
		return NULL;
	}
	return malloc(n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p = aligned_alloc(align, n);

	if (!p)
		return errno;
	*out = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return p ? ((struct head *)p - 1)->size : 0;
}
#endif
