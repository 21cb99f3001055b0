/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The start of every mutating use case: the lock, the repair of whatever a
 * killed command left half done, and the predefined networks. Read-only
 * applets open a plain session (core/ops/session.h) instead.
 */
#ifndef BOXNET_REPAIR_H
#define BOXNET_REPAIR_H

#include "core/ops/session.h"

/*
 * ops_open - session_open with the lock, then ops_repair, then the
 * predefined networks (bridge, host, none) when missing. 0, or -errno with
 * s->err set and nothing to close.
 */
int ops_open(struct session *s);

/* ops_open_prune - ops_open for netprune: the damaged files every other
 * command stops at go first (net_drop_damaged), so that no repair stops
 * at them either. */
int ops_open_prune(struct session *s);

/*
 * ops_repair - replay the journal a killed command left (each operation's
 * registered undo), sweep unrenamed temporaries, bring the firewall in line
 * with the state (a command killed between its state writes and its commit)
 * and end the journal. Needs the lock. 0 or -errno with s->err set.
 */
int ops_repair(struct session *s);

#endif
