/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 addresses, prefixes and MAC addresses: strict parsers and formatters.
 * Addresses are uint32_t in host byte order. Pure functions.
 */
#ifndef BOXNET_ADDR_H
#define BOXNET_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#define ADDR_STRLEN 16 /* "255.255.255.255" + NUL */
#define PREFIX_STRLEN 19
#define MAC_STRLEN 18

struct prefix {
	uint32_t addr;
	int len; /* 0..32 */
};

/* addr_parse - exactly four decimal octets 0-255, no leading zeros, nothing
 * else; 0 or -EINVAL. */
int addr_parse(const char *s, uint32_t *out);

/* prefix_parse - "a.b.c.d/len"; host bits may be set (see prefix_is_network).
 * 0 or -EINVAL. */
int prefix_parse(const char *s, struct prefix *p);

uint32_t prefix_mask(int len);
/* prefix_is_network - no host bits set */
bool prefix_is_network(const struct prefix *p);
bool prefix_contains(const struct prefix *p, uint32_t a);
/* prefix_within - @inner lies entirely inside @outer */
bool prefix_within(const struct prefix *inner, const struct prefix *outer);
bool prefix_overlap(const struct prefix *a, const struct prefix *b);
/* first and last address of the prefix */
uint32_t prefix_first(const struct prefix *p);
uint32_t prefix_last(const struct prefix *p);

char *addr_format(uint32_t a, char buf[ADDR_STRLEN]);
char *prefix_format(const struct prefix *p, char buf[PREFIX_STRLEN]);

/* mac_parse - "xx:xx:xx:xx:xx:xx" (hex, either case); a multicast or all-zero
 * MAC is refused: 0 or -EINVAL. */
int mac_parse(const char *s, uint8_t mac[6]);
char *mac_format(const uint8_t mac[6], char buf[MAC_STRLEN]);

#endif
