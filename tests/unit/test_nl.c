// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink/nl.c against scripted kernel replies: mnl_socket_sendto and
 * mnl_socket_recvfrom are wrapped (-Wl,--wrap) so no socket is opened.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "netlink/nl.h"

static char replies[4][1024] __attribute__((aligned(8)));
static size_t reply_len[4];
static int nreplies, next_reply;
static struct nlmsghdr sent;

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *s, const void *req, size_t len)
{
	memcpy(&sent, req, sizeof(sent));
	return len;
}

ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *s, void *buf, size_t len)
{
	assert_true(next_reply < nreplies);
	memcpy(buf, replies[next_reply], reply_len[next_reply]);
	return reply_len[next_reply++];
}

/* append a message to reply number @r */
static struct nlmsghdr *reply(int r, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *n = mnl_nlmsg_put_header(replies[r] + reply_len[r]);

	n->nlmsg_type = type;
	n->nlmsg_flags = flags;
	n->nlmsg_seq = seq;
	if (r >= nreplies)
		nreplies = r + 1;
	return n;
}

static void done(int r, struct nlmsghdr *n)
{
	reply_len[r] += MNL_ALIGN(n->nlmsg_len);
}

static struct nl nl;

static int setup(void **state)
{
	memset(replies, 0, sizeof(replies));
	memset(reply_len, 0, sizeof(reply_len));
	nreplies = next_reply = 0;
	memset(&nl, 0, sizeof(nl));
	nl.sk = (struct mnl_socket *)&nl; /* never dereferenced: the calls are wrapped */
	return 0;
}

static struct nlmsghdr *error_reply(int r, uint32_t seq, int err, const char *extack)
{
	struct nlmsghdr *n = reply(r, NLMSG_ERROR, NLM_F_CAPPED | (extack ? NLM_F_ACK_TLVS : 0), seq);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(n, sizeof(*e));

	e->error = err;
	e->msg.nlmsg_len = 100; /* capped: only the header of the request comes back */
	if (extack)
		mnl_attr_put_strz(n, NLMSGERR_ATTR_MSG, extack);
	return n;
}

static void talk_ack(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_NEWLINK, NLM_F_CREATE, NULL, 16);

	done(0, error_reply(0, req->nlmsg_seq, 0, NULL));
	assert_int_equal(nl_talk(&nl, req, NULL, NULL), 0);
	assert_int_equal(sent.nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK);
	assert_int_equal(sent.nlmsg_len, 32);
	assert_string_equal(nl_errmsg(), "");
}

static void talk_extack(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_NEWLINK, 0, NULL, 16);

	done(0, error_reply(0, req->nlmsg_seq, -EINVAL, "mtu greater than device maximum"));
	assert_int_equal(nl_talk(&nl, req, NULL, NULL), -EINVAL);
	assert_string_equal(nl_errmsg(), "mtu greater than device maximum");
}

static int count(const struct nlmsghdr *n, void *arg)
{
	(*(int *)arg)++;
	return MNL_CB_OK;
}

static void talk_echo(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_NEWLINK, NLM_F_ECHO, NULL, 16);
	int seen = 0;

	done(0, reply(0, RTM_NEWLINK, 0, req->nlmsg_seq));
	done(0, error_reply(0, req->nlmsg_seq, 0, NULL));
	assert_int_equal(nl_talk(&nl, req, count, &seen), 0);
	assert_int_equal(seen, 1);
}

static void dump_two_parts(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_GETLINK, 0, NULL, 16), *n;
	int seen = 0;

	for (int i = 0; i < 3; i++)
		done(0, reply(0, RTM_NEWLINK, NLM_F_MULTI, req->nlmsg_seq));
	done(1, reply(1, RTM_NEWLINK, NLM_F_MULTI, req->nlmsg_seq));
	n = reply(1, NLMSG_DONE, NLM_F_MULTI, req->nlmsg_seq);
	*(int *)mnl_nlmsg_put_extra_header(n, sizeof(int)) = 0;
	done(1, n);
	assert_int_equal(nl_dump(&nl, req, count, &seen), 0);
	assert_int_equal(seen, 4);
	assert_int_equal(sent.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
}

static void dump_error_in_done(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_GETLINK, 0, NULL, 16), *n;
	int seen = 0;

	n = reply(0, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, req->nlmsg_seq);
	*(int *)mnl_nlmsg_put_extra_header(n, sizeof(int)) = -EINVAL;
	mnl_attr_put_strz(n, NLMSGERR_ATTR_MSG, "Filter by device index not supported");
	done(0, n);
	assert_int_equal(nl_dump(&nl, req, count, &seen), -EINVAL);
	assert_string_equal(nl_errmsg(), "Filter by device index not supported");
}

static void dump_interrupted(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_GETLINK, 0, NULL, 16);
	int seen = 0;

	done(0, reply(0, RTM_NEWLINK, NLM_F_MULTI | NLM_F_DUMP_INTR, req->nlmsg_seq));
	assert_int_equal(nl_dump(&nl, req, count, &seen), -EINTR);
}

static void stale_seq_is_an_error(void **state)
{
	struct nlmsghdr *req = nl_req(&nl, RTM_NEWLINK, 0, NULL, 16);

	done(0, error_reply(0, req->nlmsg_seq + 7, 0, NULL));
	assert_int_equal(nl_talk(&nl, req, NULL, NULL), -EPROTO);
}

static void batch_first_error_wins(void **state)
{
	char buf[64] = { 0 };

	done(0, error_reply(0, 11, 0, NULL));
	done(0, error_reply(0, 12, -ENOENT, "No such table"));
	assert_int_equal(nl_send_batch(&nl, buf, sizeof(buf), 3), -ENOENT);
	assert_string_equal(nl_errmsg(), "No such table");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(talk_ack, setup),
		cmocka_unit_test_setup(talk_extack, setup),
		cmocka_unit_test_setup(talk_echo, setup),
		cmocka_unit_test_setup(dump_two_parts, setup),
		cmocka_unit_test_setup(dump_error_in_done, setup),
		cmocka_unit_test_setup(dump_interrupted, setup),
		cmocka_unit_test_setup(stale_seq_is_an_error, setup),
		cmocka_unit_test_setup(batch_first_error_wins, setup),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
