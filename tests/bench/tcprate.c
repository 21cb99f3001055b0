// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprate - TCP connection rate: how many connections per second a client can
 * open and close to a server, for the published-port benchmark (ports.sh).
 *
 *   tcprate -l PORT
 *       server: accept every connection and close it at once, forever.
 *   tcprate [-P STREAMS] IP PORT SECONDS
 *       client: STREAMS processes (default 1), each a loop of connect(),
 *       read() until the server's FIN, close(), for SECONDS; prints
 *       "CONNECTIONS_PER_SECOND CONNECTIONS" over all of them.
 *
 * The server closes first, so TIME_WAIT stays on its side: the client's
 * ephemeral ports are free again as soon as its FIN is acknowledged, and a
 * run of more than 28k connections does not run out of them. Every connection
 * is a full handshake and teardown (7 packets), and the first packet of each
 * one goes through the NAT table: the figure that grows with the number of
 * rules a new connection has to walk. A connection that fails or stalls for
 * 2 s ends the client with an error (exit 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int serve(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 4096)) {
		perror("tcprate: listen");
		return 1;
	}
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c >= 0)
			close(c);
		else if (errno != EINTR && errno != ECONNABORTED && errno != EMFILE)
			perror("tcprate: accept");
	}
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* one stream: connections made until @end, or -1 */
static long stream(const struct sockaddr_in *to, double end)
{
	struct timeval tmo = { .tv_sec = 2 };
	long n = 0;
	char b;

	while (now() < end) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0 || setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo)) ||
		    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo))) {
			perror("tcprate: socket");
			return -1;
		}
		if (connect(s, (const struct sockaddr *)to, sizeof(*to))) {
			perror("tcprate: connect");
			return -1;
		}
		if (read(s, &b, 1) != 0) { /* the server's FIN: 0 */
			fprintf(stderr, "tcprate: no FIN from the server\n");
			return -1;
		}
		close(s);
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int streams = 1, fds[2], bad = 0;
	long total = 0;
	double start, secs;

	if (argc == 3 && !strcmp(argv[1], "-l"))
		return serve(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "-P")) {
		streams = atoi(argv[2]);
		argc -= 2, argv += 2;
	}
	if (argc != 4 || streams < 1 || streams > 64 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    (secs = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: tcprate -l PORT | tcprate [-P STREAMS] IP PORT SECONDS\n");
		return 2;
	}
	to.sin_port = htons(atoi(argv[2]));
	if (pipe(fds))
		return 1;
	start = now();
	for (int i = 0; i < streams; i++) {
		if (fork() == 0) {
			long n = stream(&to, start + secs);

			if (write(fds[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
			_exit(n < 0);
		}
	}
	close(fds[1]);
	for (long n; read(fds[0], &n, sizeof(n)) == sizeof(n);)
		n < 0 ? (void)(bad = 1) : (void)(total += n);
	while (wait(NULL) > 0)
		;
	secs = now() - start;
	if (bad)
		return 1;
	printf("%.0f %ld\n", total / secs, total);
	return 0;
}
