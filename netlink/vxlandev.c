// SPDX-License-Identifier: GPL-2.0-or-later
/* VXLAN: IFLA_VXLAN_* at creation, and the device's own forwarding database. */
#include "netlink/vxlandev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "netlink/link.h"

static void put_addr(struct nlmsghdr *n, uint16_t type, const struct ipaddr *a)
{
	uint8_t b[16];

	mnl_attr_put(n, type, ip_to_bytes(a, b), b);
}

int nl_vxlan_add(struct nl *nl, const struct nl_vxlan_spec *s)
{
	struct nl_newlink new = { .name = s->name, .kind = "vxlan", .mtu = s->mtu,
				  .master = s->master, .up = true };
	struct nlattr *li, *data;
	struct nlmsghdr *n = nl_link_new(nl, &new, &li);
	struct nl_link l;
	int ret;

	data = mnl_attr_nest_start(n, IFLA_INFO_DATA);
	mnl_attr_put_u32(n, IFLA_VXLAN_ID, s->vni);
	if (ip_is_set(&s->group))
		put_addr(n, s->group.family == AF_INET6 ? IFLA_VXLAN_GROUP6 : IFLA_VXLAN_GROUP, &s->group);
	if (ip_is_set(&s->local))
		put_addr(n, s->local.family == AF_INET6 ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL, &s->local);
	if (s->link)
		mnl_attr_put_u32(n, IFLA_VXLAN_LINK, s->link);
	/* without it the kernel uses 8472, not IANA's 4789 */
	mnl_attr_put_u16(n, IFLA_VXLAN_PORT, htons(s->port));
	mnl_attr_put_u8(n, IFLA_VXLAN_LEARNING, s->learning);
	mnl_attr_nest_end(n, data);
	mnl_attr_nest_end(n, li);
	if ((ret = nl_talk(nl, n, NULL, NULL)))
		return ret;
	ret = nl_link_get(nl, s->name, 0, &l);
	return ret ? ret : l.index;
}

int nl_vxlan_flood(struct nl *nl, int ifindex, const struct ipaddr *remote, bool add)
{
	static const uint8_t zero[6];
	struct ndmsg nd = { .ndm_family = AF_BRIDGE, .ndm_ifindex = ifindex,
			    .ndm_state = NUD_NOARP | NUD_PERMANENT, .ndm_flags = NTF_SELF };
	struct nlmsghdr *n = add ? nl_req(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, &nd, sizeof(nd))
				 : nl_req(nl, RTM_DELNEIGH, 0, &nd, sizeof(nd));

	mnl_attr_put(n, NDA_LLADDR, 6, zero);
	/* with NDA_DST only that remote goes; without, every one of the MAC */
	put_addr(n, NDA_DST, remote);
	return nl_talk(nl, n, NULL, NULL);
}
