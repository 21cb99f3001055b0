// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprate - TCP connection rate: how many connections per second a client can
 * open and close to a server, for the published-port benchmark (ports.sh).
 *
 *   tcprate -l PORT
 *       server: accept every connection and close it at once, forever; on
 *       both families (one IPv6 socket that also takes IPv4).
 *   tcprate [-P STREAMS] IP PORT SECONDS
 *       IP is an IPv4 or an IPv6 address.
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
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int one = 1, zero = 0, s = socket(AF_INET6, SOCK_STREAM, 0);

	/* v6only off: IPv4 clients arrive as ::ffff:a.b.c.d on the same socket */
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
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
static long stream(const struct sockaddr_storage *to, socklen_t len, double end)
{
	struct timeval tmo = { .tv_sec = 2 };
	long n = 0;
	char b;

	while (now() < end) {
		int s = socket(to->ss_family, SOCK_STREAM, 0);

		if (s < 0 || setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo)) ||
		    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo))) {
			perror("tcprate: socket");
			return -1;
		}
		if (connect(s, (const struct sockaddr *)to, len)) {
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
	struct sockaddr_storage to = { 0 };
	struct sockaddr_in *v4 = (struct sockaddr_in *)&to;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&to;
	socklen_t len = sizeof(*v4);
	int streams = 1, fds[2], bad = 0;
	long total = 0;
	double start, secs;

	if (argc == 3 && !strcmp(argv[1], "-l"))
		return serve(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "-P")) {
		streams = atoi(argv[2]);
		argc -= 2, argv += 2;
	}
	if (argc == 4 && inet_pton(AF_INET, argv[1], &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(atoi(argv[2]));
	} else if (argc == 4 && inet_pton(AF_INET6, argv[1], &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(atoi(argv[2]));
		len = sizeof(*v6);
	}
	if (argc != 4 || !to.ss_family || streams < 1 || streams > 64 || (secs = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: tcprate -l PORT | tcprate [-P STREAMS] IP PORT SECONDS\n");
		return 2;
	}
	if (pipe(fds))
		return 1;
	start = now();
	for (int i = 0; i < streams; i++) {
		if (fork() == 0) {
			long n = stream(&to, len, start + secs);

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
