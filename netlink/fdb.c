// SPDX-License-Identifier: GPL-2.0-or-later
/* The bridge forwarding database, read over rtnetlink (RTM_GETNEIGH, AF_BRIDGE). */
#include "netlink/link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

struct fdb_collect {
	int br;
	struct nl_fdb *v;
	size_t n, cap;
};

static int collect_fdb(const struct nlmsghdr *n, void *arg)
{
	struct fdb_collect *c = arg;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[NDA_MAX + 1];
	struct nl_fdb *e;

	if (n->nlmsg_type != RTM_NEWNEIGH || mnl_nlmsg_get_payload_len(n) < sizeof(*nd))
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(*nd), tb, NDA_MAX);
	/* NTF_SELF entries are a device's own address lists, not the bridge's;
	 * entries on the bridge device itself are not in brforward either;
	 * stale entries are aged out already (brforward skips them too) */
	if ((nd->ndm_flags & NTF_SELF) || !tb[NDA_MASTER] || !tb[NDA_LLADDR] ||
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6 || nd->ndm_ifindex == c->br ||
	    mnl_attr_get_u32(tb[NDA_MASTER]) != (uint32_t)c->br || (nd->ndm_state & NUD_STALE))
		return MNL_CB_OK;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct nl_fdb *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		c->v = v;
		c->cap = cap;
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
	e->port_index = nd->ndm_ifindex;
	e->is_local = nd->ndm_state & NUD_PERMANENT;
	e->is_static = nd->ndm_state & (NUD_PERMANENT | NUD_NOARP);
	if (!e->is_static && tb[NDA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[NDA_CACHEINFO]) >= sizeof(struct nda_cacheinfo)) {
		struct nda_cacheinfo ci;

		memcpy(&ci, mnl_attr_get_payload(tb[NDA_CACHEINFO]), sizeof(ci));
		e->age = ci.ndm_updated;
	}
	return MNL_CB_OK;
}

int nl_fdb_list(struct nl *nl, int br, struct nl_fdb **out, size_t *n)
{
	struct ndmsg nd = { .ndm_family = AF_BRIDGE };
	struct fdb_collect c = { .br = br };
	struct nlmsghdr *req;
	int ret, tries = 0;

	do {
		c.n = 0;
		req = nl_req(nl, RTM_GETNEIGH, 0, &nd, sizeof(nd));
		mnl_attr_put_u32(req, NDA_MASTER, br);
		ret = nl_dump(nl, req, collect_fdb, &c);
	} while (ret == -EINTR && ++tries < 5);
	if (ret < 0) {
		free(c.v);
		return ret;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}
