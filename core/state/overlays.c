// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/overlays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* "PEER SPI-OUT SPI-IN" of an sa= line (what sscanf's "%45s %lu %lu" read,
 * without dragging in libc's scanf): 0 or -1 */
static int parse_sa(const char *s, char a[IP_STRLEN], unsigned long *o, unsigned long *in)
{
	size_t n = strcspn(s, " ");
	char *end;

	if (!n || n >= IP_STRLEN)
		return -1;
	memcpy(a, s, n);
	a[n] = 0;
	*o = strtoul(s += n, &end, 10);
	if (end == s)
		return -1;
	*in = strtoul(s = end, &end, 10);
	return end == s ? -1 : 0;
}

int vxlan_load(const struct state *st, const char *name, struct vxlan *v)
{
	char rel[OBJNAME_MAX + 8], *buf, *end;
	struct kvs k;
	const char *x;
	int ret;

	memset(v, 0, sizeof(*v));
	snprintf(rel, sizeof(rel), "vxlan/%s", name);
	if ((ret = state_read(st, rel, &buf)))
		return ret;
	/* cut short or garbled (the writer's lines are whole KEY=VALUE ones)
	 * is damaged; a key more or less is another version's file */
	if (!kv_whole(buf) || (ret = kv_parse(buf, &k))) {
		free(buf);
		return ret ? ret : -EBADMSG;
	}
	if (!(x = kv_get(&k, "vni")) || *x < '0' || *x > '9' || strtoul(x, &end, 10) > 0xffffff ||
	    *end || ((x = kv_get(&k, "network")) && strcmp(x, name)))
		ret = -EBADMSG;
	snprintf(v->network, sizeof(v->network), "%s", name);
	snprintf(v->dev, sizeof(v->dev), "%s", (x = kv_get(&k, "device")) ? x : "");
	snprintf(v->underlay, sizeof(v->underlay), "%s", (x = kv_get(&k, "underlay")) ? x : "");
	v->vni = (x = kv_get(&k, "vni")) ? strtoul(x, NULL, 10) : 0;
	v->port = (x = kv_get(&k, "port")) ? strtoul(x, NULL, 10) : 4789;
	v->mtu_was = (x = kv_get(&k, "mtu_was")) ? strtoul(x, NULL, 10) : 0;
	v->learning = (x = kv_get(&k, "learning")) && !strcmp(x, "1");
	v->evpn = (x = kv_get(&k, "control")) && !strcmp(x, "evpn");
	if ((x = kv_get(&k, "group")) && *x)
		ip_parse(x, AF_UNSPEC, &v->group);
	if ((x = kv_get(&k, "local")) && *x)
		ip_parse(x, AF_UNSPEC, &v->local);
	v->encrypted = (x = kv_get(&k, "encrypted")) && !strcmp(x, "1");
	for (size_t i = 0; i < k.n; i++)
		if (!strcmp(k.v[i].key, "peer") && v->npeers < VXLAN_MAX_PEERS &&
		    ip_parse(k.v[i].val, AF_UNSPEC, &v->peers[v->npeers]) == 0)
			v->npeers++;
	/* "sa=PEER SPI-OUT SPI-IN", after the peers they belong to */
	for (size_t i = 0; i < k.n; i++) {
		char a[IP_STRLEN];
		unsigned long o, in;
		struct ipaddr p;

		if (strcmp(k.v[i].key, "sa") || parse_sa(k.v[i].val, a, &o, &in) ||
		    ip_parse(a, AF_UNSPEC, &p))
			continue;
		for (size_t j = 0; j < v->npeers; j++)
			if (ip_eq(&v->peers[j], &p))
				v->spi_out[j] = o, v->spi_in[j] = in;
	}
	free(k.v);
	free(buf);
	return ret;
}

int vxlan_save(const struct state *st, const struct vxlan *v)
{
	/* the header, then per peer "peer=IP\n" and "sa=IP SPI SPI\n" */
	char rel[OBJNAME_MAX + 8], text[512 + VXLAN_MAX_PEERS * (2 * IP_STRLEN + 32)];
	char a[IP_STRLEN], b[IP_STRLEN];
	size_t off;

	if (mkdirat(st->dirfd, "vxlan", 0755) < 0 && errno != EEXIST)
		return -errno;
	off = snprintf(text, sizeof(text),
		       "network=%s\nvni=%u\ndevice=%s\nunderlay=%s\nport=%u\nlearning=%d\n"
		       "group=%s\nlocal=%s\nmtu_was=%u\ncontrol=%s\n",
		       v->network, v->vni, v->dev, v->underlay, v->port, v->learning,
		       ip_format(&v->group, a), ip_format(&v->local, b),
		       v->mtu_was, v->evpn ? "evpn" : "static");
	for (size_t i = 0; i < v->npeers && off < sizeof(text); i++)
		off += snprintf(text + off, sizeof(text) - off, "peer=%s\n", ip_format(&v->peers[i], a));
	if (v->encrypted && off < sizeof(text))
		off += snprintf(text + off, sizeof(text) - off, "encrypted=1\n");
	for (size_t i = 0; v->encrypted && i < v->npeers && off < sizeof(text); i++)
		if (v->spi_out[i] || v->spi_in[i])
			off += snprintf(text + off, sizeof(text) - off, "sa=%s %u %u\n",
					ip_format(&v->peers[i], a), v->spi_out[i], v->spi_in[i]);
	snprintf(rel, sizeof(rel), "vxlan/%s", v->network);
	return state_write(st, rel, text, off < sizeof(text) ? off : sizeof(text));
}

static int load_one(const struct state *st, const char *name, void *out)
{
	return vxlan_load(st, name, out);
}

int vxlan_list(const struct state *st, struct vxlan **v, size_t *n)
{
	return state_load_all(st, "vxlan", sizeof(**v), load_one, (void **)v, n);
}
