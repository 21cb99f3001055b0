// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ops/endpoint.h"
#include "lib/errstr.h"
#include "core/ops/firewall.h"
#include "core/ops/network.h"
#include "core/ops/overlay.h"
#include "netlink/link.h"

int journal_begin(struct session *s, const char *op, ...)
{
	char buf[1024];
	const char *k, *v;
	size_t off = snprintf(buf, sizeof(buf), "op=%s\n", op);
	va_list ap;
	int fd, ret;

	va_start(ap, op);
	while ((k = va_arg(ap, const char *)) && off < sizeof(buf)) {
		v = va_arg(ap, const char *);
		off += snprintf(buf + off, sizeof(buf) - off, "%s=%s\n", k, v ? v : "");
	}
	va_end(ap);
	if (off >= sizeof(buf))
		return session_fail(s, -ENAMETOOLONG, "journal entry too long");
	/* written in place, in one write: a kill before it leaves an empty
	 * journal, which the repair just removes; no temporary to sweep */
	fd = openat(s->st.dirfd, "journal", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return session_fail(s, -errno, "cannot write the journal: %s", errstr(errno));
	ret = write(fd, buf, off) == (ssize_t)off ? 0 : -EIO;
	close(fd);
	return ret ? session_fail(s, ret, "cannot write the journal: %s", errstr(ret)) : 0;
}

int journal_end(struct session *s)
{
	return state_unlink(&s->st, "journal");
}

static int repair_create(struct session *s, const struct kvs *k)
{
	struct network n;
	const char *name = kv_get(k, "network"), *bridge = kv_get(k, "bridge");

	if (!name || !bridge)
		return 0;
	if (net_load(&s->st, name, &n) == 0) {
		net_free(&n);
		return 0; /* it got as far as saving: complete */
	}
	memset(&n, 0, sizeof(n));
	snprintf(n.bridge, sizeof(n.bridge), "%s", bridge);
	n.own_bridge = kv_get(k, "own") && !strcmp(kv_get(k, "own"), "1");
	addr_parse(kv_get(k, "gateway") ? kv_get(k, "gateway") : "", &n.gateway);
	prefix_parse(kv_get(k, "subnet") ? kv_get(k, "subnet") : "", &n.subnet);
	net_teardown_kernel(s, &n);
	net_delete_state(s, name);
	return 0;
}

/* a vxlan add that did not get as far as saving: its device goes */
static int repair_vxlan(struct session *s, const struct kvs *k)
{
	struct vxlan v;
	struct nl_link l;
	const char *net = kv_get(k, "network"), *dev = kv_get(k, "device");

	if (!net || !dev || vxlan_load(&s->st, net, &v) == 0)
		return 0;
	if (nl_link_get(&s->nl, dev, 0, &l) == 0 && !strcmp(l.kind, "vxlan"))
		nl_link_del(&s->nl, l.index);
	return 0;
}

static int repair_remove(struct session *s, const struct kvs *k)
{
	struct network n;
	const char *name = kv_get(k, "network");

	if (!name || net_load(&s->st, name, &n))
		return 0;
	net_teardown_kernel(s, &n);
	net_free(&n);
	return net_delete_state(s, name);
}

/* temporaries of writes a killed command never renamed (we hold the lock:
 * no live writer owns one) */
static void sweep_dir(struct session *s, const char *dir)
{
	char rel[PATH_MAX];
	int fd = openat(s->st.dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		if (strstr(e->d_name, ".tmp"))
			unlinkat(s->st.dirfd, strcmp(dir, ".") ? rel : e->d_name, 0);
		else if (!strcmp(dir, "endpoints") && e->d_type == DT_DIR)
			sweep_dir(s, rel);
	}
	closedir(d);
}

static void sweep(struct session *s)
{
	static const char *const dirs[] = { ".", "networks", "endpoints", "containers", "names" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		sweep_dir(s, dirs[i]);
}

int journal_repair(struct session *s)
{
	char *buf;
	struct kvs k;
	const char *op;
	int ret = state_read(&s->st, "journal", &buf);

	if (ret == -ENOENT)
		return 0;
	if (ret)
		return session_fail(s, ret, "cannot read the journal: %s", errstr(ret));
	if ((ret = kv_parse(buf, &k))) {
		free(buf);
		return session_fail(s, ret, "cannot read the journal: %s", errstr(ret));
	}
	op = kv_get(&k, "op");
	if (!op)
		ret = 0;
	else if (!strcmp(op, "create"))
		ret = repair_create(s, &k);
	else if (!strcmp(op, "remove"))
		ret = repair_remove(s, &k);
	else if (!strcmp(op, "vxlan"))
		ret = repair_vxlan(s, &k);
	else if ((!strcmp(op, "connect") || !strcmp(op, "disconnect")) && kv_get(&k, "network") &&
		 kv_get(&k, "container"))
		ret = ep_teardown(s, kv_get(&k, "network"), kv_get(&k, "container"),
				  kv_get(&k, "veth"));
	sweep(s);
	/* a command killed between its state writes and its firewall commit */
	if (!ret)
		ret = fw_sync(s);
	if (!ret)
		ret = journal_end(s);
	free(k.v);
	free(buf);
	return ret;
}
