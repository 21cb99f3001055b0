/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scenario words of the firewall test drivers (fwctl, nftctl): networks
 * and published ports for fw_build(), given on the command line.
 *   net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]  (snat= last)
 *   port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE
 * An IPv6 SUBNET or address is written in brackets ([fd00:1::/64],
 * [fd00:1::2], [::] for every address): a dual-stack network is two net
 * words with the same bridge, as fw_build() gets it.
 * Header-only: each tool is its own program.
 */
#ifndef BOXNET_TOOLS_SCENARIO_H
#define BOXNET_TOOLS_SCENARIO_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include "lib/addr.h"
#include "lib/ipproto.h"
#include "core/model/fwmodel.h"

struct scenario {
	struct fw_net *nets;
	struct fw_port *ports;
	size_t nnets, nports;
};

static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned int a, b;
	int n = 0;

	if (sscanf(s, "%u-%u%n", &a, &b, &n) == 2 && !s[n])
		;
	else if (sscanf(s, "%u%n", &a, &n) == 1 && !s[n])
		b = a;
	else
		return -EINVAL;
	if (!a || a > 65535 || b < a || b > 65535)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int parse_bridge(const char *s, char *out)
{
	if (!s || !*s || strlen(s) > 15)
		return -EINVAL;
	strcpy(out, s);
	return 0;
}

/* the next ':'-separated field of *@w, "[...]" taken whole without its
 * brackets; NULL at the end */
static char *field(char **w)
{
	char *f = *w, *end;

	if (!f)
		return NULL;
	if (*f == '[' && (end = strchr(f, ']')) && (end[1] == ':' || !end[1])) {
		*end = '\0';
		*w = end[1] ? end + 2 : NULL;
		return f + 1;
	}
	end = strchr(f, ':');
	*w = end ? end + 1 : NULL;
	if (end)
		*end = '\0';
	return f;
}

static int parse_net(char *w, struct fw_net *n)
{
	char *tok = field(&w);

	*n = (struct fw_net){ .icc = true, .masquerade = true };
	if (parse_bridge(field(&w), n->bridge))
		return -EINVAL;
	tok = field(&w);
	if (!tok || pfx_parse(tok, AF_UNSPEC, &n->subnet) ||
	    n->subnet.len > (n->subnet.a.family == AF_INET6 ? 126 : 30))
		return -EINVAL;
	n->subnet.a = pfx_first(&n->subnet);
	n->gateway = n->subnet.a;
	if (n->gateway.family == AF_INET6)
		n->gateway.v6[15] |= 1;
	else
		n->gateway.v4++;
	while ((tok = field(&w))) {
		if (!strncmp(tok, "snat=", 5) && w) {
			w[-1] = ':'; /* an IPv6 snat= address: the rest of the word */
			w = NULL;
		}
		if (!strcmp(tok, "internal"))
			n->internal = true;
		else if (!strcmp(tok, "noicc"))
			n->icc = false;
		else if (!strcmp(tok, "nomasq"))
			n->masquerade = false;
		else if (strncmp(tok, "snat=", 5) || ip_parse(tok + 5, AF_UNSPEC, &n->snat))
			return -EINVAL;
	}
	if (n->snat.family == AF_INET && !n->snat.v4) /* snat=0.0.0.0: no address, masquerade */
		n->snat = (struct ipaddr){ 0 };
	return 0;
}

/* a port's host address: 0.0.0.0 and :: are every address (no address) */
static int parse_host_ip(const char *s, struct ipaddr *a)
{
	static const uint8_t any6[16];

	if (ip_parse(s, AF_UNSPEC, a))
		return -EINVAL;
	if ((a->family == AF_INET && !a->v4) || (a->family == AF_INET6 && !memcmp(a->v6, any6, 16)))
		*a = (struct ipaddr){ 0 };
	return 0;
}

static int parse_port(const char *word, struct fw_port *p)
{
	char w[256], *f[8], *rest = w, *tok;
	int n = 0;

	snprintf(w, sizeof(w), "%s", word);
	while ((tok = field(&rest)) && n < 8)
		f[n++] = tok;
	if (n != 7 || strcmp(f[0], "port"))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->proto = ipproto_parse(f[1]);
	/* HOSTIP 0.0.0.0 or [::]: every local address, no address in struct fw_port */
	if (!p->proto || parse_host_ip(f[2], &p->host_ip) ||
	    parse_range(f[3], &p->host_lo, &p->host_hi) || ip_parse(f[4], AF_UNSPEC, &p->ctr_ip) ||
	    parse_range(f[5], &p->ctr_lo, &p->ctr_hi) || parse_bridge(f[6], p->bridge))
		return -EINVAL;
	return 0;
}

static int parse_scenario(int argc, char **argv, struct scenario *s, const char *tool)
{
	s->nets = calloc((size_t)argc + 1, sizeof(*s->nets));
	s->ports = calloc((size_t)argc + 1, sizeof(*s->ports));
	if (!s->nets || !s->ports)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		char word[256];
		int ret = -EINVAL;

		snprintf(word, sizeof(word), "%s", argv[i]);
		if (!strncmp(word, "net:", 4))
			ret = parse_net(word, &s->nets[s->nnets++]);
		else if (!strncmp(word, "port:", 5))
			ret = parse_port(word, &s->ports[s->nports++]);
		if (ret) {
			fprintf(stderr, "%s: bad scenario word: %s\n", tool, argv[i]);
			return ret;
		}
	}
	return 0;
}

static void scenario_free(struct scenario *s)
{
	free(s->nets);
	free(s->ports);
	s->nets = NULL;
	s->ports = NULL;
	s->nnets = s->nports = 0;
}

#endif
