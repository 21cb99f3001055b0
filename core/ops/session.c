// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/state/journal.h"
#include "lib/errstr.h"
#include "netlink/nl.h"

int session_fail(struct session *s, int err, const char *fmt, ...)
{
	const char *why = nl_errmsg();
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (why[0] && n >= 0 && (size_t)n < sizeof(s->err))
		snprintf(s->err + n, sizeof(s->err) - n, " (%s)", why);
	return err;
}

int session_file_fail(struct session *s, int err, const char *folder, const char *name)
{
	if (err != -EBADMSG)
		return session_fail(s, err, "cannot read %s/%s/%s: %s", s->st.dir, folder, name,
				    errstr(err));
	/* a names file is rebuilt from the endpoints; a port or overlay
	 * file, whose content nothing else holds, goes */
	return session_fail(s, err, "damaged state file %s/%s/%s (netprune %s it)", s->st.dir,
			    folder, name, strcmp(folder, "names") ? "removes" : "rebuilds");
}

int session_load_fail(struct session *s, int err, const char *what)
{
	char folder[32];
	const char *f = state_load_failed(), *slash = strchr(f, '/');

	if (err == -ENOMEM || !slash || slash - f >= (long)sizeof(folder))
		return session_fail(s, err, "cannot read %s: %s", what, errstr(err));
	snprintf(folder, sizeof(folder), "%.*s", (int)(slash - f), f);
	return session_file_fail(s, err, folder, slash + 1);
}

int session_open(struct session *s, bool mutate)
{
	int ret;

	memset(s->err, 0, sizeof(s->err));
	s->nl = NULL;
	nl_errmsg_clear();
	ret = state_open(&s->st, mutate);
	if (ret)
		return session_fail(s, ret, "cannot open the state directory: %s", errstr(ret));
	ret = nl_open(&s->nl, NETLINK_ROUTE);
	if (ret) {
		state_close(&s->st);
		return session_fail(s, ret, "cannot open rtnetlink: %s", errstr(ret));
	}
	return 0;
}

void session_close(struct session *s)
{
	nl_close(s->nl);
	s->nl = NULL;
	state_close(&s->st);
}

int session_journal(struct session *s, const char *op, ...)
{
	va_list ap;
	int ret;

	va_start(ap, op);
	ret = journal_vbegin(&s->st, op, ap);
	va_end(ap);
	if (ret == -ENAMETOOLONG)
		return session_fail(s, ret, "journal entry too long");
	return ret ? session_fail(s, ret, "cannot write the journal: %s", errstr(ret)) : 0;
}
