// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spawn - run commands and report each one's wall-clock and CPU time, in
 * microseconds, without a shell's fork cost in the figures.
 *
 *   spawn [-t SEC] [-w W] [-r] N CMD [ARGS]... [';' CMD [ARGS]...]...
 *       run the sequence of commands (separated by a lone ';') N times, after W
 *       unmeasured warm-up runs; one run of the whole sequence is one sample.
 *       Prints "wall_us cpu_us maxrss_kb wall_p90_us cpu_p90_us": medians and
 *       90th percentiles over the N runs, and the largest wait4() ru_maxrss;
 *       with -r, "wall_us cpu_us" of every run instead, one line each.
 *   spawn [-t SEC] -m N CMD [ARGS]...
 *       memory only: run CMD N times under ptrace, print "hwm_kb maxrss_kb", the
 *       largest VmHWM read from /proc/PID/status when CMD exits (its own image,
 *       exact) and the largest ru_maxrss that wait4() gave (see below).
 *   spawn [-t SEC] -
 *       read command lines from stdin: [VAR=VALUE]... [<FILE] CMD [ARGS]...
 *       (words split on blanks; VAR=VALUE words are added to CMD's environment,
 *       <FILE is its stdin); run each once, print "wall_us cpu_us" per line.
 *
 * Commands are started with posix_spawnp(): no shell, no copy of our memory.
 * CPU is user+system time of the command and of the children it waited for.
 * The commands' stdout goes to /dev/null (stdout carries the figures); their
 * stderr is ours. A command that fails, or runs over SEC seconds (default 60;
 * it is then killed), makes spawn say so on stderr and exit 1.
 *
 * Why -m: on Linux ru_maxrss also counts the memory of the process image that
 * called exec — with posix_spawn that is spawn's own (~1 MB for a glibc build),
 * with fork its copied pages — and, since 6.2, the RSS counters it reads are
 * per-CPU and lag by up to 32 pages per CPU. VmHWM of the exiting image has
 * neither problem.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile pid_t child;
static volatile sig_atomic_t timed_out;
static int timeout_s = 60;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (child > 0)
		kill(child, SIGKILL);
}

static long us(const struct timeval *t)
{
	return t->tv_sec * 1000000L + t->tv_usec;
}

/* wait for the child, killing it after timeout_s seconds */
static int reap(pid_t pid, int *st, struct rusage *ru)
{
	int r;

	child = pid;
	timed_out = 0;
	alarm(timeout_s);
	while ((r = wait4(pid, st, 0, ru)) < 0 && errno == EINTR)
		;
	alarm(0);
	child = 0;
	return r;
}

static int status_ok(const char *cmd, int st)
{
	if (timed_out)
		fprintf(stderr, "spawn: timed out after %d s: %s\n", timeout_s, cmd);
	else if (WIFSIGNALED(st))
		fprintf(stderr, "spawn: killed by signal %d: %s\n", WTERMSIG(st), cmd);
	else if (WEXITSTATUS(st))
		fprintf(stderr, "spawn: exit status %d: %s\n", WEXITSTATUS(st), cmd);
	else
		return 0;
	return -1;
}

/* run one command; @env and @in may be NULL */
static int run(char **argv, char **env, const char *in, long *wall, long *cpu, long *rss)
{
	posix_spawn_file_actions_t fa;
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (in)
		posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, env ? env : environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "spawn: %s: %s\n", argv[0], strerror(err));
		return -1;
	}
	if (reap(pid, &st, &ru) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	*wall = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	*cpu = us(&ru.ru_utime) + us(&ru.ru_stime);
	*rss = ru.ru_maxrss;
	return status_ok(argv[0], st);
}

static long vmhwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* run @argv under ptrace, stopping it at exit to read its VmHWM */
static int run_traced(char **argv, long *hwm, long *rss)
{
	struct rusage ru;
	int st, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, 1);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execvp(argv[0], argv); /* stops with SIGTRAP once the new image is in */
		_exit(127);
	}
	*hwm = -1;
	child = pid;
	alarm(timeout_s);
	for (;;) {
		if (wait4(pid, &st, 0, &ru) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!WIFSTOPPED(st))
			break;
		int sig = WSTOPSIG(st);

		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			*hwm = vmhwm(pid);
			sig = 0;
		} else if (sig == SIGTRAP && *hwm == -1) { /* the exec */
			ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
			*hwm = 0;
			sig = 0;
		}
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	alarm(0);
	child = 0;
	*rss = ru.ru_maxrss;
	return status_ok(argv[0], st);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* the p-th percentile (nearest rank) of @v, sorted in place */
static long pct(long *v, int n, int p)
{
	int k = (n * p + 99) / 100;

	qsort(v, n, sizeof(long), cmp_long);
	return v[k > 0 ? k - 1 : 0];
}

static int lines(void)
{
	char line[8192], *words[512], *env[512], *in;
	long wall, cpu, rss;

	while (fgets(line, sizeof(line), stdin)) {
		int n = 0, ne = 0, nset;

		in = NULL;
		for (char *w = strtok(line, " \t\n"); w && n < 511 && ne < 127; w = strtok(NULL, " \t\n")) {
			if (!n && *w == '<')
				in = w + 1;
			else if (!n && strchr(w, '=') && *w != '=' && *w != '/')
				env[ne++] = w;
			else
				words[n++] = w;
		}
		if (!n)
			continue;
		/* the line's VAR=VALUE replaces VAR of ours, as env(1) does: a
		 * second BOXNET_FIREWALL after ours would never be seen (getenv
		 * takes the first) */
		nset = ne;
		for (char **e = environ; *e && ne < 511; e++) {
			size_t klen = strcspn(*e, "=") + 1;
			bool set = false;

			for (int i = 0; i < nset && !set; i++)
				set = !strncmp(env[i], *e, klen);
			if (!set)
				env[ne++] = *e;
		}
		words[n] = NULL;
		env[ne] = NULL;
		if (run(words, env, in, &wall, &cpu, &rss))
			return 1;
		printf("%ld %ld\n", wall, cpu);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int c, warm = 0, mem = 0, raw = 0;

	/* no SA_RESTART: SIGALRM must interrupt wait4 */
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	while ((c = getopt(argc, argv, "+t:w:mr")) != -1) {
		switch (c) {
		case 't': timeout_s = atoi(optarg); break;
		case 'w': warm = atoi(optarg); break;
		case 'm': mem = 1; break;
		case 'r': raw = 1; break;
		default: goto usage;
		}
	}
	if (optind == argc - 1 && !strcmp(argv[optind], "-"))
		return lines();
	if (argc - optind < 2 || atoi(argv[optind]) <= 0)
		goto usage;

	int n = atoi(argv[optind]);
	char **cmd = argv + optind + 1;
	long *w = calloc(n, sizeof(long)), *cp = calloc(n, sizeof(long)), maxrss = 0, maxhwm = 0;

	if (!w || !cp)
		return 1;
	if (mem) {
		for (int i = 0; i < n; i++) {
			long hwm, rss;

			if (run_traced(cmd, &hwm, &rss))
				return 1;
			maxhwm = hwm > maxhwm ? hwm : maxhwm;
			maxrss = rss > maxrss ? rss : maxrss;
		}
		printf("%ld %ld\n", maxhwm, maxrss);
		return 0;
	}
	/* split the sequence on lone ';' words */
	int ncmd = argc - optind - 1, nseq = 0;
	char **seq[64];

	seq[nseq++] = cmd;
	for (int i = 0; i < ncmd && nseq < 64; i++)
		if (!strcmp(cmd[i], ";")) {
			cmd[i] = NULL;
			seq[nseq++] = cmd + i + 1;
		}
	for (int i = -warm; i < n; i++) {
		long tw = 0, tc = 0;

		for (int j = 0; j < nseq; j++) {
			long wall, cpu, rss;

			if (!seq[j][0])
				continue;
			if (run(seq[j], NULL, NULL, &wall, &cpu, &rss))
				return 1;
			tw += wall, tc += cpu;
			maxrss = rss > maxrss ? rss : maxrss;
		}
		if (i >= 0)
			w[i] = tw, cp[i] = tc;
		if (i >= 0 && raw)
			printf("%ld %ld\n", tw, tc);
	}
	if (raw)
		return 0;
	long wmed = pct(w, n, 50), cmed = pct(cp, n, 50);

	printf("%ld %ld %ld %ld %ld\n", wmed, cmed, maxrss, pct(w, n, 90), pct(cp, n, 90));
	free(w);
	free(cp);
	return 0;
usage:
	fprintf(stderr, "usage: spawn [-t SEC] [-w W] [-r] N CMD [ARGS]... [';' CMD...]... | "
			"spawn -m N CMD [ARGS]... | spawn -\n");
	return 2;
}
