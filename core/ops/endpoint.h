/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Endpoints: `docker network connect/disconnect` for containers that are
 * named network namespaces (/run/netns/NAME). Failures return -errno with the
 * reason in s->err; a failed connect leaves kernel and state as they were.
 */
#ifndef BOXNET_ENDPOINT_H
#define BOXNET_ENDPOINT_H

#include <sys/types.h>

#include "core/ops/session.h"
#include "core/state/store.h"

struct ep_spec {
	const char *network, *container;
	const char *ip, *ip6, *ifname, *mac; /* NULL when not given */
	const char *const *aliases;
	size_t naliases;
	pid_t pid; /* > 0: first bind /proc/PID/ns/net as the container */
	/* not NULL: first bind this network namespace file (a CNI runtime's
	 * CNI_NETNS) as the container, as with @pid; the two exclude each other */
	const char *nspath;
	const char *origin; /* who asks, kept with the endpoint ("cni"); NULL: netconnect */
};

/* ep_connect - connect; @out (ep_free it) describes the new endpoint. */
int ep_connect(struct session *s, const struct ep_spec *spec, struct endpoint *out);

/* ep_disconnect - disconnect; with @force, a container that is already gone
 * or a half-made endpoint is no error. */
int ep_disconnect(struct session *s, const char *net, const char *ctr, bool force);

/*
 * ep_teardown - remove whatever exists of endpoint (@net, @ctr): the veth
 * (named in the endpoint file, or @veth when that file is missing), its
 * address, names, membership, and the container's default route moves to
 * another network. Idempotent: repairs use it on half-made endpoints.
 */
int ep_teardown(struct session *s, const char *net, const char *ctr, const char *veth);

/* ep_reap - tear down the endpoints of @n whose namespace is gone (deleted
 * from /run/netns, or replaced by another of the same name); @n is reloaded
 * when one went. ep_reap_live: the same with /run/netns already listed. */
int ep_reap(struct session *s, struct network *n);
struct ns_inode;
int ep_reap_live(struct session *s, struct network *n, const struct ns_inode *live, size_t nlive);

/* ep_undo - the journal's undo of a killed connect or disconnect: tear down
 * what exists of the endpoint; @ctx is the session (core/ops/repair.c). */
int ep_undo(void *ctx, const struct kvs *entry);

#endif
