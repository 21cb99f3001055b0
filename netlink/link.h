/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTM_*LINK: list, look up, create, change and delete network devices.
 * All functions return 0 (or an ifindex > 0) on success, -errno on failure,
 * with the kernel's explanation in nl_errmsg().
 */
#ifndef BOXNET_NL_LINK_H
#define BOXNET_NL_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "netlink/nl.h"

/* what rtnetlink reports of a bridge (IFLA_BR_*): times in centiseconds */
struct nl_bridge {
	uint8_t id[8], root_id[8]; /* 2 bytes priority, 6 bytes MAC */
	uint16_t root_port, priority;
	uint32_t root_path_cost, stp_state;
	uint32_t forward_delay, hello_time, max_age, ageing_time;
	uint64_t hello_timer, tcn_timer, topology_change_timer, gc_timer;
	uint8_t topology_change, topology_change_detected;
};

/* what it reports of a bridge port (IFLA_BRPORT_*) */
struct nl_brport {
	uint16_t no, id, priority, designated_port, designated_cost;
	uint32_t cost;
	uint8_t state, hairpin, topology_change_ack, config_pending;
	uint8_t designated_root[8], designated_bridge[8];
	uint64_t message_age_timer, forward_delay_timer, hold_timer;
};

struct nl_link {
	int index, master, link; /* link: IFLA_LINK, e.g. a veth's peer index */
	int link_netnsid;        /* -1 when the peer is in this namespace */
	unsigned int flags, mtu;
	char name[IF_NAMESIZE];
	char kind[16];           /* IFLA_INFO_KIND: "bridge", "veth", "vxlan", "" */
	uint8_t mac[6];
	bool is_bridge, is_port;
	struct nl_bridge br;     /* valid when is_bridge */
	struct nl_brport port;   /* valid when is_port */
};

struct nl_links {
	struct nl_link *v;
	size_t n;
};

/* nl_link_list - every device of nl's namespace, with bridge and port details.
 * @kind: when not NULL, only devices of that kind (filtered by the kernel).
 * The caller frees out->v. */
int nl_link_list(struct nl *nl, const char *kind, struct nl_links *out);

/* nl_link_get - one device by name (@name) or index (@index when name is NULL). */
int nl_link_get(struct nl *nl, const char *name, int index, struct nl_link *out);

/* nl_link_del - delete device @index. */
int nl_link_del(struct nl *nl, int index);

/* nl_link_set_master - make @index a port of @master (0: leave its master). */
int nl_link_set_master(struct nl *nl, int index, int master);

/* nl_link_set_up - set IFF_UP on or off. */
int nl_link_set_up(struct nl *nl, int index, bool up);

/* nl_link_set_mtu - change the MTU of @index. */
int nl_link_set_mtu(struct nl *nl, int index, unsigned int mtu);

/* What every new device has; 0 / NULL fields are left to the kernel. */
struct nl_newlink {
	const char *name, *kind; /* kind: IFLA_INFO_KIND, "bridge", "veth", "vxlan" ... */
	const uint8_t *mac;
	unsigned int mtu;
	int master;              /* ifindex of the bridge to join */
	bool up;
};

/*
 * nl_link_new - start the RTM_NEWLINK (create, exclusive) of device @s in
 * nl->req, the preamble every kind shares, and leave IFLA_LINKINFO open after
 * IFLA_INFO_KIND in *@linkinfo: the caller adds the kind's IFLA_INFO_DATA,
 * closes *@linkinfo with mnl_attr_nest_end and sends the message.
 */
struct nlmsghdr *nl_link_new(struct nl *nl, const struct nl_newlink *s, struct nlattr **linkinfo);

/* Bridge creation options; 0 / NULL fields are left to the kernel's defaults. */
struct nl_bridge_spec {
	const char *name;
	const uint8_t *mac;     /* fixed MAC, or NULL */
	unsigned int mtu;
};

/* nl_bridge_add - create a bridge; returns its ifindex. */
int nl_bridge_add(struct nl *nl, const struct nl_bridge_spec *s);

/* nl_bridge_set_u32 / _u16 - change one IFLA_BR_* option of bridge @index. */
int nl_bridge_set_u32(struct nl *nl, int index, uint16_t attr, uint32_t value);
int nl_bridge_set_u16(struct nl *nl, int index, uint16_t attr, uint16_t value);

/* nl_link_no_ll6 - interface @index (down) gets no IPv6 link-local address
 * when it comes up (address generation mode none), so it sends nothing of
 * IPv6's own (duplicate address detection, router solicitation); 0 or -errno
 * (-EAFNOSUPPORT on a kernel without IPv6). */
int nl_link_no_ll6(struct nl *nl, int index);

/* nl_brport_set - change one IFLA_BRPORT_* option of port @index; @size is
 * 1, 2 or 4 bytes. */
int nl_brport_set(struct nl *nl, int index, uint16_t attr, uint32_t value, int size);

/* A veth pair made in one request: the host end enslaved and up, the peer
 * created directly in its namespace with its final name, MAC and MTU. */
struct nl_veth_spec {
	const char *name; /* host end */
	int master;       /* bridge ifindex for the host end, 0 for none */
	unsigned int mtu; /* both ends; 0 for the default */
	const char *peer; /* peer name */
	int peer_nsfd;    /* namespace of the peer, -1 for this one */
	const uint8_t *peer_mac;
};

/* nl_veth_add - create the pair; -EEXIST if either name is taken on its
 * side. With @peer_index, the new peer's ifindex in its namespace as the
 * kernel's echo reports it (0 when the kernel does not echo). */
int nl_veth_add(struct nl *nl, const struct nl_veth_spec *s, int *peer_index);

/* nl_link_up_all - set IFF_UP on each of @n devices in one round trip. */
int nl_link_up_all(struct nl *nl, const int *index, int n);

/* one bridge forwarding-database entry, as brctl showmacs shows it */
struct nl_fdb {
	uint8_t mac[6];
	int port_index; /* the port's ifindex */
	bool is_local, is_static;
	uint32_t age;   /* centiseconds since last seen; 0 for static entries */
};

/* nl_fdb_list - the entries of bridge @br that point at one of its ports (the
 * set /sys/class/net/BR/brforward holds). The caller frees *out. */
int nl_fdb_list(struct nl *nl, int br, struct nl_fdb **out, size_t *n);

#endif
