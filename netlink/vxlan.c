// SPDX-License-Identifier: GPL-2.0-or-later
/* VXLAN: IFLA_VXLAN_* at creation, and the device's own forwarding database. */
#include "netlink/vxlan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "netlink/link.h"

int nl_vxlan_add(struct nl *nl, const struct nl_vxlan_spec *s)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	struct nlmsghdr *n = nl_req(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	struct nlattr *li, *data;
	struct nl_link l;
	int ret;

	mnl_attr_put_strz(n, IFLA_IFNAME, s->name);
	if (s->mtu)
		mnl_attr_put_u32(n, IFLA_MTU, s->mtu);
	if (s->master)
		mnl_attr_put_u32(n, IFLA_MASTER, s->master);
	li = mnl_attr_nest_start(n, IFLA_LINKINFO);
	mnl_attr_put_str(n, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(n, IFLA_INFO_DATA);
	mnl_attr_put_u32(n, IFLA_VXLAN_ID, s->vni);
	if (s->group) {
		uint32_t g = htonl(s->group);

		mnl_attr_put(n, IFLA_VXLAN_GROUP, 4, &g);
	}
	if (s->local) {
		uint32_t a = htonl(s->local);

		mnl_attr_put(n, IFLA_VXLAN_LOCAL, 4, &a);
	}
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

int nl_vxlan_flood(struct nl *nl, int ifindex, uint32_t remote, bool add)
{
	static const uint8_t zero[6];
	struct ndmsg nd = { .ndm_family = AF_BRIDGE, .ndm_ifindex = ifindex,
			    .ndm_state = NUD_NOARP | NUD_PERMANENT, .ndm_flags = NTF_SELF };
	struct nlmsghdr *n = add ? nl_req(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, &nd, sizeof(nd))
				 : nl_req(nl, RTM_DELNEIGH, 0, &nd, sizeof(nd));
	uint32_t dst = htonl(remote);

	mnl_attr_put(n, NDA_LLADDR, 6, zero);
	/* with NDA_DST only that remote goes; without, every one of the MAC */
	mnl_attr_put(n, NDA_DST, 4, &dst);
	return nl_talk(nl, n, NULL, NULL);
}
