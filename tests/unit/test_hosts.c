// SPDX-License-Identifier: GPL-2.0-or-later
/* core/state/hosts: names files per network, shared hosts files rewritten in
 * place, and the /etc/netns links (in a private mount namespace with a tmpfs
 * over /etc, or skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <sys/mount.h>

#include "tmpstate.h"
#include "core/state/hosts.h"
#include "lib/addr.h"
#include "netlink/netns.h"

#define HEADER                                                                                   \
	"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" \
	"ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"

/* the endpoint's address, the one place that knows its type */
static void set_addr(struct endpoint *e, const char *s)
{
	if (!s)
		memset(&e->ip, 0, sizeof(e->ip));
	else
		assert_int_equal(addr_parse(s, &e->ip), 0);
}

static struct endpoint ep(const char *net, const char *ctr, const char *ip, char **alias,
			  size_t naliases)
{
	struct endpoint e = { .alias = alias, .naliases = naliases };

	snprintf(e.network, sizeof(e.network), "%s", net);
	snprintf(e.container, sizeof(e.container), "%s", ctr);
	set_addr(&e, ip);
	return e;
}

static void expect_file(const struct state *st, const char *rel, const char *want)
{
	char *text = tmpstate_text(st, rel);

	if (strcmp(text, want))
		fail_msg("%s:\n%s\nwant:\n%s", rel, text, want);
	free(text);
}

/* the whole content of @fd from offset 0 */
static char *read_fd(int fd)
{
	static char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	assert_true(n >= 0);
	buf[n] = 0;
	return buf;
}

static void write_in_place(void **state)
{
	struct tmpstate *t = *state;
	char path[PATH_MAX], longer[200];
	struct stat before, after;
	int fd, reader;

	snprintf(path, sizeof(path), "%s/hosts-file", t->root);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789\nabcdefghij\n", 22), 22);
	/* a reader that opened the file before (as a bind mount pins it) */
	reader = open(path, O_RDONLY);
	assert_true(reader >= 0);
	assert_int_equal(fstat(fd, &before), 0);

	/* shorter */
	assert_int_equal(hosts_write(fd, "short\n", 6), 0);
	assert_int_equal(fstat(fd, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_size, 6);
	assert_string_equal(read_fd(reader), "short\n");

	/* longer */
	for (size_t i = 0; i < sizeof(longer) - 1; i++)
		longer[i] = i % 20 == 19 ? '\n' : 'a' + i % 26;
	longer[sizeof(longer) - 1] = 0;
	assert_int_equal(hosts_write(fd, longer, strlen(longer)), 0);
	assert_int_equal(fstat(fd, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_size, strlen(longer));
	assert_string_equal(read_fd(reader), longer);

	/* the same length, then nothing */
	longer[0] = 'Z';
	assert_int_equal(hosts_write(fd, longer, strlen(longer)), 0);
	assert_string_equal(read_fd(reader), longer);
	assert_int_equal(hosts_write(fd, "", 0), 0);
	assert_int_equal(fstat(fd, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_size, 0);
	assert_string_equal(read_fd(reader), "");

	assert_int_equal(hosts_write(reader, "x\n", 2), -EBADF);
	close(reader);
	close(fd);
}

static void names_lines(void **state)
{
	struct state *st = tmpstate_open(state);
	char *web[] = { "web" }, *two[] = { "web", "api" }, *c1alias[] = { "c1" };
	struct endpoint e;

	e = ep("n1", "c1", "172.18.0.2", web, 1);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n1", "172.18.0.2\tc1 web\n");
	e = ep("n1", "c10", "172.18.0.10", NULL, 0);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n1", "172.18.0.2\tc1 web\n172.18.0.10\tc10\n");
	/* c1 again: its line replaced (and moved last) */
	e = ep("n1", "c1", "172.18.0.3", two, 2);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n1", "172.18.0.10\tc10\n172.18.0.3\tc1 web api\n");
	/* an alias naming another container is not that container's line */
	e = ep("n1", "c2", "172.18.0.4", c1alias, 1);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n1", "172.18.0.10\tc10\n172.18.0.3\tc1 web api\n172.18.0.4\tc2 c1\n");
	assert_int_equal(names_del(st, "n1", "c1"), 0);
	expect_file(st, "names/n1", "172.18.0.10\tc10\n172.18.0.4\tc2 c1\n");
	assert_int_equal(names_del(st, "n1", "nosuch"), 0);
	expect_file(st, "names/n1", "172.18.0.10\tc10\n172.18.0.4\tc2 c1\n");
	/* no address (networks none, host): no line */
	e = ep("n1", "c10", NULL, NULL, 0);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n1", "172.18.0.4\tc2 c1\n");
	/* networks are separate files */
	e = ep("n2", "c2", "10.0.0.2", NULL, 0);
	assert_int_equal(names_set(st, &e), 0);
	expect_file(st, "names/n2", "10.0.0.2\tc2\n");
	expect_file(st, "names/n1", "172.18.0.4\tc2 c1\n");
	assert_int_equal(names_del(st, "n1", "c2"), 0);
	expect_file(st, "names/n1", "");
	expect_file(st, "names/n2", "10.0.0.2\tc2\n");
}

static void make_hosts(const struct state *st, void **state, const char *key)
{
	char rel[128];
	int fd;

	snprintf(rel, sizeof(rel), "hosts/%s", key);
	fd = open(tmpstate_path(state, rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	/* longer than what will replace it */
	for (int i = 0; i < 40; i++)
		assert_int_equal(write(fd, "old old old old old old old old\n", 32), 32);
	close(fd);
}

static ino_t inode(void **state, const char *rel)
{
	struct stat sb;

	assert_int_equal(stat(tmpstate_path(state, rel), &sb), 0);
	return sb.st_ino;
}

static void refresh_and_drop(void **state)
{
	struct state *st = tmpstate_open(state);
	char *old = NULL;
	struct endpoint e;
	ino_t ino;

	e = ep("n1", "a", "172.18.0.2", NULL, 0);
	names_set(st, &e);
	e = ep("n2", "b", "172.19.0.2", NULL, 0);
	names_set(st, &e);
	e = ep("n10", "c", "172.20.0.2", NULL, 0);
	names_set(st, &e);
	make_hosts(st, state, "n1+n2");
	make_hosts(st, state, "n1");
	make_hosts(st, state, "n2");
	make_hosts(st, state, "n10");
	make_hosts(st, state, "n2+n3");
	old = tmpstate_text(st, "hosts/n2");
	ino = inode(state, "hosts/n1+n2");

	/* every shared file holding n1, and only those */
	assert_int_equal(hosts_refresh(st, "n1"), 0);
	expect_file(st, "hosts/n1+n2", HEADER "172.18.0.2\ta\n172.19.0.2\tb\n");
	expect_file(st, "hosts/n1", HEADER "172.18.0.2\ta\n");
	expect_file(st, "hosts/n2", old);
	expect_file(st, "hosts/n10", old);
	expect_file(st, "hosts/n2+n3", old);
	assert_int_equal(inode(state, "hosts/n1+n2"), ino);

	/* n3 has no names: the header and n2's */
	assert_int_equal(hosts_refresh(st, "n2"), 0);
	expect_file(st, "hosts/n2", HEADER "172.19.0.2\tb\n");
	expect_file(st, "hosts/n2+n3", HEADER "172.19.0.2\tb\n");
	expect_file(st, "hosts/n10", old);
	assert_int_equal(hosts_refresh(st, "n10"), 0);
	expect_file(st, "hosts/n10", HEADER "172.20.0.2\tc\n");

	/* a change shows after the refresh, in the same file */
	e = ep("n1", "d", "172.18.0.3", NULL, 0);
	names_set(st, &e);
	assert_int_equal(hosts_refresh(st, "n1"), 0);
	expect_file(st, "hosts/n1+n2", HEADER "172.18.0.2\ta\n172.18.0.3\td\n172.19.0.2\tb\n");
	assert_int_equal(inode(state, "hosts/n1+n2"), ino);
	assert_int_equal(hosts_refresh(st, "nosuch"), 0);

	/* forgetting n1: its names and every shared file with it */
	assert_int_equal(names_drop(st, "n1"), 0);
	assert_false(tmpstate_exists(state, "names/n1"));
	assert_false(tmpstate_exists(state, "hosts/n1+n2"));
	assert_false(tmpstate_exists(state, "hosts/n1"));
	assert_true(tmpstate_exists(state, "hosts/n2"));
	assert_true(tmpstate_exists(state, "hosts/n10"));
	assert_true(tmpstate_exists(state, "hosts/n2+n3"));
	assert_true(tmpstate_exists(state, "names/n10"));
	assert_int_equal(names_drop(st, "n1"), 0);
	free(old);
}

/*
 * hosts_link writes under NS_ETC_DIR (/etc/netns): only in a private mount
 * namespace whose /etc is an empty tmpfs (root only), so the host's /etc is
 * never touched; otherwise skipped.
 */
static bool private_etc(void)
{
	if (strncmp(NS_ETC_DIR, "/etc/", 5))
		return false;
	if (unshare(CLONE_NEWNS) < 0)
		return false;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return false;
	if (mount("boxnet-unit-etc", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") < 0)
		return false;
	/* the /etc this process sees is the new, empty one */
	return access("/etc/passwd", F_OK) < 0 && errno == ENOENT;
}

static void link_in_netns_etc(void **state)
{
	struct tmpstate *t = *state;
	struct state *st;
	struct container c = { .name = "c1" };
	char *nets[] = { "n2", "n1" }, link[PATH_MAX], want[PATH_MAX];
	struct endpoint e;
	ssize_t n;
	FILE *f;

	if (!private_etc())
		skip();
	st = tmpstate_open(state);
	f = fopen("/etc/resolv.conf", "w");
	assert_non_null(f);
	fputs("# generated\nnameserver 127.0.0.53\nnameserver 192.0.2.53\nnameserver ::1\n"
	      "search example.org\n",
	      f);
	fclose(f);
	e = ep("n1", "c1", "172.18.0.2", NULL, 0);
	names_set(st, &e);
	e = ep("n2", "c1", "172.19.0.2", NULL, 0);
	names_set(st, &e);

	/* hosts: to the shared file of the sorted network set, made if missing */
	c.networks = nets;
	c.nnetworks = 2;
	assert_int_equal(hosts_link(st, &c), 0);
	n = readlink(NS_ETC_DIR "/c1/hosts", link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = 0;
	snprintf(want, sizeof(want), "%s/hosts/n1+n2", t->dir);
	assert_string_equal(link, want);
	expect_file(st, "hosts/n1+n2", HEADER "172.18.0.2\tc1\n172.19.0.2\tc1\n");
	/* resolv.conf: the host's without loopback name servers */
	n = readlink(NS_ETC_DIR "/c1/resolv.conf", link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = 0;
	snprintf(want, sizeof(want), "%s/resolv.conf", t->dir);
	assert_string_equal(link, want);
	expect_file(st, "resolv.conf", "# generated\nnameserver 192.0.2.53\nsearch example.org\n");

	/* one network fewer: the link moves, nothing else is left in the folder */
	c.nnetworks = 1;
	assert_int_equal(hosts_link(st, &c), 0);
	n = readlink(NS_ETC_DIR "/c1/hosts", link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = 0;
	snprintf(want, sizeof(want), "%s/hosts/n2", t->dir);
	assert_string_equal(link, want);
	expect_file(st, "hosts/n2", HEADER "172.19.0.2\tc1\n");
	assert_int_equal(access(NS_ETC_DIR "/c1/.hosts.boxnet", F_OK), -1);

	/* no network: both links and the folder go */
	c.nnetworks = 0;
	assert_int_equal(hosts_link(st, &c), 0);
	assert_int_equal(access(NS_ETC_DIR "/c1", F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(NS_ETC_DIR, F_OK), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmpstate_setup, tmpstate_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(write_in_place),
		T(names_lines),
		T(refresh_and_drop),
		T(link_in_netns_etc), /* last: it leaves this process in its own mount namespace */
	};

	return cmocka_run_group_tests_name("hosts", tests, NULL, NULL);
}
