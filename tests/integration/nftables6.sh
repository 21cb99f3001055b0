#!/bin/sh
# The nf_tables backend's IPv6 half (table ip6 boxnet, netlink/fw/nft*.c)
# driven by tests/tools/nftctl with dual-stack and IPv6-only networks:
# nft list ruleset = nftctl show (both tables), the host's own tables
# untouched, ports added and taken one at a time, removal leaves nothing,
# and real IPv6 traffic through the maps (fw6traffic.body: DNAT, NAT66,
# routed mode; here also single ports added and taken on the live table).
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=$ROOT/build/tools/nftctl
[ -x "$N" ] || make -s -C "$ROOT" build/tools/nftctl >/dev/null 2>&1
export ASAN_OPTIONS=detect_leaks=1
if ! "$N" available; then fail "nf_tables answers GETGEN"; finish; fi

S1="net:br-a:172.18.0.0/16 net:br-a:[fd00:1::/64]
    port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a port:tcp:[::]:8080:[fd00:1::2]:80:br-a
    port:udp:[2001:db8:99::1]:5353:[fd00:1::3]:53:br-a
    port:sctp:[::]:9000-9010:[fd00:1::2]:9000-9010:br-a
    port:tcp:[2001:db8:99::1]:7000-7002:[fd00:1::4]:7000-7002:br-a
    port:tcp:[::]:6000-6001:[fd00:1::5]:80-81:br-a
    net:br-b:[fd00:2::/64]:internal:noicc net:br-c:[2001:db8:3::/64]:noicc:nomasq"
S1=$(echo $S1)

# same_nft NAME WORD...: the kernel's rule set is exactly what nftctl show prints
# (with the host's own tables left out)
same_nft() {
	local name=$1; shift
	{ nft list table ip boxnet; nft list table ip6 boxnet; } >"$TMP/kernel" 2>/dev/null
	"$N" show "$@" >"$TMP/show" 2>&1
	if cmp -s "$TMP/kernel" "$TMP/show"; then pass "$name"; else
		fail "$name" "$(diff "$TMP/show" "$TMP/kernel" | head -30)"; fi
}

# --- the host's own tables ------------------------------------------------------
nft add table ip6 host6
nft add chain ip6 host6 fw6 '{ type filter hook forward priority 10; policy accept; }'
nft add rule ip6 host6 fw6 ip6 saddr 2001:db8:77::/48 counter accept
nft add table inet hostinet
nft add chain inet hostinet in '{ type filter hook input priority 0; policy accept; }'
nft add rule inet hostinet in meta l4proto ipv6-icmp accept
nft list ruleset >"$TMP/host"

ok "apply a dual-stack rule set" "$N" apply $S1
same_nft "nft lists exactly nftctl's tables ip and ip6 boxnet" $S1
testing "nft list ruleset: the host's tables, then ip boxnet, then ip6 boxnet" \
	"nft list tables" "table ip6 host6
table inet hostinet
table ip boxnet
table ip6 boxnet
rc=0"
testing "the IPv6 DNAT maps skip link-local sources" \
	"nft list chain ip6 boxnet nat-BOXNET | grep -c 'ip6 saddr != fe80::/10 dnat'" "4
rc=0"
testing "NAT66 for the ULA network, none for the routed one" \
	"nft list chain ip6 boxnet BOXNET-POSTROUTING | grep -c 'oifname != .* masquerade'" "1
rc=0"
ok "a v6 port added on its own" "$N" port-add "port:tcp:[::]:5555:[fd00:1::9]:55:br-a"
same_nft "... is in the ip6 maps as apply would have put it" $S1 "port:tcp:[::]:5555:[fd00:1::9]:55:br-a"
testing "... and not in the ip table" "nft list table ip boxnet | grep -c 5555" "0
rc=1"
ok "a v6 host-address port added on its own" "$N" port-add "port:udp:[2001:db8:99::1]:5354:[fd00:1::9]:53:br-a"
ok "taken again" "$N" port-del "port:udp:[2001:db8:99::1]:5354:[fd00:1::9]:53:br-a"
ok "the first taken again" "$N" port-del "port:tcp:[::]:5555:[fd00:1::9]:55:br-a"
same_nft "after add and del the tables are as applied" $S1
testing "taking a v6 port that is not there: ENOENT, nothing changed" \
	"$N port-del 'port:tcp:[::]:5556:[fd00:1::9]:55:br-a' 2>/dev/null" "rc=1"
same_nft "... exactly" $S1

# --- BOXNET-USER of ip6 boxnet: the user's rules are kept -----------------------
ok "a user's rule in ip6 BOXNET-USER" \
	nft add rule ip6 boxnet BOXNET-USER ip6 saddr 2001:db8:66::/48 counter drop
ok "apply the same again" "$N" apply $S1
testing "... the user's rule survives it" \
	"nft list chain ip6 boxnet BOXNET-USER | grep -c 'ip6 saddr 2001:db8:66::/48 counter packets 0 bytes 0 drop'" "1
rc=0"
testing "... and ip6 FORWARD jumps to BOXNET-USER first" \
	"nft list chain ip6 boxnet filter-FORWARD | grep -m1 jump | tr -d '\t'" "jump BOXNET-USER
rc=0"
testing "... the ip table's BOXNET-USER stays empty" \
	"nft list chain ip boxnet BOXNET-USER | grep -c drop" "0
rc=1"
ok "apply IPv4 only" "$N" apply net:br-a:172.18.0.0/16
testing "the ip6 table keeps the user's rule and its jump" \
	"nft list table ip6 boxnet | grep -c -e 'jump BOXNET-USER' -e 'ip6 saddr 2001:db8:66::/48 counter packets 0 bytes 0 drop'" "2
rc=0"
testing "... and no network's rules (the port maps are empty)" \
	"nft list table ip6 boxnet | grep -c -e 'jump BOXNET-FORWARD' -e masquerade -e elements" "0
rc=1"
ok "the user empties ip6 BOXNET-USER" nft flush chain ip6 boxnet BOXNET-USER
ok "apply IPv4 only" "$N" apply net:br-a:172.18.0.0/16
testing "the ip6 table is gone with the last IPv6 network" "nft list tables | grep -c 'ip6 boxnet'" "0
rc=1"
ok "apply nothing" "$N" apply
testing "removal leaves the host's tables exactly" "nft list ruleset | cmp - $TMP/host && echo same" "same
rc=0"

# --- real IPv6 traffic (fw6traffic.body) ----------------------------------------
fw6() { "$N" "$@"; }
fw6_extra() {
	ok "publish 8081 -> 81 on its own" "$N" port-add "port:tcp:[2001:db8:99::1]:8081:[fd00:1::2]:81:br-a"
	testing "the added port answers" "get out 2001:db8:99::1 8081" "web81
rc=0"
	ok "withdraw it" "$N" port-del "port:tcp:[2001:db8:99::1]:8081:[fd00:1::2]:81:br-a"
	testing "the withdrawn port is closed" "get out 2001:db8:99::1 8081" "rc=1"
	# a UDP flow that started before its port was published: its conntrack
	# entry (to the host itself) must go for the DNAT to apply
	ip netns exec ctr socat -u UDP6-RECV:54 OPEN:$TMP/udp54.log,creat,append & P4=$!
	wait_for sh -c "ip netns exec ctr ss -lun | grep -q ':54 '"
	send="ip netns exec out sh -c 'echo ping | socat -u - UDP6-SENDTO:[2001:db8:99::1]:5400,sourceport=40000'"
	ok "a first datagram to the unpublished UDP port" sh -c "$send"
	ok "publish udp 5400 -> ctr:54" "$N" port-add "port:udp:[::]:5400:[fd00:1::2]:54:br-a"
	testing "ct-flush-udp finds and deletes the flow's IPv6 entry" \
		"$N ct-flush-udp 5400 | awk '\$1 >= 1 {print \"some\"}'" "some
rc=0"
	ok "after the flush the flow reaches the container" wait_for sh -c "$send; [ -s $TMP/udp54.log ]"
	kill $P4 2>/dev/null
	"$N" port-del "port:udp:[::]:5400:[fd00:1::2]:54:br-a"
}
. "$(dirname "$0")/fw6traffic.body"
testing "removal leaves the host's tables exactly" "nft list ruleset | cmp - $TMP/host && echo same" "same
rc=0"

finish
