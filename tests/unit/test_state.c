// SPDX-License-Identifier: GPL-2.0-or-later
/* core/state: the state directory and its key=value files (dir.c), the
 * network, endpoint and container records (store.c), published ports
 * (ports.c) and overlays (overlays.c), in a throwaway directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/file.h>

#include "tmpstate.h"
#include "core/state/overlays.h"
#include "core/state/ports.h"
#include "core/state/store.h"
#include "lib/addr.h"

#define N(v) (sizeof(v) / sizeof(*(v)))

/*
 * The address fields of the records, set and checked as text here and only
 * here (struct ipaddr and struct ipprefix).
 */
static void set_addr(struct ipaddr *f, const char *s)
{
	assert_int_equal(ip_parse(s, AF_INET, f), 0);
}

static void check_addr(struct ipaddr f, const char *want)
{
	char buf[IP_STRLEN];

	assert_string_equal(ip_format(&f, buf), want);
}

static void check_no_addr(struct ipaddr f)
{
	assert_false(ip_is_set(&f));
}

/* the published ports' addresses (0.0.0.0: every address, unset) */
static void check_same_addr(struct ipaddr got, struct ipaddr want)
{
	assert_true(ip_eq(&got, &want));
}

static void set_addr4(struct ipaddr *f, const char *s)
{
	assert_int_equal(port_ip_parse(s, f), 0);
}

static void check_addr4(struct ipaddr f, const char *want)
{
	char buf[IP_STRLEN];

	assert_string_equal(port_ip_format(&f, buf), want);
}

static void set_pfx(struct ipprefix *f, const char *s)
{
	assert_int_equal(pfx_parse(s, AF_INET, f), 0);
}

static void check_pfx(const struct ipprefix *f, const char *want)
{
	char buf[PFX_STRLEN];

	assert_string_equal(pfx_format(f, buf), want);
}

/* --- dir.c --------------------------------------------------------------- */

static void open_missing_reads_empty(void **state)
{
	struct tmpstate *t = *state;
	struct state st;
	char *buf = NULL, *dummy, **names = &dummy;
	size_t n = 99;

	assert_int_equal(state_open(&st, false), 0);
	assert_int_equal(st.lockfd, -1);
	assert_int_equal(state_read(&st, "networks/bridge", &buf), -ENOENT);
	assert_null(buf);
	assert_int_equal(state_list(&st, "networks", &names, &n), 0);
	assert_int_equal(n, 0);
	assert_null(names);
	state_close(&st);
	assert_int_equal(access(t->dir, F_OK), -1); /* nothing was created */
	assert_int_equal(errno, ENOENT);

	/* an existing but empty directory: still nothing created in it */
	assert_int_equal(mkdir(t->dir, 0755), 0);
	assert_int_equal(state_open(&st, false), 0);
	assert_true(st.dirfd >= 0);
	assert_int_equal(st.lockfd, -1);
	assert_int_equal(state_read(&st, "networks/bridge", &buf), -ENOENT);
	assert_int_equal(state_list(&st, "networks", &names, &n), 0);
	assert_int_equal(n, 0);
	state_close(&st);
	assert_false(tmpstate_exists(state, "lock"));
	assert_false(tmpstate_exists(state, "networks"));
}

static void open_locked_creates_tree(void **state)
{
	static const char *const sub[] = { "networks", "endpoints", "containers", "names",
					   "ports",    "vxlan" };
	struct tmpstate *t = *state;
	struct state *st = tmpstate_open(state);
	struct stat sb;
	int fd;

	assert_string_equal(st->dir, t->dir);
	for (size_t i = 0; i < N(sub); i++) {
		assert_int_equal(stat(tmpstate_path(state, sub[i]), &sb), 0);
		assert_true(S_ISDIR(sb.st_mode));
	}
	/* the lock is held: another open file description cannot take it */
	fd = open(tmpstate_path(state, "lock"), O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	state_close(st);
	assert_int_equal(st->lockfd, -1);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0); /* released */
	/* and a locked open of the existing tree takes it again */
	flock(fd, LOCK_UN);
	close(fd);
	tmpstate_open(state);
	assert_true(t->st.lockfd >= 0);
}

static void open_refuses_relative_dir(void **state)
{
	struct state st;

	setenv("BOXNET_RUN_DIR", "relative/run", 1);
	assert_int_equal(state_open(&st, false), -EINVAL);
	assert_int_equal(state_open(&st, true), -EINVAL);
	assert_int_equal(access("relative", F_OK), -1);
}

static void write_read_unlink(void **state)
{
	struct state *st = tmpstate_open(state);
	char *buf, big[5000];
	struct dirent *e;
	DIR *d;

	tmpstate_put(st, "networks/a", "one=1\ntwo=2\n");
	buf = tmpstate_text(st, "networks/a");
	assert_string_equal(buf, "one=1\ntwo=2\n");
	free(buf);
	/* @len bytes, not the string */
	assert_int_equal(state_write(st, "networks/a", "xyz=1\nrest", 6), 0);
	buf = tmpstate_text(st, "networks/a");
	assert_string_equal(buf, "xyz=1\n");
	free(buf);
	/* more than the first read buffer */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 26;
	assert_int_equal(state_write(st, "networks/big", big, sizeof(big)), 0);
	buf = tmpstate_text(st, "networks/big");
	assert_int_equal(strlen(buf), sizeof(big));
	assert_memory_equal(buf, big, sizeof(big));
	free(buf);
	/* empty */
	assert_int_equal(state_write(st, "networks/empty", "", 0), 0);
	buf = tmpstate_text(st, "networks/empty");
	assert_string_equal(buf, "");
	free(buf);
	/* no temporary left behind, where the file is nor in the top folder */
	for (int i = 0; i < 2; i++) {
		d = opendir(tmpstate_path(state, i ? "." : "networks"));
		assert_non_null(d);
		while ((e = readdir(d)))
			if (strstr(e->d_name, ".tmp"))
				fail_msg("left behind: %s", e->d_name);
		closedir(d);
	}

	buf = NULL;
	assert_int_equal(state_read(st, "networks/nosuch", &buf), -ENOENT);
	assert_null(buf);
	assert_int_equal(state_write(st, "nosuchdir/x", "a", 1), -ENOENT);
	assert_true(state_has(st, "networks/a"));
	assert_true(state_has(st, "networks"));
	assert_int_equal(state_unlink(st, "networks/a"), 0);
	assert_false(tmpstate_exists(state, "networks/a"));
	assert_false(state_has(st, "networks/a"));
	assert_false(state_has(st, "nosuchdir/x"));
	assert_int_equal(state_read(st, "networks/a", &buf), -ENOENT);
	assert_int_equal(state_unlink(st, "networks/a"), 0); /* absent: no error */
}

static void list_sorted_without_temporaries(void **state)
{
	struct state *st = tmpstate_open(state);
	static const char *const files[] = { "c", "a", "b-2", "b", "x.tmp123", ".hidden", "B" };
	char **names;
	size_t n;

	for (size_t i = 0; i < N(files); i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "names/%s", files[i]);
		tmpstate_put(st, rel, "x=1\n");
	}
	assert_int_equal(state_list(st, "names", &names, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "B");
	assert_string_equal(names[1], "a");
	assert_string_equal(names[2], "b");
	assert_string_equal(names[3], "b-2");
	assert_string_equal(names[4], "c");
	state_list_free(names, n);
	assert_int_equal(state_list(st, "nosuch", &names, &n), 0);
	assert_int_equal(n, 0);
	assert_null(names);
	assert_int_equal(state_list(st, "names/a", &names, &n), -ENOTDIR);
}

static void kv(void **state)
{
	char text[] = "a=1\nnoeq\n\n=novalue\nb=x=y\nempty=\n  c = spaced \na=2\nlast=no newline";
	struct kvs k;
	char many[40 * 8 + 1] = "";

	assert_int_equal(kv_parse(text, &k), 0);
	assert_int_equal(k.n, 6);
	assert_string_equal(kv_get(&k, "a"), "2"); /* the last one wins */
	assert_string_equal(k.v[0].key, "a");
	assert_string_equal(k.v[0].val, "1");
	assert_string_equal(kv_get(&k, "b"), "x=y");
	assert_string_equal(kv_get(&k, "empty"), "");
	assert_string_equal(kv_get(&k, "  c "), " spaced "); /* nothing trimmed */
	assert_null(kv_get(&k, "c"));
	assert_string_equal(kv_get(&k, "last"), "no newline");
	assert_null(kv_get(&k, "noeq"));
	assert_null(kv_get(&k, ""));
	assert_null(kv_get(&k, "nosuch"));
	free(k.v);

	/* more lines than the first allocation */
	for (int i = 0; i < 40; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "k%02d=%d\n", i, i);
	assert_int_equal(kv_parse(many, &k), 0);
	assert_int_equal(k.n, 40);
	assert_string_equal(kv_get(&k, "k00"), "0");
	assert_string_equal(kv_get(&k, "k39"), "39");
	free(k.v);

	text[0] = 0;
	assert_int_equal(kv_parse(text, &k), 0);
	assert_int_equal(k.n, 0);
	assert_null(kv_get(&k, "a"));
	free(k.v);
}

static void sweep_removes_temporaries(void **state)
{
	struct state *st = tmpstate_open(state);
	/* where state_write makes them: the top folder, whatever it writes */
	static const char *const tmp[] = { "journal.tmp77", "write.tmp123", "write.tmp9" };
	static const char *const keep[] = { "firewall",        "networks/n1",  "endpoints/n1/c1",
					    "containers/c1",   "names/n1",
					    "ports/tcp-0.0.0.0-80-80", "vxlan/n1" };

	assert_int_equal(mkdir(tmpstate_path(state, "endpoints/n1"), 0755), 0);
	for (size_t i = 0; i < N(tmp); i++) {
		int fd = open(tmpstate_path(state, tmp[i]), O_WRONLY | O_CREAT | O_EXCL, 0644);

		assert_true(fd >= 0);
		close(fd);
	}
	for (size_t i = 0; i < N(keep); i++)
		tmpstate_put(st, keep[i], "x=1\n");
	state_sweep(st);
	for (size_t i = 0; i < N(tmp); i++)
		if (tmpstate_exists(state, tmp[i]))
			fail_msg("not swept: %s", tmp[i]);
	for (size_t i = 0; i < N(keep); i++)
		if (!tmpstate_exists(state, keep[i]))
			fail_msg("swept: %s", keep[i]);
	assert_true(tmpstate_exists(state, "lock"));
	assert_true(tmpstate_exists(state, "endpoints/n1"));
}

/* --- store.c ------------------------------------------------------------- */

static void pairs_and_members(void **state)
{
	struct pairs p = { 0 };
	struct members m = { 0 };

	assert_int_equal(pairs_add(&p, "a", "1"), 0);
	assert_int_equal(pairs_add(&p, "b", "2"), 0);
	assert_int_equal(pairs_add(&p, "a", "3"), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(pairs_get(&p, "a"), "3");
	assert_string_equal(pairs_get(&p, "b"), "2");
	assert_null(pairs_get(&p, "c"));
	assert_string_equal(p.key[0], "a");
	assert_string_equal(p.val[0], "1");
	pairs_free(&p);
	assert_int_equal(p.n, 0);
	assert_null(p.key);
	assert_null(pairs_get(&p, "a"));

	assert_int_equal(members_add(&m, "c1", 4026532001ul), 0);
	assert_int_equal(members_add(&m, "c2", 0), 0);
	assert_int_equal(members_add(&m, "c3", 7), 0);
	assert_int_equal(members_find(&m, "c1"), 0);
	assert_int_equal(members_find(&m, "c3"), 2);
	assert_int_equal(members_find(&m, "c"), -1);
	members_del(&m, "c2");
	assert_int_equal(m.n, 2);
	assert_string_equal(m.name[0], "c1");
	assert_int_equal(m.ino[0], 4026532001ul);
	assert_string_equal(m.name[1], "c3");
	assert_int_equal(m.ino[1], 7);
	assert_int_equal(members_find(&m, "c2"), -1);
	members_del(&m, "nosuch");
	assert_int_equal(m.n, 2);
	members_del(&m, "c1");
	assert_int_equal(members_find(&m, "c3"), 0);
	assert_int_equal(m.ino[0], 7);
	members_del(&m, "c3");
	assert_int_equal(m.n, 0);
	free(m.name);
	free(m.ino);
}

static const char ID_A[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char ID_B[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/* a network with every field set; @flags picks the booleans (bit 0
 * user_subnet, 1 internal, 2 attachable, 3 predefined, 4 own_bridge) */
static void net_fill(struct network *n, const char *name, unsigned flags)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	strcpy(n->id, ID_A);
	strcpy(n->driver, "bridge");
	strcpy(n->created, "2024-05-06T07:08:09.123456789Z");
	set_pfx(&n->subnet, "10.1.0.0/16");
	set_addr(&n->gateway, "10.1.0.254");
	set_pfx(&n->ip_range, "10.1.5.0/24");
	n->has_range = true;
	n->user_subnet = flags & 1;
	n->internal = flags & 2;
	n->attachable = flags & 4;
	n->predefined = flags & 8;
	n->own_bridge = flags & 16;
	n->mtu = 1400;
	strcpy(n->bridge, "br-0123456789ab");
	n->used = strdup("10.1.0.1-10.1.0.3,10.1.0.254");
	pairs_add(&n->opts, "com.docker.network.bridge.name", "br-0123456789ab");
	pairs_add(&n->opts, "com.docker.network.driver.mtu", "1400");
	pairs_add(&n->labels, "team", "net");
	pairs_add(&n->labels, "com.example.team", "a=b c");
	members_add(&n->members, "c1", 4026532001ul);
	members_add(&n->members, "c2", 0);
}

static void net_check(const struct network *n, const char *name, unsigned flags)
{
	assert_string_equal(n->name, name);
	assert_string_equal(n->id, ID_A);
	assert_string_equal(n->driver, "bridge");
	assert_string_equal(n->created, "2024-05-06T07:08:09.123456789Z");
	check_pfx(&n->subnet, "10.1.0.0/16");
	check_addr(n->gateway, "10.1.0.254");
	assert_true(n->has_range);
	check_pfx(&n->ip_range, "10.1.5.0/24");
	assert_int_equal(n->user_subnet, !!(flags & 1));
	assert_int_equal(n->internal, !!(flags & 2));
	assert_int_equal(n->attachable, !!(flags & 4));
	assert_int_equal(n->predefined, !!(flags & 8));
	assert_int_equal(n->own_bridge, !!(flags & 16));
	assert_int_equal(n->mtu, 1400);
	assert_string_equal(n->bridge, "br-0123456789ab");
	assert_string_equal(n->used, "10.1.0.1-10.1.0.3,10.1.0.254");
	assert_int_equal(n->opts.n, 2);
	assert_string_equal(n->opts.key[0], "com.docker.network.bridge.name");
	assert_string_equal(n->opts.val[0], "br-0123456789ab");
	assert_string_equal(n->opts.key[1], "com.docker.network.driver.mtu");
	assert_string_equal(n->opts.val[1], "1400");
	assert_int_equal(n->labels.n, 2);
	assert_string_equal(pairs_get(&n->labels, "team"), "net");
	assert_string_equal(n->labels.key[1], "com.example.team");
	assert_string_equal(n->labels.val[1], "a=b c");
	assert_int_equal(n->members.n, 2);
	assert_string_equal(n->members.name[0], "c1");
	assert_int_equal(n->members.ino[0], 4026532001ul);
	assert_string_equal(n->members.name[1], "c2");
	assert_int_equal(n->members.ino[1], 0);
}

static void network_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	static const unsigned flagsets[] = { 0x15, 0x0a, 0x1f, 0 };
	struct network n, back;

	for (size_t i = 0; i < N(flagsets); i++) {
		net_fill(&n, "n1", flagsets[i]);
		assert_int_equal(net_save(st, &n), 0);
		net_free(&n);
		assert_int_equal(net_load(st, "n1", &back), 0);
		net_check(&back, "n1", flagsets[i]);
		net_free(&back);
		assert_null(back.used);
		assert_int_equal(back.members.n, 0);
	}
	/* the file is networks/NAME */
	assert_true(tmpstate_exists(state, "networks/n1"));
	assert_int_equal(net_load(st, "nosuch", &back), -ENOENT);

	/* no addresses (host, null): nothing invented */
	memset(&n, 0, sizeof(n));
	strcpy(n.name, "host");
	strcpy(n.driver, "host");
	strcpy(n.id, ID_B);
	assert_int_equal(net_save(st, &n), 0);
	assert_int_equal(net_load(st, "host", &back), 0);
	assert_string_equal(back.driver, "host");
	assert_string_equal(back.id, ID_B);
	assert_int_equal(back.subnet.len, 0);
	check_no_addr(back.gateway);
	assert_false(back.has_range);
	assert_string_equal(back.used, "");
	assert_int_equal(back.opts.n + back.labels.n + back.members.n, 0);
	net_free(&back);
}

static void network_file_of_another_version(void **state)
{
	struct state *st = tmpstate_open(state);
	struct network n;

	/* keys in another order, one unknown, some missing, junk lines */
	tmpstate_put(st, "networks/old",
		     "future_key=whatever\nname=old\ndriver=bridge\nsubnet=192.168.7.0/24\n"
		     "not a key value line\ngateway=192.168.7.1\ninternal=1\nattachable=yes\n"
		     "ep.c9=12345\nopt.x=\nlabel.l=v\n"
		     "id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
	assert_int_equal(net_load(st, "old", &n), 0);
	assert_string_equal(n.name, "old");
	assert_string_equal(n.id, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	check_pfx(&n.subnet, "192.168.7.0/24");
	check_addr(n.gateway, "192.168.7.1");
	assert_false(n.has_range);
	assert_true(n.internal);
	assert_false(n.attachable); /* only "1" is true */
	assert_int_equal(n.mtu, 0);
	assert_string_equal(n.used, "");
	assert_int_equal(n.members.n, 1);
	assert_string_equal(n.members.name[0], "c9");
	assert_int_equal(n.members.ino[0], 12345);
	assert_string_equal(pairs_get(&n.opts, "x"), "");
	assert_string_equal(pairs_get(&n.labels, "l"), "v");
	net_free(&n);

	/* not a whole network of that name: damaged, not a network of empty fields */
	tmpstate_put(st, "networks/cut", "name=cut\ndriver=bridge\n");
	assert_int_equal(net_load(st, "cut", &n), -EBADMSG);
	tmpstate_put(st, "networks/other",
		     "name=else\ndriver=bridge\n"
		     "id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
	assert_int_equal(net_load(st, "other", &n), -EBADMSG);
	tmpstate_put(st, "networks/junk", "\377\376garbage\n");
	assert_int_equal(net_load(st, "junk", &n), -EBADMSG);
}

static void endpoint_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	struct endpoint e = { .network = "n1", .container = "c1", .ifname = "eth0",
			      .veth = "vethab12cd3", .mac = { 0x02, 0x42, 0x0a, 0x01, 0x00, 0x02 } };
	struct endpoint back;
	char *aliases[] = { "web", "db.local" };

	strcpy(e.id, ID_B);
	set_addr(&e.ip, "10.1.0.2");
	e.alias = aliases;
	e.naliases = 2;
	assert_int_equal(mkdir(tmpstate_path(state, "endpoints/n1"), 0755), 0);
	assert_int_equal(ep_save(st, &e), 0);
	assert_true(tmpstate_exists(state, "endpoints/n1/c1"));
	assert_int_equal(ep_load(st, "n1", "c1", &back), 0);
	assert_string_equal(back.network, "n1");
	assert_string_equal(back.container, "c1");
	assert_string_equal(back.id, ID_B);
	assert_string_equal(back.ifname, "eth0");
	assert_string_equal(back.veth, "vethab12cd3");
	assert_memory_equal(back.mac, e.mac, 6);
	check_addr(back.ip, "10.1.0.2");
	assert_int_equal(back.naliases, 2);
	assert_string_equal(back.alias[0], "web");
	assert_string_equal(back.alias[1], "db.local");
	ep_free(&back);
	assert_int_equal(back.naliases, 0);
	assert_null(back.alias);

	/* no address (networks none and host): no MAC either */
	strcpy(e.container, "c2");
	memset(&e.ip, 0, sizeof(e.ip));
	e.naliases = 0;
	assert_int_equal(ep_save(st, &e), 0);
	assert_int_equal(ep_load(st, "n1", "c2", &back), 0);
	check_no_addr(back.ip);
	assert_memory_equal(back.mac, ((uint8_t[6]){ 0 }), 6);
	assert_int_equal(back.naliases, 0);
	ep_free(&back);

	assert_int_equal(ep_remove(st, "n1", "c1"), 0);
	assert_false(tmpstate_exists(state, "endpoints/n1/c1"));
	assert_int_equal(ep_load(st, "n1", "c1", &back), -ENOENT);
	assert_int_equal(ep_remove(st, "n1", "c1"), 0);
	assert_int_equal(ep_load(st, "n2", "c2", &back), -ENOENT);
}

static bool is_id(const char *id)
{
	if (strlen(id) != ID_LEN)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static void container_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	struct container c, back;
	char first_id[ID_LEN + 1];

	/* a new container: a fresh id, no networks, no file */
	assert_int_equal(ctr_load(st, "c1", &c), 0);
	assert_string_equal(c.name, "c1");
	assert_true(is_id(c.id));
	assert_int_equal(c.nnetworks, 0);
	assert_false(tmpstate_exists(state, "containers/c1"));
	strcpy(first_id, c.id);

	assert_int_equal(ctr_add_network(&c, "n2"), 0);
	assert_int_equal(ctr_add_network(&c, "n1"), 0);
	assert_int_equal(ctr_add_network(&c, "n3"), 0);
	strcpy(c.gateway, "n2");
	strcpy(c.gateway6, "n3"); /* n2 is IPv4 only */
	assert_null(c.rootfs); /* none but the OCI hook's containers have one */
	c.rootfs = strdup("/b/rootfs");
	assert_int_equal(ctr_save(st, &c), 0);
	assert_int_equal(ctr_load(st, "c1", &back), 0);
	assert_string_equal(back.id, first_id);
	assert_string_equal(back.gateway, "n2");
	assert_string_equal(back.gateway6, "n3");
	assert_string_equal(back.rootfs, "/b/rootfs");
	assert_int_equal(back.nnetworks, 3); /* in join order */
	assert_string_equal(back.networks[0], "n2");
	assert_string_equal(back.networks[1], "n1");
	assert_string_equal(back.networks[2], "n3");
	ctr_free(&back);

	ctr_del_network(&c, "n1");
	ctr_del_network(&c, "nosuch");
	assert_int_equal(c.nnetworks, 2);
	assert_string_equal(c.networks[1], "n3");
	c.gateway[0] = 0;
	free(c.rootfs);
	c.rootfs = NULL;
	assert_int_equal(ctr_save(st, &c), 0);
	assert_int_equal(ctr_load(st, "c1", &back), 0);
	assert_int_equal(back.nnetworks, 2);
	assert_string_equal(back.networks[0], "n2");
	assert_string_equal(back.networks[1], "n3");
	assert_string_equal(back.gateway, "");
	assert_string_equal(back.gateway6, "n3");
	assert_null(back.rootfs);
	ctr_free(&back);

	/* a file from before gateway6: its one gateway network gave both routes */
	{
		FILE *f = fopen(tmpstate_path(state, "containers/c1"), "w");

		assert_non_null(f);
		fprintf(f, "id=%s\nname=c1\ngateway=n2\nnetwork=n2\n", first_id);
		fclose(f);
	}
	assert_int_equal(ctr_load(st, "c1", &back), 0);
	assert_string_equal(back.gateway, "n2");
	assert_string_equal(back.gateway6, "n2");
	ctr_free(&back);

	/* on no network: the file goes, and the name is a new container again */
	ctr_del_network(&c, "n2");
	ctr_del_network(&c, "n3");
	assert_int_equal(c.nnetworks, 0);
	assert_int_equal(ctr_save(st, &c), 0);
	assert_false(tmpstate_exists(state, "containers/c1"));
	assert_int_equal(ctr_load(st, "c1", &back), 0);
	assert_int_equal(back.nnetworks, 0);
	assert_true(is_id(back.id));
	assert_string_not_equal(back.id, first_id);
	ctr_free(&back);
	ctr_free(&c);
	assert_int_equal(ctr_save(st, &c), 0); /* no file to remove: no error */
}

static void ids_and_times(void **state)
{
	char a[ID_LEN + 1], b[ID_LEN + 1], t[40];

	id_new(a);
	id_new(b);
	assert_true(is_id(a));
	assert_true(is_id(b));
	assert_string_not_equal(a, b);

	/* 2024-05-06T07:08:09[.fraction without trailing zeros]Z */
	time_rfc3339(t);
	size_t n = strlen(t);
	assert_true(n >= 20 && n <= 30);
	for (size_t i = 0; i < 19; i++) {
		const char *shape = "dddd-dd-ddTdd:dd:dd";

		if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
			fail_msg("time %s at %zu", t, i);
	}
	assert_int_equal(t[n - 1], 'Z');
	if (n > 20) {
		assert_int_equal(t[19], '.');
		assert_true(t[n - 2] != '0');
		for (size_t i = 20; i < n - 1; i++)
			assert_true(t[i] >= '0' && t[i] <= '9');
	}
}

/* one time as time_rfc3339_at prints it and as libc's gmtime and strftime do */
static void time_as_gmtime(time_t t, long ns, const char *frac)
{
	struct timespec ts = {t, ns};
	char want[40], got[40];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
	strcat(strcat(want, frac), "Z");
	time_rfc3339_at(got, &ts);
	assert_string_equal(got, want);
}

/* the civil date counted by hand is libc's, across leap days and centuries */
static void times_as_gmtime(void **state)
{
	/* 1972-02-29 and -03-01, 2000-02-29 and -03-01, 2024-02-29, 2100-03-01 */
	static const time_t at[] = {0,         59,         86399,      68169599,   68169600,
				    951782399, 951868800,  1709164800, 1735689599, 4107542400};

	for (size_t i = 0; i < sizeof(at) / sizeof(*at); i++)
		time_as_gmtime(at[i], 0, "");
	for (time_t t = 0; t < 4200000000; t += 86400 * 13 + 3607)
		time_as_gmtime(t, 0, "");
	time_as_gmtime(1715000000, 120000000, ".12");
	time_as_gmtime(1715000000, 1, ".000000001");
}

/* --- ports.c ------------------------------------------------------------- */

static struct port_map port(uint8_t proto, const char *host_ip, uint16_t lo, uint16_t hi,
			    const char *ctr_ip, uint16_t clo, const char *ctr, const char *net)
{
	struct port_map m = { .p = { .proto = proto, .host_lo = lo, .host_hi = hi, .ctr_lo = clo,
				     .ctr_hi = clo + (hi - lo), .bridge = "br-x" } };

	set_addr4(&m.p.host_ip, host_ip);
	set_addr4(&m.p.ctr_ip, ctr_ip);
	m.any_ip = !strcmp(host_ip, "0.0.0.0");
	snprintf(m.container, sizeof(m.container), "%s", ctr);
	snprintf(m.network, sizeof(m.network), "%s", net);
	return m;
}

static void port_check(const struct port_map *m, const struct port_map *want)
{
	assert_int_equal(m->p.proto, want->p.proto);
	check_same_addr(m->p.host_ip, want->p.host_ip);
	assert_int_equal(m->p.host_lo, want->p.host_lo);
	assert_int_equal(m->p.host_hi, want->p.host_hi);
	check_same_addr(m->p.ctr_ip, want->p.ctr_ip);
	assert_int_equal(m->p.ctr_lo, want->p.ctr_lo);
	assert_int_equal(m->p.ctr_hi, want->p.ctr_hi);
	assert_string_equal(m->p.bridge, want->p.bridge);
	assert_string_equal(m->container, want->container);
	assert_string_equal(m->network, want->network);
	assert_int_equal(m->any_ip, want->any_ip);
}

static void ports_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	struct port_map m[4] = {
		port(6, "0.0.0.0", 8080, 8080, "172.18.0.2", 80, "c1", "n1"),
		port(17, "127.0.0.1", 5353, 5353, "172.18.0.3", 53, "c2", "n1"),
		port(132, "10.0.2.15", 9000, 9010, "172.18.0.2", 7000, "c1", "n1"),
		port(6, "0.0.0.0", 8443, 8443, "172.19.0.2", 443, "c1", "n2"),
	};
	struct port_map *all, *gone;
	struct fw_port *keys;
	char **names;
	size_t n;

	/* the folder is made when missing */
	assert_int_equal(rmdir(tmpstate_path(state, "ports")), 0);
	for (size_t i = 0; i < N(m); i++)
		assert_int_equal(port_save(st, &m[i]), 0);
	/* one file per host side, named PROTO-HOSTIP-LO-HI */
	assert_int_equal(state_list(st, "ports", &names, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "sctp-10.0.2.15-9000-9010");
	assert_string_equal(names[1], "tcp-0.0.0.0-8080-8080");
	assert_string_equal(names[2], "tcp-0.0.0.0-8443-8443");
	assert_string_equal(names[3], "udp-127.0.0.1-5353-5353");
	state_list_free(names, n);

	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 4); /* in file name order */
	port_check(&all[0], &m[2]);
	port_check(&all[1], &m[0]);
	port_check(&all[2], &m[3]);
	port_check(&all[3], &m[1]);
	free(all);

	assert_int_equal(ports_load_keys(st, &keys, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(keys[0].proto, 132);
	check_addr4(keys[0].host_ip, "10.0.2.15");
	assert_int_equal(keys[0].host_lo, 9000);
	assert_int_equal(keys[0].host_hi, 9010);
	assert_int_equal(keys[0].ctr_lo, 0); /* the names hold the host side only */
	assert_int_equal(keys[1].proto, 6);
	check_addr4(keys[1].host_ip, "0.0.0.0");
	assert_int_equal(keys[1].host_lo, 8080);
	assert_int_equal(keys[3].proto, 17);
	check_addr4(keys[3].host_ip, "127.0.0.1");
	assert_int_equal(keys[3].host_hi, 5353);
	free(keys);

	/* the same host side again replaces the file */
	m[0] = port(6, "0.0.0.0", 8080, 8080, "172.18.0.9", 8000, "c9", "n1");
	assert_int_equal(port_save(st, &m[0]), 0);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 4);
	port_check(&all[1], &m[0]);
	free(all);

	assert_int_equal(port_remove(st, &m[1]), 0);
	assert_false(tmpstate_exists(state, "ports/udp-127.0.0.1-5353-5353"));
	assert_int_equal(port_remove(st, &m[1]), 0);

	/* c1's port on n1 goes (one: ports_drop counts); c1 on n2 and c9 on n1 stay */
	assert_int_equal(ports_drop(st, "n1", "c1", &gone), 1);
	assert_int_equal(gone[0].p.host_lo, 9000); /* the one dropped */
	free(gone);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 2);
	port_check(&all[0], &m[0]);
	port_check(&all[1], &m[3]);
	free(all);
	assert_int_equal(ports_drop(st, "n3", "c1", NULL), 0);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 2);
	free(all);
}

#define GOOD_PORT                                                                         \
	"container=c1\nnetwork=n1\nproto=tcp\nhost_ip=0.0.0.0\nhost_ports=80-80\n"       \
	"container_ip=172.18.0.2\ncontainer_ports=8080-8080\nbridge=br-x\nany_ip=1\n"

/* ports_in_use of a host side */
static int in_use(struct state *st, uint8_t proto, const char *ip, uint16_t lo, uint16_t hi,
		  struct fw_port *hit)
{
	struct port_map m = port(proto, ip, lo, hi, "172.18.0.9", 80, "cx", "n1");

	return ports_in_use(st, &m.p, hit);
}

/* a host port in use is found through the index portsat/PROTO-PORT/ (a
 * single port) or PROTO-ranges/ (a range), which port_save fills and
 * port_remove empties; an entry without its port file is none; a state from
 * before the index is read whole */
static void ports_in_use_by_index(void **state)
{
	struct state *st = tmpstate_open(state);
	struct port_map m[3] = {
		port(6, "0.0.0.0", 8080, 8080, "172.18.0.2", 80, "c1", "n1"),
		port(132, "10.0.2.15", 9000, 9010, "172.18.0.2", 7000, "c1", "n1"),
		port(17, "0.0.0.0", 53, 53, "172.18.0.3", 53, "c2", "n1"),
	};
	struct fw_port hit;

	assert_int_equal(port_save(st, &m[0]), 0);
	assert_int_equal(port_save(st, &m[1]), 0);
	assert_true(tmpstate_exists(state, "portsat/tcp-8080/tcp-0.0.0.0-8080-8080"));
	assert_true(tmpstate_exists(state, "portsat/sctp-ranges/sctp-10.0.2.15-9000-9010"));
	assert_false(tmpstate_exists(state, "portsat/sctp-9000")); /* one entry a range */
	/* every address against one, one against another, ranges, protocols */
	assert_int_equal(in_use(st, 6, "127.0.0.1", 8080, 8080, &hit), 1);
	assert_int_equal(hit.host_lo, 8080);
	assert_int_equal(hit.proto, 6);
	assert_int_equal(in_use(st, 17, "0.0.0.0", 8080, 8080, &hit), 0);
	assert_int_equal(in_use(st, 6, "0.0.0.0", 8081, 8090, &hit), 0);
	assert_int_equal(in_use(st, 132, "10.0.2.16", 9005, 9005, &hit), 0);
	assert_int_equal(in_use(st, 132, "0.0.0.0", 9005, 9005, &hit), 1); /* in a range */
	assert_int_equal(hit.host_lo, 9000);
	assert_int_equal(in_use(st, 132, "0.0.0.0", 9010, 9020, &hit), 1);
	check_addr4(hit.host_ip, "10.0.2.15");
	assert_int_equal(hit.host_hi, 9010);
	/* a killed command's entry, its file never written: no conflict */
	assert_int_equal(unlink(tmpstate_path(state, "ports/tcp-0.0.0.0-8080-8080")), 0);
	assert_int_equal(in_use(st, 6, "0.0.0.0", 8080, 8080, &hit), 0);
	/* removed: the entries and their folders go */
	assert_int_equal(port_remove(st, &m[1]), 0);
	assert_false(tmpstate_exists(state, "portsat/sctp-ranges"));
	/* a save that fails leaves no entry */
	assert_int_equal(mkdir(tmpstate_path(state, "ports/udp-0.0.0.0-53-53"), 0755), 0);
	assert_int_equal(mkdir(tmpstate_path(state, "ports/udp-0.0.0.0-53-53/x"), 0755), 0);
	assert_int_not_equal(port_save(st, &m[2]), 0);
	assert_false(tmpstate_exists(state, "portsat/udp-53"));
	assert_false(tmpstate_exists(state, "portsby/c2"));
	state_close(st);
}

/* a state from before the index: its port files are read by name, and no
 * index is begun until the last of them is gone */
static void ports_in_use_without_index(void **state)
{
	struct state *st = tmpstate_open(state);
	struct port_map m = port(6, "0.0.0.0", 8443, 8443, "172.18.0.2", 443, "c1", "n1");
	struct fw_port hit;

	tmpstate_put(st, "ports/tcp-0.0.0.0-80-80", GOOD_PORT);
	assert_int_equal(port_save(st, &m), 0);
	assert_false(tmpstate_exists(state, "portsat"));
	assert_int_equal(in_use(st, 6, "10.0.0.1", 80, 80, &hit), 1);
	assert_int_equal(hit.host_lo, 80);
	assert_int_equal(in_use(st, 6, "10.0.0.1", 8443, 8443, &hit), 1);
	assert_int_equal(in_use(st, 6, "10.0.0.1", 81, 81, &hit), 0);
	assert_int_equal(port_remove(st, &m), 0);
	assert_int_equal(unlink(tmpstate_path(state, "ports/tcp-0.0.0.0-80-80")), 0);
	assert_int_equal(port_save(st, &m), 0);
	assert_true(tmpstate_exists(state, "portsat/tcp-8443/tcp-0.0.0.0-8443-8443"));
	state_close(st);
}

/* netprune's rebuild of the index: a damaged one (a file where a folder
 * was, an entry lost, a stray entry) and one a state from before it lacks
 * come out as port_save makes them */
static void ports_index_rebuilt(void **state)
{
	struct state *st = tmpstate_open(state);
	struct port_map a = port(6, "0.0.0.0", 8080, 8080, "172.18.0.2", 80, "c1", "n1"),
			b = port(17, "10.0.2.15", 53, 54, "172.18.0.3", 53, "c2", "n1");
	struct fw_port hit;

	/* a state from before the index gets one */
	tmpstate_put(st, "ports/tcp-0.0.0.0-80-80", GOOD_PORT);
	assert_int_equal(ports_index_rebuild(st), 0);
	assert_true(tmpstate_exists(state, "portsat/tcp-80/tcp-0.0.0.0-80-80"));
	assert_int_equal(port_save(st, &a), 0);
	assert_int_equal(port_save(st, &b), 0);
	assert_int_equal(unlink(tmpstate_path(state, "portsat/tcp-8080/tcp-0.0.0.0-8080-8080")), 0);
	assert_int_equal(rmdir(tmpstate_path(state, "portsat/tcp-8080")), 0);
	tmpstate_put(st, "portsat/tcp-8080", "garbage\n");
	assert_int_equal(unlink(tmpstate_path(state, "portsat/udp-ranges/udp-10.0.2.15-53-54")), 0);
	assert_int_equal(mkdir(tmpstate_path(state, "portsat/udp-99"), 0755), 0);
	tmpstate_put(st, "portsat/udp-99/udp-0.0.0.0-99-99", "");
	assert_true(in_use(st, 6, "0.0.0.0", 8080, 8080, &hit) < 0);
	assert_int_equal(ports_index_rebuild(st), 0);
	assert_true(tmpstate_exists(state, "portsat/tcp-8080/tcp-0.0.0.0-8080-8080"));
	assert_true(tmpstate_exists(state, "portsat/udp-ranges/udp-10.0.2.15-53-54"));
	assert_false(tmpstate_exists(state, "portsat/udp-99"));
	assert_false(tmpstate_exists(state, "portsat.new"));
	assert_int_equal(in_use(st, 6, "0.0.0.0", 8080, 8080, &hit), 1);
	assert_int_equal(in_use(st, 17, "10.0.2.15", 54, 54, &hit), 1);
	assert_int_equal(in_use(st, 6, "127.0.0.1", 80, 80, &hit), 1);
	state_close(st);
}

/* put @text as the only port file besides a good one: ports_load_all and
 * ports_load_keys fail at it, named, and ports_drop_damaged removes it */
static void port_damaged(struct state *st, const char *name, const char *text, bool bad_name)
{
	char rel[128];
	struct port_map *all;
	struct fw_port *keys;
	size_t n;

	snprintf(rel, sizeof(rel), "ports/%s", name);
	tmpstate_put(st, rel, text);
	assert_int_equal(ports_load_all(st, &all, &n), -EBADMSG);
	assert_null(all);
	assert_int_equal(n, 0);
	assert_string_equal(state_load_failed(), rel);
	assert_int_equal(ports_load_keys(st, &keys, &n), bad_name ? -EBADMSG : 0);
	free(keys);
	assert_int_equal(ports_drop_damaged(st), 1);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 1);
	free(all);
}

static void ports_damaged_are_named(void **state)
{
	struct state *st = tmpstate_open(state);
	struct port_map *all;
	struct fw_port *keys;
	size_t n;

	tmpstate_put(st, "ports/tcp-0.0.0.0-80-80", GOOD_PORT);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(all[0].container, "c1");
	assert_int_equal(all[0].p.ctr_lo, 8080);
	assert_int_equal(all[0].p.host_hi, 80);
	assert_true(all[0].any_ip);
	free(all);
	assert_int_equal(ports_drop_damaged(st), 0);

	/* cut short, mid-line or a whole line less; garbled; empty */
	port_damaged(st, "tcp-0.0.0.0-81-81", "container=c1\nnetwork=n1\nproto=tcp\nhost_ip=0.0.", false);
	port_damaged(st, "tcp-0.0.0.0-81-81", "container=c1\nnetwork=n1\nproto=tcp\nhost_ip=0.0.0.0\n", false);
	port_damaged(st, "tcp-0.0.0.0-81-81", "container=c1\nx\xff\x01y\n", false);
	port_damaged(st, "tcp-0.0.0.0-81-81", "", false);
	/* fields that do not parse, or a host side other than the name's */
	port_damaged(st, "tcp-0.0.0.0-81-81", "container=c1\nproto=tcp\nhost_ip=bad\n", false);
	port_damaged(st, "udp-0.0.0.0-82-82", "proto=icmp\nhost_ip=0.0.0.0\ncontainer_ip=172.18.0.2\n", false);
	port_damaged(st, "tcp-0.0.0.0-81-81", GOOD_PORT, false);
	/* names no port has */
	port_damaged(st, "garbage", "x=1\n", true);
	port_damaged(st, "tcp-0.0.0.0-0-5", "x=1\n", true);
	port_damaged(st, "tcp-0.0.0.0-9-8", "x=1\n", true);
	port_damaged(st, "tcp-0.0.0.0-1-65536", "x=1\n", true);
	port_damaged(st, "icmp-0.0.0.0-1-1", "x=1\n", true);
	port_damaged(st, "tcp-1.2.3-1-1", "x=1\n", true);

	/* none at all */
	state_close(st);
	setenv("BOXNET_RUN_DIR", "/nonexistent/boxnet-unit", 1);
	assert_int_equal(state_open(st, false), 0);
	assert_int_equal(ports_load_all(st, &all, &n), 0);
	assert_int_equal(n, 0);
	free(all);
	assert_int_equal(ports_load_keys(st, &keys, &n), 0);
	assert_int_equal(n, 0);
	free(keys);
	state_close(st);
}

/* a damaged overlay file is named; one of another version (a key more or
 * less) is not damaged */
static void vxlan_damaged_are_named(void **state)
{
	struct state *st = tmpstate_open(state);
	struct vxlan back, *all;
	size_t n;

	tmpstate_put(st, "vxlan/n1", "network=n1\nvni=7\ndevice=vx-0123456789ab\nunderlay=eth0\npo");
	assert_int_equal(vxlan_load(st, "n1", &back), -EBADMSG);
	assert_int_equal(vxlan_list(st, &all, &n), -EBADMSG);
	assert_null(all);
	assert_string_equal(state_load_failed(), "vxlan/n1");
	tmpstate_put(st, "vxlan/n1", "network=n1\n\x8f\x01garbage\nvni=7\n");
	assert_int_equal(vxlan_load(st, "n1", &back), -EBADMSG);
	tmpstate_put(st, "vxlan/n1", "network=n2\nvni=7\n");
	assert_int_equal(vxlan_load(st, "n1", &back), -EBADMSG);
	tmpstate_put(st, "vxlan/n1", "network=n1\nvni=x7\n");
	assert_int_equal(vxlan_load(st, "n1", &back), -EBADMSG);
	tmpstate_put(st, "vxlan/n1", "");
	assert_int_equal(vxlan_load(st, "n1", &back), -EBADMSG);
	tmpstate_put(st, "vxlan/n1", "network=n1\nvni=7\nnew=1\n");
	assert_int_equal(vxlan_load(st, "n1", &back), 0);
	assert_int_equal(vxlan_list(st, &all, &n), 0);
	assert_int_equal(n, 1);
	free(all);
}

/* --- overlays.c ---------------------------------------------------------- */

static void vxlan_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	struct vxlan v = { .network = "n1", .dev = "vx-0123456789ab", .underlay = "eth0",
			   .vni = 16777215, .port = 4790, .learning = true, .mtu_was = 1500 };
	struct vxlan back, *all;
	size_t n;

	set_addr(&v.group, "239.1.1.1");
	set_addr(&v.local, "10.200.0.1");
	set_addr(&v.peers[0], "10.200.0.2");
	set_addr(&v.peers[1], "10.200.0.3");
	set_addr(&v.peers[2], "192.0.2.255");
	v.npeers = 3;
	assert_int_equal(rmdir(tmpstate_path(state, "vxlan")), 0); /* made when missing */
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_true(tmpstate_exists(state, "vxlan/n1"));
	assert_int_equal(vxlan_load(st, "n1", &back), 0);
	assert_string_equal(back.network, "n1");
	assert_string_equal(back.dev, "vx-0123456789ab");
	assert_string_equal(back.underlay, "eth0");
	assert_int_equal(back.vni, 16777215);
	assert_int_equal(back.port, 4790);
	assert_true(back.learning);
	assert_false(back.evpn);
	assert_int_equal(back.mtu_was, 1500);
	check_addr(back.group, "239.1.1.1");
	check_addr(back.local, "10.200.0.1");
	assert_int_equal(back.npeers, 3);
	check_addr(back.peers[0], "10.200.0.2");
	check_addr(back.peers[1], "10.200.0.3");
	check_addr(back.peers[2], "192.0.2.255");
	assert_false(back.encrypted);
	assert_int_equal(back.spi_out[0], 0);

	/* encrypted: the SPIs go with their peers (the second has none yet) */
	v.encrypted = true;
	v.spi_out[0] = 0xfedcba98, v.spi_in[0] = 256;
	v.spi_out[2] = 4096, v.spi_in[2] = 4097;
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_int_equal(vxlan_load(st, "n1", &back), 0);
	assert_true(back.encrypted);
	assert_int_equal(back.npeers, 3);
	assert_int_equal(back.spi_out[0], 0xfedcba98);
	assert_int_equal(back.spi_in[0], 256);
	assert_int_equal(back.spi_out[1], 0);
	assert_int_equal(back.spi_in[1], 0);
	assert_int_equal(back.spi_out[2], 4096);
	assert_int_equal(back.spi_in[2], 4097);

	/* an IPv6 underlay: local, group and peers of 16 bytes read back */
	v.encrypted = false;
	assert_int_equal(ip_parse("ff0e::42", AF_INET6, &v.group), 0);
	assert_int_equal(ip_parse("fd99::1", AF_INET6, &v.local), 0);
	assert_int_equal(ip_parse("fd99::2", AF_INET6, &v.peers[0]), 0);
	assert_int_equal(ip_parse("2001:db8::ffff:1", AF_INET6, &v.peers[1]), 0);
	v.npeers = 2;
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_int_equal(vxlan_load(st, "n1", &back), 0);
	check_addr(back.group, "ff0e::42");
	check_addr(back.local, "fd99::1");
	assert_int_equal(back.npeers, 2);
	check_addr(back.peers[0], "fd99::2");
	check_addr(back.peers[1], "2001:db8::ffff:1");

	/* no group, no local, no peers, no learning */
	memset(&v, 0, sizeof(v));
	strcpy(v.network, "n2");
	v.vni = 7;
	v.port = 4789;
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_int_equal(vxlan_load(st, "n2", &back), 0);
	assert_int_equal(back.vni, 7);
	check_no_addr(back.group);
	check_no_addr(back.local);
	assert_int_equal(back.npeers, 0);
	assert_false(back.learning);

	/* control=evpn reads back; a file without the key (older boxnet) is static */
	v.evpn = true;
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_int_equal(vxlan_load(st, "n2", &back), 0);
	assert_true(back.evpn);
	assert_int_equal(state_write(st, "vxlan/n2", "network=n2\nvni=7\n", 17), 0);
	assert_int_equal(vxlan_load(st, "n2", &back), 0);
	assert_int_equal(back.vni, 7);
	assert_false(back.evpn);

	/* as many peers as there may be */
	for (size_t i = 0; i < VXLAN_MAX_PEERS; i++) {
		char ip[IP_STRLEN];

		snprintf(ip, sizeof(ip), "10.0.0.%zu", i + 1);
		set_addr(&v.peers[i], ip);
	}
	v.npeers = VXLAN_MAX_PEERS;
	assert_int_equal(vxlan_save(st, &v), 0);
	assert_int_equal(vxlan_load(st, "n2", &back), 0);
	assert_int_equal(back.npeers, VXLAN_MAX_PEERS);
	{
		char last[IP_STRLEN];

		snprintf(last, sizeof(last), "10.0.0.%d", VXLAN_MAX_PEERS);
		check_addr(back.peers[VXLAN_MAX_PEERS - 1], last);
	}

	assert_int_equal(vxlan_list(st, &all, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(all[0].network, "n1");
	assert_int_equal(all[0].vni, 16777215);
	assert_string_equal(all[1].network, "n2");
	assert_int_equal(all[1].npeers, VXLAN_MAX_PEERS);
	free(all);

	assert_int_equal(vxlan_load(st, "nosuch", &back), -ENOENT);
}

static void vxlan_file_of_another_version(void **state)
{
	struct state *st = tmpstate_open(state);
	struct vxlan back;
	char text[4096] = "vni=5\nfuture=1\npeer=bad\npeer=10.0.0.1\n";

	/* no port: the IANA one; bad peers skipped; no more than the maximum */
	for (int i = 0; i < VXLAN_MAX_PEERS + 6; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "peer=10.1.0.%d\n", i);
	tmpstate_put(st, "vxlan/n1", text);
	assert_int_equal(vxlan_load(st, "n1", &back), 0);
	assert_string_equal(back.network, "n1");
	assert_int_equal(back.vni, 5);
	assert_int_equal(back.port, 4789);
	assert_string_equal(back.dev, "");
	assert_int_equal(back.npeers, VXLAN_MAX_PEERS);
	check_addr(back.peers[0], "10.0.0.1");
	check_addr(back.peers[1], "10.1.0.0");
	{
		char last[IP_STRLEN];

		snprintf(last, sizeof(last), "10.1.0.%d", VXLAN_MAX_PEERS - 2);
		check_addr(back.peers[VXLAN_MAX_PEERS - 1], last);
	}
}

/* IPv6: a dual-stack and an IPv6-only network, an endpoint with both
 * addresses and one with only IPv6 */
static void ipv6_round_trip(void **state)
{
	struct state *st = tmpstate_open(state);
	struct network n = { 0 }, back;
	struct endpoint e = { .network = "v6", .container = "c1", .ifname = "eth0",
			      .veth = "vethab12cd3", .mac = { 0x02, 0x42, 0x12, 0x34, 0x56, 0x78 } };
	struct endpoint eb;
	char buf[PFX_STRLEN];

	strcpy(n.name, "v6");
	strcpy(n.driver, "bridge");
	strcpy(n.id, ID_B);
	n.ipv6 = n.has_range6 = n.user_subnet6 = true;
	assert_int_equal(pfx_parse("fd00:1::/64", AF_INET6, &n.subnet6), 0);
	assert_int_equal(pfx_parse("fd00:1::100/120", AF_INET6, &n.ip_range6), 0);
	assert_int_equal(ip_parse("fd00:1::1", AF_INET6, &n.gateway6), 0);
	n.used6 = "fd00:1::1-fd00:1::7,fd00:1:0:0:ffff::1";
	n.used = "";
	assert_int_equal(net_save(st, &n), 0);
	assert_int_equal(net_load(st, "v6", &back), 0);
	assert_true(back.ipv6 && back.has_range6 && back.user_subnet6);
	assert_false(ip_is_set(&back.subnet.a)); /* IPv6-only: no IPv4 subnet invented */
	assert_string_equal(pfx_format(&back.subnet6, buf), "fd00:1::/64");
	assert_string_equal(pfx_format(&back.ip_range6, buf), "fd00:1::100/120");
	check_addr(back.gateway6, "fd00:1::1");
	assert_string_equal(back.used6, "fd00:1::1-fd00:1::7,fd00:1:0:0:ffff::1");
	net_free(&back);
	/* a network without IPv6 says nothing of it */
	n.ipv6 = false;
	assert_int_equal(net_save(st, &n), 0);
	assert_int_equal(net_load(st, "v6", &back), 0);
	assert_false(back.ipv6 || back.has_range6 || ip_is_set(&back.subnet6.a));
	assert_string_equal(back.used6, "");
	net_free(&back);

	strcpy(e.id, ID_B);
	set_addr(&e.ip, "10.1.0.2");
	assert_int_equal(ip_parse("fd00:1::2", AF_INET6, &e.ip6), 0);
	assert_int_equal(mkdir(tmpstate_path(state, "endpoints/v6"), 0755), 0);
	assert_int_equal(ep_save(st, &e), 0);
	assert_int_equal(ep_load(st, "v6", "c1", &eb), 0);
	check_addr(eb.ip, "10.1.0.2");
	check_addr(eb.ip6, "fd00:1::2");
	ep_free(&eb);
	/* IPv6 only: the MAC is kept all the same */
	memset(&e.ip, 0, sizeof(e.ip));
	assert_int_equal(ep_save(st, &e), 0);
	assert_int_equal(ep_load(st, "v6", "c1", &eb), 0);
	check_no_addr(eb.ip);
	check_addr(eb.ip6, "fd00:1::2");
	assert_memory_equal(eb.mac, e.mac, 6);
	ep_free(&eb);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmpstate_setup, tmpstate_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_missing_reads_empty),
		T(open_locked_creates_tree),
		T(open_refuses_relative_dir),
		T(write_read_unlink),
		T(list_sorted_without_temporaries),
		cmocka_unit_test(kv),
		T(sweep_removes_temporaries),
		cmocka_unit_test(pairs_and_members),
		T(network_round_trip),
		T(network_file_of_another_version),
		T(endpoint_round_trip),
		T(ipv6_round_trip),
		T(container_round_trip),
		cmocka_unit_test(ids_and_times),
		cmocka_unit_test(times_as_gmtime),
		T(ports_round_trip),
		T(ports_damaged_are_named),
		T(ports_in_use_by_index),
		T(ports_in_use_without_index),
		T(ports_index_rebuilt),
		T(vxlan_damaged_are_named),
		T(vxlan_round_trip),
		T(vxlan_file_of_another_version),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
