// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/state/netnames.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/names.h"

/* remove the line starting "IP\t@ctr " or "IP\t@ctr\n" from @text, in place */
static void drop_line(char *text, const char *ctr)
{
	size_t clen = strlen(ctr);

	for (char *line = text; *line;) {
		char *end = strchr(line, '\n'), *tab = strchr(line, '\t');

		end = end ? end + 1 : line + strlen(line);
		if (tab && tab < end && !strncmp(tab + 1, ctr, clen) &&
		    (tab[1 + clen] == ' ' || tab[1 + clen] == '\n')) {
			memmove(line, end, strlen(end) + 1);
			continue;
		}
		line = end;
	}
}

/* @text is a names file as names_edit writes it: whole lines "IP<TAB>NAME
 * ALIAS...", printable, one space apart */
static bool names_whole(const char *text)
{
	/* one pass over the bytes: the file has a line per endpoint, and is
	 * read a few times by every connect (issue 12: flat in N) */
	for (const char *line = text, *c; *line; line = c + 1) {
		const char *tab = NULL;
		char ip[IP_STRLEN];
		struct ipaddr a;

		for (c = line; *c != '\n'; c++) {
			if (*c == '\t' && !tab) {
				tab = c;
			} else if (!*c || *c < ' ' || *c > '~' || (*c == ' ' && (c[1] == ' ' ||
				   c[1] == '\n' || (c > line && c[-1] == '\t')))) {
				return false;
			}
		}
		if (!tab || tab - line >= IP_STRLEN || tab + 1 == c)
			return false;
		memcpy(ip, line, tab - line);
		ip[tab - line] = 0;
		if (ip_parse(ip, AF_UNSPEC, &a))
			return false;
	}
	return true;
}

/*
 * The last names file read or written, with what tells its version apart (a
 * state_write renames a new inode into place, an edit in place changes the
 * times): a connect reads its network's names three times (the check before
 * any change, the edit, the hosts file) and a disconnect four, and checking
 * a file of 500 lines cost a quarter of a million instructions each time
 * (issue 12: flat in N). A process holds one state lock at a time.
 */
static struct {
	struct stat sb;
	char *text;
} seen;

static bool same_version(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void keep(const struct stat *sb, const char *text)
{
	free(seen.text);
	seen.sb = *sb;
	seen.text = strdup(text); /* none: the next read reads the file */
}

int names_read(const struct state *st, const char *net, char **text)
{
	char rel[OBJNAME_MAX + 8];
	struct stat before, after;
	bool stat_ok = fstatat(st->dirfd, (snprintf(rel, sizeof(rel), "names/%s", net), rel),
			       &before, 0) == 0;
	int ret;

	if (stat_ok && seen.text && same_version(&before, &seen.sb))
		return (*text = strdup(seen.text)) ? 0 : -ENOMEM;
	if ((ret = state_read(st, rel, text)) == -ENOENT)
		return (*text = strdup("")) ? 0 : -ENOMEM;
	/* a NUL byte would end the text early: a garbled file that starts
	 * with one read as no names at all, and the next edit wrote a file
	 * of one line (hostile.sh, once in 256 runs) */
	if (!ret && (!names_whole(*text) || fstatat(st->dirfd, rel, &after, 0) < 0 ||
		     (size_t)after.st_size != strlen(*text))) {
		free(*text);
		ret = -EBADMSG;
	} else if (!ret && stat_ok && same_version(&before, &after)) {
		keep(&after, *text);
	}
	if (ret && ret != -ENOMEM)
		state_note_failed("names", net);
	return ret;
}

int names_check(const struct state *st, const char *net)
{
	char *text;
	int ret = names_read(st, net, &text);

	if (!ret)
		free(text);
	return ret;
}

int names_rebuild(const struct state *st, const char *net)
{
	char rel[OBJNAME_MAX + 16], **eps;
	size_t n;
	int ret = names_drop(st, net);

	snprintf(rel, sizeof(rel), "endpoints/%s", net);
	if (ret || (ret = state_list(st, rel, &eps, &n)))
		return ret;
	for (size_t i = 0; i < n && !ret; i++) {
		struct endpoint e;

		if (ep_load(st, net, eps[i], &e))
			continue; /* a damaged endpoint has its own error */
		ret = names_set(st, &e);
		ep_free(&e);
	}
	state_list_free(eps, n);
	return ret;
}

static int names_edit(const struct state *st, const char *net, const struct endpoint *add,
		      const char *del)
{
	char rel[OBJNAME_MAX + 8], *text = NULL, *out;
	size_t len;
	int ret = names_read(st, net, &text);
	FILE *f;

	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "names/%s", net);
	drop_line(text, del);
	if (!(f = open_memstream(&out, &len))) {
		free(text);
		return -ENOMEM;
	}
	fputs(text, f);
	/* a line per address: IPv4, then IPv6 (as Docker's hosts files list them) */
	for (int v6 = 0; add && v6 < 2; v6++) {
		const struct ipaddr *ip = v6 ? &add->ip6 : &add->ip;
		char a[IP_STRLEN];

		if (!ip_is_set(ip))
			continue;
		fprintf(f, "%s\t%s", ip_format(ip, a), add->container);
		for (size_t i = 0; i < add->naliases; i++)
			fprintf(f, " %s", add->alias[i]);
		fputc('\n', f);
	}
	free(text);
	ret = fclose(f) ? -ENOMEM : state_write(st, rel, out, len);
	if (!ret) {
		struct stat sb;

		if (fstatat(st->dirfd, rel, &sb, 0) == 0)
			keep(&sb, out);
	}
	free(out);
	return ret;
}

int names_set(const struct state *st, const struct endpoint *e)
{
	return names_edit(st, e->network, e, e->container);
}

int names_del(const struct state *st, const char *net, const char *ctr)
{
	return names_edit(st, net, NULL, ctr);
}

int names_drop(const struct state *st, const char *net)
{
	char rel[OBJNAME_MAX + 16];

	snprintf(rel, sizeof(rel), "names/%s", net);
	return state_unlink(st, rel);
}
