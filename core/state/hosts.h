/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Name resolution without a daemon.
 *
 * Each network keeps names/NETWORK, one "IP<TAB>container alias…" line per
 * endpoint. Containers on the same set of networks share one hosts file,
 * hosts/KEY (KEY: the network names, sorted, joined by '+'), and
 * /etc/netns/CONTAINER/hosts is a symlink to it, which `ip netns exec` and
 * `ipnetns exec` resolve when they bind it over /etc/hosts. A connect or
 * disconnect therefore rewrites one names file and the few shared files that
 * include that network, whatever the number of containers: the cost of keeping
 * every container's names current does not grow with the number of containers
 * to update. Shared files are rewritten in place, never renamed, because a
 * bind mount pins the inode a running process sees (see hosts_write).
 * /etc/netns/CONTAINER/resolv.conf links to one resolv.conf: the host's without
 * loopback name servers. 0 or -errno throughout.
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
/* names_drop - forget network @net: its names and every shared file using it */
int names_drop(const struct state *st, const char *net);

/* hosts_refresh - rewrite every shared hosts file that includes @net. */
int hosts_refresh(const struct state *st, const char *net);

/* hosts_link - make /etc/netns/@c/hosts and resolv.conf point to the files for
 * @c's networks (creating them); with no network, remove both links. */
int hosts_link(const struct state *st, const struct container *c);

/* hosts_write - replace the content of the file at @fd in place, in one write
 * (see hosts.c for why a reader never sees a broken file). */
int hosts_write(int fd, const char *data, size_t len);

#endif
