// SPDX-License-Identifier: GPL-2.0-or-later
/* The backends by name, and auto's choice among them. */
#include "netlink/fw/backend.h"

#include <string.h>

static const struct fw_backend *const backends[] = { &xt_backend, &nft_backend, &iptnft_backend };

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct fw_backend *fw_backend_find(const char *name)
{
	for (size_t i = 0; i < NBACKENDS; i++)
		if (!strcmp(name, backends[i]->name))
			return backends[i];
	return NULL;
}

/* "filter: FORWARD policy DROP, 2 chains, 5 rules" for the first table of
 * @v that has @drops (or the first at all) */
static void first_table(const struct fw_tabsum *v, size_t n, char *buf, size_t len)
{
	size_t k = 0;

	while (k < n && !strstr(v[k].drops, "FORWARD"))
		k++;
	k = k < n ? k : 0;
	snprintf(buf, len, "%s: %s%s%u chains, %u rules", v[k].name, v[k].drops,
		 v[k].drops[0] ? ", " : "", v[k].chains, v[k].rules);
}

static bool forward_drops(const struct fw_tabsum *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strstr(v[k].drops, "FORWARD"))
			return true;
	return false;
}

/* iptables, the legacy choice @why gives, unless legacy x_tables have no
 * ip6_tables (they could not protect IPv6 networks) and nf_tables answers:
 * then iptables-nft, which covers both families, and @why says so */
static const struct fw_backend *legacy_or_nft(const struct fw_survey *s, char *why, size_t len)
{
	size_t n = strlen(why);

	if (!s->no_ip6 || !s->nft_ok)
		return &xt_backend;
	snprintf(why + n, len - n, "; but legacy x_tables have no ip6_tables for IPv6 networks: "
		 "iptables-nft, which covers both");
	return &iptnft_backend;
}

const struct fw_backend *fw_backend_auto(const struct fw_survey *s, char *why, size_t len)
{
	char a[128], b[128];
	bool ldrop = forward_drops(s->legacy, s->nlegacy), ndrop = forward_drops(s->nft, s->nnft);

	if (s->nlegacy)
		first_table(s->legacy, s->nlegacy, a, sizeof(a));
	if (s->nnft)
		first_table(s->nft, s->nnft, b, sizeof(b));
	if (s->nlegacy && s->nnft) {
		/* a mixed host: boxnet's accepts belong where FORWARD drops */
		bool legacy = ldrop && !ndrop;

		snprintf(why, len, "iptables rules in both legacy x_tables (%s) and nf_tables (%s): %s",
			 a, b, legacy ? "legacy's FORWARD drops" : ndrop && !ldrop ? "nf_tables' FORWARD drops"
			 : "iptables-nft, today's iptables");
		return legacy ? legacy_or_nft(s, why, len) : &iptnft_backend;
	}
	if (s->nlegacy) {
		snprintf(why, len, "the host's iptables rules are in legacy x_tables (%s)", a);
		return legacy_or_nft(s, why, len);
	}
	if (s->iptnft && s->nft_ok) {
		snprintf(why, len, "the host's iptables rules are in nf_tables (%s)",
			 s->nnft ? b : "iptables-nft's tables, empty");
		return &iptnft_backend;
	}
	if (s->nft_ok) {
		snprintf(why, len, "no iptables rules in use yet, and nf_tables works");
		return &iptnft_backend;
	}
	if (xt_backend.available()) {
		snprintf(why, len, "no iptables rules in use, no nf_tables, and legacy x_tables work");
		return &xt_backend;
	}
	snprintf(why, len, "neither nf_tables nor legacy x_tables answers");
	return NULL;
}
