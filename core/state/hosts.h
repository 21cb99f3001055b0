/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Name resolution without a daemon.
 *
 * Each network keeps names/NETWORK, one "IP<TAB>container alias…" line per
 * endpoint (core/state/netnames.h). A container's hosts file depends only on its ordered list of
 * networks: a line naming the list ("# boxnet: n1 n2"), the header,
 * host.docker.internal for the gateway of its first network, the names of
 * every network it is on. Containers on the same list share one file: the
 * set file NS_ETC_DIR/.hosts/ID (ID a hash of the list), and
 * NS_ETC_DIR/CONTAINER/hosts is a hard link to it. `ip netns exec` and
 * `ipnetns exec` bind it over /etc/hosts; a bind pins the inode, so set files
 * are regular files rewritten in place, never replaced (hosts_write), and
 * only when their content changes. A connect or disconnect on a network
 * rewrites each set file naming it once: every member, and every process
 * already running in it, sees the change after one write, whatever the
 * number of containers. `ipnetns exec` binds a file with more than one link
 * read-only, so a container cannot change the names the others see (iproute2's
 * `ip netns exec` binds it read-write: a container's root can).
 *
 * When a container's list changes (it joins or leaves a network): if it
 * alone links its set file, that inode is rewritten in place and renamed to
 * the new list's, and its running processes see the change; otherwise its
 * link moves to the new list's set file, and processes started before keep
 * the old list (with its names kept current) until they are started again.
 * A set file nobody links any more is removed.
 *
 * resolv.conf (the host's, without loopback name servers) is a file of each
 * container's own, NS_ETC_DIR/CONTAINER/resolv.conf. A container the OCI hook
 * attached (container.rootfs) has copies of both in its rootfs (another
 * filesystem: no link), listed in the state's rootfs/ and refreshed one by
 * one. 0 or -errno throughout.
 */
#ifndef BOXNET_HOSTS_H
#define BOXNET_HOSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/state/dir.h"
#include "core/state/netnames.h"
#include "core/state/store.h"

/* hosts_refresh - bring every set file naming @net up to date, in place
 * (the files of a container that has none yet are hosts_link's), and the
 * rootfs copies of the OCI hook's containers on @net (best effort). */
int hosts_refresh(const struct state *st, const char *net);

/* hosts_link - make or update NS_ETC_DIR/@c/hosts (the link to the set file
 * of @c's networks) and resolv.conf; with no network, remove both (and the
 * folder if it is empty, and the set file if nobody else links it). */
int hosts_link(const struct state *st, const struct container *c);

/* hosts_rootfs - write @c's hosts and resolv.conf into etc/ of @c->rootfs
 * (an OCI hook's container), with the content of its set file, and list @c
 * in the state's rootfs/: 0, or why not (a missing rootfs, an etc that is a
 * symlink or not a directory). Afterwards hosts_link and hosts_refresh keep
 * them current, best effort: a rootfs that is gone does not fail them. */
int hosts_rootfs(const struct state *st, const struct container *c);

/* hosts_sweep - remove the temporaries a killed command left in the set
 * files' folder and the set files nobody links (O(set files)); with @links
 * also make every container's link lead to its set file, remove the links
 * of containers the state does not know, and write every set file anew (a
 * damaged one is rebuilt): O(containers), for netprune. */
int hosts_sweep(const struct state *st, bool links);

/* hosts_write - replace the content of the file at @fd in place, in one write
 * (see hosts.c for why a reader never sees a broken file). */
int hosts_write(int fd, const char *data, size_t len);

#endif
