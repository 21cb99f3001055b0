// SPDX-License-Identifier: GPL-2.0-or-later
/* Taking endpoints apart: disconnect, and the repair of half-made ones. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ops/endpoint.h"
#include "lib/errstr.h"
#include "core/ops/firewall.h"
#include "core/state/ports.h"
#include "core/state/hosts.h"
#include "core/model/ipam.h"
#include "core/state/journal.h"
#include "netlink/netns.h"
#include "core/ops/lookup.h"
#include "netlink/addr_route.h"
#include "netlink/link.h"

/* @ip is free again in the pool @sub of @used (the text form, replaced) */
static int release_one(const struct ipprefix *sub, const struct ipprefix *range, char **used,
		       const struct ipaddr *ip)
{
	struct ipam m;
	char *text;
	int ret;

	if (!ip_is_set(ip) || ip->family != sub->a.family)
		return 0;
	ipam_init(&m, sub, range);
	if ((ret = ipam_load(&m, *used)) == 0) {
		ipam_release(&m, ip);
		if ((ret = ipam_save(&m, &text)) == 0) {
			free(*used);
			*used = text;
		}
	}
	ipam_free(&m);
	/* a damaged used set is no reason to keep a gone endpoint */
	return ret == -EINVAL ? 0 : ret;
}

/* forget @ip, @ip6 and @ctr in network @net's file */
static int release(struct session *s, const char *net, const char *ctr, const struct ipaddr *ip,
		   const struct ipaddr *ip6)
{
	struct network n;
	int ret = net_load(&s->st, net, &n);

	/* no network, or a damaged file (netrm -f removes it): nothing to release */
	if (ret)
		return ret == -ENOENT || ret == -EBADMSG ? 0 : ret;
	members_del(&n.members, ctr);
	ret = release_one(&n.subnet, n.has_range ? &n.ip_range : NULL, &n.used, ip);
	if (!ret && n.ipv6)
		ret = release_one(&n.subnet6, n.has_range6 ? &n.ip_range6 : NULL, &n.used6, ip6);
	if (!ret)
		ret = net_save(&s->st, &n);
	net_free(&n);
	return ret;
}

/* the default routes of @c that network @left gave now come from its first
 * other non-internal network of that family */
static void move_gateway(struct session *s, struct container *c, const char *left)
{
	struct nl *in = NULL;
	bool v4 = !strcmp(c->gateway, left), v6 = !strcmp(c->gateway6, left);
	int nsfd;

	if (v4)
		c->gateway[0] = 0;
	if (v6)
		c->gateway6[0] = 0;
	if ((!v4 && !v6) || (nsfd = ns_open(c->name)) < 0)
		return; /* the container is gone: nothing to route */
	if (nl_open_netns(&in, NETLINK_ROUTE, nsfd) == 0) {
		for (size_t i = 0; i < c->nnetworks && ((v4 && !c->gateway[0]) || (v6 && !c->gateway6[0])); i++) {
			struct network n;
			struct endpoint e;
			struct nl_link l;

			if (net_load(&s->st, c->networks[i], &n))
				continue;
			if (!n.internal && net_bridged(&n) &&
			    ep_load(&s->st, n.name, c->name, &e) == 0) {
				/* each family that lost its route and the network has */
				if (nl_link_get(in, e.ifname, 0, &l))
					l.index = 0;
				if (l.index && v4 && !c->gateway[0] && ip_is_set(&e.ip) &&
				    nl_route_default(in, true, &n.gateway, l.index) == 0)
					snprintf(c->gateway, sizeof(c->gateway), "%s", n.name);
				if (l.index && v6 && !c->gateway6[0] && ip_is_set(&e.ip6) &&
				    nl_route_default(in, true, &n.gateway6, l.index) == 0)
					snprintf(c->gateway6, sizeof(c->gateway6), "%s", n.name);
				ep_free(&e);
			}
			net_free(&n);
		}
		nl_close(in);
	}
	close(nsfd);
}

/* the one veth on @net's bridge that no endpoint file names: the host end of
 * an endpoint whose own file lost it (damaged); 0 when not exactly one */
static int orphan_veth(struct session *s, const char *net)
{
	struct network n;
	struct nl_link br;
	struct nl_links links = { 0 };
	char rel[OBJNAME_MAX + 16], **eps;
	size_t neps;
	int found = 0, count = 0;

	if (net_load(&s->st, net, &n))
		return 0;
	snprintf(rel, sizeof(rel), "endpoints/%s", net);
	if (nl_link_get(s->nl, n.bridge, 0, &br) == 0 && state_list(&s->st, rel, &eps, &neps) == 0) {
		if (nl_link_list(s->nl, "veth", &links) == 0)
			for (size_t i = 0; i < links.n; i++) {
				bool named = false;

				if (links.v[i].master != br.index)
					continue;
				for (size_t j = 0; j < neps && !named; j++) {
					struct endpoint e;

					if (ep_load(&s->st, net, eps[j], &e) == 0) {
						named = !strcmp(e.veth, links.v[i].name);
						ep_free(&e);
					}
				}
				if (!named && ++count == 1)
					found = links.v[i].index;
			}
		free(links.v);
		state_list_free(eps, neps);
	}
	net_free(&n);
	return count == 1 ? found : 0;
}

/* the addresses names/@net gives @ctr: what an endpoint file that lost its
 * ip lines held, so that the addresses are released all the same */
static void ip_from_names(struct session *s, const char *net, const char *ctr, struct ipaddr *ip,
			  struct ipaddr *ip6)
{
	char rel[OBJNAME_MAX + 16], *buf, *line, *next;
	size_t clen = strlen(ctr);

	snprintf(rel, sizeof(rel), "names/%s", net);
	if (state_read(&s->st, rel, &buf))
		return;
	for (line = buf; line && *line; line = next) {
		char *tab = strchr(line, '\t');

		if ((next = strchr(line, '\n')))
			*next++ = 0;
		if (tab && !strncmp(tab + 1, ctr, clen) && (!tab[1 + clen] || tab[1 + clen] == ' ')) {
			struct ipaddr a;

			*tab = 0;
			if (ip_parse(line, AF_UNSPEC, &a) == 0 && !ip_is_set(a.family == AF_INET ? ip : ip6))
				*(a.family == AF_INET ? ip : ip6) = a;
		}
	}
	free(buf);
}

int ep_teardown(struct session *s, const char *net, const char *ctr, const char *veth)
{
	struct endpoint e;
	struct container c;
	struct nl_link l;
	char rel[OBJNAME_MAX + 16];
	int ret = ep_load(&s->st, net, ctr, &e), orphan, ports;
	struct port_map *gone = NULL;
	bool sync = false;
	bool have = ret == 0;
	const char *dev = have && e.veth[0] ? e.veth : veth;

	/* a file that cannot be read may name a veth: keep everything */
	if (ret && ret != -ENOENT)
		return session_fail(s, ret, "cannot read endpoint %s on %s: %s", ctr, net, errstr(ret));
	/* nor go on when the names cannot be edited (a damaged file: netprune) */
	if ((ret = names_check(&s->st, net))) {
		if (have)
			ep_free(&e);
		return session_load_fail(s, ret, "the names");
	}
	/* the host end: the container's end and its routes go with it */
	if (dev && *dev && nl_link_get(s->nl, dev, 0, &l) == 0 && !strcmp(l.kind, "veth"))
		nl_link_del(s->nl, l.index);
	else if (have && !e.veth[0] && (orphan = orphan_veth(s, net)) > 0)
		nl_link_del(s->nl, orphan); /* a file that lost its veth line */
	if (have && !ip_is_set(&e.ip) && !ip_is_set(&e.ip6))
		ip_from_names(s, net, ctr, &e.ip, &e.ip6);
	ports = ret = ports_drop(&s->st, net, ctr, &gone);
	/* their rules alone, while the endpoint file still gives their IPv6
	 * twins (a whole sync reads every network and port); the whole set
	 * when that fails or there is no endpoint file to go by */
	if (ports > 0 && (!have || fw_port_removed(s, gone, ports))) {
		nl_errmsg_clear();
		s->err[0] = 0;
		sync = true;
	}
	free(gone);
	if (ret >= 0) /* unset when there was no file */
		ret = release(s, net, ctr, &e.ip, &e.ip6);
	if (!ret && !(ret = names_del(&s->st, net, ctr)))
		ret = hosts_refresh(&s->st, net);
	if (!ret && !(ret = ctr_load(&s->st, ctr, &c))) {
		ctr_del_network(&c, net);
		move_gateway(s, &c, net);
		if (!(ret = ctr_save(&s->st, &c)))
			ret = hosts_link(&s->st, &c);
		ctr_free(&c);
	}
	if (!ret)
		ret = ep_remove(&s->st, net, ctr);
	/* the network's last endpoint is gone: so are its rules (and the
	 * ports' when taking them alone failed). Nothing else of the rules
	 * depends on one endpoint: the others' disconnects need no sync */
	snprintf(rel, sizeof(rel), "endpoints/%s", net);
	if (!ret && (sync || !state_has_files(&s->st, rel)))
		ret = fw_sync(s);
	if (have)
		ep_free(&e);
	if (ret == -EBADMSG) /* a damaged port or names file: which */
		return session_load_fail(s, ret, "the state");
	return ret ? session_fail(s, ret, "cannot remove endpoint %s from %s: %s", ctr, net,
				  errstr(ret))
		   : 0;
}

int ep_disconnect(struct session *s, const char *netref, const char *ctr, bool force)
{
	struct network n;
	int ret = net_find(s, netref, &n);

	if (ret)
		return ret;
	if ((ret = ep_reap(s, &n)))
		goto out;
	if (members_find(&n.members, ctr) < 0) {
		if (!force)
			ret = session_fail(s, -ENOENT, "container %s is not connected to network %s", ctr,
					   n.name);
		goto out;
	}
	/* a damaged names file would stop the teardown: fail before any change */
	if ((ret = names_check(&s->st, n.name))) {
		session_load_fail(s, ret, "the names");
		goto out;
	}
	/* a teardown that stops half-way keeps the journal: the next command
	 * finishes it (ep_teardown is idempotent) */
	if (!(ret = session_journal(s, "disconnect", "network", n.name, "container", ctr, NULL)) &&
	    !(ret = ep_teardown(s, n.name, ctr, NULL)))
		journal_end(&s->st);
out:
	net_free(&n);
	return ret;
}
