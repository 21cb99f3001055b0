#!/bin/sh
# once: a slow scenario, run once, in a shared lane, against the first binary of run.sh
# Every mutating applet killed (SIGKILL injected by strace) at every netlink
# send, every rename and every hard link it makes (the hosts set files), in turn. After each kill the next mutating
# command must leave state and kernel agreeing (consistent below), and the
# command must then run again successfully.
#
# For each case: one successful run under strace counts the sendto, sendmsg,
# rename, renameat, link and linkat calls it makes (N of each); then for each call and
# n = 1..N: bring the precondition back, run the command with a kill at its
# n-th such call, repair (netdisconnect -f kp nosuch), check, run it again.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
SYSCALLS="sendto sendmsg rename renameat link linkat"
# LeakSanitizer cannot run under ptrace: leaks are the other scripts' business
traced() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace "$@"; }

. "$(dirname "$0")/consistent.body"

# --- the world: an anchor network kp that always has c0, namespaces reused -----------
NETNS="c0 c1 c2 c3"
for c in $NETNS; do ip netns add $c; done
OWNLINKS="ul0 ul1"
ip link add ul0 type veth peer name ul1
ip link set ul1 up
ip addr add 10.200.0.1/24 dev ul0
ip addr add fd99::1/64 dev ul0 nodad
ip link set ul0 up
unshare --net sleep infinity &
PID=$!
own=$(readlink /proc/self/ns/net)
wait_for sh -c "[ -e /proc/$PID/ns/net ] && [ \"\$(readlink /proc/$PID/ns/net)\" != '$own' ]"

export BOXNET_FIREWALL=iptables
bx netcreate kp >/dev/null
bx netconnect kp c0
bx netcreate kv >/dev/null
bx netconnect kv c2
ok "the start is consistent" consistent

VX="--vni 42 --remote 10.200.0.2 --dev ul0"
has() { [ -e "$R/$1" ]; }
# pre_CASE: the precondition of CASE, from whatever state the last step left
pre_netcreate() { ! has networks/kc || bx netrm kc; }
pre_netrm() { has networks/kc || bx netcreate kc; }
pre_netprune() { { has networks/kc || bx netcreate kc; } && { has networks/kd || bx netcreate --internal kd; }; }
pre_netconnect() { bx netdisconnect -f kp c1; }
pre_netconnect_pid() {
	bx netdisconnect -f kp adopted && { [ ! -e /run/netns/adopted ] || ip netns del adopted; }
}
pre_netdisconnect() { has endpoints/kp/c1 || bx netconnect kp c1; }
# c2 alone on kv joins kp, and leaves it: its hosts set file is rewritten
# in place and renamed (a kill between the two is repaired)
pre_netconnect_second() { bx netdisconnect -f kp c2; }
pre_netdisconnect_second() { has endpoints/kp/c2 || bx netconnect kp c2; }
pre_portfwd_add() { pre_netdisconnect && bx portfwd del c1; }
pre_portfwd_del() {
	pre_netdisconnect && { [ -n "$(ls $R/ports)" ] || bx portfwd add c1 8080:80 9000-9001:9000-9001/udp; }
}
pre_vxlan_add() { ! has vxlan/kv || bx vxlan del kv; }
pre_vxlan_del() { has vxlan/kv || bx vxlan add kv $VX; }
pre_vxlan_peer_add() { pre_vxlan_del && { ! grep -qx peer=10.200.0.3 $R/vxlan/kv || bx vxlan peer del kv 10.200.0.3; }; }
pre_vxlan_peer_del() { pre_vxlan_del && { grep -qx peer=10.200.0.3 $R/vxlan/kv || bx vxlan peer add kv 10.200.0.3; }; }
pre_netrm_vxlan() {
	{ has networks/kx || bx netcreate kx; } && { has vxlan/kx || bx vxlan add kx --vni 43 --remote 10.200.0.4 --dev ul0; }
}
pre_netcreate_overlay() { ! has networks/ko || bx netrm ko; }
pre_netfw_apply() { :; }
# IPv6: a dual-stack network k6 with c3 on it, an overlay over the IPv6 underlay
pre_netcreate6() { ! has networks/k6 || { bx netdisconnect -f k6 c3 && bx netrm k6; }; }
pre_netconnect6() { { has networks/k6 || bx netcreate --ipv6 --subnet fd00:6::/64 k6; } && bx netdisconnect -f k6 c3; }
pre_portfwd_add6() {
	{ has networks/k6 || bx netcreate --ipv6 --subnet fd00:6::/64 k6; } &&
		{ has endpoints/k6/c3 || bx netconnect k6 c3; } && bx portfwd del c3
}
pre_vxlan_add6() { { has networks/kx6 || bx netcreate kx6; } && { ! has vxlan/kx6 || bx vxlan del kx6; }; }

KILLS=0 LANDED=0
# killpoints CASE CMD...: the whole loop for one command
killpoints() {
	local case=$1 sc n count bad=0 rc left
	shift
	if ! pre_$case >"$TMP/pre" 2>&1; then fail "$case: precondition" "$(cat "$TMP/pre")"; return; fi
	if ! traced -f -qq -o "$TMP/trace" -e trace="$(echo $SYSCALLS | tr ' ' ,)" "$BOXNET" "$@" >"$TMP/out" 2>&1; then
		fail "$case: a run under strace" "$(cat "$TMP/out")"; return
	fi
	for sc in $SYSCALLS; do
		count=$(grep -c "^[0-9]* *$sc(" "$TMP/trace")
		n=1
		while [ $n -le "$count" ]; do
			KILLS=$((KILLS + 1))
			if ! pre_$case >"$TMP/pre" 2>&1; then
				fail "$case killed at $sc #$((n - 1)): precondition again" "$(cat "$TMP/pre")"; bad=1; break
			fi
			traced -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$n "$BOXNET" "$@" >/dev/null 2>&1
			rc=$?
			[ $rc = 137 ] && LANDED=$((LANDED + 1))
			left=$([ -e $R/journal ] && echo journal || echo clean)
			if ! bx netdisconnect -f kp nosuch >"$TMP/out" 2>&1; then
				fail "$case killed at $sc #$n/$count (rc $rc, $left): the next command" "$(cat "$TMP/out")"; bad=1
			elif ! consistent >"$TMP/out"; then
				fail "$case killed at $sc #$n/$count (rc $rc, $left): consistent" "$(cat "$TMP/out")"; bad=1
			elif ! { pre_$case && bx "$@"; } >"$TMP/out" 2>&1; then
				fail "$case killed at $sc #$n/$count (rc $rc, $left): runs again" "$(cat "$TMP/out")"; bad=1
			elif ! consistent >"$TMP/out"; then
				fail "$case killed at $sc #$n/$count (rc $rc, $left): consistent after the run" "$(cat "$TMP/out")"; bad=1
			else
				pass "$case killed at $sc #$n/$count"
			fi
			n=$((n + 1))
		done
		[ -n "${VERBOSE:-}" ] && echo "$case: $sc $count"
	done
	[ $bad = 0 ] && pass "$case: every kill point"
}

# --- iptables -----------------------------------------------------------------------
killpoints netcreate netcreate kc
killpoints netrm netrm kc
killpoints netprune netprune -f
killpoints netconnect netconnect --alias web kp c1
killpoints netconnect_pid netconnect --pid $PID kp adopted
killpoints netconnect_second netconnect kp c2
killpoints netdisconnect_second netdisconnect kp c2
# x_tables' replace is a setsockopt: the port commands are killed there too
SYSCALLS="$SYSCALLS setsockopt"
killpoints portfwd_add portfwd add c1 8080:80 9000-9001:9000-9001/udp
killpoints portfwd_del portfwd del c1
SYSCALLS="sendto sendmsg rename renameat link linkat"
killpoints netfw_apply netfw apply

# --- nft: the switch gives the iptables rules back ----------------------------------
export BOXNET_FIREWALL=nft
ok "switch to nft" bx netfw apply
ok "consistent after the switch" consistent
killpoints portfwd_add portfwd add c1 8080:80 9000-9001:9000-9001/udp
killpoints portfwd_del portfwd del c1
killpoints netdisconnect netdisconnect kp c1
killpoints vxlan_add vxlan add kv $VX
killpoints vxlan_peer_add vxlan peer add kv 10.200.0.3
killpoints vxlan_peer_del vxlan peer del kv 10.200.0.3
killpoints vxlan_del vxlan del kv
killpoints netrm_vxlan netrm kx
killpoints netcreate_overlay netcreate -d overlay --subnet 10.77.0.0/16 -o boxnet.overlay.peers=10.200.0.5 \
	-o boxnet.overlay.dev=ul0 ko
killpoints netfw_apply netfw apply

# --- IPv6, nft then iptables (ip6_tables) ------------------------------------------------
killpoints netcreate6 netcreate --ipv6 --subnet fd00:6::/64 k6
killpoints netconnect6 netconnect k6 c3
killpoints vxlan_add6 vxlan add kx6 --vni 46 --remote fd99::2 --dev ul0
export BOXNET_FIREWALL=iptables
ok "switch back to iptables" bx netfw apply
ok "consistent after the switch back" consistent
SYSCALLS="$SYSCALLS setsockopt"
killpoints portfwd_add6 portfwd add c3 8086:80 9006-9007:9000-9001/udp
SYSCALLS="sendto sendmsg rename renameat link linkat"

# --- iptables-nft: ports on their own (NEWRULE, DELRULE by handle) -------------------------
export BOXNET_FIREWALL=iptables-nft
ok "switch to iptables-nft" bx netfw apply
ok "consistent after the switch to iptables-nft" consistent
killpoints portfwd_add portfwd add c1 8080:80 9000-9001:9000-9001/udp
killpoints portfwd_del portfwd del c1
killpoints portfwd_add6 portfwd add c3 8086:80 9006-9007:9000-9001/udp

testing "most kills landed" "[ $LANDED -gt $((KILLS * 3 / 4)) ] && echo yes" "yes
rc=0"
[ -n "${VERBOSE:-}" ] && echo "killpoints: $KILLS kill points, $LANDED kills landed"
kill $PID
finish
