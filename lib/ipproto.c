// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/ipproto.h"

#include <string.h>

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = { { "tcp", 6 }, { "udp", 17 }, { "sctp", 132 } };

const char *ipproto_name(uint8_t p)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(*protos); i++)
		if (protos[i].proto == p)
			return protos[i].name;
	return NULL;
}

uint8_t ipproto_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(*protos); i++)
		if (!strcmp(protos[i].name, name))
			return protos[i].proto;
	return 0;
}
