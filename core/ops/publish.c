// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/publish.h"
#include "core/state/ports.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "core/ops/firewall.h"
#include "core/model/fwmodel.h"
#include "core/state/journal.h"
#include "lib/names.h"
#include "core/ops/lookup.h"
#include "netlink/addr_route.h"
#include "netlink/netns.h"

/* whether @ctr is a container: a namespace of that name, or one boxnet
 * knows (connected, its namespace gone) */
static bool ctr_exists(struct session *s, const char *ctr)
{
	char path[PATH_MAX];

	if (!obj_name_valid(ctr))
		return false;
	if (ns_path(path, sizeof(path), ctr) == 0 && access(path, F_OK) == 0)
		return true;
	snprintf(path, sizeof(path), "containers/%s", ctr);
	return state_has(&s->st, path);
}

/* the network the ports go to, and the container's address there */
static int pick_network(struct session *s, const char *ctr, const char *netref,
			struct network *n, struct endpoint *e)
{
	struct container c;
	const char *name = NULL;
	int ret = ctr_load(&s->st, ctr, &c);

	if (ret)
		return session_fail(s, ret, "cannot read container %s: %s", ctr, errstr(ret));
	if (!c.nnetworks) {
		ctr_free(&c);
		return session_fail(s, -ENOENT, "container %s is not connected to any network", ctr);
	}
	name = c.gateway[0] ? c.gateway : c.gateway6[0] ? c.gateway6 : c.networks[0];
	ret = net_find(s, netref ? netref : name, n);
	ctr_free(&c);
	if (ret)
		return ret;
	if (ep_load(&s->st, n->name, ctr, e)) {
		ret = session_fail(s, -ENOENT, "container %s is not connected to network %s", ctr,
				   n->name);
	} else if (!net_bridged(n) || (!ip_is_set(&e->ip) && !ip_is_set(&e->ip6))) {
		ret = session_fail(s, -EINVAL, "network %s has no addresses to publish ports from",
				   n->name);
		ep_free(e);
	} else if (n->internal) {
		ret = session_fail(s, -EINVAL, "network %s is internal: no published ports", n->name);
		ep_free(e);
	}
	if (ret)
		net_free(n);
	return ret;
}

/* a host address must be 0.0.0.0 (none), loopback, or one of the host's own */
static int check_host_ip(struct session *s, const struct ipaddr *ip)
{
	char a[IP_STRLEN];
	int ret;

	if (!ip_is_set(ip) || (ip->family == AF_INET && ip->v4 >> 24 == 127) ||
	    (ip->family == AF_INET6 && !memcmp(ip->v6, (uint8_t[16]){ 0 }, 16)))
		return 0;
	ret = nl_addr_find(s->nl, ip);
	if (ret == -ENOENT)
		return session_fail(s, -EADDRNOTAVAIL, "cannot publish on %s: not an address of this "
						       "host", port_ip_format(ip, a));
	return ret < 0 ? session_fail(s, ret, "cannot read addresses: %s", errstr(ret)) : 0;
}

static int taken(struct session *s, const struct port_map *m)
{
	char a[IP_STRLEN];

	return session_fail(s, -EADDRINUSE, "Bind for %s:%u failed: port is already allocated",
			    port_ip_format(&m->p.host_ip, a), m->p.host_lo);
}

/* @m against the published ports and the first @n of this command's */
static int conflict(struct session *s, const struct port_map *m, const struct fw_port *mine,
		    size_t n)
{
	struct fw_port hit;
	int ret = ports_in_use(&s->st, &m->p, &hit);

	if (ret == -EBADMSG)
		return session_load_fail(s, ret, "the published ports");
	if (ret < 0)
		return session_fail(s, ret, "cannot read the index of published ports: %s (netprune "
					    "rebuilds it)", errstr(ret));
	if (ret)
		return taken(s, m);
	for (size_t i = 0; i < n; i++)
		if (ports_overlap(&m->p, &mine[i]))
			return taken(s, m);
	return 0;
}

static void show_rules(const struct port_map *m, size_t n, FILE *f)
{
	struct fw_ruleset r = { 0 };

	for (size_t i = 0; i < n; i++)
		fw_port_rules(&m[i].p, &r);
	for (size_t i = 0; i < r.n; i++) {
		/* ip6tables' rules say so: the same words hold for both */
		fprintf(f, "%s-t %s ", fw_is6(&r.v[i]) ? "ip6 " : "", fw_table_names[r.v[i].table]);
		fwrule_text(&r.v[i], f);
	}
	fw_free(&r);
}

int publish_add(struct session *s, const char *ctr, const char *netref, char *const *specs,
		size_t nspecs, FILE *dry)
{
	struct port_map *add = calloc(nspecs + 1, sizeof(*add));
	struct fw_port *mine = calloc(nspecs + 1, sizeof(*mine));
	struct network n = { 0 };
	struct endpoint e = { 0 };
	const char *bind;
	int ret;

	if (!add || !mine) {
		free(add);
		free(mine);
		return session_fail(s, -ENOMEM, "out of memory");
	}
	if (!obj_name_valid(ctr)) {
		ret = session_fail(s, -EINVAL, "invalid container name \"%s\"", ctr);
		goto out;
	}
	/* every SPEC is checked before anything is touched */
	for (size_t i = 0; i < nspecs; i++) {
		char why[256];

		if ((ret = port_spec_parse(specs[i], &add[i], why, sizeof(why)))) {
			session_fail(s, ret, "%s", why);
			goto out;
		}
	}
	if ((ret = pick_network(s, ctr, netref, &n, &e)))
		goto out;
	bind = pairs_get(&n.opts, "com.docker.network.bridge.host_binding_ipv4");
	for (size_t i = 0; i < nspecs && !ret; i++) {
		struct port_map *m = &add[i];

		bool v6 = m->p.host_ip.family == AF_INET6;

		if (m->any_ip && bind)
			port_ip_parse(bind, &m->p.host_ip);
		/* an IPv6 host address goes to the IPv6 address; every address
		 * to the IPv4 one, and the firewall adds its IPv6 twin */
		m->p.ctr_ip = v6 || !ip_is_set(&e.ip) ? e.ip6 : e.ip;
		if (!ip_is_set(&m->p.ctr_ip)) {
			ret = session_fail(s, -EINVAL, "container %s has no IPv6 address on network %s",
					   ctr, n.name);
			break;
		}
		snprintf(m->p.bridge, sizeof(m->p.bridge), "%s", n.bridge);
		snprintf(m->container, sizeof(m->container), "%s", ctr);
		snprintf(m->network, sizeof(m->network), "%s", n.name);
		if (!(ret = check_host_ip(s, &m->p.host_ip)))
			ret = conflict(s, m, mine, i);
		mine[i] = m->p;
	}
	if (ret || dry) {
		if (!ret)
			show_rules(add, nspecs, dry);
		goto out;
	}
	if ((ret = session_journal(s, "ports", "container", ctr, NULL)))
		goto out;
	for (size_t i = 0; i < nspecs && !ret; i++)
		if ((ret = port_save(&s->st, &add[i])))
			session_fail(s, ret, "cannot save the port: %s", errstr(ret));
	if (!ret)
		ret = fw_port_added(s, add, nspecs);
	if (ret) {
		/* all or nothing: back to the ports there were */
		char why[sizeof(s->err)];

		memcpy(why, s->err, sizeof(why));
		for (size_t i = 0; i < nspecs; i++)
			port_remove(&s->st, &add[i]);
		fw_sync(s);
		memcpy(s->err, why, sizeof(why));
	}
	journal_end(&s->st);
out:
	free(mine);
	free(add);
	ep_free(&e);
	net_free(&n);
	return ret;
}

/* does @m match one of @want (or are there none)? */
static bool matches(const struct port_map *m, const struct port_map *want, size_t n, bool *used)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (want[i].p.proto == m->p.proto && want[i].p.host_lo == m->p.host_lo &&
		    want[i].p.host_hi == m->p.host_hi && want[i].p.ctr_lo == m->p.ctr_lo &&
		    (want[i].any_ip ? m->any_ip || !ip_is_set(&m->p.host_ip)
				    : ip_eq(&want[i].p.host_ip, &m->p.host_ip))) {
			used[i] = true;
			return true;
		}
	return false;
}

/* could the port whose file name says @k be one that @want names? What the
 * name holds of it: protocol, host ports and address (a SPEC without one
 * names a port on every address, or on the network's binding address) */
static bool key_may_match(const struct fw_port *k, const struct port_map *want, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (want[i].p.proto == k->proto && want[i].p.host_lo == k->host_lo &&
		    want[i].p.host_hi == k->host_hi &&
		    (want[i].any_ip || ip_eq(&want[i].p.host_ip, &k->host_ip)))
			return true;
	return false;
}

int publish_del(struct session *s, const char *ctr, char *const *specs, size_t nspecs, FILE *dry)
{
	struct port_map *gone = NULL, *want = calloc(nspecs + 1, sizeof(*want));
	struct fw_port *keys = NULL;
	size_t nkeys = 0, ngone = 0;
	bool *used = calloc(nspecs + 1, sizeof(bool)), all = nspecs > 0;
	int ret = used && want ? 0 : -ENOMEM;

	for (size_t i = 0; i < nspecs && !ret; i++) {
		char why[256];

		if ((ret = port_spec_parse(specs[i], &want[i], why, sizeof(why))))
			session_fail(s, ret, "%s", why);
	}
	/* a SPEC names its file (a port on every address is 0.0.0.0's) unless
	 * the network binds "every address" elsewhere: the files named are
	 * read, and no folder, however many other ports there are */
	if (!ret && !(gone = calloc(nspecs + 1, sizeof(*gone))))
		ret = -ENOMEM;
	for (size_t i = 0; i < nspecs && !ret; i++)
		if ((ret = port_load_key(&s->st, &want[i].p, &gone[ngone])) == -ENOENT)
			ret = 0;
		else if (ret)
			session_load_fail(s, ret, "the published ports");
		else if (!strcmp(gone[ngone].container, ctr) && matches(&gone[ngone], want, nspecs, used))
			ngone++;
	for (size_t i = 0; i < nspecs && !ret; i++)
		all &= used[i];
	if (!all) {
		/* else the file names say which files can be the ports named:
		 * only those are read */
		ngone = 0;
		memset(used, 0, (nspecs + 1) * sizeof(*used));
		free(gone);
		gone = NULL;
		if (!ret && (ret = ports_load_keys(&s->st, &keys, &nkeys)) == 0 &&
		    !(gone = calloc(nkeys + 1, sizeof(*gone))))
			ret = -ENOMEM;
		if (ret && !s->err[0])
			session_load_fail(s, ret, "the published ports");
		for (size_t i = 0; i < nkeys && !ret; i++) {
			if (!key_may_match(&keys[i], want, nspecs))
				continue;
			if ((ret = port_load_key(&s->st, &keys[i], &gone[ngone])))
				session_load_fail(s, ret, "the published ports");
			else if (!strcmp(gone[ngone].container, ctr) &&
				 matches(&gone[ngone], want, nspecs, used))
				ngone++;
		}
	}
	for (size_t i = 0; i < nspecs && !ret; i++)
		if (!used[i])
			ret = session_fail(s, -ENOENT, "container %s has no published port %s", ctr,
					   specs[i]);
	if (!ret && dry)
		show_rules(gone, ngone, dry);
	if (!ret && !dry && ngone && !(ret = session_journal(s, "ports", "container", ctr, NULL))) {
		size_t removed = 0;

		while (removed < ngone && !(ret = port_remove(&s->st, &gone[removed])))
			removed++;
		if (ret)
			session_fail(s, ret, "cannot remove the port: %s", errstr(ret));
		else
			ret = fw_port_removed(s, gone, ngone);
		if (ret) {
			/* all or nothing: back to the ports there were */
			char why[sizeof(s->err)];

			memcpy(why, s->err, sizeof(why));
			for (size_t i = 0; i < removed; i++)
				port_save(&s->st, &gone[i]);
			fw_sync(s);
			memcpy(s->err, why, sizeof(why));
		}
		journal_end(&s->st);
	}
	free(keys);
	free(gone);
	free(want);
	free(used);
	return ret;
}

static int by_port(const void *a, const void *b)
{
	const struct port_map *x = a, *y = b;
	int c = strcmp(x->container, y->container);

	if (c)
		return c;
	if (x->p.ctr_lo != y->p.ctr_lo)
		return x->p.ctr_lo - y->p.ctr_lo;
	return x->p.proto - y->p.proto;
}

int publish_list(struct session *s, const char *ctr, struct port_listing **out, size_t *nout)
{
	struct port_map *v;
	size_t n, kept = 0;
	bool twin = false;
	int ret = ports_load_all(&s->st, &v, &n);

	*out = NULL;
	*nout = 0;
	if (ret)
		return session_load_fail(s, ret, "the published ports");
	for (size_t i = 0; i < n; i++)
		if (!ctr || !strcmp(v[i].container, ctr))
			v[kept++] = v[i];
	if (kept)
		qsort(v, kept, sizeof(*v), by_port);
	/* as `docker port`: a container without ports lists nothing, one that
	 * does not exist (no namespace, no endpoint) is an error */
	if (ctr && !kept && !ctr_exists(s, ctr)) {
		free(v);
		return session_fail(s, -ENOENT, "No such container: %s", ctr);
	}
	/* a port on every address of a container with an IPv6 address: one line more */
	if (!(*out = calloc(2 * kept + 1, sizeof(**out)))) {
		free(v);
		return session_fail(s, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < kept; i++) {
		struct port_listing *l = &(*out)[(*nout)++];
		struct endpoint e;
		char a[IP_STRLEN];
		bool v6 = v[i].p.host_ip.family == AF_INET6,
		     /* sorted by container: its endpoint is read once, not per port */
		     same = i && !strcmp(v[i].container, v[i - 1].container) &&
			    !strcmp(v[i].network, v[i - 1].network);

		snprintf(l->container, sizeof(l->container), "%s", v[i].container);
		snprintf(l->host_ip, sizeof(l->host_ip), v6 ? "[%s]" : "%s",
			 port_ip_format(&v[i].p.host_ip, a));
		l->proto = port_proto_name(v[i].p.proto);
		l->host_lo = v[i].p.host_lo;
		l->ctr_lo = v[i].p.ctr_lo;
		l->ctr_hi = v[i].p.ctr_hi;
		if (!same && (twin = false, ep_load(&s->st, v[i].network, v[i].container, &e) == 0)) {
			twin = ip_is_set(&e.ip6);
			ep_free(&e);
		}
		if (twin && !ip_is_set(&v[i].p.host_ip) && v[i].p.ctr_ip.family == AF_INET) {
			(*out)[*nout] = *l;
			snprintf((*out)[(*nout)++].host_ip, sizeof(l->host_ip), "[::]");
		}
	}
	free(v);
	return 0;
}
