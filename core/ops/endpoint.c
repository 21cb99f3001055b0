// SPDX-License-Identifier: GPL-2.0-or-later
/* Connecting containers (named network namespaces) to networks. */
#include "core/ops/endpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "lib/errstr.h"
#include "core/ops/firewall.h"
#include "core/state/hosts.h"
#include "core/model/ipam.h"
#include "core/state/journal.h"
#include "lib/names.h"
#include "netlink/netns.h"
#include "core/ops/lookup.h"
#include "netlink/addr_route.h"
#include "netlink/link.h"

/* the lowest ethN the container does not use: its endpoints, then the kernel */
static void next_ifname(struct session *s, struct nl *in, const struct container *c, char *name)
{
	struct nl_links links = { 0 };
	bool dump = in && nl_link_list(in, NULL, &links) == 0;

	for (int i = 0;; i++) {
		bool used = false;

		snprintf(name, IF_NAMESIZE, "eth%d", i);
		for (size_t j = 0; j < c->nnetworks && !used; j++) {
			struct endpoint e;

			if (ep_load(&s->st, c->networks[j], c->name, &e) == 0) {
				used = !strcmp(e.ifname, name);
				ep_free(&e);
			}
		}
		for (size_t j = 0; dump && j < links.n && !used; j++)
			used = !strcmp(links.v[j].name, name);
		if (!used)
			break;
	}
	free(links.v);
}

/* pick the address of one family: @want (--ip, --ip6), or the lowest free one */
static int pick_ip(struct session *s, const char *want, bool v6, struct network *n,
		   struct ipaddr *ip)
{
	const struct ipprefix *sub = v6 ? &n->subnet6 : &n->subnet;
	const struct ipprefix *range = v6 ? (n->has_range6 ? &n->ip_range6 : NULL)
					  : (n->has_range ? &n->ip_range : NULL);
	char **used = v6 ? &n->used6 : &n->used, p[PFX_STRLEN], *text;
	struct ipam m;
	int ret;

	ipam_init(&m, sub, range);
	if (ipam_load(&m, *used)) {
		ipam_free(&m);
		return session_fail(s, -EIO, "network %s: damaged address state", n->name);
	}
	if (want) {
		if (!(v6 ? n->user_subnet6 : n->user_subnet))
			ret = session_fail(s, -EINVAL, "user specified IP address is supported only when "
						       "connecting to networks with user configured subnets");
		else if (ip_parse(want, v6 ? AF_INET6 : AF_INET, ip))
			ret = session_fail(s, -EINVAL, "invalid IP%s address %s", v6 ? "v6" : "", want);
		else if ((ret = ipam_take(&m, ip)) == -EADDRINUSE)
			ret = session_fail(s, ret, "Address already in use: %s", want);
		else if (ret == -EINVAL)
			ret = session_fail(s, ret, "invalid address %s: it does not belong to network %s (%s)",
					   want, n->name, pfx_format(sub, p));
	} else if ((ret = ipam_alloc(&m, ip)) == -ENOSPC) {
		ret = session_fail(s, ret, "no available IPv%c addresses on this network's address pools: %s (%s)",
				   v6 ? '6' : '4', n->name, n->id);
	}
	if (!ret && (ret = ipam_save(&m, &text)) == 0) {
		free(*used);
		*used = text;
	}
	if (ret && !s->err[0])
		ret = session_fail(s, ret, "cannot allocate an address on %s: %s", n->name, errstr(ret));
	ipam_free(&m);
	return ret;
}

/* the addresses of both families the network has; one it lacks cannot be asked for */
static int pick_ips(struct session *s, const struct ep_spec *sp, struct network *n,
		    struct endpoint *e)
{
	int ret = 0;

	if (sp->ip && !ip_is_set(&n->subnet.a))
		return session_fail(s, -EINVAL, "invalid address %s: network %s has no IPv4", sp->ip,
				    n->name);
	if (sp->ip6 && !n->ipv6)
		return session_fail(s, -EINVAL, "invalid address %s: network %s has no IPv6 (made "
					       "without --ipv6)", sp->ip6, n->name);
	if (ip_is_set(&n->subnet.a))
		ret = pick_ip(s, sp->ip, false, n, &e->ip);
	if (!ret && n->ipv6)
		ret = pick_ip(s, sp->ip6, true, n, &e->ip6);
	return ret;
}

/* the veth pair, its peer made in the container as @e->ifname; the peer's
 * ifindex (in the container, 0 when the kernel did not say) is returned */
static int make_veth(struct session *s, const struct network *n, int nsfd, struct endpoint *e)
{
	struct nl_link br;
	int ret = nl_link_get(s->nl, n->bridge, 0, &br), peer = 0;
	struct nl_veth_spec v = { .name = e->veth, .master = br.index, .mtu = n->mtu,
				  .peer = e->ifname, .peer_nsfd = nsfd, .peer_mac = e->mac };

	if (ret)
		return session_fail(s, ret, "bridge %s of network %s: %s", n->bridge, n->name,
				    errstr(ret));
	ret = nl_veth_add(s->nl, &v, &peer);
	return ret ? ret : peer;
}

/* the MAC Docker gives: 02:42 and the IPv4 address; random without one */
static void mac_of(const struct ipaddr *ip, uint8_t mac[6])
{
	uint8_t a[16];

	mac[0] = 0x02, mac[1] = 0x42;
	if (ip_is_set(ip)) {
		ip_to_bytes(ip, a);
		memcpy(mac + 2, a, 4);
	} else {
		while (getrandom(mac + 2, 4, 0) != 4)
			;
	}
}

static int check_spec(struct session *s, const struct ep_spec *sp, struct endpoint *e)
{
	if (sp->pid > 0 && sp->nspath)
		return session_fail(s, -EINVAL, "a process and a namespace path: give one");
	if (!obj_name_valid(sp->container))
		return session_fail(s, -EINVAL, "invalid container name \"%s\": use letters, digits, "
					     "'_', '.' and '-' (64 at most)", sp->container);
	for (size_t i = 0; i < sp->naliases; i++)
		if (!obj_name_valid(sp->aliases[i]))
			return session_fail(s, -EINVAL, "invalid alias \"%s\"", sp->aliases[i]);
	if (sp->mac && mac_parse(sp->mac, e->mac))
		return session_fail(s, -EINVAL, "invalid MAC address %s: want a unicast xx:xx:xx:xx:xx:xx",
				    sp->mac);
	if (sp->ifname && !name_is_ifname(sp->ifname))
		return session_fail(s, -EINVAL, "invalid interface name \"%s\"", sp->ifname);
	return 0;
}

/* @fd is the network namespace boxnet runs in: the host's, never a container */
static bool is_own_netns(int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* bind the namespace of --pid, or the CNI runtime's namespace file, as the
 * container, unless it already is */
static int attach_ns(struct session *s, const struct ep_spec *sp, const struct network *n,
		     bool *attached, bool *journaled)
{
	char path[64], nspath[PATH_MAX], who[80];
	const char *src = sp->nspath;
	struct stat a, b;
	struct ns_result r;
	int ret, fd;

	if (sp->pid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)sp->pid);
		snprintf(who, sizeof(who), "process %d", (int)sp->pid);
		src = path;
		if (stat(src, &a) < 0)
			return session_fail(s, -errno, "no process %d: %s", (int)sp->pid, errstr(errno));
	} else {
		snprintf(who, sizeof(who), "%s", sp->nspath);
		/* a runtime's path must be a network namespace: binding anything else
		 * would make a container of a file */
		if ((fd = open(src, O_RDONLY | O_CLOEXEC)) < 0)
			return session_fail(s, -errno, "cannot open network namespace %s: %s", src,
					    errstr(errno));
		ret = ns_is_net(fd);
		if (ret <= 0 || fstat(fd, &a) < 0) {
			close(fd);
			return session_fail(s, -EINVAL, "%s is not a network namespace", src);
		}
		close(fd);
	}
	ns_path(nspath, sizeof(nspath), sp->container);
	if (stat(nspath, &b) == 0) {
		if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 0;
		return session_fail(s, -EEXIST, "container %s exists and is not the network namespace "
					       "of %s", sp->container, who);
	}
	/* the host's own namespace would get an eth0, an address and a default
	 * route, and lose them at the disconnect */
	if (stat("/proc/self/ns/net", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return session_fail(s, -EINVAL, "%s is in the host's network namespace: not a container",
				    who);
	/* a kill from here on leaves a bind mount only the journal knows of */
	if ((ret = session_journal(s, "connect", "network", n->name, "container", sp->container,
				   "attached", "1", NULL)))
		return ret;
	*journaled = true;
	ret = ns_attach_path(sp->container, src, &r);
	if (ret)
		return session_fail(s, ret, "cannot attach the namespace of %s as %s: %s", who,
				    sp->container, errstr(ret));
	*attached = true;
	return 0;
}

/* the kernel side of a bridge endpoint; returns 1 when no default route was set */
static int connect_bridge(struct session *s, const struct ep_spec *sp, struct network *n,
			  struct container *c, struct endpoint *e, int nsfd, bool attached,
			  bool *journaled)
{
	struct nl *in = NULL;
	struct nl_link host;
	/* each family's default route from the first network that has it */
	bool route = !n->internal && !c->gateway[0] && ip_is_set(&n->gateway),
	     route6 = !n->internal && !c->gateway6[0] && n->ipv6;
	int ret, peer;

	if ((ret = pick_ips(s, sp, n, e)))
		return ret;
	if (!sp->mac)
		mac_of(&e->ip, e->mac);
	if ((ret = nl_open_netns(&in, NETLINK_ROUTE, nsfd)))
		return session_fail(s, ret, "cannot enter container %s: %s", sp->container, errstr(ret));
	if (sp->ifname)
		snprintf(e->ifname, sizeof(e->ifname), "%s", sp->ifname);
	else
		next_ifname(s, NULL, c, e->ifname);
	for (int tries = 0;; tries++) {
		uint8_t r[4];

		while (getrandom(r, sizeof(r), 0) != sizeof(r))
			;
		snprintf(e->veth, sizeof(e->veth), "veth%02x%02x%02x%x", r[0], r[1], r[2], r[3] >> 4);
		/* the intent names the veth before it exists: a kill after it was
		 * made leaves the repair a name to delete */
		if ((ret = session_journal(s, "connect", "network", n->name, "container", c->name,
					   "veth", e->veth, "attached", attached ? "1" : "0", NULL)))
			goto out;
		*journaled = true;
		peer = make_veth(s, n, nsfd, e);
		if (peer != -EEXIST || tries == 3)
			break;
		/* a name was taken: maybe ethN by someone else; look at the kernel */
		if (!sp->ifname)
			next_ifname(s, in, c, e->ifname);
	}
	if (peer < 0) {
		ret = session_fail(s, peer, "cannot create the interface %s in %s: %s", e->ifname,
				   c->name, errstr(peer));
		goto out;
	}
	if (!peer) {
		struct nl_link l;

		/* a kernel that does not echo new links: ask */
		if ((ret = nl_link_get(in, e->ifname, 0, &l)))
			goto out;
		peer = l.index;
	}
	/* On a network without IPv6 the interface has no IPv6 at all, as Docker
	 * leaves it: the neighbour solicitations, router solicitations and MLD
	 * reports of an IPv6 link-local address are multicast, which the bridge
	 * floods to every other container, so that a connect cost the kernel
	 * work in proportion to the endpoints already there. Best effort: a
	 * kernel without IPv6 sends none of it anyway. */
	if (!n->ipv6)
		nl_link_no_ll6(in, peer);
	/* nor the host's end (a bridge port needs none): its address, DAD and
	 * routes were kernel work for every connect, and each veth's routes
	 * made the host's IPv6 table, walked whole at every removal, grow
	 * with the endpoints. Before the container's end is up: the host's
	 * end has no carrier, so no address was made yet */
	if (nl_link_get(s->nl, e->veth, 0, &host) < 0)
		host.index = 0;
	if (!n->ipv6 && host.index)
		nl_link_no_ll6(s->nl, host.index);
	{
		struct nl_ifconf conf = { .ifindex = peer, .addr = { e->ip, n->subnet.len },
					  .addr6 = { e->ip6, n->subnet6.len },
					  .gateway = route && ip_is_set(&e->ip) ? &n->gateway : NULL,
					  .gateway6 = route6 && ip_is_set(&e->ip6) ? &n->gateway6 : NULL };

		ret = nl_ifconf_apply(in, &conf);
		if (ret < 0)
			ret = session_fail(s, ret, "cannot configure %s in %s: %s", e->ifname,
					   e->container, errstr(ret));
	}
	/* a container reaching its own published port comes back through its port */
	if (!ret && host.index)
		nl_brport_set(s->nl, host.index, IFLA_BRPORT_MODE, 1, 1);
	if (ret == 0 && route && ip_is_set(&e->ip))
		snprintf(c->gateway, sizeof(c->gateway), "%s", n->name);
	if (ret == 0 && route6 && ip_is_set(&e->ip6))
		snprintf(c->gateway6, sizeof(c->gateway6), "%s", n->name);
out:
	nl_close(in);
	return ret < 0 ? ret : 0;
}

static int lo_up(struct session *s, int nsfd, const char *ctr)
{
	struct nl *in = NULL;
	int ret = nl_open_netns(&in, NETLINK_ROUTE, nsfd), lo = 1;

	if (!ret)
		ret = nl_link_up_all(in, &lo, 1);
	nl_close(in);
	return ret ? session_fail(s, ret, "cannot set lo up in %s: %s", ctr, errstr(ret)) : 0;
}

/* record the new endpoint everywhere */
static int commit(struct session *s, struct network *n, struct container *c, struct endpoint *e,
		  unsigned long ino)
{
	int ret;

	if ((ret = members_add(&n->members, c->name, ino)) || (ret = ctr_add_network(c, n->name)) ||
	    (ret = ep_save(&s->st, e)) || (ret = net_save(&s->st, n)) ||
	    (ret = names_set(&s->st, e)) || (ret = ctr_save(&s->st, c)) ||
	    (ret = hosts_refresh(&s->st, n->name)) || (ret = hosts_link(&s->st, c)))
		return ret == -EBADMSG ? session_load_fail(s, ret, "the names") : session_fail(s, ret, "cannot save endpoint %s on %s: %s", c->name, n->name,
				    errstr(ret));
	return 0;
}

int ep_connect(struct session *s, const struct ep_spec *sp, struct endpoint *e)
{
	struct network n = { 0 };
	struct container c = { 0 };
	struct ns_inode *live = NULL;
	const struct ns_inode *me;
	size_t nlive;
	bool attached = false, journaled = false;
	int nsfd = -1, ret;

	memset(e, 0, sizeof(*e));
	if ((ret = check_spec(s, sp, e)) || (ret = net_find(s, sp->network, &n)))
		return ret;
	/* a damaged names file would stop the commit: fail before any change */
	if ((ret = names_check(&s->st, n.name))) {
		ret = session_load_fail(s, ret, "the names");
		goto out;
	}
	if ((sp->pid > 0 || sp->nspath) && (ret = attach_ns(s, sp, &n, &attached, &journaled)))
		goto out;
	if ((nsfd = ns_open(sp->container)) < 0) {
		ret = session_fail(s, nsfd, nsfd == -ENOENT ? "No such container: %s" :
				   "cannot open container %s: %s", sp->container, errstr(nsfd));
		goto out;
	}
	if (is_own_netns(nsfd)) {
		ret = session_fail(s, -EINVAL, "container %s is the host's network namespace",
				   sp->container);
		goto out;
	}
	/* one listing of /run/netns: to reap vanished endpoints and to record ours */
	if ((ret = ns_inodes(&live, &nlive))) {
		session_fail(s, ret, "cannot list %s: %s", NS_RUN_DIR, errstr(ret));
		goto out;
	}
	if ((ret = ep_reap_live(s, &n, live, nlive)))
		goto out;
	if ((ret = ctr_load(&s->st, sp->container, &c))) {
		session_fail(s, ret, "cannot read container %s: %s", sp->container, errstr(ret));
		goto out;
	}
	if (members_find(&n.members, sp->container) >= 0) {
		ret = session_fail(s, -EEXIST, "endpoint with name %s already exists in network %s",
				   sp->container, n.name);
		goto out;
	}
	snprintf(e->network, sizeof(e->network), "%s", n.name);
	snprintf(e->container, sizeof(e->container), "%s", sp->container);
	snprintf(e->origin, sizeof(e->origin), "%s", sp->origin ? sp->origin : "");
	if (attached)
		c.attached = true;
	id_new(e->id);
	for (size_t i = 0; i < sp->naliases && !ret; i++) {
		char **v = realloc(e->alias, (i + 1) * sizeof(*v));

		if (!v || !(v[i] = strdup(sp->aliases[i])))
			ret = session_fail(s, -ENOMEM, "out of memory");
		if (v)
			e->alias = v, e->naliases = v[i] ? i + 1 : i;
	}
	if (ret)
		goto out;
	if (net_bridged(&n)) {
		ret = connect_bridge(s, sp, &n, &c, e, nsfd, attached, &journaled);
	} else {
		ret = session_journal(s, "connect", "network", n.name, "container", c.name, "attached",
				      attached ? "1" : "0", NULL);
		journaled = !ret;
		if (!ret && !strcmp(n.driver, "null"))
			ret = lo_up(s, nsfd, c.name);
	}
	if (ret)
		goto out;
	me = ns_inode_find(live, nlive, c.name);
	ret = commit(s, &n, &c, e, me ? me->ino : 0);
	/* the network's rules exist while it has endpoints: the first one brings them */
	if (!ret && n.members.n == 1 && net_bridged(&n))
		ret = fw_sync(s);
out:
	if (ret && journaled) {
		char why[sizeof(s->err)];

		/* a rollback that stops half-way keeps the journal for the next
		 * command to finish; the reason shown is the connect's */
		memcpy(why, s->err, sizeof(why));
		if (ep_teardown(s, n.name, sp->container, e->veth))
			journaled = false;
		memcpy(s->err, why, sizeof(why));
	}
	if (journaled)
		journal_end(&s->st);
	if (ret && attached)
		ns_delete(sp->container);
	if (ret)
		ep_free(e);
	if (nsfd >= 0)
		close(nsfd);
	free(live);
	ctr_free(&c);
	net_free(&n);
	return ret;
}

int ep_reap(struct session *s, struct network *n)
{
	struct ns_inode *live;
	size_t nlive;
	int ret;

	if (!n->members.n)
		return 0;
	if ((ret = ns_inodes(&live, &nlive)))
		return session_fail(s, ret, "cannot list %s: %s", NS_RUN_DIR, errstr(ret));
	ret = ep_reap_live(s, n, live, nlive);
	free(live);
	return ret;
}

int ep_reap_live(struct session *s, struct network *n, const struct ns_inode *live, size_t nlive)
{
	size_t reaped = 0;
	int ret = 0;

	for (size_t i = 0; i < n->members.n && !ret; i++) {
		const struct ns_inode *e = ns_inode_find(live, nlive, n->members.name[i]);

		if (!n->members.ino[i] || (e && e->ino == n->members.ino[i]))
			continue;
		ret = ep_teardown(s, n->name, n->members.name[i], NULL);
		reaped++;
	}
	if (!ret && reaped) {
		char name[OBJNAME_MAX + 1];

		snprintf(name, sizeof(name), "%s", n->name);
		net_free(n);
		ret = net_load(&s->st, name, n);
		if (ret)
			ret = session_fail(s, ret, "cannot read network %s: %s", name, errstr(ret));
	}
	return ret;
}

int ep_undo(void *ctx, const struct kvs *k)
{
	const char *net = kv_get(k, "network"), *ctr = kv_get(k, "container");
	const char *attached = kv_get(k, "attached");
	struct session *s = ctx;
	struct container c;
	int ret;

	if (!net || !ctr)
		return 0;
	if ((ret = ep_teardown(s, net, ctr, kv_get(k, "veth"))))
		return ret;
	/* the name --pid bound goes, unless the container joined something */
	if (attached && !strcmp(attached, "1") && obj_name_valid(ctr) &&
	    ctr_load(&s->st, ctr, &c) == 0) {
		if (!c.nnetworks)
			ns_delete(ctr);
		ctr_free(&c);
	}
	return 0;
}
