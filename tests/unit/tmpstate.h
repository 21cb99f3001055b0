/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A throwaway state directory for the unit tests of core/state: a mkdtemp
 * folder under /tmp with BOXNET_RUN_DIR pointing at ROOT/run (not created:
 * state_open(&st, true) makes it), removed with everything in it afterwards.
 * Use as a cmocka setup/teardown pair; *state is a struct tmpstate.
 */
#ifndef BOXNET_TEST_TMPSTATE_H
#define BOXNET_TEST_TMPSTATE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/state/dir.h"

struct tmpstate {
	char root[64];       /* the mkdtemp folder */
	char dir[PATH_MAX];  /* BOXNET_RUN_DIR: root/run */
	struct state st;     /* closed (-1) until a test opens it */
};

static int tmpstate_rm(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int tmpstate_setup(void **state)
{
	struct tmpstate *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->root, "/tmp/boxnet-unit.XXXXXX");
	if (!mkdtemp(t->root)) {
		free(t);
		return -1;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/run", t->root);
	setenv("BOXNET_RUN_DIR", t->dir, 1);
	t->st.dirfd = t->st.lockfd = -1;
	*state = t;
	return 0;
}

static int tmpstate_teardown(void **state)
{
	struct tmpstate *t = *state;

	state_close(&t->st);
	unsetenv("BOXNET_RUN_DIR");
	nftw(t->root, tmpstate_rm, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* tmpstate_open - state_open with the lock, which creates the tree */
static inline struct state *tmpstate_open(void **state)
{
	struct tmpstate *t = *state;
	int ret = state_open(&t->st, true);

	if (ret)
		fail_msg("state_open(%s, true) = %d", t->dir, ret);
	return &t->st;
}

/* tmpstate_path - ROOT/run/@rel, in a static buffer */
static inline const char *tmpstate_path(void **state, const char *rel)
{
	static char buf[PATH_MAX + 64];
	struct tmpstate *t = *state;

	snprintf(buf, sizeof(buf), "%s/%s", t->dir, rel);
	return buf;
}

/* tmpstate_exists - is there a file (of any kind) at ROOT/run/@rel? */
static inline int tmpstate_exists(void **state, const char *rel)
{
	struct stat sb;

	return lstat(tmpstate_path(state, rel), &sb) == 0;
}

/* tmpstate_text - the content of @rel (must exist); the caller frees it */
static inline char *tmpstate_text(const struct state *st, const char *rel)
{
	char *buf = NULL;
	int ret = state_read(st, rel, &buf);

	if (ret)
		fail_msg("state_read(%s) = %d", rel, ret);
	return buf;
}

/* tmpstate_put - write @text as @rel directly (a file another version wrote) */
static inline void tmpstate_put(const struct state *st, const char *rel, const char *text)
{
	int ret = state_write(st, rel, text, strlen(text));

	if (ret)
		fail_msg("state_write(%s) = %d", rel, ret);
}

#endif
