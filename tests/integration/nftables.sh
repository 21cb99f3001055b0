#!/bin/sh
# The nf_tables backend (netlink/nft*.c) driven by tests/tools/nftctl: what it
# installs is what it says (nft list = nftctl show), it keeps to its own table,
# and published ports carry real traffic.
#
#   out (10.99.1.2) --ext0/out0-- host 10.99.1.1, br0 172.30.0.1/24 --+-- c1 172.30.0.2
#                                                                      +-- c2 172.30.0.3
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=$ROOT/build/tools/nftctl
[ -x "$N" ] || make -s -C "$ROOT" build/tools/nftctl >/dev/null 2>&1
export ASAN_OPTIONS=detect_leaks=1
PIDS=""

# bg CMD...: start CMD in the background and remember its pid for cleanup
bg() { "$@" >/dev/null 2>&1 & PIDS="$PIDS $!"; }
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

# same_nft NAME WORD...: the kernel's table is exactly what nftctl show prints
same_nft() {
	local name=$1; shift
	nft list table ip boxnet >"$TMP/kernel" 2>&1
	"$N" show "$@" >"$TMP/show" 2>&1
	if cmp -s "$TMP/kernel" "$TMP/show"; then pass "$name"; else
		fail "$name" "$(diff "$TMP/show" "$TMP/kernel" | head -30)"; fi
}
# reach NAME NETNS|- EXPECTED tcp|udp ADDR:PORT: what the server answers ("" = nothing)
reach() {
	local name=$1 ns=$2 want=$3 cmd got try
	case $4 in
	tcp) cmd="echo | socat -t5 -T5 - TCP:$5,connect-timeout=5" ;;
	udp) cmd="echo q | socat -t3 -T3 - UDP:$5" ;;
	esac
	# an answer expected: up to 3 connections (new source ports) before
	# giving up, as a loaded machine may be slow to fork the server's reply
	for try in 1 2 3; do
		if [ "$ns" = - ]; then got=$(timeout 12 sh -c "$cmd" 2>/dev/null); else
			got=$(timeout 12 ip netns exec "$ns" sh -c "$cmd" 2>/dev/null); fi
		[ -z "$want" ] || [ "$got" = "$want" ] && break
	done
	if [ "$got" = "$want" ]; then pass "$name"; else fail "$name" "want: $want" "got: $got"; fi
}

if ! "$N" available; then fail "nf_tables answers GETGEN"; finish; fi

# --- topology ------------------------------------------------------------------
echo 1 >/proc/sys/net/ipv4/ip_forward
ip link add br0 type bridge && ip addr add 172.30.0.1/24 dev br0 && ip link set br0 up
for c in c1:2 c2:3; do
	n=${c%:*} a=${c#*:}
	ip netns add $n
	ip link add v$n type veth peer name eth0 netns $n
	ip link set v$n master br0 up
	ip -n $n addr add 172.30.0.$a/24 dev eth0
	ip -n $n link set eth0 up
	ip -n $n link set lo up
	ip -n $n route add default via 172.30.0.1
done
bridge link set dev vc1 hairpin on
bridge link set dev vc2 hairpin on
sysctl -qw net.ipv4.conf.br0.route_localnet=1
ip netns add out
ip link add ext0 type veth peer name out0 netns out
ip addr add 10.99.1.1/24 dev ext0 && ip link set ext0 up
ip -n out addr add 10.99.1.2/24 dev out0 && ip -n out link set out0 up
ip -n out link set lo up
# servers in c1: tcp 80, 8000-8002, 7000-7001; udp 53 (echo); udp 54 (log)
bg ip netns exec c1 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo c1-80'
for p in 8000 8001 8002 7000 7001 22; do
	bg ip netns exec c1 socat TCP-LISTEN:$p,fork,reuseaddr SYSTEM:"echo c1-$p"
done
# reads the request first (see firewall.body's UDP servers)
bg ip netns exec c1 socat UDP-RECVFROM:53,fork SYSTEM:'read -r q; echo c1-udp53'
bg ip netns exec c1 socat -u UDP-RECV:54 OPEN:"$TMP/udp54.log",creat,append
wait_for ip netns exec c1 sh -c 'ss -ltn | grep -q ":7001 "'

NET=net:br0:172.30.0.0/24
P80=port:tcp:0.0.0.0:8080:172.30.0.2:80:br0
PU=port:udp:0.0.0.0:5353:172.30.0.2:53:br0
PR=port:tcp:0.0.0.0:8000-8002:172.30.0.2:8000-8002:br0
PS=port:tcp:0.0.0.0:9000-9001:172.30.0.2:7000-7001:br0
PL=port:tcp:127.0.0.1:8081:172.30.0.2:80:br0
P81=port:tcp:0.0.0.0:8085:172.30.0.2:80:br0

# --- (b) another table, before and after ------------------------------------------
nft add table inet other
nft add chain inet other input '{ type filter hook input priority 10; policy accept; }'
nft add rule inet other input tcp dport 4444 counter accept
nft add set inet other blocked '{ type ipv4_addr; elements = { 192.0.2.1 } }'
nft list table inet other >"$TMP/other.before"
same_other() { nft list table inet other | cmp -s - "$TMP/other.before" && pass "$1" || fail "$1"; }

# --- (a), (c) text, replace, idempotence ----------------------------------------------
ok "apply a network with ports" "$N" apply $NET $P80 $PU $PR $PS $PL
same_nft "nft list = show after apply" $NET $P80 $PU $PR $PS $PL
nft list table ip boxnet >"$TMP/first"
ok "apply the same again" "$N" apply $NET $P80 $PU $PR $PS $PL
testing "applying twice gives the same table" "nft list table ip boxnet | cmp - $TMP/first && echo same" "same
rc=0"
same_other "the other table survives apply"
ok "port-add a port sharing a container port" "$N" port-add $P81
same_nft "nft list = show after port-add" $NET $P80 $PU $PR $PS $PL $P81
testing "port-add of a taken key is EEXIST" "$N port-add $P81 2>&1 | sed 's/.*: //'" "File exists
rc=0"
testing "port-add of a port inside a published range is refused" \
	"$N port-add port:tcp:0.0.0.0:8001:172.30.0.3:80:br0 >/dev/null 2>&1; echo \$?" "3
rc=0"
testing "port-add of an overlapping range is refused" \
	"$N port-add port:tcp:0.0.0.0:8002-8005:172.30.0.3:8002-8005:br0 >/dev/null 2>&1; echo \$?" "3
rc=0"
ok "port-del the first of the two sharing one container port" "$N" port-del $P80
same_nft "nft list = show after port-del (shared element kept)" $NET $PU $PR $PS $PL $P81
testing "port-del of a port not there fails" "$N port-del $P80 >/dev/null 2>&1; echo \$?" "1
rc=0"
same_nft "a failed batch changes nothing" $NET $PU $PR $PS $PL $P81
same_other "the other table survives port-add/port-del"

# --- (d) traffic -------------------------------------------------------------------
reach "outside -> host:8085 -> c1:80 (tcp)" out c1-80 tcp 10.99.1.1:8085
reach "outside -> host:8080 after its port-del: refused" out "" tcp 10.99.1.1:8080
ok "port-add 8080 back" "$N" port-add $P80
same_nft "nft list = show after port-add back" $NET $PU $PR $PS $PL $P81 $P80
reach "outside -> host:8080 -> c1:80 (tcp)" out c1-80 tcp 10.99.1.1:8080
reach "outside -> host:5353 -> c1:53 (udp)" out c1-udp53 udp 10.99.1.1:5353
reach "outside -> host:8001 -> c1:8001 (range, same ports)" out c1-8001 tcp 10.99.1.1:8001
reach "outside -> host:9001 -> c1:7001 (shifted range)" out c1-7001 tcp 10.99.1.1:9001
reach "host -> 127.0.0.1:8081 -> c1:80" - c1-80 tcp 127.0.0.1:8081
reach "host -> its own 10.99.1.1:8080 -> c1:80" - c1-80 tcp 10.99.1.1:8080
reach "c2 -> host 10.99.1.1:8080 -> c1:80 (hairpin)" c2 c1-80 tcp 10.99.1.1:8080
reach "c1 -> host 10.99.1.1:8080 -> itself (hairpin port)" c1 c1-80 tcp 10.99.1.1:8080
reach "outside -> host:8082 (not published): nothing" out "" tcp 10.99.1.1:8082
ip -n out route add 172.30.0.0/24 via 10.99.1.1
reach "outside -> c1:22 directly (routed): dropped" out "" tcp 172.30.0.2:22
# a published container port is open only to connections DNAT'ed to it
reach "outside -> c1:80 (published) directly (routed): dropped" out "" tcp 172.30.0.2:80
# the same without the network's accept's "ct status dnat" (no port has a
# filter rule): proves the check above can fail
PUB='iifname != "br0" oifname "br0"'
h=$(nft -a list chain ip boxnet BOXNET | sed -n 's/.*oifname "br0" ct status dnat accept # handle \([0-9]*\)$/\1/p')
nft replace rule ip boxnet BOXNET handle "$h" $PUB accept
reach "(control) without ct status dnat it gets through" out c1-80 tcp 172.30.0.2:80
nft replace rule ip boxnet BOXNET handle "$h" $PUB ct status dnat accept
same_nft "nft list = show with the rule put back" $NET $PU $PR $PS $PL $P81 $P80
reach "outside -> c1:80 directly dropped again" out "" tcp 172.30.0.2:80
sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.ext0.route_localnet=1
ip netns exec out sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.out0.route_localnet=1
# out's own 127/8 routes (of lo's address) would win: without them 127.0.0.1 goes to the host
ip -n out addr del 127.0.0.1/8 dev lo
ip -n out route add 127.0.0.1/32 via 10.99.1.1
reach "outside -> 127.0.0.1:8081 via the host: dropped" out "" tcp 127.0.0.1:8081
# the same with boxnet's 127/8 drop removed: proves the check above can fail
h=$(nft -a list chain ip boxnet BOXNET-RAW | sed -n 's/.*127.0.0.0.8.*handle \([0-9]*\)$/\1/p')
nft delete rule ip boxnet BOXNET-RAW handle "$h"
reach "(control) without the raw drop it gets through" out c1-80 tcp 127.0.0.1:8081
ok "apply restores the table" "$N" apply $NET $P80 $PU $PR $PS $PL
reach "outside -> 127.0.0.1:8081 dropped again" out "" tcp 127.0.0.1:8081

# icc=false: the network's DNAT accept keeps the iptables rule's "! -i BRIDGE"
ok "apply with icc off" "$N" apply $NET:noicc $P80
same_nft "nft list = show (icc off)" $NET:noicc $P80
reach "icc off: outside -> host:8080 still reaches c1" out c1-80 tcp 10.99.1.1:8080
reach "icc off: c2 -> host:8080 -> c1 is dropped" c2 "" tcp 10.99.1.1:8080

# --- (e) a UDP flow that started before the port was published ---------------------------
ok "apply without udp 5400" "$N" apply $NET $P80
bg ip netns exec out socat -u SYSTEM:'while true; do echo ping; sleep 0.05; done' \
	UDP-SENDTO:10.99.1.1:5400,sourceport=40000
ok "the flow runs before the port is published" wait_for grep -q ' dport=5400 ' /proc/net/nf_conntrack
testing "before publishing: nothing reaches c1:54" "wc -c <$TMP/udp54.log 2>/dev/null || echo 0" "0
rc=0"
rx0=$(cat /sys/class/net/ext0/statistics/rx_packets)
ok "port-add udp 5400 -> c1:54" "$N" port-add port:udp:0.0.0.0:5400:172.30.0.2:54:br0
# the old flow goes on past the new rule: ten more packets came in
ok "the flow goes on after port-add" wait_for sh -c "[ \$(cat /sys/class/net/ext0/statistics/rx_packets) -ge $((rx0 + 10)) ]"
testing "without a conntrack flush the old flow still misses c1" \
	"wc -c <$TMP/udp54.log 2>/dev/null || echo 0" "0
rc=0"
testing "ct-flush-udp deletes the flow's entry" "$N ct-flush-udp 5400 | awk '\$1 >= 1 {print \"some\"}'" "some
rc=0"
ok "after the flush the flow reaches c1" wait_for sh -c "[ -s $TMP/udp54.log ]"

# --- (c) empty apply ------------------------------------------------------------------
ok "empty apply" "$N" apply
testing "empty apply deleted the table" "nft list table ip boxnet >/dev/null 2>&1; echo \$?" "1
rc=0"
ok "empty apply with no table is fine" "$N" apply
same_other "the other table survives the table's deletion"
reach "no table: outside -> host:8080 no longer reaches c1" out "" tcp 10.99.1.1:8080

# --- (f) timing (printed, not asserted) --------------------------------------------------
bench() {
	local out
	out=$("$N" bench "$@" 2>&1) && pass "bench $*" || fail "bench $*" "$out"
	echo "nftables timing: $out"
}
for n in 1 100 1000; do bench $n 20; done
bench 1000 20 ranges
"$N" apply
finish
