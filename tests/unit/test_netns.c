// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pure parts of ipnetns: iproute2's name rule, number parsing, subcommand
 * abbreviations (the applet's own table, linked in from applets/ipnetns.c),
 * and the RTM_*NSID messages (built byte for byte as "ip netns" builds them,
 * and parsed from hand-made kernel replies).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "applets/ipnetns.h"
#include "netlink/netns.h"
#include "netlink/nsid.h"

static void names(void **state)
{
	char name[NAME_MAX + 2];

	assert_true(ns_name_valid("a"));
	assert_true(ns_name_valid("kn-one"));
	assert_true(ns_name_valid("..."));
	assert_true(ns_name_valid(".a"));
	assert_true(ns_name_valid("a b")); /* iproute2 allows anything but '/' */
	assert_false(ns_name_valid(""));
	assert_false(ns_name_valid("."));
	assert_false(ns_name_valid(".."));
	assert_false(ns_name_valid("a/b"));
	assert_false(ns_name_valid("/"));
	assert_false(ns_name_valid("a/"));
	memset(name, 'x', NAME_MAX);
	name[NAME_MAX] = 0;
	assert_true(ns_name_valid(name)); /* 255 */
	name[NAME_MAX] = 'x';
	name[NAME_MAX + 1] = 0;
	assert_false(ns_name_valid(name)); /* 256 */
}

static void paths(void **state)
{
	char buf[PATH_MAX], small[18];

	assert_int_equal(ns_path(buf, sizeof(buf), "kn-one"), 0);
	assert_string_equal(buf, NS_RUN_DIR "/kn-one");
	assert_int_equal(ns_path(small, sizeof(small), "kn-one"), 0); /* 17 + NUL */
	assert_int_equal(ns_path(small, sizeof(small), "kn-two2"), -ENAMETOOLONG);
}

static void pids(void **state)
{
	assert_true(ns_is_pid("1"));
	assert_true(ns_is_pid("4194304"));
	assert_true(ns_is_pid("")); /* as iproute2's is_pid */
	assert_false(ns_is_pid("self"));
	assert_false(ns_is_pid("-1"));
	assert_false(ns_is_pid("12a"));
	assert_false(ns_is_pid(" 1"));
}

static void numbers(void **state)
{
	int v = 42;

	assert_int_equal(ns_parse_int("7", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(ns_parse_int("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(ns_parse_int("010", &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(ns_parse_int("-3", &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(ns_parse_int(" 5", &v), 0); /* strtol skips leading space */
	assert_int_equal(v, 5);
	assert_int_equal(ns_parse_int("-2147483648", &v), 0);
	assert_int_equal(v, INT_MIN);
	v = 42;
	assert_int_equal(ns_parse_int("5 ", &v), -EINVAL);
	assert_int_equal(ns_parse_int("abc", &v), -EINVAL);
	assert_int_equal(ns_parse_int("", &v), -EINVAL);
	assert_int_equal(ns_parse_int(NULL, &v), -EINVAL);
	assert_int_equal(ns_parse_int("2147483648", &v), -EINVAL);
	assert_int_equal(ns_parse_int("99999999999999999999", &v), -EINVAL);
	assert_int_equal(ns_parse_int("08", &v), -EINVAL); /* octal */
	assert_int_equal(v, 42); /* untouched on failure */
}

/* the keyword each word resolves to in applets/ipnetns.c's table, NULL: none */
static void verbs(void **state)
{
	static const struct {
		const char *word, *keyword;
	} cases[] = {
		{ "l", "list" },	 { "list", "list" },
		{ "lis", "list" },	 { "ls", "lst" }, /* not a prefix of "list" */
		{ "lst", "lst" },	 { "s", "show" }, /* "show" before "set" */
		{ "sh", "show" },	 { "show", "show" },
		{ "list-", "list-id" },	 { "list-id", "list-id" },
		{ "h", "help" },	 { "help", "help" },
		{ "a", "add" },		 { "ad", "add" }, /* "add" before "attach" */
		{ "at", "attach" },	 { "attach", "attach" },
		{ "se", "set" },	 { "set", "set" },
		{ "d", "delete" },	 { "del", "delete" },
		{ "delete", "delete" },	 { "i", "identify" },
		{ "identify", "identify" }, { "p", "pids" },
		{ "pids", "pids" },	 { "e", "exec" },
		{ "exec", "exec" },	 { "m", "monitor" },
		{ "monitor", "monitor" }, { "", NULL },
		{ "listx", NULL },	 { "list-idx", NULL },
		{ "deletex", NULL },	 { "frob", NULL },
		{ "L", NULL },		 { "sets", NULL },
		{ "-all", NULL },
	};
	const struct ipnetns_verb *list = ipnetns_verb("list");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ipnetns_verb *v = ipnetns_verb(cases[i].word);
		const char *got = v ? v->keyword : NULL;

		if (!got != !cases[i].keyword || (got && strcmp(got, cases[i].keyword)))
			fail_msg("\"%s\": got %s, want %s", cases[i].word, got ? got : "none",
				 cases[i].keyword ? cases[i].keyword : "none");
	}
	/* show and lst are list by another name; list-id is not */
	assert_non_null(list);
	assert_ptr_equal(ipnetns_verb("show")->fn, list->fn);
	assert_ptr_equal(ipnetns_verb("lst")->fn, list->fn);
	assert_ptr_not_equal(ipnetns_verb("list-id")->fn, list->fn);
	assert_ptr_not_equal(ipnetns_verb("set")->fn, list->fn);
}

/* a request as netlink/nsid.c's callers start it: header, rtgenmsg */
static struct nl *nl;

static int setup(void **state)
{
	nl = calloc(1, sizeof(*nl)); /* no socket: only nl_req is used */
	return nl ? 0 : -1;
}

static int teardown(void **state)
{
	free(nl);
	return 0;
}

static struct nlmsghdr *start(uint16_t type)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };

	return nl_req(nl, type, 0, &g, sizeof(g));
}

/* "ip netns set kn-one 7" with the file open as fd 3, as strace shows it */
static void build_set(void **state)
{
	static const unsigned char want[] = {
		0x24, 0, 0, 0, 88, 0, 0x01, 0x00, /* len 36, RTM_NEWNSID, REQUEST */
		1, 0, 0, 0, 0, 0, 0, 0,		  /* seq 1, pid 0 */
		0, 0, 0, 0,			  /* rtgenmsg AF_UNSPEC + padding */
		8, 0, NETNSA_FD, 0, 3, 0, 0, 0,	  /* NETNSA_FD 3 */
		8, 0, NETNSA_NSID, 0, 7, 0, 0, 0, /* NETNSA_NSID 7 */
	};
	struct nl_nsid_req q = { .fd = 3, .nsid = 7, .target = NL_NSID_NONE };
	struct nlmsghdr *n = start(RTM_NEWNSID);

	assert_int_equal(nl_nsid_put_req(n, NL_REQSZ, &q), 0);
	assert_int_equal(n->nlmsg_len, sizeof(want));
	assert_memory_equal(n, want, sizeof(want));
}

/* "auto" is -1 on the wire: the kernel picks */
static void build_set_auto(void **state)
{
	struct nl_nsid_req q = { .fd = 5, .nsid = -1, .target = NL_NSID_NONE };
	struct nlmsghdr *n = start(RTM_NEWNSID);
	const unsigned char *b = (const unsigned char *)n;

	assert_int_equal(nl_nsid_put_req(n, NL_REQSZ, &q), 0);
	assert_int_equal(n->nlmsg_len, 36);
	assert_int_equal(b[30], NETNSA_NSID);
	assert_memory_equal(b + 32, "\xff\xff\xff\xff", 4);
}

/* GETNSID by fd: only NETNSA_FD (the form "ip netns list" sends per name) */
static void build_get_fd(void **state)
{
	struct nl_nsid_req q = { .fd = 9, .nsid = NL_NSID_NONE, .target = NL_NSID_NONE };
	struct nlmsghdr *n = start(RTM_GETNSID);
	const unsigned char *b = (const unsigned char *)n;

	assert_int_equal(nl_nsid_put_req(n, NL_REQSZ, &q), 0);
	assert_int_equal(n->nlmsg_type, RTM_GETNSID);
	assert_int_equal(n->nlmsg_len, 28);
	assert_memory_equal(b + 20, "\x08\x00\x03\x00\x09\x00\x00\x00", 8);
}

/* "list-id nsid 2 target-nsid 1": NSID then TARGET_NSID; a dump with no
 * target carries no attribute at all */
static void build_get_id(void **state)
{
	struct nl_nsid_req q = { .fd = -1, .nsid = 2, .target = 1 };
	struct nl_nsid_req dump = { .fd = -1, .nsid = NL_NSID_NONE, .target = NL_NSID_NONE };
	struct nlmsghdr *n = start(RTM_GETNSID);
	const unsigned char *b = (const unsigned char *)n;

	assert_int_equal(nl_nsid_put_req(n, NL_REQSZ, &q), 0);
	assert_int_equal(n->nlmsg_len, 36);
	assert_memory_equal(b + 20, "\x08\x00\x01\x00\x02\x00\x00\x00", 8);
	assert_memory_equal(b + 28, "\x08\x00\x04\x00\x01\x00\x00\x00", 8);
	n = start(RTM_GETNSID);
	assert_int_equal(nl_nsid_put_req(n, NL_REQSZ, &dump), 0);
	assert_int_equal(n->nlmsg_len, 20);
	assert_int_equal(n->nlmsg_seq, 2);
}

static void build_too_small(void **state)
{
	struct nl_nsid_req q = { .fd = 3, .nsid = 7, .target = NL_NSID_NONE };
	struct nlmsghdr *n = start(RTM_NEWNSID);

	/* room for the FD attribute, not for NSID */
	assert_int_equal(nl_nsid_put_req(n, 28, &q), -EMSGSIZE);
	assert_int_equal(n->nlmsg_len, 28);
}

/* a reply as the kernel builds it: rtgenmsg then the attributes given */
static struct nlmsghdr *reply(void *buf, uint16_t type)
{
	struct nlmsghdr *n = mnl_nlmsg_put_header(buf);

	n->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(n, sizeof(struct rtgenmsg));
	return n;
}

static void parse_reply(void **state)
{
	char buf[256] __attribute__((aligned(8))) = { 0 };
	struct nlmsghdr *n = reply(buf, RTM_NEWNSID);
	struct nl_nsid e;

	mnl_attr_put_u32(n, NETNSA_NSID, 7);
	mnl_attr_put_u32(n, 9, 1234); /* an attribute of a newer kernel */
	assert_int_equal(nl_nsid_parse(n, &e), 0);
	assert_int_equal(e.type, RTM_NEWNSID);
	assert_int_equal(e.nsid, 7);
	assert_false(e.has_current);

	n = reply(buf, RTM_NEWNSID);
	mnl_attr_put_u32(n, NETNSA_NSID, (uint32_t)-1);
	mnl_attr_put_u32(n, NETNSA_CURRENT_NSID, 3);
	assert_int_equal(nl_nsid_parse(n, &e), 0);
	assert_int_equal(e.nsid, -1);
	assert_true(e.has_current);
	assert_int_equal(e.current, 3);
}

static void parse_bad(void **state)
{
	char buf[256] __attribute__((aligned(8))) = { 0 };
	struct nlmsghdr *n = reply(buf, RTM_NEWLINK);
	struct nl_nsid e;

	mnl_attr_put_u32(n, NETNSA_NSID, 1);
	assert_int_equal(nl_nsid_parse(n, &e), -EPROTO);
	n = reply(buf, RTM_NEWNSID); /* no NETNSA_NSID */
	mnl_attr_put_u32(n, NETNSA_CURRENT_NSID, 1);
	assert_int_equal(nl_nsid_parse(n, &e), -EBADMSG);
	n = reply(buf, RTM_NEWNSID); /* NETNSA_NSID of 2 bytes */
	mnl_attr_put_u16(n, NETNSA_NSID, 1);
	assert_int_equal(nl_nsid_parse(n, &e), -EBADMSG);
	n = mnl_nlmsg_put_header(buf); /* no room for the rtgenmsg */
	n->nlmsg_type = RTM_NEWNSID;
	assert_int_equal(nl_nsid_parse(n, &e), -EBADMSG);
}

/* an attribute running past the end of the message is not read */
static void parse_truncated(void **state)
{
	char buf[256] __attribute__((aligned(8))) = { 0 };
	struct nlmsghdr *n = reply(buf, RTM_NEWNSID);
	struct nl_nsid e;

	mnl_attr_put_u32(n, NETNSA_NSID, 4);
	n->nlmsg_len -= 4; /* the tail is 4-aligned: cut a whole word */
	assert_int_equal(nl_nsid_parse(n, &e), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(paths),
		cmocka_unit_test(pids),
		cmocka_unit_test(numbers),
		cmocka_unit_test(verbs),
		cmocka_unit_test_setup_teardown(build_set, setup, teardown),
		cmocka_unit_test_setup_teardown(build_set_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(build_get_fd, setup, teardown),
		cmocka_unit_test_setup_teardown(build_get_id, setup, teardown),
		cmocka_unit_test_setup_teardown(build_too_small, setup, teardown),
		cmocka_unit_test(parse_reply),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(parse_truncated),
	};

	return cmocka_run_group_tests_name("netns", tests, NULL, NULL);
}
