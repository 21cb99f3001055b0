/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Networks: what `docker network create/ls/inspect/rm/prune` do, for the
 * bridge driver, on the state of core/store.h. Failures return -errno with
 * the reason in s->err, worded as Docker words it where Docker has a message.
 */
#ifndef BOXNET_NETWORK_H
#define BOXNET_NETWORK_H

#include "core/ops/session.h"
#include "core/state/store.h"

struct net_spec {
	const char *name;
	const char *driver;   /* NULL: bridge */
	const char *subnet, *gateway, *ip_range; /* NULL when not given */
	bool internal, attachable;
	unsigned int mtu;     /* 0: not given */
	struct pairs opts, labels;
};

/* net_create - validate, create the bridge and its address, save; @out gets
 * the new network (net_free it). */
int net_create(struct session *s, const struct net_spec *spec, struct network *out);

/* net_find - a network by name, full ID or unique ID prefix. */
int net_find(struct session *s, const char *ref, struct network *out);

/* net_list - every network, sorted by name. Free with net_list_free. */
int net_list(struct session *s, struct network **out, size_t *n);
void net_list_free(struct network *v, size_t n);

/* net_remove - refuse predefined networks and networks with endpoints. */
int net_remove(struct session *s, const char *ref);

/* net_prune - remove every user network without endpoints; their names are
 * passed to @removed (may be NULL). */
int net_prune(struct session *s, void (*removed)(const char *name, void *arg), void *arg);

/* net_predefined - create bridge (device boxnet0), host and none if missing. */
int net_predefined(struct session *s);

/* net_reap - drop the endpoints of @n whose namespace is gone (deleted from
 * /run/netns, or replaced by another of the same name); @n is saved. */
int net_reap(struct session *s, struct network *n);
/* net_reap_live - the same, with /run/netns already listed (core/endpoint.h) */
struct ns_inode;
int net_reap_live(struct session *s, struct network *n, const struct ns_inode *live, size_t nlive);

/* net_teardown_kernel - undo what net_create did in the kernel (the bridge, or
 * only its address when the bridge was there before). */
int net_teardown_kernel(struct session *s, const struct network *n);

/* net_delete_state - remove every file of network @name. */
int net_delete_state(struct session *s, const char *name);

#endif
