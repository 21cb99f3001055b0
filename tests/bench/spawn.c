// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spawn - run commands and report each one's wall-clock and CPU time, in
 * microseconds, without a shell's fork cost in the figures.
 *
 *   spawn N CMD [ARGS]...   run CMD N times; print "wall_us cpu_us maxrss_kb" medians
 *   spawn -                 read command lines (words split on blanks) from
 *                           stdin, run each once, print "wall_us cpu_us" per line
 *
 * A command that fails makes spawn report it on stderr and exit 1.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int run(char **argv, long *wall, long *cpu, long *rss)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ))
		return -1;
	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	*wall = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	*cpu = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L +
	       ru.ru_stime.tv_usec;
	*rss = ru.ru_maxrss;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char line[4096], *words[256];
	long wall, cpu, rss;

	if (argc == 2 && !strcmp(argv[1], "-")) {
		while (fgets(line, sizeof(line), stdin)) {
			int n = 0;

			for (char *w = strtok(line, " \t\n"); w && n < 255; w = strtok(NULL, " \t\n"))
				words[n++] = w;
			if (!n)
				continue;
			words[n] = NULL;
			if (run(words, &wall, &cpu, &rss)) {
				fprintf(stderr, "spawn: failed: %s\n", words[0]);
				return 1;
			}
			printf("%ld %ld\n", wall, cpu);
			fflush(stdout);
		}
		return 0;
	}
	if (argc < 3)
		return fprintf(stderr, "usage: spawn N CMD [ARGS]... | spawn -\n"), 2;
	int n = atoi(argv[1]);
	long *w = calloc(n, sizeof(long)), *c = calloc(n, sizeof(long)), *r = calloc(n, sizeof(long));

	for (int i = 0; i < n; i++)
		if (run(argv + 2, &w[i], &c[i], &r[i])) {
			fprintf(stderr, "spawn: failed: %s\n", argv[2]);
			return 1;
		}
	qsort(w, n, sizeof(long), cmp_long);
	qsort(c, n, sizeof(long), cmp_long);
	qsort(r, n, sizeof(long), cmp_long);
	printf("%ld %ld %ld\n", w[n / 2], c[n / 2], r[n - 1]);
	free(w);
	free(c);
	free(r);
	return 0;
}
