/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every network command works with: the state directory (locked for
 * mutating commands), a netlink socket in the host's namespace, and the
 * wording of the last failure. Opening a session for a mutating command first
 * repairs whatever a killed command left half done (core/journal.c), then
 * makes sure the predefined networks exist.
 */
#ifndef BOXNET_SESSION_H
#define BOXNET_SESSION_H

#include <stdbool.h>

#include "core/state/dir.h"
#include "netlink/nl.h"

struct session {
	struct state st;
	struct nl nl;
	char err[512]; /* why the last call failed, for the applet to print */
};

/* session_open - 0 or -errno (with s->err set). @mutate takes the lock. */
int session_open(struct session *s, bool mutate);
void session_close(struct session *s);

/* session_fail - set s->err from the format and return @err (negative errno).
 * When the kernel explained a netlink failure, its text is appended. */
int session_fail(struct session *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
