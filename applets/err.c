// SPDX-License-Identifier: GPL-2.0-or-later
#include "applets/err.h"
#include "core/ops/repair.h"
#include "lib/errstr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *applet_name = "boxnet";

static void vline(int err, const char *kernel, const char *fmt, va_list ap)
{
	/* build the whole line first: one write, never interleaved */
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s: ", applet_name);

	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (err && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, ": %s", errstr(err));
	if (kernel && *kernel && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " (%s)", kernel);
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(0, NULL, fmt, ap);
	va_end(ap);
}

void msg_err(int err, const char *kernel, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(err, kernel, fmt, ap);
	va_end(ap);
}

int usage_err(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int applet_open(struct session *s, bool mutate)
{
	if ((mutate ? ops_open(s) : session_open(s, false)) == 0)
		return 0;
	msg("%s", s->err);
	return EXIT_FAIL;
}

int applet_close(struct session *s, bool failed)
{
	if (failed)
		msg("%s", s->err);
	session_close(s);
	return failed ? EXIT_FAIL : 0;
}
