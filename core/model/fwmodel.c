// SPDX-License-Identifier: GPL-2.0-or-later
/* The firewall rule model (see fwmodel.h). */
#include "core/model/fwmodel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static struct fw_rule *add(struct fw_ruleset *r, enum fw_table t, const char *chain,
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
	r->v[r->n] = (struct fw_rule){.table = t, .chain = chain, .verdict = v};
	return &r->v[r->n++];
}

static struct fw_rule *jump(struct fw_ruleset *r, enum fw_table t, const char *chain,
			    const char *target)
{
	struct fw_rule *x = add(r, t, chain, FW_JUMP);

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

int fw_port_rules(const struct fw_port *p, struct fw_ruleset *r)
{
	/* nat: to the container; no "! -i BRIDGE", so containers reach it too (hairpin) */
	{
		struct fw_rule *x = add(r, FW_NAT, "BOXNET", FW_DNAT);

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
	}
	/* filter: let it through the network's "from outside" drop, but only
	 * connections that came through the published port: a host that routes
	 * to the container's address directly stays out */
	{
		struct fw_rule *x = add(r, FW_FILTER, "BOXNET", FW_ACCEPT);

		x->m.ct_dnat = true;
		x->m.dst = host(&p->ctr_ip);
		set_if(x->m.iif, p->bridge);
		x->m.not_iif = true;
		set_if(x->m.oif, p->bridge);
		x->m.proto = p->proto;
		x->m.dport_lo = p->ctr_lo;
		x->m.dport_hi = p->ctr_hi;
	}
	return r->oom ? -ENOMEM : 0;
}

static bool same_target(const struct fw_port *a, const struct fw_port *b)
{
	return a->proto == b->proto && ip_eq(&a->ctr_ip, &b->ctr_ip) && a->ctr_lo == b->ctr_lo &&
	       a->ctr_hi == b->ctr_hi && !strcmp(a->bridge, b->bridge);
}

static void net_rules(const struct fw_net *n, struct fw_ruleset *r)
{
	const char *br = n->bridge;

	if (n->internal) {
		{
			struct fw_rule *x = add(r, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);

			x->m.not_src = true;
			x->m.src = n->subnet;
			set_if(x->m.oif, br);
		}
		{
			struct fw_rule *x = add(r, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);

			x->m.not_dst = true;
			x->m.dst = n->subnet;
			set_if(x->m.iif, br);
		}
	} else {
		{
			struct fw_rule *x = add(r, FW_FILTER, "BOXNET-CT", FW_ACCEPT);

			set_if(x->m.oif, br);
			x->m.ct_established = true;
		}
		{
			struct fw_rule *x = jump(r, FW_FILTER, "BOXNET-BRIDGE", "BOXNET");

			set_if(x->m.oif, br);
		}
	}
	/* egress and traffic between containers of the network */
	{
		struct fw_rule *x =
		    add(r, FW_FILTER, "BOXNET-FORWARD", n->icc ? FW_ACCEPT : FW_DROP);

		set_if(x->m.iif, br);
		if (!n->icc || n->internal)
			set_if(x->m.oif, br);
	}
	if (!n->icc && !n->internal) {
		struct fw_rule *x = add(r, FW_FILTER, "BOXNET-FORWARD", FW_ACCEPT);

		set_if(x->m.iif, br);
		set_if(x->m.oif, br);
		x->m.not_oif = true;
	}
	/* nat: the host reaching containers (127.0.0.1 among its addresses), hairpin */
	{
		struct fw_rule *x = add(r, FW_NAT, "BOXNET-POSTROUTING", FW_MASQUERADE);

		set_if(x->m.oif, br);
		x->m.src_local = true;
	}
	{
		struct fw_rule *x = add(r, FW_NAT, "BOXNET-POSTROUTING", FW_MASQUERADE);

		x->m.src = n->subnet;
		set_if(x->m.oif, br);
		x->m.ct_dnat = true;
	}
	if (!n->internal && n->masquerade) {
		enum fw_verdict v = ip_is_set(&n->snat) ? FW_SNAT : FW_MASQUERADE;
		struct fw_rule *x = add(r, FW_NAT, "BOXNET-POSTROUTING", v);

		x->m.src = n->subnet;
		set_if(x->m.oif, br);
		x->m.not_oif = true;
		x->to_addr = n->snat;
	}
}

int fw_build(const struct fw_net *nets, size_t nnets, const struct fw_port *ports, size_t nports,
	     bool ports_as_rules, struct fw_ruleset *r)
{
	memset(r, 0, sizeof(*r));
	if (!nnets)
		return 0; /* nothing to protect: no chain, no hook */
	/* the hooks, at the top of the built-in chains */
	jump(r, FW_RAW, "PREROUTING", "BOXNET-RAW");
	/* the user's own rules first (Docker's DOCKER-USER): the backends keep
	 * that chain's contents as the kernel holds them */
	jump(r, FW_FILTER, "FORWARD", FW_USER_CHAIN);
	jump(r, FW_FILTER, "FORWARD", "BOXNET-FORWARD");
	{
		struct fw_rule *x = jump(r, FW_NAT, "PREROUTING", "BOXNET");

		x->m.dst_local = true;
	}
	{
		struct fw_rule *x = jump(r, FW_NAT, "OUTPUT", "BOXNET");

		x->m.dst_local = true;
	}
	jump(r, FW_NAT, "POSTROUTING", "BOXNET-POSTROUTING");
	{
		struct fw_rule *x = add(r, FW_RAW, "BOXNET-RAW", FW_DROP);

		/* 127/8 only ever comes from lo; ports published on 127.0.0.1 stay local */
		x->m.dst = (struct ipprefix){ ip4(127u << 24), 8 };
		strcpy(x->m.iif, "lo");
		x->m.not_iif = true;
	}
	jump(r, FW_FILTER, "BOXNET-FORWARD", "BOXNET-CT");
	jump(r, FW_FILTER, "BOXNET-FORWARD", "BOXNET-INTERNAL");
	jump(r, FW_FILTER, "BOXNET-FORWARD", "BOXNET-BRIDGE");
	/* published ports come before the per-network drops of the same chain;
	 * several host ports to one container port need one filter accept */
	for (size_t i = 0; ports_as_rules && i < nports; i++) {
		size_t before = r->n, j;

		fw_port_rules(&ports[i], r);
		for (j = 0; j < i && !same_target(&ports[i], &ports[j]); j++)
			;
		if (j < i && r->n == before + 2)
			r->n--; /* the accept, second of the two */
	}
	for (size_t i = 0; i < nnets; i++)
		net_rules(&nets[i], r);
	for (size_t i = 0; i < nnets; i++)
		if (!nets[i].internal) {
			struct fw_rule *x = add(r, FW_FILTER, "BOXNET", FW_DROP);

			set_if(x->m.iif, nets[i].bridge);
			x->m.not_iif = true;
			set_if(x->m.oif, nets[i].bridge);
		}
	return r->oom ? -ENOMEM : 0;
}

void fw_free(struct fw_ruleset *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* raw PREROUTING jumps to BOXNET-RAW (once) */
static void hook_raw(struct fw_ruleset *r)
{
	bool hooked = false;

	for (size_t i = 0; i < r->n; i++)
		hooked |= r->v[i].table == FW_RAW && !strcmp(r->v[i].chain, "PREROUTING");
	if (!hooked)
		jump(r, FW_RAW, "PREROUTING", "BOXNET-RAW");
}

int fw_add_vxlan_plain_drop(struct fw_ruleset *r, uint16_t port, uint32_t vni)
{
	struct fw_rule *x;

	hook_raw(r);
	x = add(r, FW_RAW, "BOXNET-RAW", FW_DROP);
	x->m.proto = 17;
	x->m.dport_lo = x->m.dport_hi = port;
	x->m.vni = vni;
	x->m.no_ipsec = true;
	return r->oom ? -ENOMEM : 0;
}

int fw_add_vxlan(struct fw_ruleset *r, uint16_t port, const struct ipaddr *peers, size_t npeers)
{
	hook_raw(r);
	for (size_t i = 0; i < npeers; i++) {
		struct fw_rule *x = add(r, FW_RAW, "BOXNET-RAW", FW_RETURN);

		x->m.src = host(&peers[i]);
		x->m.proto = 17;
		x->m.dport_lo = x->m.dport_hi = port;
	}
	{
		struct fw_rule *x = add(r, FW_RAW, "BOXNET-RAW", FW_DROP);

		x->m.proto = 17;
		x->m.dport_lo = x->m.dport_hi = port;
	}
	return r->oom ? -ENOMEM : 0;
}
