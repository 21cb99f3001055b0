// SPDX-License-Identifier: GPL-2.0-or-later
/* core/state/journal: the entry a multi-step command writes before it acts,
 * and its replay through the undos operations register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpstate.h"
#include "core/state/journal.h"

static void begin_read_end(void **state)
{
	struct state *st = tmpstate_open(state);
	struct kvs k;
	char *buf, *text;

	assert_int_equal(journal_read(st, &buf, &k), -ENOENT);
	assert_int_equal(journal_begin(st, "netconnect", "network", "n1", "container", "c1",
				       "veth", NULL, NULL),
			 0);
	text = tmpstate_text(st, "journal");
	assert_string_equal(text, "op=netconnect\nnetwork=n1\ncontainer=c1\nveth=\n");
	free(text);
	assert_int_equal(journal_read(st, &buf, &k), 0);
	assert_int_equal(k.n, 4);
	assert_string_equal(kv_get(&k, "op"), "netconnect");
	assert_string_equal(kv_get(&k, "network"), "n1");
	assert_string_equal(kv_get(&k, "container"), "c1");
	assert_string_equal(kv_get(&k, "veth"), "");
	free(k.v);
	free(buf);

	/* a new entry replaces the old one, shorter or not */
	assert_int_equal(journal_begin(st, "netrm", "network", "n2", NULL), 0);
	text = tmpstate_text(st, "journal");
	assert_string_equal(text, "op=netrm\nnetwork=n2\n");
	free(text);
	assert_int_equal(journal_begin(st, "netcreate", NULL), 0);
	text = tmpstate_text(st, "journal");
	assert_string_equal(text, "op=netcreate\n");
	free(text);

	assert_int_equal(journal_end(st), 0);
	assert_false(tmpstate_exists(state, "journal"));
	assert_int_equal(journal_read(st, &buf, &k), -ENOENT);
	assert_int_equal(journal_end(st), 0); /* none: no error */
}

static void too_long_keeps_the_old_entry(void **state)
{
	struct state *st = tmpstate_open(state);
	char big[1100], fits[1100], *text;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(journal_begin(st, "netrm", "network", "n1", NULL), 0);
	assert_int_equal(journal_begin(st, "netconnect", "network", big, NULL), -ENAMETOOLONG);
	text = tmpstate_text(st, "journal");
	assert_string_equal(text, "op=netrm\nnetwork=n1\n");
	free(text);
	/* 1 KiB in all: "op=a\n" (5) + "k=" (2) + value + "\n" (1) must stay below */
	memset(fits, 'y', sizeof(fits));
	fits[1024 - 5 - 2 - 1 - 1] = 0;
	assert_int_equal(journal_begin(st, "a", "k", fits, NULL), 0);
	fits[1024 - 5 - 2 - 1] = 0;
	memset(fits, 'y', 1024 - 5 - 2 - 1);
	assert_int_equal(journal_begin(st, "a", "k", fits, NULL), -ENAMETOOLONG);
}

/* fake undos: they count their calls and look at what they were given */
struct calls {
	int netcreate, netconnect;
	void *ctx_seen;
	char container[32];
	int ret;
};

static int undo_netcreate(void *ctx, const struct kvs *entry)
{
	struct calls *c = ctx;

	c->netcreate++;
	c->ctx_seen = ctx;
	return c->ret;
}

static int undo_netconnect(void *ctx, const struct kvs *entry)
{
	struct calls *c = ctx;
	const char *v = kv_get(entry, "container");

	c->netconnect++;
	c->ctx_seen = ctx;
	snprintf(c->container, sizeof(c->container), "%s", v ? v : "(none)");
	return c->ret;
}

static const struct journal_undo undos[] = {
	{ "netcreate", undo_netcreate },
	{ "netconnect", undo_netconnect },
};

static void replay(void **state)
{
	struct state *st = tmpstate_open(state);
	struct calls c = { 0 };
	char *text;
	int fd;

	/* no entry: nothing to do */
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netcreate + c.netconnect, 0);

	/* the undo of the entry's op, with the context and the entry */
	journal_begin(st, "netconnect", "network", "n1", "container", "c7", NULL);
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netconnect, 1);
	assert_int_equal(c.netcreate, 0);
	assert_ptr_equal(c.ctx_seen, &c);
	assert_string_equal(c.container, "c7");
	/* the entry stays for the caller to end */
	text = tmpstate_text(st, "journal");
	assert_string_equal(text, "op=netconnect\nnetwork=n1\ncontainer=c7\n");
	free(text);

	/* the undo's error is the replay's */
	c.ret = -EIO;
	journal_begin(st, "netcreate", "network", "n1", NULL);
	assert_int_equal(journal_replay(st, undos, 2, &c), -EIO);
	assert_int_equal(c.netcreate, 1);
	assert_int_equal(c.netconnect, 1);
	assert_true(tmpstate_exists(state, "journal"));
	c.ret = 0;

	/* only the registered ones are looked at */
	assert_int_equal(journal_replay(st, undos, 1, &c), 0);
	assert_int_equal(c.netcreate, 2);
	journal_begin(st, "netconnect", NULL);
	assert_int_equal(journal_replay(st, undos, 1, &c), 0);
	assert_int_equal(c.netconnect, 1);

	/* an op nobody registered: nothing */
	journal_begin(st, "vxlan-add", "network", "n1", NULL);
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netcreate + c.netconnect, 3);
	assert_true(tmpstate_exists(state, "journal"));

	/* an entry without op: a command killed before its one write left the
	 * journal empty; or a file with other keys only */
	fd = open(tmpstate_path(state, "journal"), O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netcreate + c.netconnect, 3);
	tmpstate_put(st, "journal", "network=n1\ncontainer=c1\n");
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	tmpstate_put(st, "journal", "op=\n");
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netcreate + c.netconnect, 3);

	/* the last op= line is the one */
	tmpstate_put(st, "journal", "op=netcreate\nop=netconnect\ncontainer=c8\n");
	assert_int_equal(journal_replay(st, undos, 2, &c), 0);
	assert_int_equal(c.netconnect, 2);
	assert_string_equal(c.container, "c8");
	assert_int_equal(c.netcreate, 2);
}

static void replay_without_state_dir(void **state)
{
	struct tmpstate *t = *state;
	struct calls c = { 0 };

	/* a reader's state (no directory yet) has no journal */
	assert_int_equal(state_open(&t->st, false), 0);
	assert_int_equal(journal_replay(&t->st, undos, 2, &c), 0);
	assert_int_equal(c.netcreate + c.netconnect, 0);
	state_close(&t->st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmpstate_setup, tmpstate_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(begin_read_end),
		T(too_long_keeps_the_old_entry),
		T(replay),
		T(replay_without_state_dir),
	};

	return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
