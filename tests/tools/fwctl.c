// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwctl - drive a firewall backend directly with a rule set from fw_build(),
 * for the integration tests (test-only; never installed).
 *
 *   fwctl BACKEND VERB [WORD...]
 *
 * BACKEND   iptables   legacy x_tables (netlink/xt.c)
 *           (nft: add an entry to backends[] below)
 * VERB      apply      install the scenario's rule set; with no network,
 *                      remove all of boxnet's rules
 *           show       print the rule set the scenario gives (iptables:
 *                      fwrule_save of raw, filter and nat)
 *           kernel     print boxnet's part of what the kernel holds now
 *           available  exit 0 when the backend can be used here
 * WORD      net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]
 *               a network on BRIDGE; its gateway is SUBNET's first address
 *           port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE
 *               a published port (range); PROTO tcp|udp|sctp; HOSTIP
 *               0.0.0.0 for every local address
 *   e.g. fwctl iptables apply net:br-a:172.18.0.0/16 \
 *            port:tcp:0.0.0.0:8080-8080:172.18.0.2:80-80:br-a
 *
 * Exit: 0 done, 1 failed (reason on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"
#include "core/fw.h"
#include "netlink/xt.h"

#define MAX_ITEMS 64

struct scenario {
	struct fw_net nets[MAX_ITEMS];
	struct fw_port ports[MAX_ITEMS];
	size_t nnets, nports;
};

struct backend {
	const char *name;
	bool ports_as_rules; /* fw_build(): published ports as rules, or left to the backend */
	bool (*available)(void);
	int (*apply)(const struct scenario *s, const struct fw_ruleset *r, char *err, size_t len);
	void (*show)(const struct scenario *s, const struct fw_ruleset *r, FILE *f);
	int (*kernel)(FILE *f);
};

static int ipt_apply(const struct scenario *s, const struct fw_ruleset *r, char *err, size_t len)
{
	return xt_apply(r, err, len);
}

static void ipt_show(const struct scenario *s, const struct fw_ruleset *r, FILE *f)
{
	for (int t = 0; t < FW_NTABLES; t++)
		fwrule_save(r, t, f);
}

static int ipt_kernel(FILE *f)
{
	int ret = 0;

	for (int t = 0; !ret && t < FW_NTABLES; t++)
		ret = xt_show_kernel(t, f);
	return ret;
}

static const struct backend backends[] = {
	{ "iptables", true, xt_available, ipt_apply, ipt_show, ipt_kernel },
};

static int usage(void)
{
	fputs("usage: fwctl iptables apply|show|kernel|available [WORD...]\n"
	      "  net:BRIDGE:SUBNET[:internal][:noicc][:nomasq][:snat=IP]\n"
	      "  port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE\n", stderr);
	return 2;
}

static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned a, b;
	int n = 0;

	if (sscanf(s, "%u-%u%n", &a, &b, &n) == 2 && !s[n])
		;
	else if (sscanf(s, "%u%n", &a, &n) == 1 && !s[n])
		b = a;
	else
		return -EINVAL;
	if (!a || a > 65535 || b < a || b > 65535)
		return -EINVAL;
	*lo = a, *hi = b;
	return 0;
}

static int parse_bridge(const char *s, char *out)
{
	if (!s || !*s || strlen(s) > 15)
		return -EINVAL;
	strcpy(out, s);
	return 0;
}

/* net:BRIDGE:SUBNET[:opt]... */
static int parse_net(char *w, struct fw_net *n)
{
	char *save, *tok = strtok_r(w, ":", &save);

	*n = (struct fw_net){ .icc = true, .masquerade = true };
	if (parse_bridge(strtok_r(NULL, ":", &save), n->bridge))
		return -EINVAL;
	tok = strtok_r(NULL, ":", &save);
	if (!tok || prefix_parse(tok, &n->subnet) || n->subnet.len > 30)
		return -EINVAL;
	n->subnet.addr &= prefix_mask(n->subnet.len);
	n->gateway = n->subnet.addr + 1;
	while ((tok = strtok_r(NULL, ":", &save))) {
		if (!strcmp(tok, "internal"))
			n->internal = true;
		else if (!strcmp(tok, "noicc"))
			n->icc = false;
		else if (!strcmp(tok, "nomasq"))
			n->masquerade = false;
		else if (strncmp(tok, "snat=", 5) || addr_parse(tok + 5, &n->snat))
			return -EINVAL;
	}
	return 0;
}

/* port:PROTO:HOSTIP:HLO[-HHI]:CTRIP:CLO[-CHI]:BRIDGE */
static int parse_port(char *w, struct fw_port *p)
{
	char *f[8], *save;
	int n = 0;

	for (char *tok = strtok_r(w, ":", &save); tok && n < 8; tok = strtok_r(NULL, ":", &save))
		f[n++] = tok;
	if (n != 7)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->proto = !strcmp(f[1], "tcp") ? 6 : !strcmp(f[1], "udp") ? 17
		 : !strcmp(f[1], "sctp") ? 132 : 0;
	if (!p->proto || addr_parse(f[2], &p->host_ip) ||
	    parse_range(f[3], &p->host_lo, &p->host_hi) || addr_parse(f[4], &p->ctr_ip) ||
	    parse_range(f[5], &p->ctr_lo, &p->ctr_hi) || parse_bridge(f[6], p->bridge))
		return -EINVAL;
	return 0;
}

static int parse_scenario(int argc, char **argv, struct scenario *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < argc; i++) {
		char word[256];
		int ret = -EINVAL;

		snprintf(word, sizeof(word), "%s", argv[i]);
		if (!strncmp(word, "net:", 4) && s->nnets < MAX_ITEMS)
			ret = parse_net(word, &s->nets[s->nnets++]);
		else if (!strncmp(word, "port:", 5) && s->nports < MAX_ITEMS)
			ret = parse_port(word, &s->ports[s->nports++]);
		if (ret) {
			fprintf(stderr, "fwctl: bad scenario word: %s\n", argv[i]);
			return ret;
		}
	}
	return 0;
}

static int run(const struct backend *b, const char *verb, const struct scenario *s)
{
	struct fw_ruleset r;
	char err[256] = "";
	int ret;

	if (!strcmp(verb, "available"))
		return b->available() ? 0 : 1;
	if (!strcmp(verb, "kernel")) {
		ret = b->kernel(stdout);
		if (ret)
			fprintf(stderr, "fwctl: %s: %s\n", b->name, strerror(-ret));
		return ret ? 1 : 0;
	}
	if (fw_build(s->nets, s->nnets, s->ports, s->nports, b->ports_as_rules, &r)) {
		fputs("fwctl: out of memory\n", stderr);
		return 1;
	}
	if (!strcmp(verb, "show")) {
		b->show(s, &r, stdout);
		ret = 0;
	} else {
		ret = b->apply(s, &r, err, sizeof(err));
		if (ret)
			fprintf(stderr, "fwctl: %s\n", err[0] ? err : strerror(-ret));
	}
	fw_free(&r);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct backend *b = NULL;
	struct scenario *s;
	int ret;

	if (argc < 3)
		return usage();
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(argv[1], backends[i].name))
			b = &backends[i];
	if (!b || (strcmp(argv[2], "apply") && strcmp(argv[2], "show") &&
		   strcmp(argv[2], "kernel") && strcmp(argv[2], "available")))
		return usage();
	s = malloc(sizeof(*s));
	if (!s)
		return 1;
	ret = parse_scenario(argc - 3, argv + 3, s) ? 2 : run(b, argv[2], s);
	free(s);
	return ret;
}
