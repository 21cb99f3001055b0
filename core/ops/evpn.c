// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/ops/evpn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "core/ops/lookup.h"
#include "lib/errstr.h"
#include "netlink/link.h"

/* a peer filter (a static overlay without a group) drops VXLAN on its port
 * from everyone it does not list: EVPN's VTEPs too, when they share it */
static bool filtered(const struct vxlan *v)
{
	return !v->evpn && !ip_is_set(&v->group);
}

static int port_clash(struct session *s, const struct vxlan *v)
{
	struct vxlan *all;
	size_t n;
	int ret = vxlan_list(&s->st, &all, &n);

	if (ret)
		return session_load_fail(s, ret, "the overlays");
	for (size_t i = 0; i < n && !ret; i++)
		if (all[i].port == v->port && (v->evpn ? filtered(&all[i]) : all[i].evpn && filtered(v)))
			ret = session_fail(s, -EEXIST, "port %u is used by %s overlay %s, and a peer filter "
							"would drop EVPN's VTEPs: give another --port "
							"(netcreate: -o boxnet.overlay.port=N)",
					   v->port, all[i].evpn ? "EVPN" : "static", all[i].network);
	free(all);
	return ret;
}

int evpn_plan(struct session *s, const char *control, struct vxlan *v)
{
	v->evpn = control && !strcmp(control, "evpn");
	if (control && !v->evpn && strcmp(control, "static"))
		return session_fail(s, -EINVAL, "invalid control %s: want static or evpn", control);
	if (!v->evpn)
		return port_clash(s, v);
	/* BGP decides where frames go: a second, static source would race zebra */
	if (v->npeers || ip_is_set(&v->group))
		return session_fail(s, -EINVAL, "--control evpn takes no --remote or --group: "
						"BGP EVPN finds the peers");
	if (v->learning)
		return session_fail(s, -EINVAL, "--control evpn takes no --learning: zebra installs "
						"the remote MACs");
	/* zebra takes the VTEP address from the device; without it, no type-3 route */
	if (!ip_is_set(&v->local))
		return session_fail(s, -EINVAL, "--control evpn needs --local: the VTEP address "
						"BGP announces");
	return port_clash(s, v);
}

int evpn_port(struct session *s, int index)
{
	int ret = nl_brport_set(s->nl, index, IFLA_BRPORT_LEARNING, 0, 1);

	if (!ret)
		ret = nl_brport_set(s->nl, index, IFLA_BRPORT_NEIGH_SUPPRESS, 1, 1);
	return ret ? session_fail(s, ret, "cannot make the VXLAN device an EVPN port: %s",
				  errstr(ret)) : 0;
}

static int parse_asn(const char *s, unsigned long *asn)
{
	char *end;

	if (!s)
		return *asn = 65000, 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	*asn = strtoul(s, &end, 10);
	return *end || !*asn || *asn > 4294967295UL ? -EINVAL : 0;
}

int evpn_config(struct session *s, const char *netref, const struct evpn_bgp *b, FILE *out)
{
	struct network n;
	struct vxlan v;
	struct ipaddr id, a;
	struct ipprefix clients;
	unsigned long asn = 0;
	char local[IP_STRLEN], x[IP_STRLEN], p[PFX_STRLEN];
	int ret = net_find(s, netref, &n);

	if (ret)
		return ret;
	if ((ret = vxlan_load(&s->st, n.name, &v)) && ret != -ENOENT)
		ret = session_file_fail(s, ret, "vxlan", n.name);
	else if (ret || !v.evpn)
		ret = session_fail(s, -ENOENT, "network %s has no EVPN overlay (vxlan add --control evpn)",
				   n.name);
	else if (parse_asn(b->asn, &asn))
		ret = session_fail(s, -EINVAL, "invalid AS number %s: want 1 to 4294967295", b->asn);
	else if (b->router_id && ip_parse(b->router_id, AF_INET, &id))
		ret = session_fail(s, -EINVAL, "invalid router ID %s: want an IPv4 address", b->router_id);
	else if (b->clients && pfx_parse(b->clients, AF_INET, &clients))
		ret = session_fail(s, -EINVAL, "invalid client prefix %s: want ADDR/LEN", b->clients);
	else if (!b->nrr && !b->clients)
		ret = session_fail(s, -EINVAL, "give --rr IP (the route reflector) or --rr-clients "
					       "PREFIX (this host is one)");
	for (size_t i = 0; i < b->nrr && !ret; i++)
		if (ip_parse(b->rr[i], AF_INET, &a) || ip_eq(&a, &v.local))
			ret = session_fail(s, -EINVAL, "invalid route reflector %s: want another host's "
						       "IPv4 address", b->rr[i]);
	net_free(&n);
	if (ret)
		return ret;
	ip_format(&v.local, local);
	/* one block serves every EVPN overlay of this host: advertise-all-vni
	 * announces each VNI zebra finds on a bridge */
	fprintf(out, "router bgp %lu\n bgp router-id %s\n no bgp default ipv4-unicast\n", asn,
		b->router_id ? ip_format(&id, x) : local);
	if (b->clients)
		/* the reflector takes whoever comes from the prefix: a new host
		 * joins with no line changed here */
		fprintf(out, " neighbor vteps peer-group\n neighbor vteps remote-as %lu\n"
			     " bgp listen range %s peer-group vteps\n",
			asn, pfx_format(&clients, p));
	for (size_t i = 0; i < b->nrr; i++) {
		ip_parse(b->rr[i], AF_INET, &a);
		ip_format(&a, x);
		fprintf(out, " neighbor %s remote-as %lu\n neighbor %s update-source %s\n", x, asn, x,
			local);
	}
	fprintf(out, " !\n address-family l2vpn evpn\n");
	if (b->clients)
		fprintf(out, "  neighbor vteps activate\n  neighbor vteps route-reflector-client\n");
	for (size_t i = 0; i < b->nrr; i++) {
		ip_parse(b->rr[i], AF_INET, &a);
		fprintf(out, "  neighbor %s activate\n", ip_format(&a, x));
	}
	fprintf(out, "  advertise-all-vni\n exit-address-family\nexit\n");
	return 0;
}
