// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/hosts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/names.h"
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

/* @text is a names file as names_edit writes it: whole lines "IP<TAB>NAME
 * ALIAS...", printable, one space apart */
static bool names_whole(const char *text)
{
	for (const char *line = text, *end; *line; line = end + 1) {
		const char *tab = strchr(line, '\t');
		char ip[IP_STRLEN];
		struct ipaddr a;

		if (!(end = strchr(line, '\n')) || !tab || tab > end || tab - line >= IP_STRLEN ||
		    tab + 1 == end || tab[1] == ' ' || end[-1] == ' ')
			return false;
		snprintf(ip, sizeof(ip), "%.*s", (int)(tab - line), line);
		if (ip_parse(ip, AF_UNSPEC, &a))
			return false;
		for (const char *c = tab + 1; c < end; c++)
			if (*c < ' ' || *c > '~' || (*c == ' ' && c[1] == ' '))
				return false;
	}
	return true;
}

/* the names file of @net in *@text ("" when there is none); -EBADMSG
 * when it is damaged, noted for state_load_failed() */
static int names_read(const struct state *st, const char *net, char **text)
{
	char rel[OBJNAME_MAX + 8];
	int ret = state_read(st, (snprintf(rel, sizeof(rel), "names/%s", net), rel), text);

	if (ret == -ENOENT)
		return (*text = strdup("")) ? 0 : -ENOMEM;
	if (!ret && !names_whole(*text)) {
		free(*text);
		ret = -EBADMSG;
	}
	if (ret && ret != -ENOMEM)
		state_note_failed("names", net);
	return ret;
}

int names_check(const struct state *st, const char *net)
{
	char *text;
	int ret = names_read(st, net, &text);

	if (!ret)
		free(text);
	return ret;
}

int names_rebuild(const struct state *st, const char *net)
{
	char rel[OBJNAME_MAX + 16], **eps;
	size_t n;
	int ret = names_drop(st, net);

	snprintf(rel, sizeof(rel), "endpoints/%s", net);
	if (ret || (ret = state_list(st, rel, &eps, &n)))
		return ret;
	for (size_t i = 0; i < n && !ret; i++) {
		struct endpoint e;

		if (ep_load(st, net, eps[i], &e))
			continue; /* a damaged endpoint has its own error */
		ret = names_set(st, &e);
		ep_free(&e);
	}
	state_list_free(eps, n);
	return ret;
}

static int names_edit(const struct state *st, const char *net, const struct endpoint *add,
		      const char *del)
{
	char rel[OBJNAME_MAX + 8], *text = NULL, *out;
	size_t len;
	int ret = names_read(st, net, &text);
	FILE *f;

	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "names/%s", net);
	drop_line(text, del);
	if (!(f = open_memstream(&out, &len))) {
		free(text);
		return -ENOMEM;
	}
	fputs(text, f);
	/* a line per address: IPv4, then IPv6 (as Docker's hosts files list them) */
	for (int v6 = 0; add && v6 < 2; v6++) {
		const struct ipaddr *ip = v6 ? &add->ip6 : &add->ip;
		char a[IP_STRLEN];

		if (!ip_is_set(ip))
			continue;
		fprintf(f, "%s\t%s", ip_format(ip, a), add->container);
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

/* the hosts file of a container on @nets (in join order): the header, a
 * name for the host (the gateway of the first network, as Docker's
 * host-gateway), then the names of each network */
static int hosts_content(const struct state *st, char *const *nets, size_t n, char **out,
			 size_t *len)
{
	char *names;
	struct network first;
	FILE *f = open_memstream(out, len);
	int ret = 0;

	if (!f)
		return -ENOMEM;
	fputs(header, f);
	if (n && net_load(st, nets[0], &first) == 0) {
		char gw[IP_STRLEN];

		/* an IPv6-only network: its IPv6 gateway */
		if (ip_is_set(&first.gateway) || first.ipv6)
			fprintf(f, "%s\thost.docker.internal\n",
				ip_format(ip_is_set(&first.gateway) ? &first.gateway : &first.gateway6, gw));
		net_free(&first);
	}
	/* a damaged names file fails it: its text would go into hosts files */
	for (size_t i = 0; i < n && !ret; i++)
		if ((ret = names_read(st, nets[i], &names)) == 0) {
			fputs(names, f);
			free(names);
		}
	if (fclose(f) || ret) {
		free(*out);
		return ret ? ret : -ENOMEM;
	}
	return 0;
}

/* make @path (under the directory @dir) hold @data: rewritten in place (a
 * bind mount pins its inode) and only when it differs; created when
 * missing; a symlink there (an older boxnet's, an image's) is replaced by a
 * file of the container's own */
static int put_in_place(int dir, const char *path, const char *data, size_t len)
{
	struct stat sb;
	char *old;
	ssize_t r;
	int fd, ret;

	fd = openat(dir, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == ELOOP && unlinkat(dir, path, 0) == 0)
		fd = openat(dir, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	/* the same content: no write, no change a reader could see */
	if ((size_t)sb.st_size == len && (old = malloc(len + 1))) {
		r = pread(fd, old, len, 0);
		ret = r == (ssize_t)len && !memcmp(old, data, len);
		free(old);
		if (ret) {
			close(fd);
			return 0;
		}
	}
	ret = hosts_write(fd, data, len);
	close(fd);
	return ret;
}

/* etc/@file of the root filesystem @rootfs. The image owns that tree: a
 * symlink for etc (which could point anywhere on the host) is refused, and
 * one for the file is replaced (put_in_place). */
static int put_rootfs(const char *rootfs, const char *file, const char *data, size_t len)
{
	int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC), etc, ret;

	if (root < 0)
		return -errno;
	mkdirat(root, "etc", 0755); /* an image without one: the open says */
	etc = openat(root, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	ret = etc < 0 ? -errno : put_in_place(etc, file, data, len);
	if (etc >= 0)
		close(etc);
	close(root);
	return ret;
}

/*
 * @file (hosts, resolv.conf) of container @c: NS_ETC_DIR/NAME/@file and, for
 * an OCI hook's container, its rootfs's etc/@file. With @rootfs_only, just
 * the latter and its failure is returned; otherwise that write is best
 * effort: a stopped container's rootfs may be unmounted before it leaves its
 * networks, and must not stop anyone else's connect or disconnect.
 */
static int put_files(const struct container *c, const char *file, const char *data, size_t len,
		     bool rootfs_only)
{
	char path[PATH_MAX];
	int ret = 0;

	if (!rootfs_only) {
		snprintf(path, sizeof(path), "%s/%s/%s", NS_ETC_DIR, c->name, file);
		ret = put_in_place(AT_FDCWD, path, data, len);
	}
	if (!ret && c->rootfs) {
		int r = put_rootfs(c->rootfs, file, data, len);

		if (rootfs_only)
			ret = r;
	}
	return ret;
}

/* the container's hosts files (put_files) */
static int write_hosts(const struct state *st, const struct container *c, bool rootfs_only)
{
	char *out;
	size_t len;
	int ret = hosts_content(st, c->networks, c->nnetworks, &out, &len);

	if (ret)
		return ret;
	ret = put_files(c, "hosts", out, len, rootfs_only);
	free(out);
	return ret;
}

/* the contents built during one refresh, one per distinct network list: the
 * containers of a network mostly share one, so it is built once, not once
 * per container (each build reads a network file and names files) */
struct built {
	char *key, *text;
	size_t len;
};

static int content_for(const struct state *st, const struct container *c, struct built **v,
		       size_t *n, const struct built **out)
{
	char *key;
	size_t klen = 1;
	struct built *nv;
	int ret;

	for (size_t i = 0; i < c->nnetworks; i++)
		klen += strlen(c->networks[i]) + 1;
	if (!(key = malloc(klen)))
		return -ENOMEM;
	key[0] = 0;
	for (size_t i = 0; i < c->nnetworks; i++)
		strcat(strcat(key, c->networks[i]), "\n");
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].key, key)) {
			free(key);
			*out = &(*v)[i];
			return 0;
		}
	if (!(nv = realloc(*v, (*n + 1) * sizeof(**v)))) {
		free(key);
		return -ENOMEM;
	}
	*v = nv;
	if ((ret = hosts_content(st, c->networks, c->nnetworks, &nv[*n].text, &nv[*n].len))) {
		free(key);
		return ret;
	}
	nv[*n].key = key;
	*out = &nv[(*n)++];
	return 0;
}

int hosts_refresh(const struct state *st, const char *net)
{
	struct built *cache = NULL;
	size_t ncache = 0;
	struct network n;
	int ret = net_load(st, net, &n);

	/* a damaged network names no members to refresh (netrm -f removes it) */
	if (ret)
		return ret == -ENOENT || ret == -EBADMSG ? 0 : ret;
	for (size_t i = 0; i < n.members.n && !ret; i++) {
		const struct built *b;
		struct container c;

		if (!obj_name_valid(n.members.name[i]) || ctr_load(st, n.members.name[i], &c))
			continue;
		/* a container whose folder is not made yet (ENOENT) gets its files
		 * from hosts_link */
		if (c.nnetworks && !(ret = content_for(st, &c, &cache, &ncache, &b)) &&
		    (ret = put_files(&c, "hosts", b->text, b->len, false)) == -ENOENT)
			ret = 0;
		ctr_free(&c);
	}
	for (size_t i = 0; i < ncache; i++) {
		free(cache[i].key);
		free(cache[i].text);
	}
	free(cache);
	net_free(&n);
	return ret;
}

int names_drop(const struct state *st, const char *net)
{
	char rel[OBJNAME_MAX + 16];

	snprintf(rel, sizeof(rel), "names/%s", net);
	return state_unlink(st, rel);
}

/* the host's resolv.conf without loopback name servers (unreachable from a
 * container), for one container (put_files) */
static int write_resolv(const struct container *c, bool rootfs_only)
{
	FILE *in = fopen("/etc/resolv.conf", "re"), *f;
	char line[512], *out;
	size_t len;
	int ret;

	if (!(f = open_memstream(&out, &len))) {
		if (in)
			fclose(in);
		return -ENOMEM;
	}
	while (in && fgets(line, sizeof(line), in)) {
		const char *p = line + strspn(line, " \t"), *ns;

		/* a loopback name server is the host's own: unreachable from a container */
		if (!strncmp(p, "nameserver", 10) && strchr(" \t", p[10]) && p[10]) {
			ns = p + 10 + strspn(p + 10, " \t");
			if (!strncmp(ns, "127.", 4) || (!strncmp(ns, "::1", 3) && strchr(" \t\n", ns[3])))
				continue;
		}
		fputs(line, f);
	}
	if (in)
		fclose(in);
	if (fclose(f)) {
		free(out);
		return -ENOMEM;
	}
	ret = put_files(c, "resolv.conf", out, len, rootfs_only);
	free(out);
	return ret;
}

int hosts_link(const struct state *st, const struct container *c)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", NS_ETC_DIR, c->name);
	if (!c->nnetworks) {
		struct stat sb;

		/* a process that still has it bound loses the names too */
		snprintf(path, sizeof(path), "%s/hosts", dir);
		if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			put_in_place(AT_FDCWD, path, header, sizeof(header) - 1);
		if (c->rootfs)
			put_rootfs(c->rootfs, "hosts", header, sizeof(header) - 1);
		unlink(path);
		snprintf(path, sizeof(path), "%s/resolv.conf", dir);
		unlink(path);
		rmdir(dir); /* only if nothing else lives there */
		return 0;
	}
	if ((mkdir(NS_ETC_DIR, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST))
		return -errno;
	if ((ret = write_hosts(st, c, false)))
		return ret;
	return write_resolv(c, false);
}

int hosts_rootfs(const struct state *st, const struct container *c)
{
	int ret = write_hosts(st, c, true);

	return ret ? ret : write_resolv(c, true);
}
