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
	/* --ipv6, --ipv4=false, and the IPv6 --subnet, --gateway, --ip-range
	 * (the applet sorts them by family: IPv6 text has a ':') */
	bool ipv6, no_ipv4;
	const char *subnet6, *gateway6, *ip_range6;
	bool internal, attachable;
	unsigned int mtu;     /* 0: not given */
	struct pairs opts, labels;
};

/* net_plan6 - the IPv6 half of a new network's address plan into @n (its
 * IPv4 half is planned first), validated as Docker validates it; when the
 * host's ULA /48 came from a new random seed, *@seed holds it (else "") and
 * the caller keeps it (net_ula_keep) once the network is made. The same
 * checks refuse IPv6 options without --ipv6 and --ipv4=false without it.
 * core/ops/network6.c. */
int net_plan6(struct session *s, const struct net_spec *sp, struct network *n, char seed[33]);
/* net_ula_keep - remember @seed (net_plan6's) in the state: 0 or -errno */
int net_ula_keep(struct session *s, const char seed[33]);

/* net_create - validate, create the bridge and its address, save; @out gets
 * the new network (net_free it). */
int net_create(struct session *s, const struct net_spec *spec, struct network *out);

/* net_remove - refuse predefined networks and networks with endpoints. */
int net_remove(struct session *s, const char *ref);

/* net_prune - remove every user network without endpoints, and every
 * damaged network file; their names are passed to @removed (may be NULL). */
int net_prune(struct session *s, void (*removed)(const char *name, void *arg), void *arg);

/* net_drop_damaged - remove every damaged port and overlay file (what
 * every command that reads them stops at, naming it), with their rules and
 * device: netprune's first step, before the repair, which they would stop
 * too. 0 or -errno with s->err set. */
int net_drop_damaged(struct session *s);

/* net_remove_damaged - when networks/@name is damaged (net_load -EBADMSG),
 * remove it, its other files and the bridge it names if boxnet made it:
 * 1. 0 when there is no such damaged network; -errno with s->err set. */
int net_remove_damaged(struct session *s, const char *name);

/* net_predefined - create bridge (device boxnet0), host and none if missing
 * (ops_open does it before any mutating use case). */
int net_predefined(struct session *s);

/* net_teardown_kernel - undo what net_create did in the kernel (the bridge, or
 * only its address when the bridge was there before). */
int net_teardown_kernel(struct session *s, const struct network *n);

/* net_delete_state - remove every file of network @name. */
int net_delete_state(struct session *s, const char *name);

/* net_undo_create, net_undo_remove - the journal's undo of a killed create
 * (delete what it made unless it got as far as saving) and a killed remove
 * (finish it); @ctx is the session (core/ops/repair.c). */
int net_undo_create(void *ctx, const struct kvs *entry);
int net_undo_remove(void *ctx, const struct kvs *entry);
/* net_undo_overlay - a killed create of an overlay network: it goes whole */
int net_undo_overlay(void *ctx, const struct kvs *entry);

#endif
