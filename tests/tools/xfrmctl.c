// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xfrmctl - send one of netlink/xfrm.c's requests to the kernel, for
 * tests/integration/xfrm.sh, which captures it with strace beside the same
 * request from iproute2's `ip xfrm` (test-only; never installed).
 *
 *   xfrmctl sa add SRC DST SPI REQID KEYHEX   (KEYHEX: 40 hex digits)
 *   xfrmctl sa del SRC DST SPI
 *   xfrmctl policy add in|out SRC DST PORT REQID   (UDP to PORT)
 *   xfrmctl policy del in|out SRC DST PORT
 *   xfrmctl probe
 *
 * Exit: 0 done, 1 the kernel refused (its words on stderr), 2 usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errstr.h"
#include "netlink/xfrm.h"

static int usage(void)
{
	fputs("usage: xfrmctl sa add SRC DST SPI REQID KEYHEX | sa del SRC DST SPI\n"
	      "       xfrmctl policy add in|out SRC DST PORT REQID | policy del in|out SRC DST PORT\n"
	      "       xfrmctl probe\n", stderr);
	return 2;
}

static int hexkey(const char *s, uint8_t *k)
{
	if (strlen(s) != 2 * NL_XFRM_KEYLEN)
		return -1;
	for (int i = 0; i < NL_XFRM_KEYLEN; i++)
		if (sscanf(s + 2 * i, "%2hhx", &k[i]) != 1)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct nl_xfrm_sa sa = { 0 };
	struct nl_xfrm_policy p = { .proto = 17 };
	bool add = argc > 2 && !strcmp(argv[2], "add");
	struct nl *nl;
	int ret;

	/* the words first: a usage error opens nothing */
	if (argc == 2 && !strcmp(argv[1], "probe")) {
	} else if (argc == (add ? 8 : 6) && !strcmp(argv[1], "sa")) {
		if (ip_parse(argv[3], AF_INET, &sa.src) || ip_parse(argv[4], AF_INET, &sa.dst) ||
		    (add && hexkey(argv[7], sa.key)))
			return usage();
		sa.spi = strtoul(argv[5], NULL, 0);
		sa.reqid = add ? strtoul(argv[6], NULL, 0) : 0;
	} else if (argc == (add ? 8 : 7) && !strcmp(argv[1], "policy")) {
		if (ip_parse(argv[4], AF_INET, &p.src) || ip_parse(argv[5], AF_INET, &p.dst))
			return usage();
		p.in = !strcmp(argv[3], "in");
		p.dport = strtoul(argv[6], NULL, 0);
		p.reqid = add ? strtoul(argv[7], NULL, 0) : 0;
	} else {
		return usage();
	}
	if ((ret = nl_open(&nl, NETLINK_XFRM))) {
		fprintf(stderr, "xfrmctl: %s\n", errstr(ret));
		return 1;
	}
	if (argc == 2)
		ret = nl_xfrm_esp_probe(nl);
	else if (!strcmp(argv[1], "sa"))
		ret = nl_xfrm_sa(nl, &sa, add);
	else
		ret = nl_xfrm_policy(nl, &p, add);
	nl_close(nl);
	if (ret)
		fprintf(stderr, "xfrmctl: %s%s%s\n", errstr(ret), *nl_errmsg() ? ": " : "", nl_errmsg());
	return ret ? 1 : 0;
}
