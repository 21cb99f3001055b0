// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * brctl - ethernet bridge administration, compatible with bridge-utils 1.7.1:
 * same commands, output (show, showmacs, showstp byte for byte), messages and
 * exit codes (1 for every error, usage on stdout).
 *
 * Differences, all deliberate:
 * - everything goes through rtnetlink, so it works without /sys mounted for the
 *   current namespace (bridge-utils then shows the wrong namespace's bridges);
 * - a bridge name longer than 15 characters is refused ("add bridge failed:
 *   Numerical result out of range") where bridge-utils silently truncates it,
 *   and is "does not exist" for the other commands, never a truncated match;
 * - times beyond 2^32-1 centiseconds (497 days) are clamped to that.
 * Kept on purpose: setpathcost/setportprio/hairpin act on PORT when it is a
 * port of any bridge, as bridge-utils (which writes PORT's sysfs files) does.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "lib/errstr.h"
#include "lib/names.h"
#include "netlink/link.h"

static struct nl *nl;

/*
 * One row of bridge-utils' command table. The set commands differ only by the
 * attribute they write and the words of their two errors, so those are data
 * here too and each command is named once, in the table below.
 */
struct command {
	int nargs; /* at least this many arguments after the command */
	const char *name;
	int (*fn)(const struct command *c, int argc, char **argv);
	const char *help; /* "ARGS\tWHAT", its line of the usage */
	struct {
		uint16_t attr;		  /* the IFLA_BR_* or IFLA_BRPORT_* written */
		const char *bad, *failed; /* the words for a bad value, for a refusal */
	} set;				  /* the set commands' data, { 0 } for the others */
};

static const char *state_name[] = { "disabled", "listening", "learning", "forwarding",
				    "blocking" };

static const char *strstate(unsigned int s)
{
	return s < sizeof(state_name) / sizeof(*state_name) ? state_name[s] : "<unknown>";
}

static void print_id(const uint8_t *x)
{
	printf("%.2x%.2x.%.2x%.2x%.2x%.2x%.2x%.2x", x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]);
}

/* centiseconds as bridge-utils prints a timeval */
static void print_timer(uint64_t cs)
{
	printf("%4i.%.2i", (int)(cs / 100), (int)(cs % 100));
}

/* the device @name, or -ENODEV; names the kernel could not hold do not exist */
static int lookup(const char *name, struct nl_link *l)
{
	if (!name_is_ifname(name))
		return -ENODEV;
	return nl_link_get(nl, name, 0, l);
}

/* a bridge by name: 0, -ENODEV if absent, -EOPNOTSUPP if not a bridge */
static int lookup_bridge(const char *name, struct nl_link *l)
{
	int ret = lookup(name, l);

	return ret < 0 ? ret : l->is_bridge ? 0 : -EOPNOTSUPP;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct nl_link *)a)->name, ((const struct nl_link *)b)->name);
}

/* every device sorted by name, as scandir+alphasort gives bridge-utils */
static int list_sorted(struct nl_links *all)
{
	int ret = nl_link_list(nl, NULL, all);

	if (!ret && all->n)
		qsort(all->v, all->n, sizeof(*all->v), by_name);
	return ret;
}

/* the bridge failed to be found: bridge-utils words it by errno */
static int no_bridge(const char *name, int err)
{
	if (err == -ENODEV)
		fprintf(stderr, "bridge %s does not exist!\n", name);
	else
		fprintf(stderr, "device %s is not a bridge!\n", name);
	return 1;
}

static int cmd_addbr(const struct command *c, int argc, char **argv)
{
	struct nl_bridge_spec s = { .name = argv[1] };
	int ret;

	if (strlen(argv[1]) > IFNAME_MAX)
		ret = -ERANGE;
	else if (!name_is_ifname(argv[1]))
		ret = -EINVAL;
	else
		ret = nl_bridge_add(nl, &s);
	if (ret == -EEXIST) {
		fprintf(stderr, "device %s already exists; can't create bridge with the same name\n",
			argv[1]);
		return 1;
	}
	if (ret < 0) {
		fprintf(stderr, "add bridge failed: %s\n", errstr(ret));
		return 1;
	}
	return 0;
}

static int cmd_delbr(const struct command *c, int argc, char **argv)
{
	struct nl_link l;
	int ret = lookup(argv[1], &l);

	/* the checks the kernel's SIOCBRDELBR makes, in its order */
	if (ret == -ENODEV)
		ret = -ENXIO;
	else if (!ret && !l.is_bridge)
		ret = -EPERM;
	else if (!ret && (l.flags & IFF_UP))
		ret = -EBUSY;
	else if (!ret)
		ret = nl_link_del(nl, l.index);
	if (ret == -ENXIO)
		fprintf(stderr, "bridge %s doesn't exist; can't delete it\n", argv[1]);
	else if (ret == -EBUSY)
		fprintf(stderr, "bridge %s is still up; can't delete it\n", argv[1]);
	else if (ret < 0)
		fprintf(stderr, "can't delete bridge %s: %s\n", argv[1], errstr(ret));
	return ret < 0;
}

static int addif(const char *brname, const char *ifname)
{
	struct nl_link br, dev;
	int ret = lookup(ifname, &dev);

	if (ret == -ENODEV) {
		fprintf(stderr, "interface %s does not exist!\n", ifname);
		return 1;
	}
	if (!ret)
		ret = lookup_bridge(brname, &br);
	/* rtnetlink would silently move a port from another bridge: refuse */
	if (!ret && dev.master)
		ret = -EBUSY;
	if (!ret)
		ret = nl_link_set_master(nl, dev.index, br.index);
	if (!ret)
		return 0;
	if (ret == -ENODEV)
		fprintf(stderr, "bridge %s does not exist!\n", brname);
	else if (ret == -EBUSY)
		fprintf(stderr, "device %s is already a member of a bridge; can't add it to bridge %s.\n",
			ifname, brname);
	else if (ret == -ELOOP)
		fprintf(stderr, "device %s is a bridge device itself; can't add a bridge device to a bridge device.\n",
			ifname);
	else
		fprintf(stderr, "can't add %s to bridge %s: %s\n", ifname, brname, errstr(ret));
	return 1;
}

static int delif(const char *brname, const char *ifname)
{
	struct nl_link br, dev;
	int ret = lookup(ifname, &dev);

	if (ret == -ENODEV) {
		fprintf(stderr, "interface %s does not exist!\n", ifname);
		return 1;
	}
	if (!ret)
		ret = lookup_bridge(brname, &br);
	if (!ret && dev.master != br.index)
		ret = -EINVAL;
	if (!ret)
		ret = nl_link_set_master(nl, dev.index, 0);
	if (!ret)
		return 0;
	if (ret == -ENODEV)
		fprintf(stderr, "bridge %s does not exist!\n", brname);
	else if (ret == -EINVAL)
		fprintf(stderr, "device %s is not a port of %s\n", ifname, brname);
	else
		fprintf(stderr, "can't delete %s from %s: %s\n", ifname, brname, errstr(ret));
	return 1;
}

static int cmd_addif(const struct command *c, int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (addif(argv[1], argv[i]))
			return 1;
	return 0;
}

static int cmd_delif(const struct command *c, int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (delif(argv[1], argv[i]))
			return 1;
	return 0;
}

/* an integer as bridge-utils reads it (sscanf %i: any base, a leading number,
 * the rest ignored, truncated to int): 0 or -1 */
static int scan_int(const char *s, int *v)
{
	char *end;
	long x = strtol(s, &end, 0);

	if (end == s)
		return -1;
	*v = (int)x;
	return 0;
}

/* the value of a hex or decimal digit in @base, or -1 */
static int digit(char c, int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* whether @s starts with the lowercase letters @w in any case */
static bool starts_nocase(const char *s, const char *w)
{
	for (; *w; s++, w++)
		if ((*s | 0x20) != *w)
			return false;
	return true;
}

/*
 * The leading number of @s as sscanf's %lf reads it (strtod's grammar: space,
 * sign, decimal or 0x hex digits with a fraction and an e or p exponent, inf
 * and nan), the rest ignored: 0 or -1 when there is none. Up to 15 significant digits and 22 decimal places the
 * result is strtod's to the bit (digits and power of the base are exact, one
 * division rounds), so times convert exactly as bridge-utils' do; strtod
 * itself would bring in musl's 10 KiB long-double scanner.
 */
static int scan_double(const char *s, double *v)
{
	unsigned long long m = 0;
	int base = 10, dot = 0, any = 0, neg;
	long e = 0, scale = 0, n;
	double pw = 1;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	neg = *s == '-';
	s += *s == '-' || *s == '+';
	if (starts_nocase(s, "inf") || starts_nocase(s, "nan")) {
		*v = (*s | 0x20) == 'n' ? NAN : neg ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (s[0] == '0' && (s[1] | 0x20) == 'x' &&
	    (digit(s[2], 16) >= 0 || (s[2] == '.' && digit(s[3], 16) >= 0)))
		base = 16, s += 2;
	for (;; s++) {
		int d = digit(*s, base);

		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (d < 0)
			break;
		any = 1;
		if (m < 1ULL << 59)
			m = m * base + d, scale -= dot;
		else
			scale += !dot;
	}
	if (!any)
		return -1;
	if ((*s | 0x20) == (base == 16 ? 'p' : 'e')) {
		const char *x = s + 1 + (s[1] == '-' || s[1] == '+');

		for (; *x >= '0' && *x <= '9'; x++)
			e = e < 100000 ? 10 * e + *x - '0' : e;
		if (s[1] == '-')
			e = -e;
	}
	e += base == 16 ? 4 * scale : scale;
	for (n = e < 0 ? -e : e; n--;)
		pw *= base == 16 ? 2 : 10;
	*v = (e < 0 ? m / pw : m * pw) * (neg ? -1 : 1);
	return 0;
}

/* seconds as bridge-utils reads them (sscanf %lf), to centiseconds */
static int parse_time(const char *s, uint32_t *cs)
{
	double secs;
	long sec;
	unsigned long long v;

	if (scan_double(s, &secs))
		return -1;
	sec = secs;
	v = 1000000ULL * sec + (long)(1000000 * (secs - sec));
	v /= 10000;
	*cs = v > UINT32_MAX ? UINT32_MAX : v;
	return 0;
}

static int set_bridge(const char *name, uint16_t attr, uint32_t value, bool u16)
{
	struct nl_link br;
	int ret = lookup_bridge(name, &br);

	if (ret)
		return ret;
	return u16 ? nl_bridge_set_u16(nl, br.index, attr, value)
		   : nl_bridge_set_u32(nl, br.index, attr, value);
}

static int cmd_settime(const struct command *c, int argc, char **argv)
{
	uint32_t cs;
	int ret;

	if (parse_time(argv[2], &cs)) {
		fprintf(stderr, "%s\n", c->set.bad);
		return 1;
	}
	ret = set_bridge(argv[1], c->set.attr, cs, false);
	if (ret)
		fprintf(stderr, "%s: %s\n", c->set.failed, errstr(ret));
	return ret != 0;
}

static int cmd_setbridgeprio(const struct command *c, int argc, char **argv)
{
	int prio, ret;

	if (scan_int(argv[2], &prio)) {
		fprintf(stderr, "%s\n", c->set.bad);
		return 1;
	}
	/* the kernel keeps the low 16 bits, whichever way it is told */
	ret = set_bridge(argv[1], c->set.attr, (uint16_t)prio, true);
	if (ret)
		fprintf(stderr, "%s: %s\n", c->set.failed, errstr(ret));
	return ret != 0;
}

static int on_off(const char *s)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "0"))
		return 0;
	fprintf(stderr, "expect on/off for argument\n");
	return -1;
}

static int cmd_stp(const struct command *c, int argc, char **argv)
{
	int on = on_off(argv[2]), ret;

	if (on < 0)
		return 1;
	ret = set_bridge(argv[1], c->set.attr, on, false);
	if (ret)
		fprintf(stderr, "%s: %s\n", c->set.failed, errstr(ret));
	return ret != 0;
}

/*
 * Set an option of PORT. Like bridge-utils, any bridge port will do; when PORT
 * is not a port, the error is the one its fallback ioctl path ends with.
 */
static int set_port(const char *brname, const char *port, uint16_t attr, uint32_t v, int size)
{
	struct nl_link dev, br;
	int ret = lookup(port, &dev);

	if (!ret && dev.is_port)
		return nl_brport_set(nl, dev.index, attr, v, size);
	if (ret)
		return ret;
	ret = lookup_bridge(brname, &br);
	return ret ? ret : -ENOENT;
}

static int cmd_setport(const struct command *c, int argc, char **argv)
{
	int v, ret;

	if (scan_int(argv[3], &v)) {
		fprintf(stderr, "%s\n", c->set.bad);
		return 1;
	}
	if (c->set.attr == IFLA_BRPORT_COST)
		ret = set_port(argv[1], argv[2], c->set.attr, v, 4);
	else /* out-of-range values must stay out of range in 16 bits */
		ret = set_port(argv[1], argv[2], c->set.attr, (unsigned)v > 0xffff ? 0xffff : (unsigned)v, 2);
	if (ret)
		fprintf(stderr, "%s: %s\n", c->set.failed, errstr(ret));
	return ret != 0;
}

static int cmd_hairpin(const struct command *c, int argc, char **argv)
{
	struct nl_link l;
	int on = on_off(argv[3]), ret;

	if (on < 0)
		return 1;
	if (lookup(argv[2], &l)) {
		fprintf(stderr, "interface %s does not exist!\n", argv[2]);
		return 1;
	}
	if (lookup(argv[1], &l)) {
		fprintf(stderr, "bridge %s does not exist!\n", argv[1]);
		return 1;
	}
	ret = set_port(argv[1], argv[2], c->set.attr, on, 1);
	if (ret)
		fprintf(stderr, "can't set %s to hairpin on bridge %s: %s\n", argv[2], argv[1],
			errstr(ret));
	return ret != 0;
}

static void show_bridge(const struct nl_links *all, const struct nl_link *br, bool *header)
{
	bool first = true;

	if (*header) {
		printf("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
		*header = false;
	}
	printf("%s\t\t", br->name);
	print_id(br->br.id);
	printf("\t%s\t\t", br->br.stp_state ? "yes" : "no");
	for (size_t i = 0; i < all->n; i++) {
		if (!all->v[i].is_port || all->v[i].master != br->index)
			continue;
		printf(first ? "%s" : "\n\t\t\t\t\t\t\t%s", all->v[i].name);
		first = false;
	}
	printf("\n");
}

static const struct nl_link *find(const struct nl_links *all, const char *name)
{
	for (size_t i = 0; i < all->n; i++)
		if (!strcmp(all->v[i].name, name))
			return &all->v[i];
	return NULL;
}

static int cmd_show(const struct command *c, int argc, char **argv)
{
	struct nl_links all = { 0 };
	bool header = true;
	int errs = 0, ret = list_sorted(&all);

	if (ret) {
		fprintf(stderr, "can't get bridge list: %s\n", errstr(ret));
		return 1;
	}
	if (argc == 1)
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].is_bridge)
				show_bridge(&all, &all.v[i], &header);
	for (int i = 1; i < argc; i++) {
		const struct nl_link *l = find(&all, argv[i]);

		if (l && l->is_bridge)
			show_bridge(&all, l, &header);
		else
			errs += no_bridge(argv[i], l ? -EOPNOTSUPP : -ENODEV);
	}
	free(all.v);
	return errs > 0;
}

static int by_mac(const void *a, const void *b)
{
	return memcmp(((const struct nl_fdb *)a)->mac, ((const struct nl_fdb *)b)->mac, 6);
}

static int cmd_showmacs(const struct command *c, int argc, char **argv)
{
	struct nl_links all = { 0 };
	struct nl_link br;
	struct nl_fdb *f = NULL;
	size_t n = 0;
	int ret = lookup_bridge(argv[1], &br);

	if (!ret)
		ret = nl_link_list(nl, NULL, &all);
	if (!ret)
		ret = nl_fdb_list(nl, br.index, &f, &n);
	if (ret) {
		fprintf(stderr, "read of forward table failed: %s\n", errstr(ret));
		free(all.v);
		return 1;
	}
	if (n)
		qsort(f, n, sizeof(*f), by_mac);
	printf("port no\tmac addr\t\tis local?\tageing timer\n");
	for (size_t i = 0; i < n; i++) {
		int port_no = 0;

		for (size_t j = 0; j < all.n; j++)
			if (all.v[j].index == f[i].port_index)
				port_no = all.v[j].port.no;
		/* the binary brforward record holds the low 8 bits here */
		printf("%3i\t%.2x:%.2x:%.2x:%.2x:%.2x:%.2x\t%s\t\t", port_no & 0xff, f[i].mac[0],
		       f[i].mac[1], f[i].mac[2], f[i].mac[3], f[i].mac[4], f[i].mac[5],
		       f[i].is_local ? "yes" : "no");
		print_timer(f[i].age);
		printf("\n");
	}
	free(f);
	free(all.v);
	return 0;
}

static void showstp_port(const struct nl_link *l)
{
	const struct nl_brport *p = &l->port;

	printf("%s (%d)\n", l->name, p->no);
	printf(" port id\t\t%.4x\t\t\tstate\t\t%15s\n", p->id, strstate(p->state));
	printf(" designated root\t");
	print_id(p->designated_root);
	printf("\tpath cost\t\t%4i\n designated bridge\t", (int)p->cost);
	print_id(p->designated_bridge);
	printf("\tmessage age timer\t");
	print_timer(p->message_age_timer);
	printf("\n designated port\t%.4x\t\t\tforward delay timer\t", p->designated_port);
	print_timer(p->forward_delay_timer);
	printf("\n designated cost\t%4i\t\t\thold timer\t\t", p->designated_cost);
	print_timer(p->hold_timer);
	printf("\n flags\t\t\t%s%s", p->config_pending ? "CONFIG_PENDING " : "",
	       p->topology_change_ack ? "TOPOLOGY_CHANGE_ACK " : "");
	if (p->hairpin)
		printf("\n hairpin mode\t\t%4i", p->hairpin);
	printf("\n\n");
}

static int cmd_showstp(const struct command *c, int argc, char **argv)
{
	struct nl_links all = { 0 };
	const struct nl_link *l;
	const struct nl_bridge *b;
	int ret = list_sorted(&all);

	if (ret) {
		fprintf(stderr, "can't get bridge list: %s\n", errstr(ret));
		return 1;
	}
	l = name_is_ifname(argv[1]) ? find(&all, argv[1]) : NULL;
	if (!l || !l->is_bridge) {
		free(all.v);
		return no_bridge(argv[1], l ? -EOPNOTSUPP : -ENODEV);
	}
	b = &l->br;
	printf("%s\n bridge id\t\t", l->name);
	print_id(b->id);
	printf("\n designated root\t");
	print_id(b->root_id);
	printf("\n root port\t\t%4i\t\t\tpath cost\t\t%4i\n", b->root_port, (int)b->root_path_cost);
	printf(" max age\t\t");
	print_timer(b->max_age);
	printf("\t\t\tbridge max age\t\t");
	print_timer(b->max_age);
	printf("\n hello time\t\t");
	print_timer(b->hello_time);
	printf("\t\t\tbridge hello time\t");
	print_timer(b->hello_time);
	printf("\n forward delay\t\t");
	print_timer(b->forward_delay);
	printf("\t\t\tbridge forward delay\t");
	print_timer(b->forward_delay);
	printf("\n ageing time\t\t");
	print_timer(b->ageing_time);
	printf("\n hello timer\t\t");
	print_timer(b->hello_timer);
	printf("\t\t\ttcn timer\t\t");
	print_timer(b->tcn_timer);
	printf("\n topology change timer\t");
	print_timer(b->topology_change_timer);
	printf("\t\t\tgc timer\t\t");
	print_timer(b->gc_timer);
	printf("\n flags\t\t\t%s%s\n\n\n", b->topology_change ? "TOPOLOGY_CHANGE " : "",
	       b->topology_change_detected ? "TOPOLOGY_CHANGE_DETECTED " : "");
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i].is_port && all.v[i].master == l->index)
			showstp_port(&all.v[i]);
	free(all.v);
	return 0;
}

/* bridge-utils' order, which is also the order of its usage lines */
static const struct command commands[] = {
	{ 1, "addbr", cmd_addbr, "<bridge>\t\tadd bridge", { 0 } },
	{ 1, "delbr", cmd_delbr, "<bridge>\t\tdelete bridge", { 0 } },
	{ 2, "addif", cmd_addif, "<bridge> <device>\tadd interface to bridge", { 0 } },
	{ 2, "delif", cmd_delif, "<bridge> <device>\tdelete interface from bridge", { 0 } },
	{ 3, "hairpin", cmd_hairpin, "<bridge> <port> {on|off}\tturn hairpin on/off",
	  { IFLA_BRPORT_MODE, NULL, NULL } },
	{ 2, "setageing", cmd_settime, "<bridge> <time>\t\tset ageing time",
	  { IFLA_BR_AGEING_TIME, "bad ageing time value", "set ageing time failed" } },
	{ 2, "setbridgeprio", cmd_setbridgeprio, "<bridge> <prio>\t\tset bridge priority",
	  { IFLA_BR_PRIORITY, "bad priority", "set bridge priority failed" } },
	{ 2, "setfd", cmd_settime, "<bridge> <time>\t\tset bridge forward delay",
	  { IFLA_BR_FORWARD_DELAY, "bad forward delay value", "set forward delay failed" } },
	{ 2, "sethello", cmd_settime, "<bridge> <time>\t\tset hello time",
	  { IFLA_BR_HELLO_TIME, "bad hello timer value", "set hello timer failed" } },
	{ 2, "setmaxage", cmd_settime, "<bridge> <time>\t\tset max message age",
	  { IFLA_BR_MAX_AGE, "bad max age value", "set max age failed" } },
	{ 3, "setpathcost", cmd_setport, "<bridge> <port> <cost>\tset path cost",
	  { IFLA_BRPORT_COST, "bad path cost value", "set path cost failed" } },
	{ 3, "setportprio", cmd_setport, "<bridge> <port> <prio>\tset port priority",
	  { IFLA_BRPORT_PRIORITY, "bad path priority value", "set port priority failed" } },
	{ 0, "show", cmd_show, "[ <bridge> ]\t\tshow a list of bridges", { 0 } },
	{ 1, "showmacs", cmd_showmacs, "<bridge>\t\tshow a list of mac addrs", { 0 } },
	{ 1, "showstp", cmd_showstp, "<bridge>\t\tshow bridge stp info", { 0 } },
	{ 2, "stp", cmd_stp, "<bridge> {on|off}\tturn stp on/off",
	  { IFLA_BR_STP_STATE, NULL, "set stp status failed" } },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

/* empty: brctl prints its usage itself, made from the table (see main.c) */
const char brctl_usage[] = "";

/* bridge-utils' usage, on stdout even when it reports an error */
static void usage(void)
{
	fputs("Usage: brctl [commands]\ncommands:\n", stdout);
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("\t%-10s\t%s\n", commands[i].name, commands[i].help);
}

int brctl_main(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
					      { "version", no_argument, NULL, 'V' },
					      { 0 } };
	const struct command *c = NULL;
	int f, ret;

	/* glibc's getopt words its complaints differently from musl's: use glibc's */
	opterr = 0;
	while ((f = getopt_long(argc, argv, "Vh", opts, NULL)) != -1) {
		switch (f) {
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("bridge-utils, 1.7\n");
			return 0;
		default:
			if (optopt)
				fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], optopt);
			else
				fprintf(stderr, "%s: unrecognized option '%s'\n", argv[0],
					argv[optind - 1]);
			fprintf(stderr, "Unknown option '?'\n");
			usage();
			return 1;
		}
	}
	if (optind == argc) {
		usage();
		return 1;
	}
	argc -= optind;
	argv += optind;
	for (size_t i = 0; i < NCOMMANDS && !c; i++)
		if (!strcmp(argv[0], commands[i].name))
			c = &commands[i];
	if (!c) {
		fprintf(stderr, "never heard of command [%s]\n", argv[0]);
		usage();
		return 1;
	}
	if (argc < c->nargs + 1) {
		printf("Incorrect number of arguments for command\n");
		printf("Usage: brctl %s %s\n", c->name, c->help);
		return 1;
	}
	ret = nl_open(&nl, NETLINK_ROUTE);
	if (ret) {
		fprintf(stderr, "can't setup bridge control: %s\n", errstr(ret));
		return 1;
	}
	ret = c->fn(c, argc, argv);
	nl_close(nl);
	return ret;
}
