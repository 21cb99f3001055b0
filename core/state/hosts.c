// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/hosts.h"

#include <dirent.h>
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

/*
 * The set files: NS_ETC_DIR/.hosts/ID holds the hosts file of every container
 * on one ordered list of networks, ID a hash of the list, its first line
 * "# boxnet: NET..." naming the list (so a refresh finds the sets of a
 * network by reading one line of each set, and a sweep can check a name).
 * NS_ETC_DIR/CONTAINER/hosts is a hard link to it. The temporaries of the
 * set files and of the links made to them are kept in that folder too: a
 * killed command leaves them in one place (hosts_sweep).
 */
#define SETS NS_ETC_DIR "/.hosts"
#define MARK "# boxnet:"
#define SETLINE_MAX 16384

/* SETS/ID of @nets in the state @st: FNV-1a (64 bits) of the state's folder
 * and the names, each ended by a newline. Two states (BOXNET_RUN_DIR) share
 * NS_ETC_DIR: a network of the same name in each has its own set files. */
static void set_path(const struct state *st, char *const *nets, size_t n, char path[PATH_MAX])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i <= n; i++)
		for (const char *p = i ? nets[i - 1] : st->dir;; p++) {
			h = (h ^ (unsigned char)(*p ? *p : '\n')) * 0x100000001b3ULL;
			if (!*p)
				break;
		}
	snprintf(path, PATH_MAX, SETS "/%016llx", (unsigned long long)h);
}

/* the networks named by the first line of a set file, pointing into buf */
struct setline {
	char *buf, **nets;
	size_t n;
};

static void set_free(struct setline *l)
{
	free(l->buf);
	free(l->nets);
}

/* the first line of the file at @fd in @l: -EBADMSG when it is not one
 * hosts_content writes */
static int set_read(int fd, struct setline *l)
{
	char *nl, *p, *save;
	ssize_t r;
	int ret = -EBADMSG;

	memset(l, 0, sizeof(*l));
	if (!(l->buf = malloc(SETLINE_MAX + 1)))
		return -ENOMEM;
	if ((r = pread(fd, l->buf, SETLINE_MAX, 0)) < 0) {
		ret = -errno;
		goto fail;
	}
	l->buf[r] = 0;
	nl = strchr(l->buf, '\n');
	p = l->buf + sizeof(MARK) - 1;
	if (strncmp(l->buf, MARK, sizeof(MARK) - 1) || !nl || *p != ' ' || nl[-1] == ' ')
		goto fail;
	*nl = 0; /* the search for a double space stays on the first line */
	if (strstr(p, "  "))
		goto fail;
	if (!(l->nets = malloc((nl - p) / 2 * sizeof(char *)))) {
		ret = -ENOMEM;
		goto fail;
	}
	for (char *w = strtok_r(p, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (!obj_name_valid(w))
			goto fail;
		l->nets[l->n++] = w;
	}
	return 0;
fail:
	set_free(l);
	memset(l, 0, sizeof(*l));
	return ret;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* the path of the set file the inode at @fd (@sb) is, in @path: 0, or
 * -ENOENT when it is none (a damaged first line, a set file renamed or gone) */
static int set_of(const struct state *st, int fd, const struct stat *sb, char path[PATH_MAX])
{
	struct setline l;
	struct stat ssb;
	int ret = set_read(fd, &l);

	if (ret)
		return ret == -ENOMEM ? ret : -ENOENT;
	set_path(st, l.nets, l.n, path);
	set_free(&l);
	return stat(path, &ssb) == 0 && same_file(sb, &ssb) ? 0 : -ENOENT;
}

/* remove the set file at @path once no container links it */
static void set_gc(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && sb.st_nlink == 1)
		unlink(path);
}

/* the hosts file of a container on @nets (in join order): the line naming
 * the list, the header, a name for the host (the gateway of the first
 * network, as Docker's host-gateway), then the names of each network */
static int hosts_content(const struct state *st, char *const *nets, size_t n, char **out,
			 size_t *len)
{
	char *names;
	struct ipaddr gw;
	FILE *f = open_memstream(out, len);
	int ret = 0;

	if (!f)
		return -ENOMEM;
	fputs(MARK, f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %s", nets[i]);
	fputc('\n', f);
	fputs(header, f);
	/* an IPv6-only network: its IPv6 gateway */
	if (n && net_gateway(st, nets[0], &gw) == 0 && ip_is_set(&gw)) {
		char a[IP_STRLEN];

		fprintf(f, "%s\thost.docker.internal\n", ip_format(&gw, a));
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

/* make the regular file at @fd hold @data, in place, and only when it
 * differs: no write, no change a reader could see */
static int put_fd(int fd, const char *data, size_t len)
{
	struct stat sb;
	char *old;
	int same;

	if (fstat(fd, &sb) < 0)
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EISDIR;
	if ((size_t)sb.st_size == len && (old = malloc(len + 1))) {
		same = pread(fd, old, len, 0) == (ssize_t)len && !memcmp(old, data, len);
		free(old);
		if (same)
			return 0;
	}
	return hosts_write(fd, data, len);
}

/* make @path (under the directory @dir) hold @data: rewritten in place (a
 * bind mount pins its inode) and only when it differs; created when
 * missing; a symlink there (an older boxnet's, an image's) is replaced by a
 * file of the container's own */
static int put_in_place(int dir, const char *path, const char *data, size_t len)
{
	int fd, ret;

	fd = openat(dir, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == ELOOP && unlinkat(dir, path, 0) == 0)
		fd = openat(dir, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	ret = put_fd(fd, data, len);
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

/* a new set file @set holding @data: written as a temporary, renamed */
static int set_create(const char *set, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", set, (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -errno;
	ret = hosts_write(fd, data, len);
	close(fd);
	if (!ret && rename(tmp, set) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* @to becomes a hard link to @set, atomically (a new link renamed over it) */
static int link_to(const char *set, const char *to)
{
	char tmp[PATH_MAX];
	int ret = 0;

	snprintf(tmp, sizeof(tmp), SETS "/link.tmp%d", (int)getpid());
	unlink(tmp);
	if (link(set, tmp) < 0 || rename(tmp, to) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/*
 * NS_ETC_DIR/@c/hosts: a link to the set file of @c's networks, made up to
 * date. When @c alone holds the inode its link is (a set file only it links,
 * or a file of its own from an older boxnet), that inode becomes the new set
 * file, rewritten in place and renamed: @c's running processes see the
 * change. Otherwise the link moves to the set file of the new list and the
 * old set file goes once nobody links it.
 */
static int link_set(const struct state *st, const struct container *c)
{
	char lnk[PATH_MAX], set[PATH_MAX], old[PATH_MAX], *text = NULL;
	struct stat lsb, ssb;
	bool have_set, have_old = false, write;
	size_t len = 0;
	int fd, ret;

	snprintf(lnk, sizeof(lnk), "%s/%s/hosts", NS_ETC_DIR, c->name);
	set_path(st, c->networks, c->nnetworks, set);
	have_set = stat(set, &ssb) == 0;
	fd = open(lnk, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	/* a symlink an older boxnet (or anyone) left: replaced */
	if (fd < 0 && errno == ELOOP && unlink(lnk) == 0)
		errno = ENOENT;
	if (fd < 0 && errno != ENOENT)
		return -errno;
	if (fd >= 0 && fstat(fd, &lsb) < 0) {
		ret = -errno;
		goto out;
	}
	if (fd >= 0 && !S_ISREG(lsb.st_mode)) {
		ret = -EISDIR;
		goto out;
	}
	if (fd >= 0 && (ret = set_of(st, fd, &lsb, old)) != -ENOENT) {
		if (ret)
			goto out;
		have_old = true;
	}
	/* an existing set file is current (every change of a network's names
	 * rewrites the set files naming it): the content is only built for a
	 * file written here */
	write = !have_set || (fd >= 0 && same_file(&lsb, &ssb));
	if (write && (ret = hosts_content(st, c->networks, c->nnetworks, &text, &len)))
		goto out;
	if (fd >= 0 && have_set && same_file(&lsb, &ssb)) {
		ret = put_fd(fd, text, len); /* its own set file already: made whole */
	} else if (fd >= 0 && !have_set && (lsb.st_nlink == 1 || (lsb.st_nlink == 2 && have_old))) {
		if (!(ret = put_fd(fd, text, len)) && (have_old ? rename(old, set) : link(lnk, set)) < 0)
			ret = -errno;
	} else if (!(ret = have_set ? 0 : set_create(set, text, len)) &&
		   !(ret = link_to(set, lnk)) && have_old) {
		set_gc(old);
	}
out:
	if (fd >= 0)
		close(fd);
	free(text);
	return ret;
}

/* NS_ETC_DIR/@name/hosts goes; when it was the last link to its inode but
 * the set file's, a process that has it bound loses the names too */
static void unlink_set(const struct state *st, const char *name)
{
	char link[PATH_MAX], old[PATH_MAX];
	struct stat sb;
	bool have_old = false;
	int fd;

	snprintf(link, sizeof(link), "%s/%s/hosts", NS_ETC_DIR, name);
	fd = open(link, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		have_old = set_of(st, fd, &sb, old) == 0;
		if (sb.st_nlink == 1 || (sb.st_nlink == 2 && have_old))
			hosts_write(fd, header, sizeof(header) - 1);
	}
	if (fd >= 0)
		close(fd);
	unlink(link);
	if (have_old)
		set_gc(old);
}

/* is @net in @l? */
static bool set_has(const struct setline *l, const char *net)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->nets[i], net))
			return true;
	return false;
}

/* is @name the set file of @l's list in the state @st? (not one of another
 * state's, nor one a killed command left under its old name) */
static bool own_set(const struct state *st, const struct setline *l, const char *name)
{
	char path[PATH_MAX];

	set_path(st, l->nets, l->n, path);
	return !strcmp(path + sizeof(SETS), name);
}

/* the containers of OCI hooks: the index rootfs/NAME in the state (a rootfs
 * copy cannot be a link: another filesystem), refreshed one by one */
static int rootfs_refresh(const struct state *st, const char *net)
{
	char **names;
	size_t n;
	int ret = state_list(st, "rootfs", &names, &n);

	for (size_t i = 0; i < n && !ret; i++) {
		struct container c;
		bool on = false;
		char *text;
		size_t len;

		if (!obj_name_valid(names[i]) || ctr_load(st, names[i], &c))
			continue;
		for (size_t j = 0; j < c.nnetworks && !on; j++)
			on = !strcmp(c.networks[j], net);
		/* best effort: a stopped container's rootfs may be gone already */
		if (on && c.rootfs && !(ret = hosts_content(st, c.networks, c.nnetworks, &text, &len))) {
			put_rootfs(c.rootfs, "hosts", text, len);
			free(text);
		}
		ctr_free(&c);
	}
	state_list_free(names, n);
	return ret;
}

int hosts_refresh(const struct state *st, const char *net)
{
	DIR *d = opendir(SETS);
	struct dirent *de;
	int ret = 0;

	while (d && (de = readdir(d)) && !ret) {
		struct setline l;
		struct stat sb;
		char *text;
		size_t len;
		int fd;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp"))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		/* one that cannot be written fails the command (one that went
		 * since the listing is no set file) */
		if (fd < 0) {
			ret = errno == ENOENT ? 0 : -errno;
			continue;
		}
		/* a set file no container links any more (a command killed
		 * between the link's move and this removal) */
		if (fstat(fd, &sb) == 0 && sb.st_nlink == 1) {
			unlinkat(dirfd(d), de->d_name, 0);
		} else if (set_read(fd, &l) == 0) {
			if (set_has(&l, net) && own_set(st, &l, de->d_name) &&
			    !(ret = hosts_content(st, l.nets, l.n, &text, &len))) {
				ret = put_fd(fd, text, len);
				free(text);
			}
			set_free(&l);
		}
		close(fd);
	}
	if (d)
		closedir(d);
	return ret ? ret : rootfs_refresh(st, net);
}

/* the host's resolv.conf without loopback name servers (unreachable from a
 * container): NS_ETC_DIR/NAME/resolv.conf of @c's own (or with @rootfs, in
 * its rootfs) */
static int write_resolv(const struct container *c, bool rootfs)
{
	FILE *in = fopen("/etc/resolv.conf", "re"), *f;
	char line[512], *out, path[PATH_MAX];
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
	snprintf(path, sizeof(path), "%s/%s/resolv.conf", NS_ETC_DIR, c->name);
	ret = rootfs ? put_rootfs(c->rootfs, "resolv.conf", out, len)
		     : put_in_place(AT_FDCWD, path, out, len);
	free(out);
	return ret;
}

int hosts_link(const struct state *st, const struct container *c)
{
	char dir[PATH_MAX], path[PATH_MAX], rel[OBJNAME_MAX + 8];
	int ret;

	snprintf(dir, sizeof(dir), "%s/%s", NS_ETC_DIR, c->name);
	if (!c->nnetworks) {
		unlink_set(st, c->name);
		if (c->rootfs) {
			put_rootfs(c->rootfs, "hosts", header, sizeof(header) - 1);
			snprintf(rel, sizeof(rel), "rootfs/%s", c->name);
			state_unlink(st, rel);
		}
		snprintf(path, sizeof(path), "%s/resolv.conf", dir);
		unlink(path);
		rmdir(dir); /* only if nothing else lives there */
		rmdir(SETS); /* the same */
		return 0;
	}
	if ((mkdir(NS_ETC_DIR, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(SETS, 0755) < 0 && errno != EEXIST) || (mkdir(dir, 0755) < 0 && errno != EEXIST))
		return -errno;
	if ((ret = link_set(st, c)) || (ret = write_resolv(c, false)))
		return ret;
	/* an OCI hook's container: best effort (its rootfs may be gone) */
	if (c->rootfs && state_has(st, (snprintf(rel, sizeof(rel), "rootfs/%s", c->name), rel)))
		hosts_rootfs(st, c);
	return 0;
}

int hosts_rootfs(const struct state *st, const struct container *c)
{
	char rel[OBJNAME_MAX + 8], *text;
	size_t len;
	int ret = hosts_content(st, c->networks, c->nnetworks, &text, &len);

	if (ret)
		return ret;
	ret = put_rootfs(c->rootfs, "hosts", text, len);
	free(text);
	if (!ret)
		ret = write_resolv(c, true);
	snprintf(rel, sizeof(rel), "rootfs/%s", c->name);
	if (!ret && !state_has(st, rel))
		ret = state_write(st, rel, "", 0);
	return ret;
}

/* the links of the containers in the state: each to its set file, whole
 * (a damaged set file is written anew); then the links of containers the
 * state does not know (a hosts file boxnet made: a link whose inode starts
 * with its line) go */
static int sweep_links(const struct state *st)
{
	char **names, link[PATH_MAX], set[PATH_MAX];
	size_t n;
	int ret = state_list(st, "containers", &names, &n);
	DIR *d;
	struct dirent *de;

	for (size_t i = 0; i < n && !ret; i++) {
		struct container c;
		struct stat a, b;
		struct setline l;
		int fd;

		if (!obj_name_valid(names[i]) || ctr_load(st, names[i], &c))
			continue;
		snprintf(link, sizeof(link), "%s/%s/hosts", NS_ETC_DIR, c.name);
		set_path(st, c.networks, c.nnetworks, set);
		fd = open(set, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &a) < 0 || lstat(link, &b) < 0 || !same_file(&a, &b) ||
		    set_read(fd, &l))
			ret = hosts_link(st, &c);
		else
			set_free(&l);
		if (fd >= 0)
			close(fd);
		ctr_free(&c);
	}
	state_list_free(names, n);
	if (ret || !(d = opendir(NS_ETC_DIR)))
		return ret;
	while ((de = readdir(d))) {
		struct container c;
		struct stat sb;
		int fd;

		if (de->d_name[0] == '.' || !obj_name_valid(de->d_name) ||
		    ctr_load(st, de->d_name, &c))
			continue;
		snprintf(link, sizeof(link), "%s/%s/hosts", NS_ETC_DIR, de->d_name);
		fd = c.nnetworks ? -1 : open(link, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		/* a link to a set file of this state's (another state's
		 * containers share the folder) */
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    set_of(st, fd, &sb, set) == 0)
			hosts_link(st, &c); /* no network: its files go */
		if (fd >= 0)
			close(fd);
		ctr_free(&c);
	}
	closedir(d);
	return 0;
}

int hosts_sweep(const struct state *st, bool links)
{
	DIR *d;
	struct dirent *de;
	int ret = links ? sweep_links(st) : 0;

	if (ret || !(d = opendir(SETS)))
		return ret;
	/* the temporaries first: one may be a link to a set file */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strstr(de->d_name, ".tmp"))
			unlinkat(dirfd(d), de->d_name, 0);
	rewinddir(d);
	while ((de = readdir(d))) {
		struct setline l;
		struct stat sb;
		char *text;
		size_t len;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &sb) == 0 && sb.st_nlink == 1) {
			unlinkat(dirfd(d), de->d_name, 0);
		} else if (links && set_read(fd, &l) == 0) {
			/* its lines after the first, written anew */
			if (own_set(st, &l, de->d_name) && !hosts_content(st, l.nets, l.n, &text, &len)) {
				put_fd(fd, text, len);
				free(text);
			}
			set_free(&l);
		}
		close(fd);
	}
	closedir(d);
	rmdir(SETS); /* only when empty */
	return 0;
}
