#!/bin/sh
# Issue 5 item 6: one network over two simulated hosts (VXLAN), container to
# container, beside the same network's containers on one host, in one run.
#
#                      ul (underlay switch: bridge ulbr)
#         hostA eth0 10.200.0.1 -------------------- hostB eth0 10.200.0.2
#         [ovl]--vx (VNI 10)                         [ovl]--vx (VNI 10)
#          | a1 172.18.0.11   | a2 172.18.0.12        | b1 172.18.0.22
#
#   one host   a1 -> a2, both behind hostA's bridge
#   overlay    a1 -> b1, VXLAN across the underlay
#   underlay   hostA -> hostB without VXLAN: what the simulated wire gives
# The network is the same on both hosts (--subnet 172.18.0.0/16, an --ip-range
# each, `vxlan add ovl --vni 10 --remote PEER`), so its MTU (underlay - 50) is
# that of both container paths. Each host runs boxnet with its own
# BOXNET_RUN_DIR in its own namespace, firewall BENCH_FIREWALL (none).
# iperf3 -t SECS (5): one TCP stream, Gbit/s received and retransmissions;
# ping -c 200 -i 0.01 -q: avg and mdev of the RTT. REPS (3) rounds with the
# paths taking turns; median (min-max) of the rounds.
. "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-3} SECS=${BENCH_SECS:-5} FW=${BENCH_FIREWALL:-none}
for c in iperf3 jq ping ss; do command -v $c >/dev/null || die "$c missing (sh tests/deps.sh test bench)"; done
on() { # on HOST ARGS...: boxnet on host A or B
	local h=$1
	shift
	ip netns exec "host$h" env BOXNET_RUN_DIR="/run/boxnet-$h" BOXNET_FIREWALL="$FW" "$BOXNET" "$@"
}

# --- the two hosts, the network, the containers ---------------------------------------
{ ip netns add ul && ip -n ul link add ulbr type bridge && ip -n ul link set ulbr up; } || die "no underlay"
n=1
for h in A B; do
	{ ip netns add host$h && ip -n host$h link set lo up &&
		ip link add ul$h netns ul type veth peer name eth0 netns host$h &&
		ip -n ul link set ul$h master ulbr up && ip -n host$h addr add 10.200.0.$n/24 dev eth0 &&
		ip -n host$h link set eth0 up &&
		on $h netcreate --subnet 172.18.0.0/16 --ip-range 172.18.$n.0/24 \
			-o com.docker.network.bridge.name=ovl ovl >/dev/null; } || die "cannot make host $h"
	n=$((n + 1))
done
on A vxlan add ovl --vni 10 --remote 10.200.0.2 --dev eth0 || die "vxlan add on A failed"
on B vxlan add ovl --vni 10 --remote 10.200.0.1 --dev eth0 || die "vxlan add on B failed"
for c in a1:A:11 a2:A:12 b1:B:22; do
	# shellcheck disable=SC2046
	set -- $(echo "$c" | tr : ' ')
	ip netns add "$1" && on "$2" netconnect --ip "172.18.0.$3" ovl "$1" || die "cannot connect $1"
done
for ns in a2 b1 hostB; do
	ip netns exec $ns iperf3 -s >/dev/null 2>&1 &
done
for ns in a2 b1 hostB; do
	i=0
	until ip netns exec $ns ss -Hltn 'sport = 5201' | grep -q .; do
		i=$((i + 1)) && [ $i -lt 100 ] && sleep 0.05 || die "iperf3 -s in $ns did not start"; done
done

PATHS="onehost overlay underlay"
ends() { # ends PATH: sets s (the client's namespace) and d (the server's address)
	case $1 in onehost) s=a1 d=172.18.0.12 ;; overlay) s=a1 d=172.18.0.22 ;; underlay) s=hostA d=10.200.0.2 ;; esac
}
for p in $PATHS; do # also the first neighbour and fdb lookups, out of the figures
	ends $p
	ip netns exec "$s" ping -c 3 -W 2 -q "$d" >/dev/null || die "$p: $s cannot ping $d"
done

# --- the rounds ---------------------------------------------------------------------
r=1
set -- $PATHS
while [ $r -le "$REPS" ]; do
	for p in "$@"; do
		ends "$p"
		ip netns exec "$s" timeout $((SECS + 30)) iperf3 -c "$d" -t "$SECS" -J >"$TMP/j" ||
			die "$p: iperf3 from $s to $d failed"
		jq -r '"\(.end.sum_received.bits_per_second / 1e9) \(.end.sum_sent.retransmits)"' "$TMP/j" |
			awk '{ printf "%.2f %d\n", $1, $2 }' >>"$TMP/$p.iperf"
		ip netns exec "$s" timeout 30 ping -c 200 -i 0.01 -q "$d" >"$TMP/ping" || die "$p: ping from $s to $d failed"
		# rtt min/avg/max/mdev = 0.031/0.047/0.120/0.011 ms; and "200 received"
		sed -n 's|.* = [0-9.]*/\([0-9.]*\)/[0-9.]*/\([0-9.]*\) ms$|\1 \2|p' "$TMP/ping" >>"$TMP/$p.rtt"
		sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping" >>"$TMP/$p.recv"
	done
	set -- $PATHS
	i=0
	while [ $i -lt "$r" ]; do set -- "$@" "$1" && shift && i=$((i + 1)); done # rotate
	r=$((r + 1))
done

# --- the figures --------------------------------------------------------------------
# col FILE N: column N of FILE, one number a line
col() { awk -v c="$2" '{ print $c }' "$1"; }
spread() { echo "$(col "$1" "$2" | pctl 50) ($(col "$1" "$2" | pctl 1)-$(col "$1" "$2" | pctl 100))"; }
med() { col "$1" "$2" | pctl 50; }
mtu() { ip -n "$1" -o link show "$2" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'; }
echo "overlay: one network (172.18.0.0/16) on two hosts joined by VXLAN (VNI 10) over a veth+bridge"
echo "         underlay, firewall $FW; MTU: containers $(mtu a1 eth0), underlay $(mtu hostA eth0);" \
	"$REPS rounds, the paths taking turns"
echo
echo "iperf3 -t $SECS (one TCP stream) and ping -c 200 -i 0.01; median (min-max) of the rounds"
printf '  %-38s %-22s %6s %-26s %9s %9s\n' path "Gbit/s" retr "ping avg ms" "mdev ms" received
for p in $PATHS; do
	case $p in onehost) l="one host: a1 -> a2 (hostA's bridge)" ;; overlay) l="overlay: a1 on A -> b1 on B (VXLAN)" ;;
	underlay) l="underlay: hostA -> hostB (no VXLAN)" ;; esac
	printf '  %-38s %-22s %6s %-26s %9s %9s\n' "$l" "$(spread "$TMP/$p.iperf" 1)" "$(med "$TMP/$p.iperf" 2)" \
		"$(spread "$TMP/$p.rtt" 1)" "$(med "$TMP/$p.rtt" 2)" "$(awk '{ s += $1 } END { print s "/" NR * 200 }' "$TMP/$p.recv")"
done
echo "  ratio overlay/one host (medians): Gbit/s $(ratio "$(med "$TMP/overlay.iperf" 1)" "$(med "$TMP/onehost.iperf" 1)")," \
	"ping avg $(ratio "$(med "$TMP/overlay.rtt" 1)" "$(med "$TMP/onehost.rtt" 1)")"
echo "  ratio overlay/underlay (medians): Gbit/s $(ratio "$(med "$TMP/overlay.iperf" 1)" "$(med "$TMP/underlay.iperf" 1)")," \
	"ping avg $(ratio "$(med "$TMP/overlay.rtt" 1)" "$(med "$TMP/underlay.rtt" 1)")"
finish
