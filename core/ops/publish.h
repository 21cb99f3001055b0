/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Publishing container ports (portfwd): checks, state, firewall. 0 or -errno. */
#ifndef BOXNET_PUBLISH_H
#define BOXNET_PUBLISH_H

#include <stdio.h>

#include "core/model/portspec.h"
#include "lib/addr.h"
#include "core/ops/session.h"

/* publish_add - publish @n SPECs of @ctr on network @netref (NULL: the one
 * giving the container its default route, else its first bridge network).
 * All or nothing. With @dry, print the rules it would add to @dry instead. */
int publish_add(struct session *s, const char *ctr, const char *netref, char *const *specs,
		size_t n, FILE *dry);

/* publish_del - unpublish the SPECs given (all of @ctr's when @n is 0) */
int publish_del(struct session *s, const char *ctr, char *const *specs, size_t n, FILE *dry);

/* publish_list - the ports of @ctr (NULL: all), sorted, Docker's way */
int publish_list(struct session *s, const char *ctr, struct port_map **v, size_t *n);

#endif
