#!/bin/sh
# The legacy iptables backend (netlink/xt.c) against the real kernel, driven
# through the test tool build/tools/fwctl (make build/tools/fwctl), with
# iptables-legacy and iptables-legacy-save as the oracle. Everything runs in
# the sandbox of lib.sh: the tables seen here are the sandbox netns' own.
#
#   (a) what boxnet installs reads back as fwctl's iptables-save text
#   (b) other chains and rules, added before and after, stay byte-identical
#   (c) apply twice = no replace; fewer networks; empty = as before boxnet
#   (d) real traffic through the DNAT and the filter:
#
#     netns out                 sandbox netns ("host")               netns ctr
#     eth0 10.99.0.2/24 --- veth-o 10.99.0.1/24    br-a 172.18.0.1/16 --- eth0 172.18.0.2/16
#                                                                        socat :80 (published
#                                                                        as 8080), :81 (not)
#   (e) iptables-legacy -w appending while fwctl applies loses nothing
. "$(dirname "$0")/lib.sh"

FWCTL=${FWCTL:-$(cd "$(dirname "$0")/../.." && pwd)/build/tools/fwctl}
if [ ! -x "$FWCTL" ]; then
	fail "no $FWCTL: run make build/tools/fwctl first"; finish
fi
if ! command -v iptables-legacy-save >/dev/null || ! "$FWCTL" iptables available; then
	echo "SKIP: $T_NAME: no iptables-legacy or no legacy x_tables in this kernel"; finish
fi

TABLES="raw filter nat"
S1="net:br-a:172.18.0.0/16 port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a
    net:br-b:172.19.0.0/16:internal:noicc net:br-c:172.20.0.0/16:noicc:nomasq
    port:udp:127.0.0.1:5353:172.20.0.3:53:br-c net:br-d:172.21.0.0/16:snat=10.99.0.1
    port:sctp:10.99.0.1:9000-9010:172.21.0.2:7000-7010:br-d
    port:tcp:0.0.0.0:8000-8010:172.18.0.3:8000-8010:br-a"
S1=$(echo $S1) # one line: the checks below eval it
S2="net:br-a:172.18.0.0/16 port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a"
BUILTIN='(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)'
BOXNET_LINE="^(\[[0-9]+:[0-9]+\] )?(:BOXNET[ -]|-A BOXNET[ -]|-A $BUILTIN .*-j BOXNET(-[A-Z]+)?\$)"

fw() { "$FWCTL" iptables "$@"; }
# one table as iptables-legacy-save prints it, without comments and counters
save() { iptables-legacy-save -t "$1" | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'; }
save_all() { for t in $TABLES; do save $t; done; }
# the same with the counters of every rule and chain
save_c() { for t in $TABLES; do iptables-legacy-save -c -t $t; done | grep -v '^#'; }
# fwctl's text for one table of scenario $2
show() { fw show $2 | sed -n "/^\*$1\$/,/^COMMIT\$/p"; }
# boxnet's lines only, and everything else
boxnet_part() { save "$1" | grep -E "^(\*|COMMIT\$)|$BOXNET_LINE"; }
show_part() { show "$1" "$2" | grep -E "^(\*|COMMIT\$)|$BOXNET_LINE"; }
foreign_part() { iptables-legacy-save -c -t "$1" | grep -v '^#' | grep -vE "$BOXNET_LINE"; }
# replaces SCENARIO: apply it; print how many IPT_SO_SET_REPLACE it sent; fwctl's rc
replaces() {
	local rc
	# LeakSanitizer cannot run under strace
	ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=setsockopt -o "$TMP/strace" \
		"$FWCTL" iptables apply "$@" >/dev/null 2>&1
	rc=$?
	grep -c 'IPT_SO_SET_REPLACE' "$TMP/strace"
	return $rc
}
reset_tables() {
	for t in $TABLES; do iptables-legacy -t $t -F; iptables-legacy -t $t -X; done
	iptables-legacy -P FORWARD ACCEPT
}

# --- (a) boxnet's rules as the kernel holds them ------------------------------
save_all >"$TMP/pristine"
testing "a first apply replaces the three tables" "replaces $S1" "3
rc=0"
for t in $TABLES; do
	same_output "$t: iptables-legacy-save shows exactly fwctl's rules" "save $t" "show $t \"\$S1\""
done
same_output "fwctl kernel (decoded from the blob) = fwctl show" "fw kernel" "fw show $S1"
testing "libiptc reads boxnet's chains" "iptables-legacy -S BOXNET-FORWARD | head -1" \
	"-N BOXNET-FORWARD
rc=0"
iptables-legacy -A BOXNET-FORWARD -j LOG
testing "a hand-made rule in a boxnet chain shows as not boxnet's" \
	"fw kernel | grep -c '^# -A BOXNET-FORWARD: '" "1
rc=0"
fw apply $S1
same_output "apply puts the boxnet chain right again" "save filter" "show filter \"\$S1\""

# --- (c) idempotence, fewer networks, removal --------------------------------
save_c >"$TMP/before"
testing "applying the same rule set again replaces no table" "replaces $S1" "0
rc=0"
same_output "... and changes nothing, counters included" "cat $TMP/before" "save_c"
ok "apply fewer networks" fw apply $S2
testing "the removed networks left no rule" \
	"save_all | grep -cE 'br-[bcd]|172\\.(19|20|21)\\.|9000|5353'" "0
rc=1"
for t in $TABLES; do
	same_output "$t: the smaller rule set reads back exactly" "save $t" "show $t \"\$S2\""
done
ok "apply nothing" fw apply
same_output "nothing applied: the tables are as before boxnet" "cat $TMP/pristine" "save_all"
testing "nothing applied again replaces no table" "replaces" "0
rc=0"

# --- (b) foreign chains and rules around boxnet's ----------------------------
iptables-legacy -P FORWARD DROP
iptables-legacy -N USER
iptables-legacy -A USER -s 10.9.0.0/16 -m comment --comment "keep me" -j ACCEPT
iptables-legacy -A USER -p tcp -m multiport --dports 22,80,443 -j LOG --log-prefix "fw: "
iptables-legacy -A FORWARD -j USER
iptables-legacy -A INPUT -i eth9 -c 5 500 -j DROP
iptables-legacy -N AAA
iptables-legacy -A AAA -s 10.0.0.0/8
iptables-legacy -N ZZZ
iptables-legacy -A FORWARD -g ZZZ
iptables-legacy -t nat -A PREROUTING -p udp --dport 53 -j REDIRECT --to-ports 5353
iptables-legacy -t nat -A POSTROUTING -s 10.8.0.0/16 -j MASQUERADE
iptables-legacy -t raw -A PREROUTING -p icmp -j CT --notrack
iptables-legacy -t raw -A OUTPUT -o lo -j ACCEPT
save_c >"$TMP/foreign1"
for t in $TABLES; do foreign_part $t; done >"$TMP/f1"
ok "apply next to foreign rules" fw apply $S1
for t in $TABLES; do
	same_output "$t: foreign rules and counters survive the apply" \
		"sed -n '/^\\*$t\$/,/^COMMIT\$/p' $TMP/f1" "foreign_part $t"
	same_output "$t: boxnet's part is exact next to them" "boxnet_part $t" "show_part $t \"\$S1\""
done
testing "boxnet's hooks are FORWARD's first rules, the user's chain first" "iptables-legacy -S FORWARD | sed -n 2,3p" \
	"-A FORWARD -j BOXNET-USER
-A FORWARD -j BOXNET-FORWARD
rc=0"
# after boxnet: above its hook, below, in a user chain, a new user chain
iptables-legacy -I FORWARD 1 -s 10.7.0.0/16 -j ACCEPT
iptables-legacy -A FORWARD -m comment --comment after -j ACCEPT
iptables-legacy -A USER -j RETURN
iptables-legacy -t nat -N MYNAT
iptables-legacy -t nat -A MYNAT -d 10.1.1.1/32 -j RETURN
iptables-legacy -t nat -I POSTROUTING 1 -j MYNAT
for t in $TABLES; do foreign_part $t; done >"$TMP/f2"
ok "apply again after more foreign rules" fw apply $S1
same_output "foreign rules added after boxnet survive" "cat $TMP/f2" \
	"for t in $TABLES; do foreign_part \$t; done"
testing "boxnet's hooks are back on top" \
	"iptables-legacy -S FORWARD | sed -n 2,3p; iptables-legacy -t nat -S POSTROUTING | sed -n 2p" \
	"-A FORWARD -j BOXNET-USER
-A FORWARD -j BOXNET-FORWARD
-A POSTROUTING -j BOXNET-POSTROUTING
rc=0"
ok "apply fewer networks next to foreign rules" fw apply $S2
same_output "foreign rules survive a smaller rule set" "cat $TMP/f2" \
	"for t in $TABLES; do foreign_part \$t; done"
iptables-legacy -A USER -j BOXNET-CT
fw apply $S1
testing "a foreign jump into a boxnet chain follows it" "iptables-legacy -S USER | grep -c BOXNET-CT" \
	"1
rc=0"
save_c >"$TMP/held"
testing "... and keeps boxnet from removing that chain" "fw apply 2>&1 | grep -c 'jumps into a boxnet chain'" \
	"1
rc=0"
same_output "a refused removal leaves the filter table alone" "sed -n '/^\\*filter/,/^COMMIT/p' $TMP/held" \
	"save_c | sed -n '/^\\*filter/,/^COMMIT/p'"
iptables-legacy -D USER -j BOXNET-CT
ok "remove boxnet's rules next to foreign ones" fw apply
same_output "all foreign rules and counters are as they were, no trace of boxnet" \
	"cat $TMP/f2" "save_c"
testing "a foreign rule keeps its counters through every replace" \
	"iptables-legacy-save -c -t filter | grep -- '-i eth9'" "[5:500] -A INPUT -i eth9 -j DROP
rc=0"
testing "the foreign policy is kept" "iptables-legacy -S FORWARD | head -1" "-P FORWARD DROP
rc=0"

# --- (d) real traffic ---------------------------------------------------------
reset_tables
ip link add br-a type bridge && ip addr add 172.18.0.1/16 dev br-a && ip link set br-a up
ip netns add ctr
ip link add veth-c type veth peer name eth0 netns ctr
ip link set veth-c master br-a up
ip -n ctr addr add 172.18.0.2/16 dev eth0 && ip -n ctr link set eth0 up && ip -n ctr link set lo up
ip -n ctr route add default via 172.18.0.1
ip netns add out
ip link add veth-o type veth peer name eth0 netns out
ip addr add 10.99.0.1/24 dev veth-o && ip link set veth-o up
ip -n out addr add 10.99.0.2/24 dev eth0 && ip -n out link set eth0 up
ip -n out route add default via 10.99.0.1
echo 1 >/proc/sys/net/ipv4/ip_forward
ip netns exec ctr socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo web80' & P1=$!
ip netns exec ctr socat TCP-LISTEN:81,fork,reuseaddr SYSTEM:'echo web81' & P2=$!
ip netns exec out socat TCP-LISTEN:7777,fork,reuseaddr SYSTEM:'echo \$SOCAT_PEERADDR' & P3=$!
trap 'kill $P1 $P2 $P3 2>/dev/null' EXIT
listening() { ip netns exec "$1" ss -ltn | grep -q ":$2 "; }
wait_for listening ctr 80; wait_for listening ctr 81; wait_for listening out 7777
# get NS HOST PORT: one line from a TCP server, 5 s at most
get() { ip netns exec "$1" socat -t5 -T5 - "TCP:$2:$3,connect-timeout=5" </dev/null 2>/dev/null; }
here() { socat -t5 -T5 - "TCP:$1:$2,connect-timeout=5" </dev/null 2>/dev/null; }

testing "without boxnet the unpublished port is reachable (the network works)" \
	"get out 172.18.0.2 81" "web81
rc=0"
ok "apply one network with 8080 published to port 80" fw apply $S2
testing "the published port answers from outside" "get out 10.99.0.1 8080" "web80
rc=0"
testing "the unpublished port is not reachable from outside" "get out 172.18.0.2 81" "rc=1"
testing "the container is not reachable directly, even on the published port" \
	"get out 172.18.0.2 80" "rc=1"
# the same without the network's accept's "-m conntrack --ctstate DNAT" (the
# first rule of BOXNET: no port has a filter rule): proves that the check
# above can fail (only connections DNAT'ed to it are let in)
iptables-legacy -R BOXNET 1 ! -i br-a -o br-a -j ACCEPT
testing "(control) without --ctstate DNAT the container's port is reachable directly" \
	"get out 172.18.0.2 80" "web80
rc=0"
ok "apply puts the published rule right again" fw apply $S2
same_output "filter: iptables-legacy-save shows exactly fwctl's rules again" "save filter" \
	"show filter \"\$S2\""
testing "... and the container is not reachable directly again" "get out 172.18.0.2 80" "rc=1"
testing "the host reaches the published port on its own address" "here 10.99.0.1 8080" "web80
rc=0"
testing "the container's traffic out is masqueraded" "get ctr 10.99.0.2 7777" "10.99.0.1
rc=0"
testing "an unpublished host port is not forwarded" "get out 10.99.0.1 8081" "rc=1"
ok "apply nothing" fw apply
testing "without boxnet the published port is gone" "get out 10.99.0.1 8080" "rc=1"
testing "... and the container is reachable directly again" "get out 172.18.0.2 81" "web81
rc=0"

# --- (e) iptables-legacy -w appending while boxnet applies --------------------
fw apply $S1
(
	for i in $(seq 1 60); do
		iptables-legacy -w -A INPUT -s 10.55.$i.0/24 -j ACCEPT || echo "fail $i"
		iptables-legacy -w -t nat -A POSTROUTING -s 10.56.$i.0/24 -j RETURN || echo "fail nat $i"
	done >"$TMP/loop.out" 2>&1
) & LOOP=$!
fails=0
for i in $(seq 1 30); do
	if [ $((i % 2)) = 0 ]; then fw apply $S1 || fails=$((fails + 1)); else fw apply $S2 || fails=$((fails + 1)); fi
done
wait $LOOP
fw apply $S2 || fails=$((fails + 1))
testing "every apply succeeded while iptables-legacy was busy" "echo $fails" "0
rc=0"
testing "every iptables-legacy -w call succeeded" "cat $TMP/loop.out" "rc=0"
testing "no filter rule of iptables-legacy was lost" "iptables-legacy -S INPUT | grep -c '10\\.55\\.'" "60
rc=0"
testing "no nat rule of iptables-legacy was lost" \
	"iptables-legacy -t nat -S POSTROUTING | grep -c '10\\.56\\.'" "60
rc=0"
for t in $TABLES; do
	same_output "$t: boxnet's part is exact after the race" "boxnet_part $t" "show_part $t \"\$S2\""
done

# A writer that ignores the lock (another lock file): the kernel's EAGAIN on
# a changed entry count is all that protects either side. Its commits that
# succeeded must all be there; its failures are its own (it does not retry).
(
	for i in $(seq 1 60); do
		XTABLES_LOCKFILE=/run/other.lock iptables-legacy -A OUTPUT -d 10.57.$i.0/24 -j ACCEPT \
			2>/dev/null && echo "ok $i"
	done >"$TMP/unlocked.out"
) & LOOP=$!
fails=0
for i in $(seq 1 30); do
	if [ $((i % 2)) = 0 ]; then fw apply $S1 || fails=$((fails + 1)); else fw apply $S2 || fails=$((fails + 1)); fi
done
wait $LOOP
testing "every apply succeeded next to an unlocked writer" "echo $fails" "0
rc=0"
# (a call that failed may have committed its rule all the same: libiptc
# replaces the table, then adds the old counters in a second call, and a
# replace of ours in between fails that one; seen once in a stress run)
iptables-legacy -S OUTPUT | sed -n 's/.* -d 10\.57\.\([0-9]*\)\.0\/24 .*/ok \1/p' >"$TMP/there"
testing "every rule the unlocked writer committed is there" \
	"grep -c ok $TMP/unlocked.out | awk '\$1 > 0 { print \"some\" }'; grep -vxF -f $TMP/there $TMP/unlocked.out" "some
rc=1"

finish
