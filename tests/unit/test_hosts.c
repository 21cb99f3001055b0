// SPDX-License-Identifier: GPL-2.0-or-later
/* core/state/hosts: names files per network, the hosts set files shared by
 * hard links and each container's own resolv.conf, rewritten in place (in a private mount namespace with a
 * tmpfs over /etc, or skipped). */
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
		assert_int_equal(ip_parse(s, AF_INET, &e->ip), 0);
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

/* a damaged names file fails every edit, named; names_rebuild writes it
 * anew from the endpoint files */
static void names_damaged(void **state)
{
	struct state *st = tmpstate_open(state);
	static const char *const bad[] = {
		"172.18.0.2\tc1",		 /* cut short */
		"172.18.0.2\tc1\n172.18.",	 /* cut mid-line */
		"x\x8f\x01\n",		 /* garbled */
		"172.18.0.2 c1\n",		 /* no tab */
		"172.18.0.999\tc1\n",	 /* no address */
		"172.18.0.2\tc1\x01x\n",	 /* not printable */
		"172.18.0.2\t\n",		 /* no name */
		"172.18.0.2\t c1\n",	 /* a space first */
		"172.18.0.2\tc1 \n",	 /* a space last */
		"172.18.0.2\tc1  web\n",	 /* two spaces */
		"172.18.0.2\tc1\tweb\n",	 /* a second tab */
		"\n",			 /* an empty line */
		" 172.18.0.2\tc1\n",	 /* a space before the address */
	};
	struct endpoint e = ep("n1", "c3", "172.18.0.4", NULL, 0);
	struct endpoint f = ep("n1", "c1", "172.18.0.2", NULL, 0);

	tmpstate_put(st, "names/n1", "172.18.0.2\tc1 web\nfd00::2\tc1 web\n");
	assert_int_equal(names_check(st, "n1"), 0);
	assert_int_equal(names_check(st, "nosuch"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		tmpstate_put(st, "names/n1", bad[i]);
		assert_int_equal(names_check(st, "n1"), -EBADMSG);
		assert_int_equal(names_set(st, &e), -EBADMSG);
		assert_int_equal(names_del(st, "n1", "c1"), -EBADMSG);
		assert_string_equal(state_load_failed(), "names/n1");
	}
	/* a NUL byte first: not an empty file */
	{
		FILE *f = fopen(tmpstate_path(state, "names/n1"), "w");

		assert_non_null(f);
		assert_int_equal(fwrite("\0x\n", 1, 3, f), 3);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(names_check(st, "n1"), -EBADMSG);
		assert_int_equal(names_set(st, &e), -EBADMSG);
	}
	/* anew from the endpoints: c1's line is back, the garbage gone */
	assert_int_equal(mkdir(tmpstate_path(state, "endpoints/n1"), 0755), 0);
	assert_int_equal(ep_save(st, &f), 0);
	assert_int_equal(names_rebuild(st, "n1"), 0);
	expect_file(st, "names/n1", "172.18.0.2\tc1\n");
	assert_int_equal(names_check(st, "n1"), 0);
}

/* names_read keeps the last version it read or wrote: a file replaced,
 * edited in place or gone since is read again */
static void names_read_sees_changes(void **state)
{
	struct state *st = tmpstate_open(state);
	struct endpoint e = ep("n1", "c3", "172.18.0.4", NULL, 0);
	char *text;
	FILE *f;

	tmpstate_put(st, "names/n1", "172.18.0.2\tc1\n");
	assert_int_equal(names_read(st, "n1", &text), 0);
	assert_string_equal(text, "172.18.0.2\tc1\n");
	free(text);
	assert_int_equal(names_set(st, &e), 0);
	assert_int_equal(names_read(st, "n1", &text), 0);
	assert_string_equal(text, "172.18.0.2\tc1\n172.18.0.4\tc3\n");
	free(text);
	/* the same inode, rewritten */
	assert_non_null(f = fopen(tmpstate_path(state, "names/n1"), "w"));
	assert_int_equal(fputs("172.18.0.9\tc9\n", f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(names_read(st, "n1", &text), 0);
	assert_string_equal(text, "172.18.0.9\tc9\n");
	free(text);
	tmpstate_put(st, "names/n1", "172.18.0.2\tc1 x\x01\n");
	assert_int_equal(names_read(st, "n1", &text), -EBADMSG);
	assert_int_equal(unlink(tmpstate_path(state, "names/n1")), 0);
	assert_int_equal(names_read(st, "n1", &text), 0);
	assert_string_equal(text, "");
	free(text);
}

/*
 * The containers' files live under NS_ETC_DIR (/etc/netns): these tests run
 * only in a private mount namespace whose /etc is an empty tmpfs (root
 * only), so the host's /etc is never touched; otherwise they are skipped.
 */
static bool private_etc(void)
{
	static int done;

	if (done)
		return done > 0;
	done = -1;
	if (strncmp(NS_ETC_DIR, "/etc/", 5))
		return false;
	if (unshare(CLONE_NEWNS) < 0)
		return false;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return false;
	if (mount("boxnet-unit-etc", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") < 0)
		return false;
	/* the /etc this process sees is the new, empty one */
	if (access("/etc/passwd", F_OK) == 0 || errno != ENOENT)
		return false;
	done = 1;
	return true;
}

/* a network record with @gw and the members given, as a connect leaves it */
static void save_net(const struct state *st, const char *name, const char *gw,
		     const char *const *members)
{
	struct network n = { 0 };

	snprintf(n.name, sizeof(n.name), "%s", name);
	memset(n.id, 'a', ID_LEN);
	strcpy(n.driver, "bridge");
	n.used = strdup("");
	assert_int_equal(ip_parse(gw, AF_INET, &n.gateway), 0);
	for (size_t i = 0; members[i]; i++)
		assert_int_equal(members_add(&n.members, members[i], 0), 0);
	assert_int_equal(net_save(st, &n), 0);
	net_free(&n);
}

/* container @name on the NULL-terminated @nets, saved, its files made */
static void join(const struct state *st, const char *name, const char *const *nets)
{
	struct container c = { 0 };

	snprintf(c.name, sizeof(c.name), "%s", name);
	for (size_t i = 0; nets[i]; i++)
		assert_int_equal(ctr_add_network(&c, nets[i]), 0);
	assert_int_equal(ctr_save(st, &c), 0);
	assert_int_equal(hosts_link(st, &c), 0);
	ctr_free(&c);
}

static char *etc_text(const char *ctr, const char *file)
{
	static char buf[4096];
	char path[PATH_MAX];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/%s", NS_ETC_DIR, ctr, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = 0;
	return buf;
}

static void own_files(void **state)
{
	struct state *st;
	struct endpoint e;
	struct stat sb, sb2;
	char path[PATH_MAX];
	int reader;
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
	save_net(st, "n1", "172.18.0.1", (const char *[]){ "a", "b", NULL });
	save_net(st, "n2", "172.19.0.1", (const char *[]){ "b", "c", NULL });
	e = ep("n1", "a", "172.18.0.2", NULL, 0), names_set(st, &e);
	e = ep("n1", "b", "172.18.0.3", NULL, 0), names_set(st, &e);
	e = ep("n2", "b", "172.19.0.3", NULL, 0), names_set(st, &e);
	e = ep("n2", "c", "172.19.0.4", NULL, 0), names_set(st, &e);
	join(st, "a", (const char *[]){ "n1", NULL });
	join(st, "b", (const char *[]){ "n2", "n1", NULL });
	join(st, "c", (const char *[]){ "n2", NULL });

	/* a file per list of networks: its networks' names, nobody else's, and
	 * the host as the gateway of its first network */
	assert_string_equal(etc_text("a", "hosts"), "# boxnet: n1\n" HEADER "172.18.0.1\thost.docker.internal\n"
						    "172.18.0.2\ta\n172.18.0.3\tb\n");
	assert_string_equal(etc_text("b", "hosts"), "# boxnet: n2 n1\n" HEADER "172.19.0.1\thost.docker.internal\n"
						    "172.19.0.3\tb\n172.19.0.4\tc\n"
						    "172.18.0.2\ta\n172.18.0.3\tb\n");
	assert_string_equal(etc_text("c", "hosts"), "# boxnet: n2\n" HEADER "172.19.0.1\thost.docker.internal\n"
						    "172.19.0.3\tb\n172.19.0.4\tc\n");
	assert_int_equal(lstat(NS_ETC_DIR "/a/hosts", &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_string_equal(etc_text("a", "resolv.conf"),
			    "# generated\nnameserver 192.0.2.53\nsearch example.org\n");

	/* d joins n1: it shares a's set file (one inode, a link each); a and b
	 * see it in the same inode, c's file is not touched */
	snprintf(path, sizeof(path), "%s/a/hosts", NS_ETC_DIR);
	reader = open(path, O_RDONLY);
	assert_true(reader >= 0);
	assert_int_equal(stat(NS_ETC_DIR "/c/hosts", &sb), 0);
	save_net(st, "n1", "172.18.0.1", (const char *[]){ "a", "b", "d", NULL });
	e = ep("n1", "d", "172.18.0.5", NULL, 0), names_set(st, &e);
	join(st, "d", (const char *[]){ "n1", NULL });
	assert_int_equal(hosts_refresh(st, "n1"), 0);
	assert_string_equal(read_fd(reader), "# boxnet: n1\n" HEADER
				"172.18.0.1\thost.docker.internal\n"
				"172.18.0.2\ta\n172.18.0.3\tb\n172.18.0.5\td\n");
	assert_int_equal(stat(NS_ETC_DIR "/a/hosts", &sb), 0);
	assert_int_equal(stat(NS_ETC_DIR "/d/hosts", &sb2), 0);
	assert_int_equal(sb.st_ino, sb2.st_ino);
	assert_int_equal(sb.st_nlink, 3);
	assert_int_equal(stat(NS_ETC_DIR "/b/hosts", &sb2), 0);
	assert_int_not_equal(sb.st_ino, sb2.st_ino);
	assert_int_equal(stat(NS_ETC_DIR "/c/hosts", &sb), 0);
	assert_non_null(strstr(etc_text("b", "hosts"), "172.18.0.5\td\n"));
	assert_int_equal(stat(NS_ETC_DIR "/c/hosts", &sb2), 0);
	assert_int_equal(sb2.st_mtim.tv_nsec, sb.st_mtim.tv_nsec);
	assert_int_equal(sb2.st_mtim.tv_sec, sb.st_mtim.tv_sec);
	assert_int_equal(hosts_refresh(st, "nosuch"), 0);

	/* a leaves everything: its files and folder go; a reader of its file
	 * keeps the set file d still links. d, its only holder now, leaves:
	 * the reader loses the names, the set file goes */
	{
		struct container none = { .name = "a" };

		assert_int_equal(ctr_save(st, &none), 0);
		assert_int_equal(hosts_link(st, &none), 0);
		assert_non_null(strstr(read_fd(reader), "172.18.0.5\td\n"));
		assert_null(etc_text("a", "hosts"));
		assert_int_equal(access(NS_ETC_DIR "/a", F_OK), -1);
		assert_int_equal(stat(NS_ETC_DIR "/d/hosts", &sb), 0);
		assert_int_equal(sb.st_nlink, 2);
		strcpy(none.name, "d");
		assert_int_equal(ctr_save(st, &none), 0);
		assert_int_equal(hosts_link(st, &none), 0);
		assert_string_equal(read_fd(reader), HEADER);
		assert_int_equal(fstat(reader, &sb), 0);
		assert_int_equal(sb.st_nlink, 0);
	}
	close(reader);

	/* b, alone on n2 n1, leaves n2: its inode is the set file of n1 now
	 * (no other was there), renamed; the old name is gone */
	{
		assert_int_equal(stat(NS_ETC_DIR "/b/hosts", &sb), 0);
		join(st, "b", (const char *[]){ "n1", NULL });
		assert_int_equal(stat(NS_ETC_DIR "/b/hosts", &sb2), 0);
		assert_int_equal(sb.st_ino, sb2.st_ino);
		assert_int_equal(sb2.st_nlink, 2);
		assert_string_equal(etc_text("b", "hosts"), "# boxnet: n1\n" HEADER
				    "172.18.0.1\thost.docker.internal\n"
				    "172.18.0.2\ta\n172.18.0.3\tb\n172.18.0.5\td\n");
		/* then on n2 alone, where c is: it moves to c's set file, its
		 * own goes */
		join(st, "b", (const char *[]){ "n2", NULL });
		assert_int_equal(stat(NS_ETC_DIR "/b/hosts", &sb), 0);
		assert_int_equal(stat(NS_ETC_DIR "/c/hosts", &sb2), 0);
		assert_int_equal(sb.st_ino, sb2.st_ino);
		assert_int_equal(sb.st_nlink, 3);
	}

	/* a symlink an older boxnet left is replaced by a file of its own */
	assert_int_equal(unlink(NS_ETC_DIR "/c/hosts"), 0);
	assert_int_equal(symlink("/etc/resolv.conf", NS_ETC_DIR "/c/hosts"), 0);
	join(st, "c", (const char *[]){ "n2", NULL });
	assert_int_equal(lstat(NS_ETC_DIR "/c/hosts", &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_nlink, 3); /* b's set file again */
	assert_non_null(strstr(etc_text("c", "resolv.conf"), "192.0.2.53"));

	/* what a killed command or a hand can leave: temporaries, a set file
	 * nobody links, a damaged set file, the link of a container the state
	 * does not know. A sweep with the links puts each thing right */
	{
		int fd;

		assert_int_equal(mkdir(NS_ETC_DIR "/ghost", 0755), 0);
		assert_int_equal(link(NS_ETC_DIR "/c/hosts", NS_ETC_DIR "/ghost/hosts"), 0);
		assert_int_equal(link(NS_ETC_DIR "/c/hosts", NS_ETC_DIR "/.hosts/link.tmp1"), 0);
		fd = open(NS_ETC_DIR "/.hosts/0123456789abcdef", O_WRONLY | O_CREAT, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, "# boxnet: n9\n", 13), 13);
		close(fd);
		fd = open(NS_ETC_DIR "/c/hosts", O_WRONLY | O_APPEND);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, "1.2.3.4 evil\n", 13), 13);
		close(fd);
		assert_int_equal(hosts_sweep(st, true), 0);
		assert_int_equal(access(NS_ETC_DIR "/ghost/hosts", F_OK), -1);
		assert_int_equal(access(NS_ETC_DIR "/.hosts/link.tmp1", F_OK), -1);
		assert_int_equal(access(NS_ETC_DIR "/.hosts/0123456789abcdef", F_OK), -1);
		assert_null(strstr(etc_text("c", "hosts"), "evil"));
		assert_int_equal(stat(NS_ETC_DIR "/c/hosts", &sb), 0);
		assert_int_equal(sb.st_nlink, 3); /* b, c and the set file */
	}

	/* forgetting n1: its names file goes */
	assert_int_equal(names_drop(st, "n1"), 0);
	assert_false(tmpstate_exists(state, "names/n1"));
	assert_true(tmpstate_exists(state, "names/n2"));
	assert_int_equal(names_drop(st, "n1"), 0);
}

/* the text of @dir/@file, NULL when it cannot be read */
static char *file_text(const char *dir, const char *file)
{
	static char buf[4096];
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = 0;
	return buf;
}

/* an OCI hook's container: the same files in its rootfs, kept current in
 * place, best effort once made; a symlinked etc is refused */
static void rootfs_files(void **state)
{
	struct tmpstate *t = *state;
	struct container c = { .name = "x" };
	struct state *st;
	struct endpoint e;
	struct stat sb, sb2;
	char rootfs[PATH_MAX], etc[PATH_MAX], moved[PATH_MAX], other[PATH_MAX];

	if (!private_etc())
		skip();
	st = tmpstate_open(state);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", t->root);
	snprintf(etc, sizeof(etc), "%s/etc", rootfs);
	assert_int_equal(mkdir(rootfs, 0755), 0);
	save_net(st, "r1", "172.20.0.1", (const char *[]){ "x", "y", NULL });
	e = ep("r1", "x", "172.20.0.2", NULL, 0), names_set(st, &e);
	e = ep("r1", "y", "172.20.0.3", NULL, 0), names_set(st, &e);
	join(st, "y", (const char *[]){ "r1", NULL });
	c.rootfs = strdup(rootfs);
	assert_int_equal(ctr_add_network(&c, "r1"), 0);
	assert_int_equal(ctr_save(st, &c), 0);
	assert_int_equal(hosts_link(st, &c), 0);
	assert_int_equal(hosts_rootfs(st, &c), 0);
	assert_string_equal(file_text(etc, "hosts"), etc_text("x", "hosts"));
	assert_non_null(strstr(file_text(etc, "hosts"), "172.20.0.3\ty\n"));
	assert_string_equal(file_text(etc, "resolv.conf"), etc_text("x", "resolv.conf"));

	/* a name more on its network: the same inode has it */
	snprintf(moved, sizeof(moved), "%s/hosts", etc);
	assert_int_equal(stat(moved, &sb), 0);
	e = ep("r1", "z", "172.20.0.4", NULL, 0), names_set(st, &e);
	assert_int_equal(hosts_refresh(st, "r1"), 0);
	assert_non_null(strstr(file_text(etc, "hosts"), "172.20.0.4\tz\n"));
	assert_int_equal(stat(moved, &sb2), 0);
	assert_int_equal(sb.st_ino, sb2.st_ino);

	/* the rootfs gone (a stopped container's, unmounted): no one else fails */
	snprintf(moved, sizeof(moved), "%s/gone", t->root);
	assert_int_equal(rename(rootfs, moved), 0);
	assert_int_equal(hosts_refresh(st, "r1"), 0);
	assert_int_equal(hosts_link(st, &c), 0);
	assert_int_equal(hosts_rootfs(st, &c), -ENOENT);

	/* an etc that links elsewhere (the host's /etc) is never written through */
	snprintf(other, sizeof(other), "%s/elsewhere", t->root);
	assert_int_equal(mkdir(other, 0755), 0);
	assert_int_equal(mkdir(rootfs, 0755), 0);
	assert_int_equal(symlink(other, etc), 0);
	assert_true(hosts_rootfs(st, &c) < 0);
	assert_int_equal(hosts_refresh(st, "r1"), 0);
	assert_null(file_text(other, "hosts"));
	assert_int_equal(unlink(etc), 0);

	/* leaving its last network: the rootfs's hosts keeps no names */
	assert_int_equal(hosts_link(st, &c), 0);
	ctr_del_network(&c, "r1");
	assert_int_equal(hosts_link(st, &c), 0);
	assert_string_equal(file_text(etc, "hosts"), HEADER);
	ctr_free(&c);
}

/* two states (BOXNET_RUN_DIR) share NS_ETC_DIR: a network of the same name
 * in each has set files of its own, and neither's refresh or sweep touches
 * the other's */
static void two_states(void **state)
{
	struct tmpstate *t = *state;
	struct state *st, other;
	char dir2[PATH_MAX];
	struct endpoint e;
	struct stat a, b;

	if (!private_etc())
		skip();
	st = tmpstate_open(state);
	snprintf(dir2, sizeof(dir2), "%s/run2", t->root);
	setenv("BOXNET_RUN_DIR", dir2, 1);
	assert_int_equal(state_open(&other, true), 0);
	setenv("BOXNET_RUN_DIR", t->dir, 1);
	save_net(st, "w", "172.30.0.1", (const char *[]){ "p", NULL });
	save_net(&other, "w", "172.31.0.1", (const char *[]){ "q", NULL });
	e = ep("w", "p", "172.30.0.2", NULL, 0), names_set(st, &e);
	e = ep("w", "q", "172.31.0.2", NULL, 0), names_set(&other, &e);
	join(st, "p", (const char *[]){ "w", NULL });
	join(&other, "q", (const char *[]){ "w", NULL });
	assert_int_equal(stat(NS_ETC_DIR "/p/hosts", &a), 0);
	assert_int_equal(stat(NS_ETC_DIR "/q/hosts", &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	assert_int_equal(hosts_refresh(st, "w"), 0);
	assert_int_equal(hosts_sweep(st, true), 0);
	assert_non_null(strstr(etc_text("q", "hosts"), "172.31.0.2\tq\n"));
	assert_null(strstr(etc_text("q", "hosts"), "172.30.0.2"));
	assert_non_null(strstr(etc_text("p", "hosts"), "172.30.0.2\tp\n"));
	state_close(&other);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmpstate_setup, tmpstate_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(write_in_place),
		T(names_lines),
		T(names_damaged),
		T(names_read_sees_changes),
		T(own_files), /* from here on this process is in its own mount namespace */
		T(rootfs_files),
		T(two_states),
	};

	return cmocka_run_group_tests_name("hosts", tests, NULL, NULL);
}
