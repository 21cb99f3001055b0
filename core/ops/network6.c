// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPv6 address plan of a new network (--ipv6): a given subnet checked as
 * Docker checks it, or a free /64 of the host's ULA /48. Half of
 * core/ops/network.c, kept apart so that the IPv4 plan there stays short.
 */
#include "core/ops/network.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/model/ipam.h"
#include "core/ops/lookup.h"
#include "lib/errstr.h"
#include "netlink/addr_route.h"

#define SEED_FILE "ula_seed"

/* the seed of the host's ULA /48: /etc/machine-id (systemd's stable host ID),
 * else one boxnet made earlier, else a new random one (returned in @fresh,
 * kept by the caller once a network uses it) */
static void ula_seed(struct session *s, char seed[33], char fresh[33])
{
	char *kept;
	int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, seed, 32) : -1;

	fresh[0] = 0;
	if (fd >= 0)
		close(fd);
	if (n == 32) {
		seed[32] = 0;
		return;
	}
	if (state_read(&s->st, SEED_FILE, &kept) == 0) {
		snprintf(seed, 33, "%s", kept);
		free(kept);
		if (strlen(seed) == 32)
			return;
	}
	uint8_t r[16];

	while (getrandom(r, sizeof(r), 0) != sizeof(r))
		;
	for (int i = 0; i < 16; i++)
		snprintf(seed + 2 * i, 3, "%02x", r[i]);
	memcpy(fresh, seed, 33);
}

int net_ula_keep(struct session *s, const char seed[33])
{
	int ret = seed[0] ? state_write(&s->st, SEED_FILE, seed, strlen(seed)) : 0;

	return ret ? session_fail(s, ret, "cannot save the ULA seed: %s", errstr(ret)) : 0;
}

/* IPv6 space no container network can use */
static int usable6(struct session *s, const char *text, const struct ipprefix *p)
{
	static const struct {
		uint8_t b0, b1, len;
		const char *what;
	} reserved[] = { { 0x00, 0, 8, "reserved (::/8: loopback, unspecified, IPv4-mapped)" },
			 { 0xfe, 0x80, 10, "link-local (fe80::/10)" },
			 { 0xff, 0, 8, "multicast (ff00::/8)" } };

	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++) {
		struct ipprefix r = { .a = { .family = AF_INET6 }, .len = reserved[i].len };

		r.a.v6[0] = reserved[i].b0;
		r.a.v6[1] = reserved[i].b1;
		if (pfx_overlap(&r, p))
			return session_fail(s, -EINVAL, "invalid subnet %s: it overlaps %s addresses",
					    text, reserved[i].what);
	}
	return 0;
}

/* a subnet given by the user, or the first free /64 of the ULA /48 */
static int subnet6(struct session *s, const struct net_spec *sp, struct network *n,
		   char fresh[33])
{
	struct ipprefix *kern = NULL, *taken = NULL, ula;
	struct network *nets;
	size_t nk = 0, nn, nt = 0;
	char seed[33];
	int ret;

	if (sp->subnet6) {
		if (pfx_parse(sp->subnet6, AF_INET6, &n->subnet6))
			return session_fail(s, -EINVAL, "Invalid subnet %s : invalid CIDR address: %s",
					    sp->subnet6, sp->subnet6);
		if (!pfx_is_network(&n->subnet6)) {
			char want[PFX_STRLEN];
			struct ipprefix p = { pfx_first(&n->subnet6), n->subnet6.len };

			return session_fail(s, -EINVAL, "invalid subnet %s: it should be %s",
					    sp->subnet6, pfx_format(&p, want));
		}
		/* at least a gateway and two endpoints; the pool of one shorter
		 * than /64 is its first /64 (core/model/ipam.h) */
		if (n->subnet6.len < 16 || n->subnet6.len > 126)
			return session_fail(s, -EINVAL, "invalid subnet %s: IPv6 prefix length must be "
					       "16 to 126", sp->subnet6);
		if ((ret = usable6(s, sp->subnet6, &n->subnet6)))
			return ret;
		n->user_subnet6 = true;
	}
	if ((ret = net_list(s, &nets, &nn)))
		return ret;
	if (sp->subnet6) {
		/* only boxnet's own networks conflict with a requested subnet, as in Docker */
		for (size_t i = 0; i < nn && !ret; i++)
			if (nets[i].ipv6 && pfx_overlap(&nets[i].subnet6, &n->subnet6))
				ret = session_fail(s, -EEXIST,
						   "Pool overlaps with other one on this address space");
	} else if ((ret = nl_used_prefixes(s->nl, AF_INET6, &kern, &nk))) {
		ret = session_fail(s, ret, "cannot read routes: %s", errstr(ret));
	} else if (!(taken = malloc((nk + nn + 1) * sizeof(*taken)))) {
		ret = session_fail(s, -ENOMEM, "out of memory");
	} else {
		memcpy(taken, kern, nk * sizeof(*kern));
		nt = nk;
		for (size_t i = 0; i < nn; i++)
			if (nets[i].ipv6)
				taken[nt++] = nets[i].subnet6;
		ula_seed(s, seed, fresh);
		ipam_ula48(seed, strlen(seed), &ula);
		if (ipam_pick_subnet6(&ula, taken, nt, &n->subnet6))
			ret = session_fail(s, -ENOSPC, "could not find an available, non-overlapping "
						       "IPv6 address pool in the ULA prefix of this host");
	}
	free(kern);
	free(taken);
	net_list_free(nets, nn);
	return ret;
}

/* @p lies where IPAM hands out addresses: in a subnet shorter than /64,
 * its first /64 (core/model/ipam.h) */
static bool managed(const struct network *n, const struct ipprefix *p)
{
	struct ipprefix first = { pfx_first(&n->subnet6), 64 };

	return n->subnet6.len >= 64 || pfx_within(p, &first);
}

int net_plan6(struct session *s, const struct net_spec *sp, struct network *n, char fresh[33])
{
	const char *given = sp->subnet6 ? sp->subnet6 : sp->gateway6 ? sp->gateway6 : sp->ip_range6;
	struct ipaddr first;
	int ret;

	fresh[0] = 0;
	if (sp->no_ipv4 && !sp->ipv6)
		return session_fail(s, -EINVAL, "--ipv4=false needs --ipv6: a network needs an "
					       "address family");
	if (sp->no_ipv4 && (sp->subnet || sp->gateway || sp->ip_range))
		return session_fail(s, -EINVAL, "IPv4 address %s given for a network with --ipv4=false",
				    sp->subnet ? sp->subnet : sp->gateway ? sp->gateway : sp->ip_range);
	if (!sp->ipv6) {
		if (given)
			return session_fail(s, -EINVAL, "IPv6 address %s given for a network without "
						       "--ipv6", given);
		return 0;
	}
	if ((sp->gateway6 || sp->ip_range6) && !sp->subnet6)
		return session_fail(s, -EINVAL, "IPv6 %s requires an IPv6 --subnet",
				    sp->gateway6 ? "--gateway" : "--ip-range");
	n->ipv6 = true;
	if ((ret = subnet6(s, sp, n, fresh)))
		return ret;
	first = pfx_first(&n->subnet6);
	n->gateway6 = first;
	n->gateway6.v6[15] |= 1; /* the first address after the subnet-router anycast one */
	if (sp->gateway6) {
		if (ip_parse(sp->gateway6, AF_INET6, &n->gateway6))
			return session_fail(s, -EINVAL, "invalid gateway %s: not an IPv6 address",
					    sp->gateway6);
		if (!pfx_contains(&n->subnet6, &n->gateway6))
			return session_fail(s, -EINVAL, "no matching subnet for gateway %s", sp->gateway6);
		if (ip_eq(&n->gateway6, &first))
			return session_fail(s, -EINVAL, "invalid gateway %s: the subnet-router anycast "
						       "address", sp->gateway6);
		if (!managed(n, &(struct ipprefix){ n->gateway6, 128 }))
			return session_fail(s, -EINVAL, "invalid gateway %s: outside the first /64 of %s",
					    sp->gateway6, sp->subnet6);
	}
	if (sp->ip_range6) {
		if (pfx_parse(sp->ip_range6, AF_INET6, &n->ip_range6) || !pfx_is_network(&n->ip_range6))
			return session_fail(s, -EINVAL, "invalid ip-range %s", sp->ip_range6);
		if (!pfx_within(&n->ip_range6, &n->subnet6))
			return session_fail(s, -EINVAL, "no matching subnet for range %s", sp->ip_range6);
		if (!managed(n, &n->ip_range6))
			return session_fail(s, -EINVAL, "invalid ip-range %s: outside the first /64 of %s",
					    sp->ip_range6, sp->subnet6);
		n->has_range6 = true;
	}
	return 0;
}
