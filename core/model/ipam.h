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

/*
 * A run of used addresses, as numbers: an IPv4 address is its value in host
 * byte order; an IPv6 address is its offset from the subnet's first address,
 * so only the first 2^64 addresses of an IPv6 subnet shorter than /64 are
 * managed (an address beyond is not of the pool: -EINVAL, as outside it). A
 * /64 is never enumerated: the used set holds runs, whatever their length.
 */
struct ipam_range {
	uint64_t first, last;
};

struct ipam {
	struct ipprefix subnet;
	uint64_t lo, hi; /* where dynamic addresses come from (--ip-range or the subnet) */
	struct ipam_range *used;
	size_t n, cap;
};

/* ipam_init - for @subnet (either family), dynamic addresses from @range
 * (NULL: the whole subnet); never handed out: IPv4's network and broadcast
 * addresses, IPv6's subnet-router anycast address (the first). */
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

/*
 * ipam_ula48 - the ULA /48 (RFC 4193: fd00::/8 and a 40-bit global ID) a host
 * derives from @seed (its /etc/machine-id, or random bytes it keeps): the
 * same seed gives the same /48, different seeds scatter over the 2^40 IDs.
 */
void ipam_ula48(const void *seed, size_t len, struct ipprefix *out);

/*
 * ipam_pick_subnet6 - the first /64 of @ula48 (subnet IDs 0 … 65535 in
 * order) that overlaps none of the @n prefixes in @taken: 0 or -ENOSPC.
 */
int ipam_pick_subnet6(const struct ipprefix *ula48, const struct ipprefix *taken, size_t n,
		      struct ipprefix *out);

#endif
