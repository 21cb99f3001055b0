// SPDX-License-Identifier: GPL-2.0-or-later
/* Networks: create, find, list, remove, prune; the predefined ones. */
#include "core/ops/network.h"

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

#include "core/ops/endpoint.h"
#include "core/ops/lookup.h"
#include "lib/errstr.h"
#include "core/state/hosts.h"
#include "core/model/ipam.h"
#include "core/state/journal.h"
#include "lib/names.h"
#include "netlink/netns.h"
#include "core/ops/firewall.h"
#include "core/ops/overlay.h"
#include "core/state/overlays.h"
#include "core/state/ports.h"
#include "netlink/addr_route.h"
#include "netlink/link.h"

#define OPT_BRIDGE_NAME "com.docker.network.bridge.name"
#define OPT_MTU "com.docker.network.driver.mtu"

/* every IPv4 prefix a new network must not overlap: routes, addresses, networks */
static int taken_prefixes(struct session *s, struct ipprefix **out, size_t *n)
{
	struct ipprefix *kern;
	struct network *nets;
	size_t nk, nn;
	int ret = nl_used_prefixes(s->nl, AF_INET, &kern, &nk);

	if (ret)
		return session_fail(s, ret, "cannot read routes: %s", errstr(ret));
	if ((ret = net_list(s, &nets, &nn))) {
		free(kern);
		return ret;
	}
	*out = malloc((nk + nn + 1) * sizeof(**out));
	if (*out) {
		memcpy(*out, kern, nk * sizeof(*kern));
		*n = nk;
		for (size_t i = 0; i < nn; i++)
			if (ip_is_set(&nets[i].subnet.a))
				(*out)[(*n)++] = nets[i].subnet;
	}
	free(kern);
	net_list_free(nets, nn);
	return *out ? 0 : session_fail(s, -ENOMEM, "out of memory");
}

/* the MTU of the host's uplink: the device of the default route, else 1500 */
static unsigned int uplink_mtu(struct session *s)
{
	struct nl_link l;
	int dev = nl_default_route_dev(s->nl);

	if (dev > 0 && nl_link_get(s->nl, NULL, dev, &l) == 0 && l.mtu)
		return l.mtu;
	return 1500;
}

/* IPv4 space no container network can use: hosts there are unreachable or
 * mean something else (a second loopback route on the bridge, multicast) */
static int plan_usable(struct session *s, const char *text, const struct ipprefix *p)
{
	static const struct {
		uint8_t a, len;
		const char *what;
	} reserved[] = { { 0, 8, "\"this network\" (0.0.0.0/8)" }, { 127, 8, "loopback (127.0.0.0/8)" },
			 { 224, 4, "multicast (224.0.0.0/4)" }, { 240, 4, "reserved (240.0.0.0/4)" } };

	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++) {
		struct ipprefix r = { ip4((uint32_t)reserved[i].a << 24), reserved[i].len };

		if (pfx_overlap(&r, p))
			return session_fail(s, -EINVAL, "invalid subnet %s: it overlaps %s addresses",
					    text, reserved[i].what);
	}
	return 0;
}

/* the address plan of a new network, validated like Docker validates it */
static int plan_addresses(struct session *s, const struct net_spec *sp, struct network *n)
{
	struct ipprefix *taken = NULL;
	size_t ntaken = 0;
	int ret = 0;

	if ((sp->gateway || sp->ip_range) && !sp->subnet)
		return session_fail(s, -EINVAL, "%s requires --subnet",
				    sp->gateway ? "--gateway" : "--ip-range");
	if (sp->subnet) {
		if (pfx_parse(sp->subnet, AF_INET, &n->subnet))
			return session_fail(s, -EINVAL, "Invalid subnet %s : invalid CIDR address: %s",
					    sp->subnet, sp->subnet);
		if (!pfx_is_network(&n->subnet)) {
			char want[PFX_STRLEN];
			struct ipprefix p = { pfx_first(&n->subnet), n->subnet.len };

			return session_fail(s, -EINVAL, "invalid subnet %s: it should be %s", sp->subnet,
					    pfx_format(&p, want));
		}
		if (n->subnet.len > 30 || n->subnet.len < 8)
			return session_fail(s, -EINVAL, "invalid subnet %s: prefix length must be 8 to 30",
					    sp->subnet);
		if ((ret = plan_usable(s, sp->subnet, &n->subnet)))
			return ret;
		n->user_subnet = true;
	}
	if ((ret = taken_prefixes(s, &taken, &ntaken)))
		return ret;
	if (sp->subnet) {
		/* only boxnet's own networks conflict with a requested subnet, as in Docker */
		struct network *nets;
		size_t nn;

		if (!(ret = net_list(s, &nets, &nn))) {
			for (size_t i = 0; i < nn && !ret; i++)
				if (ip_is_set(&nets[i].subnet.a) && pfx_overlap(&nets[i].subnet, &n->subnet))
					ret = session_fail(s, -EEXIST,
							   "Pool overlaps with other one on this address space");
			net_list_free(nets, nn);
		}
	} else if (ipam_pick_subnet(taken, ntaken, &n->subnet)) {
		ret = session_fail(s, -ENOSPC, "could not find an available, non-overlapping IPv4 "
					       "address pool among the defaults to assign to the network");
	}
	free(taken);
	if (ret)
		return ret;
	n->gateway = ip4(pfx_first(&n->subnet).v4 + 1);
	if (sp->gateway) {
		struct ipaddr first = pfx_first(&n->subnet), last = pfx_last(&n->subnet);

		if (ip_parse(sp->gateway, AF_INET, &n->gateway))
			return session_fail(s, -EINVAL, "invalid gateway %s: not an IPv4 address",
					    sp->gateway);
		if (!pfx_contains(&n->subnet, &n->gateway))
			return session_fail(s, -EINVAL, "no matching subnet for gateway %s", sp->gateway);
		if (ip_eq(&n->gateway, &first) || ip_eq(&n->gateway, &last))
			return session_fail(s, -EINVAL, "invalid gateway %s: network or broadcast address",
					    sp->gateway);
	}
	if (sp->ip_range) {
		if (pfx_parse(sp->ip_range, AF_INET, &n->ip_range) || !pfx_is_network(&n->ip_range))
			return session_fail(s, -EINVAL, "invalid ip-range %s", sp->ip_range);
		if (!pfx_within(&n->ip_range, &n->subnet))
			return session_fail(s, -EINVAL, "no matching subnet for range %s", sp->ip_range);
		n->has_range = true;
	}
	return 0;
}

/* a key or value the state files can hold: one line, and a key without '=' */
static int check_pairs(struct session *s, const struct pairs *p, const char *what)
{
	for (size_t i = 0; i < p->n; i++)
		if (strpbrk(p->key[i], "=\n") || strchr(p->val[i], '\n'))
			return session_fail(s, -EINVAL, "invalid %s %s: a newline is not allowed", what,
					    p->key[i]);
	return 0;
}

/* options Docker's bridge driver reads, checked before anything is made */
static int plan_options(struct session *s, const struct net_spec *sp, struct network *n)
{
	const char *v;
	int ret;

	if ((ret = check_pairs(s, &sp->opts, "option")) || (ret = check_pairs(s, &sp->labels, "label")))
		return ret;
	static const char *const bools[] = { "com.docker.network.bridge.enable_icc",
					     "com.docker.network.bridge.enable_ip_masquerade" };

	for (size_t i = 0; i < 2; i++)
		if ((v = pairs_get(&sp->opts, bools[i])) && strcmp(v, "true") && strcmp(v, "false"))
			return session_fail(s, -EINVAL, "invalid value %s for option %s: want true or false",
					    v, bools[i]);
	if ((v = pairs_get(&sp->opts, "com.docker.network.bridge.host_binding_ipv4"))) {
		struct ipaddr a;

		if (ip_parse(v, AF_INET, &a))
			return session_fail(s, -EINVAL, "invalid host binding address %s", v);
	}
	n->mtu = sp->mtu;
	if ((v = pairs_get(&sp->opts, OPT_MTU))) {
		char *end;
		unsigned long m = strtoul(v, &end, 10);

		if (!*v || *end || m < 68 || m > 65535)
			return session_fail(s, -EINVAL, "invalid MTU %s: must be 68 to 65535", v);
		n->mtu = m;
	}
	if (!n->mtu)
		n->mtu = uplink_mtu(s);
	if ((v = pairs_get(&sp->opts, OPT_BRIDGE_NAME))) {
		if (!name_is_ifname(v))
			return session_fail(s, -EINVAL, "invalid bridge name %s", v);
		snprintf(n->bridge, sizeof(n->bridge), "%s", v);
	} else {
		snprintf(n->bridge, sizeof(n->bridge), "br-%.12s", n->id);
	}
	return 0;
}

static int copy_pairs(struct pairs *dst, const struct pairs *src)
{
	int ret = 0;

	for (size_t i = 0; i < src->n && !ret; i++)
		ret = pairs_add(dst, src->key[i], src->val[i]);
	return ret;
}

/* the bridge and its gateway address, up; an existing bridge is used as is */
static int make_bridge(struct session *s, struct network *n)
{
	struct nl_link l;
	uint8_t mac[6] = { 0x02, 0x42 };
	struct nl_bridge_spec b = { .name = n->bridge, .mac = mac, .mtu = n->mtu };
	int ret = nl_link_get(s->nl, n->bridge, 0, &l), index;

	if (ret == 0 && !l.is_bridge)
		return session_fail(s, -EEXIST, "device %s exists and is not a bridge", n->bridge);
	if (ret == 0) {
		index = l.index;
	} else {
		/* a fixed MAC: containers' ARP caches must not see the gateway change */
		while (getrandom(mac + 2, 4, 0) != 4)
			;
		index = nl_bridge_add(s->nl, &b);
		if (index < 0)
			return session_fail(s, index, "cannot create bridge %s: %s", n->bridge,
					    errstr(index));
		n->own_bridge = true;
	}
	ret = ip_is_set(&n->gateway) ?
		nl_addr_add(s->nl, index, &(struct ipprefix){ n->gateway, n->subnet.len }) : 0;
	/* IPv6: added without DAD (netlink/addr_route.h), usable at once */
	if ((!ret || ret == -EEXIST) && n->ipv6)
		ret = nl_addr_add(s->nl, index, &(struct ipprefix){ n->gateway6, n->subnet6.len });
	if (ret && ret != -EEXIST)
		return session_fail(s, ret, "cannot add the gateway address to %s: %s", n->bridge,
				    errstr(ret));
	ret = nl_link_set_up(s->nl, index, true);
	return ret ? session_fail(s, ret, "cannot set %s up: %s", n->bridge, errstr(ret)) : 0;
}

int net_teardown_kernel(struct session *s, const struct network *n)
{
	struct nl_link l;

	if (!n->bridge[0] || nl_link_get(s->nl, n->bridge, 0, &l))
		return 0;
	if (n->own_bridge)
		return nl_link_del(s->nl, l.index);
	/* a bridge that was there before keeps living; only our addresses go */
	if (ip_is_set(&n->gateway))
		nl_addr_del(s->nl, l.index, &(struct ipprefix){ n->gateway, n->subnet.len });
	if (ip_is_set(&n->gateway6))
		nl_addr_del(s->nl, l.index, &(struct ipprefix){ n->gateway6, n->subnet6.len });
	return 0;
}

int net_delete_state(struct session *s, const char *name)
{
	char rel[OBJNAME_MAX + 16];

	names_drop(&s->st, name);
	snprintf(rel, sizeof(rel), "endpoints/%s", name);
	unlinkat(s->st.dirfd, rel, AT_REMOVEDIR);
	snprintf(rel, sizeof(rel), "networks/%s", name);
	return state_unlink(&s->st, rel);
}

/* save a planned network: its endpoint directory first, then the file */
static int net_commit(struct session *s, struct network *n)
{
	char rel[OBJNAME_MAX + 16], *text;
	struct ipam m;
	int ret;

	for (int v6 = 0; v6 < 2; v6++) {
		struct ipprefix *sub = v6 ? &n->subnet6 : &n->subnet;

		if (!ip_is_set(&sub->a))
			continue;
		ipam_init(&m, sub, v6 ? (n->has_range6 ? &n->ip_range6 : NULL)
				      : (n->has_range ? &n->ip_range : NULL));
		ipam_take(&m, v6 ? &n->gateway6 : &n->gateway);
		ret = ipam_save(&m, &text);
		ipam_free(&m);
		if (ret)
			return session_fail(s, -ENOMEM, "out of memory");
		free(v6 ? n->used6 : n->used);
		*(v6 ? &n->used6 : &n->used) = text;
	}
	snprintf(rel, sizeof(rel), "endpoints/%s", n->name);
	if (mkdirat(s->st.dirfd, rel, 0755) < 0 && errno != EEXIST)
		return session_fail(s, -errno, "cannot create %s: %s", rel, errstr(errno));
	ret = net_save(&s->st, n);
	return ret ? session_fail(s, ret, "cannot save network %s: %s", n->name, errstr(ret)) : 0;
}

static int create(struct session *s, const struct net_spec *sp, struct network *n, bool predefined)
{
	struct nl_link l;
	bool existed, overlay;
	char seed[33] = "";
	int ret;

	memset(n, 0, sizeof(*n));
	if (!obj_name_valid(sp->name))
		return session_fail(s, -EINVAL, "invalid network name \"%s\": use letters, digits, "
					     "'_', '.' and '-' (64 at most)", sp->name);
	if (net_load(&s->st, sp->name, n) == 0) {
		net_free(n);
		return session_fail(s, -EEXIST, "network with name %s already exists", sp->name);
	}
	overlay = sp->driver && !strcmp(sp->driver, "overlay");
	if (sp->driver && strcmp(sp->driver, "bridge") && !overlay)
		return session_fail(s, -ENOENT, "plugin \"%s\" not found", sp->driver);
	/* every host must use the same subnets: no automatic one (a host's ULA
	 * prefix is its own) */
	if (overlay && sp->ipv6 && !sp->subnet6)
		return session_fail(s, -EINVAL, "an overlay network with --ipv6 needs an IPv6 --subnet: "
					     "every host must use the same one");
	if ((ret = overlay_net_check(s, sp->name, overlay, &sp->opts,
				     sp->no_ipv4 ? sp->subnet6 != NULL : sp->subnet != NULL)))
		return ret;
	snprintf(n->name, sizeof(n->name), "%s", sp->name);
	id_new(n->id);
	strcpy(n->driver, overlay ? "overlay" : "bridge");
	time_rfc3339(n->created);
	n->internal = sp->internal;
	n->attachable = sp->attachable;
	n->predefined = predefined;
	if ((ret = plan_options(s, sp, n)) || (!sp->no_ipv4 && (ret = plan_addresses(s, sp, n))) ||
	    (ret = net_plan6(s, sp, n, seed)))
		goto fail;
	if (copy_pairs(&n->opts, &sp->opts) || copy_pairs(&n->labels, &sp->labels)) {
		ret = session_fail(s, -ENOMEM, "out of memory");
		goto fail;
	}
	{
		struct network *nets;
		size_t nn;

		if ((ret = net_list(s, &nets, &nn)))
			goto fail;
		for (size_t i = 0; i < nn && !ret; i++)
			if (!strcmp(nets[i].bridge, n->bridge))
				ret = session_fail(s, -EEXIST, "bridge %s is already used by network %s",
						   n->bridge, nets[i].name);
		net_list_free(nets, nn);
		if (ret)
			goto fail;
	}
	existed = nl_link_get(s->nl, n->bridge, 0, &l) == 0;
	{
		char sub[PFX_STRLEN], gw[IP_STRLEN], sub6[PFX_STRLEN], gw6[IP_STRLEN];

		ret = session_journal(s, "create", "network", n->name, "bridge", n->bridge, "own",
				    existed ? "0" : "1", "subnet",
				    ip_is_set(&n->subnet.a) ? pfx_format(&n->subnet, sub) : "",
				    "gateway", ip_format(&n->gateway, gw), "subnet6",
				    n->ipv6 ? pfx_format(&n->subnet6, sub6) : "", "gateway6",
				    ip_format(&n->gateway6, gw6), NULL);
	}
	if (ret)
		goto fail;
	if ((ret = make_bridge(s, n)) || (ret = net_commit(s, n)) || (ret = net_ula_keep(s, seed))) {
		n->own_bridge = !existed;
		/* undone completely, or the journal stays for the next command */
		if (!net_teardown_kernel(s, n) && !net_delete_state(s, n->name))
			journal_end(&s->st);
		goto fail;
	}
	/* an overlay is complete with its VXLAN device: until then the journal
	 * says to remove it all (net_undo_overlay) */
	if (!overlay || session_journal(s, "overlay", "network", n->name, NULL))
		journal_end(&s->st);
	return 0;
fail:
	net_free(n);
	return ret;
}

int net_create(struct session *s, const struct net_spec *spec, struct network *out)
{
	int ret = create(s, spec, out, false);

	/* an overlay gets its VXLAN device, or goes again */
	if (!ret && !strcmp(out->driver, "overlay")) {
		if ((ret = overlay_net_attach(s, out->name, &spec->opts))) {
			char why[sizeof(s->err)];

			memcpy(why, s->err, sizeof(why));
			net_remove(s, out->name);
			memcpy(s->err, why, sizeof(why));
			net_free(out);
		} else {
			journal_end(&s->st);
		}
	}
	return ret;
}

int net_undo_overlay(void *ctx, const struct kvs *k)
{
	struct session *s = ctx;
	struct network n;
	struct nl_link l;
	char dev[IF_NAMESIZE];
	const char *name = kv_get(k, "network");

	if (!name || net_load(&s->st, name, &n))
		return 0;
	/* a device made but not yet recorded, then everything recorded */
	snprintf(dev, sizeof(dev), "vx-%.12s", n.id);
	if (nl_link_get(s->nl, dev, 0, &l) == 0 && !strcmp(l.kind, "vxlan"))
		nl_link_del(s->nl, l.index);
	vxlan_drop(s, name);
	net_teardown_kernel(s, &n);
	net_free(&n);
	return net_delete_state(s, name);
}

/* host and none: records only, nothing in the kernel */
static int create_plain(struct session *s, const char *name, const char *driver)
{
	struct network n = { 0 };
	char rel[OBJNAME_MAX + 16];
	int ret;

	snprintf(n.name, sizeof(n.name), "%s", name);
	snprintf(n.driver, sizeof(n.driver), "%s", driver);
	id_new(n.id);
	time_rfc3339(n.created);
	n.predefined = true;
	n.used = strdup("");
	snprintf(rel, sizeof(rel), "endpoints/%s", name);
	if (mkdirat(s->st.dirfd, rel, 0755) < 0 && errno != EEXIST)
		ret = -errno;
	else
		ret = n.used ? net_save(&s->st, &n) : -ENOMEM;
	net_free(&n);
	return ret ? session_fail(s, ret, "cannot save network %s: %s", name, errstr(ret)) : 0;
}

int net_predefined(struct session *s)
{
	int ret = 0;

	if (!state_has(&s->st, "networks/bridge")) {
		struct net_spec sp = { .name = "bridge" };
		struct network n;
		char mtu[16];

		snprintf(mtu, sizeof(mtu), "%u", uplink_mtu(s));
		if (pairs_add(&sp.opts, "com.docker.network.bridge.default_bridge", "true") ||
		    pairs_add(&sp.opts, "com.docker.network.bridge.enable_icc", "true") ||
		    pairs_add(&sp.opts, "com.docker.network.bridge.enable_ip_masquerade", "true") ||
		    pairs_add(&sp.opts, "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0") ||
		    pairs_add(&sp.opts, OPT_BRIDGE_NAME, "boxnet0") || pairs_add(&sp.opts, OPT_MTU, mtu))
			ret = session_fail(s, -ENOMEM, "out of memory");
		else if ((ret = create(s, &sp, &n, true)) == 0)
			net_free(&n);
		pairs_free(&sp.opts);
	}
	if (!ret && !state_has(&s->st, "networks/host"))
		ret = create_plain(s, "host", "host");
	if (!ret && !state_has(&s->st, "networks/none"))
		ret = create_plain(s, "none", "null");
	return ret;
}

int net_remove(struct session *s, const char *ref)
{
	struct network n;
	int ret = net_find(s, ref, &n);

	if (ret)
		return ret;
	if (n.predefined)
		ret = session_fail(s, -EPERM, "%s is a pre-defined network and cannot be removed",
				   n.name);
	else if (!(ret = ep_reap(s, &n)) && n.members.n)
		ret = session_fail(s, -EBUSY, "network %s has active endpoints", n.name);
	if (!ret && !(ret = session_journal(s, "remove", "network", n.name, NULL))) {
		vxlan_drop(s, n.name);
		net_teardown_kernel(s, &n);
		ret = net_delete_state(s, n.name);
		if (ret)
			session_fail(s, ret, "cannot remove network %s: %s", n.name, errstr(ret));
		else
			journal_end(&s->st); /* else the next command finishes the removal */
	}
	net_free(&n);
	return ret;
}

int net_remove_damaged(struct session *s, const char *name)
{
	char rel[OBJNAME_MAX + 16], *buf, **eps;
	size_t neps;
	struct network n;
	struct kvs k;
	int ret = obj_name_valid(name) ? net_load(&s->st, name, &n) : -ENOENT;

	if (!ret)
		net_free(&n);
	if (ret != -EBADMSG)
		return 0;
	/* what can still be read of it: a bridge boxnet made goes with it */
	snprintf(rel, sizeof(rel), "networks/%s", name);
	if (state_read(&s->st, rel, &buf) == 0) {
		if (kv_parse(buf, &k) == 0) {
			const char *br = kv_get(&k, "bridge"), *own = kv_get(&k, "own_bridge");
			struct nl_link l;

			if (br && own && !strcmp(own, "1") && nl_link_get(s->nl, br, 0, &l) == 0 &&
			    l.is_bridge)
				nl_link_del(s->nl, l.index);
			free(k.v);
		}
		free(buf);
	}
	vxlan_drop(s, name);
	/* its endpoints: their veths, names, ports and records go with it */
	snprintf(rel, sizeof(rel), "endpoints/%s", name);
	ret = 0;
	if (state_list(&s->st, rel, &eps, &neps) == 0) {
		for (size_t i = 0; i < neps && !ret; i++)
			ret = ep_teardown(s, name, eps[i], NULL);
		state_list_free(eps, neps);
		if (ret)
			return ret;
	}
	ret = net_delete_state(s, name);
	return ret ? session_fail(s, ret, "cannot remove network %s: %s", name, errstr(ret)) : 1;
}

int net_drop_damaged(struct session *s)
{
	char **names;
	size_t n;
	int ret = ports_drop_damaged(&s->st);

	if (ret < 0)
		return session_fail(s, ret, "cannot remove a damaged port file: %s", errstr(ret));
	/* their rules go with them */
	if (ret > 0 && (ret = fw_sync(s)))
		return ret;
	if ((ret = ports_index_rebuild(&s->st)))
		return session_fail(s, ret, "cannot rebuild the index of ports: %s", errstr(ret));
	if ((ret = state_list(&s->st, "vxlan", &names, &n)))
		return session_fail(s, ret, "cannot list overlays: %s", errstr(ret));
	for (size_t i = 0; i < n && !ret; i++) {
		struct vxlan v;

		if (vxlan_load(&s->st, names[i], &v) == -EBADMSG)
			ret = vxlan_drop(s, names[i]);
	}
	state_list_free(names, n);
	if (ret || (ret = state_list(&s->st, "names", &names, &n)))
		return ret;
	/* damaged names are written anew from the endpoints; then the hosts
	 * files of those networks, once no names file is damaged (a hosts file
	 * reads the names of every network of its container) */
	bool *redone = calloc(n + 1, sizeof(*redone));

	if (!redone)
		ret = -ENOMEM;
	for (size_t i = 0; i < n && !ret; i++)
		if (names_check(&s->st, names[i]) == -EBADMSG && !(ret = names_rebuild(&s->st, names[i])))
			redone[i] = true;
	for (size_t i = 0; i < n && !ret; i++)
		if (redone[i])
			ret = hosts_refresh(&s->st, names[i]);
	free(redone);
	state_list_free(names, n);
	/* the set files and the links to them: whole, each where it belongs */
	if (!ret)
		ret = hosts_sweep(&s->st, true);
	return ret ? session_fail(s, ret, "cannot rebuild the names: %s", errstr(ret)) : 0;
}

int net_prune(struct session *s, void (*removed)(const char *name, void *arg), void *arg)
{
	struct network *v;
	size_t n;
	int ret = net_list(s, &v, &n);
	char **names;
	size_t count;

	/* damaged files first: net_list skips them */
	if (!ret && state_list(&s->st, "networks", &names, &count) == 0) {
		for (size_t i = 0; i < count && ret >= 0; i++)
			if ((ret = net_remove_damaged(s, names[i])) == 1 && removed)
				removed(names[i], arg);
		state_list_free(names, count);
		ret = ret < 0 ? ret : 0;
	}

	for (size_t i = 0; i < n && !ret; i++) {
		if (v[i].predefined || (ret = ep_reap(s, &v[i])) || v[i].members.n)
			continue;
		if (!(ret = net_remove(s, v[i].name)) && removed)
			removed(v[i].name, arg);
	}
	net_list_free(v, n);
	return ret;
}

int net_undo_create(void *ctx, const struct kvs *k)
{
	struct session *s = ctx;
	struct network n;
	const char *name = kv_get(k, "network"), *bridge = kv_get(k, "bridge");

	if (!name || !bridge)
		return 0;
	if (net_load(&s->st, name, &n) == 0) {
		net_free(&n);
		return 0; /* it got as far as saving: complete */
	}
	memset(&n, 0, sizeof(n));
	snprintf(n.bridge, sizeof(n.bridge), "%s", bridge);
	n.own_bridge = kv_get(k, "own") && !strcmp(kv_get(k, "own"), "1");
	ip_parse(kv_get(k, "gateway") ? kv_get(k, "gateway") : "", AF_INET, &n.gateway);
	pfx_parse(kv_get(k, "subnet") ? kv_get(k, "subnet") : "", AF_INET, &n.subnet);
	ip_parse(kv_get(k, "gateway6") ? kv_get(k, "gateway6") : "", AF_INET6, &n.gateway6);
	pfx_parse(kv_get(k, "subnet6") ? kv_get(k, "subnet6") : "", AF_INET6, &n.subnet6);
	net_teardown_kernel(s, &n);
	net_delete_state(s, name);
	return 0;
}

int net_undo_remove(void *ctx, const struct kvs *k)
{
	struct session *s = ctx;
	struct network n;
	const char *name = kv_get(k, "network");

	if (!name || net_load(&s->st, name, &n))
		return 0;
	/* the overlay first: its device is no port the bridge takes with it */
	vxlan_drop(s, name);
	net_teardown_kernel(s, &n);
	net_free(&n);
	return net_delete_state(s, name);
}
