/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The transport protocols boxnet filters and publishes: names and numbers. */
#ifndef BOXNET_IPPROTO_H
#define BOXNET_IPPROTO_H

#include <stdint.h>

/* ipproto_name - "tcp", "udp" or "sctp"; NULL for any other number (each
 * caller words "any" or "unknown" in its own output's way) */
const char *ipproto_name(uint8_t proto);

/* ipproto_parse - the number of "tcp", "udp" or "sctp"; 0 for anything else */
uint8_t ipproto_parse(const char *name);

#endif
