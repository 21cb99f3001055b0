// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const subdirs[] = { "networks", "endpoints", "containers", "names", "ports",
					"vxlan", "rootfs" };

/* mkdir -p for an absolute path */
static int mkdirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = c;
			return -errno;
		}
		*p = c;
		if (!c)
			return 0;
	}
}

int state_open(struct state *st, bool lock)
{
	const char *dir = getenv("BOXNET_RUN_DIR");
	int ret;

	st->dirfd = st->lockfd = -1;
	if (!dir || !*dir)
		dir = STATE_DEFAULT_DIR;
	if (dir[0] != '/' || strlen(dir) >= sizeof(st->dir) - 64)
		return -EINVAL;
	strcpy(st->dir, dir);
	st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* a reader creates nothing: no directory yet is an empty state */
	if (st->dirfd < 0 && errno == ENOENT && !lock)
		return 0;
	if (st->dirfd < 0 && errno == ENOENT) {
		if ((ret = mkdirs(st->dir)) < 0)
			return ret;
		st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (st->dirfd < 0)
		return -errno;
	if (!lock)
		return 0;
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(*subdirs); i++)
		if (mkdirat(st->dirfd, subdirs[i], 0755) < 0 && errno != EEXIST)
			goto fail;
	st->lockfd = openat(st->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lockfd < 0)
		goto fail;
	while (flock(st->lockfd, LOCK_EX) < 0)
		if (errno != EINTR)
			goto fail;
	return 0;
fail:
	ret = -errno;
	state_close(st);
	return ret;
}

void state_close(struct state *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd); /* releases the flock */
	if (st->dirfd >= 0)
		close(st->dirfd);
	st->lockfd = st->dirfd = -1;
}

int state_read(const struct state *st, const char *rel, char **data)
{
	int fd = st->dirfd < 0 ? -1 : openat(st->dirfd, rel, O_RDONLY | O_CLOEXEC), ret = 0;
	size_t len = 0, cap = 1024;
	char *buf = NULL;

	if (fd < 0)
		return st->dirfd < 0 ? -ENOENT : -errno;
	for (;;) {
		char *nb = realloc(buf, cap + 1);
		ssize_t r;

		if (!nb) {
			ret = -ENOMEM;
			break;
		}
		buf = nb;
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (r == 0)
			break;
		len += r;
		if (len == cap)
			cap *= 2;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = 0;
	*data = buf;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= w;
	}
	return 0;
}

int state_write(const struct state *st, const char *rel, const char *data, size_t len)
{
	char tmp[32];
	int fd, ret;

	/* /run is a tmpfs: rename gives atomicity; fsync would buy nothing.
	 * The temporary is in the top folder, whatever folder @rel is in:
	 * state_sweep then has one small folder to look through, not every
	 * port's and container's */
	snprintf(tmp, sizeof(tmp), "write.tmp%d", (int)getpid());
	fd = openat(st->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, data, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && renameat(st->dirfd, tmp, st->dirfd, rel) < 0)
		ret = -errno;
	if (ret)
		unlinkat(st->dirfd, tmp, 0);
	return ret;
}

int state_unlink(const struct state *st, const char *rel)
{
	/* a file under something that is not a directory does not exist either */
	return unlinkat(st->dirfd, rel, 0) < 0 && errno != ENOENT && errno != ENOTDIR ? -errno : 0;
}

bool state_has(const struct state *st, const char *rel)
{
	struct stat sb;

	return fstatat(st->dirfd, rel, &sb, 0) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(const struct state *st, const char *rel, char ***names, size_t *n)
{
	int fd = st->dirfd < 0 ? -1 : openat(st->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	*names = NULL;
	*n = 0;
	if (fd < 0)
		return st->dirfd < 0 || errno == ENOENT ? 0 : -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((e = readdir(d))) {
		/* skip dot files and the temporaries of an interrupted write */
		if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp"))
			continue;
		if (*n == cap) {
			char **v = realloc(*names, (cap = cap ? 2 * cap : 16) * sizeof(*v));

			if (!v)
				goto nomem;
			*names = v;
		}
		if (!((*names)[*n] = strdup(e->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
nomem:
	closedir(d);
	state_list_free(*names, *n);
	*names = NULL;
	*n = 0;
	return -ENOMEM;
}

/* the one process-wide note of state_load_failed (a command is one thread) */
static char load_failed[NAME_MAX + 32];

bool state_has_files(const struct state *st, const char *rel)
{
	int fd = st->dirfd < 0 ? -1 : openat(st->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	bool any = false;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

int state_load_all(const struct state *st, const char *rel, size_t size,
		   int (*load)(const struct state *st, const char *name, void *out), void **v,
		   size_t *n)
{
	char **names;
	size_t count;
	int ret = state_list(st, rel, &names, &count);

	*v = NULL;
	*n = 0;
	if (ret)
		return ret;
	if (!(*v = calloc(count ? count : 1, size)))
		ret = -ENOMEM;
	load_failed[0] = 0;
	for (size_t i = 0; i < count && !ret; i++) {
		int r = load(st, names[i], (char *)*v + *n * size);

		if (!r)
			(*n)++;
		else if (r < 0 && (ret = r) != -ENOMEM)
			snprintf(load_failed, sizeof(load_failed), "%s/%s", rel, names[i]);
	}
	state_list_free(names, count);
	if (ret) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return ret;
}

const char *state_load_failed(void)
{
	return load_failed;
}

void state_note_failed(const char *folder, const char *name)
{
	snprintf(load_failed, sizeof(load_failed), "%s/%s", folder, name);
}

void state_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

bool kv_whole(const char *buf)
{
	if (!*buf || buf[strlen(buf) - 1] != '\n')
		return false;
	for (const char *line = buf, *end; *line; line = end + 1) {
		const char *eq = strchr(line, '=');

		end = strchr(line, '\n');
		if (!eq || eq == line || eq > end)
			return false;
	}
	return true;
}

int kv_parse(char *buf, struct kvs *out)
{
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	for (char *line = buf, *next; line && *line; line = next) {
		char *eq = NULL, *c;

		/* one pass for the '=' and the end: files of hundreds of lines
		 * are read by every connect (issue 12) */
		for (c = line; *c && *c != '\n'; c++)
			if (*c == '=' && !eq)
				eq = c;
		next = *c ? c + 1 : NULL;
		*c = 0;
		if (!eq || eq == line)
			continue;
		*eq = 0;
		if (out->n == cap) {
			struct kv *v = realloc(out->v, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!v) {
				free(out->v);
				out->v = NULL;
				out->n = 0;
				return -ENOMEM;
			}
			out->v = v;
		}
		out->v[out->n++] = (struct kv){ line, eq + 1 };
	}
	return 0;
}

const char *kv_get(const struct kvs *k, const char *key)
{
	for (size_t i = k->n; i-- > 0;)
		if (!strcmp(k->v[i].key, key))
			return k->v[i].val;
	return NULL;
}

/* the temporaries of writes never renamed: state_write makes them in the
 * top folder only */
void state_sweep(const struct state *st)
{
	int fd = openat(st->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strstr(e->d_name, ".tmp"))
			unlinkat(st->dirfd, e->d_name, 0);
	closedir(d);
}
