// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/ports.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/ipproto.h"
#include "lib/names.h"

static void file_name(const struct port_map *m, char *rel, size_t size)
{
	char ip[IP_STRLEN];

	snprintf(rel, size, "ports/%s-%s-%u-%u", port_proto_name(m->p.proto),
		 port_ip_format(&m->p.host_ip, ip), m->p.host_lo, m->p.host_hi);
}

/*
 * The ports of a container, indexed: an empty file portsby/CONTAINER/NAME
 * for each port file ports/NAME, so that a disconnect finds them without
 * reading every port file. It is made before the port file and removed
 * after it: a killed command leaves at worst an entry without a file, which
 * ports_drop removes.
 */
static void index_name(const char *ctr, const char *rel, char *out, size_t size)
{
	snprintf(out, size, "portsby/%s/%s", ctr, rel + strlen("ports/"));
}

/*
 * The ports in use, indexed by protocol and host port: an empty file
 * portsat/PROTO-PORT/NAME for the port file ports/NAME of a single port,
 * portsat/PROTO-ranges/NAME for one of a range (one entry, however long the
 * range). A new single port's conflict check opens its own port's folder and
 * its protocol's ranges, however many other ports there are (issue 12: flat
 * in N); a new range reads every port's name, as before the index. Made
 * before the port file and removed after it: an entry without its file (a
 * killed command's) is no conflict. A state from before the index (port
 * files but no portsat) gets none until its last port goes or netprune -f
 * makes it; until then every check reads every port's name.
 */
static void at_entry(const char *top, const struct fw_port *p, const char *name, char *dir,
		     size_t dsize, char *entry, size_t esize)
{
	if (p->host_hi > p->host_lo)
		snprintf(dir, dsize, "%s/%s-ranges", top, port_proto_name(p->proto));
	else
		snprintf(dir, dsize, "%s/%s-%u", top, port_proto_name(p->proto), p->host_lo);
	snprintf(entry, esize, "%s/%s", dir, name);
}

/* the index entry of @rel removed (and its folder when that left it empty) */
static void at_remove(const struct state *st, const struct fw_port *p, const char *rel)
{
	char dir[64], entry[256];

	at_entry("portsat", p, rel + strlen("ports/"), dir, sizeof(dir), entry, sizeof(entry));
	unlinkat(st->dirfd, entry, 0);
	unlinkat(st->dirfd, dir, AT_REMOVEDIR); /* fails while others are there */
}

/* the index entry of @rel; on failure -errno, and none left unless the
 * port file @existed (the entry is its own) */
static int at_add(const struct state *st, const struct fw_port *p, const char *rel, bool existed)
{
	char dir[64], entry[256];
	bool made_root = false;
	int fd, ret;

	if (!state_has(st, "portsat")) {
		/* a state from before the index: its ports are not in it */
		if (state_has_files(st, "ports"))
			return 0;
		if (mkdirat(st->dirfd, "portsat", 0755) < 0 && errno != EEXIST)
			return -errno;
		made_root = true;
	}
	at_entry("portsat", p, rel + strlen("ports/"), dir, sizeof(dir), entry, sizeof(entry));
	if ((mkdirat(st->dirfd, dir, 0755) < 0 && errno != EEXIST) ||
	    (fd = openat(st->dirfd, entry, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		ret = -errno;
		if (!existed)
			at_remove(st, p, rel);
		if (made_root)
			unlinkat(st->dirfd, "portsat", AT_REMOVEDIR);
		return ret;
	}
	close(fd);
	return 0;
}

int port_save(const struct state *st, const struct port_map *m)
{
	char rel[128], idx[256], text[512], ip[IP_STRLEN], cip[IP_STRLEN];
	int len, fd, ret;
	bool made, existed;
	struct stat sb;

	if (mkdirat(st->dirfd, "ports", 0755) < 0 && errno != EEXIST)
		return -errno;
	file_name(m, rel, sizeof(rel));
	snprintf(idx, sizeof(idx), "portsby/%s", m->container);
	if ((mkdirat(st->dirfd, "portsby", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(st->dirfd, idx, 0755) < 0 && errno != EEXIST))
		return -errno;
	index_name(m->container, rel, idx, sizeof(idx));
	fd = openat(st->dirfd, idx, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno != EEXIST)
		return -errno;
	made = fd >= 0;
	if (made)
		close(fd);
	len = snprintf(text, sizeof(text),
		       "container=%s\nnetwork=%s\nproto=%s\nhost_ip=%s\nhost_ports=%u-%u\n"
		       "container_ip=%s\ncontainer_ports=%u-%u\nbridge=%s\nany_ip=%d\n",
		       m->container, m->network, port_proto_name(m->p.proto),
		       port_ip_format(&m->p.host_ip, ip), m->p.host_lo, m->p.host_hi,
		       port_ip_format(&m->p.ctr_ip, cip), m->p.ctr_lo, m->p.ctr_hi, m->p.bridge,
		       m->any_ip);
	/* a file of this name already there has its entries: they stay */
	existed = fstatat(st->dirfd, rel, &sb, 0) == 0 && S_ISREG(sb.st_mode);
	if (!(ret = at_add(st, &m->p, rel, existed)) && (ret = state_write(st, rel, text, len)) &&
	    !existed)
		at_remove(st, &m->p, rel);
	if (ret && made) {
		/* a failed command changes nothing: the entry it made goes too */
		index_name(m->container, rel, idx, sizeof(idx));
		unlinkat(st->dirfd, idx, 0);
		snprintf(idx, sizeof(idx), "portsby/%s", m->container);
		unlinkat(st->dirfd, idx, AT_REMOVEDIR);
	}
	return ret;
}

int port_remove(const struct state *st, const struct port_map *m)
{
	char rel[128], idx[256];
	int ret;

	file_name(m, rel, sizeof(rel));
	if ((ret = state_unlink(st, rel)))
		return ret;
	index_name(m->container, rel, idx, sizeof(idx));
	state_unlink(st, idx);
	snprintf(idx, sizeof(idx), "portsby/%s", m->container);
	unlinkat(st->dirfd, idx, AT_REMOVEDIR); /* when it was the last */
	at_remove(st, &m->p, rel);
	return 0;
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

static int key_load(const struct state *st, const char *name, void *out);

/* the value of @key copied to @out, or false (absent, empty or too long) */
static bool field(const struct kvs *k, const char *key, char *out, size_t size)
{
	const char *v = kv_get(k, key);

	return v && *v && (size_t)snprintf(out, size, "%s", v) < size;
}

/* one port file, checked whole: -EBADMSG when it is not one port_save
 * wrote under this name (cut short, garbled, edited by hand), so that no
 * command works on with half a port and drops its rules unsaid */
static int port_load(const struct state *st, const char *name, void *out)
{
	struct port_map *m = out;
	struct fw_port key;
	char rel[128], *buf;
	struct kvs k;
	const char *v;
	unsigned a, b, c, d;
	int ret;

	snprintf(rel, sizeof(rel), "ports/%s", name);
	if ((ret = state_read(st, rel, &buf)))
		return ret;
	if (!kv_whole(buf) || (ret = kv_parse(buf, &k))) {
		free(buf);
		return ret ? ret : -EBADMSG;
	}
	memset(m, 0, sizeof(*m));
	if (!field(&k, "container", m->container, sizeof(m->container)) ||
	    !field(&k, "network", m->network, sizeof(m->network)) ||
	    !field(&k, "bridge", m->p.bridge, sizeof(m->p.bridge)) ||
	    !obj_name_valid(m->container) || !obj_name_valid(m->network) ||
	    !(v = kv_get(&k, "proto")) || !(m->p.proto = ipproto_parse(v)) ||
	    !(v = kv_get(&k, "host_ip")) || port_ip_parse(v, &m->p.host_ip) ||
	    !(v = kv_get(&k, "container_ip")) || ip_parse(v, AF_UNSPEC, &m->p.ctr_ip) ||
	    !(v = kv_get(&k, "host_ports")) || range(v, &a, &b) ||
	    !(v = kv_get(&k, "container_ports")) || range(v, &c, &d))
		ret = -EBADMSG;
	if (!ret) {
		m->p.host_lo = a, m->p.host_hi = b, m->p.ctr_lo = c, m->p.ctr_hi = d;
		m->any_ip = (v = kv_get(&k, "any_ip")) && !strcmp(v, "1");
		/* the file name holds the host side too: both must say the same */
		if (key_load(st, name, &key) || key.proto != m->p.proto || key.host_lo != a ||
		    key.host_hi != b || !ip_eq(&key.host_ip, &m->p.host_ip))
			ret = -EBADMSG;
	}
	free(k.v);
	free(buf);
	return ret;
}

int port_load_key(const struct state *st, const struct fw_port *key, struct port_map *m)
{
	struct port_map k = { .p = *key };
	char rel[128];

	int ret;

	file_name(&k, rel, sizeof(rel));
	/* a damaged file is named by session_load_fail, as one ports_load_all
	 * stopped at */
	if ((ret = port_load(st, rel + strlen("ports/"), m)) && ret != -ENOENT)
		state_note_failed("ports", rel + strlen("ports/"));
	return ret;
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

	/* a name file_name() cannot have written: no file of boxnet's */
	if (!dash2 || dash - name >= (long)sizeof(proto) || dash2 - dash - 1 >= (long)sizeof(ip))
		return -EBADMSG;
	memcpy(proto, name, dash - name);
	proto[dash - name] = 0;
	memcpy(ip, dash + 1, dash2 - dash - 1);
	ip[dash2 - dash - 1] = 0;
	if (port_ip_parse(ip, &p->host_ip) || range(dash2 + 1, &lo, &hi) ||
	    !(p->proto = ipproto_parse(proto)))
		return -EBADMSG;
	p->host_lo = lo;
	p->host_hi = hi;
	return 0;
}

int ports_load_keys(const struct state *st, struct fw_port **v, size_t *n)
{
	return state_load_all(st, "ports", sizeof(**v), key_load, (void **)v, n);
}

/* @rel and everything in it, two levels deep (portsat/PROTO-PORT/ENTRY);
 * a file or nothing there is no error */
static int tree_remove(const struct state *st, const char *rel)
{
	char **dirs, **ents, sub[300], ent[600];
	size_t nd, ne;
	int ret;

	if (unlinkat(st->dirfd, rel, 0) == 0 || errno == ENOENT)
		return 0;
	if ((ret = state_list(st, rel, &dirs, &nd)))
		return ret;
	for (size_t i = 0; i < nd && !ret; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", rel, dirs[i]);
		if (unlinkat(st->dirfd, sub, 0) == 0 || (ret = state_list(st, sub, &ents, &ne)))
			continue;
		for (size_t j = 0; j < ne && !ret; j++) {
			snprintf(ent, sizeof(ent), "%s/%s", sub, ents[j]);
			if (unlinkat(st->dirfd, ent, 0) < 0 && unlinkat(st->dirfd, ent, AT_REMOVEDIR) < 0)
				ret = -errno;
		}
		state_list_free(ents, ne);
		if (!ret && unlinkat(st->dirfd, sub, AT_REMOVEDIR) < 0)
			ret = -errno;
	}
	state_list_free(dirs, nd);
	return ret || unlinkat(st->dirfd, rel, AT_REMOVEDIR) == 0 ? ret : -errno;
}

int ports_index_rebuild(const struct state *st)
{
	char **names;
	size_t n;
	int ret;

	/* built aside and renamed into place: a kill on the way leaves no
	 * index, which the conflict check takes for a state from before it
	 * (every port's name read), never a partial one */
	if ((ret = tree_remove(st, "portsat.new")) || (ret = tree_remove(st, "portsat")) ||
	    (ret = state_list(st, "ports", &names, &n)))
		return ret;
	if (mkdirat(st->dirfd, "portsat.new", 0755) < 0)
		ret = -errno;
	for (size_t i = 0; i < n && !ret; i++) {
		struct fw_port k;
		char dir[64], entry[300];
		int fd;

		if (key_load(st, names[i], &k))
			continue; /* no name of boxnet's: ports_drop_damaged's */
		at_entry("portsat.new", &k, names[i], dir, sizeof(dir), entry, sizeof(entry));
		if ((mkdirat(st->dirfd, dir, 0755) < 0 && errno != EEXIST) ||
		    (fd = openat(st->dirfd, entry, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
			ret = -errno;
		else
			close(fd);
	}
	state_list_free(names, n);
	if (!ret && renameat(st->dirfd, "portsat.new", st->dirfd, "portsat") < 0)
		ret = -errno;
	return ret;
}

/* 1 when an entry of index folder @dir names a port file there is that
 * overlaps @p (in *@hit), 0 when none (or no such folder), -errno */
static int folder_hit(const struct state *st, const char *dir, const struct fw_port *p,
		      struct fw_port *hit)
{
	int fd = openat(st->dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;
	char rel[300];
	struct dirent *e;
	DIR *d;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	while (!ret && (e = readdir(d))) {
		struct fw_port k;

		/* not a name port_save gives: no port of boxnet's */
		if (e->d_name[0] == '.' || key_load(st, e->d_name, &k) || !ports_overlap(p, &k))
			continue;
		snprintf(rel, sizeof(rel), "ports/%s", e->d_name);
		/* an entry without its file is a killed command's */
		if (state_has(st, rel))
			*hit = k, ret = 1;
	}
	closedir(d);
	return ret;
}

int ports_in_use(const struct state *st, const struct fw_port *p, struct fw_port *hit)
{
	struct fw_port range = *p;
	char dir[64], entry[256];
	int ret;

	/* a state from before the index, or a new range: every port's name */
	if (!state_has(st, "portsat") || p->host_hi > p->host_lo) {
		struct fw_port *all;
		size_t n;

		if ((ret = ports_load_keys(st, &all, &n)))
			return ret;
		for (size_t i = 0; i < n && !ret; i++)
			if (ports_overlap(p, &all[i]))
				*hit = all[i], ret = 1;
		free(all);
		return ret;
	}
	/* its own port's folder, then its protocol's ranges */
	at_entry("portsat", p, "", dir, sizeof(dir), entry, sizeof(entry));
	if ((ret = folder_hit(st, dir, p, hit)))
		return ret;
	range.host_hi = range.host_lo + 1;
	at_entry("portsat", &range, "", dir, sizeof(dir), entry, sizeof(entry));
	return folder_hit(st, dir, p, hit);
}

/* @m kept in *@gone (room grown as needed) when the caller wants them */
static int keep(struct port_map **gone, size_t n, const struct port_map *m)
{
	struct port_map *v;

	if (!gone)
		return 0;
	if (!(v = realloc(*gone, (n + 1) * sizeof(*v))))
		return -ENOMEM;
	v[n] = *m;
	*gone = v;
	return 0;
}

int ports_drop(const struct state *st, const char *net, const char *ctr, struct port_map **gone)
{
	struct port_map *all;
	size_t nall;
	char rel[OBJNAME_MAX + 16], **names;
	int ret, dropped = 0;

	if (gone)
		*gone = NULL;
	/* the index names the container's ports (a state from before the
	 * index has none: every port file is read) */
	if (state_has(st, "portsby")) {
		snprintf(rel, sizeof(rel), "portsby/%s", ctr);
		if ((ret = state_list(st, rel, &names, &nall)))
			return ret;
		for (size_t i = 0; i < nall && !ret; i++) {
			struct port_map m;
			char idx[256];

			if ((ret = port_load(st, names[i], &m)) == -ENOENT) {
				/* an entry a killed port_save left */
				snprintf(idx, sizeof(idx), "%s/%s", rel, names[i]);
				ret = state_unlink(st, idx);
			} else if (ret) {
				state_note_failed("ports", names[i]);
			} else if (!strcmp(m.container, ctr) && !strcmp(m.network, net) &&
				   !(ret = keep(gone, dropped, &m)) && !(ret = port_remove(st, &m))) {
				dropped++;
			}
		}
		state_list_free(names, nall);
	} else {
		ret = ports_load_all(st, &all, &nall);
		for (size_t i = 0; i < nall && !ret; i++)
			if (!strcmp(all[i].container, ctr) && !strcmp(all[i].network, net) &&
			    !(ret = keep(gone, dropped, &all[i])) && !(ret = port_remove(st, &all[i])))
				dropped++;
		free(all);
	}
	if (ret && gone) {
		free(*gone);
		*gone = NULL;
	}
	return ret ? ret : dropped;
}

int ports_drop_damaged(const struct state *st)
{
	char **names, rel[128];
	size_t n;
	int ret = state_list(st, "ports", &names, &n), gone = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		struct port_map m;

		if (port_load(st, names[i], &m) != -EBADMSG)
			continue;
		snprintf(rel, sizeof(rel), "ports/%s", names[i]);
		if (!(ret = state_unlink(st, rel)))
			gone++;
	}
	state_list_free(names, n);
	return ret ? ret : gone;
}
