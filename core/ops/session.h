/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every use case works with: the state directory, a netlink socket in
 * the host's namespace, and the wording of the last failure. Opening a
 * session has no side effects: it changes nothing on disk or in the kernel.
 * A mutating command opens it with the lock (ops_open in core/ops/repair.h
 * also repairs what a killed command left and makes the predefined
 * networks); a read-only one takes no lock and sees the last complete state
 * of every file, since every write is a rename.
 */
#ifndef BOXNET_SESSION_H
#define BOXNET_SESSION_H

#include <stdbool.h>

#include "core/state/dir.h"

struct nl;

struct session {
	struct state st;
	struct nl *nl;     /* rtnetlink in the host's namespace; owned, nl_close'd at close */
	char err[512];     /* why the last call failed, for the applet to print */
};

/*
 * session_open - open the state directory and an rtnetlink socket. With
 * @mutate, create the directory tree if needed and take the exclusive lock
 * (blocking); without, take no lock and create nothing (a missing state
 * directory reads as empty). 0, or -errno with s->err set; on failure there
 * is nothing to close.
 */
int session_open(struct session *s, bool mutate);

/* session_close - release the lock, the socket and the directory. */
void session_close(struct session *s);

/* session_fail - set s->err from the format and return @err (negative errno).
 * When netlink explained the failure (nl_errmsg()), its text is appended. */
int session_fail(struct session *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* session_file_fail - word in s->err why @folder/@name of the state could
 * not be read: "damaged state file DIR/FOLDER/NAME (netprune removes it)"
 * for -EBADMSG (names/: rebuilds), else the file and errstr(@err); @err. */
int session_file_fail(struct session *s, int err, const char *folder, const char *name);

/* session_load_fail - word in s->err why a whole folder (@what: "the
 * published ports") could not be loaded: the file state_load_all stopped
 * at, as session_file_fail, when there is one; @err. */
int session_load_fail(struct session *s, int err, const char *what);

/* session_journal - journal_begin on the session's state: "op=@op" and the
 * NULL-terminated key, value list; a failure is worded in s->err. */
int session_journal(struct session *s, const char *op, ...);

#endif
