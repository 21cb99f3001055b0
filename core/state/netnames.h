/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names of a network: names/NETWORK in the state, one line
 * "IP<TAB>container alias…" per address of each endpoint, IPv4 then IPv6,
 * printable, one space apart. The containers' hosts files are made of these
 * (core/state/hosts.h). 0 or -errno throughout.
 */
#ifndef BOXNET_NETNAMES_H
#define BOXNET_NETNAMES_H

#include "core/state/dir.h"
#include "core/state/store.h"

/* names_set - add the line of @e (or replace the line of its container). */
int names_set(const struct state *st, const struct endpoint *e);
/* names_del - drop the line of @ctr from @net's names. */
int names_del(const struct state *st, const char *net, const char *ctr);
/* names_check - 0 when the names file of @net is whole (or absent), or
 * -EBADMSG (damaged) or the read's -errno, noted for state_load_failed();
 * every function here that reads a names file fails the same way. */
int names_check(const struct state *st, const char *net);
/* names_rebuild - write the names of @net anew from its endpoint files (a
 * damaged file: names given with vxlan name are lost); the hosts files are
 * the caller's (hosts_refresh). */
int names_rebuild(const struct state *st, const char *net);
/* names_drop - forget the names of network @net (its members' files are
 * rewritten as they leave it) */
int names_drop(const struct state *st, const char *net);

/* names_read - the names file of @net in a malloc'd *@text ("" when there
 * is none), as names_check checks it. */
int names_read(const struct state *st, const char *net, char **text);

#endif
