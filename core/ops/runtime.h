/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The use cases of the runtime front ends (the CNI plugin, the OCI hook): a
 * container given by a namespace path or a process joins networks (for CNI,
 * one made on first use), its ports are published, and it leaves again
 * without a trace. The same endpoints,
 * ports and rules netconnect and portfwd make, so every other applet sees
 * them. Failures return -errno with the reason in s->err, and leave kernel
 * and state as they were; -EINVAL means the caller's configuration is wrong.
 */
#ifndef BOXNET_RUNTIME_H
#define BOXNET_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/ops/endpoint.h"
#include "core/ops/network.h"
#include "core/ops/session.h"

struct rt_attach {
	const struct net_spec *create; /* the network to join; made from this when missing */
	const char *container;         /* the runtime's container ID, a valid object name */
	const char *nspath;            /* its network namespace file */
	const char *ifname;            /* the interface inside, exactly this name */
	const char *ip, *ip6, *mac;    /* NULL: the next free address, 02:42 + address */
	const char *const *aliases;    /* more names in the hosts files, valid object names */
	size_t naliases;
	char *const *ports;            /* portfwd SPECs to publish, all or none */
	size_t nports;
};

/* what rt_add made, for the runtime's result */
struct rt_result {
	struct endpoint ep;      /* ep_free'd by rt_result_free */
	struct network net;      /* net_free'd by rt_result_free */
	uint8_t host_mac[6];     /* of the host end, ep.veth */
};

/* rt_nspath_check - @nspath is a network namespace and not the one boxnet
 * runs in (the host's). 0, or -EINVAL with why in s->err. */
int rt_nspath_check(struct session *s, const char *nspath);

/*
 * rt_add - make the network @a->create->name from @a->create when it does not
 * exist, connect the container (binding @a->nspath as /run/netns/CONTAINER
 * unless it already is), publish its ports (not again when it has published
 * ports on another network: runtimes pass them with every network it joins,
 * and they stay with the first). All or nothing: a failure undoes
 * the connect, the binding and a network it made. 0 and @out (rt_result_free
 * it), or -errno; -EINVAL for a configuration that cannot work (a network
 * that cannot be made from it, a bad address or port). First every container
 * an ADD attached whose @a->nspath (kept in the state) no longer leads to
 * its namespace is torn down as its DEL would: it died without one.
 */
int rt_add(struct session *s, const struct rt_attach *a, struct rt_result *out);
void rt_result_free(struct rt_result *r);

/*
 * rt_del - the container leaves network @net: its endpoint, ports and rules
 * go, and the /run/netns name rt_add bound when it was the container's last
 * network. Idempotent: an unknown network or container, a namespace that is
 * gone, an endpoint half made by a killed ADD are no error.
 */
int rt_del(struct session *s, const char *net, const char *ctr);

/*
 * rt_check - the endpoint of @ctr on @net exists as made: its record says
 * interface @ifname, that interface holds the address in the namespace at
 * @nspath, and the host end is a port of the network's bridge. 0; -ENOENT
 * when the container is not on @net; -EINVAL (another interface name),
 * -ENODEV (an interface gone) or -EADDRNOTAVAIL (the address gone), with
 * what is wrong in s->err.
 */
int rt_check(struct session *s, const char *net, const char *ctr, const char *ifname,
	     const char *nspath);

/*
 * rt_gc - tear down every endpoint of @net made by a runtime front end
 * (origin "cni") for which @valid(container, ifname, @arg) is false, and the
 * namespace names bound for them, and, as rt_add does, every dead one. An
 * unknown network is no error.
 */
int rt_gc(struct session *s, const char *net,
	  bool (*valid)(const char *ctr, const char *ifname, void *arg), void *arg);

/*
 * rt_status - could an ADD to @net succeed now? -EIO when the network's file
 * is damaged, -ENODEV when its bridge is gone from the kernel; a network
 * that does not exist yet is fine (ADD makes it). Read-only.
 */
int rt_status(struct session *s, const char *net);

/* an OCI runtime's container, as its hook's annotations describe it */
struct rt_hook {
	const char *container;      /* boxnet's name for it, a valid object name */
	pid_t pid;                  /* its process, whose network namespace joins */
	const char *rootfs;         /* absolute: its etc/hosts and resolv.conf are kept */
	char *const *networks;      /* existing networks, joined in this order */
	size_t nnetworks;
	const char *ip;             /* NULL, or the address on the first network */
	const char *ip6;            /* NULL, or the IPv6 address there */
	const char *const *aliases; /* on every network */
	size_t naliases;
	char *const *ports;         /* portfwd SPECs, on the network of the default route */
	size_t nports;
};

/*
 * rt_hook_add - connect @h->container (binding /proc/PID/ns/net as
 * /run/netns/CONTAINER) to each network, publish its ports, record its
 * rootfs and write the hosts files there. All or nothing: a failure
 * disconnects what it connected and drops the binding. 0 or -errno.
 */
int rt_hook_add(struct session *s, const struct rt_hook *h);

/*
 * rt_hook_del - @ctr leaves every network it is on, the ones rt_hook_add
 * joined and any joined later (netconnect --pid), with its ports and its
 * /run/netns binding. Only a container the hook attached (a rootfs is
 * recorded) and, when @rootfs is not NULL, attached with that rootfs:
 * anything else of that name is left alone. Idempotent: an unknown
 * container, a dead process, an unmounted rootfs are no error.
 */
int rt_hook_del(struct session *s, const char *ctr, const char *rootfs);

/* connect_publish - ep_connect (see core/ops/endpoint.h), then publish_add
 * of @n SPECs on that network: `docker run -p` in one command. All or
 * nothing: a port that cannot be had disconnects the container again (and
 * drops the namespace bind --pid made). @out as ep_connect's. */
int connect_publish(struct session *s, const struct ep_spec *sp, char *const *specs, size_t n,
		    struct endpoint *out);

#endif
