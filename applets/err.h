/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages for applets: every line starts with "APPLET: ". Only applets call
 * these; core/ and netlink/ return -errno and leave the wording to them.
 */
#ifndef BOXNET_ERR_H
#define BOXNET_ERR_H

#include <stdbool.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_NOAPPLET 127

extern const char *applet_name;

/* "APPLET: text" */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "APPLET: text: strerror(err)" and, when @kernel is not empty, " (kernel)" */
void msg_err(int err, const char *kernel, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* print @usage to stderr and return EXIT_USAGE */
int usage_err(const char *usage);

/*
 * The open/run/print frame of the network applets. applet_open opens @s for a
 * mutating use case (ops_open: lock, repair, predefined networks) or a
 * read-only one (no lock, no change); on failure it prints why and returns
 * EXIT_FAIL, else 0. applet_close prints s->err when @failed, closes @s and
 * returns the exit status (EXIT_FAIL or 0).
 */
struct session;
int applet_open(struct session *s, bool mutate);
int applet_close(struct session *s, bool failed);

#endif
