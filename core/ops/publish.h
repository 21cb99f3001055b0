/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Publishing container ports (portfwd): checks, state, firewall. 0 or -errno. */
#ifndef BOXNET_PUBLISH_H
#define BOXNET_PUBLISH_H

#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "lib/names.h"
#include "core/ops/session.h"

/* one published port range as `portfwd ls` shows it (Docker's `docker
 * port`): words and numbers, so that the applet needs none of the
 * firewall's types */
struct port_listing {
	char container[OBJNAME_MAX + 1];
	char host_ip[IP_STRLEN + 2]; /* "0.0.0.0" for every address; IPv6 in brackets */
	const char *proto;         /* "tcp", "udp", "sctp" (static) */
	uint16_t host_lo, ctr_lo, ctr_hi;
};

/* publish_add - publish @n SPECs of @ctr on network @netref (NULL: the one
 * giving the container its default route, else its first bridge network).
 * All or nothing. With @dry, print the rules it would add to @dry instead. */
int publish_add(struct session *s, const char *ctr, const char *netref, char *const *specs,
		size_t n, FILE *dry);

/* publish_del - unpublish the SPECs given (all of @ctr's when @n is 0) */
int publish_del(struct session *s, const char *ctr, char *const *specs, size_t n, FILE *dry);

/* publish_list - the ports of @ctr (NULL: all), sorted Docker's way (by
 * container, container port, protocol), in a malloc'd *@v the caller frees
 * (NULL on failure). 0 or -errno with s->err set. */
int publish_list(struct session *s, const char *ctr, struct port_listing **v, size_t *n);

#endif
