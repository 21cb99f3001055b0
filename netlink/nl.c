// SPDX-License-Identifier: GPL-2.0-or-later
/* Netlink transport: sockets, request/ACK, dumps, batches, extended ACK. */
#include "netlink/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/* the reason of the last failure, for every caller of netlink/ (see nl.h) */
static char why[256];

const char *nl_errmsg(void)
{
	return why;
}

void nl_errmsg_clear(void)
{
	why[0] = 0;
}

int nl_fail(int err, const char *fmt, ...)
{
	char buf[sizeof(why)];
	va_list ap;

	/* through a copy: the arguments may include nl_errmsg() itself, when a
	 * caller puts its own words before the reason a lower step left */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(why, buf, sizeof(why));
	return err;
}

int nl_open(struct nl **out, int bus)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	*out = NULL;
	why[0] = 0;
	if (!nl)
		return -ENOMEM;
	nl->sk = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sk) {
		int err = errno;

		free(nl);
		return -err;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		nl_close(nl);
		return -err;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	*out = nl;
	/* best effort: old kernels lack these and still work */
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bus == NETLINK_ROUTE)
		mnl_socket_setsockopt(nl->sk, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	return 0;
}

int nl_open_netns(struct nl **nl, int bus, int nsfd)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int ret;

	if (self < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(self);
		return ret;
	}
	ret = nl_open(nl, bus);
	/* the socket keeps the namespace it was created in */
	if (setns(self, CLONE_NEWNET) < 0 && !ret) {
		ret = -errno;
		nl_close(*nl);
		*nl = NULL;
	}
	close(self);
	return ret;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl);
}

static struct nlmsghdr *req_at(struct nl *nl, char *at, uint16_t type, uint16_t flags,
			       const void *fam, size_t famlen)
{
	struct nlmsghdr *n = mnl_nlmsg_put_header(at);
	void *h;

	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | flags;
	n->nlmsg_seq = ++nl->seq;
	if (famlen) {
		h = mnl_nlmsg_put_extra_header(n, famlen);
		if (fam)
			memcpy(h, fam, famlen);
	}
	return n;
}

struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags, const void *fam,
			size_t famlen)
{
	return req_at(nl, nl->req, type, flags, fam, famlen);
}

struct nlmsghdr *nl_req_next(struct nl *nl, struct nlmsghdr *prev, uint16_t type, uint16_t flags,
			     const void *fam, size_t famlen)
{
	return req_at(nl, (char *)mnl_nlmsg_get_payload_tail(prev), type, flags, fam, famlen);
}

/* Keep the kernel's explanation that follows an error or a failed DONE. */
static void keep_extack(struct nl *nl, const struct nlmsghdr *n, size_t skip)
{
	const struct nlattr *a;
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(skip);

	if (!(n->nlmsg_flags & NLM_F_ACK_TLVS) || off > n->nlmsg_len)
		return;
	mnl_attr_for_each(a, n, MNL_ALIGN(skip)) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			size_t len = strlen(mnl_attr_get_str(a));

			/* the kernel's texts start lowercase or uppercase; keep as is */
			if (len >= sizeof(why))
				len = sizeof(why) - 1;
			memcpy(why, mnl_attr_get_str(a), len);
			why[len] = 0;
		}
	}
}

static int ctl_error(const struct nlmsghdr *n, void *arg)
{
	struct nl *nl = arg;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(n);
	size_t skip;

	if (mnl_nlmsg_get_payload_len(n) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* capped: only the header of our request is echoed; else all of it */
	skip = sizeof(e->error) +
	       ((n->nlmsg_flags & NLM_F_CAPPED) ? sizeof(e->msg) : e->msg.nlmsg_len);
	keep_extack(nl, n, skip);
	if (e->error) {
		errno = -e->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int ctl_done(const struct nlmsghdr *n, void *arg)
{
	struct nl *nl = arg;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(n) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(n), sizeof(err));
	if (err < 0) {
		keep_extack(nl, n, sizeof(err));
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

struct relay {
	struct nl *nl;
	mnl_cb_t cb;
	void *arg;
};

static int relay_data(const struct nlmsghdr *n, void *arg)
{
	struct relay *r = arg;

	return r->cb ? r->cb(n, r->arg) : MNL_CB_OK;
}

static int relay_error(const struct nlmsghdr *n, void *arg)
{
	return ctl_error(n, ((struct relay *)arg)->nl);
}

static int relay_done(const struct nlmsghdr *n, void *arg)
{
	return ctl_done(n, ((struct relay *)arg)->nl);
}

static int receive(struct nl *nl, unsigned int seq, mnl_cb_t cb, void *arg)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = relay_error,
		[NLMSG_DONE] = relay_done,
	};
	struct relay r = { nl, cb, arg };
	ssize_t len;
	int ret = MNL_CB_OK;

	do {
		len = mnl_socket_recvfrom(nl->sk, nl->rcv, sizeof(nl->rcv));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		errno = 0;
		ret = mnl_cb_run2(nl->rcv, len, seq, nl->portid, relay_data, &r, ctl,
				  MNL_ARRAY_SIZE(ctl));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? -errno : -EPROTO;
	return 0;
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	why[0] = 0;
	req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	return receive(nl, req->nlmsg_seq, cb, arg);
}

int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	why[0] = 0;
	req->nlmsg_flags |= NLM_F_DUMP;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	return receive(nl, req->nlmsg_seq, cb, arg);
}

int nl_talk_all(struct nl *nl, struct nlmsghdr *first, int count, int *errs)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = relay_error };
	struct relay r = { nl, NULL, NULL };
	struct nlmsghdr *n = first;
	size_t len = 0;
	uint32_t seq0 = first->nlmsg_seq;
	int ret = 0, total = count;

	why[0] = 0;
	for (int i = 0; i < count; i++) {
		if (errs)
			errs[i] = 0;
		n->nlmsg_flags |= NLM_F_ACK;
		len += MNL_ALIGN(n->nlmsg_len);
		n = (struct nlmsghdr *)mnl_nlmsg_get_payload_tail(n);
	}
	if (mnl_socket_sendto(nl->sk, first, len) < 0)
		return -errno;
	while (count > 0) {
		ssize_t got = mnl_socket_recvfrom(nl->sk, nl->rcv, sizeof(nl->rcv));
		const struct nlmsghdr *h = (const void *)nl->rcv;
		int left = got;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return ret ? ret : -errno;
		}
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			uint32_t i = h->nlmsg_seq - seq0;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			count--;
			if (errs && i < (uint32_t)total && mnl_nlmsg_get_payload_len(h) >= sizeof(*e))
				errs[i] = e->error;
			/* keep the first error's extack: later ones would overwrite it */
			if (ret)
				continue;
			errno = 0;
			if (mnl_cb_run2(h, h->nlmsg_len, 0, nl->portid, NULL, &r, ctl,
					MNL_ARRAY_SIZE(ctl)) < 0)
				ret = errno ? -errno : -EPROTO;
		}
	}
	return ret;
}

int nl_send_batch(struct nl *nl, const void *buf, size_t len, unsigned int acks)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = relay_error };
	struct relay r = { nl, NULL, NULL };
	int first = 0;

	why[0] = 0;
	if (mnl_socket_sendto(nl->sk, buf, len) < 0)
		return -errno;
	/* sequence numbers differ per message: match on the port only */
	while (acks) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, nl->rcv, sizeof(nl->rcv));
		const struct nlmsghdr *h = (const void *)nl->rcv;
		int left = n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return first ? first : -errno;
		}
		for (; mnl_nlmsg_ok(h, left) && acks; h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			acks--;
			errno = 0;
			if (mnl_cb_run2(h, h->nlmsg_len, 0, nl->portid, NULL, &r, ctl,
					MNL_ARRAY_SIZE(ctl)) < 0 && !first) {
				first = errno ? -errno : -EPROTO;
				/* after a failure the kernel aborts the batch: no more ACKs */
				acks = 0;
			}
		}
	}
	return first;
}

static void fill_tb(const struct nlattr *a, const struct nlattr **tb, unsigned int max)
{
	unsigned int t = mnl_attr_get_type(a);

	if (t <= max)
		tb[t] = a;
}

void nl_attr_parse_tb(const struct nlmsghdr *nlh, size_t off, const struct nlattr **tb,
		      unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each(a, nlh, off)
		fill_tb(a, tb, max);
}

void nl_attr_nested_tb(const struct nlattr *nest, const struct nlattr **tb, unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest)
		fill_tb(a, tb, max);
}
