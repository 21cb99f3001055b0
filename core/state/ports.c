// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/ports.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = { { "tcp", 6 }, { "udp", 17 }, { "sctp", 132 } };

const char *port_proto_name(uint8_t p)
{
	for (size_t i = 0; i < 3; i++)
		if (protos[i].proto == p)
			return protos[i].name;
	return "?";
}

/* "LO" or "LO-HI", 1..65535 each, LO <= HI */
static int parse_range(const char *s, size_t len, uint16_t *lo, uint16_t *hi)
{
	char buf[16], *end;
	unsigned long a, b;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	a = strtoul(buf, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -EINVAL;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || !a || a > 65535 || !b || b > 65535 || b < a)
		return -ERANGE;
	*lo = a;
	*hi = b;
	return 0;
}

int port_spec_parse(const char *spec, struct port_map *m, char *why, size_t size)
{
	const char *slash = strchr(spec, '/'), *end = slash ? slash : spec + strlen(spec);
	const char *colon2 = NULL, *colon1 = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	m->p.proto = 6;
	if (slash) {
		size_t i;

		for (i = 0; i < 3 && strcmp(slash + 1, protos[i].name); i++)
			;
		if (i == 3)
			return snprintf(why, size, "invalid proto: %s", slash + 1), -EINVAL;
		m->p.proto = protos[i].proto;
	}
	/* the last two colons split host address, host ports, container ports */
	for (const char *p = spec; p < end; p++)
		if (*p == ':')
			colon1 = colon2, colon2 = p;
	if (!colon2)
		return snprintf(why, size, "invalid port mapping %s: want [HOSTIP:]HOSTPORT:CONTAINERPORT",
				spec), -EINVAL;
	if (colon1) {
		char ip[ADDR_STRLEN];
		size_t len = colon1 - spec;

		if (len >= sizeof(ip))
			return snprintf(why, size, "invalid IP address in %s", spec), -EINVAL;
		memcpy(ip, spec, len);
		ip[len] = 0;
		if (addr_parse(ip, &m->p.host_ip))
			return snprintf(why, size, "invalid IP address %s in %s", ip, spec), -EINVAL;
	} else {
		m->any_ip = true;
	}
	ret = parse_range(colon1 ? colon1 + 1 : spec, colon2 - (colon1 ? colon1 + 1 : spec),
			  &m->p.host_lo, &m->p.host_hi);
	if (!ret)
		ret = parse_range(colon2 + 1, end - colon2 - 1, &m->p.ctr_lo, &m->p.ctr_hi);
	if (ret == -EINVAL)
		return snprintf(why, size, "invalid port in %s: want a number or a range LO-HI", spec), ret;
	if (ret)
		return snprintf(why, size, "invalid port in %s: ports are 1 to 65535, LO <= HI", spec), ret;
	if (m->p.host_hi - m->p.host_lo != m->p.ctr_hi - m->p.ctr_lo)
		return snprintf(why, size, "invalid ranges in %s: host and container ranges differ in length",
				spec), -EINVAL;
	return 0;
}

void port_spec_format(const struct port_map *m, char *buf, size_t size)
{
	char ip[ADDR_STRLEN];

	snprintf(buf, size, "%s:%u-%u:%u-%u/%s", addr_format(m->p.host_ip, ip), m->p.host_lo,
		 m->p.host_hi, m->p.ctr_lo, m->p.ctr_hi, port_proto_name(m->p.proto));
}

bool ports_overlap(const struct fw_port *a, const struct fw_port *b)
{
	return a->proto == b->proto && a->host_lo <= b->host_hi && b->host_lo <= a->host_hi &&
	       (!a->host_ip || !b->host_ip || a->host_ip == b->host_ip);
}

static void file_name(const struct port_map *m, char *rel, size_t size)
{
	char ip[ADDR_STRLEN];

	snprintf(rel, size, "ports/%s-%s-%u-%u", port_proto_name(m->p.proto),
		 addr_format(m->p.host_ip, ip), m->p.host_lo, m->p.host_hi);
}

int port_save(const struct state *st, const struct port_map *m)
{
	char rel[128], text[512], ip[ADDR_STRLEN], cip[ADDR_STRLEN];
	int len;

	if (mkdirat(st->dirfd, "ports", 0755) < 0 && errno != EEXIST)
		return -errno;
	file_name(m, rel, sizeof(rel));
	len = snprintf(text, sizeof(text),
		       "container=%s\nnetwork=%s\nproto=%s\nhost_ip=%s\nhost_ports=%u-%u\n"
		       "container_ip=%s\ncontainer_ports=%u-%u\nbridge=%s\nany_ip=%d\n",
		       m->container, m->network, port_proto_name(m->p.proto),
		       addr_format(m->p.host_ip, ip), m->p.host_lo, m->p.host_hi,
		       addr_format(m->p.ctr_ip, cip), m->p.ctr_lo, m->p.ctr_hi, m->p.bridge, m->any_ip);
	return state_write(st, rel, text, len);
}

int port_remove(const struct state *st, const struct port_map *m)
{
	char rel[128];

	file_name(m, rel, sizeof(rel));
	return state_unlink(st, rel);
}

static int port_load(const struct state *st, const char *name, struct port_map *m)
{
	char rel[128], *buf;
	struct kvs k;
	const char *v;
	unsigned a, b;
	int ret;

	snprintf(rel, sizeof(rel), "ports/%s", name);
	if ((ret = state_read(st, rel, &buf)))
		return ret;
	if ((ret = kv_parse(buf, &k))) {
		free(buf);
		return ret;
	}
	memset(m, 0, sizeof(*m));
	snprintf(m->container, sizeof(m->container), "%s", (v = kv_get(&k, "container")) ? v : "");
	snprintf(m->network, sizeof(m->network), "%s", (v = kv_get(&k, "network")) ? v : "");
	snprintf(m->p.bridge, sizeof(m->p.bridge), "%s", (v = kv_get(&k, "bridge")) ? v : "");
	for (size_t i = 0; i < 3; i++)
		if ((v = kv_get(&k, "proto")) && !strcmp(v, protos[i].name))
			m->p.proto = protos[i].proto;
	if (!(v = kv_get(&k, "host_ip")) || addr_parse(v, &m->p.host_ip) ||
	    !(v = kv_get(&k, "container_ip")) || addr_parse(v, &m->p.ctr_ip) || !m->p.proto)
		ret = -EINVAL;
	if (!ret && (v = kv_get(&k, "host_ports")) && sscanf(v, "%u-%u", &a, &b) == 2)
		m->p.host_lo = a, m->p.host_hi = b;
	if (!ret && (v = kv_get(&k, "container_ports")) && sscanf(v, "%u-%u", &a, &b) == 2)
		m->p.ctr_lo = a, m->p.ctr_hi = b;
	m->any_ip = (v = kv_get(&k, "any_ip")) && !strcmp(v, "1");
	free(k.v);
	free(buf);
	return ret;
}

int ports_load_all(const struct state *st, struct port_map **v, size_t *n)
{
	char **names;
	size_t count;
	int ret = state_list(st, "ports", &names, &count);

	*v = NULL;
	*n = 0;
	if (ret)
		return ret;
	if (count && !(*v = calloc(count, sizeof(**v))))
		ret = -ENOMEM;
	for (size_t i = 0; i < count && !ret; i++)
		if (port_load(st, names[i], &(*v)[*n]) == 0)
			(*n)++;
	state_list_free(names, count);
	return ret;
}

int ports_load_keys(const struct state *st, struct fw_port **v, size_t *n)
{
	char **names;
	size_t count;
	int ret = state_list(st, "ports", &names, &count);

	*v = NULL;
	*n = 0;
	if (ret)
		return ret;
	if (count && !(*v = calloc(count, sizeof(**v))))
		ret = -ENOMEM;
	for (size_t i = 0; i < count && !ret; i++) {
		/* PROTO-HOSTIP-LO-HI, as file_name() writes it */
		char proto[8], ip[ADDR_STRLEN];
		unsigned lo, hi;
		struct fw_port *p = &(*v)[*n];

		if (sscanf(names[i], "%7[a-z]-%15[0-9.]-%u-%u", proto, ip, &lo, &hi) != 4 ||
		    addr_parse(ip, &p->host_ip) || !lo || hi > 65535 || lo > hi)
			continue;
		for (size_t k = 0; k < 3; k++)
			if (!strcmp(proto, protos[k].name))
				p->proto = protos[k].proto;
		p->host_lo = lo;
		p->host_hi = hi;
		if (p->proto)
			(*n)++;
	}
	state_list_free(names, count);
	return ret;
}
