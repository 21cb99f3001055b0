// SPDX-License-Identifier: GPL-2.0-or-later
/* Named network namespaces in NS_RUN_DIR, compatible with iproute2's "ip netns". */
#include "netlink/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <unistd.h>

/* set @step and turn errno into the return value */
static int fail_at(enum ns_step *step, enum ns_step at)
{
	int err = errno;

	*step = at;
	return -err;
}

/* "@a/@b" into @buf, or -ENAMETOOLONG */
static int join(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool ns_name_valid(const char *name)
{
	return *name && strlen(name) <= NAME_MAX && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

bool ns_is_pid(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int ns_parse_int(const char *s, int *val)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (end == s || *end || errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

int ns_path(char *buf, size_t size, const char *name)
{
	return join(buf, size, NS_RUN_DIR, name);
}

int ns_open(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!strchr(name, '/')) {
		if (ns_path(path, sizeof(path), name) < 0)
			return -ENAMETOOLONG;
		name = path;
	}
	fd = open(name, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ns_open_pid(pid_t pid)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ns_foreach(int (*fn)(const char *name, void *arg), void *arg)
{
	DIR *dir = opendir(NS_RUN_DIR);
	struct dirent *e;
	int ret = 0;

	if (!dir)
		return -errno;
	while (!ret && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ret = fn(e->d_name, arg);
	closedir(dir);
	return ret;
}

/*
 * Make NS_RUN_DIR a shared mount point, so that a namespace unmounted in one
 * mount namespace is released in all of them. The flock keeps concurrent adds
 * from stacking bind mounts without end (Debian bug 949235); like iproute2,
 * go on without it when it cannot be taken.
 */
static int share_run_dir(struct ns_result *r)
{
	bool made = false;
	int lock, ret = 0;

	lock = open(NS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return fail_at(&r->step, NS_STEP_LOCK);
	if (flock(lock, LOCK_EX) < 0) {
		r->lock_err = errno;
		close(lock);
		lock = -1;
	}
	while (mount("", NS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		/* EINVAL: not a mount point yet; bind it on itself, once */
		if (errno != EINVAL || made) {
			ret = fail_at(&r->step, NS_STEP_SHARED);
			break;
		}
		if (mount(NS_RUN_DIR, NS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
			ret = fail_at(&r->step, NS_STEP_BIND_DIR);
			break;
		}
		made = true;
	}
	if (lock >= 0) {
		flock(lock, LOCK_UN);
		close(lock);
	}
	return ret;
}

/* ns_add (@from NULL: a new namespace) and ns_attach (the namespace at @from) */
static int make(const char *name, const char *from, struct ns_result *r)
{
	char path[PATH_MAX];
	const char *src = from ? from : "/proc/self/ns/net";
	int fd, saved = -1, ret;

	memset(r, 0, sizeof(*r));
	if (ns_path(path, sizeof(path), name) < 0) {
		r->step = NS_STEP_CREATE;
		return -ENAMETOOLONG;
	}
	if (mkdir(NS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return fail_at(&r->step, NS_STEP_MKDIR);
	ret = share_run_dir(r);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return fail_at(&r->step, NS_STEP_CREATE);
	close(fd);
	if (!from) {
		saved = open(src, O_RDONLY | O_CLOEXEC);
		if (saved < 0) {
			ret = fail_at(&r->step, NS_STEP_SAVE);
			goto undo;
		}
		if (unshare(CLONE_NEWNET) < 0) {
			ret = fail_at(&r->step, NS_STEP_UNSHARE);
			goto undo;
		}
	}
	if (mount(src, path, "none", MS_BIND, NULL) < 0) {
		ret = fail_at(&r->step, NS_STEP_BIND);
		goto undo;
	}
	if (saved >= 0) {
		/* the namespace exists now: a failure here is reported, not undone */
		if (setns(saved, CLONE_NEWNET) < 0)
			ret = fail_at(&r->step, NS_STEP_RESTORE);
		close(saved);
	}
	return ret;
undo:
	if (saved >= 0) {
		setns(saved, CLONE_NEWNET);
		close(saved);
	}
	if (!from)
		umount2(path, MNT_DETACH); /* iproute2 undoes an add with its delete */
	if (unlink(path) < 0)
		r->cleanup_err = errno;
	return ret;
}

int ns_add(const char *name, struct ns_result *r)
{
	return make(name, NULL, r);
}

int ns_attach(const char *name, pid_t pid, struct ns_result *r)
{
	char src[32];

	if (!pid) {
		memset(r, 0, sizeof(*r));
		r->step = NS_STEP_BIND;
		return -EINVAL;
	}
	snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
	return make(name, src, r);
}

int ns_attach_path(const char *name, const char *src, struct ns_result *r)
{
	return make(name, src, r);
}

int ns_is_net(int fd)
{
	struct statfs fs;
	int type;

	/* only nsfs answers NS_GET_NSTYPE; a regular file or a directory is no namespace */
	if (fstatfs(fd, &fs) < 0)
		return -errno;
	if (fs.f_type != NSFS_MAGIC)
		return 0;
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0)
		return -errno;
	return type == CLONE_NEWNET;
}

int ns_delete(const char *name)
{
	char path[PATH_MAX];

	if (ns_path(path, sizeof(path), name) < 0)
		return -ENAMETOOLONG;
	umount2(path, MNT_DETACH);
	return unlink(path) < 0 ? -errno : 0;
}

/* bind every NS_ETC_DIR/NAME/F on /etc/F; a missing /etc/F is the caller's
 * to report, the other files are still bound */
static void bind_etc(const char *name, void (*bind_fail)(const char *, const char *, int))
{
	char dir[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
	struct dirent *e;
	struct stat sb;
	DIR *d;

	/* iproute2 sizes its buffer for shorter names and skips the longest */
	if (strlen(name) >= NAME_MAX || join(dir, sizeof(dir), NS_ETC_DIR, name) < 0)
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (join(src, sizeof(src), dir, e->d_name) < 0 ||
		    join(dst, sizeof(dst), "/etc", e->d_name) < 0)
			continue;
		if (mount(src, dst, "none", MS_BIND, NULL) < 0) {
			if (bind_fail)
				bind_fail(src, dst, errno);
			continue;
		}
		/* a file with more links is shared (boxnet's hosts set files: the
		 * names every container on the same networks sees): read-only, so
		 * no container changes another's. A file of one link is bound as
		 * iproute2 binds it. */
		if (stat(dst, &sb) == 0 && sb.st_nlink > 1 &&
		    mount("none", dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
			int err = errno;

			umount2(dst, MNT_DETACH); /* never shared and writable */
			if (bind_fail)
				bind_fail(src, dst, err);
		}
	}
	closedir(d);
}

int ns_enter(const char *name, void (*bind_fail)(const char *src, const char *dst, int err),
	     enum ns_step *step)
{
	unsigned long flags = 0;
	char path[PATH_MAX];
	struct statvfs vfs;
	int fd, ret;

	*step = NS_STEP_OPEN;
	if (ns_path(path, sizeof(path), name) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = setns(fd, CLONE_NEWNET) < 0 ? fail_at(step, NS_STEP_SETNS) : 0;
	close(fd);
	if (ret)
		return ret;
	if (unshare(CLONE_NEWNS) < 0)
		return fail_at(step, NS_STEP_UNSHARE_MNT);
	/* nothing mounted from here on may propagate back to the host */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return fail_at(step, NS_STEP_SLAVE);
	/*
	 * sysfs shows the devices of the netns that mounted it, so mount a
	 * fresh one now. If the old one cannot go, a read-only one can only be
	 * covered by another read-only one.
	 */
	if (umount2("/sys", MNT_DETACH) < 0 && statvfs("/sys", &vfs) == 0 &&
	    (vfs.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0)
		return fail_at(step, NS_STEP_SYSFS);
	bind_etc(name, bind_fail);
	*step = NS_STEP_NONE;
	return 0;
}

/* the (device, inode) of the namespace behind @path */
static int ns_stat(const char *path, struct stat *st, enum ns_step *step)
{
	int fd, ret = 0;

	*step = NS_STEP_OPEN;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0)
		ret = fail_at(step, NS_STEP_STAT);
	close(fd);
	return ret;
}

struct ident {
	struct stat want;
	char *name;
	size_t size;
};

static int ident_one(const char *name, void *arg)
{
	struct ident *id = arg;
	char path[PATH_MAX];
	struct stat st;

	if (ns_path(path, sizeof(path), name) < 0 || stat(path, &st) < 0)
		return 0;
	/* no break: with several names on one netns, the last one wins */
	if (st.st_dev == id->want.st_dev && st.st_ino == id->want.st_ino)
		snprintf(id->name, id->size, "%s", name);
	return 0;
}

int ns_identify(const char *pid, char *name, size_t size, enum ns_step *step)
{
	struct ident id = { .name = name, .size = size };
	char path[PATH_MAX];
	int ret;

	name[0] = 0;
	ret = snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	if (ret < 0 || (size_t)ret >= sizeof(path)) {
		*step = NS_STEP_OPEN;
		return -ENAMETOOLONG;
	}
	ret = ns_stat(path, &id.want, step);
	if (ret)
		return ret;
	*step = NS_STEP_OPENDIR;
	ret = ns_foreach(ident_one, &id);
	if (ret == -ENOENT)
		ret = 0; /* no directory: no names */
	if (!ret)
		*step = NS_STEP_NONE;
	return ret;
}

int ns_pids(const char *name, void (*fn)(const char *pid, void *arg), void *arg,
	    enum ns_step *step)
{
	char path[PATH_MAX];
	struct stat want, st;
	struct dirent *e;
	DIR *proc;
	int ret;

	if (ns_path(path, sizeof(path), name) < 0) {
		*step = NS_STEP_OPEN;
		return -ENAMETOOLONG;
	}
	ret = ns_stat(path, &want, step);
	if (ret)
		return ret;
	proc = opendir("/proc/");
	if (!proc)
		return fail_at(step, NS_STEP_OPENDIR);
	while ((e = readdir(proc))) {
		if (!ns_is_pid(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%.32s/ns/net", e->d_name);
		if (stat(path, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			fn(e->d_name, arg);
	}
	closedir(proc);
	*step = NS_STEP_NONE;
	return 0;
}

int ns_monitor(int (*fn)(bool added, const char *name, void *arg), void *arg,
	       enum ns_step *step)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	int fd, ret = 0;

	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		return fail_at(step, NS_STEP_INOTIFY);
	if (mkdir(NS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		ret = fail_at(step, NS_STEP_MKDIR);
	else if (inotify_add_watch(fd, NS_RUN_DIR, IN_CREATE | IN_DELETE) < 0)
		ret = fail_at(step, NS_STEP_WATCH);
	while (!ret) {
		ssize_t len = read(fd, buf, sizeof(buf));

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0) {
			ret = fail_at(step, NS_STEP_READ);
			break;
		}
		for (ssize_t off = 0; !ret && off < len; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & IN_CREATE)
				ret = fn(true, ev->name, arg);
			if (!ret && (ev->mask & IN_DELETE))
				ret = fn(false, ev->name, arg);
		}
	}
	close(fd);
	return ret;
}

/* FNV-1a of a name: the slot it starts looking from */
static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* the slots of the index after @n entries: a power of two, at least twice
 * @n, so that a lookup soon meets an empty one */
static size_t index_slots(size_t n)
{
	size_t cap = 8;

	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

/*
 * The entries, then an index: a hash table of entry numbers (plus one; 0 is
 * an empty slot) in the same allocation. Not a sorted list: a connect looks
 * up every member of its network (vanished ones are reaped), and sorting
 * hundreds of entries cost more than the rest of that check (issue 12).
 */
int ns_inodes(struct ns_inode **v, size_t *n)
{
	DIR *d = opendir(NS_RUN_DIR);
	struct dirent *e;
	size_t cap = 0, slots;
	struct ns_inode *nv;
	uint32_t *idx;

	*v = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof((*v)->name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			/* room for the index too, once the last entry is in */
			nv = realloc(*v, cap * sizeof(*nv) + index_slots(cap) * sizeof(*idx));
			if (!nv) {
				closedir(d);
				free(*v);
				*v = NULL;
				*n = 0;
				return -ENOMEM;
			}
			*v = nv;
		}
		strcpy((*v)[*n].name, e->d_name);
		(*v)[(*n)++].ino = e->d_ino;
	}
	closedir(d);
	if (!*n)
		return 0;
	slots = index_slots(*n);
	idx = (uint32_t *)(*v + *n);
	memset(idx, 0, slots * sizeof(*idx));
	for (size_t i = 0; i < *n; i++) {
		size_t h = name_hash((*v)[i].name) & (slots - 1);

		while (idx[h])
			h = (h + 1) & (slots - 1);
		idx[h] = i + 1;
	}
	return 0;
}

const struct ns_inode *ns_inode_find(const struct ns_inode *v, size_t n, const char *name)
{
	const uint32_t *idx;
	size_t slots = index_slots(n);

	if (!n)
		return NULL;
	idx = (const uint32_t *)(v + n);
	for (size_t h = name_hash(name) & (slots - 1); idx[h]; h = (h + 1) & (slots - 1))
		if (!strcmp(v[idx[h] - 1].name, name))
			return &v[idx[h] - 1];
	return NULL;
}
