// SPDX-License-Identifier: GPL-2.0-or-later
/* The runtime front ends' use cases: see core/ops/runtime.h. */
#include "core/ops/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/ops/endpoint.h"
#include "core/ops/lookup.h"
#include "core/ops/publish.h"
#include "core/state/hosts.h"
#include "lib/errstr.h"
#include "netlink/addr_route.h"
#include "netlink/link.h"
#include "netlink/netns.h"

#define ORIGIN "cni"

/* run @undo without letting it replace the reason of the failure being undone */
#define KEEP_ERR(s, undo)                                   \
	do {                                                \
		char why_[sizeof((s)->err)];                \
		memcpy(why_, (s)->err, sizeof(why_));       \
		undo;                                       \
		memcpy((s)->err, why_, sizeof(why_));       \
	} while (0)

/* the network to join: found, or made from the configuration */
static int join_network(struct session *s, const struct net_spec *sp, struct network *n,
			bool *created)
{
	int ret = net_find(s, sp->name, n);

	*created = false;
	if (ret == -ENOENT) {
		s->err[0] = 0;
		ret = net_create(s, sp, n);
		/* a network the configuration cannot make is the configuration's fault */
		if (ret && ret != -ENOMEM && ret != -EIO)
			ret = -EINVAL;
		*created = !ret;
		return ret;
	}
	if (!ret && !net_bridged(n)) {
		net_free(n);
		ret = session_fail(s, -EINVAL, "network %s is not a bridge network", sp->name);
	}
	return ret;
}

/*
 * The namespace of a CNI container lives as long as boxnet's binding of it on
 * /run/netns/CONTAINER, which every applet opens it by. A runtime that sends
 * no DEL (ctr run -d of containerd 1.6) would leave a dead container's
 * namespace, addresses and names to the next GC, which that runtime never
 * sends either. So the runtime's own name for the namespace, CNI_NETNS, is
 * kept as the symlink cnins/CONTAINER in the state: while it leads to the
 * namespace bound as the container, the container lives (its process or the
 * runtime's own binding holds it); once it leads nowhere (the process of
 * /proc/PID/ns/net is gone, the runtime unmounted its path) or to another
 * namespace (the PID was reused), only boxnet holds it, and an ADD or a
 * GC tears the container down as a DEL would (reap_dead: a GC looks at every
 * container, an ADD at a few in turn).
 */
#define CNINS "cnins"

static void cnins_rel(char rel[OBJNAME_MAX + 8], const char *ctr)
{
	snprintf(rel, OBJNAME_MAX + 8, CNINS "/%s", ctr);
}

/* remember @nspath for @ctr: best effort, a container without it is only
 * never reaped (an absolute path only: a symlink resolves relative ones from
 * its own folder) */
static void cnins_keep(struct session *s, const char *ctr, const char *nspath)
{
	char rel[OBJNAME_MAX + 8], own[PATH_MAX];

	ns_path(own, sizeof(own), ctr);
	if (nspath[0] != '/' || !strcmp(nspath, own))
		return; /* the runtime's own path is the binding: its going is seen anyway */
	if (mkdirat(s->st.dirfd, CNINS, 0755) < 0 && errno != EEXIST)
		return;
	cnins_rel(rel, ctr);
	unlinkat(s->st.dirfd, rel, 0);
	symlinkat(nspath, s->st.dirfd, rel);
}

/* drop the /run/netns name boxnet bound for @ctr once it is on no network */
static void unbind(struct session *s, const char *ctr, bool attached)
{
	struct container c;
	char rel[OBJNAME_MAX + 8];

	if (!attached || ctr_load(&s->st, ctr, &c))
		return;
	if (!c.nnetworks) {
		ns_delete(ctr);
		cnins_rel(rel, ctr);
		unlinkat(s->st.dirfd, rel, 0);
	}
	ctr_free(&c);
}

/* @ctr's CNI_NETNS leads nowhere, or to another namespace than the one
 * bound as @ctr: nothing but boxnet holds the container's namespace. In
 * doubt (another error) it lives. */
static bool cnins_dead(int dfd, const char *ctr)
{
	char own[PATH_MAX];
	struct stat src, bound;

	if (fstatat(dfd, ctr, &src, 0) < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ESRCH;
	if (ns_path(own, sizeof(own), ctr) || stat(own, &bound) < 0)
		return errno == ENOENT;
	return src.st_dev != bound.st_dev || src.st_ino != bound.st_ino;
}

static int rt_leave_all(struct session *s, const char *ctr);

/*
 * An ADD looks at REAP_BATCH CNI containers, in turn from where the last one
 * stopped (the name in CNINS_NEXT): an ADD costs the same whatever the number
 * of containers, and a dead one is found within count / REAP_BATCH ADDs
 * (at the next ADD while there are at most REAP_BATCH). A GC looks at all.
 */
#define REAP_BATCH 8
#define CNINS_NEXT "cnins.next"

/* the dead CNI containers (see CNINS) among @batch of them (0: all) leave
 * all their networks */
static int reap_dead(struct session *s, size_t batch)
{
	int dfd = openat(s->st.dirfd, CNINS, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;
	struct members dead = { 0 };
	char **names, *next = NULL;
	size_t n, start = 0;

	if (dfd < 0)
		return 0;
	if ((ret = state_list(&s->st, CNINS, &names, &n))) {
		close(dfd);
		return session_fail(s, ret, "cannot list " CNINS ": %s", errstr(ret));
	}
	if (batch && batch < n) {
		if (state_read(&s->st, CNINS_NEXT, &next) == 0)
			while (start < n && strcmp(names[start], next) < 0)
				start++;
		free(next);
		next = NULL;
	} else {
		batch = n;
	}
	for (size_t k = 0; k < batch && !ret; k++) {
		const char *name = names[(start + k) % n];

		if (obj_name_valid(name) && cnins_dead(dfd, name))
			ret = members_add(&dead, name, 0);
	}
	close(dfd);
	/* where the next ADD goes on (best effort: at worst it starts over) */
	if (!ret && batch < n)
		state_write(&s->st, CNINS_NEXT, names[(start + batch) % n],
			    strlen(names[(start + batch) % n]));
	state_list_free(names, n);
	if (ret)
		return session_fail(s, ret, "out of memory");
	/* each leave changes the folder: after the listing. One that fails is
	 * not this command's failure: the journal finishes it, or the next
	 * ADD tries again */
	for (size_t i = 0; i < dead.n; i++) {
		if (rt_leave_all(s, dead.name[i]))
			s->err[0] = 0;
		free(dead.name[i]);
	}
	free(dead.name);
	free(dead.ino);
	return 0;
}

static bool was_attached(struct session *s, const char *ctr)
{
	struct container c;
	bool a = false;

	if (ctr_load(&s->st, ctr, &c) == 0) {
		a = c.attached;
		ctr_free(&c);
	}
	return a;
}

int rt_nspath_check(struct session *s, const char *nspath)
{
	struct stat a, b;
	int fd = open(nspath, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return session_fail(s, -EINVAL, "cannot open %s: %s", nspath, errstr(errno));
	ret = ns_is_net(fd) == 1 && fstat(fd, &a) == 0 ? 0 : -EINVAL;
	close(fd);
	if (ret)
		return session_fail(s, ret, "%s is not a network namespace", nspath);
	/* the host's own: the plugin would give the host an address and routes */
	if (stat("/proc/self/ns/net", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return session_fail(s, -EINVAL, "%s is the host's network namespace, not a container's",
				    nspath);
	return 0;
}

/* has @ctr published ports already? A runtime passes a container's ports
 * again with every network it joins (podman does): they stay where the
 * first ADD published them rather than being refused as taken, by the
 * container itself, on the next network */
static bool published(struct session *s, const char *ctr)
{
	struct port_listing *v = NULL;
	size_t n = 0;
	bool any = publish_list(s, ctr, &v, &n) == 0 && n > 0;

	free(v);
	s->err[0] = 0;
	return any;
}

int rt_add(struct session *s, const struct rt_attach *a, struct rt_result *out)
{
	struct ep_spec sp = { .network = a->create->name, .container = a->container, .ip = a->ip,
			      .ip6 = a->ip6, .ifname = a->ifname, .mac = a->mac, .nspath = a->nspath,
			      .aliases = a->aliases, .naliases = a->naliases, .origin = ORIGIN };
	bool created, bound_before = was_attached(s, a->container);
	struct nl_link l;
	int ret;

	memset(out, 0, sizeof(*out));
	/* the dead give back their addresses before this one takes one */
	if ((ret = reap_dead(s, REAP_BATCH)) ||
	    (ret = join_network(s, a->create, &out->net, &created)))
		return ret;
	net_free(&out->net);
	if ((ret = ep_connect(s, &sp, &out->ep))) {
		if (created)
			KEEP_ERR(s, net_remove(s, a->create->name));
		return ret;
	}
	if (a->nports && !published(s, a->container) &&
	    (ret = publish_add(s, a->container, a->create->name, a->ports, a->nports, NULL))) {
		/* a port the configuration asks for that cannot be had: the
		 * container does not half-join */
		KEEP_ERR(s, {
			ep_disconnect(s, a->create->name, a->container, true);
			unbind(s, a->container, !bound_before);
			if (created)
				net_remove(s, a->create->name);
		});
		ep_free(&out->ep);
		return ret == -ENOMEM || ret == -EADDRINUSE ? ret : -EINVAL;
	}
	if ((ret = net_load(&s->st, a->create->name, &out->net))) {
		ep_free(&out->ep);
		return session_fail(s, ret, "cannot read network %s: %s", a->create->name,
				    errstr(ret));
	}
	if (nl_link_get(s->nl, out->ep.veth, 0, &l) == 0)
		memcpy(out->host_mac, l.mac, 6);
	if (was_attached(s, a->container))
		cnins_keep(s, a->container, a->nspath);
	return 0;
}

void rt_result_free(struct rt_result *r)
{
	ep_free(&r->ep);
	net_free(&r->net);
}

int rt_del(struct session *s, const char *net, const char *ctr)
{
	bool attached = was_attached(s, ctr);
	struct network n;
	int ret = obj_name_valid(net) ? net_find(s, net, &n) : -ENOENT;

	if (ret == -ENOENT) {
		s->err[0] = 0;
		unbind(s, ctr, attached);
		return 0;
	}
	if (ret)
		return ret;
	ret = ep_disconnect(s, n.name, ctr, true);
	if (!ret)
		unbind(s, ctr, attached);
	net_free(&n);
	return ret;
}

/* the container's interface @ifname holds @ip, in the namespace at @nspath */
static int check_inside(struct session *s, const struct endpoint *e, const char *nspath)
{
	struct nl *in = NULL;
	struct nl_link l;
	int fd = open(nspath, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0 || ns_is_net(fd) != 1) {
		ret = session_fail(s, -EINVAL, "%s is not a network namespace", nspath);
		goto out;
	}
	if ((ret = nl_open_netns(&in, NETLINK_ROUTE, fd))) {
		session_fail(s, ret, "cannot enter %s: %s", nspath, errstr(ret));
		goto out;
	}
	if (nl_link_get(in, e->ifname, 0, &l)) {
		ret = session_fail(s, -ENODEV, "interface %s is missing in %s", e->ifname, nspath);
		goto out;
	}
	if (ip_is_set(&e->ip) && nl_addr_find(in, &e->ip) != l.index) {
		char a[IP_STRLEN];

		ret = session_fail(s, -EADDRNOTAVAIL, "interface %s has lost its address %s", e->ifname,
				   ip_format(&e->ip, a));
	}
out:
	nl_close(in);
	if (fd >= 0)
		close(fd);
	return ret;
}

int rt_check(struct session *s, const char *net, const char *ctr, const char *ifname,
	     const char *nspath)
{
	struct network n;
	struct endpoint e;
	struct nl_link host, br;
	int ret = net_find(s, net, &n);

	if (ret)
		return ret;
	if (!obj_name_valid(ctr) || ep_load(&s->st, n.name, ctr, &e)) {
		net_free(&n);
		return session_fail(s, -ENOENT, "container %s is not connected to network %s", ctr, net);
	}
	if (strcmp(e.ifname, ifname))
		ret = session_fail(s, -EINVAL, "container %s has interface %s on %s, not %s", ctr,
				   e.ifname, net, ifname);
	else if (nl_link_get(s->nl, e.veth, 0, &host) || nl_link_get(s->nl, n.bridge, 0, &br) ||
		 host.master != br.index)
		ret = session_fail(s, -ENODEV, "the host end %s of %s is not on bridge %s", e.veth,
				   ctr, n.bridge);
	else
		ret = check_inside(s, &e, nspath);
	ep_free(&e);
	net_free(&n);
	return ret;
}

int rt_gc(struct session *s, const char *net,
	  bool (*valid)(const char *ctr, const char *ifname, void *arg), void *arg)
{
	struct network n;
	struct members m = { 0 };
	int ret = net_find(s, net, &n);

	if (ret == -ENOENT) {
		s->err[0] = 0;
		return reap_dead(s, 0);
	}
	if (ret || (ret = reap_dead(s, 0)))
		goto out;
	/* the dead may have left @net: its member list again */
	net_free(&n);
	if ((ret = net_find(s, net, &n)) || (ret = ep_reap(s, &n)))
		goto out;
	/* a copy: each teardown rewrites the network's member list */
	for (size_t i = 0; i < n.members.n && !ret; i++)
		ret = members_add(&m, n.members.name[i], 0);
	for (size_t i = 0; i < m.n && !ret; i++) {
		struct endpoint e;
		bool stale;

		if (ep_load(&s->st, n.name, m.name[i], &e))
			continue;
		stale = !strcmp(e.origin, ORIGIN) && !valid(m.name[i], e.ifname, arg);
		ep_free(&e);
		if (stale)
			ret = rt_del(s, n.name, m.name[i]);
	}
out:
	for (size_t i = 0; i < m.n; i++)
		free(m.name[i]);
	free(m.name);
	free(m.ino);
	net_free(&n);
	return ret;
}

int rt_status(struct session *s, const char *net)
{
	struct network n;
	struct nl_link l;
	int ret = obj_name_valid(net) ? net_find(s, net, &n) : -ENOENT;

	if (ret == -ENOENT) {
		s->err[0] = 0;
		return 0;
	}
	if (ret)
		return ret == -ENOMEM ? ret : -EIO; /* damaged: net_find said which file */
	if (nl_link_get(s->nl, n.bridge, 0, &l) || !l.is_bridge)
		ret = session_fail(s, -ENODEV, "the bridge %s of network %s is missing", n.bridge,
				   n.name);
	net_free(&n);
	return ret;
}

/* record the rootfs of @ctr and write its files there */
static int set_rootfs(struct session *s, const char *ctr, const char *rootfs)
{
	struct container c;
	int ret = ctr_load(&s->st, ctr, &c);

	if (ret)
		return session_fail(s, ret, "cannot read container %s: %s", ctr, errstr(ret));
	free(c.rootfs);
	if (!(c.rootfs = strdup(rootfs)))
		ret = -ENOMEM;
	if (!ret && !(ret = ctr_save(&s->st, &c)) && (ret = hosts_rootfs(&s->st, &c)))
		session_fail(s, ret, "cannot write %s/etc/hosts: %s", rootfs, errstr(ret));
	else if (ret)
		session_fail(s, ret, "cannot save container %s: %s", ctr, errstr(ret));
	ctr_free(&c);
	return ret;
}

int rt_hook_add(struct session *s, const struct rt_hook *h)
{
	size_t joined = 0;
	int ret = 0;

	for (; joined < h->nnetworks && !ret; joined++) {
		struct ep_spec sp = { .network = h->networks[joined], .container = h->container,
				      .ip = joined ? NULL : h->ip, .ip6 = joined ? NULL : h->ip6,
				      .aliases = h->aliases,
				      .naliases = h->naliases, .pid = joined ? 0 : h->pid,
				      .origin = "oci" };
		struct endpoint e;

		if ((ret = ep_connect(s, &sp, &e)))
			break;
		ep_free(&e);
	}
	if (!ret && h->nports)
		ret = publish_add(s, h->container, NULL, h->ports, h->nports, NULL);
	if (!ret)
		ret = set_rootfs(s, h->container, h->rootfs);
	if (ret)
		KEEP_ERR(s, {
			while (joined--)
				rt_del(s, h->networks[joined], h->container);
		});
	return ret;
}

/* @ctr leaves every network it is on (its binding goes with the last), and
 * its CNI_NETNS is forgotten */
static int rt_leave_all(struct session *s, const char *ctr)
{
	struct container c;
	char rel[OBJNAME_MAX + 8];
	int ret = ctr_load(&s->st, ctr, &c), r;

	if (ret)
		return session_fail(s, ret, "cannot read container %s: %s", ctr, errstr(ret));
	/* each leave rewrites the file, never the copy in @c */
	for (size_t i = 0; i < c.nnetworks; i++)
		if ((r = rt_del(s, c.networks[i], ctr)) && !ret)
			ret = r;
	ctr_free(&c);
	cnins_rel(rel, ctr);
	if (!ret)
		unlinkat(s->st.dirfd, rel, 0);
	return ret;
}

int rt_hook_del(struct session *s, const char *ctr, const char *rootfs)
{
	struct container c;
	int ret = ctr_load(&s->st, ctr, &c), r;

	if (ret)
		return session_fail(s, ret, "cannot read container %s: %s", ctr, errstr(ret));
	if (c.rootfs && (!rootfs || !strcmp(rootfs, c.rootfs)))
		/* each leave rewrites the file, never the copy in @c */
		for (size_t i = 0; i < c.nnetworks; i++)
			if ((r = rt_del(s, c.networks[i], ctr)) && !ret)
				ret = r;
	ctr_free(&c);
	return ret;
}

int connect_publish(struct session *s, const struct ep_spec *sp, char *const *specs, size_t n,
		    struct endpoint *out)
{
	bool bound_before = true;
	int ret;

	/* --pid binds the namespace unless it is there already */
	if (n && (sp->pid > 0 || sp->nspath) && obj_name_valid(sp->container)) {
		int fd = ns_open(sp->container);

		bound_before = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	if ((ret = ep_connect(s, sp, out)) || !n ||
	    !(ret = publish_add(s, sp->container, out->network, specs, n, NULL)))
		return ret;
	/* the reason shown is the port's, whatever the undoing says */
	KEEP_ERR(s, {
		ep_disconnect(s, out->network, sp->container, true);
		if (!bound_before) /* --pid bound it: nothing else can have joined it */
			ns_delete(sp->container);
	});
	ep_free(out);
	return ret;
}
