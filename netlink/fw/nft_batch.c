// SPDX-License-Identifier: GPL-2.0-or-later
/* nf_tables batches: one growable buffer of messages between BEGIN and END,
 * sent in one sendmsg; committed when END's ACK comes and no error did. */
#include "lib/errstr.h"
#include "netlink/fw/nft_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink/nl.h"


/* ---- batches --------------------------------------------------------------- */

void nft_batch_init(struct nft_batch *b, uint32_t seq)
{
	memset(b, 0, sizeof(*b));
	b->seq = seq;
}

void nft_batch_free(struct nft_batch *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

/* room for one more message; new space is zeroed once, never reused */
static bool reserve(struct nft_batch *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 2 * NFT_MSGMAX;
	char *p;

	while (cap < b->len + need)
		cap *= 2;
	if (cap == b->cap)
		return true;
	p = realloc(b->buf, cap);
	if (!p)
		return false;
	memset(p + b->cap, 0, cap - b->cap);
	b->buf = p;
	b->cap = cap;
	return true;
}

struct nft_w nft_msg(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family)
{
	struct nft_w w = { NULL, 0, true, family };
	struct nfgenmsg *g;

	if (b->err)
		return w;
	if (!reserve(b, NFT_MSGMAX)) {
		b->err = -ENOMEM;
		return w;
	}
	w.n = mnl_nlmsg_put_header(b->buf + b->len);
	w.n->nlmsg_type = type;
	w.n->nlmsg_flags = NLM_F_REQUEST | flags;
	w.n->nlmsg_seq = b->seq++;
	g = mnl_nlmsg_put_extra_header(w.n, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = type < 0x100 ? htons(NFNL_SUBSYS_NFTABLES) : 0;
	w.cap = NFT_MSGMAX;
	w.full = false;
	return w;
}

void nft_msg_end(struct nft_batch *b, struct nft_w *w)
{
	if (!w->n)
		return;
	if (w->full) {
		if (!b->err)
			b->err = -EMSGSIZE;
		return;
	}
	b->len += MNL_ALIGN(w->n->nlmsg_len);
}

void nft_batch_begin(struct nft_batch *b, uint32_t genid)
{
	struct nft_w w = nft_msg(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC);

	if (genid)
		nftw_u32(&w, NFNL_BATCH_GENID, genid);
	nft_msg_end(b, &w);
}

void nft_batch_end(struct nft_batch *b)
{
	struct nft_w w = nft_msg(b, NFNL_MSG_BATCH_END, NLM_F_ACK, AF_UNSPEC);

	nft_msg_end(b, &w);
}

/* ---- commit ---------------------------------------------------------------- */

/* a big batch needs a big socket buffer (the default 208 KiB is one message) */
static void bufsizes(struct nl *nl, size_t len)
{
	int fd = mnl_socket_get_fd(nl->sk);
	int snd = len > (1u << 30) ? 1 << 30 : (int)len + NFT_MSGMAX, rcv = 1 << 20;

	if (len < 128 * 1024)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

static void keep_extack(struct nl *nl, const struct nlmsghdr *h, const struct nlmsgerr *e)
{
	size_t skip = sizeof(int) +
		      ((h->nlmsg_flags & NLM_F_CAPPED) ? sizeof(e->msg) : e->msg.nlmsg_len);
	const struct nlattr *a;

	nl_errmsg_clear();
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || MNL_NLMSG_HDRLEN + MNL_ALIGN(skip) > h->nlmsg_len)
		return;
	mnl_attr_for_each(a, h, MNL_ALIGN(skip))
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			nl_fail(0, "%s", mnl_attr_get_str(a));
}

/* one received buffer: 1 = END acknowledged, 0 = go on; the first error kept */
static int replies(struct nl *nl, int len, uint32_t end, int *first, uint32_t *bad)
{
	const struct nlmsghdr *h = (const void *)nl->rcv;

	for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

		if (h->nlmsg_type != NLMSG_ERROR || mnl_nlmsg_get_payload_len(h) < sizeof(*e))
			continue;
		if (e->error && !*first) {
			*first = e->error;
			*bad = e->msg.nlmsg_seq;
			keep_extack(nl, h, e);
		} else if (!e->error && e->msg.nlmsg_seq == end && !*first) {
			return 1;
		}
	}
	return 0;
}

/* The kernel handles the whole batch inside sendmsg: its errors are queued by
 * then. Committed = END's ACK and no error; after an error, drain and stop. */
static int collect(struct nl *nl, uint32_t end, uint32_t *bad)
{
	int fd = mnl_socket_get_fd(nl->sk), first = 0;

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int r = poll(&pfd, 1, first ? 0 : 10000);
		ssize_t len;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return first ? first : -ETIMEDOUT;
		len = mnl_socket_recvfrom(nl->sk, nl->rcv, sizeof(nl->rcv));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return first ? first : -errno;
		if (replies(nl, (int)len, end, &first, bad))
			return 0;
	}
}

/* "map " or "set " for the set messages */
static const char *kind(unsigned int m, const struct nlattr *name)
{
	if (m != NFT_MSG_NEWSET && m != NFT_MSG_NEWSETELEM && m != NFT_MSG_DELSETELEM)
		return "";
	for (int i = 0; name && i < NFT_NMAPS; i++)
		if (!strcmp(mnl_attr_get_str(name), nft_maps[i].name))
			return nft_maps[i].flags & NFT_SET_MAP ? "map " : "set ";
	return "set ";
}

/* which message failed, in words */
static void describe(const struct nft_batch *b, uint32_t seq, char *buf, size_t len)
{
	static const char *const what[] = {
		[NFT_MSG_NEWTABLE] = "create table", [NFT_MSG_DELTABLE] = "delete table",
		[NFT_MSG_NEWCHAIN] = "create chain", [NFT_MSG_NEWRULE] = "add rule to chain",
		[NFT_MSG_NEWSET] = "create", [NFT_MSG_NEWSETELEM] = "add element to",
		[NFT_MSG_DELSETELEM] = "delete element from", [NFT_MSG_DELCHAIN] = "delete chain",
		[NFT_MSG_DELRULE] = "delete rule from chain",
	};
	static const uint8_t name_attr[] = {
		[NFT_MSG_NEWTABLE] = 1, [NFT_MSG_DELTABLE] = 1, [NFT_MSG_NEWCHAIN] = 3,
		[NFT_MSG_NEWRULE] = 2, [NFT_MSG_NEWSET] = 2, [NFT_MSG_NEWSETELEM] = 2,
		[NFT_MSG_DELSETELEM] = 2, [NFT_MSG_DELCHAIN] = 3, [NFT_MSG_DELRULE] = 2,
	};
	int left = (int)b->len;
	const struct nlmsghdr *n = (const void *)b->buf;

	snprintf(buf, len, "commit");
	for (; mnl_nlmsg_ok(n, left); n = mnl_nlmsg_next(n, &left)) {
		const struct nlattr *tb[4];
		unsigned int m = n->nlmsg_type & 0xff;

		if (n->nlmsg_seq != seq)
			continue;
		if (n->nlmsg_type < 0x100 || m > NFT_MSG_DELSETELEM || !what[m])
			return;
		nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, 3);
		snprintf(buf, len, "%s %s%s", what[m], kind(m, tb[name_attr[m]]),
			 tb[name_attr[m]] ? mnl_attr_get_str(tb[name_attr[m]]) : "?");
		return;
	}
}

int nft_commit(struct nl *nl, const struct nft_batch *b)
{
	uint32_t bad = 0;
	char where[96], extack[256];
	int ret;

	nl_errmsg_clear();
	if (b->err)
		return nl_fail(b->err, "cannot build the nf_tables batch: %s", errstr(-b->err));
	bufsizes(nl, b->len);
	if (mnl_socket_sendto(nl->sk, b->buf, b->len) < 0) {
		ret = -errno;
		return nl_fail(ret, "cannot send the nf_tables batch (%zu bytes): %s", b->len,
			       errstr(-ret));
	}
	ret = collect(nl, b->seq - 1, &bad);
	if (!ret)
		return 0;
	describe(b, bad, where, sizeof(where));
	/* the kernel's extended ACK, if it gave one, goes after our words */
	snprintf(extack, sizeof(extack), "%s", nl_errmsg());
	if (ret == -ERESTART)
		return nl_fail(ret, "%s: the rule set changed meanwhile", where);
	return nl_fail(ret, "%s: %s%s%s", where, errstr(-ret), extack[0] ? ": " : "", extack);
}
