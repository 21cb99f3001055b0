// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/hosts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/nspaths.h"

static const char header[] = "127.0.0.1\tlocalhost\n"
			     "::1\tlocalhost ip6-localhost ip6-loopback\n"
			     "fe00::0\tip6-localnet\n"
			     "ff00::0\tip6-mcastprefix\n"
			     "ff02::1\tip6-allnodes\n"
			     "ff02::2\tip6-allrouters\n";

/*
 * One write of the whole new content: when it is shorter than the old, it is
 * padded with newlines up to the old length first and cut afterwards, so a
 * concurrent reader sees the old file, the new one followed by blank lines, or
 * the new one. Never a mix of two lists.
 */
int hosts_write(int fd, const char *data, size_t len)
{
	struct stat sb;
	size_t total = len;
	char *buf = (char *)data;
	ssize_t w;

	if (fstat(fd, &sb) < 0)
		return -errno;
	if ((size_t)sb.st_size > len) {
		total = sb.st_size;
		if (!(buf = malloc(total)))
			return -ENOMEM;
		memcpy(buf, data, len);
		memset(buf + len, '\n', total - len);
	}
	w = pwrite(fd, buf, total, 0);
	if (buf != data)
		free(buf);
	if (w < 0 || (size_t)w != total)
		return w < 0 ? -errno : -EIO;
	if (total != len && ftruncate(fd, len) < 0)
		return -errno;
	return 0;
}

/* remove the line starting "IP\t@ctr " or "IP\t@ctr\n" from @text, in place */
static void drop_line(char *text, const char *ctr)
{
	size_t clen = strlen(ctr);

	for (char *line = text; *line;) {
		char *end = strchr(line, '\n'), *tab = strchr(line, '\t');

		end = end ? end + 1 : line + strlen(line);
		if (tab && tab < end && !strncmp(tab + 1, ctr, clen) &&
		    (tab[1 + clen] == ' ' || tab[1 + clen] == '\n')) {
			memmove(line, end, strlen(end) + 1);
			continue;
		}
		line = end;
	}
}

static int names_edit(const struct state *st, const char *net, const struct endpoint *add,
		      const char *del)
{
	char rel[OBJNAME_MAX + 8], *text = NULL, *out;
	size_t len;
	int ret = state_read(st, (snprintf(rel, sizeof(rel), "names/%s", net), rel), &text);
	FILE *f;

	if (ret == -ENOENT)
		text = strdup(""), ret = text ? 0 : -ENOMEM;
	if (ret)
		return ret;
	drop_line(text, del);
	if (!(f = open_memstream(&out, &len))) {
		free(text);
		return -ENOMEM;
	}
	fputs(text, f);
	if (add && ip_is_set(&add->ip)) {
		char a[IP_STRLEN];

		fprintf(f, "%s\t%s", ip_format(&add->ip, a), add->container);
		for (size_t i = 0; i < add->naliases; i++)
			fprintf(f, " %s", add->alias[i]);
		fputc('\n', f);
	}
	free(text);
	ret = fclose(f) ? -ENOMEM : state_write(st, rel, out, len);
	free(out);
	return ret;
}

int names_set(const struct state *st, const struct endpoint *e)
{
	return names_edit(st, e->network, e, e->container);
}

int names_del(const struct state *st, const char *net, const char *ctr)
{
	return names_edit(st, net, NULL, ctr);
}

/* does the key "a+b+c" hold network @net? */
static bool key_has(const char *key, const char *net)
{
	size_t n = strlen(net);

	for (const char *p = key; p; p = strchr(p, '+'), p = p ? p + 1 : NULL)
		if (!strncmp(p, net, n) && (p[n] == '+' || !p[n]))
			return true;
	return false;
}

/* (re)write hosts/@key: the header, then the names of each network in it */
static int hosts_build(const struct state *st, const char *key)
{
	char rel[PATH_MAX], *out, *names, *copy = strdup(key);
	size_t len;
	int fd, ret = 0;
	FILE *f;

	if (!copy || !(f = open_memstream(&out, &len))) {
		free(copy);
		return -ENOMEM;
	}
	fputs(header, f);
	for (char *net = strtok(copy, "+"); net; net = strtok(NULL, "+")) {
		snprintf(rel, sizeof(rel), "names/%s", net);
		if (state_read(st, rel, &names) == 0) {
			fputs(names, f);
			free(names);
		}
	}
	free(copy);
	if (fclose(f)) {
		free(out);
		return -ENOMEM;
	}
	snprintf(rel, sizeof(rel), "hosts/%s", key);
	fd = openat(st->dirfd, rel, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		ret = -errno;
	else
		ret = hosts_write(fd, out, len), close(fd);
	free(out);
	return ret;
}

int hosts_refresh(const struct state *st, const char *net)
{
	char **keys;
	size_t n;
	int ret = state_list(st, "hosts", &keys, &n);

	for (size_t i = 0; i < n && !ret; i++)
		if (key_has(keys[i], net))
			ret = hosts_build(st, keys[i]);
	state_list_free(keys, n);
	return ret;
}

int names_drop(const struct state *st, const char *net)
{
	char rel[PATH_MAX], **keys;
	size_t n;
	int ret = state_list(st, "hosts", &keys, &n);

	for (size_t i = 0; i < n && !ret; i++)
		if (key_has(keys[i], net))
			ret = state_unlink(st, (snprintf(rel, sizeof(rel), "hosts/%s", keys[i]), rel));
	state_list_free(keys, n);
	snprintf(rel, sizeof(rel), "names/%s", net);
	return ret ? ret : state_unlink(st, rel);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the key of a container's network set; "" when it has none with names */
static int container_key(const struct container *c, char *key, size_t size)
{
	char **v = malloc((c->nnetworks + 1) * sizeof(*v));
	size_t off = 0;

	if (!v)
		return -ENOMEM;
	memcpy(v, c->networks, c->nnetworks * sizeof(*v));
	if (c->nnetworks)
		qsort(v, c->nnetworks, sizeof(*v), cmp_str);
	key[0] = 0;
	for (size_t i = 0; i < c->nnetworks && off < size; i++)
		off += snprintf(key + off, size - off, "%s%s", i ? "+" : "", v[i]);
	free(v);
	return off < size ? 0 : -ENAMETOOLONG;
}

/* the host's resolv.conf without loopback name servers, kept in place */
static int resolv_build(const struct state *st)
{
	FILE *in = fopen("/etc/resolv.conf", "re"), *f;
	char line[512], *out;
	size_t len;
	int fd, ret;

	if (!(f = open_memstream(&out, &len))) {
		if (in)
			fclose(in);
		return -ENOMEM;
	}
	while (in && fgets(line, sizeof(line), in)) {
		char ns[64];

		if (sscanf(line, " nameserver %63s", ns) == 1 &&
		    (!strncmp(ns, "127.", 4) || !strcmp(ns, "::1")))
			continue;
		fputs(line, f);
	}
	if (in)
		fclose(in);
	if (fclose(f)) {
		free(out);
		return -ENOMEM;
	}
	fd = openat(st->dirfd, "resolv.conf", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ret = fd < 0 ? -errno : hosts_write(fd, out, len);
	if (fd >= 0)
		close(fd);
	free(out);
	return ret;
}

/* make @dir/@name a symlink to @target (replacing what was there) */
static int relink(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX], tmp[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.boxnet", dir, name);
	unlink(tmp);
	if (symlink(target, tmp) < 0)
		return -errno;
	if (rename(tmp, path) < 0) {
		int err = errno;

		unlink(tmp);
		return -err;
	}
	return 0;
}

int hosts_link(const struct state *st, const struct container *c)
{
	char dir[PATH_MAX], key[NAME_MAX + 1], target[PATH_MAX];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", NS_ETC_DIR, c->name);
	if (!c->nnetworks) {
		snprintf(target, sizeof(target), "%s/hosts", dir);
		unlink(target);
		snprintf(target, sizeof(target), "%s/resolv.conf", dir);
		unlink(target);
		rmdir(dir); /* only if nothing else lives there */
		return 0;
	}
	if ((ret = container_key(c, key, sizeof(key))))
		return ret;
	if ((mkdir(NS_ETC_DIR, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST))
		return -errno;
	snprintf(target, sizeof(target), "hosts/%s", key);
	if (faccessat(st->dirfd, target, F_OK, 0) < 0 && (ret = hosts_build(st, key)))
		return ret;
	snprintf(target, sizeof(target), "%s/hosts/%s", st->dir, key);
	if ((ret = relink(dir, "hosts", target)) || (ret = resolv_build(st)))
		return ret;
	snprintf(target, sizeof(target), "%s/resolv.conf", st->dir);
	return relink(dir, "resolv.conf", target);
}
