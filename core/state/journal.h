/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The journal: the intent of a multi-step command, written before it touches
 * the kernel and removed when it is done. A command killed on the way leaves
 * it behind, and the next mutating command replays it: it looks up the undo
 * that the operation named in "op=" registered (core/ops/repair.c holds the
 * table; each use case defines its own undo) and runs it. This file is the
 * mechanism only: it knows no operation. 0 or -errno throughout.
 */
#ifndef BOXNET_JOURNAL_H
#define BOXNET_JOURNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "core/state/dir.h"

/* journal_begin - record "op=@op" and the NULL-terminated key, value list,
 * replacing any entry. Written in place in one write: a kill before it
 * leaves an empty journal, which a replay just removes. -ENAMETOOLONG when
 * the entry exceeds 1 KiB. */
int journal_begin(const struct state *st, const char *op, ...);
int journal_vbegin(const struct state *st, const char *op, va_list ap);

/* journal_end - the command is complete: remove the entry (none is no error) */
int journal_end(const struct state *st);

/* journal_read - the entry a killed command left: *@buf (the caller frees it
 * and k->v) holds the text @k points into. -ENOENT when there is none. */
int journal_read(const struct state *st, char **buf, struct kvs *k);

/* what an operation registers: the undo (or completion) of its entry */
struct journal_undo {
	const char *op;
	int (*undo)(void *ctx, const struct kvs *entry);
};

/*
 * journal_replay - run the undo of the entry's op from @undos (@n of them)
 * with @ctx. An entry without op, or with an op nobody registered, needs
 * nothing. The entry stays: the caller ends it once everything else is
 * consistent. 0 when there was no entry, else what the undo returned.
 */
int journal_replay(const struct state *st, const struct journal_undo *undos, size_t n, void *ctx);

#endif
