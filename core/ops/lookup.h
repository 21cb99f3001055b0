/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding networks the way `docker network` finds them: by name, full ID or
 * unique ID prefix, and every network in name order. Read-only: usable from
 * a session without the lock. Failures return -errno with s->err set.
 */
#ifndef BOXNET_LOOKUP_H
#define BOXNET_LOOKUP_H

#include "core/ops/session.h"
#include "core/state/store.h"

/* net_find - a network by name, full ID or unique ID prefix; @out is the
 * caller's (net_free). -ENOENT "network REF not found" otherwise. */
int net_find(struct session *s, const char *ref, struct network *out);

/* net_list - every network, sorted by name; free with net_list_free. Files
 * that do not load are skipped. */
int net_list(struct session *s, struct network **out, size_t *n);
void net_list_free(struct network *v, size_t n);

#endif
