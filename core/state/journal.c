// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int journal_vbegin(const struct state *st, const char *op, va_list ap)
{
	char buf[1024];
	const char *k, *v;
	size_t off = snprintf(buf, sizeof(buf), "op=%s\n", op);
	int fd, ret;

	while ((k = va_arg(ap, const char *)) && off < sizeof(buf)) {
		v = va_arg(ap, const char *);
		off += snprintf(buf + off, sizeof(buf) - off, "%s=%s\n", k, v ? v : "");
	}
	if (off >= sizeof(buf))
		return -ENAMETOOLONG;
	/* in place, in one write: no temporary to sweep after a kill */
	fd = openat(st->dirfd, "journal", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	{
		ssize_t w = write(fd, buf, off);

		/* a full file system says ENOSPC, and says it as such */
		ret = w == (ssize_t)off ? 0 : w < 0 ? -errno : -ENOSPC;
	}
	close(fd);
	/* no intent recorded: nothing to replay, and nothing left that would
	 * make the next command repair on a disk that is still full */
	if (ret)
		unlinkat(st->dirfd, "journal", 0);
	return ret;
}

int journal_begin(const struct state *st, const char *op, ...)
{
	va_list ap;
	int ret;

	va_start(ap, op);
	ret = journal_vbegin(st, op, ap);
	va_end(ap);
	return ret;
}

int journal_end(const struct state *st)
{
	return state_unlink(st, "journal");
}

int journal_read(const struct state *st, char **buf, struct kvs *k)
{
	int ret = state_read(st, "journal", buf);

	if (ret)
		return ret;
	if ((ret = kv_parse(*buf, k))) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

int journal_replay(const struct state *st, const struct journal_undo *undos, size_t n, void *ctx)
{
	char *buf;
	struct kvs k;
	const char *op;
	int ret = journal_read(st, &buf, &k);

	if (ret)
		return ret == -ENOENT ? 0 : ret;
	op = kv_get(&k, "op");
	for (size_t i = 0; op && i < n; i++)
		if (!strcmp(undos[i].op, op)) {
			ret = undos[i].undo(ctx, &k);
			break;
		}
	free(k.v);
	free(buf);
	return ret;
}
