// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/overlay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "core/ops/evpn.h"
#include "core/ops/firewall.h"
#include "core/state/hosts.h"
#include "core/state/journal.h"
#include "core/state/overlays.h"
#include "lib/names.h"
#include "netlink/netns.h"
#include "core/ops/lookup.h"
#include "netlink/addr_route.h"
#include "netlink/link.h"
#include "netlink/vxlandev.h"

/* outer IPv4 20 (IPv6 40) + UDP 8 + VXLAN 8 + inner Ethernet 14 */
#define VXLAN_OVERHEAD(fam) ((fam) == AF_INET6 ? 70 : 50)

/* the MTU of a network's bridge, its veths and the containers' ends */
static void set_mtu(struct session *s, struct network *n, unsigned int mtu)
{
	struct nl_link l;
	struct nl *in = NULL;

	if (nl_link_get(s->nl, n->bridge, 0, &l) == 0)
		nl_link_set_mtu(s->nl, l.index, mtu);
	for (size_t i = 0; i < n->members.n; i++) {
		struct endpoint e;
		int fd;

		if (ep_load(&s->st, n->name, n->members.name[i], &e))
			continue;
		if (e.veth[0] && nl_link_get(s->nl, e.veth, 0, &l) == 0)
			nl_link_set_mtu(s->nl, l.index, mtu);
		if (e.ifname[0] && (fd = ns_open(e.container)) >= 0) {
			if (nl_open_netns(&in, NETLINK_ROUTE, fd) == 0) {
				if (nl_link_get(in, e.ifname, 0, &l) == 0)
					nl_link_set_mtu(in, l.index, mtu);
				nl_close(in);
			}
			close(fd);
		}
		ep_free(&e);
	}
	n->mtu = mtu;
}

/* the underlay's family: that of the local address, group or peers; IPv4
 * when none is set, as the kernel opens an IPv4 socket then */
static int underlay_family(const struct vxlan *v)
{
	return ip_is_set(&v->local) ? v->local.family : ip_is_set(&v->group) ? v->group.family
	       : v->npeers ? v->peers[0].family : AF_INET;
}

static bool multicast(const struct ipaddr *a)
{
	return a->family == AF_INET ? a->v4 >> 28 == 0xe : a->v6[0] == 0xff;
}

/* a unicast address of @family (AF_UNSPEC: either) in @s, as a peer must
 * be: not unspecified, multicast (nor IPv4's class E and broadcast), nor
 * IPv6's loopback */
static bool unicast_peer(const char *s, int family, struct ipaddr *a)
{
	static const uint8_t lo[16] = { [15] = 1 };

	if (ip_parse(s, family, a))
		return false;
	if (a->family == AF_INET)
		return a->v4 && a->v4 >> 28 < 0xe;
	return !multicast(a) && (memcmp(a->v6, lo, 15) || a->v6[15] > 1);
}

/* @a (text @txt) is of the family of the addresses before it (*@fam, the
 * first one @first), and link-local only with a device (@dev) to say which
 * link, as the kernel wants; else that is said in s->err */
static int underlay_addr(struct session *s, int *fam, const char **first, const struct ipaddr *a,
			 const char *txt, bool dev)
{
	if (!ip_is_set(a))
		return 0;
	if (!*fam)
		*fam = a->family, *first = txt;
	else if (*fam != a->family)
		return session_fail(s, -EINVAL, "%s and %s are of different families: the underlay "
						"is either IPv4 or IPv6", *first, txt);
	if (a->family == AF_INET6 && a->v6[0] == 0xfe && (a->v6[1] & 0xc0) == 0x80 && !dev)
		return session_fail(s, -EINVAL, "link-local address %s needs --dev: the link it is on",
				    txt);
	return 0;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	*out = strtoul(s, &end, 10);
	return *end || *out > max ? -ERANGE : 0;
}

/* everything `vxlan add` is told, checked before anything is made */
static int plan(struct session *s, const struct network *n, const struct vxlan_spec *sp,
		struct vxlan *v)
{
	struct vxlan *all;
	size_t nall;
	unsigned long x;
	const char *first = NULL;
	int ret, fam = 0;

	memset(v, 0, sizeof(*v));
	snprintf(v->network, sizeof(v->network), "%s", n->name);
	snprintf(v->dev, sizeof(v->dev), "vx-%.12s", n->id);
	v->learning = sp->learning;
	v->encrypted = sp->encrypted;
	if (!sp->vni || parse_num(sp->vni, 16777215, &x) || !x)
		return session_fail(s, -EINVAL, "invalid VNI %s: want 1 to 16777215",
				    sp->vni ? sp->vni : "(none)");
	v->vni = x;
	v->port = 4789;
	if (sp->port && (parse_num(sp->port, 65535, &x) || !x))
		return session_fail(s, -EINVAL, "invalid port %s: want 1 to 65535", sp->port);
	if (sp->port)
		v->port = x;
	if (sp->local && ip_parse(sp->local, AF_UNSPEC, &v->local))
		return session_fail(s, -EINVAL, "invalid local address %s", sp->local);
	if (sp->group && (ip_parse(sp->group, AF_UNSPEC, &v->group) || !multicast(&v->group)))
		return session_fail(s, -EINVAL, "invalid multicast group %s: want 224.0.0.0/4 or "
						"ff00::/8", sp->group);
	if (sp->group && sp->nremotes)
		return session_fail(s, -EINVAL, "--group and --remote exclude each other");
	if (sp->group && !sp->dev)
		return session_fail(s, -EINVAL, "--group needs --dev: the device to join it on");
	if ((ret = underlay_addr(s, &fam, &first, &v->local, sp->local, sp->dev)) ||
	    (ret = underlay_addr(s, &fam, &first, &v->group, sp->group, sp->dev)))
		return ret;
	/* peers would send to an address no device here answers */
	if (sp->local && nl_addr_find(s->nl, &v->local) < 0)
		return session_fail(s, -EADDRNOTAVAIL, "invalid local address %s: not an address of "
						       "this host", sp->local);
	for (size_t i = 0; i < sp->nremotes; i++) {
		struct ipaddr r;

		if (!unicast_peer(sp->remotes[i], AF_UNSPEC, &r))
			return session_fail(s, -EINVAL, "invalid peer %s: want a unicast IP address",
					    sp->remotes[i]);
		if ((ret = underlay_addr(s, &fam, &first, &r, sp->remotes[i], sp->dev)))
			return ret;
		if (v->npeers == VXLAN_MAX_PEERS)
			return session_fail(s, -E2BIG, "too many peers (%d at most)", VXLAN_MAX_PEERS);
		v->peers[v->npeers++] = r;
	}
	/* the ESP states and the plain-VXLAN drop are IPv4's; FRR's lines too */
	if (fam == AF_INET6 && (v->encrypted || (sp->control && !strcmp(sp->control, "evpn"))))
		return session_fail(s, -EINVAL, "an IPv6 underlay is for a static, unencrypted overlay "
						"only: %s is IPv6", first);
	if ((ret = evpn_plan(s, sp->control, v)))
		return ret;
	if ((ret = overlay_list(s, &all, &nall)))
		return ret;
	for (size_t i = 0; i < nall && !ret; i++)
		if (all[i].vni == v->vni && all[i].port == v->port)
			ret = session_fail(s, -EEXIST, "VNI %u is already used by network %s", v->vni,
					   all[i].network);
	free(all);
	return ret;
}

/* the underlay: --dev, else the device towards the first peer */
static int underlay(struct session *s, const struct vxlan_spec *sp, struct vxlan *v,
		    struct nl_link *dev)
{
	int index = 0, ret;

	if (sp->dev) {
		struct ipaddr src = { 0 };

		if ((ret = nl_link_get(s->nl, sp->dev, 0, dev)))
			return session_fail(s, ret, "underlay device %s not found", sp->dev);
		/* the source a peer sees: what the host would use to reach it */
		if (!ip_is_set(&v->local) && v->npeers && nl_route_dev(s->nl, &v->peers[0], &src) > 0)
			v->local = src;
	} else if (v->npeers) {
		struct ipaddr src = { 0 };

		index = nl_route_dev(s->nl, &v->peers[0], &src);
		if (index < 0 || (ret = nl_link_get(s->nl, NULL, index, dev)))
			return session_fail(s, index < 0 ? index : ret, "no route to peer: give --dev");
		if (!ip_is_set(&v->local))
			v->local = src;
	} else if (v->evpn) {
		/* EVPN: the device that holds the VTEP address */
		index = nl_addr_find(s->nl, &v->local);
		if (index < 0 || (ret = nl_link_get(s->nl, NULL, index, dev)))
			return session_fail(s, index < 0 ? index : ret, "no device holds %s: give --dev",
					    sp->local);
	} else {
		return session_fail(s, -EINVAL, "give --remote peers, or --group with --dev");
	}
	snprintf(v->underlay, sizeof(v->underlay), "%s", dev->name);
	return 0;
}

/* take the overlay's kernel side apart and give the network (NULL: none
 * that reads back) its MTU back */
static void teardown(struct session *s, struct network *n, const struct vxlan *v)
{
	struct nl_link l;

	if (v->dev[0] && nl_link_get(s->nl, v->dev, 0, &l) == 0 && !strcmp(l.kind, "vxlan"))
		nl_link_del(s->nl, l.index);
	if (n && v->mtu_was && v->mtu_was != n->mtu) {
		set_mtu(s, n, v->mtu_was);
		net_save(&s->st, n);
	}
}

int vxlan_check(struct session *s, const char *name, const struct vxlan_spec *sp)
{
	struct network n = { 0 };
	struct vxlan v;
	struct nl_link dev;
	int ret;

	snprintf(n.name, sizeof(n.name), "%s", name);
	if ((ret = plan(s, &n, sp, &v)) || (ret = underlay(s, sp, &v, &dev)))
		return ret;
	return 0;
}

/* vxlan_add, under its own journal entry (@journal) or the caller's */
static int add(struct session *s, const char *netref, const struct vxlan_spec *sp, bool journal)
{
	struct network n;
	struct vxlan v, old;
	struct nl_link dev, br;
	struct nl_vxlan_spec k;
	unsigned int mtu;
	int ret = net_find(s, netref, &n), index, r;

	if (ret)
		return ret;
	if (!net_bridged(&n))
		ret = session_fail(s, -EINVAL, "network %s is not a bridge network", n.name);
	else if ((r = vxlan_load(&s->st, n.name, &old)) == 0)
		ret = session_fail(s, -EEXIST, "network %s already has an overlay (VNI %u)", n.name,
				   old.vni);
	else if (r != -ENOENT)
		ret = session_file_fail(s, r, "vxlan", n.name);
	if (ret || (ret = plan(s, &n, sp, &v)) || (ret = underlay(s, sp, &v, &dev)))
		goto out;
	if ((ret = nl_link_get(s->nl, n.bridge, 0, &br))) {
		session_fail(s, ret, "bridge %s of network %s: %s", n.bridge, n.name, errstr(ret));
		goto out;
	}
	mtu = dev.mtu - VXLAN_OVERHEAD(underlay_family(&v));
	v.mtu_was = n.mtu;
	k = (struct nl_vxlan_spec){ .name = v.dev, .vni = v.vni, .group = v.group, .local = v.local,
				    .link = dev.index, .port = v.port, .learning = v.learning,
				    .mtu = mtu, .master = br.index };
	{
		char was[16];

		/* the MTU to give back when a kill stops the add after set_mtu */
		snprintf(was, sizeof(was), "%u", n.mtu);
		if (journal && (ret = session_journal(s, "vxlan", "network", n.name, "device", v.dev,
						      "mtu_was", was, NULL)))
			goto out;
	}
	index = nl_vxlan_add(s->nl, &k);
	if (index < 0)
		ret = session_fail(s, index, "cannot create VXLAN device %s: %s", v.dev, errstr(index));
	else if (v.evpn)
		ret = evpn_port(s, index);
	for (size_t i = 0; i < v.npeers && !ret; i++)
		if ((ret = nl_vxlan_flood(s->nl, index, &v.peers[i], true)))
			session_fail(s, ret, "cannot add peer: %s", errstr(ret));
	if (!ret && n.mtu > mtu)
		set_mtu(s, &n, mtu);
	/* the network's MTU first: once the overlay's file exists the add is complete */
	if (!ret && ((ret = net_save(&s->st, &n)) || (ret = vxlan_save(&s->st, &v))))
		session_fail(s, ret, "cannot save the overlay: %s", errstr(ret));
	if (!ret)
		ret = fw_sync(s);
	if (ret) {
		char why[sizeof(s->err)];

		memcpy(why, s->err, sizeof(why));
		vxlan_drop(s, n.name);
		teardown(s, &n, &v);
		memcpy(s->err, why, sizeof(why));
	}
	if (journal)
		journal_end(&s->st);
out:
	net_free(&n);
	return ret;
}

int vxlan_add(struct session *s, const char *netref, const struct vxlan_spec *sp)
{
	return add(s, netref, sp, true);
}

int vxlan_attach(struct session *s, const char *netref, const struct vxlan_spec *sp)
{
	return add(s, netref, sp, false);
}

/* the flood list entry of @peer as the overlay's file says: there or not */
static int peer_match(struct session *s, const char *net, const struct ipaddr *peer)
{
	struct vxlan v;
	struct nl_link l;
	bool want = false;
	int ret;

	if (vxlan_load(&s->st, net, &v) || nl_link_get(s->nl, v.dev, 0, &l) || strcmp(l.kind, "vxlan"))
		return 0; /* no overlay (any more): its device went with it */
	for (size_t i = 0; i < v.npeers && !want; i++)
		want = ip_eq(&v.peers[i], peer);
	ret = nl_vxlan_flood(s->nl, l.index, peer, want);
	return ret == -EEXIST || ret == -ENOENT ? 0 : ret;
}

int vxlan_peer(struct session *s, const char *netref, const char *ip, bool add)
{
	struct network n;
	struct vxlan v;
	struct nl_link l;
	struct ipaddr peer;
	size_t i;
	int ret = net_find(s, netref, &n);

	if (ret)
		return ret;
	if ((ret = vxlan_load(&s->st, n.name, &v)))
		ret = ret == -ENOENT ? session_fail(s, ret, "network %s has no overlay", n.name)
				     : session_file_fail(s, ret, "vxlan", n.name);
	else if (!unicast_peer(ip, underlay_family(&v), &peer))
		ret = session_fail(s, -EINVAL, "invalid peer %s: want a unicast IPv%c address, as the "
					       "underlay", ip, underlay_family(&v) == AF_INET6 ? '6' : '4');
	else if (v.evpn)
		ret = session_fail(s, -EINVAL, "network %s is controlled by EVPN: BGP finds its peers",
				   n.name);
	if (ret)
		goto out;
	for (i = 0; i < v.npeers && !ip_eq(&v.peers[i], &peer); i++)
		;
	if (add && i < v.npeers)
		ret = session_fail(s, -EEXIST, "%s is already a peer of %s", ip, n.name);
	else if (!add && i == v.npeers)
		ret = session_fail(s, -ENOENT, "%s is not a peer of %s", ip, n.name);
	else if (add && v.npeers == VXLAN_MAX_PEERS)
		ret = session_fail(s, -E2BIG, "too many peers (%d at most)", VXLAN_MAX_PEERS);
	else if ((ret = nl_link_get(s->nl, v.dev, 0, &l)))
		session_fail(s, ret, "VXLAN device %s: %s", v.dev, errstr(ret));
	/* a kill from here on leaves the repair to match the flood list to the
	 * file (vxlan_undo_peer) and the rules to both */
	if (ret || (ret = session_journal(s, "vxlan-peer", "network", n.name, "peer", ip, NULL)))
		goto out;
	if ((ret = nl_vxlan_flood(s->nl, l.index, &peer, add)) && !(!add && ret == -ENOENT)) {
		session_fail(s, ret, "cannot %s peer %s: %s", add ? "add" : "remove", ip, errstr(ret));
		journal_end(&s->st);
		goto out;
	}
	if (add) {
		v.peers[v.npeers++] = peer;
		if ((ret = ipsec_peer(s, &v, i, true))) {
			nl_vxlan_flood(s->nl, l.index, &peer, false);
			journal_end(&s->st);
			goto out;
		}
	} else {
		ipsec_peer(s, &v, i, false);
		v.peers[i] = v.peers[--v.npeers];
		v.spi_out[i] = v.spi_out[v.npeers];
		v.spi_in[i] = v.spi_in[v.npeers];
	}
	if ((ret = vxlan_save(&s->st, &v)))
		session_fail(s, ret, "cannot save the overlay: %s", errstr(ret));
	else
		ret = fw_sync(s);
	if (ret) {
		char why[sizeof(s->err)];

		/* not saved: the kernel goes back to the file; no rules: the
		 * journal stays and the next command installs them */
		memcpy(why, s->err, sizeof(why));
		if (!peer_match(s, n.name, &peer) && !fw_sync(s))
			journal_end(&s->st);
		memcpy(s->err, why, sizeof(why));
	} else {
		journal_end(&s->st);
	}
out:
	net_free(&n);
	return ret;
}

int vxlan_drop(struct session *s, const char *name)
{
	struct network n;
	struct vxlan v;
	char rel[OBJNAME_MAX + 8];
	int ret = vxlan_load(&s->st, name, &v);

	/* a damaged file goes too, with what can be read of it */
	if (ret && ret != -EBADMSG)
		return 0;
	ipsec_down(s, &v);
	/* the device goes even when the network's file is damaged */
	if (net_load(&s->st, name, &n) == 0) {
		/* the name plan() gives it, when the file lost it */
		if (!v.dev[0])
			snprintf(v.dev, sizeof(v.dev), "vx-%.12s", n.id);
		teardown(s, &n, &v);
		net_free(&n);
	} else {
		teardown(s, NULL, &v);
	}
	snprintf(rel, sizeof(rel), "vxlan/%s", name);
	state_unlink(&s->st, rel);
	return fw_sync(s);
}

int vxlan_del(struct session *s, const char *netref)
{
	struct network n;
	struct vxlan v;
	int ret = net_find(s, netref, &n);

	if (ret)
		return ret;
	if ((ret = vxlan_load(&s->st, n.name, &v)) == -ENOENT)
		ret = session_fail(s, ret, "network %s has no overlay", n.name);
	else if (ret && ret != -EBADMSG) /* a damaged file is removed */
		ret = session_file_fail(s, ret, "vxlan", n.name);
	else if (!ret && !strcmp(n.driver, "overlay"))
		ret = session_fail(s, -EINVAL, "network %s is an overlay network: netrm removes its "
					       "VXLAN device with it", n.name);
	/* a kill on the way: the next command finishes the removal */
	else if ((ret = session_journal(s, "vxlan-del", "network", n.name, NULL)))
		;
	else if ((ret = vxlan_drop(s, n.name)))
		session_fail(s, ret, "cannot remove the overlay: %s", errstr(ret));
	else
		journal_end(&s->st);
	net_free(&n);
	return ret;
}

int vxlan_rekey(struct session *s, const char *netref)
{
	struct network n;
	struct vxlan v;
	int ret = net_find(s, netref, &n), r;

	if (ret)
		return ret;
	if (vxlan_load(&s->st, n.name, &v) || !v.encrypted)
		ret = session_fail(s, -EINVAL, "network %s has no encrypted overlay", n.name);
	else if ((ret = ipsec_rekey(s, &v)), (r = vxlan_save(&s->st, &v)) && !ret)
		ret = session_fail(s, r, "cannot save the overlay: %s", errstr(r));
	net_free(&n);
	return ret;
}

/* name_addr - @ip, one address of network @n, into @e's address of its family */
static int name_addr(struct session *s, const struct network *n, const char *ip, struct endpoint *e)
{
	struct ipaddr a;
	const struct ipprefix *in;
	struct ipaddr *to;

	if (ip_parse(ip, AF_UNSPEC, &a))
		return session_fail(s, -EINVAL, "invalid address %s", ip);
	in = a.family == AF_INET6 ? &n->subnet6 : &n->subnet;
	to = a.family == AF_INET6 ? &e->ip6 : &e->ip;
	if (!pfx_contains(in, &a))
		return session_fail(s, -EINVAL, "invalid address %s: not in network %s", ip, n->name);
	if (ip_is_set(to))
		return session_fail(s, -EINVAL, "two addresses of one family: %s", ip);
	*to = a;
	return 0;
}

int vxlan_name(struct session *s, const char *netref, const char *name, char *const *ips, size_t nips)
{
	struct network n;
	struct endpoint e = { 0 };
	bool add = nips > 0;
	int ret = net_find(s, netref, &n);

	if (ret)
		return ret;
	if (!obj_name_valid(name))
		ret = session_fail(s, -EINVAL, "invalid name \"%s\"", name);
	for (size_t i = 0; !ret && i < nips; i++)
		ret = name_addr(s, &n, ips[i], &e);
	if (!ret && members_find(&n.members, name) >= 0)
		ret = session_fail(s, -EEXIST, "%s is a container of this host", name);
	if (!ret) {
		snprintf(e.network, sizeof(e.network), "%s", n.name);
		snprintf(e.container, sizeof(e.container), "%s", name);
		ret = add ? names_set(&s->st, &e) : names_del(&s->st, n.name, name);
		if (!ret)
			ret = hosts_refresh(&s->st, n.name);
		if (ret == -EBADMSG)
			session_load_fail(s, ret, "the names");
		else if (ret)
			session_fail(s, ret, "cannot update the names of %s: %s", n.name, errstr(ret));
	}
	net_free(&n);
	return ret;
}

int overlay_list(struct session *s, struct vxlan **v, size_t *n)
{
	int ret = vxlan_list(&s->st, v, n);

	return ret ? session_load_fail(s, ret, "the overlays") : 0;
}

int vxlan_undo_add(void *ctx, const struct kvs *k)
{
	struct session *s = ctx;
	struct vxlan v;
	struct nl_link l;
	const char *net = kv_get(k, "network"), *dev = kv_get(k, "device");
	struct network n;
	unsigned long was;

	/* an add that did not get as far as saving: its device goes */
	if (!net || !dev || vxlan_load(&s->st, net, &v) == 0)
		return 0;
	if (nl_link_get(s->nl, dev, 0, &l) == 0 && !strcmp(l.kind, "vxlan"))
		nl_link_del(s->nl, l.index);
	/* and the network gets back the MTU it had, in the kernel and in its file */
	if (!parse_num(kv_get(k, "mtu_was"), 65535, &was) && was && net_load(&s->st, net, &n) == 0) {
		int ret;

		set_mtu(s, &n, was);
		ret = net_save(&s->st, &n);
		net_free(&n);
		return ret;
	}
	return 0;
}

int vxlan_undo_peer(void *ctx, const struct kvs *k)
{
	struct session *s = ctx;
	const char *net = kv_get(k, "network"), *ip = kv_get(k, "peer");
	struct ipaddr peer;

	if (!net || !ip || !unicast_peer(ip, AF_UNSPEC, &peer))
		return 0;
	return peer_match(s, net, &peer);
}

int vxlan_undo_del(void *ctx, const struct kvs *k)
{
	const char *net = kv_get(k, "network");

	return net ? vxlan_drop(ctx, net) : 0;
}
