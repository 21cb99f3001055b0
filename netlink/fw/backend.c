// SPDX-License-Identifier: GPL-2.0-or-later
/* The backends by name, and auto's choice among them. */
#include "netlink/fw/backend.h"

#include <string.h>
#include <sys/socket.h>

/* in auto's order of preference; iptables-nft is never auto's choice: nft
 * answers wherever it does */
static const struct fw_backend *const backends[] = { &xt_backend, &nft_backend, &iptnft_backend };

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct fw_backend *fw_backend_find(const char *name)
{
	for (size_t i = 0; i < NBACKENDS; i++)
		if (!strcmp(name, backends[i]->name))
			return backends[i];
	return NULL;
}

const struct fw_backend *fw_backend_auto(void)
{
	for (size_t i = 0; i < NBACKENDS; i++) {
		/* legacy x_tables without ip6_tables could not protect IPv6
		 * networks: nf_tables, when it answers, covers both families */
		if (backends[i] == &xt_backend && !xt_available_family(AF_INET6) &&
		    nft_backend.available())
			continue;
		if (backends[i]->available())
			return backends[i];
	}
	return NULL;
}
