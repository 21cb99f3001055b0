// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/ports.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "lib/addr.h"
#include "lib/ipproto.h"

static void file_name(const struct port_map *m, char *rel, size_t size)
{
	char ip[IP_STRLEN];

	snprintf(rel, size, "ports/%s-%s-%u-%u", port_proto_name(m->p.proto),
		 port_ip_format(&m->p.host_ip, ip), m->p.host_lo, m->p.host_hi);
}

int port_save(const struct state *st, const struct port_map *m)
{
	char rel[128], text[512], ip[IP_STRLEN], cip[IP_STRLEN];
	int len;

	if (mkdirat(st->dirfd, "ports", 0755) < 0 && errno != EEXIST)
		return -errno;
	file_name(m, rel, sizeof(rel));
	len = snprintf(text, sizeof(text),
		       "container=%s\nnetwork=%s\nproto=%s\nhost_ip=%s\nhost_ports=%u-%u\n"
		       "container_ip=%s\ncontainer_ports=%u-%u\nbridge=%s\nany_ip=%d\n",
		       m->container, m->network, port_proto_name(m->p.proto),
		       port_ip_format(&m->p.host_ip, ip), m->p.host_lo, m->p.host_hi,
		       port_ip_format(&m->p.ctr_ip, cip), m->p.ctr_lo, m->p.ctr_hi, m->p.bridge,
		       m->any_ip);
	return state_write(st, rel, text, len);
}

int port_remove(const struct state *st, const struct port_map *m)
{
	char rel[128];

	file_name(m, rel, sizeof(rel));
	return state_unlink(st, rel);
}

/* "LO-HI" as the files write it: decimal numbers 1-65535, nothing else */
static int range(const char *s, unsigned *lo, unsigned *hi)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	*lo = strtoul(s, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	*hi = strtoul(end + 1, &end, 10);
	return *end || !*lo || *hi > 65535 || *lo > *hi ? -EINVAL : 0;
}

static int port_load(const struct state *st, const char *name, void *out)
{
	struct port_map *m = out;
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
	if ((v = kv_get(&k, "proto")))
		m->p.proto = ipproto_parse(v);
	if (!(v = kv_get(&k, "host_ip")) || port_ip_parse(v, &m->p.host_ip) ||
	    !(v = kv_get(&k, "container_ip")) || ip_parse(v, AF_UNSPEC, &m->p.ctr_ip) || !m->p.proto)
		ret = -EINVAL;
	if (!ret && (v = kv_get(&k, "host_ports")) && range(v, &a, &b) == 0)
		m->p.host_lo = a, m->p.host_hi = b;
	if (!ret && (v = kv_get(&k, "container_ports")) && range(v, &a, &b) == 0)
		m->p.ctr_lo = a, m->p.ctr_hi = b;
	m->any_ip = (v = kv_get(&k, "any_ip")) && !strcmp(v, "1");
	free(k.v);
	free(buf);
	return ret;
}

int port_load_key(const struct state *st, const struct fw_port *key, struct port_map *m)
{
	struct port_map k = { .p = *key };
	char rel[128];

	file_name(&k, rel, sizeof(rel));
	return port_load(st, rel + strlen("ports/"), m);
}

int ports_load_all(const struct state *st, struct port_map **v, size_t *n)
{
	return state_load_all(st, "ports", sizeof(**v), port_load, (void **)v, n);
}

/* the host side of a port from its file name, PROTO-HOSTIP-LO-HI, as
 * file_name() writes it */
static int key_load(const struct state *st, const char *name, void *out)
{
	char proto[8], ip[IP_STRLEN];
	const char *dash = strchr(name, '-'), *dash2 = dash ? strchr(dash + 1, '-') : NULL;
	struct fw_port *p = out;
	unsigned lo, hi;

	if (!dash2 || dash - name >= (long)sizeof(proto) || dash2 - dash - 1 >= (long)sizeof(ip))
		return -EINVAL;
	snprintf(proto, sizeof(proto), "%.*s", (int)(dash - name), name);
	snprintf(ip, sizeof(ip), "%.*s", (int)(dash2 - dash - 1), dash + 1);
	if (port_ip_parse(ip, &p->host_ip) || range(dash2 + 1, &lo, &hi) ||
	    !(p->proto = ipproto_parse(proto)))
		return -EINVAL;
	p->host_lo = lo;
	p->host_hi = hi;
	return 0;
}

int ports_load_keys(const struct state *st, struct fw_port **v, size_t *n)
{
	return state_load_all(st, "ports", sizeof(**v), key_load, (void **)v, n);
}

int ports_drop(const struct state *st, const char *net, const char *ctr)
{
	struct port_map *all;
	size_t nall;
	int ret = ports_load_all(st, &all, &nall);

	int dropped = 0;

	for (size_t i = 0; i < nall && !ret; i++)
		if (!strcmp(all[i].container, ctr) && !strcmp(all[i].network, net) &&
		    !(ret = port_remove(st, &all[i])))
			dropped++;
	free(all);
	return ret ? ret : dropped;
}
