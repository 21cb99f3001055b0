#!/bin/sh
# Issue 10 item 7: what IPv6 costs.
#   (a) connect latency: N (BENCH_N, 200) containers joined to one network one
#       after another, then disconnected, with
#         boxnet v4     netconnect / netdisconnect, an IPv4-only network
#         boxnet ds     the same, a dual-stack network (--ipv6): an IPv6 address
#                       too (no DAD), the IPv6 default route, v6 hosts lines
#         iproute2 v4   a dash script per container, as connect.sh's ip-sh: veth
#                       (peer in the netns, host end on the bridge, up), address,
#                       eth0 up, lo up, default route, hosts line, links of hosts
#                       and resolv.conf into /etc/netns/C
#         iproute2 ds   the same, plus `addr add ... nodad` of the IPv6 address,
#                       the IPv6 default route and the v6 hosts line
#       REPS (3) repetitions, the tools taking turns (BOXNET_FIREWALL=none: the
#       firewall is the ports benchmark's). Each call timed alone by spawn.
#   (b) the data path over IPv6 from an "outside" namespace to a dual-stack
#       container (iperf3 -6, one TCP stream; tcprate, connections/s): direct (a
#       route to the container's IPv6 address, firewall none: no rule, no NAT)
#       and through ports published on the host's IPv6 address ([fd90:K::1]:60201
#       -> 5201, 60080 -> 80) with the iptables (ip6tables) and nft backends.
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-200} REPS=${BENCH_REPS:-3} SECS=${BENCH_SECS:-5} STREAMS=${BENCH_STREAMS:-2} RSECS=3
TCPRATE=${TCPRATE:-$BUILD/bench/tcprate}
[ -x "$TCPRATE" ] || die "no $TCPRATE (tests/bench/run.sh builds tests/bench/tcprate.c)"
IP=$(command -v ip)
[ "$N" -ge 20 ] || die "BENCH_N must be at least 20"
for c in iperf3 jq ss; do command -v $c >/dev/null || die "$c missing (sh tests/deps.sh test)"; done
TOOLS="box4 boxds ip4 ipds"

# --- (a) the containers, the networks, the baseline's bridge and scripts -----------------
i=1
while [ $i -le "$N" ]; do echo "netns add c$i"; i=$((i + 1)); done | "$IP" -batch - ||
	die "cannot make $N namespaces"
"$BOXNET" netcreate --subnet 10.76.0.0/16 bench4 >/dev/null &&
	"$BOXNET" netcreate --ipv6 --subnet 10.77.0.0/16 --subnet fd77::/64 benchds >/dev/null ||
	die "netcreate failed"
"$IP" link add br-ip type bridge && "$IP" addr add 10.78.0.1/16 dev br-ip &&
	"$IP" addr add fd78::1/64 dev br-ip nodad && "$IP" link set br-ip up || die "cannot make br-ip"
mkdir "$TMP/ip"
H=$TMP/ip/hosts R=$TMP/ip/resolv.conf
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$H"
grep -v '^nameserver 127\.' /etc/resolv.conf >"$R" 2>/dev/null
for v in 4 ds; do
	{
		echo 'set -e # usage: connect C VETH IP IP6 MAC'
		echo 'ip link add "$2" mtu 1500 master br-ip up type veth peer name eth0 address "$5" netns "$1"'
		echo 'ip -n "$1" addr add "$3/16" dev eth0'
		[ $v = ds ] && echo 'ip -n "$1" addr add "$4/64" dev eth0 nodad'
		echo 'ip -n "$1" link set eth0 up'
		echo 'ip -n "$1" link set lo up'
		echo 'ip -n "$1" route add default via 10.78.0.1'
		[ $v = ds ] && echo 'ip -n "$1" -6 route add default via fd78::1'
		echo 'mkdir -p "/etc/netns/$1"'
		printf 'printf "%%s\\t%%s\\n" "$3" "$1" >>%s\n' "$H"
		[ $v = ds ] && printf 'printf "%%s\\t%%s\\n" "$4" "$1" >>%s\n' "$H"
		echo "ln -sf $H $R \"/etc/netns/\$1/\""
	} >"$TMP/ip$v.connect"
done
printf 'set -e # usage: disconnect C VETH\nip link del "$2"\nsed -i "/\t$1\\$/d" %s\nrm -rf "/etc/netns/$1"\n' \
	"$H" >"$TMP/ip.disconnect"
i=1
while [ $i -le "$N" ]; do
	a=$(((i + 1) / 256)).$(((i + 1) % 256)) a6=fd78::$(printf '%x' $((i + 1)))
	mac=$(printf '02:42:0a:4e:%02x:%02x' $(((i + 1) / 256)) $(((i + 1) % 256)))
	echo "$BOXNET netconnect bench4 c$i" >&3
	echo "$BOXNET netdisconnect bench4 c$i" >&4
	echo "$BOXNET netconnect benchds c$i" >&5
	echo "$BOXNET netdisconnect benchds c$i" >&6
	echo "sh $TMP/ip4.connect c$i vip$i 10.78.$a $a6 $mac" >&7
	echo "sh $TMP/ipds.connect c$i vip$i 10.78.$a $a6 $mac" >&8
	echo "sh $TMP/ip.disconnect c$i vip$i" >&9
	i=$((i + 1))
done 3>"$TMP/box4.connect.lines" 4>"$TMP/box4.disconnect.lines" 5>"$TMP/boxds.connect.lines" \
	6>"$TMP/boxds.disconnect.lines" 7>"$TMP/ip4.connect.lines" 8>"$TMP/ipds.connect.lines" \
	9>"$TMP/ip.disconnect.lines"
cp "$TMP/ip.disconnect.lines" "$TMP/ip4.disconnect.lines"
cp "$TMP/ip.disconnect.lines" "$TMP/ipds.disconnect.lines"

bridge_of() {
	case $1 in box4) sed -n 's/^bridge=//p' /run/boxnet/networks/bench4 ;;
	boxds) sed -n 's/^bridge=//p' /run/boxnet/networks/benchds ;; *) echo br-ip ;; esac
}
# check TOOL OP: N ports on the bridge after connect, none after disconnect; the
# last container has its default routes (IPv6 too for ds) and its hosts line
check() {
	local want=$N p
	[ "$2" = disconnect ] && want=0
	p=$(ls "/sys/class/net/$(bridge_of "$1")/brif" 2>/dev/null | wc -l)
	[ "$p" = "$want" ] || die "$1 $2: $p ports on the bridge, want $want"
	[ "$2" = disconnect ] && return
	[ -n "$("$IP" -n "c$N" -4 route show default)" ] || die "$1 $2: no IPv4 default route in c$N"
	case $1 in *ds) [ -n "$("$IP" -n "c$N" -6 route show default)" ] || die "$1 $2: no IPv6 default route in c$N" ;; esac
	grep -q "	c$N\$" "/etc/netns/c$N/hosts" || die "$1 $2: c$N not in its hosts"
}

echo "ipv6: (a) $N containers joined to one network one after another, then disconnected;"
echo "      $REPS repetitions, the tools taking turns (BOXNET_FIREWALL=none)"
# one TOOL R: tool TOOL's connects then disconnects, in round R
one() {
	for op in connect disconnect; do
		"$SPAWN" -t 60 - <"$TMP/$1.$op.lines" >"$TMP/$1.$op.$2" || die "$1 $op failed (run $2)"
		check $1 $op
	done
}
rounds "$TOOLS" "$REPS" one

label() { case $1 in box4) echo "boxnet, IPv4 only" ;; boxds) echo "boxnet, dual-stack" ;;
	ip4) echo "iproute2 script, IPv4" ;; ipds) echo "iproute2 script, dual" ;; esac; }
last=$((N - 9))
for op in connect disconnect; do
	echo
	echo "(a) $op: wall ms per call, all $N calls x $REPS runs and the last 10; total s of $N calls (median run)"
	printf '  %-24s %14s %14s %14s %9s %9s\n' tool "all med p90" "cpu med p90" "last10 med p90" "total s" "cpu s"
	for t in $TOOLS; do
		set -- $(win $t $op 1 "$N" 1) $(win $t $op 1 "$N" 2) $(win $t $op $last "$N" 1) \
			$(total $t $op 1) $(total $t $op 2)
		printf '  %-24s %7s %6s %7s %6s %7s %6s %9s %9s\n' "$(label $t)" "$@"
		eval "med_${t}_$op=$1 tot_${t}_$op=$7"
	done
	eval "b4=\$med_box4_$op bd=\$med_boxds_$op i4=\$med_ip4_$op id=\$med_ipds_$op"
	echo "  ratios of the medians: dual-stack/IPv4 boxnet $(ratio "$bd" "$b4"), iproute2 $(ratio "$id" "$i4");" \
		"iproute2/boxnet IPv4 $(ratio "$i4" "$b4"), dual-stack $(ratio "$id" "$bd")"
done

# --- (b) the data path over IPv6 -----------------------------------------------------------
"$IP" netns add out && "$IP" -n out link set lo up || die "cannot make out"
k=0
on() { # on HOST FIREWALL ARGS...: boxnet in HOST with its own state
	local h=$1 fw=$2
	shift 2
	"$IP" netns exec "$h" env BOXNET_RUN_DIR="/run/boxnet-$h" BOXNET_FIREWALL="$fw" "$BOXNET" "$@"
}
# host NAME FIREWALL: namespace NAME with fd90:K::1 on a veth to out (fd90:K::2),
# container c-NAME on dual-stack network n (fd91:K::/64) running iperf3 -s
host() {
	k=$((k + 1))
	{ "$IP" netns add "$1" && "$IP" netns add "c-$1" && "$IP" -n "$1" link set lo up &&
		"$IP" link add "o$k" netns out type veth peer name eth0 netns "$1" &&
		"$IP" -n "$1" addr add "fd90:$k::1/64" dev eth0 nodad && "$IP" -n "$1" link set eth0 up &&
		"$IP" -n out addr add "fd90:$k::2/64" dev "o$k" nodad && "$IP" -n out link set "o$k" up; } ||
		die "cannot make host $1"
	on "$1" "$2" netcreate --ipv6 --subnet "10.$((110 + k)).0.0/16" --subnet "fd91:$k::/64" n >/dev/null &&
		on "$1" "$2" netconnect n "c-$1" || die "cannot connect c-$1"
	"$IP" netns exec "c-$1" "$TCPRATE" -l 80 &
	"$IP" netns exec "c-$1" iperf3 -s -p 5201 >/dev/null 2>&1 &
	listening "c-$1" 2 '( sport = 80 or sport = 5201 )'
}
ctrip6() { "$IP" -n "c-$1" -6 -o addr show eth0 scope global | awk '{ sub("/.*", "", $4); print $4 }'; }
CASES="direct ipt nft"
for c in $CASES; do
	case $c in direct) fw=none ;; ipt) fw=iptables ;; nft) fw=nft ;; esac
	host "h-$c" $fw
	if [ $c = direct ]; then
		"$IP" netns exec h-direct sysctl -qw net.ipv6.conf.all.forwarding=1
		"$IP" -n out -6 route add "fd91:$k::/64" via "fd90:$k::1" || die "no route to h-direct"
		eval "to_$c='$(ctrip6 h-direct) 80 5201'"
		continue
	fi
	on "h-$c" $fw portfwd add "c-h-$c" 60080:80 60201:5201 || die "$c: cannot publish 60080 and 60201"
	eval "to_$c='fd90:$k::1 60080 60201'"
done
rounds "$CASES" "$REPS" datapath
echo
echo "(b) data path over IPv6, out -> dual-stack container: iperf3 -6 -t $SECS (one TCP stream, Gbit/s"
echo "    received) and tcprate ($STREAMS streams, $RSECS s: connections/s); $REPS rounds, cases taking"
echo "    turns; median (min-max). Published: [host]:60080 -> 80, [host]:60201 -> 5201"
printf '  %-48s %-20s %-22s %15s\n' "case" "Gbit/s" "conn/s" "ratio to direct"
for c in $CASES; do
	case $c in direct) l="direct to the container's IPv6, firewall none" ;;
	ipt) l="ip6tables (legacy), published, via host's IPv6" ;; nft) l="nft, published, via host's IPv6" ;; esac
	printf '  %-48s %-20s %-22s %7s %7s\n' "$l" "$(spread "$TMP/$c.gbit")" "$(spread "$TMP/$c.cps")" \
		"$(ratio "$(pctl 50 <"$TMP/$c.gbit")" "$(pctl 50 <"$TMP/direct.gbit")")" \
		"$(ratio "$(pctl 50 <"$TMP/$c.cps")" "$(pctl 50 <"$TMP/direct.cps")")"
done
finish
