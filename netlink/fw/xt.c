// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy x_tables socket: read a table (IPT_SO_GET_INFO, _GET_ENTRIES),
 * let xt_blob.c/xt_edit.c rewrite boxnet's part, commit it with one
 * IPT_SO_SET_REPLACE and give the kept rules their counters back
 * (IPT_SO_SET_ADD_COUNTERS), all under iptables' own lock. KERNEL-NOTES.md
 * section 4.7 is the recipe.
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

#include "netlink/nl.h"

#define XT_LOCK_PATH "/run/xtables.lock" /* where iptables-legacy takes it */
#define XT_TRIES 32                      /* replaces started over after EAGAIN */

/* one table as read from the kernel */
struct snap {
	struct ipt_getinfo info;
	struct ipt_get_entries *raw;
	struct xt_table t;
};

static int xt_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);

	return fd < 0 ? -errno : fd;
}

static int get_info(int fd, const char *name, struct ipt_getinfo *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", name);
	return getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, info, &len) ? -errno : 0;
}

static bool xt_available(void)
{
	struct ipt_getinfo info;
	int fd = xt_socket();
	bool ok = fd >= 0 && !get_info(fd, "filter", &info);

	if (fd >= 0)
		close(fd);
	return ok;
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
	int ret = get_info(fd, name, &s->info);
	socklen_t len = sizeof(*s->raw) + s->info.size;

	if (ret)
		return ret;
	s->raw = calloc(1, len);
	if (!s->raw)
		return -ENOMEM;
	memcpy(s->raw->name, s->info.name, sizeof(s->raw->name));
	s->raw->size = s->info.size;
	if (getsockopt(fd, IPPROTO_IP, IPT_SO_GET_ENTRIES, s->raw, &len))
		return -errno;
	return 0;
}

static int snap_read(int fd, const char *name, struct snap *s)
{
	int ret = -EAGAIN;

	memset(s, 0, sizeof(*s));
	for (int i = 0; ret == -EAGAIN && i < XT_TRIES; i++) {
		snap_free(s);
		ret = get_entries(fd, name, s);
	}
	if (ret)
		return ret;
	return xt_table_parse(&s->t, name, s->info.valid_hooks, s->info.hook_entry,
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
	return xt_blob_same(rep->entries, s->raw->entrytable, rep->size);
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
	setsockopt(fd, IPPROTO_IP, IPT_SO_SET_ADD_COUNTERS, c, len);
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
	if (setsockopt(fd, IPPROTO_IP, IPT_SO_SET_REPLACE, rep, len))
		ret = -errno;
	else
		add_counters(fd, &s->t, old, s->info.num_entries);
	free(old);
	return ret;
}

static bool has_rules(const struct fw_ruleset *r, enum fw_table ft)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].table == ft)
			return true;
	return false;
}

/* "iptables nat table: WHAT: WHY" as the reason; WHY NULL for the errno's text */
static int fail(int ret, enum fw_table ft, const char *what, const char *why)
{
	return nl_fail(ret, "iptables %s table: %s: %s", fw_table_names[ft], what,
		       why ? why : errstr(-ret));
}

static const char *set_why(int ret)
{
	return ret == -EMLINK ? "a rule of another chain jumps into a boxnet chain"
	       : ret == -EINVAL ? "a rule this backend cannot express" : NULL;
}

/* one try: read, rewrite, replace; -EAGAIN when someone changed the table */
static int apply_once(int fd, const struct fw_ruleset *r, enum fw_table ft)
{
	struct snap s;
	void *rep = NULL;
	size_t len;
	int ret = snap_read(fd, fw_table_names[ft], &s);

	if (ret == -ENOENT && !has_rules(r, ft))
		ret = 0; /* no such table here: nothing of boxnet's in it either */
	else if (ret)
		fail(ret, ft, "reading it", NULL);
	else if ((ret = xt_table_set(&s.t, r, ft)))
		fail(ret, ft, "building the rules", set_why(ret));
	else if ((ret = xt_table_blob(&s.t, &rep, &len)))
		fail(ret, ft, "writing the blob", NULL);
	else if (!unchanged(&s, rep) && (ret = replace(fd, &s, rep, len)) && ret != -EAGAIN)
		fail(ret, ft, "IPT_SO_SET_REPLACE", NULL);
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

static int xt_apply(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports)
{
	int fd, lock, ret = 0;

	nl_errmsg_clear();
	if (r->oom)
		return fail(-ENOMEM, FW_RAW, "building the rules", NULL);
	fd = xt_socket();
	if (fd < 0)
		return nl_fail(fd, "iptables: raw socket: %s", errstr(-fd));
	lock = xt_lock();
	if (lock < 0) {
		close(fd);
		return nl_fail(lock, "iptables: lock %s: %s", XT_LOCK_PATH, errstr(-lock));
	}
	for (int t = 0; !ret && t < FW_NTABLES; t++) {
		ret = -EAGAIN;
		for (int i = 0; ret == -EAGAIN && i < XT_TRIES; i++)
			ret = apply_once(fd, r, t);
		if (ret == -EAGAIN)
			fail(ret, t, "IPT_SO_SET_REPLACE", "the table keeps changing");
	}
	close(lock);
	close(fd);
	return ret;
}

/* boxnet's part of table @t as the kernel holds it now */
static int show_table(enum fw_table t, FILE *f)
{
	struct snap s;
	int fd = xt_socket();
	int ret = fd;

	if (fd < 0)
		return fd;
	ret = snap_read(fd, fw_table_names[t], &s);
	if (!ret)
		xt_table_show(&s.t, t, f);
	snap_free(&s);
	close(fd);
	return ret;
}

/* every table that can be read; the first that cannot is the reason */
static int xt_show(FILE *f)
{
	int ret = 0;

	nl_errmsg_clear();
	for (int t = 0; t < FW_NTABLES; t++) {
		int r = show_table(t, f);

		if (r && !ret)
			ret = fail(r, t, "reading it", NULL);
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
		heads += xt_entry_errorname(t->e[t->order[p]].b) != NULL;
	for (int h = 0; h < XT_NHOOKS; h++) {
		if (!(t->valid_hooks & (1u << h)) || t->underflow[h] < 0)
			continue;
		policies++;
		if (!sum->drops[0] && !xt_entry_std_verdict(t->e[t->underflow[h]].b,
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
	if (n <= 0 || (sock = xt_socket()) < 0)
		return;
	for (char *name = strtok_r(names, "\n", &save); name && sv->nlegacy < FW_SURVEY_MAX;
	     name = strtok_r(NULL, "\n", &save)) {
		struct fw_tabsum *sum = &sv->legacy[sv->nlegacy];
		struct snap s;

		memset(sum, 0, sizeof(*sum));
		if (!snap_read(sock, name, &s)) {
			snprintf(sum->name, sizeof(sum->name), "%s", name);
			summarise(&s.t, sum);
			sv->nlegacy += sum->chains || sum->rules || sum->drops[0];
		}
		snap_free(&s);
	}
	close(sock);
}

static void xt_render(const struct fw_ruleset *r, const struct fw_port *ports, size_t nports,
		      FILE *f)
{
	for (int t = 0; t < FW_NTABLES; t++)
		fwrule_save(r, t, f);
}

const struct fw_backend xt_backend = {
	.name = "iptables",
	.ports_as_rules = true,
	.available = xt_available,
	.apply = xt_apply,
	.render = xt_render,
	.show = xt_show,
};
