/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The objects boxnet keeps under the state directory and their key=value
 * files. Loading never fails on unknown keys (newer or older files); saving
 * writes a whole file atomically (state_write). 0 or -errno throughout.
 */
#ifndef BOXNET_STORE_H
#define BOXNET_STORE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lib/addr.h"
#include "core/state/dir.h"
#include "lib/names.h"

#define ID_LEN 64

/* key=value pairs a user gives (-o, --label) */
struct pairs {
	char **key, **val;
	size_t n;
};
int pairs_add(struct pairs *p, const char *key, const char *val);
const char *pairs_get(const struct pairs *p, const char *key);
void pairs_free(struct pairs *p);

/* endpoints of a network, in the network file: container name and the inode
 * of its /run/netns file when connected (how a vanished namespace is seen) */
struct members {
	char **name;
	unsigned long *ino;
	size_t n, cap;
};

struct network {
	char name[OBJNAME_MAX + 1];
	char id[ID_LEN + 1];
	char driver[8]; /* bridge, overlay, host or null */
	char created[40];
	struct ipprefix subnet;   /* unset family: no subnet (host, none) */
	struct ipaddr gateway;
	struct ipprefix ip_range; /* valid when has_range */
	bool has_range, user_subnet, internal, attachable, predefined, own_bridge;
	unsigned int mtu;
	char bridge[IF_NAMESIZE];
	char *used; /* the IPAM used set, core/ipam.c's text form */
	/* IPv6 (EnableIPv6): its own pool, as the IPv4 one above; an IPv6-only
	 * network has no IPv4 subnet (unset family) */
	bool ipv6, has_range6, user_subnet6;
	struct ipprefix subnet6, ip_range6;
	struct ipaddr gateway6;
	char *used6;
	struct pairs opts, labels;
	struct members members;
};

struct endpoint {
	char network[OBJNAME_MAX + 1], container[OBJNAME_MAX + 1];
	char id[ID_LEN + 1];
	char ifname[IF_NAMESIZE], veth[IF_NAMESIZE];
	uint8_t mac[6];
	struct ipaddr ip; /* unset: none (networks none and host, IPv6-only) */
	struct ipaddr ip6; /* unset: none (network without IPv6) */
	char **alias;
	size_t naliases;
	char origin[8]; /* "" for netconnect, "cni" for the CNI plugin's (its GC sweeps those) */
};

struct container {
	char name[OBJNAME_MAX + 1];
	char id[ID_LEN + 1];
	char **networks; /* in the order they were joined */
	size_t nnetworks;
	/* networks giving the IPv4 and the IPv6 default route, "" if none: two
	 * when the first network is of one family only, as Docker does */
	char gateway[OBJNAME_MAX + 1], gateway6[OBJNAME_MAX + 1];
	bool attached; /* boxnet bound its /run/netns name (--pid, a CNI netns path) */
	char *rootfs;  /* NULL, or the root filesystem (absolute, no newline) of an OCI
			* hook's container, whose etc/hosts and resolv.conf are kept too */
};

/* net_load - networks/@name into @n, which the caller net_frees (on failure
 * there is nothing to free); -ENOENT when there is no such network, -EBADMSG
 * when its file is damaged (no name, ID or driver of its own). */
int net_load(const struct state *st, const char *name, struct network *n);
/* net_save - write @n as networks/NAME, atomically; -EINVAL (nothing
 * written) when an option or label would not read back as written */
int net_save(const struct state *st, const struct network *n);
/* net_bridged - a network with a bridge of its own: driver bridge, or
 * overlay (a bridge with a VXLAN port) */
bool net_bridged(const struct network *n);
/* net_gateway - the gateway a container of networks/@name reaches the
 * host at: its IPv4 one, or its IPv6 one on an IPv6-only network; unset
 * when it has neither. Reads only the lines before the members'. 0 or
 * -errno (-ENOENT: no such network). */
int net_gateway(const struct state *st, const char *name, struct ipaddr *gw);
/* net_free - release what net_load allocated and zero @n */
void net_free(struct network *n);
/* members_add - append @name with namespace inode @ino (0: none); -ENOMEM */
int members_add(struct members *m, const char *name, unsigned long ino);
/* members_del - drop @name (absent: nothing) */
void members_del(struct members *m, const char *name);
/* members_find - the index of @name, or -1 */
ssize_t members_find(const struct members *m, const char *name);

/* ep_load - endpoints/@net/@ctr into @e (the caller ep_frees it); -ENOENT
 * when absent, and then @e is zeroed */
int ep_load(const struct state *st, const char *net, const char *ctr, struct endpoint *e);
/* ep_save - write @e as endpoints/NETWORK/CONTAINER, atomically; -EINVAL
 * (nothing written) for an alias holding a newline */
int ep_save(const struct state *st, const struct endpoint *e);
/* ep_remove - remove the file of endpoint (@net, @ctr); absent is no error */
int ep_remove(const struct state *st, const char *net, const char *ctr);
/* ep_free - release the aliases of @e */
void ep_free(struct endpoint *e);

/* a container's record; a missing file loads as a new container (fresh id) */
int ctr_load(const struct state *st, const char *name, struct container *c);
/* save, or remove the file when the container is on no network */
int ctr_save(const struct state *st, const struct container *c);
int ctr_add_network(struct container *c, const char *net);
void ctr_del_network(struct container *c, const char *net);
void ctr_free(struct container *c);

/* 64 random lowercase hex digits */
void id_new(char id[ID_LEN + 1]);
/* now, RFC 3339 with nanoseconds in UTC, as Go prints it (trailing zeros dropped) */
void time_rfc3339(char buf[40]);
/* the same for @ts (a time from 1970 on) */
void time_rfc3339_at(char buf[40], const struct timespec *ts);

#endif
