// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipnetns - iproute2 6.1's "ip netns", command for command: the same files
 * and mounts (core/netns.c), the same output, messages and exit codes (1 for
 * failures, 2 when the kernel refuses an nsid request, 255 for bad usage and
 * invalid names, the command's own status for exec), so that both tools can
 * be used on one host. Subcommands abbreviate as in iproute2.
 *
 * Deliberate differences:
 * - Of ip's global options only -all is known (ipnetns -all delete|exec);
 *   the others get ip's "Option ... is unknown" (exit 255). No JSON output.
 * - monitor flushes every line (ip's stdout is block-buffered in a pipe).
 * - -all exec: a namespace that cannot be entered is reported and skipped;
 *   iproute2's child would carry on with the remaining namespaces itself.
 * - No RTM_GETNSID support probe (kernels since 4.0 have it) and no VRF
 *   reset before exec. list-id prints once the whole dump has arrived.
 * - delete NAME... deletes every name given (ip 6.1 only the first).
 * - exec binds a file of NS_ETC_DIR/NAME/ that has more than one link
 *   read-only (boxnet's hosts set files, shared by every container on the
 *   same networks: no container changes another's names); ip binds it
 *   read-write. A file of one link is bound as ip binds it.
 * - ipnetns --help / -h print this applet's usage on stdout (exit 0);
 *   "ipnetns help" prints ip's usage on stderr (exit 255), as ip does.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "applets/ipnetns.h"
#include "lib/errstr.h"
#include "netlink/netns.h"
#include "netlink/nsid.h"

const char ipnetns_usage[] =
	"Usage: ipnetns [-all] [COMMAND [ARGS]...]\n"
	"\n"
	"Manage named network namespaces as iproute2 6.1's \"ip netns\" does: they\n"
	"are files in " NS_RUN_DIR ", and exec binds " NS_ETC_DIR "/NAME/* over /etc/*\n"
	"(a file of more than one link, shared, read-only).\n"
	"\n"
	"  [list]                  the names, with \" (id: N)\" when they have an nsid\n"
	"  add NAME                create a namespace named NAME\n"
	"  attach NAME PID         name the namespace of process PID\n"
	"  delete NAME...          remove names (-all: every name)\n"
	"  set NAME NSID|auto      give NAME an nsid in this namespace\n"
	"  identify [PID]          the name of PID's namespace (default: this one)\n"
	"  pids NAME               the processes in namespace NAME\n"
	"  exec NAME CMD [ARG]...  run CMD in NAME (-all: CMD in every namespace)\n"
	"  list-id [target-nsid N] [nsid N]  the nsids known here (or to nsid N)\n"
	"  monitor                 print \"add NAME\" and \"delete NAME\" as they happen\n"
	"  help                    iproute2's usage, on stderr\n"
	"\n"
	"Exit: 0 ok, 1 failure, 2 kernel refusal, 255 bad usage; exec: CMD's status.\n";

static const char ip_usage[] =
	"Usage:\tip netns list\n"
	"\tip netns add NAME\n"
	"\tip netns attach NAME PID\n"
	"\tip netns set NAME NETNSID\n"
	"\tip [-all] netns delete [NAME]\n"
	"\tip netns identify [PID]\n"
	"\tip netns pids NAME\n"
	"\tip [-all] netns exec [NAME] cmd ...\n"
	"\tip netns monitor\n"
	"\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n"
	"NETNSID := auto | POSITIVE-INT\n";

#define EXIT_IP_USAGE 255 /* iproute2's exit(-1) */

static bool do_all;
static struct nl *rtnl; /* NULL until first used */

static int usage(int argc, char **argv)
{
	fputs(ip_usage, stderr);
	return EXIT_IP_USAGE;
}

static int invalid_arg(const char *what, const char *arg)
{
	fprintf(stderr, "Error: argument \"%s\" is wrong: %s\n", arg ? arg : "(null)", what);
	return EXIT_IP_USAGE;
}

static int failed(const char *text)
{
	fprintf(stderr, "%s\n", text);
	return 1;
}

/* the rtnetlink socket, opened on first use; ip exits 1 without one */
static struct nl *rtnl_sock(void)
{
	int err = rtnl ? 0 : nl_open(&rtnl, NETLINK_ROUTE);

	if (err) {
		fprintf(stderr, "Cannot open netlink socket: %s\n", errstr(-err));
		exit(1);
	}
	return rtnl;
}

/* a refused request, worded as iproute2's rtnl_talk words it */
static void kernel_err(int err)
{
	const char *why = nl_errmsg();
	size_t len = strlen(why);

	if (len)
		fprintf(stderr, "Error: %s%s\n", why, why[len - 1] == '.' ? "" : ".");
	else
		fprintf(stderr, "RTNETLINK answers: %s\n", errstr(-err));
}

/* the nsid of a named namespace, -1 if none, -2 (reported) if refused */
static int name_nsid(const char *name)
{
	int fd = ns_open(name), nsid = -1, err;

	if (fd < 0)
		return -1;
	err = nl_nsid_get_fd(rtnl_sock(), fd, &nsid);
	close(fd);
	if (err) {
		kernel_err(err);
		return -2;
	}
	return nsid;
}

/*
 * --- list, list-id. Like iproute2, first cache nsid -> the first name that
 * has it, in readdir order, asking the kernel about every name (list-id even
 * before reading its arguments); list-id then looks up each entry's
 * current-nsid when it has one, else its nsid. iproute2 also drops an entry
 * from its cache once printed; keys never repeat in a dump, so that would
 * change nothing and is not done here.
 */
struct nsname {
	int nsid;
	char name[NAME_MAX + 1];
};
static struct nsname *map;
static size_t nmap;

static const char *map_find(int nsid)
{
	for (size_t i = 0; nsid >= 0 && i < nmap; i++)
		if (map[i].nsid == nsid)
			return map[i].name;
	return NULL;
}

static void map_free(void)
{
	free(map);
	map = NULL;
	nmap = 0;
}

static int map_one(const char *name, void *arg)
{
	int id = name_nsid(name);
	struct nsname *v;

	if (id < 0 || map_find(id) || !(v = realloc(map, (nmap + 1) * sizeof(*v))))
		return 0;
	map = v;
	map[nmap].nsid = id;
	snprintf(map[nmap++].name, sizeof(map->name), "%s", name);
	return 0;
}

static int list_one(const char *name, void *arg)
{
	int id;

	fputs(name, stdout);
	id = name_nsid(name);
	if (id >= 0)
		printf(" (id: %d)", id);
	putchar('\n');
	return 0;
}

static int do_list(int argc, char **argv)
{
	/* iproute2 fills its cache before listing, so it asks the kernel about
	 * every name twice and reports a refusal twice: so does this */
	ns_foreach(map_one, NULL);
	ns_foreach(list_one, NULL);
	map_free();
	return 0;
}

static int find_one(const char *name, void *arg)
{
	struct nsname *w = arg;

	if (name_nsid(name) != w->nsid)
		return 0;
	snprintf(w->name, sizeof(w->name), "%s", name);
	return 1;
}

static void print_nsid(const struct nl_nsid *e)
{
	const char *name = map_find(e->has_current ? e->current : e->nsid);
	struct nsname w = { .nsid = e->nsid };

	if (e->type == RTM_DELNSID)
		fputs("Deleted ", stdout);
	if (e->nsid < 0)
		fputs("nsid unassigned ", stdout);
	else
		printf("nsid %d ", e->nsid);
	if (e->has_current && e->current < 0)
		fputs("current-nsid unassigned ", stdout);
	else if (e->has_current)
		printf("current-nsid %d ", e->current);
	/* not cached: iproute2 searches the directory again by the printed
	 * nsid, even where it looked up current-nsid */
	if (!name && e->type == RTM_NEWNSID && e->nsid >= 0 && ns_foreach(find_one, &w) > 0)
		name = w.name;
	if (name)
		printf("(iproute2 netns name: %s)", name);
	putchar('\n');
}

static int do_list_id(int argc, char **argv)
{
	int target = NL_NSID_NONE, nsid = -1, *v, err;
	struct nl_nsid one, *all = &one;
	size_t n = 1;

	ns_foreach(map_one, NULL);
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "target-nsid"))
			v = &target;
		else if (!strcmp(*argv, "nsid"))
			v = &nsid;
		else
			return usage(0, NULL);
		if (*v >= 0) {
			fprintf(stderr, "Error: duplicate \"%s\": \"%s\" is the second value.\n",
				*argv, *argv);
			return EXIT_IP_USAGE;
		}
		if (argc < 2) {
			fputs("Command line is not complete. Try option \"help\"\n", stderr);
			return EXIT_IP_USAGE;
		}
		argc--, argv++;
		if (ns_parse_int(*argv, v))
			return invalid_arg(v == &nsid ? "\"nsid\" value is invalid"
						      : "\"target-nsid\" value is invalid", *argv);
		/* iproute2 names the word after the value here */
		if (*v < 0)
			return invalid_arg(v == &nsid ? "\"nsid\" value should be >= 0"
						      : "\"target-nsid\" value should be >= 0", argv[1]);
	}
	if (nsid >= 0 && (err = nl_nsid_get_id(rtnl_sock(), nsid, target, &one))) {
		kernel_err(err);
		return 2;
	}
	if (nsid < 0 && (err = nl_nsid_list(rtnl_sock(), target, &all, &n))) {
		/* iproute2's dump: errno unless "expected", or the extack text */
		if (nl_errmsg()[0] || (err != -ENOENT && err != -EOPNOTSUPP && err != -EMSGSIZE))
			kernel_err(err);
		else if (err == -EMSGSIZE)
			fputs("Error: Buffer too small for object.\n", stderr);
		fputs("Dump terminated\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		print_nsid(&all[i]);
	if (all != &one)
		free(all);
	map_free();
	return 0;
}

/* --- add, attach, set, delete ------------------------------------------------ */

/* add and attach: iproute2's words for the step that failed */
static int make(int argc, char **argv, bool attach)
{
	char path[PATH_MAX], bind[PATH_MAX + 32];
	const struct {
		const char *fmt, *subject; /* the buffers are filled below */
	} msgs[] = {
		[NS_STEP_MKDIR] = { "mkdir %s failed: %s\n", NS_RUN_DIR },
		[NS_STEP_LOCK] = { "Cannot open netns runtime directory \"%s\": %s\n", NS_RUN_DIR },
		[NS_STEP_SHARED] = { "mount --make-shared %s failed: %s\n", NS_RUN_DIR },
		[NS_STEP_BIND_DIR] = { "mount --bind " NS_RUN_DIR " %s failed: %s\n", NS_RUN_DIR },
		[NS_STEP_CREATE] = { "Cannot create namespace file \"%s\": %s\n", path },
		[NS_STEP_SAVE] = { "Cannot open %s: %s\n", "init namespace" },
		[NS_STEP_UNSHARE] = { "Failed to create a new network namespace \"%s\": %s\n", argv[0] },
		[NS_STEP_BIND] = { "Bind %s failed: %s\n", bind },
		[NS_STEP_RESTORE] = { "%s: %s\n", "setns" },
	};
	struct ns_result r;
	int pid = 0, err;

	if (argc < (attach ? 2 : 1))
		return failed(attach ? "No netns name and PID specified" : "No netns name specified");
	if (attach && (ns_parse_int(argv[1], &pid) || !pid)) {
		fprintf(stderr, "Invalid PID: %s\n", argv[1]);
		return 1;
	}
	err = attach ? ns_attach(argv[0], pid, &r) : ns_add(argv[0], &r);
	if (r.lock_err)
		fprintf(stderr, "Warning: could not flock netns runtime directory \"%s\": %s\n",
			NS_RUN_DIR, errstr(r.lock_err));
	if (!err)
		return 0;
	ns_path(path, sizeof(path), argv[0]);
	if (attach)
		snprintf(bind, sizeof(bind), "/proc/%d/ns/net -> %s", pid, path);
	else
		snprintf(bind, sizeof(bind), "/proc/self/ns/net -> %s", path);
	if (r.step < sizeof(msgs) / sizeof(msgs[0]) && msgs[r.step].fmt)
		fprintf(stderr, msgs[r.step].fmt, msgs[r.step].subject, errstr(err));
	if (r.cleanup_err)
		fprintf(stderr, "Cannot remove namespace file \"%s\": %s\n", path,
			errstr(r.cleanup_err));
	return 1;
}

static int do_add(int argc, char **argv)
{
	return make(argc, argv, false);
}

static int do_attach(int argc, char **argv)
{
	return make(argc, argv, true);
}

static int do_set(int argc, char **argv)
{
	int nsid, fd, err;

	if (argc < 2)
		return failed(argc < 1 ? "No netns name specified" : "No nsid specified");
	if (!strcmp(argv[1], "auto"))
		nsid = -1; /* the kernel picks the lowest free one */
	else if (ns_parse_int(argv[1], &nsid))
		return invalid_arg("Invalid \"netnsid\" value", argv[1]);
	else if (nsid < 0)
		return invalid_arg("\"netnsid\" value should be >= 0", argv[1]);
	fd = ns_open(argv[0]);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", argv[0], errstr(-fd));
		return 1;
	}
	err = nl_nsid_set(rtnl_sock(), fd, nsid);
	close(fd);
	if (err)
		kernel_err(err);
	return err ? 2 : 0;
}

static int delete_one(const char *name, void *arg)
{
	char path[PATH_MAX];
	int err = ns_delete(name);

	if (!err)
		return 0;
	ns_path(path, sizeof(path), name);
	fprintf(stderr, "Cannot remove namespace file \"%s\": %s\n", path, errstr(-err));
	return 1;
}

/* -all: @fn on every name until one fails; only a missing directory is fine */
static int for_all(int (*fn)(const char *name, void *arg), void *arg)
{
	int err = ns_foreach(fn, arg);

	if (err < 0 && err != -ENOENT) {
		fprintf(stderr, "Failed to open directory %s: %s\n", NS_RUN_DIR, errstr(-err));
		return 1;
	}
	return 0;
}

static int do_delete(int argc, char **argv)
{
	if (do_all)
		return for_all(delete_one, NULL);
	int ret = 0;

	if (argc < 1)
		return failed("No netns name specified");
	/* ip 6.1 deletes the first name and ignores the others; CLI.md promises
	 * "delete NAME...": every name, checked like the first */
	for (int i = 0; i < argc; i++) {
		if (!ns_name_valid(argv[i])) {
			fprintf(stderr, "Invalid netns name \"%s\"\n", argv[i]);
			return 255;
		}
		ret |= delete_one(argv[i], NULL);
	}
	return ret;
}

/* --- identify, pids, monitor ---------------------------------------------- */

/* identify's and pids' failures; they differ only in the words for opendir */
static int step_err(enum ns_step step, int err, const char *opendir)
{
	fprintf(stderr, "%s%s\n",
		step == NS_STEP_OPENDIR ? opendir
		: step == NS_STEP_STAT	? "Stat of netns failed: "
					: "Cannot open network namespace: ",
		errstr(err));
	return 1;
}

static int do_identify(int argc, char **argv)
{
	const char *pid = argc ? argv[0] : "self";
	char name[256];
	enum ns_step step;
	int err;

	if (argc > 1)
		return failed("extra arguments specified");
	if (argc && !ns_is_pid(pid)) {
		fprintf(stderr, "Specified string '%s' is not a pid\n", pid);
		return 1;
	}
	err = ns_identify(pid, name, sizeof(name), &step);
	if (err)
		return step_err(step, err, "Failed to open directory " NS_RUN_DIR ":");
	printf("%s\n", name);
	return 0;
}

static void print_pid(const char *pid, void *arg)
{
	printf("%s\n", pid);
}

static int do_pids(int argc, char **argv)
{
	enum ns_step step;
	int err;

	if (argc != 1)
		return failed(argc ? "extra arguments specified" : "No netns name specified");
	err = ns_pids(argv[0], print_pid, NULL, &step);
	return err ? step_err(step, err, "Open of /proc failed: ") : 0;
}

static int monitor_one(bool added, const char *name, void *arg)
{
	printf("%s %s\n", added ? "add" : "delete", name);
	return fflush(stdout) ? 1 : 0;
}

static int do_monitor(int argc, char **argv)
{
	static const char *const what[] = {
		[NS_STEP_INOTIFY] = "inotify_init failed",
		[NS_STEP_MKDIR] = "mkdir " NS_RUN_DIR " failed",
		[NS_STEP_WATCH] = "inotify_add_watch failed",
		[NS_STEP_READ] = "read failed",
	};
	enum ns_step step = NS_STEP_NONE;
	int err = ns_monitor(monitor_one, NULL, &step);

	if (err < 0 && step < sizeof(what) / sizeof(what[0]) && what[step])
		fprintf(stderr, "%s: %s\n", what[step], errstr(-err));
	return 1;
}

/* --- exec ------------------------------------------------------------------ */

static void bind_fail(const char *src, const char *dst, int err)
{
	fprintf(stderr, "Bind %s -> %s failed: %s\n", src, dst, errstr(err));
}

/* enter @name as "ip netns exec" does; -1 (reported) on failure */
static int enter(const char *name)
{
	/* one format for all: "%.0s" swallows the name where ip does not say it */
	const char *const msgs[] = {
		[NS_STEP_OPEN] = "Cannot open network namespace \"%s\": %s\n",
		[NS_STEP_SETNS] = "setting the network namespace \"%s\" failed: %s\n",
		[NS_STEP_UNSHARE_MNT] = "unshare failed%.0s: %s\n",
		[NS_STEP_SLAVE] = "\"mount --make-rslave /\" failed%.0s: %s\n",
		[NS_STEP_SYSFS] = "mount of /sys failed%.0s: %s\n",
	};
	enum ns_step step;
	int err = ns_enter(name, bind_fail, &step);

	if (!err)
		return 0;
	if (step < sizeof(msgs) / sizeof(msgs[0]) && msgs[step])
		fprintf(stderr, msgs[step], name, errstr(err));
	return -1;
}

static int run(char **cmd)
{
	execvp(cmd[0], cmd);
	fprintf(stderr, "exec of \"%s\" failed: %s\n", cmd[0], errstr(errno));
	return 1;
}

/* -all: one child per namespace, each announced on stdout */
static int exec_in(const char *name, void *cmd)
{
	int status;
	pid_t pid;

	printf("\nnetns: %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(enter(name) ? 1 : run(cmd));
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "%s: %s\n", pid < 0 ? "fork" : "waitpid", errstr(errno));
		exit(1);
	}
	if (!WIFEXITED(status))
		exit(1); /* as ip does when a command is killed */
	return 0;
}

static int do_exec(int argc, char **argv)
{
	if (do_all)
		return argc < 1 ? failed("No command specified") : for_all(exec_in, argv);
	if (argc < 2)
		return failed(argc < 1 ? "No netns name specified" : "No command specified");
	fflush(stdout);
	if (enter(argv[0]))
		return EXIT_IP_USAGE; /* ip's -(-1), as it is */
	return run(argv + 1);
}

/* --- dispatch ------------------------------------------------------------- */

/* ip's global options: only -all (any prefix, one or two dashes) is kept */
static int options(int *argc, char ***argv)
{
	while (*argc > 0 && (*argv)[0][0] == '-') {
		const char *opt = (*argv)[0];

		(*argc)--, (*argv)++;
		if (!strcmp(opt, "--"))
			break;
		if (opt[1] == '-')
			opt++;
		if (opt[1] == 0 || strncmp(opt, "-all", strlen(opt))) {
			fprintf(stderr, "Option \"%s\" is unknown, try \"ip -help\".\n", opt);
			return EXIT_IP_USAGE;
		}
		do_all = true;
	}
	return 0;
}

/* iproute2's order decides what an abbreviation means: keep it */
static const struct ipnetns_verb verbs[] = {
	{ "list", do_list },	   { "show", do_list },	       { "lst", do_list },
	{ "list-id", do_list_id }, { "help", usage },	       { "add", do_add },
	{ "set", do_set },	   { "delete", do_delete },    { "identify", do_identify },
	{ "pids", do_pids },	   { "exec", do_exec },	       { "monitor", do_monitor },
	{ "attach", do_attach },
};

const struct ipnetns_verb *ipnetns_verb(const char *word)
{
	size_t len = strlen(word);

	for (size_t i = 0; len && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strncmp(word, verbs[i].keyword, len))
			return &verbs[i];
	return NULL;
}

static int dispatch(int argc, char **argv)
{
	const struct ipnetns_verb *verb;

	if (argc < 1)
		return do_list(0, NULL);
	if (!do_all && argc > 1 && !ns_name_valid(argv[1])) {
		fprintf(stderr, "Invalid netns name \"%s\"\n", argv[1]);
		return EXIT_IP_USAGE;
	}
	verb = ipnetns_verb(argv[0]);
	if (!verb) {
		fprintf(stderr, "Command \"%s\" is unknown, try \"ip netns help\".\n", argv[0]);
		return EXIT_IP_USAGE;
	}
	return verb->fn(argc - 1, argv + 1);
}

int ipnetns_main(int argc, char **argv)
{
	int ret;

	argc--, argv++;
	ret = options(&argc, &argv);
	if (!ret)
		ret = dispatch(argc, argv);
	nl_close(rtnl); /* no-op if never opened */
	return ret;
}
