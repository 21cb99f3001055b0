/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address management of one network: the set of used addresses is kept as
 * sorted, merged ranges and stored as text ("172.18.0.1-172.18.0.51,172.18.0.53")
 * in the network's state file. Allocation is first fit (Docker's rule: the
 * lowest free address, a released one is reused at once); its cost depends on
 * the number of holes, not on the number of endpoints. Pure functions.
 */
#ifndef BOXNET_IPAM_H
#define BOXNET_IPAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* a run of used IPv4 addresses, as numbers in host byte order (an IPv6 pool
 * will need a 128-bit variant; the API below already takes either family) */
struct ipam_range {
	uint32_t first, last;
};

struct ipam {
	struct ipprefix subnet;
	uint32_t lo, hi; /* where dynamic addresses come from (--ip-range or the subnet) */
	struct ipam_range *used;
	size_t n, cap;
};

/* ipam_init - for @subnet, dynamic addresses from @range (NULL: the whole
 * subnet); the network and broadcast addresses are never handed out. */
void ipam_init(struct ipam *m, const struct ipprefix *subnet, const struct ipprefix *range);
/* ipam_free - release the used set (@m can be loaded again) */
void ipam_free(struct ipam *m);

/* ipam_load - read the used set from its text form; 0, -EINVAL (damaged:
 * not sorted, overlapping or not addresses) or -ENOMEM. */
int ipam_load(struct ipam *m, const char *text);
/* ipam_save - the text form in a malloc'd *@out (the caller frees it),
 * however many ranges there are; 0 or -ENOMEM. */
int ipam_save(const struct ipam *m, char **out);

/* ipam_is_used - @a is in the used set */
bool ipam_is_used(const struct ipam *m, const struct ipaddr *a);
/* ipam_take - mark @a used: 0, -EADDRINUSE, -EINVAL (not a host address of
 * the subnet), -ENOMEM. */
int ipam_take(struct ipam *m, const struct ipaddr *a);
/* ipam_alloc - take the lowest free dynamic address: 0 or -ENOSPC, -ENOMEM. */
int ipam_alloc(struct ipam *m, struct ipaddr *out);
/* ipam_release - @a is free again (an address not in use: nothing) */
void ipam_release(struct ipam *m, const struct ipaddr *a);
/* ipam_count - the number of used addresses */
size_t ipam_count(const struct ipam *m);

/*
 * ipam_pick_subnet - the first of Docker's local pools (172.17.0.0/16 …
 * 172.31.0.0/16, then 192.168.0.0/20 … 192.168.240.0/20) that overlaps none of
 * the @n prefixes in @taken: 0 or -ENOSPC.
 */
int ipam_pick_subnet(const struct ipprefix *taken, size_t n, struct ipprefix *out);

#endif
