// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The x_tables blob: rules encoded as iptables-legacy 1.8.9 encodes them
 * (golden bytes of its IPT_SO_SET_REPLACE, captured with strace inside a
 * sandbox; KERNEL-NOTES.md 4.5), foreign tables (captured with
 * IPT_SO_GET_ENTRIES after iptables-legacy-restore -c) parsed and written
 * back byte for byte, boxnet's part added and removed again, jumps aimed.
 *
 * Fixtures are sparse: "@N" moves to offset N of the blob, "xx" is a byte,
 * 'text' its characters; everything else is zero.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include <linux/netfilter_ipv4/ip_tables.h>

#include "core/model/fwmodel.h"
#include "netlink/fw/xt_int.h"

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
/* an IPv4 struct ipaddr, as an initializer */
#define A(a, b, c, d) { .family = AF_INET, .v4 = V4(a, b, c, d) }
#define ERR_SIZE 176 /* an ERROR entry: a chain's first rule is this far after its head */

struct golden {
	uint32_t valid_hooks, num_entries, size;
	uint32_t hook_entry[5], underflow[5];
	const char *const *lines;
};

static const struct golden g_raw = {
	0x9, 7, 1112, { 0, 0, 0, 304, 0 }, { 152, 0, 0, 304, 0 },
	(const char *const[]){
		"@88 70 @90 98 @112 28 @144 78 02",
		"@240 70 @242 98 @264 28 @296 fe ff ff ff",
		"@392 70 @394 98 @416 28 @448 fe ff ff ff",
		"@544 70 @546 b0 @568 40 @570 'ERROR' @600 'BOXNET-RAW'",
		"@636 7f @644 ff @648 6c 6f @680 ff ff ff @715 01 @720 70 @722 98 @744 28 "
		"@776 ff ff ff ff",
		"@872 70 @874 98 @896 28 @928 fb ff ff ff",
		"@1024 70 @1026 b0 @1048 40 @1050 'ERROR' @1080 'ERROR'",
		NULL },
};

static const struct golden g_filter = {
	0xe, 27, 4920, { 0, 0, 152, 608, 0 }, { 0, 0, 456, 608, 0 },
	(const char *const[]){
		"@88 70 @90 98 @112 28 @144 fe ff ff ff @240 70 @242 98 @264 28 @296 f0 11 @392 70 @394 98",
		"@416 28 @449 0d @544 70 @546 98 @568 28 @600 fe ff ff ff @696 70 @698 98 @720 28",
		"@752 fe ff ff ff @848 70 @850 b0 @872 40 @874 45 52 52 4f 52 @904 42 4f 58 4e 45 54",
		"@940 c0 a8 @943 02 @948 ff ff ff ff 62 72 2d 64 75 6d 6d 79 @968 62 72 2d 64 75 6d 6d 79",
		"@984 ff ff ff ff ff ff ff ff ff @1000 ff ff ff ff ff ff ff ff ff @1016 06 @1019 01",
		"@1024 68 01 90 01 @1048 30 @1050 74 63 70 @1082 ff ff 50 @1086 50 @1096 c8",
		"@1098 63 6f 6e 6e 74 72 61 63 6b @1127 03 @1274 01 @1278 80 @1296 28 @1328 fe ff ff ff",
		"@1352 62 72 2d 64 75 6d 6d 79 @1368 62 72 2d 64 75 6d 6d 79",
		"@1384 ff ff ff ff ff ff ff ff ff @1400 ff ff ff ff ff ff ff ff ff @1419 01",
		"@1424 38 01 60 01 @1448 c8 @1450 63 6f 6e 6e 74 72 61 63 6b @1479 03 @1626 01 @1630 80",
		"@1648 28 @1680 fe ff ff ff @1704 62 72 2d 64 75 6d 6d 79 @1720 62 72 2d 64 75 6d 6d 79",
		"@1736 ff ff ff ff ff ff ff ff ff @1752 ff ff ff ff ff ff ff ff ff @1771 01 @1776 70",
		"@1778 98 @1800 28 @1832 ff ff ff ff @1928 70 @1930 98 @1952 28 @1984 fb ff ff ff @2080 70",
		"@2082 b0 @2104 40 @2106 45 52 52 4f 52 @2136 42 4f 58 4e 45 54 2d 42 52 49 44 47 45",
		"@2200 62 72 2d 64 75 6d 6d 79 @2232 ff ff ff ff ff ff ff ff ff @2256 70 @2258 98 @2280 28",
		"@2312 a8 03 @2408 70 @2410 98 @2432 28 @2464 fb ff ff ff @2560 70 @2562 b0 @2584 40",
		"@2586 45 52 52 4f 52 @2616 42 4f 58 4e 45 54 2d 43 54 @2680 62 72 2d 64 75 6d 6d 79",
		"@2712 ff ff ff ff ff ff ff ff ff @2736 38 01 60 01 @2760 c8",
		"@2762 63 6f 6e 6e 74 72 61 63 6b @2791 03 @2938 01 @2942 06 @2960 28 @2992 fe ff ff ff",
		"@3088 70 @3090 98 @3112 28 @3144 fb ff ff ff @3240 70 @3242 b0 @3264 40",
		"@3266 45 52 52 4f 52 @3296 42 4f 58 4e 45 54 2d 46 4f 52 57 41 52 44 @3416 70 @3418 98",
		"@3440 28 @3472 58 0a @3568 70 @3570 98 @3592 28 @3624 a8 10 @3720 70 @3722 98 @3744 28",
		"@3776 78 08 @3800 62 72 2d 64 75 6d 6d 79 @3832 ff ff ff ff ff ff ff ff ff @3872 70",
		"@3874 98 @3896 28 @3928 fe ff ff ff @4024 70 @4026 98 @4048 28 @4080 fb ff ff ff @4176 70",
		"@4178 b0 @4200 40 @4202 45 52 52 4f 52 @4232 42 4f 58 4e 45 54 2d 49 4e 54 45 52 4e 41 4c",
		"@4352 70 @4354 98 @4376 28 @4408 fb ff ff ff @4504 70 @4506 b0 @4528 40",
		"@4530 45 52 52 4f 52 @4560 42 4f 58 4e 45 54 2d 55 53 45 52 @4680 70 @4682 98 @4704 28",
		"@4736 fb ff ff ff @4832 70 @4834 b0 @4856 40 @4858 45 52 52 4f 52 @4888 45 52 52 4f 52",
		NULL },
};

static const struct golden g_nat = {
	0x1b, 16, 2960, { 0, 344, 0, 496, 840 }, { 192, 344, 0, 688, 992 },
	(const char *const[]){
		"@88 98 @90 c0 @112 28 @114 'addrtype' @143 01 @146 04 @152 28 @184 28 05",
		"@280 70 @282 98 @304 28 @336 fe ff ff ff",
		"@432 70 @434 98 @456 28 @488 fe ff ff ff",
		"@584 98 @586 c0 @608 28 @610 'addrtype' @639 01 @642 04 @648 28 @680 28 05",
		"@776 70 @778 98 @800 28 @832 fe ff ff ff",
		"@928 70 @930 98 @952 28 @984 60 07",
		"@1080 70 @1082 98 @1104 28 @1136 fe ff ff ff",
		"@1232 70 @1234 b0 @1256 40 @1258 'ERROR' @1288 'BOXNET'",
		"@1400 06 @1408 a0 @1410 f0 @1432 30 @1434 'tcp' @1466 ff ff 90 1f 90 1f @1480 50 "
		"@1482 'DNAT' @1511 02 03 @1516 c0 a8 @1519 02 @1532 c0 a8 @1535 02 @1549 50 @1551 50",
		"@1648 70 @1650 98 @1672 28 @1704 fb ff ff ff",
		"@1800 70 @1802 b0 @1824 40 @1826 'ERROR' @1856 'BOXNET-POSTROUTING'",
		"@1920 'br-dummy' @1952 ff ff ff ff ff ff ff ff ff @1976 98 @1978 d0 @2000 28 "
		"@2002 'addrtype' @2031 01 04 @2040 38 @2042 'MASQUERADE' @2072 01",
		"@2096 c0 a8 @2104 ff ff ff @2128 'br-dummy' @2160 ff ff ff ff ff ff ff ff ff "
		"@2184 38 01 70 01 @2208 c8 @2210 'conntrack' @2239 03 @2386 01 @2390 80 @2408 38 "
		"@2410 'MASQUERADE' @2440 01",
		"@2464 c0 a8 @2472 ff ff ff @2496 'br-dummy' @2528 ff ff ff ff ff ff ff ff ff "
		"@2547 02 @2552 70 @2554 a8 @2576 38 @2578 'MASQUERADE' @2608 01",
		"@2720 70 @2722 98 @2744 28 @2776 fb ff ff ff",
		"@2872 70 @2874 b0 @2896 40 @2898 'ERROR' @2928 'ERROR'",
		NULL },
};

static const struct golden f_filter = {
	0xe, 20, 3784, { 0, 0, 152, 304, 0 }, { 0, 0, 152, 304, 0 },
	(const char *const[]){
		"@88 70 @90 98 @112 28 @144 fe ff ff ff",
		"@240 70 @242 98 @264 28 @296 fe ff ff ff",
		"@392 70 @394 98 @416 28 @448 fe ff ff ff",
		"@544 70 @546 b0 @568 40 @570 'ERROR' @600 'BOXNET'",
		"@720 70 @722 98 @744 28 @776 fb ff ff ff",
		"@872 70 @874 b0 @896 40 @898 'ERROR' @928 'BOXNET-BRIDGE'",
		"@1048 70 @1050 98 @1072 28 @1104 fb ff ff ff",
		"@1200 70 @1202 b0 @1224 40 @1226 'ERROR' @1256 'BOXNET-CT'",
		"@1376 70 @1378 98 @1400 28 @1432 fb ff ff ff",
		"@1528 70 @1530 b0 @1552 40 @1554 'ERROR' @1584 'BOXNET-FORWARD'",
		"@1704 70 @1706 98 @1728 28 @1760 fb ff ff ff",
		"@1856 70 @1858 b0 @1880 40 @1882 'ERROR' @1912 'BOXNET-INTERNAL'",
		"@1944 0a 01 @1952 ff ff ff @1976 'br-int' @2008 ff ff ff ff ff ff ff @2027 08 "
		"@2032 70 @2034 98 @2056 28 @2088 ff ff ff ff",
		"@2100 0a 01 @2108 ff ff ff @2112 'br-int' @2144 ff ff ff ff ff ff ff @2179 10 "
		"@2184 70 @2186 98 @2208 28 @2240 ff ff ff ff",
		"@2252 c0 a8 @2255 02 @2260 ff ff ff ff 62 72 2d 64 75 6d 6d 79 @2280 'br-dummy' "
		"@2296 ff ff ff ff ff ff ff ff ff @2312 ff ff ff ff ff ff ff ff ff @2328 84 @2331 01 "
		"@2336 80 02 a8 02 @2360 48 01 73 63 74 70 @2392 58 1b 62 1b @2660 ff @2663 ff "
		"@2666 ff @2669 ff @2676 02 @2688 c8 @2690 'conntrack' @2719 03 @2866 01 @2870 80 "
		"@2888 28 @2920 fe ff ff ff",
		"@2944 'abcdefghijklmno' @2976 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff "
		"@3008 11 @3016 a0 @3018 c8 @3040 30 @3042 'udp' @3074 ff ff 35 @3078 35 @3088 28 "
		"@3120 fe ff ff ff",
		"@3216 70 @3218 98 @3240 28 @3272 fb ff ff ff",
		"@3368 70 @3370 b0 @3392 40 @3394 'ERROR' @3424 'BOXNET-USER'",
		"@3544 70 @3546 98 @3568 28 @3600 fb ff ff ff",
		"@3696 70 @3698 b0 @3720 40 @3722 'ERROR' @3752 'ERROR'",
		NULL },
};

static const struct golden f_nat = {
	0x1b, 13, 2608, { 0, 152, 0, 304, 456 }, { 0, 152, 0, 304, 456 },
	(const char *const[]){
		"@88 70 @90 98 @112 28 @144 fe ff ff ff",
		"@240 70 @242 98 @264 28 @296 fe ff ff ff",
		"@392 70 @394 98 @416 28 @448 fe ff ff ff",
		"@544 70 @546 98 @568 28 @600 fe ff ff ff",
		"@696 70 @698 b0 @720 40 @722 'ERROR' @752 'BOXNET'",
		"@788 7f @791 01 @796 ff ff ff ff @864 11 @872 a0 @874 f0 @896 30 @898 'udp' "
		"@930 ff ff e9 14 e9 14 @944 50 @946 'DNAT' @975 02 03 @980 c0 a8 @983 03 "
		"@996 c0 a8 @999 03 @1013 35 @1015 35",
		"@1104 06 @1112 a0 @1114 f0 @1136 30 @1138 'tcp' @1170 ff ff 40 1f 4a 1f @1184 50 "
		"@1186 'DNAT' @1215 02 01 @1220 c0 a8 @1223 02 @1236 c0 a8 @1239 02",
		"@1268 0a @1270 02 0f @1276 ff ff ff ff @1344 84 @1352 b8 01 08 02 "
		"@1376 48 01 'sctp' @1408 '(#2#' @1676 ff @1679 ff @1682 ff @1685 ff @1692 02 "
		"@1704 50 @1706 'DNAT' @1735 02 23 @1740 c0 a8 @1743 02 @1756 c0 a8 @1759 02 "
		"@1772 1b 58 1b 'b#('",
		"@1872 70 @1874 98 @1896 28 @1928 fb ff ff ff",
		"@2024 70 @2026 b0 @2048 40 @2050 'ERROR' @2080 'BOXNET-POSTROUTING'",
		"@2112 c0 a8 @2120 ff ff ff @2144 'br-dummy' @2176 ff ff ff ff ff ff ff ff ff "
		"@2195 02 @2200 70 @2202 a8 @2224 38 @2226 'SNAT' @2256 01 @2260 01 @2264 0a "
		"@2267 01 0a @2271 01",
		"@2368 70 @2370 98 @2392 28 @2424 fb ff ff ff",
		"@2520 70 @2522 b0 @2544 40 @2546 'ERROR' @2576 'ERROR'",
		NULL },
};

static const struct golden foreign_filter = {
	0xe, 19, 3376, { -1, 0, 592, 1304, -1 }, { -1, 440, 1152, 1304, -1 },
	(const char *const[]){
		"@16 'eth9' @48 ff ff ff ff ff @88 90 01 b8 01 02 @96 05 @104 f4 01 "
		"@112 20 01 'comment' @144 'keep me' @400 28 @432 ff ff ff ff",
		"@528 70 @530 98 @532 02 @552 28 @584 fe ff ff ff",
		"@680 70 @682 98 @684 04 @704 28 @736 d8 08",
		"@826 02 @832 70 @834 98 @836 04 @840 03 @848 2c 01 @856 28 @888 50 0b",
		"@976 06 @984 c0 @987 01 04 @1008 50 @1010 'multiport' @1039 01 01 03 16 @1044 50 "
		"@1046 bb 01 @1088 40 @1090 'LOG' @1120 04 @1122 'fw: '",
		"@1240 70 @1242 98 @1244 04 @1248 07 @1256 bc 02 @1264 28 @1296 ff ff ff ff",
		"@1392 70 @1394 98 @1396 08 @1416 28 @1448 fe ff ff ff",
		"@1544 70 @1546 b0 @1568 40 @1570 'ERROR' @1600 'AAA'",
		"@1632 0a @1640 ff @1720 70 @1722 98 @1724 04 @1744 28 @1776 f8 06",
		"@1872 70 @1874 98 @1876 04 @1896 28 @1928 fb ff ff ff",
		"@2024 70 @2026 98 @2048 28 @2080 fb ff ff ff",
		"@2176 70 @2178 b0 @2200 40 @2202 'ERROR' @2232 'USER'",
		"@2264 0a 09 @2272 ff ff @2352 70 @2354 98 @2356 04 @2376 28 @2408 60 06",
		"@2504 70 @2506 98 @2508 04 @2528 28 @2560 fe ff ff ff",
		"@2656 70 @2658 98 @2680 28 @2712 fb ff ff ff",
		"@2808 70 @2810 b0 @2832 40 @2834 'ERROR' @2864 'ZZZ'",
		"@2900 01 02 03 04 @2908 ff ff ff ff @2984 70 @2986 98 @2988 04 @3008 28 "
		"@3040 ff ff ff ff",
		"@3136 70 @3138 98 @3140 04 @3160 28 @3192 fb ff ff ff",
		"@3288 70 @3290 b0 @3312 40 @3314 'ERROR' @3344 'ERROR'",
		NULL },
};

static const struct golden foreign_nat = {
	0x1b, 11, 1800, { 0, 368, -1, 520, 672 }, { 216, 368, -1, 520, 992 },
	(const char *const[]){
		"@80 11 @88 a0 @90 d8 @92 01 @112 30 @114 'udp' @146 ff ff 35 @150 35 @160 38 "
		"@162 'REDIRECT' @192 01 @196 02 @208 14 e9 14 e9",
		"@304 70 @306 98 @308 01 @328 28 @360 fe ff ff ff",
		"@456 70 @458 98 @460 02 @480 28 @512 fe ff ff ff",
		"@608 70 @610 98 @612 08 @632 28 @664 fe ff ff ff",
		"@672 0a 08 @680 ff ff @760 70 @762 a8 @764 10 @784 38 @786 'MASQUERADE' @816 01",
		"@928 70 @930 98 @932 10 @952 28 @984 28 05",
		"@1080 70 @1082 98 @1084 10 @1104 28 @1136 fe ff ff ff",
		"@1232 70 @1234 b0 @1256 40 @1258 'ERROR' @1288 'MYNAT'",
		"@1324 0a 01 01 01 @1332 ff ff ff ff @1408 70 @1410 98 @1412 10 @1432 28 "
		"@1464 fb ff ff ff",
		"@1560 70 @1562 98 @1564 10 @1584 28 @1616 fb ff ff ff",
		"@1712 70 @1714 b0 @1736 40 @1738 'ERROR' @1768 'ERROR'",
		NULL },
};


static unsigned char *unsparse(const struct golden *g)
{
	unsigned char *b = calloc(1, g->size);
	size_t pos = 0;

	assert_non_null(b);
	for (const char *const *l = g->lines; *l; l++)
		for (const char *s = *l; *s;) {
			char *end;

			if (*s == ' ') {
				s++;
			} else if (*s == '@') {
				pos = strtoul(s + 1, &end, 10);
				s = end;
			} else if (*s == '\'') {
				for (s++; *s != '\''; s++) {
					assert_true(pos < g->size);
					b[pos++] = *s;
				}
				s++;
			} else {
				assert_true(pos < g->size);
				b[pos++] = strtoul(s, &end, 16);
				assert_true(end == s + 2);
				s = end;
			}
		}
	return b;
}

static void parse_golden(struct xt_table *t, const char *name, const struct golden *g,
			 unsigned char **blob)
{
	*blob = unsparse(g);
	assert_int_equal(xt_table_parse(t, AF_INET, name, g->valid_hooks, g->hook_entry, g->underflow,
					*blob, g->size, g->num_entries), 0);
}

/* what the kernel would give back after replacing the table with @rep */
static void reparse(struct xt_table *t, const struct ipt_replace *rep)
{
	assert_int_equal(xt_table_parse(t, AF_INET, rep->name, rep->valid_hooks, rep->hook_entry,
					rep->underflow, rep->entries, rep->size,
					rep->num_entries), 0);
}

/* a table as the kernel creates it: every hook's chain empty, policy ACCEPT */
static void parse_empty(struct xt_table *t, enum fw_table ft)
{
	static const uint32_t hooks[FW_NTABLES] = { 0x09, 0x0e, 0x1b };
	unsigned char blob[8 * 256];
	uint32_t he[5] = { 0 }, n = 0, size = 0;

	for (int h = 0; h < 5; h++)
		if (hooks[ft] & (1u << h)) {
			he[h] = size;
			size += xt_entry_verdict(AF_INET, -NF_ACCEPT - 1, blob + size);
			n++;
		}
	size += xt_entry_error(AF_INET, "ERROR", blob + size);
	assert_int_equal(xt_table_parse(t, AF_INET, fw_table_names[ft], hooks[ft], he, he, blob, size, n + 1), 0);
}

/* @t (with @r's boxnet part for @ft) serialised */
static struct ipt_replace *set_blob(struct xt_table *t, const struct fw_ruleset *r, enum fw_table ft)
{
	void *rep;
	size_t len;

	assert_int_equal(xt_table_set(t, r, ft), 0);
	assert_int_equal(xt_table_blob(t, &rep, &len), 0);
	assert_int_equal(len, sizeof(struct ipt_replace) + ((struct ipt_replace *)rep)->size);
	return rep;
}

static void assert_same_bytes(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			fail_msg("blobs differ at byte %zu: %02x != %02x", i, x[i], y[i]);
}

static void assert_golden(const struct ipt_replace *rep, const struct golden *g)
{
	unsigned char *want = unsparse(g);

	assert_int_equal(rep->valid_hooks, g->valid_hooks);
	assert_int_equal(rep->num_entries, g->num_entries);
	assert_int_equal(rep->size, g->size);
	for (int h = 0; h < 5; h++) {
		assert_int_equal(rep->hook_entry[h], g->hook_entry[h]);
		assert_int_equal(rep->underflow[h], g->underflow[h]);
	}
	assert_same_bytes(rep->entries, want, g->size);
	free(want);
}

static char *text(void (*fn)(const void *, int, FILE *), const void *x, int t)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fn(x, t, f);
	fclose(f);
	return buf;
}

static void save_fn(const void *r, int t, FILE *f)
{
	fwrule_save(r, t, f);
}

static void show_fn(const void *t, int ft, FILE *f)
{
	xt_table_show(t, ft, f);
}

static const struct fw_net net = { "br-dummy", { A(192, 168, 0, 0), 24 }, A(192, 168, 0, 1),
				   false, true, true, { 0 } };
static const struct fw_port port = { 6, { 0 }, 8080, 8080, A(192, 168, 0, 2), 80, 80, "br-dummy" };
static const struct fw_ruleset empty;

static struct fw_rule *add(struct fw_ruleset *r, enum fw_table t, const char *chain,
			   enum fw_verdict v)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		assert_non_null(r->v);
	}
	r->v[r->n] = (struct fw_rule){ .table = t, .chain = chain, .verdict = v };
	return &r->v[r->n++];
}

/* the offset of the ERROR head of chain @name in @rep; -1 if none */
static long head_of(const struct ipt_replace *rep, const char *name)
{
	for (uint32_t off = 0; off < rep->size;) {
		const struct ipt_entry *e = (const void *)((const char *)rep->entries + off);
		const char *err = xt_entry_errorname(AF_INET, e);

		if (err && !strcmp(err, name))
			return off;
		off += e->next_offset;
	}
	return -1;
}

static const struct ipt_entry *at(const struct ipt_replace *rep, uint32_t off)
{
	return (const void *)((const char *)rep->entries + off);
}

static const struct ipt_entry *next(const struct ipt_entry *e)
{
	return (const void *)((const char *)e + e->next_offset);
}

static int verdict(const struct ipt_entry *e)
{
	int v = 1234567;

	xt_entry_std_verdict(AF_INET, e, e->next_offset, &v);
	return v;
}

/* KERNEL-NOTES 4.5: -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80 */
static void encode_dnat_of_the_notes(void **state)
{
	static const char *const lines[] = {
		"@80 06 @88 a0 00 f0 @112 30 00 74 63 70 @146 ff ff 90 1f 90 1f @160 50 00 44 4e 41 54",
		"@191 02 03 @196 ac 11 00 02 @212 ac 11 00 02 @229 50 00 50", NULL
	};
	const struct golden g = { 0, 0, 240, { 0 }, { 0 }, lines };
	struct fw_rule r = { FW_NAT, "PREROUTING", .verdict = FW_DNAT, .to_addr = A(172, 17, 0, 2),
			     .to_lo = 80, .to_hi = 80 };
	unsigned char buf[XT_ENTRY_MAX], *want = unsparse(&g);

	r.m.proto = 6;
	r.m.dport_lo = r.m.dport_hi = 8080;
	assert_int_equal(xt_rule_encode(&r, buf, sizeof(buf)), 240);
	assert_same_bytes(buf, want, 240);
	free(want);
}

/* the filter accept of @p that boxnet wrote per published port before the
 * network's ctstate DNAT accept made it redundant: the golden bytes were
 * captured with it, and it still tests the encoder (a conntrack match after a
 * port match) */
static void old_port_accept(struct fw_ruleset *r, const struct fw_port *p)
{
	struct fw_rule *x = add(r, FW_FILTER, "BOXNET", FW_ACCEPT);

	x->m = (struct fw_match){ .ct_dnat = true, .dst = { p->ctr_ip, 32 }, .not_iif = true,
				  .proto = p->proto, .dport_lo = p->ctr_lo, .dport_hi = p->ctr_hi };
	strcpy(x->m.iif, p->bridge);
	strcpy(x->m.oif, p->bridge);
}

/* test_fw's default network with -p 8080:80, as iptables-legacy-restore sends
 * it (with the old per-port filter accept first in BOXNET) */
static void golden_tables(void **state)
{
	const struct golden *g[FW_NTABLES] = { &g_raw, &g_filter, &g_nat };
	struct fw_ruleset r, built;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &built), 0);
	r = (struct fw_ruleset){ 0 };
	for (size_t i = 0; i < built.n; i++) {
		if (built.v[i].table == FW_FILTER && !strcmp(built.v[i].chain, "BOXNET") &&
		    (!i || strcmp(built.v[i - 1].chain, "BOXNET")))
			old_port_accept(&r, &port);
		*add(&r, built.v[i].table, built.v[i].chain, built.v[i].verdict) = built.v[i];
	}
	fw_free(&built);
	for (int ft = 0; ft < FW_NTABLES; ft++) {
		struct xt_table t;
		struct ipt_replace *rep;

		parse_empty(&t, ft);
		rep = set_blob(&t, &r, ft);
		assert_golden(rep, g[ft]);
		free(rep);
		xt_table_free(&t);
	}
	fw_free(&r);
}

/* ports of every form, SNAT, sctp, a 15-character interface, inversions */
static void golden_forms(void **state)
{
	const struct fw_port ps[3] = {
		{ 17, A(127, 0, 0, 1), 5353, 5353, A(192, 168, 0, 3), 53, 53, "br-dummy" },
		{ 6, { 0 }, 8000, 8010, A(192, 168, 0, 2), 8000, 8010, "br-dummy" },
		{ 132, A(10, 0, 2, 15), 9000, 9010, A(192, 168, 0, 2), 7000, 7010, "br-dummy" },
	};
	struct fw_ruleset nat = { 0 }, filter = { 0 };
	struct fw_rule *x;
	struct xt_table t;
	struct ipt_replace *rep;

	for (int i = 0; i < 3; i++)
		assert_int_equal(fw_port_rules(&ps[i], &nat), 0);
	x = add(&nat, FW_NAT, "BOXNET-POSTROUTING", FW_SNAT);
	x->m = (struct fw_match){ .oif = "br-dummy", .not_oif = true,
				  .src = { A(192, 168, 0, 0), 24 } };
	x->to_addr = ip4(V4(10, 0, 0, 1));
	x = add(&filter, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);
	x->m = (struct fw_match){ .oif = "br-int", .not_src = true,
				  .src = { A(10, 1, 0, 0), 24 } };
	x = add(&filter, FW_FILTER, "BOXNET-INTERNAL", FW_DROP);
	x->m = (struct fw_match){ .iif = "br-int", .not_dst = true,
				  .dst = { A(10, 1, 0, 0), 24 } };
	old_port_accept(&filter, &ps[2]);
	filter.v[filter.n - 1].chain = "BOXNET-INTERNAL";
	x = add(&filter, FW_FILTER, "BOXNET-INTERNAL", FW_ACCEPT);
	x->m = (struct fw_match){ .iif = "abcdefghijklmno", .proto = 17, .dport_lo = 53, .dport_hi = 53 };

	parse_empty(&t, FW_NAT);
	rep = set_blob(&t, &nat, FW_NAT);
	assert_golden(rep, &f_nat);
	free(rep);
	xt_table_free(&t);
	parse_empty(&t, FW_FILTER);
	rep = set_blob(&t, &filter, FW_FILTER);
	assert_golden(rep, &f_filter);
	free(rep);
	xt_table_free(&t);
	fw_free(&nat);
	fw_free(&filter);
}

/* nat as a full apply of @ports writes it (from an empty table) */
static struct ipt_replace *full_nat(const struct fw_port *ports, size_t n)
{
	struct fw_ruleset r;
	struct xt_table t;
	struct ipt_replace *rep;

	assert_int_equal(fw_build(&net, 1, ports, n, true, &r), 0);
	parse_empty(&t, FW_NAT);
	rep = set_blob(&t, &r, FW_NAT);
	xt_table_free(&t);
	fw_free(&r);
	return rep;
}

/* @rep with the rules of @ports spliced in (@add) or out */
static struct ipt_replace *splice(const struct ipt_replace *rep, const struct fw_port *ports,
				  size_t n, bool add, int want)
{
	struct fw_ruleset r = { 0 };
	struct xt_table t;
	void *out = NULL;
	size_t len;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(fw_port_rules(&ports[i], &r), 0);
	reparse(&t, rep);
	assert_int_equal(xt_table_splice(&t, &r, FW_NAT, add), want);
	if (!want)
		assert_int_equal(xt_table_blob(&t, &out, &len), 0);
	xt_table_free(&t);
	fw_free(&r);
	return out;
}

static void assert_same_table(const struct ipt_replace *a, const struct ipt_replace *b)
{
	assert_int_equal(a->num_entries, b->num_entries);
	assert_int_equal(a->size, b->size);
	assert_memory_equal(a->hook_entry, b->hook_entry, sizeof(a->hook_entry));
	assert_memory_equal(a->underflow, b->underflow, sizeof(a->underflow));
	assert_true(xt_blob_same(AF_INET, a->entries, b->entries, a->size));
}

/* a port's DNAT spliced into nat BOXNET, or out of it, gives the table a
 * full apply of the ports after would give (appended: the ports in that
 * order); the jumps into an empty chain follow its new first rule */
static void splice_ports(void **state)
{
	struct fw_port ps[3] = { port, port, port };
	struct ipt_replace *none, *one, *two, *three, *x, *y;

	ps[1].host_lo = ps[1].host_hi = 8081;
	ps[2].host_lo = ps[2].host_hi = 8082;
	ps[2].proto = 17;
	none = full_nat(NULL, 0);
	one = full_nat(ps, 1);
	two = full_nat(ps, 2);
	three = full_nat(ps, 3);
	x = splice(none, ps, 1, true, 0);
	assert_same_table(x, one);
	y = splice(x, &ps[1], 2, true, 0); /* two at once */
	assert_same_table(y, three);
	free(x);
	x = splice(y, &ps[2], 1, false, 0);
	assert_same_table(x, two);
	free(y);
	y = splice(x, ps, 2, false, 0); /* the first rule too: the jumps move on */
	assert_same_table(y, none);
	free(x);
	assert_null(splice(y, ps, 1, false, -ENOENT)); /* not there */
	free(y);
	/* no chain BOXNET at all */
	{
		struct xt_table t;
		struct fw_ruleset r = { 0 };

		parse_empty(&t, FW_NAT);
		assert_int_equal(fw_port_rules(&port, &r), 0);
		assert_int_equal(xt_table_splice(&t, &r, FW_NAT, true), -ENOENT);
		xt_table_free(&t);
		fw_free(&r);
	}
	free(none);
	free(one);
	free(two);
	free(three);
}

/* encode then decode gives the same rule back, for every rule fw_build writes */
static void decode_round_trip(void **state)
{
	struct fw_net nets[3] = { net, net, net };
	const struct fw_port ps[3] = {
		{ 17, A(127, 0, 0, 1), 5353, 5353, A(192, 168, 0, 3), 53, 53, "br-dummy" },
		{ 6, { 0 }, 8000, 8010, A(192, 168, 0, 2), 8000, 8010, "br-dummy" },
		{ 132, A(10, 0, 2, 15), 9000, 9010, A(192, 168, 0, 2), 7000, 7010, "br-dummy" },
	};
	struct fw_ruleset r;

	strcpy(nets[1].bridge, "br-int");
	nets[1].subnet.a = ip4(V4(10, 1, 0, 0));
	nets[1].internal = true;
	strcpy(nets[2].bridge, "br-snat");
	nets[2].subnet.a = ip4(V4(10, 2, 0, 0));
	nets[2].icc = false;
	nets[2].snat = ip4(V4(10, 0, 0, 1));
	assert_int_equal(fw_build(nets, 3, ps, 3, true, &r), 0);
	assert_true(r.n > 30);
	for (size_t i = 0; i < r.n; i++) {
		unsigned char buf[XT_ENTRY_MAX];
		int len = xt_rule_encode(&r.v[i], buf, sizeof(buf));
		struct fw_rule back;
		char *a, *b;
		size_t n;
		FILE *f;

		assert_true(len > 0);
		assert_int_equal(xt_rule_decode(AF_INET, buf, len, &back), 0);
		back.table = r.v[i].table;
		back.chain = r.v[i].chain;
		back.target = r.v[i].target;
		f = open_memstream(&a, &n);
		fwrule_text(&r.v[i], f);
		fclose(f);
		f = open_memstream(&b, &n);
		fwrule_text(&back, f);
		fclose(f);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	fw_free(&r);
}

/* a foreign table read from the kernel is written back byte for byte */
static void foreign_round_trip(void **state)
{
	const struct golden *g[2] = { &foreign_filter, &foreign_nat };
	const char *names[2] = { "filter", "nat" };

	for (int i = 0; i < 2; i++) {
		struct xt_table t;
		unsigned char *blob;
		struct ipt_replace *rep;
		size_t len;

		parse_golden(&t, names[i], g[i], &blob);
		assert_int_equal(xt_table_blob(&t, (void **)&rep, &len), 0);
		assert_int_equal(rep->size, g[i]->size);
		assert_int_equal(rep->num_entries, g[i]->num_entries);
		for (int h = 0; h < 5; h++)
			if (g[i]->valid_hooks & (1u << h)) {
				assert_int_equal(rep->hook_entry[h], g[i]->hook_entry[h]);
				assert_int_equal(rep->underflow[h], g[i]->underflow[h]);
			}
		assert_same_bytes(rep->entries, blob, g[i]->size);
		free(rep);
		free(blob);
		xt_table_free(&t);
	}
}

/* add boxnet's part to a foreign table, then remove it: the original again */
static void add_then_remove(void **state)
{
	const struct golden *g[2] = { &foreign_filter, &foreign_nat };
	const enum fw_table ft[2] = { FW_FILTER, FW_NAT };
	struct fw_ruleset r;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	for (int i = 0; i < 2; i++) {
		struct xt_table t, t2;
		unsigned char *blob;
		struct ipt_replace *with, *without;

		parse_golden(&t, fw_table_names[ft[i]], g[i], &blob);
		with = set_blob(&t, &r, ft[i]);
		assert_true(with->size > g[i]->size);
		reparse(&t2, with);
		without = set_blob(&t2, &empty, ft[i]);
		assert_int_equal(without->size, g[i]->size);
		assert_int_equal(without->num_entries, g[i]->num_entries);
		for (int h = 0; h < 5; h++)
			if (g[i]->valid_hooks & (1u << h)) {
				assert_int_equal(without->hook_entry[h], g[i]->hook_entry[h]);
				assert_int_equal(without->underflow[h], g[i]->underflow[h]);
			}
		assert_same_bytes(without->entries, blob, g[i]->size);
		free(with);
		free(without);
		free(blob);
		xt_table_free(&t);
		xt_table_free(&t2);
	}
	fw_free(&r);
}

/* every jump lands where it should once boxnet's chains are in */
static void jump_offsets(void **state)
{
	struct fw_ruleset r;
	struct xt_table t;
	unsigned char *blob;
	struct ipt_replace *rep;
	const struct ipt_entry *e;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	parse_golden(&t, "filter", &foreign_filter, &blob);
	rep = set_blob(&t, &r, FW_FILTER);
	/* FORWARD: boxnet's hooks on top (the user's chain first, made empty),
	 * then -j USER, -g ZZZ, LOG, policy DROP */
	e = at(rep, rep->hook_entry[NF_INET_FORWARD]);
	assert_int_equal(verdict(e), head_of(rep, "BOXNET-USER") + ERR_SIZE);
	assert_int_equal(verdict(at(rep, head_of(rep, "BOXNET-USER") + ERR_SIZE)), XT_RETURN);
	e = next(e);
	assert_int_equal(verdict(e), head_of(rep, "BOXNET-FORWARD") + ERR_SIZE);
	e = next(e);
	assert_int_equal(verdict(e), head_of(rep, "USER") + ERR_SIZE);
	e = next(e);
	assert_int_equal(verdict(e), head_of(rep, "ZZZ") + ERR_SIZE);
	assert_int_equal(e->ip.flags, IPT_F_GOTO);
	assert_int_equal(e->counters.pcnt, 3);
	e = next(next(e));
	assert_ptr_equal(e, at(rep, rep->underflow[NF_INET_FORWARD]));
	assert_int_equal(verdict(e), -NF_DROP - 1);
	assert_int_equal(e->counters.bcnt, 700);
	/* AAA's rule without a target falls through to the next entry */
	e = at(rep, head_of(rep, "AAA") + ERR_SIZE);
	assert_int_equal(verdict(e), (const char *)next(e) - (const char *)rep->entries);
	/* USER -> AAA; BOXNET-BRIDGE -> BOXNET; BOXNET-FORWARD -> CT, INTERNAL, BRIDGE */
	assert_int_equal(verdict(at(rep, head_of(rep, "USER") + ERR_SIZE)), head_of(rep, "AAA") + ERR_SIZE);
	assert_int_equal(verdict(at(rep, head_of(rep, "BOXNET-BRIDGE") + ERR_SIZE)),
			 head_of(rep, "BOXNET") + ERR_SIZE);
	e = at(rep, head_of(rep, "BOXNET-FORWARD") + ERR_SIZE);
	assert_int_equal(verdict(e), head_of(rep, "BOXNET-CT") + ERR_SIZE);
	assert_int_equal(verdict(next(e)), head_of(rep, "BOXNET-INTERNAL") + ERR_SIZE);
	/* user chains in name order: AAA < BOXNET < ... < BOXNET-USER < USER < ZZZ */
	assert_true(head_of(rep, "AAA") < head_of(rep, "BOXNET"));
	assert_true(head_of(rep, "BOXNET-INTERNAL") < head_of(rep, "BOXNET-USER"));
	assert_true(head_of(rep, "BOXNET-USER") < head_of(rep, "USER"));
	assert_true(head_of(rep, "USER") < head_of(rep, "ZZZ"));
	/* the kept entries carry their old index (for their counters), new ones -1 */
	for (size_t p = 0, kept = 0; p < t.norder; p++) {
		const struct xt_ent *x = &t.e[t.order[p]];

		if (x->orig >= 0)
			assert_int_equal(x->orig, kept++);
		if (p + 1 == t.norder)
			assert_int_equal(kept, foreign_filter.num_entries);
	}
	free(rep);
	free(blob);
	xt_table_free(&t);
	fw_free(&r);
}

/* boxnet's part already right: the same blob, byte for byte */
static void apply_twice_same(void **state)
{
	struct fw_ruleset r;
	struct xt_table t, t2;
	unsigned char *blob;
	struct ipt_replace *a, *b;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	parse_golden(&t, "nat", &foreign_nat, &blob);
	a = set_blob(&t, &r, FW_NAT);
	reparse(&t2, a);
	b = set_blob(&t2, &r, FW_NAT);
	assert_int_equal(a->size, b->size);
	assert_same_bytes(a, b, sizeof(*a) + a->size);
	assert_true(xt_blob_same(AF_INET, a->entries, b->entries, a->size));
	free(a);
	free(b);
	free(blob);
	xt_table_free(&t);
	xt_table_free(&t2);
	fw_free(&r);
}

/* a rule someone put above boxnet's hook: the hook goes back on top */
static void hooks_back_on_top(void **state)
{
	struct fw_ruleset r;
	struct xt_table t, t2, t3;
	unsigned char *blob;
	struct ipt_replace *a, *b;
	int post = NF_INET_POST_ROUTING;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	parse_golden(&t, "nat", &foreign_nat, &blob);
	a = set_blob(&t, &r, FW_NAT);
	reparse(&t2, a);
	/* swap POSTROUTING's first two entries: the foreign MASQUERADE now leads */
	for (size_t p = 0; p < t2.norder; p++)
		if (t2.order[p] == t2.hook_entry[post]) {
			int first = t2.order[p];

			t2.order[p] = t2.order[p + 1];
			t2.order[p + 1] = first;
			t2.hook_entry[post] = t2.order[p];
			break;
		}
	assert_int_equal(xt_table_blob(&t2, (void **)&b, &(size_t){ 0 }), 0);
	assert_string_equal(xt_entry_target(AF_INET, at(b, b->hook_entry[post])), "MASQUERADE");
	reparse(&t3, b);
	free(b);
	b = set_blob(&t3, &r, FW_NAT);
	assert_same_bytes(a, b, sizeof(*a) + a->size);
	/* PREROUTING: boxnet's jump, then the foreign REDIRECT */
	assert_int_equal(verdict(at(b, b->hook_entry[NF_INET_PRE_ROUTING])), head_of(b, "BOXNET") + ERR_SIZE);
	assert_string_equal(xt_entry_target(AF_INET, next(at(b, b->hook_entry[NF_INET_PRE_ROUTING]))), "REDIRECT");
	free(a);
	free(b);
	free(blob);
	xt_table_free(&t);
	xt_table_free(&t2);
	xt_table_free(&t3);
	fw_free(&r);
}

/* a foreign rule jumping into a boxnet chain follows it; it blocks removal */
static void foreign_jump_into_boxnet(void **state)
{
	struct fw_ruleset r;
	struct xt_table t, t2;
	unsigned char *blob;
	struct ipt_replace *a, *b;
	int fwd = -1, user = -1;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	parse_golden(&t, "filter", &foreign_filter, &blob);
	a = set_blob(&t, &r, FW_FILTER);
	reparse(&t2, a);
	/* point USER's "-j ACCEPT" at BOXNET-FORWARD's first rule */
	for (size_t p = 0; p + 1 < t2.norder; p++) {
		const char *err = xt_entry_errorname(AF_INET, t2.e[t2.order[p]].b);

		if (err && !strcmp(err, "BOXNET-FORWARD"))
			fwd = t2.order[p + 1];
		if (err && !strcmp(err, "USER"))
			user = t2.order[p + 2];
	}
	assert_true(fwd >= 0 && user >= 0);
	t2.e[user].jump = fwd;
	r.v[r.n - 1].m.oif[0] = 0; /* change boxnet's rules a little */
	b = set_blob(&t2, &r, FW_FILTER);
	assert_int_equal(verdict(at(b, head_of(b, "USER") + ERR_SIZE + 152)),
			 head_of(b, "BOXNET-FORWARD") + ERR_SIZE);
	assert_int_equal(xt_table_set(&t2, &empty, FW_FILTER), -EMLINK);
	free(a);
	free(b);
	free(blob);
	xt_table_free(&t);
	xt_table_free(&t2);
	fw_free(&r);
}

static int parse_bad(const struct golden *g, size_t size, uint32_t n, uint32_t hook0)
{
	struct xt_table t;
	unsigned char *blob = unsparse(g);
	uint32_t he[5];
	int ret;

	memcpy(he, g->hook_entry, sizeof(he));
	he[NF_INET_LOCAL_IN] = hook0;
	ret = xt_table_parse(&t, AF_INET, "filter", g->valid_hooks, he, g->underflow, blob, size, n);
	xt_table_free(&t);
	free(blob);
	return ret;
}

static void malformed_blobs(void **state)
{
	const struct golden *g = &foreign_filter;
	struct golden bad = *g;
	const char *lines[32];
	size_t n = 0;

	assert_int_equal(parse_bad(g, g->size, g->num_entries, 0), 0);
	assert_int_equal(parse_bad(g, g->size - 8, g->num_entries, 0), -EPROTO);
	assert_int_equal(parse_bad(g, g->size - ERR_SIZE, g->num_entries - 1, 0), -EPROTO);
	assert_int_equal(parse_bad(g, g->size, g->num_entries + 1, 0), -EPROTO);
	assert_int_equal(parse_bad(g, g->size, g->num_entries, 8), -EPROTO);
	/* FORWARD's "-j USER" aimed between two entries */
	for (; g->lines[n]; n++)
		lines[n] = g->lines[n];
	lines[n] = "@736 d0 08";
	lines[n + 1] = NULL;
	bad.lines = lines;
	assert_int_equal(parse_bad(&bad, g->size, g->num_entries, 0), -EPROTO);
}

static void refused_rules(void **state)
{
	struct fw_ruleset r = { 0 };
	struct xt_table t;
	struct fw_rule *x;
	unsigned char buf[XT_ENTRY_MAX];

	add(&r, FW_FILTER, "USER", FW_ACCEPT);                  /* a foreign chain */
	add(&r, FW_FILTER, "FORWARD", FW_ACCEPT);               /* a hook rule not a jump */
	add(&r, FW_FILTER, "BOXNET", FW_JUMP)->target = "USER"; /* a jump out of boxnet's chains */
	add(&r, FW_RAW, "INPUT", FW_JUMP)->target = "BOXNET-RAW"; /* no INPUT in raw */
	for (size_t i = 0; i < r.n; i++) {
		struct fw_ruleset one = { &r.v[i], 1, 1, false };

		parse_empty(&t, r.v[i].table);
		assert_int_equal(xt_table_set(&t, &one, r.v[i].table), -EINVAL);
		xt_table_free(&t);
	}
	x = add(&r, FW_FILTER, "BOXNET", FW_ACCEPT);
	strcpy(x->m.iif, "abcdefghijklmnop"); /* 16 characters: one too many */
	assert_int_equal(xt_rule_encode(x, buf, sizeof(buf)), -EINVAL);
	x->m.iif[0] = 0;
	x->m.dport_lo = x->m.dport_hi = 80;   /* a port without a protocol */
	assert_int_equal(xt_rule_encode(x, buf, sizeof(buf)), -EINVAL);
	x->m.proto = 47;                      /* gre has no ports */
	assert_int_equal(xt_rule_encode(x, buf, sizeof(buf)), -EINVAL);
	fw_free(&r);
}

/* boxnet's part read back from the blob prints as fwrule_save() */
static void show_matches_save(void **state)
{
	struct fw_ruleset r;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	for (int ft = 0; ft < FW_NTABLES; ft++) {
		const struct golden *g = ft == FW_NAT ? &foreign_nat : &foreign_filter;
		struct xt_table t, t2;
		unsigned char *blob;
		struct ipt_replace *rep;
		char *want = text(save_fn, &r, ft), *got;

		if (ft == FW_RAW)
			parse_empty(&t, ft), blob = NULL;
		else
			parse_golden(&t, fw_table_names[ft], g, &blob);
		rep = set_blob(&t, &r, ft);
		reparse(&t2, rep);
		got = text(show_fn, &t2, ft);
		if (ft == FW_FILTER) /* the foreign table's policy shows through */
			assert_non_null(strstr(got, ":FORWARD DROP [0:0]\n"));
		assert_string_equal(strchr(got, '-'), strchr(want, '-'));
		free(want);
		free(got);
		free(rep);
		free(blob);
		xt_table_free(&t);
		xt_table_free(&t2);
	}
	fw_free(&r);
}

static void boxnet_names(void **state)
{
	assert_true(xt_is_boxnet("BOXNET"));
	assert_true(xt_is_boxnet("BOXNET-FORWARD"));
	assert_false(xt_is_boxnet("BOXNET2"));
	assert_false(xt_is_boxnet("DOCKER"));
	assert_false(xt_is_boxnet("BOXNE"));
}

/* an ip6t_entry as ip6tables-legacy 1.8.9 writes it (read back with
 * IP6T_SO_GET_ENTRIES): ip6t_ip6 with IP6T_F_PROTO, 168-byte header */
static void ipv6_entries(void **state)
{
	struct fw_rule r = { FW_NAT, "BOXNET", .verdict = FW_DNAT, .to_lo = 80, .to_hi = 80,
			     .family = AF_INET6 };
	unsigned char buf[XT_ENTRY_MAX] __attribute__((aligned(8)));
	static const unsigned char fd2[16] = { 0xfd, [15] = 2 };
	struct fw_rule back;
	char *text;
	size_t len;
	FILE *f;
	int n;

	(void)state;
	assert_int_equal(ip_parse("fd00::2", AF_INET6, &r.to_addr), 0);
	assert_int_equal(pfx_parse("fe80::/10", AF_INET6, &r.m.src), 0);
	r.m.not_src = true;
	r.m.proto = 6;
	r.m.dport_lo = r.m.dport_hi = 8080;
	n = xt_rule_encode(&r, buf, sizeof(buf));
	assert_int_equal(n, 296);
	assert_int_equal(xt_toff(AF_INET6, buf), 216);
	assert_int_equal(xt_next(AF_INET6, buf), 296);
	assert_int_equal(buf[0], 0xfe); /* src fe80::, smsk ffc0:: */
	assert_int_equal(buf[1], 0x80);
	assert_int_equal(buf[32], 0xff);
	assert_int_equal(buf[33], 0xc0);
	assert_int_equal(buf[128], 6);   /* proto */
	assert_int_equal(buf[131], 1);   /* flags: IP6T_F_PROTO */
	assert_int_equal(buf[132], 0x08); /* invflags: IP6T_INV_SRCIP */
	assert_int_equal(buf[168], 48);  /* tcp match */
	assert_string_equal((char *)buf + 170, "tcp");
	assert_int_equal(buf[216], 80);  /* DNAT revision 2 */
	assert_string_equal((char *)buf + 218, "DNAT");
	assert_int_equal(buf[247], 2);
	assert_int_equal(buf[248], 3);   /* MAP_IPS | PROTO_SPECIFIED */
	assert_memory_equal(buf + 252, fd2, 16);
	assert_memory_equal(buf + 268, fd2, 16);
	assert_int_equal(buf[284] << 8 | buf[285], 80);
	assert_int_equal(xt_rule_decode(AF_INET6, buf, n, &back), 0);
	back.table = r.table;
	back.chain = r.chain;
	f = open_memstream(&text, &len);
	fwrule_text(&back, f);
	fclose(f);
	assert_string_equal(text, "-A BOXNET ! -s fe80::/10 -p tcp -m tcp --dport 8080 "
				  "-j DNAT --to-destination [fd00::2]:80\n");
	free(text);
	/* NAT66: MASQUERADE revision 0 and SNAT revision 1 take struct nf_nat_range */
	r = (struct fw_rule){ FW_NAT, "BOXNET-POSTROUTING", .verdict = FW_MASQUERADE,
			      .family = AF_INET6 };
	assert_int_equal(pfx_parse("fd00:1::/64", AF_INET6, &r.m.src), 0);
	strcpy(r.m.oif, "br");
	r.m.not_oif = true;
	assert_int_equal(xt_rule_encode(&r, buf, sizeof(buf)), 240);
	assert_int_equal(buf[168], 72);
	assert_int_equal(buf[199], 0);
	assert_int_equal(buf[132], 0x02); /* IP6T_INV_VIA_OUT */
	assert_int_equal(buf[131], 0);    /* no proto, no flag */
	assert_int_equal(xt_rule_decode(AF_INET6, buf, 240, &back), 0);
	assert_int_equal(back.verdict, FW_MASQUERADE);
	r.verdict = FW_SNAT;
	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &r.to_addr), 0);
	assert_int_equal(xt_rule_encode(&r, buf, sizeof(buf)), 240);
	assert_int_equal(buf[199], 1);
	assert_int_equal(xt_rule_decode(AF_INET6, buf, 240, &back), 0);
	assert_true(back.verdict == FW_SNAT && ip_eq(&back.to_addr, &r.to_addr));
	/* an IPv4 address in an IPv6 rule, and the other way round */
	r.to_addr = ip4(0x0a000001);
	assert_int_equal(xt_rule_encode(&r, buf, sizeof(buf)), -EINVAL);
	r.family = AF_INET;
	r.m.src.len = 64; /* an IPv6 prefix in an IPv4 rule */
	assert_int_equal(xt_rule_encode(&r, buf, sizeof(buf)), -EINVAL);
	/* the chain heads and tails of an ip6 table */
	assert_int_equal(xt_entry_error(AF_INET6, "BOXNET", buf), 232);
	assert_string_equal(xt_entry_errorname(AF_INET6, buf), "BOXNET");
	assert_int_equal(xt_entry_verdict(AF_INET6, -5, buf), 208);
}

/* @t serialised as it is (no boxnet edit): what `iptables -A` would commit */
static struct ipt_replace *blob_of(const struct xt_table *t)
{
	void *rep;
	size_t len;

	assert_int_equal(xt_table_blob(t, &rep, &len), 0);
	return rep;
}

/* BOXNET-USER: made empty, its rules kept by every apply, kept with its jump
 * when boxnet has nothing left while it holds rules, gone when empty */
static void user_chain_kept(void **state)
{
	struct fw_rule u = { FW_FILTER, "BOXNET-USER", .verdict = FW_DROP };
	unsigned char buf[XT_ENTRY_MAX];
	struct ipt_replace *made, *user, *again, *gone, *clean;
	struct fw_ruleset r;
	struct xt_table t;
	const struct ipt_entry *e;
	size_t p;
	int len, idx;

	assert_int_equal(fw_build(&net, 1, &port, 1, true, &r), 0);
	parse_empty(&t, FW_FILTER);
	made = set_blob(&t, &r, FW_FILTER);
	xt_table_free(&t);
	assert_int_equal(verdict(at(made, made->hook_entry[NF_INET_FORWARD])),
			 head_of(made, "BOXNET-USER") + ERR_SIZE);
	/* the user appends -s 10.9.9.9 -j DROP to it */
	reparse(&t, made);
	u.m.src = (struct ipprefix){ A(10, 9, 9, 9), 32 };
	len = xt_rule_encode(&u, buf, sizeof(buf));
	assert_true(len > 0);
	idx = xt_table_add(&t, buf, (uint32_t)len);
	for (p = 0; p < t.norder; p++) {
		const char *err = xt_entry_errorname(AF_INET, t.e[t.order[p]].b);

		if (err && !strcmp(err, "BOXNET-USER"))
			break;
	}
	assert_true(p < t.norder);
	/* jumps to the chain now land on its new first rule */
	for (size_t i = 0; i < t.n; i++)
		if (t.e[i].jump == t.order[p + 1])
			t.e[i].jump = idx;
	t.order = realloc(t.order, (t.norder + 1) * sizeof(*t.order));
	memmove(&t.order[p + 2], &t.order[p + 1], (t.norder - p - 1) * sizeof(*t.order));
	t.order[p + 1] = idx;
	t.norder++;
	user = blob_of(&t);
	xt_table_free(&t);
	/* boxnet's apply of the same rules changes nothing */
	reparse(&t, user);
	again = set_blob(&t, &r, FW_FILTER);
	xt_table_free(&t);
	assert_int_equal(again->size, user->size);
	assert_true(xt_blob_same(AF_INET, again->entries, user->entries, user->size));
	/* boxnet's rules go: the user's chain and its jump stay */
	reparse(&t, user);
	gone = set_blob(&t, &empty, FW_FILTER);
	xt_table_free(&t);
	assert_int_equal(head_of(gone, "BOXNET-FORWARD"), -1);
	e = at(gone, gone->hook_entry[NF_INET_FORWARD]);
	assert_int_equal(verdict(e), head_of(gone, "BOXNET-USER") + ERR_SIZE);
	e = at(gone, head_of(gone, "BOXNET-USER") + ERR_SIZE);
	assert_int_equal(e->ip.src.s_addr, htonl(V4(10, 9, 9, 9)));
	assert_int_equal(verdict(e), -NF_DROP - 1);
	/* and a network again: the rule is still there, the jump first */
	reparse(&t, gone);
	free(again);
	again = set_blob(&t, &r, FW_FILTER);
	xt_table_free(&t);
	assert_int_equal(again->size, user->size);
	assert_true(xt_blob_same(AF_INET, again->entries, user->entries, user->size));
	/* an empty user chain goes with the rest */
	reparse(&t, made);
	clean = set_blob(&t, &empty, FW_FILTER);
	xt_table_free(&t);
	assert_int_equal(head_of(clean, "BOXNET-USER"), -1);
	assert_int_equal(clean->num_entries, 4);
	free(made);
	free(user);
	free(again);
	free(gone);
	free(clean);
	fw_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_dnat_of_the_notes),
		cmocka_unit_test(golden_tables),
		cmocka_unit_test(golden_forms),
		cmocka_unit_test(decode_round_trip),
		cmocka_unit_test(foreign_round_trip),
		cmocka_unit_test(add_then_remove),
		cmocka_unit_test(jump_offsets),
		cmocka_unit_test(apply_twice_same),
		cmocka_unit_test(hooks_back_on_top),
		cmocka_unit_test(foreign_jump_into_boxnet),
		cmocka_unit_test(malformed_blobs),
		cmocka_unit_test(refused_rules),
		cmocka_unit_test(show_matches_save),
		cmocka_unit_test(boxnet_names),
		cmocka_unit_test(ipv6_entries),
		cmocka_unit_test(user_chain_kept),
		cmocka_unit_test(splice_ports),
	};

	return cmocka_run_group_tests_name("xt", tests, NULL, NULL);
}
