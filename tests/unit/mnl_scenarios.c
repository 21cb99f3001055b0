// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The same libmnl calls, compiled once against the system libmnl and once
 * against boxnet's netlink/mnl.c (see the Makefile): test_mnl.c compares what
 * each produces. SCENARIOS names this copy's entry point.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "netlink/mnl.h"

typedef void (*emit_fn)(const char *what, const void *data, size_t len);

static void emit_int(emit_fn emit, const char *what, long v)
{
	emit(what, &v, sizeof(v));
}

static int count_cb(const struct nlattr *a, void *data)
{
	uint32_t *sum = data;

	/* fold type, length and payload into one number per attribute */
	*sum = *sum * 31 + mnl_attr_get_type(a) * 7 + mnl_attr_get_payload_len(a);
	return mnl_attr_get_type(a) == 99 ? MNL_CB_STOP : MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *n, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int build_link(char *buf, size_t cap)
{
	struct nlmsghdr *n = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(n, sizeof(*ifi));
	struct nlattr *li, *data;
	static const uint8_t mac[6] = { 2, 0x42, 0xac, 0x11, 0, 2 };

	n->nlmsg_type = RTM_NEWLINK;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	n->nlmsg_seq = 42;
	ifi->ifi_index = 7;
	mnl_attr_put_strz(n, IFLA_IFNAME, "br-0123456789a");
	mnl_attr_put(n, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put_u32(n, IFLA_MTU, 1450);
	li = mnl_attr_nest_start(n, IFLA_LINKINFO);
	mnl_attr_put_str(n, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(n, IFLA_INFO_DATA);
	mnl_attr_put_u8(n, IFLA_BR_MCAST_SNOOPING, 1);
	mnl_attr_put_u16(n, IFLA_BR_PRIORITY, 100);
	mnl_attr_put_u32(n, IFLA_BR_STP_STATE, 0);
	mnl_attr_put_u64(n, IFLA_BR_HELLO_TIMER, 0x1122334455667788ULL);
	mnl_attr_nest_end(n, data);
	mnl_attr_nest_end(n, li);
	/* a nest opened and cancelled leaves no trace */
	li = mnl_attr_nest_start(n, IFLA_AF_SPEC);
	mnl_attr_put_u32(n, 1, 5);
	mnl_attr_nest_cancel(n, li);
	(void)cap;
	return n->nlmsg_len;
}

void SCENARIOS(emit_fn emit)
{
	char buf[512] __attribute__((aligned(8)));
	char big[8192] __attribute__((aligned(8)));
	struct nlmsghdr *n;
	struct nlattr *a;
	uint32_t sum = 0;
	int len, count = 0;

	/* libmnl 1.0.4 leaves attribute padding as it finds it; boxnet zeroes
	 * it (test_mnl.c checks that on a dirty buffer): compare on a clean one */
	memset(buf, 0, sizeof(buf));
	len = build_link(buf, sizeof(buf));
	emit("link message", buf, len);
	memset(big, 0xaa, sizeof(big));
	emit("dirty buffer", big, build_link(big, sizeof(big)));

	n = (struct nlmsghdr *)buf;
	emit_int(emit, "put_check fits", mnl_attr_put_u32_check(n, 512, IFLA_GROUP, 1));
	emit_int(emit, "put_check too big", mnl_attr_put_check(n, n->nlmsg_len + 8, 1, 8, buf));
	emit_int(emit, "strz_check too big", mnl_attr_put_strz_check(n, n->nlmsg_len + 4, 3, "abcd"));
	emit_int(emit, "nest_check too big", mnl_attr_nest_start_check(n, n->nlmsg_len + 2, 5) != NULL);
	emit("after checks", buf, n->nlmsg_len);
	emit_int(emit, "payload len", mnl_nlmsg_get_payload_len(n));
	emit_int(emit, "tail offset",
		 (char *)mnl_nlmsg_get_payload_tail(n) - (char *)n);

	/* parsing: top level, then the nested bridge data */
	emit_int(emit, "parse ret", mnl_attr_parse(n, sizeof(struct ifinfomsg), count_cb, &sum));
	emit_int(emit, "parse sum", sum);
	mnl_attr_for_each(a, n, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_LINKINFO) {
			sum = 0;
			emit_int(emit, "nested ret", mnl_attr_parse_nested(a, count_cb, &sum));
			emit_int(emit, "nested sum", sum);
		}
		if (mnl_attr_get_type(a) == IFLA_MTU) {
			emit_int(emit, "u32", mnl_attr_get_u32(a));
			emit_int(emit, "validate u32", mnl_attr_validate(a, MNL_TYPE_U32));
			errno = 0;
			emit_int(emit, "validate u8", mnl_attr_validate(a, MNL_TYPE_U8));
			emit_int(emit, "validate u8 errno", errno);
			emit_int(emit, "validate2", mnl_attr_validate2(a, MNL_TYPE_BINARY, 4));
			errno = 0;
			emit_int(emit, "validate2 short", mnl_attr_validate2(a, MNL_TYPE_BINARY, 3));
			emit_int(emit, "validate2 errno", errno);
		}
		if (mnl_attr_get_type(a) == IFLA_IFNAME) {
			emit_int(emit, "nul string", mnl_attr_validate(a, MNL_TYPE_NUL_STRING));
			emit(mnl_attr_get_str(a), "", 0);
		}
		if (mnl_attr_get_type(a) == IFLA_ADDRESS) {
			errno = 0;
			emit_int(emit, "flag with payload", mnl_attr_validate(a, MNL_TYPE_FLAG));
			emit_int(emit, "flag errno", errno);
		}
	}
	errno = 0;
	emit_int(emit, "type_valid", mnl_attr_type_valid((struct nlattr *)mnl_nlmsg_get_payload_offset(n, 16), 2));
	emit_int(emit, "type_valid errno", errno);

	/* a reply stream: a data message, an ACK, and what follows is not read */
	memset(big, 0, sizeof(big));
	n = mnl_nlmsg_put_header(big);
	n->nlmsg_type = RTM_NEWLINK;
	n->nlmsg_seq = 5;
	n->nlmsg_flags = NLM_F_MULTI;
	mnl_nlmsg_put_extra_header(n, sizeof(struct ifinfomsg));
	len = n->nlmsg_len;
	n = mnl_nlmsg_put_header(big + len);
	n->nlmsg_type = NLMSG_ERROR;
	n->nlmsg_seq = 5;
	((struct nlmsgerr *)mnl_nlmsg_put_extra_header(n, sizeof(struct nlmsgerr)))->error = -EEXIST;
	len += n->nlmsg_len;
	errno = 0;
	emit_int(emit, "cb_run error", mnl_cb_run(big, len, 5, 0, data_cb, &count));
	emit_int(emit, "cb_run errno", errno);
	emit_int(emit, "cb_run count", count);
	errno = 0;
	emit_int(emit, "cb_run bad seq", mnl_cb_run(big, len, 6, 0, data_cb, &count));
	emit_int(emit, "cb_run bad seq errno", errno);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(n))->error = 0;
	emit_int(emit, "cb_run ack", mnl_cb_run(big, len, 5, 0, data_cb, &count));
	n->nlmsg_type = NLMSG_DONE;
	emit_int(emit, "cb_run2 done without ctl", mnl_cb_run2(big, len, 5, 0, data_cb, &count, NULL, 0));
	emit_int(emit, "cb_run count 2", count);

	/* batches: fill to overflow, reset keeps the message that did not fit */
	{
		struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(big, 100);
		int i, fitted = 0;

		for (i = 0; i < 6; i++) {
			n = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
			n->nlmsg_type = 16 + i;
			mnl_attr_put_u32(n, 1, i);
			mnl_attr_put_strz(n, 2, "xyz");
			if (!mnl_nlmsg_batch_next(b))
				break;
			fitted++;
		}
		emit_int(emit, "batch fitted", fitted);
		emit_int(emit, "batch size", mnl_nlmsg_batch_size(b));
		emit("batch bytes", mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b));
		mnl_nlmsg_batch_reset(b);
		emit_int(emit, "batch size after reset", mnl_nlmsg_batch_size(b));
		emit("batch after reset", mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b));
		emit_int(emit, "batch empty", mnl_nlmsg_batch_is_empty(b));
		mnl_nlmsg_batch_reset(b);
		emit_int(emit, "batch empty 2", mnl_nlmsg_batch_is_empty(b));
		mnl_nlmsg_batch_stop(b);
	}
}
