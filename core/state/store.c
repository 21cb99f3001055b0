// SPDX-License-Identifier: GPL-2.0-or-later
/* Load and save networks, endpoints and containers as key=value files. */
#include "core/state/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/names.h"

int pairs_add(struct pairs *p, const char *key, const char *val)
{
	char **k = realloc(p->key, (p->n + 1) * sizeof(*k)), **v;

	if (!k)
		return -ENOMEM;
	p->key = k;
	v = realloc(p->val, (p->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->val = v;
	k[p->n] = strdup(key);
	v[p->n] = strdup(val);
	if (!k[p->n] || !v[p->n]) {
		free(k[p->n]);
		free(v[p->n]);
		return -ENOMEM;
	}
	p->n++;
	return 0;
}

const char *pairs_get(const struct pairs *p, const char *key)
{
	for (size_t i = p->n; i-- > 0;)
		if (!strcmp(p->key[i], key))
			return p->val[i];
	return NULL;
}

bool net_bridged(const struct network *n)
{
	return !strcmp(n->driver, "bridge") || !strcmp(n->driver, "overlay");
}

void pairs_free(struct pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->key[i]);
		free(p->val[i]);
	}
	free(p->key);
	free(p->val);
	memset(p, 0, sizeof(*p));
}

static int strv_add(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int members_add(struct members *m, const char *name, unsigned long ino)
{
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	/* doubling: a network's members are read a line at a time */
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		char **nn = realloc(m->name, cap * sizeof(*nn));
		unsigned long *ni = nn ? realloc(m->ino, cap * sizeof(*ni)) : NULL;

		if (nn)
			m->name = nn;
		if (!ni) {
			free(copy);
			return -ENOMEM;
		}
		m->ino = ni;
		m->cap = cap;
	}
	m->name[m->n] = copy;
	m->ino[m->n++] = ino;
	return 0;
}

ssize_t members_find(const struct members *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return i;
	return -1;
}

void members_del(struct members *m, const char *name)
{
	ssize_t i = members_find(m, name);

	if (i < 0)
		return;
	free(m->name[i]);
	m->n--;
	memmove(&m->name[i], &m->name[i + 1], (m->n - i) * sizeof(*m->name));
	memmove(&m->ino[i], &m->ino[i + 1], (m->n - i) * sizeof(*m->ino));
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static bool flag(const struct kvs *k, const char *key)
{
	const char *v = kv_get(k, key);

	return v && !strcmp(v, "1");
}

/* read and split a state file; the caller frees *buf and k->v */
static int load_kv(const struct state *st, const char *rel, char **buf, struct kvs *k)
{
	int ret = state_read(st, rel, buf);

	if (ret)
		return ret;
	ret = kv_parse(*buf, k);
	if (ret)
		free(*buf);
	return ret;
}

/* save the text a memstream collected; closes it */
static int save_stream(const struct state *st, const char *rel, FILE *f, char **text, size_t *len)
{
	int ret = ferror(f) ? -ENOMEM : 0;

	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (!ret)
		ret = state_write(st, rel, *text, *len);
	free(*text);
	return ret;
}

/* the decimal at the start of @s (an inode number), without strtoul's
 * generic scan: a connect reads every member's (issue 12) */
static unsigned long leading_ul(const char *s)
{
	unsigned long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	return v;
}

/*
 * A network file has a line per member: the members are taken in one pass
 * and every other key looked up among the rest (a lookup per key across
 * hundreds of member lines made a connect's cost grow with its network's
 * size: issue 12).
 */
static int net_fill(struct network *n, const struct kvs *all)
{
	struct kvs head = { .v = malloc(all->n * sizeof(*all->v)) }, *k = &head;
	size_t nmembers = 0;
	const char *v;
	int ret = 0;

	if (!head.v)
		return -ENOMEM;
	for (size_t i = 0; i < all->n; i++)
		if (strncmp(all->v[i].key, "ep.", 3))
			head.v[head.n++] = all->v[i];
	nmembers = all->n - head.n;
	n->members.name = malloc((nmembers + 1) * sizeof(*n->members.name));
	n->members.ino = malloc((nmembers + 1) * sizeof(*n->members.ino));
	n->members.cap = nmembers + 1;
	if (!n->members.name || !n->members.ino) {
		free(head.v);
		return -ENOMEM;
	}
	copy(n->name, sizeof(n->name), kv_get(k, "name"));
	copy(n->id, sizeof(n->id), kv_get(k, "id"));
	copy(n->driver, sizeof(n->driver), kv_get(k, "driver"));
	copy(n->created, sizeof(n->created), kv_get(k, "created"));
	copy(n->bridge, sizeof(n->bridge), kv_get(k, "bridge"));
	if ((v = kv_get(k, "subnet")) && *v)
		pfx_parse(v, AF_INET, &n->subnet);
	if ((v = kv_get(k, "gateway")) && *v)
		ip_parse(v, AF_INET, &n->gateway);
	if ((v = kv_get(k, "ip_range")) && *v)
		n->has_range = !pfx_parse(v, AF_INET, &n->ip_range);
	if ((v = kv_get(k, "subnet6")) && *v)
		pfx_parse(v, AF_INET6, &n->subnet6);
	if ((v = kv_get(k, "gateway6")) && *v)
		ip_parse(v, AF_INET6, &n->gateway6);
	if ((v = kv_get(k, "ip_range6")) && *v)
		n->has_range6 = !pfx_parse(v, AF_INET6, &n->ip_range6);
	n->ipv6 = flag(k, "ipv6");
	n->user_subnet6 = flag(k, "user_subnet6");
	n->user_subnet = flag(k, "user_subnet");
	n->internal = flag(k, "internal");
	n->attachable = flag(k, "attachable");
	n->predefined = flag(k, "predefined");
	n->own_bridge = flag(k, "own_bridge");
	n->mtu = (v = kv_get(k, "mtu")) ? strtoul(v, NULL, 10) : 0;
	n->used = strdup((v = kv_get(k, "used")) ? v : "");
	n->used6 = strdup((v = kv_get(k, "used6")) ? v : "");
	if (!n->used || !n->used6)
		ret = -ENOMEM;
	for (size_t i = 0; i < head.n && !ret; i++) {
		const char *key = head.v[i].key;

		if (!strncmp(key, "opt.", 4))
			ret = pairs_add(&n->opts, key + 4, head.v[i].val);
		else if (!strncmp(key, "label.", 6))
			ret = pairs_add(&n->labels, key + 6, head.v[i].val);
	}
	free(head.v);
	/* in file order: the room for them is there already */
	for (size_t i = 0; i < all->n && !ret; i++)
		if (!strncmp(all->v[i].key, "ep.", 3))
			ret = members_add(&n->members, all->v[i].key + 3,
					  leading_ul(all->v[i].val));
	return ret;
}

int net_load(const struct state *st, const char *name, struct network *n)
{
	char rel[OBJNAME_MAX + 16], *buf;
	struct kvs k;
	bool whole;
	int ret;

	memset(n, 0, sizeof(*n));
	snprintf(rel, sizeof(rel), "networks/%s", name);
	if ((ret = state_read(st, rel, &buf)))
		return ret;
	/* net_save ends every file with a newline: one cut short does not */
	whole = buf[0] && buf[strlen(buf) - 1] == '\n';
	if ((ret = kv_parse(buf, &k))) {
		free(buf);
		return ret;
	}
	ret = net_fill(n, &k);
	free(k.v);
	free(buf);
	/* a file that is not a whole network of this name (truncated, garbled,
	 * written by hand): say so rather than work with empty fields */
	if (!ret && (!whole || strcmp(n->name, name) || strlen(n->id) != ID_LEN || !n->driver[0]))
		ret = -EBADMSG;
	if (ret)
		net_free(n);
	return ret;
}

int net_gateway(const struct state *st, const char *name, struct ipaddr *gw)
{
	char rel[OBJNAME_MAX + 16], *buf, *end;
	struct ipaddr v4 = { 0 }, v6 = { 0 };
	int ret;

	memset(gw, 0, sizeof(*gw));
	snprintf(rel, sizeof(rel), "networks/%s", name);
	if ((ret = state_read(st, rel, &buf)))
		return ret;
	/* net_save writes the gateways before the members: no need to split
	 * hundreds of member lines for them */
	for (char *line = buf; *line && strncmp(line, "ep.", 3); line = end + 1) {
		if (!(end = strchr(line, '\n')))
			break;
		*end = 0;
		if (!strncmp(line, "gateway=", 8))
			ip_parse(line + 8, AF_INET, &v4);
		else if (!strncmp(line, "gateway6=", 9))
			ip_parse(line + 9, AF_INET6, &v6);
	}
	free(buf);
	*gw = ip_is_set(&v4) ? v4 : v6;
	return 0;
}

/* every pair can be written as one KEY=VALUE line that reads back the same:
 * a newline would add a key of the writer's choosing, an '=' in a key would
 * move the split */
static bool pairs_clean(const struct pairs *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (strpbrk(p->key[i], "=\n") || strchr(p->val[i], '\n'))
			return false;
	return true;
}

/* "ep.NAME=INO\n", a line per member: built by hand, as printf's
 * format parsing per line was most of a save of a large network */
static void member_line(FILE *f, const char *name, unsigned long ino)
{
	char line[OBJNAME_MAX + 32], *p = line + sizeof(line);
	size_t len = strlen(name);

	if (len > OBJNAME_MAX) { /* never a valid name: printed all the same */
		fprintf(f, "ep.%s=%lu\n", name, ino);
		return;
	}
	*--p = '\n';
	do
		*--p = '0' + ino % 10;
	while (ino /= 10);
	*--p = '=';
	p -= len;
	memcpy(p, name, len);
	p -= 3;
	memcpy(p, "ep.", 3);
	fwrite(p, 1, line + sizeof(line) - p, f);
}

int net_save(const struct state *st, const struct network *n)
{
	char rel[OBJNAME_MAX + 16], a[PFX_STRLEN], b[IP_STRLEN], c[PFX_STRLEN], *text;
	size_t len;
	FILE *f;

	if (!pairs_clean(&n->opts) || !pairs_clean(&n->labels))
		return -EINVAL;
	if (!(f = open_memstream(&text, &len)))
		return -ENOMEM;
	/* what netrm -f needs of a truncated file first: which bridge, and whose */
	fprintf(f, "name=%s\nid=%s\ndriver=%s\nbridge=%s\nown_bridge=%d\ncreated=%s\n", n->name,
		n->id, n->driver, n->bridge, n->own_bridge, n->created);
	fprintf(f, "subnet=%s\ngateway=%s\nip_range=%s\n",
		ip_is_set(&n->subnet.a) ? pfx_format(&n->subnet, a) : "", ip_format(&n->gateway, b),
		n->has_range ? pfx_format(&n->ip_range, c) : "");
	fprintf(f, "user_subnet=%d\ninternal=%d\nattachable=%d\npredefined=%d\n", n->user_subnet,
		n->internal, n->attachable, n->predefined);
	if (n->ipv6)
		fprintf(f, "ipv6=1\nsubnet6=%s\ngateway6=%s\nip_range6=%s\nuser_subnet6=%d\n",
			ip_is_set(&n->subnet6.a) ? pfx_format(&n->subnet6, a) : "",
			ip_format(&n->gateway6, b), n->has_range6 ? pfx_format(&n->ip_range6, c) : "",
			n->user_subnet6);
	fprintf(f, "mtu=%u\n", n->mtu);
	for (size_t i = 0; i < n->opts.n; i++)
		fprintf(f, "opt.%s=%s\n", n->opts.key[i], n->opts.val[i]);
	for (size_t i = 0; i < n->labels.n; i++)
		fprintf(f, "label.%s=%s\n", n->labels.key[i], n->labels.val[i]);
	for (size_t i = 0; i < n->members.n; i++)
		member_line(f, n->members.name[i], n->members.ino[i]);
	if (n->ipv6)
		fprintf(f, "used6=%s\n", n->used6 ? n->used6 : "");
	/* last: the longest line, where a cut is most likely (and seen: no newline) */
	fprintf(f, "used=%s\n", n->used ? n->used : "");
	snprintf(rel, sizeof(rel), "networks/%s", n->name);
	return save_stream(st, rel, f, &text, &len);
}

void net_free(struct network *n)
{
	free(n->used);
	free(n->used6);
	pairs_free(&n->opts);
	pairs_free(&n->labels);
	strv_free(n->members.name, n->members.n);
	free(n->members.ino);
	memset(n, 0, sizeof(*n));
}

int ep_load(const struct state *st, const char *net, const char *ctr, struct endpoint *e)
{
	char rel[2 * OBJNAME_MAX + 16], *buf;
	const char *v;
	struct kvs k;
	int ret;

	memset(e, 0, sizeof(*e));
	snprintf(rel, sizeof(rel), "endpoints/%s/%s", net, ctr);
	if ((ret = load_kv(st, rel, &buf, &k)))
		return ret;
	copy(e->network, sizeof(e->network), net);
	copy(e->container, sizeof(e->container), ctr);
	copy(e->id, sizeof(e->id), kv_get(&k, "id"));
	copy(e->ifname, sizeof(e->ifname), kv_get(&k, "ifname"));
	copy(e->veth, sizeof(e->veth), kv_get(&k, "veth"));
	copy(e->origin, sizeof(e->origin), kv_get(&k, "origin"));
	if ((v = kv_get(&k, "mac")) && *v)
		mac_parse(v, e->mac);
	if ((v = kv_get(&k, "ip")) && *v)
		ip_parse(v, AF_INET, &e->ip);
	if ((v = kv_get(&k, "ip6")) && *v)
		ip_parse(v, AF_INET6, &e->ip6);
	for (size_t i = 0; i < k.n && !ret; i++)
		if (!strcmp(k.v[i].key, "alias"))
			ret = strv_add(&e->alias, &e->naliases, k.v[i].val);
	free(k.v);
	free(buf);
	if (ret)
		ep_free(e);
	return ret;
}

int ep_save(const struct state *st, const struct endpoint *e)
{
	char rel[2 * OBJNAME_MAX + 16], m[MAC_STRLEN], a[IP_STRLEN], a6[IP_STRLEN], *text;
	size_t len;
	FILE *f;

	/* an alias is one line: a newline would add a key of its own */
	for (size_t i = 0; i < e->naliases; i++)
		if (strchr(e->alias[i], '\n'))
			return -EINVAL;
	if (!(f = open_memstream(&text, &len)))
		return -ENOMEM;
	fprintf(f, "id=%s\nnetwork=%s\ncontainer=%s\nifname=%s\nveth=%s\nmac=%s\nip=%s\n", e->id,
		e->network, e->container, e->ifname, e->veth,
		ip_is_set(&e->ip) || ip_is_set(&e->ip6) ? mac_format(e->mac, m) : "",
		ip_format(&e->ip, a));
	if (ip_is_set(&e->ip6))
		fprintf(f, "ip6=%s\n", ip_format(&e->ip6, a6));
	for (size_t i = 0; i < e->naliases; i++)
		fprintf(f, "alias=%s\n", e->alias[i]);
	if (e->origin[0])
		fprintf(f, "origin=%s\n", e->origin);
	snprintf(rel, sizeof(rel), "endpoints/%s/%s", e->network, e->container);
	return save_stream(st, rel, f, &text, &len);
}

int ep_remove(const struct state *st, const char *net, const char *ctr)
{
	char rel[2 * OBJNAME_MAX + 16];

	snprintf(rel, sizeof(rel), "endpoints/%s/%s", net, ctr);
	return state_unlink(st, rel);
}

void ep_free(struct endpoint *e)
{
	strv_free(e->alias, e->naliases);
	e->alias = NULL;
	e->naliases = 0;
}

int ctr_load(const struct state *st, const char *name, struct container *c)
{
	char rel[OBJNAME_MAX + 16], *buf;
	struct kvs k;
	int ret;

	memset(c, 0, sizeof(*c));
	copy(c->name, sizeof(c->name), name);
	snprintf(rel, sizeof(rel), "containers/%s", name);
	ret = load_kv(st, rel, &buf, &k);
	if (ret == -ENOENT) {
		id_new(c->id);
		return 0;
	}
	if (ret)
		return ret;
	copy(c->id, sizeof(c->id), kv_get(&k, "id"));
	copy(c->gateway, sizeof(c->gateway), kv_get(&k, "gateway"));
	/* a file from before gateway6: one network gave both routes */
	copy(c->gateway6, sizeof(c->gateway6),
	     kv_get(&k, "gateway6") ? kv_get(&k, "gateway6") : c->gateway);
	c->attached = kv_get(&k, "attached") && !strcmp(kv_get(&k, "attached"), "1");
	if (kv_get(&k, "rootfs") && !(c->rootfs = strdup(kv_get(&k, "rootfs"))))
		ret = -ENOMEM;
	for (size_t i = 0; i < k.n && !ret; i++)
		if (!strcmp(k.v[i].key, "network"))
			ret = strv_add(&c->networks, &c->nnetworks, k.v[i].val);
	free(k.v);
	free(buf);
	if (ret)
		ctr_free(c);
	return ret;
}

int ctr_save(const struct state *st, const struct container *c)
{
	char rel[OBJNAME_MAX + 16], *text;
	size_t len;
	FILE *f;

	snprintf(rel, sizeof(rel), "containers/%s", c->name);
	if (!c->nnetworks)
		return state_unlink(st, rel);
	if (!(f = open_memstream(&text, &len)))
		return -ENOMEM;
	fprintf(f, "id=%s\nname=%s\ngateway=%s\ngateway6=%s\n", c->id, c->name, c->gateway,
		c->gateway6);
	if (c->attached)
		fprintf(f, "attached=1\n");
	if (c->rootfs)
		fprintf(f, "rootfs=%s\n", c->rootfs);
	for (size_t i = 0; i < c->nnetworks; i++)
		fprintf(f, "network=%s\n", c->networks[i]);
	return save_stream(st, rel, f, &text, &len);
}

int ctr_add_network(struct container *c, const char *net)
{
	return strv_add(&c->networks, &c->nnetworks, net);
}

void ctr_del_network(struct container *c, const char *net)
{
	for (size_t i = 0; i < c->nnetworks; i++) {
		if (strcmp(c->networks[i], net))
			continue;
		free(c->networks[i]);
		c->nnetworks--;
		memmove(&c->networks[i], &c->networks[i + 1], (c->nnetworks - i) * sizeof(char *));
		return;
	}
}

void ctr_free(struct container *c)
{
	strv_free(c->networks, c->nnetworks);
	free(c->rootfs);
	c->networks = NULL;
	c->rootfs = NULL;
	c->nnetworks = 0;
}

void id_new(char id[ID_LEN + 1])
{
	unsigned char r[ID_LEN / 2];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n > 0)
			got += n;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(id + 2 * i, 3, "%02x", r[i]);
}

static bool leap(long y)
{
	return y % 4 == 0 && (y % 100 || y % 400 == 0);
}

/* the civil date by counting years and months from 1970: gmtime_r and
 * strftime would bring in musl's time-zone code (8 KiB) for UTC only */
void time_rfc3339_at(char buf[40], const struct timespec *ts)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long days = ts->tv_sec / 86400, secs = ts->tv_sec % 86400, y = 1970;
	int m = 0, n;

	for (; days >= 365 + leap(y); y++)
		days -= 365 + leap(y);
	for (; days >= mdays[m] + (m == 1 && leap(y)); m++)
		days -= mdays[m] + (m == 1 && leap(y));
	n = snprintf(buf, 40, "%04ld-%02d-%02ldT%02ld:%02ld:%02ld", y, m + 1, days + 1, secs / 3600,
		     secs / 60 % 60, secs % 60);
	if (ts->tv_nsec) {
		n += snprintf(buf + n, 40 - n, ".%09ld", ts->tv_nsec % 1000000000);
		while (buf[n - 1] == '0')
			n--;
	}
	buf[n++] = 'Z';
	buf[n] = 0;
}

void time_rfc3339(char buf[40])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_rfc3339_at(buf, &ts);
}
