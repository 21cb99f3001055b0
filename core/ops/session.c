// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/errstr.h"
#include "core/state/journal.h"
#include "core/ops/network.h"

int session_fail(struct session *s, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (s->nl.errmsg[0] && n >= 0 && (size_t)n < sizeof(s->err))
		snprintf(s->err + n, sizeof(s->err) - n, " (%s)", s->nl.errmsg);
	return err;
}

int session_open(struct session *s, bool mutate)
{
	int ret;

	memset(s->err, 0, sizeof(s->err));
	s->nl.sk = NULL;
	s->nl.errmsg[0] = 0;
	ret = state_open(&s->st, mutate);
	if (ret)
		return session_fail(s, ret, "cannot open the state directory: %s", errstr(ret));
	ret = nl_open(&s->nl, NETLINK_ROUTE);
	if (ret) {
		state_close(&s->st);
		return session_fail(s, ret, "cannot open rtnetlink: %s", errstr(ret));
	}
	if (mutate && ((ret = journal_repair(s)) || (ret = net_predefined(s)))) {
		session_close(s);
		return ret;
	}
	return 0;
}

void session_close(struct session *s)
{
	nl_close(&s->nl);
	state_close(&s->st);
}
