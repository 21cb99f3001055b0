/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `docker network inspect` and `docker network ls --format` show, as
 * JSON values (core/json.h) that the applets print or feed to a template.
 */
#ifndef BOXNET_INSPECT_H
#define BOXNET_INSPECT_H

#include "lib/json.h"
#include "core/ops/session.h"
#include "core/state/store.h"

/* net_inspect_json - the object of `docker network inspect`, Containers filled
 * from the endpoints. NULL on allocation failure. */
struct jv *net_inspect_json(struct session *s, const struct network *n);

/* net_ls_json - one row of `docker network ls --format json`; @trunc: the
 * 12-hex short ID. */
struct jv *net_ls_json(const struct network *n, bool trunc);

#endif
