// SPDX-License-Identifier: GPL-2.0-or-later
/* RTM_NEWNSID / RTM_GETNSID requests and the parser that fills struct nl_nsid. */
#include "netlink/nsid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

int nl_nsid_put_req(struct nlmsghdr *n, size_t cap, const struct nl_nsid_req *q)
{
	if (q->fd >= 0 && !mnl_attr_put_u32_check(n, cap, NETNSA_FD, q->fd))
		return -EMSGSIZE;
	if (q->nsid != NL_NSID_NONE && !mnl_attr_put_u32_check(n, cap, NETNSA_NSID, q->nsid))
		return -EMSGSIZE;
	if (q->target != NL_NSID_NONE &&
	    !mnl_attr_put_u32_check(n, cap, NETNSA_TARGET_NSID, q->target))
		return -EMSGSIZE;
	return 0;
}

/* an s32 attribute, or -EBADMSG when it is not 4 bytes */
static int get_s32(const struct nlattr *a, int *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = (int32_t)mnl_attr_get_u32(a);
	return 0;
}

int nl_nsid_parse(const struct nlmsghdr *n, struct nl_nsid *out)
{
	const struct nlattr *tb[NETNSA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWNSID && n->nlmsg_type != RTM_DELNSID)
		return -EPROTO;
	if (mnl_nlmsg_get_payload_len(n) < sizeof(struct rtgenmsg))
		return -EBADMSG;
	nl_attr_parse_tb(n, sizeof(struct rtgenmsg), tb, NETNSA_MAX);
	memset(out, 0, sizeof(*out));
	out->type = n->nlmsg_type;
	if (!tb[NETNSA_NSID] || get_s32(tb[NETNSA_NSID], &out->nsid) < 0)
		return -EBADMSG;
	if (tb[NETNSA_CURRENT_NSID]) {
		if (get_s32(tb[NETNSA_CURRENT_NSID], &out->current) < 0)
			return -EBADMSG;
		out->has_current = true;
	}
	return 0;
}

/* a request of @type with its rtgenmsg and the attributes of @q */
static struct nlmsghdr *request(struct nl *nl, uint16_t type, const struct nl_nsid_req *q)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nlmsghdr *n = nl_req(nl, type, 0, &g, sizeof(g));

	/* three u32 attributes always fit in NL_REQSZ */
	nl_nsid_put_req(n, NL_REQSZ, q);
	return n;
}

struct reply {
	struct nl_nsid *out;
	bool seen;
};

static int reply_cb(const struct nlmsghdr *n, void *arg)
{
	struct reply *r = arg;

	if (nl_nsid_parse(n, r->out) == 0)
		r->seen = true;
	return MNL_CB_OK;
}

int nl_nsid_get_fd(struct nl *nl, int fd, int *nsid)
{
	struct nl_nsid_req q = { .fd = fd, .nsid = NL_NSID_NONE, .target = NL_NSID_NONE };
	struct nl_nsid one;
	struct reply r = { &one, false };
	int ret = nl_talk(nl, request(nl, RTM_GETNSID, &q), reply_cb, &r);

	if (ret)
		return ret;
	/* a reply without an nsid counts as "none", as in iproute2 */
	*nsid = r.seen ? one.nsid : -1;
	return 0;
}

int nl_nsid_get_id(struct nl *nl, int nsid, int target, struct nl_nsid *out)
{
	struct nl_nsid_req q = { .fd = -1, .nsid = nsid, .target = target };
	struct reply r = { out, false };
	int ret = nl_talk(nl, request(nl, RTM_GETNSID, &q), reply_cb, &r);

	if (ret)
		return ret;
	return r.seen ? 0 : -EBADMSG;
}

int nl_nsid_set(struct nl *nl, int fd, int nsid)
{
	struct nl_nsid_req q = { .fd = fd, .nsid = nsid, .target = NL_NSID_NONE };

	return nl_talk(nl, request(nl, RTM_NEWNSID, &q), NULL, NULL);
}

struct list {
	struct nl_nsid *v;
	size_t n;
};

static int list_cb(const struct nlmsghdr *n, void *arg)
{
	struct list *l = arg;
	struct nl_nsid one, *v;

	if (nl_nsid_parse(n, &one) < 0)
		return MNL_CB_OK; /* skipped, as iproute2 skips what it cannot print */
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	v[l->n++] = one;
	l->v = v;
	return MNL_CB_OK;
}

int nl_nsid_list(struct nl *nl, int target, struct nl_nsid **out, size_t *n)
{
	struct nl_nsid_req q = { .fd = -1, .nsid = NL_NSID_NONE, .target = target };
	struct list l = { NULL, 0 };
	int ret = nl_dump(nl, request(nl, RTM_GETNSID, &q), list_cb, &l);

	if (ret) {
		free(l.v);
		return ret;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
