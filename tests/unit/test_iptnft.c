// SPDX-License-Identifier: GPL-2.0-or-later
/* The iptables-nft backend's bytes: each NEWRULE against the one iptables-nft
 * 1.8.9 sends for the same rule (captured with strace -e write=all, payload
 * from the nfgenmsg on), the hook priorities of its built-in chains, and the
 * rules nf_tables cannot say. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink/fw/iptnft.h"

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define A(a, b, c, d) { .family = AF_INET, .v4 = V4(a, b, c, d) }

static const struct capture {
	const char *cmd;
	struct fw_rule r;
	const char *hex;
} caps[] = {
	{ "iptables-nft -A FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
	  { .table = FW_FILTER, .chain = "FORWARD", .m = { .oif = "br0", .ct_established = true }, .verdict = FW_ACCEPT },
	  "020000000b00010066696c74657200000c000200464f5257415244008801048024000180090001006d657461"
	  "0000000014000280080002000000000708000100000000012c00018008000100636d70002000028008000100"
	  "0000000108000200000000000c0003800800010062723000d80001800a0001006d61746368000000c8000280"
	  "0e000100636f6e6e747261636b0000000800020000000003ac00030000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000100"
	  "00000600000000000000000000000000000000002c0001800c000100636f756e746572001c0002800c000100"
	  "00000000000000000c0002000000000000000000300001800e000100696d6d6564696174650000001c000280"
	  "0800010000000000100002800c00028008000100000000011400058008000100000000000800020000000000" },
	{ "iptables-nft -t nat -A BOXNET -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.20.0.2:80",
	  { .table = FW_NAT, .chain = "BOXNET", .m = { .proto = 6, .dport_lo = 8080, .dport_hi = 8080 }, .verdict = FW_DNAT, .to_addr = A(172, 20, 0, 2), .to_lo = 80, .to_hi = 80 },
	  "02000000080001006e6174000b000200424f584e455400003c01048024000180090001006d65746100000000"
	  "14000280080002000000001008000100000000012c00018008000100636d7000200002800800010000000001"
	  "08000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100"
	  "000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280"
	  "080001000000000108000200000000000c000380060001001f9000002c0001800c000100636f756e74657200"
	  "1c0002800c00010000000000000000000c00020000000000000000005c0001800b0001007461726765740000"
	  "4c00028009000100444e41540000000008000200000000023400030003000000ac1400020000000000000000"
	  "00000000ac140002000000000000000000000000005000500000000000000000140005800800010000000006"
	  "0800020000000000" },
	{ "iptables-nft -A X -p udp --dport 9000:9002 -j RETURN",
	  { .table = FW_FILTER, .chain = "X", .m = { .proto = 17, .dport_lo = 9000, .dport_hi = 9002 }, .verdict = FW_RETURN },
	  "020000000b00010066696c746572000006000200580000002001048024000180090001006d65746100000000"
	  "14000280080002000000001008000100000000012c00018008000100636d7000200002800800010000000001"
	  "08000200000000000c0003800500010011000000340001800c0001007061796c6f6164002400028008000100"
	  "000000010800020000000002080003000000000208000400000000023c0001800a00010072616e6765000000"
	  "2c000280080001000000000108000200000000000c00038006000100232800000c00048006000100232a0000"
	  "2c0001800c000100636f756e746572001c0002800c00010000000000000000000c0002000000000000000000"
	  "300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100"
	  "fffffffb1400058008000100000000110800020000000000" },
	{ "iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j BOXNET",
	  { .table = FW_NAT, .chain = "PREROUTING", .m = { .dst_local = true }, .verdict = FW_JUMP, .target = "BOXNET" },
	  "02000000080001006e6174000f000200505245524f5554494e470000a4000480380001800a0001006d617463"
	  "68000000280002800d00010061646472747970650000000008000200000000010c0003000000040000000000"
	  "2c0001800c000100636f756e746572001c0002800c00010000000000000000000c0002000000000000000000"
	  "3c0001800e000100696d6d6564696174650000002800028008000100000000001c0002801800028008000100"
	  "fffffffd0b000200424f584e455400001400058008000100000000000800020000000000" },
	{ "iptables-nft -t nat -A BOXNET-POSTROUTING -s 172.20.0.0/16 ! -o br0 -j MASQUERADE",
	  { .table = FW_NAT, .chain = "BOXNET-POSTROUTING", .m = { .oif = "br0", .not_oif = true, .src = { A(172, 20, 0, 0), 16 } }, .verdict = FW_MASQUERADE },
	  "02000000080001006e61740017000200424f584e45542d504f5354524f5554494e4700002801048024000180"
	  "090001006d6574610000000014000280080002000000000708000100000000012c00018008000100636d7000"
	  "20000280080001000000000108000200000000010c0003800800010062723000340001800c0001007061796c"
	  "6f6164002400028008000100000000010800020000000001080003000000000c08000400000000022c000180"
	  "08000100636d700020000280080001000000000108000200000000000c00038006000100ac1400002c000180"
	  "0c000100636f756e746572001c0002800c00010000000000000000000c000200000000000000000048000180"
	  "0b0001007461726765740000380002800f0001004d415351554552414445000008000200000000001c000300"
	  "0100000000000000000000000000000000000000000000001400058008000100000000000800020000000000" },
	{ "iptables-nft -t raw -A BOXNET-RAW -d 127.0.0.0/8 ! -i lo -j DROP",
	  { .table = FW_RAW, .chain = "BOXNET-RAW", .m = { .iif = "lo", .not_iif = true, .dst = { A(127, 0, 0, 0), 8 } }, .verdict = FW_DROP },
	  "0200000008000100726177000f000200424f584e45542d52415700001001048024000180090001006d657461"
	  "0000000014000280080002000000000608000100000000012c00018008000100636d70002000028008000100"
	  "0000000108000200000000010c000380070001006c6f0000340001800c0001007061796c6f61640024000280"
	  "08000100000000010800020000000001080003000000001008000400000000012c00018008000100636d7000"
	  "20000280080001000000000108000200000000000c000380050001007f0000002c0001800c000100636f756e"
	  "746572001c0002800c00010000000000000000000c0002000000000000000000300001800e000100696d6d65"
	  "64696174650000001c0002800800010000000000100002800c00028008000100000000001400058008000100"
	  "000000000800020000000000" },
	{ "iptables-nft -t nat -A BOXNET-POSTROUTING -o br0 -m addrtype --src-type LOCAL -j MASQUERADE",
	  { .table = FW_NAT, .chain = "BOXNET-POSTROUTING", .m = { .oif = "br0", .src_local = true }, .verdict = FW_MASQUERADE },
	  "02000000080001006e61740017000200424f584e45542d504f5354524f5554494e4700000001048024000180"
	  "090001006d6574610000000014000280080002000000000708000100000000012c00018008000100636d7000"
	  "20000280080001000000000108000200000000000c0003800800010062723000380001800a0001006d617463"
	  "68000000280002800d00010061646472747970650000000008000200000000010c0003000400000000000000"
	  "2c0001800c000100636f756e746572001c0002800c00010000000000000000000c0002000000000000000000"
	  "480001800b0001007461726765740000380002800f0001004d41535155455241444500000800020000000000"
	  "1c00030001000000000000000000000000000000000000000000000014000580080001000000000008000200"
	  "00000000" },
};

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &out[n++]);
	return n;
}

/* every capture, byte for byte: flags, attributes, expressions, compat */
static void same_as_iptables_nft(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		static uint8_t want[4096];
		size_t n = unhex(caps[i].hex, want);
		struct nft_batch b;
		const struct nlmsghdr *h;

		nft_batch_init(&b, 1);
		assert_int_equal(iptnft_put_rule(&b, &caps[i].r, false), 0);
		assert_int_equal(b.err, 0);
		h = (const void *)b.buf;
		assert_int_equal(h->nlmsg_type, NFT_TYPE(NFT_MSG_NEWRULE));
		assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND);
		if (h->nlmsg_len - sizeof(*h) != n || memcmp((const char *)h + sizeof(*h), want, n)) {
			const uint8_t *got = (const uint8_t *)h + sizeof(*h);

			fprintf(stderr, "%s\n got ", caps[i].cmd);
			for (size_t k = 0; k < h->nlmsg_len - sizeof(*h); k++)
				fprintf(stderr, "%02x", got[k]);
			fprintf(stderr, "\n");
			fail_msg("%s: %u bytes, want %zu", caps[i].cmd, h->nlmsg_len - 16, n);
		}
		nft_batch_free(&b);
	}
}

/* -I: the same rule without NLM_F_APPEND, so at the top of the chain */
static void insert_at_top(void **state)
{
	struct nft_batch b;

	(void)state;
	nft_batch_init(&b, 1);
	assert_int_equal(iptnft_put_rule(&b, &caps[0].r, true), 0);
	assert_int_equal(((const struct nlmsghdr *)b.buf)->nlmsg_flags,
			 NLM_F_REQUEST | NLM_F_CREATE);
	nft_batch_free(&b);
}

/* the priorities `nft list` shows for the chains iptables-nft makes */
static void base_chains(void **state)
{
	static const struct {
		enum fw_table t;
		const char *chain;
		int hook, prio;
	} want[] = {
		{ FW_RAW, "PREROUTING", 0, -300 },   { FW_RAW, "OUTPUT", 3, -300 },
		{ FW_FILTER, "INPUT", 1, 0 },        { FW_FILTER, "FORWARD", 2, 0 },
		{ FW_FILTER, "OUTPUT", 3, 0 },       { FW_NAT, "PREROUTING", 0, -100 },
		{ FW_NAT, "INPUT", 1, 100 },         { FW_NAT, "OUTPUT", 3, -100 },
		{ FW_NAT, "POSTROUTING", 4, 100 },
	};
	int hook, prio;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_true(iptnft_base(want[i].t, want[i].chain, &hook, &prio));
		assert_int_equal(hook, want[i].hook);
		assert_int_equal(prio, want[i].prio);
	}
	assert_false(iptnft_base(FW_RAW, "FORWARD", &hook, &prio));
	assert_false(iptnft_base(FW_NAT, "BOXNET", &hook, &prio));
}

/* what neither the legacy entry nor nf_tables can say */
static void refused(void **state)
{
	struct fw_rule bad[] = {
		{ .table = FW_FILTER, .chain = "X", .m = { .dport_lo = 80 }, .verdict = FW_ACCEPT },
		{ .table = FW_FILTER, .chain = "X", .m = { .not_src = true, .src = { A(0, 0, 0, 0), 0 } },
		  .verdict = FW_ACCEPT },
		{ .table = FW_FILTER, .chain = "X", .m = { .iif = "lo" }, .verdict = FW_JUMP },
		{ .table = FW_NAT, .chain = "X", .verdict = FW_SNAT },
	};
	uint8_t buf[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nft_w w = { (struct nlmsghdr *)buf, sizeof(buf), false, NFPROTO_IPV4 };

		memset(buf, 0, sizeof(buf));
		mnl_nlmsg_put_header(buf);
		assert_int_equal(iptnft_rule_exprs(&w, &bad[i]), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_iptables_nft), cmocka_unit_test(insert_at_top),
		cmocka_unit_test(base_chains),          cmocka_unit_test(refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
