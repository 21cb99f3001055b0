/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink transport: one socket per namespace, requests that wait for their
 * ACK, dumps, and the kernel's extended-ACK text kept for the caller's error
 * message.
 *
 * The one error convention of netlink/ (rtnetlink, nf_tables, x_tables,
 * conntrack, namespaces): a function returns 0 (or a count / fd / ifindex
 * >= 0) on success and -errno on failure, and when there is more to say than
 * errno — the kernel's extended ACK, or which step failed — the one-line
 * reason is left in nl_errmsg() until the next call that clears it. None
 * prints. The program is single-threaded, so the reason is one buffer, like
 * errno.
 */
#ifndef BOXNET_NL_H
#define BOXNET_NL_H

#include <stddef.h>
#include <stdint.h>

#include "netlink/mnl.h"

#define NL_REQSZ 8192  /* one request, as libmnl's MNL_SOCKET_BUFFER_SIZE */
#define NL_RECVSZ 32768 /* the kernel never builds a dump skb larger than this */

struct nl {
	struct mnl_socket *sk;
	unsigned int portid, seq;
	char req[NL_REQSZ] __attribute__((aligned(8)));
	char rcv[NL_RECVSZ] __attribute__((aligned(8)));
};

/* nl_errmsg - the reason of the last failure, "" when there was none to give.
 * Every request (nl_talk, nl_dump, ...) clears it first. */
const char *nl_errmsg(void);
void nl_errmsg_clear(void);

/* nl_fail - set the reason (printf format) and return @err: how netlink/
 * functions that are not plain requests explain a failure. The arguments may
 * include nl_errmsg() itself, to put a step's words before a lower reason. */
int nl_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * nl_open - allocate a struct nl and open and bind a netlink socket of
 * protocol @bus in the current network namespace, with capped ACKs and
 * extended ACKs on. *@out is the caller's until nl_close; NULL on failure.
 */
int nl_open(struct nl **out, int bus);

/*
 * nl_open_netns - like nl_open, but the socket lives in the namespace @nsfd
 * (an fd of /run/netns/NAME or /proc/PID/ns/net). The calling thread returns
 * to its own namespace before this returns, whatever happens.
 */
int nl_open_netns(struct nl **out, int bus, int nsfd);

/* nl_close - close the socket and free @nl (NULL: nothing). */
void nl_close(struct nl *nl);

/*
 * nl_req - start a request in nl->req: header with @type, NLM_F_REQUEST|@flags,
 * a fresh sequence number, then @famlen bytes of family header copied from @fam
 * (zeroed when @fam is NULL). Attributes are appended with mnl_attr_put*_check
 * using NL_REQSZ as the limit.
 */
struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags, const void *fam,
			size_t famlen);

/*
 * nl_talk - send @req with NLM_F_ACK and wait for the ACK. Messages the kernel
 * sends before it (NLM_F_ECHO replies) go to @cb when it is not NULL.
 * Returns 0, or -errno with nl_errmsg() set from the extended ACK.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *arg);

/*
 * nl_dump - send @req with NLM_F_DUMP and call @cb for every message until
 * NLMSG_DONE. Returns 0, or -errno (an error in NLMSG_DONE, with its extack;
 * -EINTR when a concurrent change interrupted the dump: the caller may retry;
 * a callback returning MNL_CB_ERROR makes it return -errno as the callback set).
 */
int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *arg);

/*
 * nl_req_next - start another request right after @prev in nl->req, so that
 * several requests go to the kernel in one send (nl_talk_all).
 */
struct nlmsghdr *nl_req_next(struct nl *nl, struct nlmsghdr *prev, uint16_t type, uint16_t flags,
			     const void *fam, size_t famlen);

/*
 * nl_talk_all - send the @count requests that start at @first (built with
 * nl_req and nl_req_next) in one message, each with NLM_F_ACK, and wait for all
 * the ACKs. rtnetlink carries on after a failed request: each request's result
 * goes to @errs[i] when @errs is not NULL, and the first error is returned,
 * with its extack.
 */
int nl_talk_all(struct nl *nl, struct nlmsghdr *first, int count, int *errs);

/* nl_send_batch - send @len bytes of messages in @buf (nf_tables batches) and
 * collect ACKs until every message flagged NLM_F_ACK has answered; the first
 * error wins. */
int nl_send_batch(struct nl *nl, const void *buf, size_t len, unsigned int acks);

/* nl_attr_parse_tb - fill @tb[0..max] with the attributes of @nlh after @off
 * bytes of family header (unknown types beyond @max are skipped). */
void nl_attr_parse_tb(const struct nlmsghdr *nlh, size_t off, const struct nlattr **tb,
		      unsigned int max);
void nl_attr_nested_tb(const struct nlattr *nest, const struct nlattr **tb, unsigned int max);

#endif
