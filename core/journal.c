// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/journal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/endpoint.h"
#include "core/errstr.h"
#include "core/network.h"
#include "netlink/link.h"

int journal_begin(struct session *s, const char *op, ...)
{
	char buf[1024];
	const char *k, *v;
	size_t off = snprintf(buf, sizeof(buf), "op=%s\n", op);
	va_list ap;
	int ret;

	va_start(ap, op);
	while ((k = va_arg(ap, const char *)) && off < sizeof(buf)) {
		v = va_arg(ap, const char *);
		off += snprintf(buf + off, sizeof(buf) - off, "%s=%s\n", k, v ? v : "");
	}
	va_end(ap);
	if (off >= sizeof(buf))
		return session_fail(s, -ENAMETOOLONG, "journal entry too long");
	ret = state_write(&s->st, "journal", buf, off);
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
	else if ((!strcmp(op, "connect") || !strcmp(op, "disconnect")) && kv_get(&k, "network") &&
		 kv_get(&k, "container"))
		ret = ep_teardown(s, kv_get(&k, "network"), kv_get(&k, "container"),
				  kv_get(&k, "veth"));
	if (!ret)
		ret = journal_end(s);
	free(k.v);
	free(buf);
	return ret;
}
