/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IP addresses and prefixes of both families, and MAC addresses: strict
 * parsers, formatters and prefix arithmetic. Pure functions.
 */
#ifndef BOXNET_ADDR_H
#define BOXNET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_STRLEN 18
#define IP_STRLEN 46      /* INET6_ADDRSTRLEN */
#define PFX_STRLEN 50     /* IP_STRLEN + "/128" */

/*
 * One address of either family, the type every layer uses (applets, core,
 * netlink, the firewall model and backends, state files). family is AF_INET
 * or AF_INET6, or 0 (AF_UNSPEC) for "no address" — which a firewall match or
 * a published port reads as "any". IPv4 is kept in host byte order so that
 * address arithmetic (IPAM) is plain integer arithmetic; IPv6 in network
 * byte order, as the kernel has it.
 */
struct ipaddr {
	uint8_t family;
	union {
		uint32_t v4;
		uint8_t v6[16];
	};
};

/* an address and a prefix length (0..32 or 0..128); host bits may be set */
struct ipprefix {
	struct ipaddr a;
	uint8_t len;
};

/* ip4 - the IPv4 address @hostorder */
static inline struct ipaddr ip4(uint32_t hostorder)
{
	struct ipaddr a = { .family = 2 /* AF_INET */ };

	a.v4 = hostorder;
	return a;
}

/* ip_is_set - @a holds an address (family not 0) */
static inline bool ip_is_set(const struct ipaddr *a)
{
	return a->family != 0;
}

/*
 * ip_parse - one address of @family (AF_INET, AF_INET6, or AF_UNSPEC for
 * either): IPv4 as exactly four decimal octets 0-255 without leading zeros,
 * IPv6 in RFC 4291 text form. Nothing else may follow. 0 or -EINVAL.
 */
int ip_parse(const char *s, int family, struct ipaddr *out);

/* ip_format - the canonical text (RFC 5952 for IPv6); "" for no address */
char *ip_format(const struct ipaddr *a, char buf[IP_STRLEN]);

/* ip_eq - same family and address (two unset addresses are equal) */
bool ip_eq(const struct ipaddr *a, const struct ipaddr *b);

/* ip_to_bytes - the address in network byte order into @out (4 or 16
 * bytes); returns that length, 0 for no address */
size_t ip_to_bytes(const struct ipaddr *a, void *out);

/* ip_from_bytes - an address of @family from @len bytes in network byte
 * order; 0, or -EINVAL when @len does not fit the family */
int ip_from_bytes(int family, const void *p, size_t len, struct ipaddr *out);

/* pfx_parse - "ADDR/LEN" of @family (as ip_parse); host bits may be set
 * (see pfx_is_network). 0 or -EINVAL. */
int pfx_parse(const char *s, int family, struct ipprefix *p);

/* pfx_format - "ADDR/LEN" */
char *pfx_format(const struct ipprefix *p, char buf[PFX_STRLEN]);

/* pfx_mask4 - the IPv4 netmask of @len bits, host byte order */
uint32_t pfx_mask4(int len);

/* pfx_is_network - no host bits set */
bool pfx_is_network(const struct ipprefix *p);
/* pfx_contains - @a is of @p's family and inside it */
bool pfx_contains(const struct ipprefix *p, const struct ipaddr *a);
/* pfx_within - @inner lies entirely inside @outer (same family) */
bool pfx_within(const struct ipprefix *inner, const struct ipprefix *outer);
/* pfx_overlap - same family and one contains the other */
bool pfx_overlap(const struct ipprefix *a, const struct ipprefix *b);
/* pfx_first, pfx_last - the first and last address of @p */
struct ipaddr pfx_first(const struct ipprefix *p);
struct ipaddr pfx_last(const struct ipprefix *p);

/* mac_parse - "xx:xx:xx:xx:xx:xx" (hex, either case); a multicast or all-zero
 * MAC is refused: 0 or -EINVAL. */
int mac_parse(const char *s, uint8_t mac[6]);
char *mac_format(const uint8_t mac[6], char buf[MAC_STRLEN]);

#endif
