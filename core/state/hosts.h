/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Name resolution without a daemon.
 *
 * Each network keeps names/NETWORK, one "IP<TAB>container alias…" line per
 * endpoint. Every container has files of its own in NS_ETC_DIR/CONTAINER/:
 * hosts (the header, host.docker.internal for the gateway of its first
 * network, the names of every network it is on) and resolv.conf (the host's,
 * without loopback name servers). `ip netns exec` and `ipnetns exec` bind
 * them over /etc, and a runtime may bind them into a rootfs; a bind mount
 * pins the inode a running process sees, so they are regular files rewritten
 * in place, never replaced (see hosts_write), and only when their content
 * changes; the same goes for the files in the rootfs of a container the OCI
 * hook attached (container.rootfs). A connect or disconnect rewrites the hosts file of each container
 * on that network; no container can change another's, and a process sees a
 * network its container joins after it started. 0 or -errno throughout.
 */
#ifndef BOXNET_HOSTS_H
#define BOXNET_HOSTS_H

#include <stdint.h>

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

/* hosts_refresh - bring the hosts file of every container on @net up to
 * date (containers whose files hosts_link has not made yet are left to it). */
int hosts_refresh(const struct state *st, const char *net);

/* hosts_link - make or update NS_ETC_DIR/@c/hosts and resolv.conf for @c's
 * networks; with no network, remove both (and the folder if it is empty). */
int hosts_link(const struct state *st, const struct container *c);

/* hosts_rootfs - write @c's hosts and resolv.conf into etc/ of @c->rootfs
 * (an OCI hook's container), as hosts_link writes them: 0, or why not (a
 * missing rootfs, an etc that is a symlink or not a directory). Afterwards
 * hosts_link and hosts_refresh keep them current, best effort: a rootfs
 * that is gone does not fail them. */
int hosts_rootfs(const struct state *st, const struct container *c);

/* hosts_write - replace the content of the file at @fd in place, in one write
 * (see hosts.c for why a reader never sees a broken file). */
int hosts_write(int fd, const char *data, size_t len);

#endif
