// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boxnet's own implementation of the libmnl functions declared in mnl.h, written
 * from libmnl's documented behaviour (no libmnl code). Only built when the binary
 * is not linked against a real libmnl (see ARCHITECTURE.md, "netlink and libmnl").
 */
#ifndef USE_SYSTEM_LIBMNL
#include "netlink/mnl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct mnl_socket {
	int fd;
	struct sockaddr_nl addr;
};

struct mnl_socket *mnl_socket_open(int bus)
{
	return mnl_socket_open2(bus, 0);
}

struct mnl_socket *mnl_socket_open2(int bus, int flags)
{
	struct mnl_socket *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return NULL;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | flags, bus);
	if (nl->fd < 0) {
		free(nl);
		return NULL;
	}
	return nl;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	socklen_t len = sizeof(nl->addr);

	nl->addr = (struct sockaddr_nl){ .nl_family = AF_NETLINK, .nl_groups = groups,
					 .nl_pid = (unsigned)pid };
	if (bind(nl->fd, (struct sockaddr *)&nl->addr, sizeof(nl->addr)) < 0)
		return -1;
	/* the kernel chose our port id: read it back */
	if (getsockname(nl->fd, (struct sockaddr *)&nl->addr, &len) < 0)
		return -1;
	if (len != sizeof(nl->addr) || nl->addr.nl_family != AF_NETLINK) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	int ret = close(nl->fd);

	free(nl);
	return ret;
}

int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	return nl->fd;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	return nl->addr.nl_pid;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req, size_t siz)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	return sendto(nl->fd, req, siz, 0, (const struct sockaddr *)&kernel, sizeof(kernel));
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = siz };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from),
			      .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t ret = recvmsg(nl->fd, &msg, 0);

	if (ret < 0)
		return ret;
	if (msg.msg_flags & MSG_TRUNC) {
		errno = ENOSPC;
		return -1;
	}
	if (msg.msg_namelen != sizeof(from)) {
		errno = EINVAL;
		return -1;
	}
	return ret;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf, socklen_t len)
{
	return setsockopt(nl->fd, SOL_NETLINK, type, buf, len);
}

/* --- messages --- */

size_t mnl_nlmsg_size(size_t len)
{
	return len + MNL_NLMSG_HDRLEN;
}

size_t mnl_nlmsg_get_payload_len(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
}

struct nlmsghdr *mnl_nlmsg_put_header(void *buf)
{
	struct nlmsghdr *nlh = buf;

	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	return nlh;
}

void *mnl_nlmsg_put_extra_header(struct nlmsghdr *nlh, size_t size)
{
	char *p = (char *)nlh + nlh->nlmsg_len;

	nlh->nlmsg_len += MNL_ALIGN(size);
	memset(p, 0, MNL_ALIGN(size));
	return p;
}

bool mnl_nlmsg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       (int)nlh->nlmsg_len <= len;
}

struct nlmsghdr *mnl_nlmsg_next(const struct nlmsghdr *nlh, int *len)
{
	*len -= MNL_ALIGN(nlh->nlmsg_len);
	return (struct nlmsghdr *)((char *)nlh + MNL_ALIGN(nlh->nlmsg_len));
}

bool mnl_nlmsg_seq_ok(const struct nlmsghdr *nlh, unsigned int seq)
{
	return !nlh->nlmsg_seq || !seq || nlh->nlmsg_seq == seq;
}

bool mnl_nlmsg_portid_ok(const struct nlmsghdr *nlh, unsigned int portid)
{
	return !nlh->nlmsg_pid || !portid || nlh->nlmsg_pid == portid;
}

void *mnl_nlmsg_get_payload(const struct nlmsghdr *nlh)
{
	return (char *)nlh + MNL_NLMSG_HDRLEN;
}

void *mnl_nlmsg_get_payload_offset(const struct nlmsghdr *nlh, size_t offset)
{
	return (char *)nlh + MNL_NLMSG_HDRLEN + MNL_ALIGN(offset);
}

void *mnl_nlmsg_get_payload_tail(const struct nlmsghdr *nlh)
{
	return (char *)nlh + MNL_ALIGN(nlh->nlmsg_len);
}

/* --- batches --- */

struct mnl_nlmsg_batch {
	char *buf, *cur;
	size_t limit, len;
	bool overflow;
};

struct mnl_nlmsg_batch *mnl_nlmsg_batch_start(void *buf, size_t limit)
{
	struct mnl_nlmsg_batch *b = malloc(sizeof(*b));

	if (b)
		*b = (struct mnl_nlmsg_batch){ .buf = buf, .cur = buf, .limit = limit };
	return b;
}

bool mnl_nlmsg_batch_next(struct mnl_nlmsg_batch *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->cur;

	/* the message just written stays in place but outside the batch */
	if (b->len + nlh->nlmsg_len > b->limit) {
		b->overflow = true;
		return false;
	}
	b->len += nlh->nlmsg_len;
	b->cur = b->buf + b->len;
	return true;
}

void mnl_nlmsg_batch_stop(struct mnl_nlmsg_batch *b)
{
	free(b);
}

size_t mnl_nlmsg_batch_size(struct mnl_nlmsg_batch *b)
{
	return b->len;
}

void mnl_nlmsg_batch_reset(struct mnl_nlmsg_batch *b)
{
	if (b->overflow) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)b->cur;

		memmove(b->buf, b->cur, nlh->nlmsg_len);
		b->len = nlh->nlmsg_len;
		b->cur = b->buf + b->len;
		b->overflow = false;
	} else {
		b->len = 0;
		b->cur = b->buf;
	}
}

void *mnl_nlmsg_batch_head(struct mnl_nlmsg_batch *b)
{
	return b->buf;
}

void *mnl_nlmsg_batch_current(struct mnl_nlmsg_batch *b)
{
	return b->cur;
}

bool mnl_nlmsg_batch_is_empty(struct mnl_nlmsg_batch *b)
{
	return b->len == 0;
}

/* --- attributes --- */

uint16_t mnl_attr_get_type(const struct nlattr *attr)
{
	return attr->nla_type & NLA_TYPE_MASK;
}

uint16_t mnl_attr_get_len(const struct nlattr *attr)
{
	return attr->nla_len;
}

uint16_t mnl_attr_get_payload_len(const struct nlattr *attr)
{
	return attr->nla_len - MNL_ATTR_HDRLEN;
}

void *mnl_attr_get_payload(const struct nlattr *attr)
{
	return (char *)attr + MNL_ATTR_HDRLEN;
}

uint8_t mnl_attr_get_u8(const struct nlattr *attr)
{
	return *(uint8_t *)mnl_attr_get_payload(attr);
}

uint16_t mnl_attr_get_u16(const struct nlattr *attr)
{
	uint16_t v;

	memcpy(&v, mnl_attr_get_payload(attr), sizeof(v));
	return v;
}

uint32_t mnl_attr_get_u32(const struct nlattr *attr)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(attr), sizeof(v));
	return v;
}

uint64_t mnl_attr_get_u64(const struct nlattr *attr)
{
	uint64_t v;

	/* 64-bit payloads are only 4-byte aligned on the wire */
	memcpy(&v, mnl_attr_get_payload(attr), sizeof(v));
	return v;
}

const char *mnl_attr_get_str(const struct nlattr *attr)
{
	return mnl_attr_get_payload(attr);
}

void mnl_attr_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)
{
	struct nlattr *attr = mnl_nlmsg_get_payload_tail(nlh);
	size_t plen = MNL_ATTR_HDRLEN + len;
	char *payload = mnl_attr_get_payload(attr);

	attr->nla_type = type;
	attr->nla_len = plen;
	if (len)
		memcpy(payload, data, len);
	memset(payload + len, 0, MNL_ALIGN(len) - len);
	nlh->nlmsg_len += MNL_ALIGN(plen);
}

void mnl_attr_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t data)
{
	mnl_attr_put(nlh, type, sizeof(data), &data);
}

void mnl_attr_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t data)
{
	mnl_attr_put(nlh, type, sizeof(data), &data);
}

void mnl_attr_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t data)
{
	mnl_attr_put(nlh, type, sizeof(data), &data);
}

void mnl_attr_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t data)
{
	mnl_attr_put(nlh, type, sizeof(data), &data);
}

void mnl_attr_put_str(struct nlmsghdr *nlh, uint16_t type, const char *data)
{
	mnl_attr_put(nlh, type, strlen(data), data);
}

void mnl_attr_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *data)
{
	mnl_attr_put(nlh, type, strlen(data) + 1, data);
}

bool mnl_attr_put_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, size_t len,
			const void *data)
{
	if (nlh->nlmsg_len + MNL_ATTR_HDRLEN + MNL_ALIGN(len) > buflen)
		return false;
	mnl_attr_put(nlh, type, len, data);
	return true;
}

bool mnl_attr_put_u8_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint8_t data)
{
	return mnl_attr_put_check(nlh, buflen, type, sizeof(data), &data);
}

bool mnl_attr_put_u16_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint16_t data)
{
	return mnl_attr_put_check(nlh, buflen, type, sizeof(data), &data);
}

bool mnl_attr_put_u32_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint32_t data)
{
	return mnl_attr_put_check(nlh, buflen, type, sizeof(data), &data);
}

bool mnl_attr_put_u64_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, uint64_t data)
{
	return mnl_attr_put_check(nlh, buflen, type, sizeof(data), &data);
}

bool mnl_attr_put_str_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const char *data)
{
	return mnl_attr_put_check(nlh, buflen, type, strlen(data), data);
}

bool mnl_attr_put_strz_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const char *data)
{
	return mnl_attr_put_check(nlh, buflen, type, strlen(data) + 1, data);
}

struct nlattr *mnl_attr_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *start = mnl_nlmsg_get_payload_tail(nlh);

	start->nla_type = NLA_F_NESTED | type;
	nlh->nlmsg_len += MNL_ATTR_HDRLEN;
	return start;
}

struct nlattr *mnl_attr_nest_start_check(struct nlmsghdr *nlh, size_t buflen, uint16_t type)
{
	if (nlh->nlmsg_len + MNL_ATTR_HDRLEN > buflen)
		return NULL;
	return mnl_attr_nest_start(nlh, type);
}

void mnl_attr_nest_end(struct nlmsghdr *nlh, struct nlattr *start)
{
	start->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)start;
}

void mnl_attr_nest_cancel(struct nlmsghdr *nlh, struct nlattr *start)
{
	nlh->nlmsg_len -= (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)start;
}

int mnl_attr_type_valid(const struct nlattr *attr, uint16_t maxtype)
{
	if (mnl_attr_get_type(attr) > maxtype) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return 1;
}

/* payload size of the fixed-size types; 0 = variable */
static const size_t fixed_len[MNL_TYPE_MAX] = {
	[MNL_TYPE_U8] = 1, [MNL_TYPE_U16] = 2, [MNL_TYPE_U32] = 4,
	[MNL_TYPE_U64] = 8, [MNL_TYPE_MSECS] = 8,
};

static int validate(const struct nlattr *attr, enum mnl_attr_data_type type, size_t want)
{
	uint16_t len = mnl_attr_get_payload_len(attr);
	const char *p = mnl_attr_get_payload(attr);
	int err = 0;

	if (type >= MNL_TYPE_MAX) {
		errno = EINVAL;
		return -1;
	}
	switch (type) {
	case MNL_TYPE_FLAG:
		if (len)
			err = ERANGE;
		break;
	case MNL_TYPE_NUL_STRING:
		if (!len)
			err = ERANGE;
		else if (p[len - 1])
			err = EINVAL;
		break;
	case MNL_TYPE_STRING:
		if (!len)
			err = ERANGE;
		break;
	case MNL_TYPE_NESTED:
		if (len && len < MNL_ATTR_HDRLEN)
			err = ERANGE;
		break;
	default:
		break;
	}
	if (!err && want && len != want)
		err = ERANGE;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int mnl_attr_validate(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return validate(attr, type, type < MNL_TYPE_MAX ? fixed_len[type] : 0);
}

int mnl_attr_validate2(const struct nlattr *attr, enum mnl_attr_data_type type, size_t len)
{
	return validate(attr, type, len);
}

bool mnl_attr_ok(const struct nlattr *attr, int len)
{
	return len >= (int)sizeof(*attr) && attr->nla_len >= sizeof(*attr) &&
	       (int)attr->nla_len <= len;
}

struct nlattr *mnl_attr_next(const struct nlattr *attr)
{
	return (struct nlattr *)((char *)attr + MNL_ALIGN(attr->nla_len));
}

int mnl_attr_parse_payload(const void *payload, size_t payload_len, mnl_attr_cb_t cb, void *data)
{
	const struct nlattr *attr = payload;
	int len = payload_len, ret;

	for (; mnl_attr_ok(attr, len); len -= MNL_ALIGN(attr->nla_len), attr = mnl_attr_next(attr))
		if ((ret = cb(attr, data)) <= MNL_CB_STOP)
			return ret;
	return MNL_CB_OK;
}

int mnl_attr_parse(const struct nlmsghdr *nlh, unsigned int offset, mnl_attr_cb_t cb, void *data)
{
	char *start = mnl_nlmsg_get_payload_offset(nlh, offset);

	return mnl_attr_parse_payload(start, (char *)mnl_nlmsg_get_payload_tail(nlh) - start, cb,
				      data);
}

int mnl_attr_parse_nested(const struct nlattr *attr, mnl_attr_cb_t cb, void *data)
{
	return mnl_attr_parse_payload(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr), cb,
				      data);
}

/* --- callbacks --- */

static int cb_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* error 0 is the ACK that ends a request */
	errno = e->error < 0 ? -e->error : e->error;
	return e->error ? MNL_CB_ERROR : MNL_CB_STOP;
}

int mnl_cb_run2(const void *buf, size_t numbytes, unsigned int seq, unsigned int portid,
		mnl_cb_t cb_data, void *data, mnl_cb_t *cb_ctl_array, unsigned int cb_ctl_array_len)
{
	const struct nlmsghdr *nlh = buf;
	int len = numbytes, ret = MNL_CB_OK;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (!mnl_nlmsg_portid_ok(nlh, portid)) {
			errno = ESRCH;
			return MNL_CB_ERROR;
		}
		if (!mnl_nlmsg_seq_ok(nlh, seq)) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			errno = EINTR;
			return MNL_CB_ERROR;
		}
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			if (cb_data)
				ret = cb_data(nlh, data);
		} else if (nlh->nlmsg_type < cb_ctl_array_len) {
			if (cb_ctl_array && cb_ctl_array[nlh->nlmsg_type])
				ret = cb_ctl_array[nlh->nlmsg_type](nlh, data);
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			ret = cb_error(nlh);
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			ret = MNL_CB_STOP;
		}
		if (ret <= MNL_CB_STOP)
			return ret;
	}
	return ret;
}

int mnl_cb_run(const void *buf, size_t numbytes, unsigned int seq, unsigned int portid,
	       mnl_cb_t cb_data, void *data)
{
	return mnl_cb_run2(buf, numbytes, seq, portid, cb_data, data, NULL, 0);
}
#endif /* USE_SYSTEM_LIBMNL */
