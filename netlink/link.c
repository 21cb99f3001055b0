// SPDX-License-Identifier: GPL-2.0-or-later
/* RTM_*LINK requests and the parser that fills struct nl_link. */
#include "netlink/link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

static uint64_t get_u64(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) >= 8 ? mnl_attr_get_u64(a) : 0;
}

/* attribute readers that tolerate short or missing attributes */
static uint32_t get_uint(const struct nlattr *a)
{
	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	}
	return 0;
}

static void get_id(const struct nlattr *a, uint8_t id[8])
{
	if (a && mnl_attr_get_payload_len(a) == 8)
		memcpy(id, mnl_attr_get_payload(a), 8);
}

static void get_str(const struct nlattr *a, char *dst, size_t size)
{
	size_t len;

	if (!a)
		return;
	len = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = 0;
}

static void parse_bridge(const struct nlattr *data, struct nl_bridge *b)
{
	const struct nlattr *tb[IFLA_BR_MAX + 1];

	nl_attr_nested_tb(data, tb, IFLA_BR_MAX);
	get_id(tb[IFLA_BR_BRIDGE_ID], b->id);
	get_id(tb[IFLA_BR_ROOT_ID], b->root_id);
	b->root_port = get_uint(tb[IFLA_BR_ROOT_PORT]);
	b->priority = get_uint(tb[IFLA_BR_PRIORITY]);
	b->root_path_cost = get_uint(tb[IFLA_BR_ROOT_PATH_COST]);
	b->stp_state = get_uint(tb[IFLA_BR_STP_STATE]);
	b->forward_delay = get_uint(tb[IFLA_BR_FORWARD_DELAY]);
	b->hello_time = get_uint(tb[IFLA_BR_HELLO_TIME]);
	b->max_age = get_uint(tb[IFLA_BR_MAX_AGE]);
	b->ageing_time = get_uint(tb[IFLA_BR_AGEING_TIME]);
	b->topology_change = get_uint(tb[IFLA_BR_TOPOLOGY_CHANGE]);
	b->topology_change_detected = get_uint(tb[IFLA_BR_TOPOLOGY_CHANGE_DETECTED]);
	if (tb[IFLA_BR_HELLO_TIMER])
		b->hello_timer = get_u64(tb[IFLA_BR_HELLO_TIMER]);
	if (tb[IFLA_BR_TCN_TIMER])
		b->tcn_timer = get_u64(tb[IFLA_BR_TCN_TIMER]);
	if (tb[IFLA_BR_TOPOLOGY_CHANGE_TIMER])
		b->topology_change_timer = get_u64(tb[IFLA_BR_TOPOLOGY_CHANGE_TIMER]);
	if (tb[IFLA_BR_GC_TIMER])
		b->gc_timer = get_u64(tb[IFLA_BR_GC_TIMER]);
}

static void parse_brport(const struct nlattr *data, struct nl_brport *p)
{
	const struct nlattr *tb[IFLA_BRPORT_MAX + 1];

	nl_attr_nested_tb(data, tb, IFLA_BRPORT_MAX);
	p->no = get_uint(tb[IFLA_BRPORT_NO]);
	p->id = get_uint(tb[IFLA_BRPORT_ID]);
	p->priority = get_uint(tb[IFLA_BRPORT_PRIORITY]);
	p->designated_port = get_uint(tb[IFLA_BRPORT_DESIGNATED_PORT]);
	p->designated_cost = get_uint(tb[IFLA_BRPORT_DESIGNATED_COST]);
	p->cost = get_uint(tb[IFLA_BRPORT_COST]);
	p->state = get_uint(tb[IFLA_BRPORT_STATE]);
	p->hairpin = get_uint(tb[IFLA_BRPORT_MODE]);
	p->topology_change_ack = get_uint(tb[IFLA_BRPORT_TOPOLOGY_CHANGE_ACK]);
	p->config_pending = get_uint(tb[IFLA_BRPORT_CONFIG_PENDING]);
	get_id(tb[IFLA_BRPORT_ROOT_ID], p->designated_root);
	get_id(tb[IFLA_BRPORT_BRIDGE_ID], p->designated_bridge);
	if (tb[IFLA_BRPORT_MESSAGE_AGE_TIMER])
		p->message_age_timer = get_u64(tb[IFLA_BRPORT_MESSAGE_AGE_TIMER]);
	if (tb[IFLA_BRPORT_FORWARD_DELAY_TIMER])
		p->forward_delay_timer = get_u64(tb[IFLA_BRPORT_FORWARD_DELAY_TIMER]);
	if (tb[IFLA_BRPORT_HOLD_TIMER])
		p->hold_timer = get_u64(tb[IFLA_BRPORT_HOLD_TIMER]);
}

static int parse_link(const struct nlmsghdr *n, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(n);
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	char slave_kind[16] = "";

	if (n->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(n) < sizeof(*ifi))
		return -EBADMSG;
	memset(l, 0, sizeof(*l));
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_netnsid = -1;
	nl_attr_parse_tb(n, sizeof(*ifi), tb, IFLA_MAX);
	get_str(tb[IFLA_IFNAME], l->name, sizeof(l->name));
	l->mtu = get_uint(tb[IFLA_MTU]);
	l->master = get_uint(tb[IFLA_MASTER]);
	l->link = get_uint(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->link_netnsid = (int32_t)get_uint(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (!tb[IFLA_LINKINFO])
		return 0;
	nl_attr_nested_tb(tb[IFLA_LINKINFO], li, IFLA_INFO_MAX);
	get_str(li[IFLA_INFO_KIND], l->kind, sizeof(l->kind));
	get_str(li[IFLA_INFO_SLAVE_KIND], slave_kind, sizeof(slave_kind));
	if (!strcmp(l->kind, "bridge")) {
		l->is_bridge = true;
		if (li[IFLA_INFO_DATA])
			parse_bridge(li[IFLA_INFO_DATA], &l->br);
	}
	if (!strcmp(slave_kind, "bridge")) {
		l->is_port = true;
		if (li[IFLA_INFO_SLAVE_DATA])
			parse_brport(li[IFLA_INFO_SLAVE_DATA], &l->port);
	}
	return 0;
}

struct collect {
	struct nl_links *out;
	size_t cap;
};

static int collect_link(const struct nlmsghdr *n, void *arg)
{
	struct collect *c = arg;
	struct nl_links *o = c->out;

	if (o->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct nl_link *v = realloc(o->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		o->v = v;
		c->cap = cap;
	}
	if (parse_link(n, &o->v[o->n]) == 0)
		o->n++;
	return MNL_CB_OK;
}

static void put_ext_mask(struct nlmsghdr *n)
{
	/* statistics are half of every link message and nobody here reads them */
	mnl_attr_put_u32(n, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

int nl_link_list(struct nl *nl, const char *kind, struct nl_links *out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct collect c = { out, 0 };
	struct nlmsghdr *n;
	int ret, tries = 0;

	do {
		free(out->v);
		*out = (struct nl_links){ 0 };
		c.cap = 0;
		n = nl_req(nl, RTM_GETLINK, 0, &ifi, sizeof(ifi));
		put_ext_mask(n);
		if (kind) {
			struct nlattr *li = mnl_attr_nest_start(n, IFLA_LINKINFO);

			mnl_attr_put_str(n, IFLA_INFO_KIND, kind);
			mnl_attr_nest_end(n, li);
		}
		ret = nl_dump(nl, n, collect_link, &c);
	} while (ret == -EINTR && ++tries < 5);
	if (ret < 0) {
		free(out->v);
		*out = (struct nl_links){ 0 };
	}
	return ret;
}

static int one_link(const struct nlmsghdr *n, void *arg)
{
	parse_link(n, arg);
	return MNL_CB_OK;
}

int nl_link_get(struct nl *nl, const char *name, int index, struct nl_link *out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = name ? 0 : index };
	struct nlmsghdr *n = nl_req(nl, RTM_GETLINK, 0, &ifi, sizeof(ifi));

	if (name) {
		if (strlen(name) >= IF_NAMESIZE || !*name)
			return -ENODEV;
		mnl_attr_put_strz(n, IFLA_IFNAME, name);
	}
	put_ext_mask(n);
	memset(out, 0, sizeof(*out));
	return nl_talk(nl, n, one_link, out);
}

static int link_change(struct nl *nl, int index, unsigned int flags, unsigned int change,
		       uint16_t attr, uint32_t value)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index,
				 .ifi_flags = flags, .ifi_change = change };
	struct nlmsghdr *n = nl_req(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));

	if (attr)
		mnl_attr_put_u32(n, attr, value);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_link_del(struct nl *nl, int index)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };

	return nl_talk(nl, nl_req(nl, RTM_DELLINK, 0, &ifi, sizeof(ifi)), NULL, NULL);
}

int nl_link_set_master(struct nl *nl, int index, int master)
{
	return link_change(nl, index, 0, 0, IFLA_MASTER, master);
}

int nl_link_set_up(struct nl *nl, int index, bool up)
{
	return link_change(nl, index, up ? IFF_UP : 0, IFF_UP, 0, 0);
}

int nl_link_set_mtu(struct nl *nl, int index, unsigned int mtu)
{
	return link_change(nl, index, 0, 0, IFLA_MTU, mtu);
}

struct nlmsghdr *nl_link_new(struct nl *nl, const struct nl_newlink *s, struct nlattr **linkinfo)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = s->up ? IFF_UP : 0,
				 .ifi_change = s->up ? IFF_UP : 0 };
	struct nlmsghdr *n = nl_req(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));

	mnl_attr_put_strz(n, IFLA_IFNAME, s->name);
	if (s->mac)
		mnl_attr_put(n, IFLA_ADDRESS, 6, s->mac);
	if (s->mtu)
		mnl_attr_put_u32(n, IFLA_MTU, s->mtu);
	if (s->master)
		mnl_attr_put_u32(n, IFLA_MASTER, s->master);
	*linkinfo = mnl_attr_nest_start(n, IFLA_LINKINFO);
	mnl_attr_put_str(n, IFLA_INFO_KIND, s->kind);
	return n;
}

int nl_bridge_add(struct nl *nl, const struct nl_bridge_spec *s)
{
	struct nl_newlink nl_new = { .name = s->name, .kind = "bridge", .mac = s->mac, .mtu = s->mtu };
	struct nlmsghdr *n;
	struct nlattr *li;
	struct nl_link l;
	int ret;

	if (strlen(s->name) >= IF_NAMESIZE)
		return -ERANGE;
	n = nl_link_new(nl, &nl_new, &li);
	mnl_attr_nest_end(n, li);
	ret = nl_talk(nl, n, NULL, NULL);
	if (ret < 0)
		return ret;
	ret = nl_link_get(nl, s->name, 0, &l);
	return ret < 0 ? ret : l.index;
}

static int bridge_set(struct nl *nl, int index, uint16_t attr, const void *v, size_t len)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	struct nlmsghdr *n = nl_req(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	struct nlattr *li = mnl_attr_nest_start(n, IFLA_LINKINFO), *data;

	mnl_attr_put_str(n, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(n, IFLA_INFO_DATA);
	mnl_attr_put(n, attr, len, v);
	mnl_attr_nest_end(n, data);
	mnl_attr_nest_end(n, li);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_bridge_set_u32(struct nl *nl, int index, uint16_t attr, uint32_t value)
{
	return bridge_set(nl, index, attr, &value, sizeof(value));
}

int nl_bridge_set_u16(struct nl *nl, int index, uint16_t attr, uint16_t value)
{
	return bridge_set(nl, index, attr, &value, sizeof(value));
}

int nl_brport_set(struct nl *nl, int index, uint16_t attr, uint32_t value, int size)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = index };
	struct nlmsghdr *n = nl_req(nl, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	struct nlattr *pi = mnl_attr_nest_start(n, IFLA_PROTINFO);
	uint8_t v8 = value;
	uint16_t v16 = value;

	if (size == 1)
		mnl_attr_put(n, attr, 1, &v8);
	else if (size == 2)
		mnl_attr_put(n, attr, 2, &v16);
	else
		mnl_attr_put(n, attr, 4, &value);
	mnl_attr_nest_end(n, pi);
	return nl_talk(nl, n, NULL, NULL);
}

int nl_link_no_ll6(struct nl *nl, int index)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	struct nlmsghdr *n = nl_req(nl, RTM_SETLINK, 0, &ifi, sizeof(ifi));
	struct nlattr *spec = mnl_attr_nest_start(n, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(n, AF_INET6);
	uint8_t mode = IN6_ADDR_GEN_MODE_NONE;

	mnl_attr_put(n, IFLA_INET6_ADDR_GEN_MODE, 1, &mode);
	mnl_attr_nest_end(n, in6);
	mnl_attr_nest_end(n, spec);
	return nl_talk(nl, n, NULL, NULL);
}

static int echo_peer(const struct nlmsghdr *n, void *arg)
{
	const struct nlattr *tb[IFLA_MAX + 1];

	if (n->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	nl_attr_parse_tb(n, sizeof(struct ifinfomsg), tb, IFLA_MAX);
	if (tb[IFLA_LINK] && mnl_attr_get_payload_len(tb[IFLA_LINK]) == 4)
		*(int *)arg = mnl_attr_get_u32(tb[IFLA_LINK]);
	return MNL_CB_OK;
}

int nl_veth_add(struct nl *nl, const struct nl_veth_spec *s, int *peer_index)
{
	struct nl_newlink new = { .name = s->name, .kind = "veth", .mtu = s->mtu,
				  .master = s->master, .up = true };
	struct nlattr *li, *data, *peer;
	struct nlmsghdr *n = nl_link_new(nl, &new, &li);

	data = mnl_attr_nest_start(n, IFLA_INFO_DATA);
	/* the peer is a whole ifinfomsg followed by its own attributes */
	peer = mnl_attr_nest_start(n, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(n, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(n, IFLA_IFNAME, s->peer);
	if (s->peer_nsfd >= 0)
		mnl_attr_put_u32(n, IFLA_NET_NS_FD, s->peer_nsfd);
	if (s->peer_mac)
		mnl_attr_put(n, IFLA_ADDRESS, 6, s->peer_mac);
	if (s->mtu)
		mnl_attr_put_u32(n, IFLA_MTU, s->mtu);
	mnl_attr_nest_end(n, peer);
	mnl_attr_nest_end(n, data);
	mnl_attr_nest_end(n, li);
	if (peer_index) {
		/* the echo of the new host end names its peer's index */
		*peer_index = 0;
		n->nlmsg_flags |= NLM_F_ECHO;
	}
	return nl_talk(nl, n, peer_index ? echo_peer : NULL, peer_index);
}

int nl_link_up_all(struct nl *nl, const int *index, int count)
{
	struct nlmsghdr *first = NULL, *n = NULL;

	for (int i = 0; i < count; i++) {
		struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index[i],
					 .ifi_flags = IFF_UP, .ifi_change = IFF_UP };

		n = n ? nl_req_next(nl, n, RTM_NEWLINK, 0, &ifi, sizeof(ifi))
		      : nl_req(nl, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
		if (!first)
			first = n;
	}
	return count ? nl_talk_all(nl, first, count, NULL) : 0;
}
