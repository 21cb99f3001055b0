/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The intent of a multi-step command, written before it touches the kernel
 * and removed when it is done. A command killed on the way leaves it behind;
 * the next command to take the lock completes or undoes the work:
 *   op=create      the network file is missing: delete the bridge it made
 *   op=remove      finish removing the network
 *   op=connect     undo the endpoint (a connect never reported success)
 *   op=disconnect  finish removing the endpoint
 */
#ifndef BOXNET_JOURNAL_H
#define BOXNET_JOURNAL_H

#include "core/ops/session.h"

/* journal_begin - record "op=@op" and the NULL-terminated key, value list */
int journal_begin(struct session *s, const char *op, ...);
int journal_end(struct session *s);
int journal_repair(struct session *s);

#endif
