#!/bin/sh
# Issue 11 item 5 (and issue 5 item 6): the overlay driver over two simulated
# hosts, container to container, plain and encrypted, beside the same
# network's containers on one host, in one run; then the time to add the N-th
# peer to an overlay.
#
#                      ul (underlay switch: bridge ulbr)
#      hostA eth0 10.200.0.1 ------------+------------ hostB eth0 10.200.0.2
#      [ovl]--vx                         |             [ovl]--vx
#       | a1 172.18.0.11  | a2 .0.12     |              | b1 172.18.0.22
#      [sec]--vx (ESP)                   |             [sec]--vx (ESP)
#       | e1 172.19.0.11                 |              | e2 172.19.0.22
#                                  hostC eth0 10.200.0.3: the peer-add timing
#
#   one host   a1 -> a2, both behind hostA's bridge
#   overlay    a1 -> b1, `netcreate -d overlay` (VXLAN) across the underlay
#   encrypted  e1 -> e2, `netcreate -d overlay --opt encrypted` (VXLAN in ESP)
#   underlay   hostA -> hostB without VXLAN: what the simulated wire gives
# Each network is created on both hosts with the same --subnet, an --ip-range
# each and the other host as its peer (-o boxnet.overlay.peers=), so its MTU
# (underlay - 50, more with ESP) is that of both container paths. Each host
# runs boxnet with its own BOXNET_RUN_DIR in its own namespace, firewall
# BENCH_FIREWALL (none). A kernel without ESP or its AEAD cipher refuses the
# encrypted network: its rows then say "skipped:" and boxnet's reason, which
# carries the kernel's own words.
# iperf3 -t SECS (5): one TCP stream, Gbit/s received and retransmissions;
# ping -c 200 -i 0.01 -q: avg and mdev of the RTT. REPS (3) rounds with the
# paths taking turns; median (min-max) of the rounds.
#
# Peer add: on hostC, an overlay network with no peer (-o boxnet.overlay.dev, .local)
# gets PEERS (100) peers one `vxlan peer add` at a time; the 1st, 10th and
# 100th are added and deleted TRIES (9) times before they stay: wall and CPU
# of those adds, median (min-max), for each firewall backend of BENCH_PEER_FIREWALLS
# (none nft iptables: with a firewall every peer add also re-syncs the peer
# filter), and for an encrypted overlay (each peer also gets its ESP states
# and XFRM policies) when the kernel takes one.
. "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-3} SECS=${BENCH_SECS:-5} FW=${BENCH_FIREWALL:-none}
PEERS=${BENCH_PEERS:-100} TRIES=${BENCH_TRIES:-9} PEERFWS=${BENCH_PEER_FIREWALLS:-none nft iptables}
for c in iperf3 jq ping ss; do command -v $c >/dev/null || die "$c missing (sh tests/deps.sh test bench)"; done
on() { # on HOST ARGS...: boxnet on host A, B or C
	local h=$1
	shift
	ip netns exec "host$h" env BOXNET_RUN_DIR="/run/boxnet-$h" BOXNET_FIREWALL="$FW" "$BOXNET" "$@"
}
KEY=$TMP/overlay.key
head -c 64 /dev/urandom >"$KEY"

# --- the hosts, the networks, the containers ----------------------------------------
{ ip netns add ul && ip -n ul link add ulbr type bridge && ip -n ul link set ulbr up; } || die "no underlay"
n=1
for h in A B C; do
	{ ip netns add host$h && ip -n host$h link set lo up &&
		ip link add ul$h netns ul type veth peer name eth0 netns host$h &&
		ip -n ul link set ul$h master ulbr up && ip -n host$h addr add 10.200.0.$n/24 dev eth0 &&
		ip -n host$h link set eth0 up; } || die "cannot make host $h"
	n=$((n + 1))
done
for h in A:1:2 B:2:1; do
	# shellcheck disable=SC2046
	set -- $(echo "$h" | tr : ' ')
	on "$1" netcreate -d overlay --subnet 172.18.0.0/16 --ip-range "172.18.$2.0/24" \
		-o boxnet.overlay.peers="10.200.0.$3" ovl >/dev/null || die "overlay ovl on host $1 failed"
done
# the encrypted one: made on both or skipped, with boxnet's words (the kernel's in them)
skip=
for h in A:1:2 B:2:1; do
	# shellcheck disable=SC2046
	set -- $(echo "$h" | tr : ' ')
	[ -z "$skip" ] || break
	on "$1" netcreate -d overlay --subnet 172.19.0.0/16 --ip-range "172.19.$2.0/24" \
		-o boxnet.overlay.peers="10.200.0.$3" --opt encrypted -o boxnet.overlay.keyfile="$KEY" \
		sec >/dev/null 2>"$TMP/sec.err" || skip=$(sed 's/^netcreate: //' "$TMP/sec.err" | head -1)
done
[ -z "$skip" ] || on A netrm sec >/dev/null 2>&1 # made on A, refused on B: none of it
CONT="a1:A:ovl:172.18.0.11 a2:A:ovl:172.18.0.12 b1:B:ovl:172.18.0.22"
[ -n "$skip" ] || CONT="$CONT e1:A:sec:172.19.0.11 e2:B:sec:172.19.0.22"
SERVERS="a2 b1 hostB"
[ -n "$skip" ] || SERVERS="$SERVERS e2"
for c in $CONT; do
	# shellcheck disable=SC2046
	set -- $(echo "$c" | tr : ' ')
	ip netns add "$1" && on "$2" netconnect --ip "$4" "$3" "$1" || die "cannot connect $1"
done
for ns in $SERVERS; do
	ip netns exec $ns iperf3 -s >/dev/null 2>&1 &
done
for ns in $SERVERS; do listening $ns 1 '( sport = 5201 )'; done

PATHS="onehost overlay underlay"
[ -n "$skip" ] || PATHS="onehost overlay encrypted underlay"
ends() { # ends PATH: sets s (the client's namespace) and d (the server's address)
	case $1 in onehost) s=a1 d=172.18.0.12 ;; overlay) s=a1 d=172.18.0.22 ;;
	encrypted) s=e1 d=172.19.0.22 ;; underlay) s=hostA d=10.200.0.2 ;; esac
}
for p in $PATHS; do # also the first neighbour and fdb lookups (and SAs), out of the figures
	ends $p
	ip netns exec "$s" ping -c 3 -W 2 -q "$d" >/dev/null || die "$p: $s cannot ping $d"
done

# --- the rounds ---------------------------------------------------------------------
# path PATH: one iperf3 and one ping run along it
path() {
	ends "$1"
	ip netns exec "$s" timeout $((SECS + 30)) iperf3 -c "$d" -t "$SECS" -J >"$TMP/j" ||
		die "$1: iperf3 from $s to $d failed"
	jq -r '"\(.end.sum_received.bits_per_second / 1e9) \(.end.sum_sent.retransmits)"' "$TMP/j" |
		awk '{ printf "%.2f %d\n", $1, $2 }' >>"$TMP/$1.iperf"
	ip netns exec "$s" timeout 30 ping -c 200 -i 0.01 -q "$d" >"$TMP/ping" || die "$1: ping from $s to $d failed"
	# rtt min/avg/max/mdev = 0.031/0.047/0.120/0.011 ms; and "200 received"
	sed -n 's|.* = [0-9.]*/\([0-9.]*\)/[0-9.]*/\([0-9.]*\) ms$|\1 \2|p' "$TMP/ping" >>"$TMP/$1.rtt"
	sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping" >>"$TMP/$1.recv"
}
rounds "$PATHS" "$REPS" path

# --- the N-th peer ------------------------------------------------------------------
# peeradd NAME FIREWALL NETCREATE-OPTIONS...: on hostC (a state directory of
# its own), a fresh overlay network grows to PEERS peers one `vxlan peer add`
# at a time; at N = 1, 10 and PEERS the N-th peer is added and deleted again
# TRIES times before it stays. Every command is timed alone inside hostC (no
# `ip netns exec` in the figure); the "wall_us cpu_us" of each try of the N-th
# add go to $TMP/NAME.N. Returns 1 with the reason in $TMP/NAME.err when
# netcreate refuses the network.
peer() { echo "10.200.$((1 + $1 / 250)).$(($1 % 250 + 1))"; } # peer I: no such host, nothing is sent there
peeradd() {
	local name=$1 fw=$2 run=/run/boxnet-C-$1 i=1 t
	shift 2
	ip netns exec hostC env BOXNET_RUN_DIR="$run" BOXNET_FIREWALL="$fw" "$BOXNET" netcreate \
		-d overlay --subnet 172.30.0.0/16 -o boxnet.overlay.dev=eth0 -o boxnet.overlay.local=10.200.0.3 \
		"$@" pl >/dev/null 2>"$TMP/$name.err" || return 1
	: >"$TMP/$name.cmds" && : >"$TMP/$name.tags"
	while [ $i -le "$PEERS" ]; do
		case " 1 10 $PEERS " in
		*" $i "*) t=0
			while [ $t -lt "$TRIES" ]; do
				echo "BOXNET_RUN_DIR=$run BOXNET_FIREWALL=$fw $BOXNET vxlan peer add pl $(peer $i)"
				echo "BOXNET_RUN_DIR=$run BOXNET_FIREWALL=$fw $BOXNET vxlan peer del pl $(peer $i)"
				printf '%s\n-\n' "$i" >>"$TMP/$name.tags"
				t=$((t + 1))
			done >>"$TMP/$name.cmds" ;;
		esac
		echo "BOXNET_RUN_DIR=$run BOXNET_FIREWALL=$fw $BOXNET vxlan peer add pl $(peer $i)" >>"$TMP/$name.cmds"
		echo - >>"$TMP/$name.tags"
		i=$((i + 1))
	done
	ip netns exec hostC "$SPAWN" -t 30 - <"$TMP/$name.cmds" >"$TMP/$name.times" || die "peer add ($name) failed"
	paste -d ' ' "$TMP/$name.tags" "$TMP/$name.times" |
		awk -v f="$TMP/$name" '$1 != "-" { print $2, $3 > (f "." $1) }'
	# what was timed was done: PEERS flood entries; with a firewall, the last peer's rule
	[ "$(ip netns exec hostC bridge fdb show | grep -c '^00:00:00:00:00:00 .* dst ')" = "$PEERS" ] ||
		die "peer add ($name): not $PEERS flood entries"
	[ "$fw" = none ] || ip netns exec hostC env BOXNET_RUN_DIR="$run" BOXNET_FIREWALL="$fw" "$BOXNET" \
		netfw show | grep -q "$(peer "$PEERS")" || die "peer add ($name): no rule for the last peer"
	ip netns exec hostC env BOXNET_RUN_DIR="$run" BOXNET_FIREWALL="$fw" "$BOXNET" netrm pl >/dev/null ||
		die "peer add ($name): netrm failed"
}
PEERROWS=
for fw in $PEERFWS; do
	peeradd "plain-$fw" "$fw" || die "peer add: overlay with firewall $fw refused: $(cat "$TMP/plain-$fw.err")"
	PEERROWS="$PEERROWS plain-$fw"
done
peeradd encrypted none --opt encrypted -o boxnet.overlay.keyfile="$KEY" && PEERROWS="$PEERROWS encrypted"

# --- the figures --------------------------------------------------------------------
# col FILE N: column N of FILE, one number a line
col() { awk -v c="$2" '{ print $c }' "$1"; }
med() { col "$1" "$2" | pctl 50; }
mtu() { ip -n "$1" -o link show "$2" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'; }
echo "overlay: netcreate -d overlay (172.18.0.0/16, VNI $(on A netinspect -f \
	'{{index .Options "com.docker.network.driver.overlay.vxlanid_list"}}' ovl)) on two hosts over a"
echo "         veth+bridge underlay, firewall $FW; MTU: containers $(mtu a1 eth0), underlay $(mtu hostA eth0);" \
	"$REPS rounds, the paths taking turns"
echo
echo "iperf3 -t $SECS (one TCP stream) and ping -c 200 -i 0.01; median (min-max) of the rounds"
printf '  %-42s %-22s %6s %-26s %9s %9s\n' path "Gbit/s" retr "ping avg ms" "mdev ms" received
for p in onehost overlay encrypted underlay; do
	case $p in onehost) l="one host: a1 -> a2 (hostA's bridge)" ;; overlay) l="overlay: a1 on A -> b1 on B (VXLAN)" ;;
	encrypted) l="encrypted: e1 on A -> e2 on B (ESP)" ;; underlay) l="underlay: hostA -> hostB (no VXLAN)" ;; esac
	if [ ! -s "$TMP/$p.iperf" ]; then
		printf '  %-42s skipped: %s\n' "$l" "$skip"
		continue
	fi
	printf '  %-42s %-22s %6s %-26s %9s %9s\n' "$l" "$(spread "$TMP/$p.iperf" 1)" "$(med "$TMP/$p.iperf" 2)" \
		"$(spread "$TMP/$p.rtt" 1)" "$(med "$TMP/$p.rtt" 2)" "$(awk '{ s += $1 } END { print s "/" NR * 200 }' "$TMP/$p.recv")"
done
for p in overlay encrypted; do
	[ -s "$TMP/$p.iperf" ] || continue
	for q in onehost underlay; do
		echo "  ratio $p/$q (medians): Gbit/s $(ratio "$(med "$TMP/$p.iperf" 1)" "$(med "$TMP/$q.iperf" 1)")," \
			"ping avg $(ratio "$(med "$TMP/$p.rtt" 1)" "$(med "$TMP/$q.rtt" 1)")"
	done
done

echo
echo "vxlan peer add: the time to add the N-th peer of $PEERS to an overlay network (hostC, no container);"
echo "(one network a row); the N-th peer added and deleted $TRIES times: ms wall / ms cpu, median (min-max)"
printf '  %-34s %-24s %-24s %-24s\n' overlay "1st" "10th" "${PEERS}th"
msspread() { # msspread FILE COLUMN: median (min-max) in ms
	echo "$(ms "$(med "$1" "$2")") ($(ms "$(col "$1" "$2" | pctl 1)")-$(ms "$(col "$1" "$2" | pctl 100)"))"
}
for row in $(for fw in $PEERFWS; do echo "plain-$fw"; done) encrypted; do
	case $row in plain-*) l="plain, firewall ${row#plain-}" ;; *) l="encrypted (ESP states, policies)" ;; esac
	case " $PEERROWS " in
	*" $row "*)
		printf '  %-34s %-24s %-24s %-24s  (wall)\n' "$l" "$(msspread "$TMP/$row.1" 1)" \
			"$(msspread "$TMP/$row.10" 1)" "$(msspread "$TMP/$row.$PEERS" 1)"
		printf '  %-34s %-24s %-24s %-24s  (cpu)\n' "" "$(msspread "$TMP/$row.1" 2)" \
			"$(msspread "$TMP/$row.10" 2)" "$(msspread "$TMP/$row.$PEERS" 2)"
		;;
	*) printf '  %-34s skipped: %s\n' "$l" "$(sed 's/^netcreate: //' "$TMP/$row.err" | head -1)" ;;
	esac
done
finish
