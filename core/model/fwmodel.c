// SPDX-License-Identifier: GPL-2.0-or-later
/* The firewall rule model (see fwmodel.h). */
#include "core/model/fwmodel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static struct fw_rule *add(struct fw_ruleset *r, int fam, enum fw_table t, const char *chain,
			   enum fw_verdict v)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct fw_rule *nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv) {
			/* callers fill in what they get: give them a scratch rule */
			static struct fw_rule scratch;

			r->oom = true;
			return &scratch;
		}
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n] = (struct fw_rule){ .family = fam, .table = t, .chain = chain, .verdict = v };
	return &r->v[r->n++];
}

static struct fw_rule *jump(struct fw_ruleset *r, int fam, enum fw_table t, const char *chain,
			    const char *target)
{
	struct fw_rule *x = add(r, fam, t, chain, FW_JUMP);

	x->target = target;
	return x;
}

static void set_if(char *dst, const char *name)
{
	snprintf(dst, 16, "%s", name);
}

/* one address as a match: the prefix of its full length */
static struct ipprefix host(const struct ipaddr *a)
{
	return (struct ipprefix){ *a, a->family == AF_INET6 ? 128 : 32 };
}

/* fe80::/10: link-local sources, which a DNAT'ed connection could not route back to */
static struct ipprefix link_local(void)
{
	struct ipprefix p = { .a = { .family = AF_INET6 }, .len = 10 };

	p.a.v6[0] = 0xfe, p.a.v6[1] = 0x80;
	return p;
}

int fw_port_rules(const struct fw_port *p, struct fw_ruleset *r)
{
	int fam = p->ctr_ip.family;
	/* nat: to the container; no "! -i BRIDGE", so containers reach it too
	 * (hairpin). No filter rule: the network's "ctstate DNAT" accept lets
	 * in what a DNAT of this host sent, whichever port (build_family) */
	struct fw_rule *x = add(r, fam, FW_NAT, "BOXNET", FW_DNAT);

	if (fam == AF_INET6) {
		x->m.src = link_local(); /* as Docker 28+ */
		x->m.not_src = true;
	}
	if (ip_is_set(&p->host_ip))
		x->m.dst = host(&p->host_ip);
	x->m.proto = p->proto;
	x->m.dport_lo = p->host_lo;
	x->m.dport_hi = p->host_hi;
	x->to_addr = p->ctr_ip;
	if (p->ctr_lo != p->host_lo) {
		x->to_lo = p->ctr_lo;
		x->to_hi = p->ctr_hi;
		if (p->host_hi != p->host_lo)
			x->to_base = p->host_lo;
	}
	return r->oom ? -ENOMEM : 0;
}

static void net_rules(const struct fw_net *n, struct fw_ruleset *r)
{
	const char *br = n->bridge;
	int fam = n->subnet.a.family;

	if (n->internal) {
		{
			struct fw_rule *x = add(r, fam, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);

			x->m.not_src = true;
			x->m.src = n->subnet;
			set_if(x->m.oif, br);
		}
		{
			struct fw_rule *x = add(r, fam, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);

			x->m.not_dst = true;
			x->m.dst = n->subnet;
			set_if(x->m.iif, br);
		}
	} else {
		{
			struct fw_rule *x = add(r, fam, FW_FILTER, "BOXNET-CT", FW_ACCEPT);

			set_if(x->m.oif, br);
			x->m.ct_established = true;
		}
		{
			struct fw_rule *x = jump(r, fam, FW_FILTER, "BOXNET-BRIDGE", "BOXNET");

			set_if(x->m.oif, br);
		}
	}
	/* egress and traffic between containers of the network */
	{
		struct fw_rule *x =
		    add(r, fam, FW_FILTER, "BOXNET-FORWARD", n->icc ? FW_ACCEPT : FW_DROP);

		set_if(x->m.iif, br);
		if (!n->icc || n->internal)
			set_if(x->m.oif, br);
	}
	if (!n->icc && !n->internal) {
		struct fw_rule *x = add(r, fam, FW_FILTER, "BOXNET-FORWARD", FW_ACCEPT);

		set_if(x->m.iif, br);
		set_if(x->m.oif, br);
		x->m.not_oif = true;
	}
	/* nat: the host reaching containers (127.0.0.1 among its addresses:
	 * IPv6 has no route_localnet, ::1 is never DNAT'ed), hairpin */
	if (fam != AF_INET6) {
		struct fw_rule *x = add(r, fam, FW_NAT, "BOXNET-POSTROUTING", FW_MASQUERADE);

		set_if(x->m.oif, br);
		x->m.src_local = true;
	}
	{
		struct fw_rule *x = add(r, fam, FW_NAT, "BOXNET-POSTROUTING", FW_MASQUERADE);

		x->m.src = n->subnet;
		set_if(x->m.oif, br);
		x->m.ct_dnat = true;
	}
	if (!n->internal && n->masquerade) {
		/* host_ipv4 is for IPv4 only: an IPv6 network masquerades */
		bool snat = ip_is_set(&n->snat) && n->snat.family == fam;
		enum fw_verdict v = snat ? FW_SNAT : FW_MASQUERADE;
		struct fw_rule *x = add(r, fam, FW_NAT, "BOXNET-POSTROUTING", v);

		x->m.src = n->subnet;
		set_if(x->m.oif, br);
		x->m.not_oif = true;
		if (snat)
			x->to_addr = n->snat;
	}
}

/* the hooks of @fam at the top of the built-in chains, and the fixed
 * rules of boxnet's chains */
static void hooks(struct fw_ruleset *r, int fam)
{
	if (fam != AF_INET6) {
		/* 127/8 only ever comes from lo; ports published on 127.0.0.1 stay
		 * local (IPv6 has no such thing: no raw rule, no hook) */
		struct fw_rule *x;

		jump(r, fam, FW_RAW, "PREROUTING", "BOXNET-RAW");
		x = add(r, fam, FW_RAW, "BOXNET-RAW", FW_DROP);
		x->m.dst = (struct ipprefix){ ip4(127u << 24), 8 };
		strcpy(x->m.iif, "lo");
		x->m.not_iif = true;
	}
	/* the user's own rules first (Docker's DOCKER-USER): the backends keep
	 * that chain's contents as the kernel holds them */
	jump(r, fam, FW_FILTER, "FORWARD", FW_USER_CHAIN);
	jump(r, fam, FW_FILTER, "FORWARD", "BOXNET-FORWARD");
	jump(r, fam, FW_NAT, "PREROUTING", "BOXNET")->m.dst_local = true;
	{
		struct fw_rule *x = jump(r, fam, FW_NAT, "OUTPUT", "BOXNET");

		x->m.dst_local = true;
		if (fam == AF_INET6) { /* the host's ::1 stays its own: no route_localnet */
			x->m.dst = host(&(struct ipaddr){ .family = AF_INET6, .v6[15] = 1 });
			x->m.not_dst = true;
		}
	}
	jump(r, fam, FW_NAT, "POSTROUTING", "BOXNET-POSTROUTING");
	jump(r, fam, FW_FILTER, "BOXNET-FORWARD", "BOXNET-CT");
	jump(r, fam, FW_FILTER, "BOXNET-FORWARD", "BOXNET-INTERNAL");
	jump(r, fam, FW_FILTER, "BOXNET-FORWARD", "BOXNET-BRIDGE");
}

/* the rule set of one family: the nets and ports of other families are skipped */
static void build_family(const struct fw_net *nets, size_t nnets, const struct fw_port *ports,
			 size_t nports, bool ports_as_rules, int fam, struct fw_ruleset *r)
{
	size_t i;

	for (i = 0; i < nnets && nets[i].subnet.a.family != fam; i++)
		;
	if (i == nnets)
		return; /* nothing to protect: no chain, no hook */
	hooks(r, fam);
	/* a published port is its DNAT rule: the filter lets it in by the
	 * network's "ctstate DNAT" accept below */
	for (i = 0; ports_as_rules && i < nports; i++)
		if (ports[i].ctr_ip.family == fam)
			fw_port_rules(&ports[i], r);
	for (i = 0; i < nnets; i++)
		if (nets[i].subnet.a.family == fam)
			net_rules(&nets[i], r);
	/* From outside the bridge, what a DNAT sent there passes and the rest
	 * is dropped. The accept is boxnet's published ports' rule without the
	 * port: it also lets in ports another tool published, CNI's portmap
	 * chained after boxnet or the admin's own DNAT rule, which would else
	 * reach the container from the host only (OUTPUT, no FORWARD). Docker
	 * accepts its own ports by address and port and netavark its own by a
	 * conntrack mark its DNAT sets; both drop another tool's. A host that
	 * routes to a container's address directly still gets nothing: only a
	 * DNAT rule of this host opens a way in, as in MikroTik's default
	 * "drop all from WAN not DSTNATed". */
	for (i = 0; i < nnets; i++)
		if (!nets[i].internal && nets[i].subnet.a.family == fam) {
			struct fw_rule *x = add(r, fam, FW_FILTER, "BOXNET", FW_ACCEPT);

			x->m.ct_dnat = true;
			set_if(x->m.iif, nets[i].bridge);
			x->m.not_iif = true;
			set_if(x->m.oif, nets[i].bridge);
			x = add(r, fam, FW_FILTER, "BOXNET", FW_DROP);
			set_if(x->m.iif, nets[i].bridge);
			x->m.not_iif = true;
			set_if(x->m.oif, nets[i].bridge);
		}
}

int fw_build(const struct fw_net *nets, size_t nnets, const struct fw_port *ports, size_t nports,
	     bool ports_as_rules, struct fw_ruleset *r)
{
	memset(r, 0, sizeof(*r));
	build_family(nets, nnets, ports, nports, ports_as_rules, AF_INET, r);
	build_family(nets, nnets, ports, nports, ports_as_rules, AF_INET6, r);
	return r->oom ? -ENOMEM : 0;
}

void fw_free(struct fw_ruleset *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* the VXLAN rules of the peers of @fam (with no peer at all: IPv4's drop) */
static void vxlan_family(struct fw_ruleset *r, int fam, uint16_t port, const struct ipaddr *peers,
			 size_t npeers)
{
	bool hooked = false, any = fam == AF_INET && !npeers;

	for (size_t i = 0; i < npeers; i++)
		any |= (peers[i].family == AF_INET6) == (fam == AF_INET6);
	if (!any)
		return;
	for (size_t i = 0; i < r->n; i++)
		hooked |= r->v[i].table == FW_RAW && !strcmp(r->v[i].chain, "PREROUTING") &&
			  fw_is6(&r->v[i]) == (fam == AF_INET6);
	if (!hooked)
		jump(r, fam, FW_RAW, "PREROUTING", "BOXNET-RAW");
	for (size_t i = 0; i < npeers; i++) {
		struct fw_rule *x;

		if ((peers[i].family == AF_INET6) != (fam == AF_INET6))
			continue;
		x = add(r, fam, FW_RAW, "BOXNET-RAW", FW_RETURN);
		x->m.src = host(&peers[i]);
		x->m.proto = 17;
		x->m.dport_lo = x->m.dport_hi = port;
	}
	{
		struct fw_rule *x = add(r, fam, FW_RAW, "BOXNET-RAW", FW_DROP);

		x->m.proto = 17;
		x->m.dport_lo = x->m.dport_hi = port;
	}
}

int fw_add_vxlan_plain_drop(struct fw_ruleset *r, uint16_t port, uint32_t vni)
{
	bool hooked = false;
	struct fw_rule *x;

	/* the overlays' underlay is IPv4 */
	for (size_t i = 0; i < r->n; i++)
		hooked |= r->v[i].table == FW_RAW && !strcmp(r->v[i].chain, "PREROUTING") &&
			  !fw_is6(&r->v[i]);
	if (!hooked)
		jump(r, AF_INET, FW_RAW, "PREROUTING", "BOXNET-RAW");
	x = add(r, AF_INET, FW_RAW, "BOXNET-RAW", FW_DROP);
	x->m.proto = 17;
	x->m.dport_lo = x->m.dport_hi = port;
	x->m.vni = vni;
	x->m.no_ipsec = true;
	return r->oom ? -ENOMEM : 0;
}

int fw_add_vxlan(struct fw_ruleset *r, uint16_t port, const struct ipaddr *peers, size_t npeers)
{
	vxlan_family(r, AF_INET, port, peers, npeers);
	vxlan_family(r, AF_INET6, port, peers, npeers);
	return r->oom ? -ENOMEM : 0;
}
