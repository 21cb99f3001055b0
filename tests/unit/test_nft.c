// SPDX-License-Identifier: GPL-2.0-or-later
/* The nf_tables backend's bytes: expressions against what nft 1.0.6 sends for
 * the rules of KERNEL-NOTES 5.4 (captured with strace), set and element
 * encodings (5.5: concatenation padding, KEY_END of intervals, user data),
 * the framing of a whole batch, and a batch against nft's own for the text
 * nft_text() prints. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "core/model/fwmodel.h"
#include "netlink/fw/nft_int.h"
#include "netlink/nl.h"

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
/* an IPv4 struct ipaddr, as an initializer */
#define A(a, b, c, d) { .family = AF_INET, .v4 = V4(a, b, c, d) }

/* ---- captures ------------------------------------------------------------------ */

/* `nft -f` of the table of KERNEL-NOTES 5.4: the NEWRULE payloads (nfgenmsg on),
 * seq 12-22: prerouting, output, boxnet-dnat x3, postrouting, forward x4, boxnet-fwd */
static const char *const kn54_rules[] = {
	"020000000b000100626f786e657400000f000200707265726f7574696e670000980004802800018008000100"
	"666962001c0002800800030000000002080002000000000308000100000000012c00018008000100636d7000"
	"20000280080001000000000108000200000000000c0003800800010002000000400001800e000100696d6d65"
	"64696174650000002c0002800800010000000000200002801c00028008000100fffffffd10000200626f786e"
	"65742d646e617400",
	"020000000b000100626f786e657400000b0002006f75747075740000f8000480340001800c0001007061796c"
	"6f6164002400028008000100000000010800020000000001080003000000001008000400000000012c000180"
	"08000100636d700020000280080001000000000108000200000000010c000380050001007f00000028000180"
	"08000100666962001c0002800800030000000002080002000000000308000100000000012c00018008000100"
	"636d700020000280080001000000000108000200000000000c0003800800010002000000400001800e000100"
	"696d6d6564696174650000002c0002800800010000000000200002801c00028008000100fffffffd10000200"
	"626f786e65742d646e617400",
	"020000000b000100626f786e6574000010000200626f786e65742d646e617400900004802400018009000100"
	"6d6574610000000014000280080002000000000608000100000000013800018008000100636d70002c000280"
	"0800010000000001080002000000000018000380140001006272300000000000000000000000000030000180"
	"0e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100fffffffb",
	"020000000b000100626f786e6574000010000200626f786e65742d646e617400440104802400018009000100"
	"6d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280"
	"080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f616400"
	"2400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100"
	"636d700020000280080001000000000108000200000000000c000380060001001f9000002c0001800e000100"
	"696d6d6564696174650000001800028008000100000000010c00028008000100ac1100022c0001800e000100"
	"696d6d6564696174650000001800028008000100000000020c00028006000100005000003800018008000100"
	"6e6174002c000280080001000000000108000200000000020800030000000001080005000000000208000700"
	"00000002",
	"020000000b000100626f786e6574000010000200626f786e65742d646e617400c00004802400018009000100"
	"6d657461000000001400028008000200000000100800010000000001340001800c0001007061796c6f616400"
	"240002800800010000000009080002000000000208000300000000020800040000000002340001800b000100"
	"6c6f6f6b75700000240002800800020000000001080003000000000107000100706600000800040000000001"
	"30000180080001006e6174002400028008000100000000010800020000000002080003000000000108000500"
	"00000009",
	"020000000b000100626f786e6574000010000200706f7374726f7574696e6700d4000480340001800c000100"
	"7061796c6f6164002400028008000100000000010800020000000001080003000000000c0800040000000002"
	"2c00018008000100636d700020000280080001000000000108000200000000000c00038006000100ac110000"
	"24000180090001006d6574610000000014000280080002000000000708000100000000013800018008000100"
	"636d70002c000280080001000000000108000200000000011800038014000100627230000000000000000000"
	"0000000014000180090001006d6173710000000004000280",
	"020000000b000100626f786e657400000c000200666f727761726400c4000480200001800700010063740000"
	"1400028008000200000000000800010000000001440001800c00010062697477697365003400028008000100"
	"00000001080002000000000108000300000000040c00048008000100060000000c0005800800010000000000"
	"2c00018008000100636d700020000280080001000000000108000200000000010c0003800800010000000000"
	"300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100"
	"00000001",
	"020000000b000100626f786e657400000c000200666f727761726400ec00048024000180090001006d657461"
	"0000000014000280080002000000000608000100000000013800018008000100636d70002c00028008000100"
	"0000000108000200000000001800038014000100627230000000000000000000000000002400018009000100"
	"6d6574610000000014000280080002000000000708000100000000013800018008000100636d70002c000280"
	"0800010000000001080002000000000118000380140001006272300000000000000000000000000030000180"
	"0e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
	"020000000b000100626f786e657400000c000200666f727761726400a000048024000180090001006d657461"
	"0000000014000280080002000000000708000100000000013800018008000100636d70002c00028008000100"
	"000000010800020000000000180003801400010062723000000000000000000000000000400001800e000100"
	"696d6d6564696174650000002c0002800800010000000000200002801c00028008000100fffffffc0f000200"
	"626f786e65742d6677640000",
	"020000000b000100626f786e657400000c000200666f7277617264009c000480340001800c0001007061796c"
	"6f61640024000280080001000000000108000200000000010800030000000010080004000000000434000180"
	"0b0001006c6f6f6b757000002400028008000200000000010e0001006c6f63616c6e65747300000008000400"
	"00000002300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c000280"
	"0800010000000001",
	"020000000b000100626f786e657400000f000200626f786e65742d667764000044010480340001800c000100"
	"7061796c6f616400240002800800010000000001080002000000000108000300000000100800040000000004"
	"2c00018008000100636d700020000280080001000000000108000200000000000c00038008000100ac110002"
	"24000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
	"636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c000100"
	"7061796c6f616400240002800800010000000001080002000000000208000300000000020800040000000002"
	"2c00018008000100636d700020000280080001000000000108000200000000000c0003800600010000500000"
	"300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100"
	"00000001",
};

/* `nft -f` of nft_text(SCENARIO): payloads of the messages with these seqs (nft
 * numbers BEGIN 0, NEWTABLE 1, then the same objects in the same order as ours;
 * captured before chain BOXNET-USER came, whose chain and jump shift the seqs
 * of what follows them by one each, and change no captured payload; the
 * bridge's DNAT accept in BOXNET, before its drop, shifts the last three by
 * one more; captured with the sets bridges, published and published-ranges
 * and the two filter rules that looked them up, since gone: their six and
 * two messages are left out, the seqs after them moved back) */
static const struct {
	int seq;
	const char *hex;
} nft_sent[] = {
	{ 2,
	  "020000000b000100626f786e65740000130003007261772d505245524f5554494e4700000b00070066696c74"
	  "65720000080005000000000114000480080001000000000008000200fffffed4" },
	{ 4,
	  "020000000b000100626f786e65740000130003006e61742d505245524f5554494e470000080007006e617400"
	  "080005000000000114000480080001000000000008000200ffffff9c" },
	{ 5,
	  "020000000b000100626f786e657400000f0003006e61742d4f55545055540000080007006e61740008000500"
	  "0000000114000480080001000000000308000200ffffff9c" },
	{ 16,
	  "020000000b000100626f786e657400000a000200706f7274730000000800030000000008080004000000030d"
	  "080005000000000808000600000001cd080007000000000808000a00000000012a000d000004000000000104"
	  "00000000030800040d0000000100040800040d00000001000604000000000000" },
	{ 17,
	  "020000000b000100626f786e657400000a000200706f72747300000008000400000000012800038024000180"
	  "100001800c000100060000001f900000100002800c000100ac11000200500000" },
	{ 18,
	  "020000000b000100626f786e6574000010000200706f72742d72616e67657300080003000000008c08000400"
	  "0000030d08000500000000080800060000000007080007000000000408000a0000000002200009801c000280"
	  "0c00018008000100000000010c000180080001000000000220000d0000040000000001040200000003080004"
	  "0d0000000100060400000000" },
	{ 19,
	  "020000000b000100626f786e6574000010000200706f72742d72616e67657300080004000000000234000380"
	  "30000180100001800c000100060000001f40000010000a800c000100060000001f4a00000c00028008000100"
	  "ac110002" },
	{ 20,
	  "020000000b000100626f786e657400000f000200686f73742d706f7274730000080003000000000808000400"
	  "0000730d080005000000000c08000600000001cd080007000000000808000a00000000032a000d0000040000"
	  "0000010400000000030800040d0000000100040800040d00000001000604000000000000" },
	{ 21,
	  "020000000b000100626f786e657400000f000200686f73742d706f727473000008000400000000032c000380"
	  "2800018014000180100001000a0000011100000000350000100002800c000100ac11000300350000" },
	{ 22,
	  "020000000b000100626f786e6574000015000200686f73742d706f72742d72616e6765730000000008000300"
	  "0000008c080004000000730d080005000000000c0800060000000007080007000000000408000a0000000004"
	  "2c000980280002800c00018008000100000000040c00018008000100000000010c0001800800010000000002"
	  "20000d00000400000000010402000000030800040d0000000100060400000000" },
	{ 23,
	  "020000000b000100626f786e6574000015000200686f73742d706f72742d72616e6765730000000008000400"
	  "000000043c0003803800018014000180100001000a000001110000001b58000014000a80100001000a000001"
	  "110000001b5a00000c00028008000100ac110003" },
	{ 30,
	  "020000000b000100626f786e657400000f000200424f584e45542d5241570000f0000480340001800c000100"
	  "7061796c6f616400240002800800010000000001080002000000000108000300000000100800040000000001"
	  "2c00018008000100636d700020000280080001000000000108000200000000000c000380050001007f000000"
	  "24000180090001006d6574610000000014000280080002000000000608000100000000013800018008000100"
	  "636d70002c0002800800010000000001080002000000000118000380140001006c6f00000000000000000000"
	  "00000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c000280"
	  "0800010000000000" },
	{ 39,
	  "020000000b000100626f786e657400000f0002006e61742d424f584e45540000fc000480340001800c000100"
	  "7061796c6f616400240002800800010000000001080002000000000108000300000000100800040000000004"
	  "24000180090001006d657461000000001400028008000200000000100800010000000009340001800c000100"
	  "7061796c6f61640024000280080001000000000a080002000000000208000300000000020800040000000002"
	  "3c0001800b0001006c6f6f6b757000002c000280080002000000000108000300000000010f000100686f7374"
	  "2d706f7274730000080004000000000330000180080001006e61740024000280080001000000000108000200"
	  "0000000208000300000000010800050000000009" },
	{ 41,
	  "020000000b000100626f786e657400000f0002006e61742d424f584e45540000c40004802400018009000100"
	  "6d657461000000001400028008000200000000100800010000000001340001800c0001007061796c6f616400"
	  "240002800800010000000009080002000000000208000300000000020800040000000002380001800b000100"
	  "6c6f6f6b7570000028000280080002000000000108000300000000010a000100706f72747300000008000400"
	  "0000000130000180080001006e61740024000280080001000000000108000200000000020800030000000001"
	  "0800050000000009" },
	{ 44,
	  "020000000b000100626f786e6574000017000200424f584e45542d504f5354524f5554494e47000064010480"
	  "340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c"
	  "08000400000000022c00018008000100636d700020000280080001000000000108000200000000000c000380"
	  "06000100ac11000024000180090001006d657461000000001400028008000200000000070800010000000001"
	  "3800018008000100636d70002c00028008000100000000010800020000000000180003801400010062723000"
	  "0000000000000000000000002000018007000100637400001400028008000200000000020800010000000001"
	  "440001800c000100626974776973650034000280080001000000000108000200000000010800030000000004"
	  "0c00048008000100200000000c00058008000100000000002c00018008000100636d70002000028008000100"
	  "0000000108000200000000010c000380080001000000000014000180090001006d6173710000000004000280" },
};

#define SCENARIO_PORTS                                                                      \
	{ 17, A(10, 0, 0, 1), 53, 53, A(172, 17, 0, 3), 53, 53, "br0" },                    \
	{ 6, { 0 }, 8080, 8080, A(172, 17, 0, 2), 80, 80, "br0" },                              \
	{ 6, { 0 }, 8000, 8010, A(172, 17, 0, 2), 8000, 8010, "br0" },                          \
	{ 17, A(10, 0, 0, 1), 7000, 7002, A(172, 17, 0, 3), 7000, 7002, "br0" }

static const struct fw_net net = { "br0", { A(172, 17, 0, 0), 16 }, A(172, 17, 0, 1),
				   false, true, true, { 0 } };
static const struct fw_port scenario[] = { SCENARIO_PORTS };

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; s[0] && s[1]; s += 2) {
		unsigned int x;

		sscanf(s, "%2x", &x);
		out[n++] = (uint8_t)x;
	}
	return n;
}

static const struct nlmsghdr *msg_at(const struct nft_batch *b, int idx)
{
	const struct nlmsghdr *n = (const void *)b->buf;
	int left = (int)b->len;

	for (; mnl_nlmsg_ok(n, left); n = mnl_nlmsg_next(n, &left))
		if (idx-- == 0)
			return n;
	return NULL;
}

static int msg_count(const struct nft_batch *b)
{
	int k = 0;

	while (msg_at(b, k))
		k++;
	return k;
}

/* libnftnl numbers the entries of NFTA_SET_ELEM_LIST_ELEMENTS 1, 2, 3…; the kernel
 * ignores their type and dumps NFTA_LIST_ELEM, which is what we send */
static void list_elem_types(const struct nlmsghdr *n, uint8_t *payload, size_t len)
{
	size_t off = 4;

	if (n->nlmsg_type != NFT_TYPE(NFT_MSG_NEWSETELEM))
		return;
	while (off + 4 <= len) {
		struct nlattr *a = (void *)(payload + off);

		if ((a->nla_type & NLA_TYPE_MASK) == NFTA_SET_ELEM_LIST_ELEMENTS)
			for (size_t e = off + 4; e + 4 <= off + a->nla_len;
			     e += NLA_ALIGN(((struct nlattr *)(payload + e))->nla_len))
				((struct nlattr *)(payload + e))->nla_type =
					NLA_F_NESTED | NFTA_LIST_ELEM;
		off += NLA_ALIGN(a->nla_len);
	}
}

static void assert_payload(const struct nlmsghdr *n, const char *hex)
{
	uint8_t *want = malloc(strlen(hex) / 2 + 1);
	size_t len = unhex(hex, want);

	list_elem_types(n, want, len);
	assert_non_null(n);
	assert_int_equal(n->nlmsg_len - 16, len);
	assert_memory_equal((const char *)n + 16, want, len);
	free(want);
}

/* a NEWRULE of table boxnet whose expressions the test writes */
struct rmsg {
	struct nft_batch b;
	struct nft_w w;
	struct nlattr *ex;
};

static struct nft_w *rule_open(struct rmsg *m, const char *chain)
{
	nft_batch_init(&m->b, 1);
	m->w = nft_msg(&m->b, NFT_TYPE(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND, NFPROTO_IPV4);
	nftw_str(&m->w, NFTA_RULE_TABLE, "boxnet");
	nftw_str(&m->w, NFTA_RULE_CHAIN, chain);
	m->ex = nftw_nest(&m->w, NFTA_RULE_EXPRESSIONS);
	return &m->w;
}

static const struct nlmsghdr *rule_close(struct rmsg *m)
{
	nftw_nest_end(&m->w, m->ex);
	nft_msg_end(&m->b, &m->w);
	assert_int_equal(m->b.err, 0);
	return msg_at(&m->b, 0);
}

static void rule_like_nft(struct rmsg *m, const char *hex)
{
	const struct nlmsghdr *n = rule_close(m);

	assert_int_equal(n->nlmsg_type, 0x0a06);
	assert_int_equal(n->nlmsg_flags, 0x0c01); /* REQUEST|CREATE|APPEND, as nft */
	assert_payload(n, hex);
	nft_batch_free(&m->b);
}

static void model_like_nft(const char *chain, const struct fw_rule *r, const char *target,
			   const char *hex)
{
	struct rmsg m;

	assert_int_equal(nft_rule_exprs(rule_open(&m, chain), r, target), 0);
	rule_like_nft(&m, hex);
}

/* ---- KERNEL-NOTES 5.4, rule by rule --------------------------------------------- */

static void kn54_model_rules(void **state)
{
	struct fw_rule r;

	/* fib daddr type local jump boxnet-dnat */
	r = (struct fw_rule){ .verdict = FW_JUMP, .m.dst_local = true };
	model_like_nft("prerouting", &r, "boxnet-dnat", kn54_rules[0]);
	/* ip daddr != 127.0.0.0/8 fib daddr type local jump: a 1-byte load */
	r.m.not_dst = true;
	r.m.dst = (struct ipprefix){ A(127, 0, 0, 0), 8 };
	model_like_nft("output", &r, "boxnet-dnat", kn54_rules[1]);
	/* iifname "br0" return: 16 bytes NUL-padded */
	r = (struct fw_rule){ .verdict = FW_RETURN, .m.iif = "br0" };
	model_like_nft("boxnet-dnat", &r, NULL, kn54_rules[2]);
	/* tcp dport 8080 dnat to 172.17.0.2:80 */
	r = (struct fw_rule){ .verdict = FW_DNAT, .to_addr = A(172, 17, 0, 2), .to_lo = 80,
			      .to_hi = 80, .m.proto = 6, .m.dport_lo = 8080, .m.dport_hi = 8080 };
	model_like_nft("boxnet-dnat", &r, NULL, kn54_rules[3]);
	/* ip saddr 172.17.0.0/16 oifname != "br0" masquerade: a 2-byte load */
	r = (struct fw_rule){ .verdict = FW_MASQUERADE, .m.oif = "br0",
			      .m.not_oif = true, .m.src = { A(172, 17, 0, 0), 16 } };
	model_like_nft("postrouting", &r, NULL, kn54_rules[5]);
	/* ct state established,related accept */
	r = (struct fw_rule){ .verdict = FW_ACCEPT, .m.ct_established = true };
	model_like_nft("forward", &r, NULL, kn54_rules[6]);
	/* iifname "br0" oifname != "br0" accept */
	r = (struct fw_rule){ .verdict = FW_ACCEPT, .m.iif = "br0", .m.oif = "br0",
			      .m.not_oif = true };
	model_like_nft("forward", &r, NULL, kn54_rules[7]);
	/* ip daddr 172.17.0.2 tcp dport 80 accept */
	r = (struct fw_rule){ .verdict = FW_ACCEPT,
			      .m.dst = { A(172, 17, 0, 2), 32 },
			      .m.proto = 6, .m.dport_lo = 80, .m.dport_hi = 80 };
	model_like_nft("boxnet-fwd", &r, NULL, kn54_rules[10]);
}

static void kn54_low_level(void **state)
{
	char br0[16] = "br0";
	struct rmsg m;
	struct nft_w *w;

	/* dnat to meta l4proto . th dport map @pf: key in reg 1 (reg32_00) and reg 9 */
	w = rule_open(&m, "boxnet-dnat");
	nft_expr_meta(w, NFT_META_L4PROTO, NFT_REG_1);
	nft_expr_payload(w, NFT_REG32_01, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	nft_expr_lookup(w, "pf", 1, NFT_REG_1, NFT_REG_1, 0);
	nft_expr_nat(w, NFT_NAT_DNAT, NFT_REG_1, NFT_REG32_01, 0, 0);
	rule_like_nft(&m, kn54_rules[4]);
	/* oifname "br0" goto boxnet-fwd */
	w = rule_open(&m, "forward");
	nft_expr_meta(w, NFT_META_OIFNAME, NFT_REG_1);
	nft_expr_cmp(w, NFT_REG_1, NFT_CMP_EQ, br0, 16);
	nft_expr_verdict(w, NFT_GOTO, "boxnet-fwd");
	rule_like_nft(&m, kn54_rules[8]);
	/* ip daddr @localnets accept: a set lookup has no DREG */
	w = rule_open(&m, "forward");
	nft_expr_payload(w, NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
	nft_expr_lookup(w, "localnets", 2, NFT_REG_1, -1, 0);
	nft_expr_verdict(w, NF_ACCEPT, NULL);
	rule_like_nft(&m, kn54_rules[9]);
}

/* 5.4's byte-level example: the nat expression of the map rule, 48 bytes */
static void kn54_nat_bytes(void **state)
{
	static const uint8_t want[48] = {
		0x30, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00, 'n', 'a', 't', 0,
		0x24, 0x00, 0x02, 0x80, 0x08, 0x00, 0x01, 0x00, 0, 0, 0, 1,
		0x08, 0x00, 0x02, 0x00, 0, 0, 0, 2, 0x08, 0x00, 0x03, 0x00, 0, 0, 0, 1,
		0x08, 0x00, 0x05, 0x00, 0, 0, 0, 9,
	};
	struct rmsg m;
	const struct nlmsghdr *n;

	nft_expr_nat(rule_open(&m, "c"), NFT_NAT_DNAT, NFT_REG_1, NFT_REG32_01, 0, 0);
	n = rule_close(&m);
	/* nfgenmsg 4, TABLE "boxnet" 12, CHAIN "c" 8, EXPRESSIONS header 4 */
	assert_int_equal(n->nlmsg_len, 16 + 4 + 12 + 8 + 4 + 48);
	assert_memory_equal((const char *)n + 16 + 28, want, sizeof(want));
	nft_batch_free(&m.b);
}

/* ---- decode what a model rule became ---------------------------------------------- */

/* the NFTA_EXPR_DATA of expression @idx, which must be called @name */
static const struct nlattr *expr_at(const struct nlmsghdr *n, int idx, const char *name)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1], *e;

	nl_attr_parse_tb(n, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	assert_non_null(tb[NFTA_RULE_EXPRESSIONS]);
	mnl_attr_for_each_nested(e, tb[NFTA_RULE_EXPRESSIONS]) {
		const struct nlattr *x[NFTA_EXPR_MAX + 1];

		if (idx-- > 0)
			continue;
		nl_attr_nested_tb(e, x, NFTA_EXPR_MAX);
		assert_string_equal(mnl_attr_get_str(x[NFTA_EXPR_NAME]), name);
		return x[NFTA_EXPR_DATA];
	}
	fail_msg("no expression %s", name);
	return NULL;
}

static uint32_t u32_of(const struct nlattr *data, int type)
{
	const struct nlattr *tb[16];

	nl_attr_nested_tb(data, tb, 15);
	assert_non_null(tb[type]);
	return ntohl(mnl_attr_get_u32(tb[type]));
}

static bool has(const struct nlattr *data, int type)
{
	const struct nlattr *tb[16];

	nl_attr_nested_tb(data, tb, 15);
	return tb[type] != NULL;
}

static void value_of(const struct nlattr *data, int type, const void *want, size_t len)
{
	const struct nlattr *tb[16], *v[NFTA_DATA_MAX + 1];

	nl_attr_nested_tb(data, tb, 15);
	assert_non_null(tb[type]);
	nl_attr_nested_tb(tb[type], v, NFTA_DATA_MAX);
	assert_int_equal(mnl_attr_get_payload_len(v[NFTA_DATA_VALUE]), len);
	assert_memory_equal(mnl_attr_get_payload(v[NFTA_DATA_VALUE]), want, len);
}

static void other_shapes(void **state)
{
	struct fw_rule r = { .verdict = FW_ACCEPT,
			     .m.src = { A(10, 1, 16, 0), 20 }, .m.src_local = true,
			     .m.ct_dnat = true };
	const struct nlmsghdr *n;
	struct rmsg m;

	/* ip saddr 10.1.16.0/20: 4-byte load, bitwise mask, masked compare (5.4) */
	assert_int_equal(nft_rule_exprs(rule_open(&m, "c"), &r, NULL), 0);
	n = rule_close(&m);
	assert_int_equal(u32_of(expr_at(n, 0, "payload"), NFTA_PAYLOAD_LEN), 4);
	assert_int_equal(u32_of(expr_at(n, 0, "payload"), NFTA_PAYLOAD_OFFSET), 12);
	value_of(expr_at(n, 1, "bitwise"), NFTA_BITWISE_MASK, "\xff\xff\xf0\x00", 4);
	value_of(expr_at(n, 1, "bitwise"), NFTA_BITWISE_XOR, "\0\0\0\0", 4);
	value_of(expr_at(n, 2, "cmp"), NFTA_CMP_DATA, "\x0a\x01\x10\x00", 4);
	/* fib saddr type local: FLAGS SADDR, RESULT ADDRTYPE, RTN_LOCAL host order */
	assert_int_equal(u32_of(expr_at(n, 3, "fib"), NFTA_FIB_FLAGS), NFTA_FIB_F_SADDR);
	assert_int_equal(u32_of(expr_at(n, 3, "fib"), NFTA_FIB_RESULT), NFT_FIB_RESULT_ADDRTYPE);
	value_of(expr_at(n, 4, "cmp"), NFTA_CMP_DATA, "\x02\0\0\0", 4);
	/* ct status dnat: IPS_DST_NAT 0x20 */
	assert_int_equal(u32_of(expr_at(n, 5, "ct"), NFTA_CT_KEY), NFT_CT_STATUS);
	value_of(expr_at(n, 6, "bitwise"), NFTA_BITWISE_MASK, "\x20\0\0\0", 4);
	assert_int_equal(u32_of(expr_at(n, 7, "cmp"), NFTA_CMP_OP), NFT_CMP_NEQ);
	nft_batch_free(&m.b);

	/* a port range: cmp gte + lte, big-endian; dnat to a port range: regs 1, 2, 3 */
	r = (struct fw_rule){ .verdict = FW_DNAT, .m.proto = 17, .m.dport_lo = 8000,
			      .m.dport_hi = 8100, .to_addr = A(1, 2, 3, 4), .to_lo = 80,
			      .to_hi = 90 };
	assert_int_equal(nft_rule_exprs(rule_open(&m, "c"), &r, NULL), 0);
	n = rule_close(&m);
	value_of(expr_at(n, 1, "cmp"), NFTA_CMP_DATA, "\x11", 1);
	assert_int_equal(u32_of(expr_at(n, 3, "cmp"), NFTA_CMP_OP), NFT_CMP_GTE);
	value_of(expr_at(n, 3, "cmp"), NFTA_CMP_DATA, "\x1f\x40", 2);
	assert_int_equal(u32_of(expr_at(n, 4, "cmp"), NFTA_CMP_OP), NFT_CMP_LTE);
	value_of(expr_at(n, 4, "cmp"), NFTA_CMP_DATA, "\x1f\xa4", 2);
	value_of(expr_at(n, 7, "immediate"), NFTA_IMMEDIATE_DATA, "\x00\x5a", 2);
	assert_int_equal(u32_of(expr_at(n, 8, "nat"), NFTA_NAT_REG_PROTO_MAX), NFT_REG_3);
	assert_int_equal(u32_of(expr_at(n, 8, "nat"), NFTA_NAT_FLAGS), 2);
	nft_batch_free(&m.b);

	/* snat to 192.0.2.1: immediate + nat snat, no flags */
	r = (struct fw_rule){ .verdict = FW_SNAT, .to_addr = A(192, 0, 2, 1) };
	assert_int_equal(nft_rule_exprs(rule_open(&m, "c"), &r, NULL), 0);
	n = rule_close(&m);
	value_of(expr_at(n, 0, "immediate"), NFTA_IMMEDIATE_DATA, "\xc0\x00\x02\x01", 4);
	assert_int_equal(u32_of(expr_at(n, 1, "nat"), NFTA_NAT_TYPE), NFT_NAT_SNAT);
	assert_false(has(expr_at(n, 1, "nat"), NFTA_NAT_FLAGS));
	nft_batch_free(&m.b);

	/* what nf_tables cannot say */
	r = (struct fw_rule){ .verdict = FW_DNAT, .to_addr = A(0, 0, 0, 1), .to_lo = 80,
			      .to_hi = 90, .to_base = 8000 };
	assert_int_equal(nft_rule_exprs(rule_open(&m, "c"), &r, NULL), -EOPNOTSUPP);
	nft_batch_free(&m.b);
	r = (struct fw_rule){ .verdict = FW_DROP, .m.dst = { A(0, 0, 0, 0), 0 },
			      .m.not_dst = true };
	assert_int_equal(nft_rule_exprs(rule_open(&m, "c"), &r, NULL), -EINVAL);
	nft_batch_free(&m.b);
}

/* ---- KERNEL-NOTES 5.5: maps and elements -------------------------------------------- */

/* the NFTA_LIST_ELEM bytes nft_elem_put writes for @e */
static size_t elem_bytes(const struct nft_elem *e, uint8_t *out)
{
	struct nft_batch b;
	struct nft_w w;
	size_t len;

	nft_batch_init(&b, 1);
	w = nft_msg(&b, NFT_TYPE(NFT_MSG_NEWSETELEM), 0, NFPROTO_IPV4);
	nft_elem_put(&w, e, true);
	nft_msg_end(&b, &w);
	assert_int_equal(b.err, 0);
	len = b.len - 20;
	memcpy(out, b.buf + 20, len);
	nft_batch_free(&b);
	return len;
}

static void map_types(void **state)
{
	static const uint8_t pf_udata[38] = {
		0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03,
		0x08, 0x00, 0x04, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x04, 0x08, 0x00, 0x04,
		0x0d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
	};
	const struct nft_mapdef *pf = &nft_maps[NFT_PORTS], *r = &nft_maps[NFT_HOST_RANGES];

	/* map pf: MAP, 0x30d/8 : 0x1cd/8, nft's 38-byte user data */
	assert_int_equal(pf->flags, NFT_SET_MAP);
	assert_int_equal(pf->ktype, 0x30d);
	assert_int_equal(pf->klen, 8);
	assert_int_equal(pf->dtype, 0x1cd);
	assert_int_equal(pf->dlen, 8);
	assert_int_equal(pf->udlen, sizeof(pf_udata));
	assert_memory_equal(pf->udata, pf_udata, sizeof(pf_udata));
	/* interval + concatenation: CONCAT|INTERVAL|MAP, real field lengths in DESC */
	assert_int_equal(r->flags, 0x8c);
	assert_int_equal(r->klen, 12);
	assert_int_equal(r->nfields, 3);
	assert_int_equal(r->field[0], 4);
	assert_int_equal(r->field[1], 1);
	assert_int_equal(r->field[2], 2);
	/* no sets but the maps: the filter has no rule of a port */
	assert_int_equal(NFT_NMAPS, 4);
}

static void elements(void **state)
{
	/* 5.5: tcp . 8080 : 172.17.0.2 . 80 = key 06 00 00 00 1f 90 00 00,
	 * data ac 11 00 02 00 50 00 00 */
	static const char pf[] = "24000180100001800c000100060000001f900000"
				 "100002800c000100ac11000200500000";
	/* interval + concatenation: KEY and an inclusive KEY_END, no INTERVAL_END flag */
	static const char range[] = "38000180140001801000010007000001110000001b580000"
				    "14000a801000010007000001110000001b5a0000"
				    "0c0002800800010007000001";
	struct nft_elem e = { .map = NFT_PORTS, .proto = 6, .lo = 8080, .hi = 8080,
			      .to_addr = A(172, 17, 0, 2), .to_port = 80 };
	uint8_t got[256], want[256];
	size_t n;

	n = elem_bytes(&e, got);
	assert_int_equal(n, unhex(pf, want));
	assert_memory_equal(got, want, n);

	e = (struct nft_elem){ .map = NFT_HOST_RANGES, .addr = A(7, 0, 0, 1), .proto = 17,
			       .lo = 7000,
			       .hi = 7002, .to_addr = A(7, 0, 0, 1) };
	n = elem_bytes(&e, got);
	assert_int_equal(n, unhex(range, want));
	assert_memory_equal(got, want, n);

}

static void port_elements(void **state)
{
	struct fw_port shifted = { 6, { 0 }, 8000, 8002, A(172, 17, 0, 2), 9000, 9002, "br0" };
	struct fw_port same = { 17, A(10, 0, 0, 1), 7000, 7010, A(172, 17, 0, 3), 7000, 7010,
				"br0" };
	struct fw_port bad = { 1, { 0 }, 80, 80, A(0, 0, 0, 1), 80, 80, "br0" };
	struct nft_elem v[8];

	/* a shifted range: one element per port */
	assert_int_equal(nft_port_elems(&shifted, NULL), 3);
	assert_int_equal(nft_port_elems(&shifted, v), 3);
	assert_int_equal(v[0].map, NFT_PORTS);
	assert_int_equal(v[2].lo, 8002);
	assert_int_equal(v[2].to_port, 9002);
	/* a range that keeps its numbers: one interval element, address only */
	assert_int_equal(nft_port_elems(&same, v), 1);
	assert_int_equal(v[0].map, NFT_HOST_RANGES);
	assert_int_equal(v[0].addr.v4, V4(10, 0, 0, 1));
	assert_int_equal(v[0].hi, 7010);
	assert_int_equal(nft_port_elems(&bad, NULL), -EINVAL);
	/* IPv6: the same elements with IPv6 addresses; a host address of the
	 * other family than the container's is refused */
	assert_int_equal(ip_parse("fd00::2", AF_INET6, &shifted.ctr_ip), 0);
	assert_int_equal(nft_port_elems(&shifted, v), 3);
	assert_int_equal(v[0].to_addr.family, AF_INET6);
	same.ctr_ip = shifted.ctr_ip;
	assert_int_equal(nft_port_elems(&same, NULL), -EINVAL);
	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &same.host_ip), 0);
	assert_int_equal(nft_port_elems(&same, v), 1);
	assert_int_equal(v[0].map, NFT_HOST_RANGES);
}

/* an IPv6 element's key and data: ipv6_addr (16 bytes) . proto . port */
static void ipv6_element(void **state)
{
	struct nft_elem e = { .map = NFT_HOST_PORTS, .proto = 6, .lo = 8080, .to_port = 80 };
	struct nft_batch b;
	struct nft_w w;
	uint8_t k[NFT_KEYMAX];

	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &e.addr), 0);
	assert_int_equal(ip_parse("fd00::2", AF_INET6, &e.to_addr), 0);
	assert_int_equal(nft_elem_key(&e, false, k), 24);
	assert_int_equal(k[0], 0x20);
	assert_int_equal(k[16], 6);
	assert_int_equal(k[20] << 8 | k[21], 8080);
	assert_int_equal(nft_mapdef(NFPROTO_IPV6, NFT_HOST_PORTS)->klen, 24);
	assert_int_equal(nft_mapdef(NFPROTO_IPV6, NFT_HOST_PORTS)->dlen, 20);
	assert_string_equal(nft_mapdef(NFPROTO_IPV6, NFT_HOST_RANGES)->name,
			    nft_maps[NFT_HOST_RANGES].name);
	/* the element fits its message, data 20 bytes */
	nft_batch_init(&b, 1);
	w = nft_msg(&b, NFT_TYPE(NFT_MSG_NEWSETELEM), 0, NFPROTO_IPV6);
	nft_elem_put(&w, &e, true);
	assert_false(w.full);
	nft_msg_end(&b, &w);
	assert_int_equal(b.err, 0);
	nft_batch_free(&b);
}

/* nft lists a hash map sorted by the unpadded key read little-endian */
static void listing_order(void **state)
{
	struct nft_elem a = { .map = NFT_PORTS, .proto = 6, .lo = 1 };
	struct nft_elem b = { .map = NFT_PORTS, .proto = 6, .lo = 23 };
	struct nft_elem c = { .map = NFT_PORTS, .proto = 17, .lo = 53 };
	struct nft_elem d = { .map = NFT_PORTS, .proto = 6, .lo = 8080 };
	struct nft_elem e = { .map = NFT_PORTS, .proto = 6, .lo = 65000 };

	assert_true(nft_elem_cmp(&a, &b) < 0);
	assert_true(nft_elem_cmp(&b, &c) < 0);
	assert_true(nft_elem_cmp(&c, &d) < 0);
	assert_true(nft_elem_cmp(&d, &e) < 0);
	assert_int_equal(nft_elem_cmp(&e, &e), 0);
}

/* ---- batches ------------------------------------------------------------------------ */

static void build(const struct fw_net *nets, size_t nnets, const struct fw_port *ports,
		  size_t nports, uint32_t seq, struct nft_batch *b)
{
	struct fw_ruleset r;
	struct nft_plan p;

	assert_int_equal(fw_build(nets, nnets, ports, nports, false, &r), 0);
	assert_int_equal(nft_plan_build(&r, ports, nports, AF_INET, &p), 0);
	nft_batch_init(b, seq);
	assert_int_equal(nft_build_apply(&p, 1, &r, b), 0);
	nft_plan_free(&p);
	fw_free(&r);
}

static void framing(void **state)
{
	static const uint8_t begin[20] = { 0x14, 0, 0, 0, 0x10, 0, 0x01, 0, 100, 0, 0, 0,
					   0, 0, 0, 0, 0, 0, 0, 0x0a };
	struct nft_batch b;
	const struct nlmsghdr *n;
	int count, rules = 0;
	size_t total = 0;

	build(&net, 1, scenario, 4, 100, &b);
	count = msg_count(&b);
	assert_memory_equal(b.buf, begin, sizeof(begin));
	for (int i = 0; i < count; i++) {
		n = msg_at(&b, i);
		assert_int_equal(n->nlmsg_seq, 100 + i);
		total += MNL_ALIGN(n->nlmsg_len);
		if (n->nlmsg_type == NFT_TYPE(NFT_MSG_NEWRULE)) {
			assert_int_equal(n->nlmsg_flags,
					 NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND);
			rules++;
		} else if (i > 3 && i < count - 1) {
			assert_int_equal(n->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
		}
	}
	assert_int_equal(total, b.len);
	/* NEWTABLE (creates it if absent), DELTABLE, NEWTABLE */
	assert_int_equal(msg_at(&b, 1)->nlmsg_type, 0x0a00);
	assert_int_equal(msg_at(&b, 1)->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(msg_at(&b, 2)->nlmsg_type, 0x0a02);
	assert_int_equal(msg_at(&b, 3)->nlmsg_type, 0x0a00);
	/* END: type 0x11, the only message asking for an ACK */
	n = msg_at(&b, count - 1);
	assert_int_equal(n->nlmsg_type, NFNL_MSG_BATCH_END);
	assert_int_equal(n->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(b.seq, 100 + count);
	/* 14 chains, 4 maps with one element message each, 22 rules */
	assert_int_equal(rules, 22);
	assert_int_equal(count, 4 + 14 + 8 + 22 + 1);
	nft_batch_free(&b);
}

static void empty_deletes(void **state)
{
	struct nft_batch b;

	build(NULL, 0, NULL, 0, 1, &b);
	assert_int_equal(msg_count(&b), 4);
	assert_int_equal(msg_at(&b, 2)->nlmsg_type, 0x0a02);
	assert_int_equal(msg_at(&b, 3)->nlmsg_type, NFNL_MSG_BATCH_END);
	nft_batch_free(&b);
}

/* our batch and nft's for the text we print: same objects, same bytes (nft adds
 * a no-op byteorder to the interval-map rules, left out of the comparison) */
static void same_as_nft(void **state)
{
	struct nft_batch b;

	build(&net, 1, scenario, 4, 1, &b);
	for (size_t i = 0; i < sizeof(nft_sent) / sizeof(nft_sent[0]); i++)
		assert_payload(msg_at(&b, nft_sent[i].seq + 2), nft_sent[i].hex);
	nft_batch_free(&b);
}

static void chunks(void **state)
{
	struct fw_port *ports = calloc(450, sizeof(*ports));
	struct nft_batch b;
	int elem_msgs = 0;

	for (int i = 0; i < 450; i++)
		ports[i] = (struct fw_port){ 6, { 0 }, (uint16_t)(1000 + i), (uint16_t)(1000 + i),
					     A(172, 17, 1, i % 200), 80, 80, "br0" };
	build(&net, 1, ports, 450, 1, &b);
	for (int i = 0; msg_at(&b, i); i++)
		if (msg_at(&b, i)->nlmsg_type == NFT_TYPE(NFT_MSG_NEWSETELEM))
			elem_msgs++;
	/* ports: 450 in 3 messages */
	assert_int_equal(elem_msgs, 3);
	nft_batch_free(&b);
	free(ports);
}

static void names(void **state)
{
	char buf[NFT_NAMESZ];

	assert_string_equal(nft_chain_name(FW_FILTER, "FORWARD", buf), "filter-FORWARD");
	assert_string_equal(nft_chain_name(FW_FILTER, "BOXNET", buf), "BOXNET");
	assert_string_equal(nft_chain_name(FW_NAT, "BOXNET", buf), "nat-BOXNET");
	assert_string_equal(nft_chain_name(FW_RAW, "BOXNET-RAW", buf), "BOXNET-RAW");
	assert_null(nft_chain_name(FW_RAW, "BOXNET", buf));
}

static void text(void **state)
{
	struct fw_port two[] = { { 6, { 0 }, 8080, 8080, A(172, 17, 0, 2), 80, 80, "br0" },
				 { 6, { 0 }, 8081, 8081, A(172, 17, 0, 2), 80, 80, "br0" } };
	struct fw_ruleset r;
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(fw_build(&net, 1, two, 2, false, &r), 0);
	nft_text(&r, two, 2, f);
	fclose(f);
	assert_non_null(strstr(buf, "table ip boxnet {\n\tmap ports {\n"));
	assert_non_null(strstr(buf, "\t\telements = { tcp . 8080 : 172.17.0.2 . 80,\n"
				    "\t\t\t     tcp . 8081 : 172.17.0.2 . 80 }\n"));
	/* no set of a port for the filter: the network's ct status dnat accept */
	assert_null(strstr(buf, "\tset "));
	assert_non_null(strstr(buf, "\tchain BOXNET {\n"
				    "\t\tiifname != \"br0\" oifname \"br0\" ct status dnat accept\n"));
	assert_non_null(strstr(buf, "\ttype nat hook output priority -100; policy accept;\n"
				    "\t\tfib daddr type local jump nat-BOXNET\n"));
	assert_non_null(strstr(buf, "\t\tip saddr 172.17.0.0/16 oifname \"br0\" "
				    "ct status dnat masquerade\n"));
	assert_non_null(strstr(buf, "masquerade\n\t}\n}\n"));
	assert_null(strstr(buf, "table ip6"));
	free(buf);
	fw_free(&r);
	/* a dual-stack network: table ip, then table ip6 of the same layout */
	{
		struct fw_net nets[2] = { net, net };
		struct fw_port p6 = two[0];

		assert_int_equal(pfx_parse("fd00:1::/64", AF_INET6, &nets[1].subnet), 0);
		assert_int_equal(ip_parse("fd00:1::2", AF_INET6, &p6.ctr_ip), 0);
		f = open_memstream(&buf, &len);
		assert_int_equal(fw_build(nets, 2, &p6, 1, false, &r), 0);
		nft_text(&r, &p6, 1, f);
		fclose(f);
		assert_non_null(strstr(buf, "}\ntable ip6 boxnet {\n\tmap ports {\n"
					    "\t\ttype inet_proto . inet_service : ipv6_addr . inet_service\n"
					    "\t\telements = { tcp . 8080 : fd00:1::2 . 80 }\n"));
		assert_non_null(strstr(buf, "\t\tip6 saddr != fe80::/10 dnat ip6 to meta l4proto . "
					    "th dport map @ports\n"));
		assert_non_null(strstr(buf, "\t\tip6 daddr != ::1 fib daddr type local "
					    "jump nat-BOXNET\n"));
		assert_non_null(strstr(buf, "\t\tip6 saddr fd00:1::/64 oifname != \"br0\" masquerade\n"));
		free(buf);
		fw_free(&r);
	}
	/* nothing to install: no text */
	f = open_memstream(&buf, &len);
	assert_int_equal(fw_build(NULL, 0, NULL, 0, false, &r), 0);
	nft_text(&r, NULL, 0, f);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
	fw_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kn54_model_rules), cmocka_unit_test(kn54_low_level),
		cmocka_unit_test(kn54_nat_bytes),   cmocka_unit_test(other_shapes),
		cmocka_unit_test(map_types),        cmocka_unit_test(elements),
		cmocka_unit_test(port_elements),
		cmocka_unit_test(ipv6_element),    cmocka_unit_test(listing_order),
		cmocka_unit_test(framing),          cmocka_unit_test(empty_deletes),
		cmocka_unit_test(same_as_nft),      cmocka_unit_test(chunks),
		cmocka_unit_test(names),            cmocka_unit_test(text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
