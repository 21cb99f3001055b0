// SPDX-License-Identifier: GPL-2.0-or-later
/* Firewall: state -> rule model -> backend, and the sysctls that go with it. */
#include "core/ops/firewall.h"
#include "core/state/ports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "core/model/fwmodel.h"
#include "core/ops/lookup.h"
#include "core/state/store.h"
#include "core/state/overlays.h"
#include "netlink/conntrack.h"
#include "netlink/fw/backend.h"
#include "netlink/nl.h"

static const char *backend_name(const struct fw_backend *b)
{
	return b ? b->name : "none";
}

/* what the rules are made from: networks with endpoints, their ports, overlays */
struct fw_input {
	struct fw_net *nets;
	size_t nnets;
	struct fw_port *ports;
	size_t nports;
	struct network *all;
	size_t nall;
	struct vxlan *vx;
	size_t nvx;
};

static void input_free(struct fw_input *in)
{
	free(in->nets);
	free(in->ports);
	free(in->vx);
	net_list_free(in->all, in->nall);
}

/* a peer filter holds VXLAN senders to the overlay's peers: not for a
 * multicast group overlay (no peer list to hold them to), nor an EVPN one
 * (its VTEPs come and go with BGP routes) */
static bool filtered(const struct vxlan *v)
{
	return !ip_is_set(&v->group) && !v->evpn;
}

/* the whole rule set: networks, ports (as rules unless the backend has its
 * own way; with no backend, as rules: what netfw show then prints), overlay
 * peers */
static int build(const struct fw_input *in, const struct fw_backend *b, struct fw_ruleset *r)
{
	int ret = fw_build(in->nets, in->nnets, in->ports, in->nports, !b || b->ports_as_rules, r);
	struct ipaddr *peers = NULL;

	/* an encrypted overlay's VNI comes in through IPsec only, from anyone:
	 * before the peers' RETURNs */
	for (size_t i = 0; i < in->nvx && !ret; i++)
		if (in->vx[i].encrypted)
			ret = fw_add_vxlan_plain_drop(r, in->vx[i].port, in->vx[i].vni);
	/* the peers of every filtered overlay on a port, then one drop for that
	 * port */
	if (!ret && in->nvx && !(peers = calloc(in->nvx * VXLAN_MAX_PEERS, sizeof(*peers))))
		ret = -ENOMEM;
	for (size_t i = 0; i < in->nvx && !ret; i++) {
		size_t n = 0, j;

		if (!filtered(&in->vx[i]))
			continue;
		for (j = 0; j < i && !(in->vx[j].port == in->vx[i].port && filtered(&in->vx[j])); j++)
			;
		if (j < i)
			continue; /* that port is done */
		for (j = i; j < in->nvx; j++) {
			if (in->vx[j].port != in->vx[i].port || !filtered(&in->vx[j]))
				continue;
			for (size_t k = 0, d; k < in->vx[j].npeers; k++) {
				for (d = 0; d < n && !ip_eq(&peers[d], &in->vx[j].peers[k]); d++)
					;
				if (d == n)
					peers[n++] = in->vx[j].peers[k];
			}
		}
		ret = fw_add_vxlan(r, in->vx[i].port, peers, n);
	}
	free(peers);
	return ret;
}

static bool opt_false(const struct network *n, const char *key)
{
	const char *v = pairs_get(&n->opts, key);

	return v && !strcmp(v, "false");
}

/* a port on every host address to a container's IPv4 address has an IPv6
 * twin when the container has an IPv6 address there too */
static bool may_twin(const struct port_map *pm)
{
	return !ip_is_set(&pm->p.host_ip) && pm->p.ctr_ip.family == AF_INET;
}

/* the IPv6 address of the container of @pm on its network; unset: none */
static struct ipaddr ctr_ip6(struct session *s, const struct port_map *pm)
{
	struct ipaddr a = { 0 };
	struct endpoint e;

	if (!ep_load(&s->st, pm->network, pm->container, &e)) {
		a = e.ip6;
		ep_free(&e);
	}
	return a;
}

/* the fw_ports of the published port @pm into @out (room for 2): itself, "[::]"
 * made "every address" as fw_port says it, and its IPv6 twin to @ip6 (the
 * container's IPv6 address, unset when none); how many */
static size_t ports_of(const struct port_map *pm, const struct ipaddr *ip6, struct fw_port *out)
{
	out[0] = pm->p;
	if (pm->p.ctr_ip.family == AF_INET6 && ip_is_set(&pm->p.host_ip) &&
	    !memcmp(pm->p.host_ip.v6, (uint8_t[16]){ 0 }, 16))
		out[0].host_ip = (struct ipaddr){ 0 };
	if (!may_twin(pm) || !ip_is_set(ip6))
		return 1;
	out[1] = pm->p;
	out[1].ctr_ip = *ip6; /* host_ip unset: the family of ctr_ip says which */
	return 2;
}

static int input_load(struct session *s, struct fw_input *in)
{
	struct port_map *pm;
	size_t npm;
	int ret;

	memset(in, 0, sizeof(*in));
	if ((ret = net_list(s, &in->all, &in->nall)))
		return ret;
	if ((ret = ports_load_all(&s->st, &pm, &npm))) {
		input_free(in); /* a damaged port file: nothing half loaded is kept */
		return session_load_fail(s, ret, "the published ports");
	}
	/* a dual-stack network is two fw_nets, a port on every address two fw_ports */
	in->nets = calloc(2 * in->nall + 1, sizeof(*in->nets));
	in->ports = calloc(2 * npm + 1, sizeof(*in->ports));
	if (!in->nets || !in->ports) {
		free(pm);
		input_free(in);
		return session_fail(s, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < in->nall; i++) {
		const struct network *n = &in->all[i];
		struct fw_net *f = &in->nets[in->nnets];
		const char *snat = pairs_get(&n->opts, "com.docker.network.host_ipv4");

		const char *mode6 = pairs_get(&n->opts, "com.docker.network.bridge.gateway_mode_ipv6");

		if (!net_bridged(n) || !n->members.n)
			continue;
		snprintf(f->bridge, sizeof(f->bridge), "%s", n->bridge);
		f->subnet = n->subnet;
		f->gateway = n->gateway;
		f->internal = n->internal;
		f->icc = !opt_false(n, "com.docker.network.bridge.enable_icc");
		f->masquerade = !opt_false(n, "com.docker.network.bridge.enable_ip_masquerade");
		/* SNAT to that address; 0.0.0.0, or text that is no address,
		 * leaves it unset: masquerade */
		if (snat && !ip_parse(snat, AF_INET, &f->snat) && !f->snat.v4)
			f->snat = (struct ipaddr){ 0 };
		if (ip_is_set(&n->subnet.a))
			in->nnets++;
		if (!n->ipv6)
			continue;
		/* the IPv6 twin: same bridge and policy; NAT66 unless routed mode */
		f = &in->nets[in->nnets++];
		*f = (struct fw_net){ .subnet = n->subnet6, .gateway = n->gateway6,
				      .internal = n->internal,
				      .icc = !opt_false(n, "com.docker.network.bridge.enable_icc"),
				      .masquerade = !mode6 || strcmp(mode6, "routed") };
		snprintf(f->bridge, sizeof(f->bridge), "%s", n->bridge);
	}
	for (size_t i = 0; i < npm; i++) {
		size_t k = 0;

		/* no IPv6 twin on a network without IPv6: no endpoint file to read
		 * for each of a thousand ports */
		while (k < in->nall && strcmp(in->all[k].name, pm[i].network))
			k++;
		if (k < in->nall && !in->all[k].ipv6) {
			in->ports[in->nports++] = pm[i].p;
		} else {
			struct ipaddr a6 = may_twin(&pm[i]) ? ctr_ip6(s, &pm[i]) : (struct ipaddr){ 0 };

			in->nports += ports_of(&pm[i], &a6, &in->ports[in->nports]);
		}
	}
	free(pm);
	if ((ret = vxlan_list(&s->st, &in->vx, &in->nvx))) {
		input_free(in);
		return session_load_fail(s, ret, "the overlays");
	}
	return 0;
}

/* /proc/sys values: read one integer, write one */
static int sysctl_get(const char *path)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf);
}

static int sysctl_set(const char *path, int v)
{
	char buf[16];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n = snprintf(buf, sizeof(buf), "%d\n", v), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/* what boxnet changed and must give back: firewall state file */
struct fw_saved {
	const struct fw_backend *backend; /* NULL: none */
	char auto_why[256];     /* auto chose backend, for this reason; "": not auto */
	int forward_was;        /* -1: boxnet did not change ip_forward */
	int forward6_was;       /* -1: nor net.ipv6.conf.all.forwarding */
	struct pairs localnet;  /* bridge -> route_localnet value before boxnet */
};

static void saved_load(struct session *s, struct fw_saved *sv)
{
	char *buf;
	struct kvs k;
	const char *v;

	memset(sv, 0, sizeof(*sv));
	sv->forward_was = sv->forward6_was = -1;
	if (state_read(&s->st, "firewall", &buf))
		return;
	if (kv_parse(buf, &k) == 0) {
		if ((v = kv_get(&k, "backend")))
			sv->backend = fw_backend_find(v);
		if ((v = kv_get(&k, "auto")))
			snprintf(sv->auto_why, sizeof(sv->auto_why), "%s", v);
		if ((v = kv_get(&k, "forward_was")))
			sv->forward_was = atoi(v);
		if ((v = kv_get(&k, "forward6_was")))
			sv->forward6_was = atoi(v);
		for (size_t i = 0; i < k.n; i++)
			if (!strncmp(k.v[i].key, "localnet.", 9))
				pairs_add(&sv->localnet, k.v[i].key + 9, k.v[i].val);
		free(k.v);
	}
	free(buf);
}

/* the whole file, however many bridges: a cut one would forget what to give back */
static int saved_store(struct session *s, const struct fw_saved *sv)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	fprintf(f, "backend=%s\nforward_was=%d\nforward6_was=%d\n", backend_name(sv->backend),
		sv->forward_was, sv->forward6_was);
	if (sv->auto_why[0])
		fprintf(f, "auto=%s\n", sv->auto_why);
	for (size_t i = 0; i < sv->localnet.n; i++)
		fprintf(f, "localnet.%s=%s\n", sv->localnet.key[i], sv->localnet.val[i]);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	ret = state_write(&s->st, "firewall", text, len);
	free(text);
	return ret;
}

/*
 * The backend BOXNET_FIREWALL names, resolved (NULL: none, no firewall), and
 * why, one line, into @why. auto: what the state @sv (as saved_load read it)
 * records auto chose, else what fits the host now (fw_backend_auto): the
 * choice is made once and kept while the state lives (until reboot), so
 * that boxnet's rules do not move between backends as the host's own
 * firewall changes, and so that a command pays for no survey.
 */
static int backend_get(struct session *s, const struct fw_saved *sv, const struct fw_backend **b,
		       char *why, size_t len)
{
	const char *v = getenv("BOXNET_FIREWALL");
	struct fw_survey host;

	*b = NULL;
	if (v && *v && strcmp(v, "auto")) {
		if (strcmp(v, "none") && !(*b = fw_backend_find(v)))
			return session_fail(s, -EINVAL, "invalid BOXNET_FIREWALL %s: want auto, "
						       "iptables, nft, iptables-nft or none", v);
		snprintf(why, len, "BOXNET_FIREWALL=%s", v);
		return 0;
	}
	if (sv->auto_why[0] && sv->backend) {
		*b = sv->backend;
		snprintf(why, len, "%s", sv->auto_why);
		return 0;
	}
	if (fw_survey(&host))
		return session_fail(s, -ENOMEM, "out of memory");
	*b = fw_backend_auto(&host, why, len);
	return 0;
}

/* backend_get with the state file read here; *@had (unless NULL): whether
 * the state file names a backend, the one boxnet's rules were last put in */
static int backend_now(struct session *s, const struct fw_backend **b, char *why, size_t len,
		       bool *had)
{
	struct fw_saved sv;
	int ret;

	saved_load(s, &sv);
	ret = backend_get(s, &sv, b, why, len);
	if (had)
		*had = sv.backend != NULL;
	pairs_free(&sv.localnet);
	return ret;
}

/* the backend's reason for its failure, taken out of nl_errmsg(): the
 * message worded with it must not get it appended again by session_fail */
static const char *take_reason(char *buf, size_t len)
{
	snprintf(buf, len, "%s", nl_errmsg());
	nl_errmsg_clear();
	return buf;
}

/* @path set to 1 while @need, and given back (to 0) after, when boxnet set it:
 * *@was is 0 while boxnet holds it, -1 when it does not */
static void sysctl_hold(const char *path, bool need, int *was)
{
	if (need && sysctl_get(path) == 0 && sysctl_set(path, 1) == 0 && *was < 0)
		*was = 0;
	if (!need && *was == 0 && sysctl_set(path, 0) == 0)
		*was = -1;
}

/* ip_forward while a network needs it, IPv6 forwarding while an IPv6 network
 * does (both: a non-internal network with endpoints); route_localnet on
 * bridges with endpoints, so 127.0.0.1 reaches published ports; all given
 * back after */
static void sysctls(const struct fw_input *in, bool active, struct fw_saved *sv)
{
	bool need = false, need6 = false;
	char path[128];

	for (size_t i = 0; i < in->nnets && active; i++)
		need |= !in->nets[i].internal && in->nets[i].subnet.a.family == AF_INET;
	/* IPv6: a non-internal dual-stack or IPv6-only network with endpoints
	 * (its IPv6 fw_net) */
	for (size_t i = 0; i < in->nnets && active; i++)
		need6 |= !in->nets[i].internal && in->nets[i].subnet.a.family == AF_INET6;
	sysctl_hold("/proc/sys/net/ipv4/ip_forward", need, &sv->forward_was);
	sysctl_hold("/proc/sys/net/ipv6/conf/all/forwarding", need6, &sv->forward6_was);
	for (size_t i = 0; i < in->nnets && active; i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet",
			 in->nets[i].bridge);
		if (sysctl_get(path) == 0 && sysctl_set(path, 1) == 0 &&
		    !pairs_get(&sv->localnet, in->nets[i].bridge))
			pairs_add(&sv->localnet, in->nets[i].bridge, "0");
	}
	/* bridges no longer in use get their value back */
	for (size_t i = 0; i < sv->localnet.n;) {
		bool used = false;

		for (size_t j = 0; j < in->nnets && active; j++)
			used |= !strcmp(in->nets[j].bridge, sv->localnet.key[i]);
		if (used) {
			i++;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet",
			 sv->localnet.key[i]);
		sysctl_set(path, atoi(sv->localnet.val[i]));
		free(sv->localnet.key[i]);
		free(sv->localnet.val[i]);
		sv->localnet.n--;
		memmove(&sv->localnet.key[i], &sv->localnet.key[i + 1], (sv->localnet.n - i) * sizeof(char *));
		memmove(&sv->localnet.val[i], &sv->localnet.val[i + 1], (sv->localnet.n - i) * sizeof(char *));
	}
}

int fw_sync(struct session *s)
{
	struct fw_ruleset r = { 0 }, none = { 0 };
	struct fw_input in;
	struct fw_saved sv;
	const struct fw_backend *b;
	char why[256], chose[256];
	const char *v = getenv("BOXNET_FIREWALL");
	int ret;

	saved_load(s, &sv);
	if ((ret = backend_get(s, &sv, &b, chose, sizeof(chose))) || (ret = input_load(s, &in))) {
		pairs_free(&sv.localnet);
		return ret;
	}
	if (b && build(&in, b, &r))
		ret = session_fail(s, -ENOMEM, "out of memory");
	if (!ret && b && (ret = b->apply(&r, in.ports, in.nports)))
		session_fail(s, ret, "cannot install the %s rules: %s", b->name,
			     take_reason(why, sizeof(why)));
	/* a switch of backend: the old one gives everything back, as far as it
	 * can; what it could not is no reason for a later failure */
	if (!ret && sv.backend && sv.backend != b) {
		sv.backend->apply(&none, NULL, 0);
		nl_errmsg_clear();
	}
	if (!ret) {
		sysctls(&in, b != NULL, &sv);
		sv.backend = b;
		/* auto's choice is remembered with its reason; a named one is not auto's */
		snprintf(sv.auto_why, sizeof(sv.auto_why), "%s",
			 v && *v && strcmp(v, "auto") ? "" : chose);
		if ((ret = saved_store(s, &sv)))
			session_fail(s, ret, "cannot save the firewall state: %s", errstr(ret));
	}
	pairs_free(&sv.localnet);
	fw_free(&r);
	input_free(&in);
	return ret;
}

int fw_render(struct session *s, FILE *f)
{
	struct fw_ruleset r;
	struct fw_input in;
	const struct fw_backend *b;
	char why[256];
	int ret;

	if ((ret = backend_now(s, &b, why, sizeof(why), NULL)) || (ret = input_load(s, &in)))
		return ret;
	if (build(&in, b, &r))
		ret = session_fail(s, -ENOMEM, "out of memory");
	else if (b)
		b->render(&r, in.ports, in.nports, f);
	else /* no backend: what the model says, in ip(6)tables-save's words */
		fwrule_save_all(&r, f);
	fw_free(&r);
	input_free(&in);
	return ret;
}

/* the fw_ports of the @n published ports @m (room for 2 * @n) into @v, the
 * IPv6 twins included; how many. The ports of one container on one network
 * (a range, many SPECs) share its IPv6 address: one endpoint file read for
 * each run of them. */
static size_t ports_of_all(struct session *s, const struct port_map *m, size_t n,
			   struct fw_port *v)
{
	struct ipaddr a6 = { 0 };
	bool known = false;
	size_t nv = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && (strcmp(m[i].container, m[i - 1].container) ||
			  strcmp(m[i].network, m[i - 1].network)))
			known = false;
		if (!known && may_twin(&m[i])) {
			a6 = ctr_ip6(s, &m[i]);
			known = true;
		}
		nv += ports_of(&m[i], known ? &a6 : &(struct ipaddr){ 0 }, &v[nv]);
	}
	return nv;
}

static int port_change(struct session *s, const struct port_map *m, size_t n, bool add)
{
	const struct fw_backend *b;
	struct fw_ruleset r = { 0 };
	struct fw_port *v;
	size_t nv = 0;
	char why[256];
	bool had;
	int ret;

	if ((ret = backend_now(s, &b, why, sizeof(why), &had)))
		return ret;
	/* no firewall before nor now: no rule to change (a full sync reads
	 * every network and port: issue 12) */
	if (!b && !had)
		return 0;
	if (!b || !b->port_add)
		return fw_sync(s);
	if (!(v = calloc(2 * n + 1, sizeof(*v))))
		return session_fail(s, -ENOMEM, "out of memory");
	/* the ports and their IPv6 twins, where the container has one, and
	 * their rules as the model makes them */
	nv = ports_of_all(s, m, n, v);
	for (size_t i = 0; i < nv && !ret; i++)
		ret = fw_port_rules(&v[i], &r);
	if (ret)
		ret = session_fail(s, ret, "out of memory");
	else
		ret = add ? b->port_add(v, nv, &r) : b->port_del(v, nv, &r);
	/* no table yet (first port of a fresh network), it was flushed, or a
	 * port to take is not there: the whole set */
	if (ret == -ENOENT) {
		nl_errmsg_clear();
		ret = fw_sync(s);
	} else if (ret && !s->err[0]) {
		session_fail(s, ret, "cannot %s the port%s in %s: %s", add ? "add" : "remove",
			     n > 1 ? "s" : "", b->name, take_reason(why, sizeof(why)));
	}
	/* a UDP flow that arrived before the port was published must now reach
	 * it; best effort: a failure here leaves no reason behind either */
	for (size_t i = 0; !ret && add && i < n; i++)
		if (m[i].p.proto == 17) {
			ct_flush_udp_ports(m[i].p.host_lo, m[i].p.host_hi);
			nl_errmsg_clear();
		}
	fw_free(&r);
	free(v);
	return ret;
}

int fw_port_added(struct session *s, const struct port_map *m, size_t n)
{
	return port_change(s, m, n, true);
}

int fw_port_removed(struct session *s, const struct port_map *m, size_t n)
{
	return port_change(s, m, n, false);
}

/* "legacy filter (FORWARD policy DROP, 1 chains, 3 rules), legacy nat (…)" */
static void tables_text(const char *side, const struct fw_tabsum *v, size_t n, FILE *f)
{
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s%s %s (%s%s%u chains, %u rules)", k ? ", " : "", side, v[k].name,
			v[k].drops, v[k].drops[0] ? ", " : "", v[k].chains, v[k].rules);
}

/* what of the host's firewall works against boxnet's, as fw_survey found it */
static void warnings(const struct fw_backend *b, const struct fw_survey *h, FILE *f)
{
	if (h->nlegacy && h->nnft) {
		fputs("warning: iptables rules in both legacy x_tables and nf_tables: ", f);
		tables_text("legacy", h->legacy, h->nlegacy, f);
		fputs("; ", f);
		tables_text("nf_tables", h->nft, h->nnft, f);
		fputc('\n', f);
	}
	for (size_t k = 0; k < h->nlegacy && b != &xt_backend; k++)
		if (!strcmp(h->legacy[k].name, "filter") && strstr(h->legacy[k].drops, "FORWARD"))
			fprintf(f, "warning: legacy x_tables filter FORWARD has policy DROP, and boxnet's "
				   "accepts are not there: containers lose egress and published ports\n");
	for (size_t k = 0; k < h->ndrop; k++) {
		const struct fw_dropper *d = &h->drop[k];

		/* iptables-nft's FORWARD holds boxnet's accepts when it is the backend */
		if (b == &iptnft_backend && !strcmp(d->table, "ip filter") &&
		    !strcmp(d->chain, "FORWARD"))
			continue;
		fprintf(f, "warning: nf_tables table %s chain %s drops forwarded traffic it does not "
			   "accept itself (%s): containers lose egress and published ports unless it "
			   "accepts their bridges\n", d->table, d->chain,
			d->policy ? "policy drop" : "its last rule drops everything");
	}
}

int fw_status(struct session *s, FILE *f)
{
	const struct fw_backend *b;
	struct fw_survey host;
	char why[256];
	int ret = backend_now(s, &b, why, sizeof(why), NULL);

	if (ret)
		return ret;
	fprintf(f, "backend: %s\nreason: %s\n", backend_name(b), why);
	if (fw_survey(&host))
		return session_fail(s, -ENOMEM, "out of memory");
	warnings(b, &host, f);
	/* what the kernel holds, as far as it can be read: status is for
	 * looking, and a table that cannot be read simply has nothing to show */
	if (b && b->show) {
		b->show(f);
		nl_errmsg_clear();
	}
	return 0;
}
