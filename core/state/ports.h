/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Published ports in the state: one file per mapping,
 * ports/PROTO-HOSTIP-LO-HI, holding the container side. 0 or -errno.
 */
#ifndef BOXNET_PORTS_H
#define BOXNET_PORTS_H

#include "core/model/portspec.h"
#include "core/state/dir.h"

/* ports_load_all - every published port, in a malloc'd *@v (the caller
 * frees it); -EBADMSG (or the read's -errno) at a file that is not a whole
 * port, named by state_load_failed(). */
int ports_load_all(const struct state *st, struct port_map **v, size_t *n);

/* ports_load_keys - the host side of every published port (protocol, host
 * address and ports), read from the file names alone: what a conflict check
 * needs, without opening a file per port. The caller frees *v; a name
 * no port has (not boxnet's) fails it with -EBADMSG, as ports_load_all. */
int ports_load_keys(const struct state *st, struct fw_port **v, size_t *n);

/* ports_drop_damaged - remove every port file ports_load_all would stop at
 * as damaged (-EBADMSG): its content is lost anyway, and it blocks every
 * command that syncs the firewall. The number removed, or -errno. */
int ports_drop_damaged(const struct state *st);

/* ports_in_use - 1 when a published port overlaps @p (same protocol, a host
 * port in common, the same host address or either on every address), with
 * it in *@hit; 0 when none; -errno (-EBADMSG as ports_load_keys). For a
 * single port, opens the index folders of that port and of its protocol's
 * ranges only; for a range, reads every port's name. */
int ports_in_use(const struct state *st, const struct fw_port *p, struct fw_port *hit);

/* ports_index_rebuild - the index of host ports in use (portsat/) made
 * anew from the port files' names, whatever the old one holds (damaged,
 * or a state from before it): what netprune does. 0 or -errno. */
int ports_index_rebuild(const struct state *st);

/* port_load_key - the port whose host side is @key (as ports_load_keys
 * gives it): one file read. -ENOENT when there is none. */
int port_load_key(const struct state *st, const struct fw_port *key, struct port_map *m);

/* port_save - write the file of @m (replacing one with the same host side) */
int port_save(const struct state *st, const struct port_map *m);

/* port_remove - remove the file of @m; an absent one is no error */
int port_remove(const struct state *st, const struct port_map *m);

/* ports_drop - remove every port of container @ctr on network @net (its
 * endpoint is going): how many, or -errno; with @gone, the ports removed
 * in a malloc'd *@gone the caller frees (NULL when none) */
int ports_drop(const struct state *st, const char *net, const char *ctr, struct port_map **gone);

#endif
