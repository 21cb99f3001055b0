// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy x_tables socket: read a table (IPT_SO_GET_INFO, _GET_ENTRIES),
 * let xt_blob.c/xt_edit.c rewrite boxnet's part, commit it with one
 * IPT_SO_SET_REPLACE and give the kept rules their counters back
 * (IPT_SO_SET_ADD_COUNTERS), all under iptables' own lock. KERNEL-NOTES.md
 * section 4.7 is the recipe. ip6_tables is the same dialogue on an AF_INET6
 * socket at level IPPROTO_IPV6: the IP6T_SO_* numbers and the getinfo,
 * get_entries, replace and counters structs are IPv4's (checked below);
 * only the entries differ (xt_int.h).
 */
#include "lib/errstr.h"
#include "netlink/fw/backend.h"
#include "netlink/fw/xt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "netlink/nl.h"

#define XT_LOCK_PATH "/run/xtables.lock" /* where iptables-legacy takes it */
#define XT_TRIES 32                      /* replaces started over after EAGAIN */

_Static_assert(IPT_SO_GET_INFO == IP6T_SO_GET_INFO && IPT_SO_GET_ENTRIES == IP6T_SO_GET_ENTRIES &&
		       IPT_SO_SET_REPLACE == IP6T_SO_SET_REPLACE &&
		       IPT_SO_SET_ADD_COUNTERS == IP6T_SO_SET_ADD_COUNTERS &&
		       sizeof(struct ipt_getinfo) == sizeof(struct ip6t_getinfo) &&
		       sizeof(struct ipt_get_entries) == sizeof(struct ip6t_get_entries) &&
		       sizeof(struct ipt_replace) == sizeof(struct ip6t_replace),
	       "ip6_tables' calls are ip_tables' with other entries");

/* one table as read from the kernel */
struct snap {
	int fam;
	struct ipt_getinfo info;
	struct ipt_get_entries *raw;
	struct xt_table t;
};

static int level(int fam)
{
	return fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

/* the tool whose tables these are, for messages */
static const char *tool(int fam)
{
	return fam == AF_INET6 ? "ip6tables" : "iptables";
}

static int xt_socket(int fam)
{
	int fd = socket(fam, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);

	return fd < 0 ? -errno : fd;
}

static int get_info(int fd, int fam, const char *name, struct ipt_getinfo *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", name);
	return getsockopt(fd, level(fam), IPT_SO_GET_INFO, info, &len) ? -errno : 0;
}

/* x_tables lists the tables it made for a family in this file, which exists
 * exactly when the kernel has ip_tables (ip6_tables) */
static const char *names_file(int fam)
{
	return fam == AF_INET6 ? "/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names";
}

bool xt_available_family(int fam)
{
	struct ipt_getinfo info;
	bool ok;
	int fd;

	/* asking for a table would make it: /proc answers without that */
	if (!access(names_file(fam), F_OK))
		return true;
	if (!access("/proc/net", F_OK))
		return false;
	fd = xt_socket(fam);
	ok = fd >= 0 && !get_info(fd, fam, "filter", &info);
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool xt_available(void)
{
	return xt_available_family(AF_INET);
}

static void snap_free(struct snap *s)
{
	free(s->raw);
	xt_table_free(&s->t);
	s->raw = NULL;
}

/* GET_INFO then GET_ENTRIES of that size; EAGAIN when the table changed between */
static int get_entries(int fd, const char *name, struct snap *s)
{
	int ret = get_info(fd, s->fam, name, &s->info);
	socklen_t len = sizeof(*s->raw) + s->info.size;

	if (ret)
		return ret;
	s->raw = calloc(1, len);
	if (!s->raw)
		return -ENOMEM;
	memcpy(s->raw->name, s->info.name, sizeof(s->raw->name));
	s->raw->size = s->info.size;
	if (getsockopt(fd, level(s->fam), IPT_SO_GET_ENTRIES, s->raw, &len))
		return -errno;
	return 0;
}

static int snap_read(int fd, int fam, const char *name, struct snap *s)
{
	int ret = -EAGAIN;

	memset(s, 0, sizeof(*s));
	s->fam = fam;
	for (int i = 0; ret == -EAGAIN && i < XT_TRIES; i++) {
		snap_free(s);
		ret = get_entries(fd, name, s);
	}
	if (ret)
		return ret;
	return xt_table_parse(&s->t, fam, name, s->info.valid_hooks, s->info.hook_entry,
			      s->info.underflow, s->raw->entrytable, s->info.size,
			      s->info.num_entries);
}

/* the new table is the old one but for the kernel's scratch fields */
static bool unchanged(const struct snap *s, const struct ipt_replace *rep)
{
	if (rep->size != s->info.size || rep->num_entries != s->info.num_entries)
		return false;
	for (int h = 0; h < XT_NHOOKS; h++)
		if ((rep->valid_hooks & (1u << h)) &&
		    (rep->hook_entry[h] != s->info.hook_entry[h] ||
		     rep->underflow[h] != s->info.underflow[h]))
			return false;
	return xt_blob_same(s->fam, rep->entries, s->raw->entrytable, rep->size);
}

/* the kept entries get the counters the replace handed back */
static void add_counters(int fd, const struct xt_table *t, const struct xt_counters *old,
			 unsigned int nold)
{
	size_t len = sizeof(struct xt_counters_info) + t->norder * sizeof(struct xt_counters);
	struct xt_counters_info *c = calloc(1, len);

	if (!c)
		return; /* only statistics are lost */
	memcpy(c->name, t->name, sizeof(c->name));
	c->num_counters = t->norder;
	for (size_t p = 0; p < t->norder; p++) {
		int orig = t->e[t->order[p]].orig;

		if (orig >= 0 && (unsigned int)orig < nold)
			c->counters[p] = old[orig];
	}
	setsockopt(fd, level(t->family), IPT_SO_SET_ADD_COUNTERS, c, len);
	free(c);
}

static int replace(int fd, const struct snap *s, struct ipt_replace *rep, size_t len)
{
	struct xt_counters *old = calloc(s->info.num_entries + 1, sizeof(*old));
	int ret = 0;

	if (!old)
		return -ENOMEM;
	rep->num_counters = s->info.num_entries;
	rep->counters = old;
	if (setsockopt(fd, level(s->fam), IPT_SO_SET_REPLACE, rep, len))
		ret = -errno;
	else
		add_counters(fd, &s->t, old, s->info.num_entries);
	free(old);
	return ret;
}

static bool has_rules(const struct fw_ruleset *r, int fam, enum fw_table ft)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].table == ft && fw_is6(&r->v[i]) == (fam == AF_INET6))
			return true;
	return false;
}

/* "iptables nat table: WHAT: WHY" as the reason; WHY NULL for the errno's text */
static int fail(int ret, int fam, enum fw_table ft, const char *what, const char *why)
{
	return nl_fail(ret, "%s %s table: %s: %s", tool(fam), fw_table_names[ft], what,
		       why ? why : errstr(-ret));
}

static const char *set_why(int ret)
{
	return ret == -EMLINK ? "a rule of another chain jumps into a boxnet chain"
	       : ret == -EINVAL ? "a rule this backend cannot express" : NULL;
}

/* the kernel has made table @name of @fam in this network namespace: asking
 * for one it has not would make it (and hook it into every packet's path);
 * without /proc it is taken as made */
static bool made(int fam, const char *name)
{
	FILE *f = fopen(names_file(fam), "re");
	char line[40];
	bool found = !f && access("/proc/net", F_OK); /* no file: no such tables */

	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		found = !strcmp(line, name);
	}
	if (f)
		fclose(f);
	return found;
}

static bool any_made(int fam)
{
	for (int t = 0; t < FW_NTABLES; t++)
		if (made(fam, fw_table_names[t]))
			return true;
	return false;
}

/* one try: read, rewrite, replace; -EAGAIN when someone changed the table */
static int apply_once(int fd, int fam, const struct fw_ruleset *r, enum fw_table ft)
{
	struct snap s = { 0 };
	void *rep = NULL;
	size_t len;
	int ret;

	/* a table not made yet holds nothing of boxnet's: leave it unmade */
	if (!has_rules(r, fam, ft) && !made(fam, fw_table_names[ft]))
		return 0;
	ret = snap_read(fd, fam, fw_table_names[ft], &s);

	/* no such table here (or, for IPv6, no ip6_tables at all): nothing
	 * of boxnet's in it either */
	if ((ret == -ENOENT || ret == -ENOPROTOOPT) && !has_rules(r, fam, ft))
		ret = 0;
	else if (ret)
		fail(ret, fam, ft, "reading it", NULL);
	else if ((ret = xt_table_set(&s.t, r, ft)))
		fail(ret, fam, ft, "building the rules", set_why(ret));
	else if ((ret = xt_table_blob(&s.t, &rep, &len)))
		fail(ret, fam, ft, "writing the blob", NULL);
	else if (!unchanged(&s, rep) && (ret = replace(fd, &s, rep, len)) && ret != -EAGAIN)
		fail(ret, fam, ft, "IPT_SO_SET_REPLACE", NULL);
	free(rep);
	snap_free(&s);
	return ret;
}

static int xt_lock(void)
{
	int fd = open(XT_LOCK_PATH, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX)) {
		int ret = -errno;

		if (ret != -EINTR) {
			close(fd);
			return ret;
		}
	}
	return fd;
}

/* the tables of one family, in order */
static int apply_family(int fam, const struct fw_ruleset *r)
{
	int fd = xt_socket(fam), ret = 0;

	if (fd < 0)
		return nl_fail(fd, "%s: raw socket: %s", tool(fam), errstr(-fd));
	for (int t = 0; !ret && t < FW_NTABLES; t++) {
		ret = -EAGAIN;
		for (int i = 0; ret == -EAGAIN && i < XT_TRIES; i++)
			ret = apply_once(fd, fam, r, t);
		if (ret == -EAGAIN)
			fail(ret, fam, t, "IPT_SO_SET_REPLACE", "the table keeps changing");
	}
	close(fd);
	return ret;
}

static int xt_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports)
{
	int lock, ret;

	nl_errmsg_clear();
	if (r->oom)
		return fail(-ENOMEM, AF_INET, FW_RAW, "building the rules", NULL);
	/* before anything changes: IPv6 rules need ip6_tables */
	if (fwrule_has(r, AF_INET6) && !xt_available_family(AF_INET6))
		return nl_fail(-EAFNOSUPPORT, "ip6tables: this kernel has no ip6_tables (legacy "
			       "x_tables for IPv6): use the nft firewall backend");
	lock = xt_lock();
	if (lock < 0)
		return nl_fail(lock, "iptables: lock %s: %s", XT_LOCK_PATH, errstr(-lock));
	ret = apply_family(AF_INET, r);
	/* a host without IPv6 (or without ip6_tables, or without any ip6
	 * table made) has nothing of boxnet's there to take away either */
	if (!ret && (fwrule_has(r, AF_INET6) || any_made(AF_INET6)))
		ret = apply_family(AF_INET6, r);
	close(lock);
	return ret;
}

/* the table holds a boxnet chain */
static bool has_boxnet(const struct xt_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *err = xt_entry_errorname(t->family, t->e[i].b);

		if (err && xt_is_boxnet(err))
			return true;
	}
	return false;
}

/* boxnet's part of each table of @fam as the kernel holds it now; the
 * first table that cannot be read is the reason. With @quiet, nothing at
 * all for a family whose tables hold no boxnet chain. */
static int show_family(int fam, bool quiet, FILE *f)
{
	struct snap s[FW_NTABLES] = { 0 };
	bool ok[FW_NTABLES] = { 0 }, any = false;
	int fd = xt_socket(fam), ret = fd < 0 ? fd : 0, bad = 0;

	for (int t = 0; fd >= 0 && t < FW_NTABLES; t++) {
		int e;

		if (quiet && !made(fam, fw_table_names[t]))
			continue;
		e = snap_read(fd, fam, fw_table_names[t], &s[t]);

		ok[t] = !e;
		any |= ok[t] && has_boxnet(&s[t].t);
		if (e && !ret)
			ret = e, bad = t;
	}
	for (int t = 0; t < FW_NTABLES; t++) {
		if (ok[t] && (any || !quiet))
			xt_table_show(&s[t].t, t, f);
		snap_free(&s[t]);
	}
	if (fd >= 0)
		close(fd);
	if (quiet && !any)
		return 0;
	return ret ? fail(ret, fam, bad, "reading it", NULL) : 0;
}

static int xt_show(FILE *f)
{
	int ret;

	nl_errmsg_clear();
	ret = show_family(AF_INET, false, f);
	if (any_made(AF_INET6)) {
		int r6 = show_family(AF_INET6, true, f);

		ret = ret ? ret : r6;
	}
	return ret;
}

/* a table's user chains, rules and the first built-in policy that is not ACCEPT */
static void summarise(const struct xt_table *t, struct fw_tabsum *sum)
{
	static const char *const hooks[XT_NHOOKS] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT",
						      "POSTROUTING" };
	unsigned heads = 0, policies = 0;
	int v;

	for (size_t p = 0; p + 1 < t->norder; p++) /* the last entry ends the table */
		heads += xt_entry_errorname(t->family, t->e[t->order[p]].b) != NULL;
	for (int h = 0; h < XT_NHOOKS; h++) {
		if (!(t->valid_hooks & (1u << h)) || t->underflow[h] < 0)
			continue;
		policies++;
		if (!sum->drops[0] && !xt_entry_std_verdict(t->family, t->e[t->underflow[h]].b,
							   t->e[t->underflow[h]].len, &v) &&
		    v != -NF_ACCEPT - 1)
			snprintf(sum->drops, sizeof(sum->drops), "%s policy %s", hooks[h],
				 v == -NF_DROP - 1 ? "DROP" : "not ACCEPT");
	}
	sum->chains = heads;
	/* every entry but the end, a user chain's head and RETURN tail, a policy */
	sum->rules = (unsigned)(t->norder - 1 - 2 * heads - policies);
}

void xt_survey(struct fw_survey *sv)
{
	char names[256] = "", *save = NULL;
	int fd = open("/proc/net/ip_tables_names", O_RDONLY | O_CLOEXEC), sock;
	ssize_t n = fd < 0 ? -1 : read(fd, names, sizeof(names) - 1);

	if (fd >= 0)
		close(fd);
	/* legacy without ip6_tables could not hold boxnet's IPv6 rules */
	sv->no_ip6 = xt_available_family(AF_INET) && !xt_available_family(AF_INET6);
	if (n <= 0 || (sock = xt_socket(AF_INET)) < 0)
		return;
	for (char *name = strtok_r(names, "\n", &save); name && sv->nlegacy < FW_SURVEY_MAX;
	     name = strtok_r(NULL, "\n", &save)) {
		struct fw_tabsum *sum = &sv->legacy[sv->nlegacy];
		struct snap s;

		memset(sum, 0, sizeof(*sum));
		if (!snap_read(sock, AF_INET, name, &s)) {
			snprintf(sum->name, sizeof(sum->name), "%s", name);
			summarise(&s.t, sum);
			sv->nlegacy += sum->chains || sum->rules || sum->drops[0];
		}
		snap_free(&s);
	}
	close(sock);
}

/* one try of a port change in the nat table of @fam: -EAGAIN when someone
 * changed the table between the read and the replace */
static int ports_once(int fd, int fam, const struct fw_ruleset *r, bool add)
{
	struct snap s = { 0 };
	void *rep = NULL;
	size_t len;
	int ret = made(fam, "nat") ? snap_read(fd, fam, "nat", &s) : -ENOENT;

	if (ret == -ENOENT || ret == -ENOPROTOOPT)
		ret = fail(-ENOENT, fam, FW_NAT, "reading it", "no such table");
	else if (ret)
		fail(ret, fam, FW_NAT, "reading it", NULL);
	else if ((ret = xt_table_splice(&s.t, r, FW_NAT, add)))
		fail(ret, fam, FW_NAT, add ? "adding the ports" : "removing the ports",
		     ret == -ENOENT ? (add ? "no chain BOXNET" : "a port's rule is not there")
				    : set_why(ret));
	else if ((ret = xt_table_blob(&s.t, &rep, &len)))
		fail(ret, fam, FW_NAT, "writing the blob", NULL);
	else if ((ret = replace(fd, &s, rep, len)) && ret != -EAGAIN)
		fail(ret, fam, FW_NAT, "IPT_SO_SET_REPLACE", NULL);
	free(rep);
	snap_free(&s);
	return ret;
}

static int xt_ports(const struct fw_ruleset *r, bool add)
{
	int lock, ret = 0;

	nl_errmsg_clear();
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].table != FW_NAT) /* the model's ports are DNATs only */
			return nl_fail(-EINVAL, "iptables: a port rule outside nat");
	if ((lock = xt_lock()) < 0)
		return nl_fail(lock, "iptables: lock %s: %s", XT_LOCK_PATH, errstr(-lock));
	for (int k = 0; k < 2 && !ret; k++) {
		int fam = k ? AF_INET6 : AF_INET, fd;

		if (!fwrule_has(r, fam))
			continue;
		if ((fd = xt_socket(fam)) < 0) {
			ret = nl_fail(fd, "%s: raw socket: %s", tool(fam), errstr(-fd));
			break;
		}
		ret = -EAGAIN;
		for (int i = 0; ret == -EAGAIN && i < XT_TRIES; i++)
			ret = ports_once(fd, fam, r, add);
		if (ret == -EAGAIN)
			fail(ret, fam, FW_NAT, "IPT_SO_SET_REPLACE", "the table keeps changing");
		close(fd);
	}
	close(lock);
	return ret;
}

static int xt_port_add(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return xt_ports(r, true);
}

static int xt_port_del(const struct fw_port *p, size_t n, const struct fw_ruleset *r)
{
	return xt_ports(r, false);
}

static void xt_render(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		      FILE *f)
{
	fwrule_save_all(r, f);
}

const struct fw_backend xt_backend = {
	.name = "iptables",
	.ports_as_rules = true,
	.available = xt_available,
	.apply = xt_apply,
	.render = xt_render,
	.port_add = xt_port_add,
	.port_del = xt_port_del,
	.show = xt_show,
};
