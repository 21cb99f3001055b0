// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/inspect.h"

#include "core/state/overlays.h"
#include "netlink/netns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct jv *pairs_map(const struct pairs *p)
{
	struct jv *m = jv_map();

	for (size_t i = 0; i < p->n; i++)
		jv_set(m, p->key[i], jv_str(p->val[i]));
	return m;
}

static struct jv *ipam_json(const struct network *n)
{
	struct jv *ipam = jv_object(), *config = jv_array();
	char buf[PFX_STRLEN];

	jv_set(ipam, "Driver", jv_str("default"));
	/* Docker shows null for its predefined networks, {} for user ones */
	jv_set(ipam, "Options", n->predefined ? jv_null() : jv_map());
	/* IPv4 first, then IPv6, as Docker lists them */
	for (int v6 = 0; v6 < 2; v6++) {
		const struct ipprefix *sub = v6 ? &n->subnet6 : &n->subnet;
		struct jv *c;

		if (!ip_is_set(&sub->a) || (v6 && !n->ipv6))
			continue;
		c = jv_object();
		jv_set(c, "Subnet", jv_str(pfx_format(sub, buf)));
		if (v6 ? n->has_range6 : n->has_range)
			jv_set(c, "IPRange", jv_str(pfx_format(v6 ? &n->ip_range6 : &n->ip_range, buf)));
		jv_set(c, "Gateway", jv_str(ip_format(v6 ? &n->gateway6 : &n->gateway, buf)));
		jv_push(config, c);
	}
	jv_set(ipam, "Config", config);
	return ipam;
}

/* a member whose namespace vanished: the next mutating command reaps it, a
 * reader just does not show it */
static bool vanished(const struct network *n, size_t i, const struct ns_inode *live, size_t nlive)
{
	const struct ns_inode *e = ns_inode_find(live, nlive, n->members.name[i]);

	return n->members.ino[i] && (!e || e->ino != n->members.ino[i]);
}

static struct jv *containers_json(struct session *s, const struct network *n)
{
	struct jv *m = jv_map();
	struct ns_inode *live = NULL;
	size_t nlive = 0;
	bool listed = n->members.n && ns_inodes(&live, &nlive) == 0;
	for (size_t i = 0; i < n->members.n; i++) {
		struct endpoint e;
		struct container c;
		struct jv *o;
		char buf[PFX_STRLEN], mac[MAC_STRLEN];

		if (listed && vanished(n, i, live, nlive))
			continue;
		if (ep_load(&s->st, n->name, n->members.name[i], &e))
			continue;
		if (ctr_load(&s->st, e.container, &c)) {
			ep_free(&e);
			continue;
		}
		o = jv_object();
		jv_set(o, "Name", jv_str(e.container));
		jv_set(o, "EndpointID", jv_str(e.id));
		jv_set(o, "MacAddress",
		       jv_str(ip_is_set(&e.ip) || ip_is_set(&e.ip6) ? mac_format(e.mac, mac) : ""));
		/* "addr/len", or "" for a family the endpoint lacks */
		for (int v6 = 0; v6 < 2; v6++) {
			const struct ipaddr *ip = v6 ? &e.ip6 : &e.ip;

			buf[0] = 0;
			if (ip_is_set(ip))
				pfx_format(&(struct ipprefix){ *ip, v6 ? n->subnet6.len : n->subnet.len },
					   buf);
			jv_set(o, v6 ? "IPv6Address" : "IPv4Address", jv_str(buf));
		}
		jv_set(m, c.id, o);
		ctr_free(&c);
		ep_free(&e);
	}
	free(live);
	return m;
}

struct jv *net_inspect_json(struct session *s, const struct network *n)
{
	struct jv *o = jv_object(), *from = jv_object(), *options;
	struct vxlan v;

	jv_set(o, "Name", jv_str(n->name));
	jv_set(o, "Id", jv_str(n->id));
	jv_set(o, "Created", jv_str(n->created));
	jv_set(o, "Scope", jv_str("local"));
	jv_set(o, "Driver", jv_str(n->driver));
	jv_set(o, "EnableIPv6", jv_bool(n->ipv6));
	jv_set(o, "IPAM", ipam_json(n));
	jv_set(o, "Internal", jv_bool(n->internal));
	jv_set(o, "Attachable", jv_bool(n->attachable));
	jv_set(o, "Ingress", jv_bool(false));
	jv_set(from, "Network", jv_str(""));
	jv_set(o, "ConfigFrom", from);
	jv_set(o, "ConfigOnly", jv_bool(false));
	jv_set(o, "Containers", containers_json(s, n));
	options = pairs_map(&n->opts);
	jv_set(o, "Options", options);
	jv_set(o, "Labels", pairs_map(&n->labels));
	/* a multi-host network shows its overlay as Docker's overlay driver does */
	if (vxlan_load(&s->st, n->name, &v) == 0) {
		struct jv *peers = jv_array();
		char vni[16], a[IP_STRLEN], list[VXLAN_MAX_PEERS * IP_STRLEN] = "";
		size_t off = 0;

		snprintf(vni, sizeof(vni), "%u", v.vni);
		jv_set(options, "com.docker.network.driver.overlay.vxlanid_list", jv_str(vni));
		for (size_t i = 0; i < v.npeers; i++) {
			struct jv *p = jv_object();

			ip_format(&v.peers[i], a);
			off += snprintf(list + off, sizeof(list) - off, "%s%s", i ? "," : "", a);
			jv_set(p, "Name", jv_str(a));
			jv_set(p, "IP", jv_str(a));
			jv_push(peers, p);
		}
		jv_set(o, "Peers", peers);
		/* the overlay driver's peers option: the peers now, after vxlan peer add/del */
		if (!strcmp(n->driver, "overlay"))
			jv_set(options, "boxnet.overlay.peers", jv_str(list));
	}
	return o;
}

/* "2006-01-02T15:04:05.999999999Z" as Go's time.String() prints it */
static void go_time(const char *rfc3339, char *buf, size_t size)
{
	size_t d = strspn(rfc3339, "0123456789-"), t = 0;

	if (d > 10)
		d = 10;
	if (rfc3339[d] == 'T')
		t = strspn(rfc3339 + d + 1, "0123456789:.");
	if (t > 31)
		t = 31;
	snprintf(buf, size, "%.*s %.*s +0000 UTC", (int)d, rfc3339, (int)t, rfc3339 + d + 1);
}

struct jv *net_ls_json(const struct network *n, bool trunc)
{
	struct jv *o = jv_map();
	char created[64], id[ID_LEN + 1];
	char *labels = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&labels, &len);

	go_time(n->created, created, sizeof(created));
	snprintf(id, sizeof(id), "%.*s", trunc ? 12 : ID_LEN, n->id);
	for (size_t i = 0; f && i < n->labels.n; i++)
		fprintf(f, "%s%s=%s", i ? "," : "", n->labels.key[i], n->labels.val[i]);
	if (f)
		fclose(f);
	jv_set(o, "CreatedAt", jv_str(created));
	jv_set(o, "Driver", jv_str(n->driver));
	jv_set(o, "ID", jv_str(id));
	jv_set(o, "IPv4", jv_str(ip_is_set(&n->subnet.a) ? "true" : "false"));
	jv_set(o, "IPv6", jv_str(n->ipv6 ? "true" : "false"));
	jv_set(o, "Internal", jv_str(n->internal ? "true" : "false"));
	jv_set(o, "Labels", jv_str(labels ? labels : ""));
	jv_set(o, "Name", jv_str(n->name));
	jv_set(o, "Scope", jv_str("local"));
	free(labels);
	return o;
}
