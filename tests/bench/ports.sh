#!/bin/sh
# Issue 4 item 7: published ports (portfwd), on each firewall backend.
#   (a) the time to add the N-th published port, N = 1, 100, 1000 (BENCH_PORTS),
#       one container on one network, one `HOSTPORT:80` a call, with:
#         boxnet iptables, boxnet nft   portfwd add C HOSTPORT:80 (BOXNET_FIREWALL=)
#         restore   the shell baseline: per port one `iptables-legacy-restore
#                   --noflush -w` of the two rules boxnet adds (nat DNAT, filter
#                   ACCEPT), in chains set up once. One process and one commit per
#                   table, as boxnet; `iptables-legacy -A` twice would cost two
#                   processes and the same two commits: restore is the fair one
#         portmap   /usr/lib/cni/portmap ADD as a runtime chains it after bridge +
#                   host-local: stdin = the plugin's conf with runtimeConfig.
#                   portMappings (one mapping) and prevResult (the bridge ADD's
#                   result); one container ID per port, all to the one container,
#                   so the N-th ADD finds N-1 mappings. Its `iptables` is the
#                   system's (BENCH_PORTMAP=legacy: iptables-legacy). Its N ADDs
#                   run once; later runs restore the nat table as it was before
#                   each window (iptables-save) and repeat the window's 10 ADDs
#   (b) the data path from an "outside" namespace through the host's address to
#       a container (tcprate.c: connections/s; iperf3: one TCP stream), direct
#       (BOXNET_FIREWALL=none, a route to the container's address: no rule and
#       no conntrack) and through a published port with 1 and with 1000 ports
#       published, on both backends; the measured ports are published last
#   (c) add and del of one port (30000:80) beside N-1 others (P:P, P = 20001...),
#       N = 1, 100 and BENCH_PORTS (1000), the tools taking turns, PAIRS
#       (BENCH_PAIRS, 10) add+del pairs each a round, REPS rounds: boxnet portfwd
#       on its three backends beside the executables doing the same change in the
#       same run: iptables-legacy-restore and iptables-nft-restore --noflush of
#       the DNAT rule boxnet adds (-A; -D to delete, in a chain made once), nft
#       add/delete element of one map element, and `boxnet --version` (an exec
#       that does nothing: the floor). BENCH_PARTS (abc) picks the parts.
# Every tool and case has its own namespace as its host (own tables), joined to
# "out" by a veth. Timings: spawn, one call at a time, REPS (3) runs with the
# tools taking turns; a window pools its 10 calls of every run, median and p90.
. "$(dirname "$0")/lib.sh"

N=${BENCH_PORTS:-1000} REPS=${BENCH_REPS:-3} SECS=${BENCH_SECS:-5} STREAMS=${BENCH_STREAMS:-2}
PARTS=${BENCH_PARTS:-abc} PAIRS=${BENCH_PAIRS:-10}
TCPRATE=${TCPRATE:-$BUILD/bench/tcprate} CNI=/usr/lib/cni IPTR=$(command -v iptables-legacy-restore)
[ "$N" -ge 110 ] || die "BENCH_PORTS must be at least 110"
[ -x "$TCPRATE" ] || die "no $TCPRATE (tests/bench/run.sh builds tests/bench/tcprate.c)"
for c in iperf3 jq ss iptables-legacy-restore; do command -v $c >/dev/null || die "$c missing (sh tests/deps.sh test)"; done
TOOLS="iptables nft restore portmap"
[ -x $CNI/portmap ] && [ -x $CNI/bridge ] && [ -x $CNI/host-local ] || TOOLS="iptables nft restore" \
	pm_note="portmap: skipped, $CNI/portmap, bridge or host-local missing (containernetworking-plugins)"
[ -n "${BENCH_TOOLS:-}" ] && TOOLS="iptables nft $BENCH_TOOLS"
av=$(command -v netavark) && av_note="netavark: $av is installed, but this script does not drive it yet" ||
	av_note="netavark: not installed (command -v netavark), skipped; podman is not installed for it"
mkdir -p "$TMP/legacy" # BENCH_PORTMAP=legacy: portmap finds iptables-legacy as `iptables`
for x in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
	ln -s /usr/sbin/xtables-legacy-multi "$TMP/legacy/$x"; done
PMPATH=$PATH
[ "${BENCH_PORTMAP:-}" = legacy ] && PMPATH=$TMP/legacy:$PATH

# --- hosts and containers -------------------------------------------------------------
ip netns add out && ip -n out link set lo up || die "cannot make out"
k=0
on() { # on HOST FIREWALL ARGS...: boxnet in HOST with its own state
	local h=$1 fw=$2
	shift 2
	ip netns exec "$h" env BOXNET_RUN_DIR="/run/boxnet-$h" BOXNET_FIREWALL="$fw" "$BOXNET" "$@"
}
# host NAME FIREWALL: namespace NAME, 10.90.K.1 on a veth to out (10.90.K.2), and
# container c-NAME on network n (10.(100+K).0.0/16, made by boxnet unless FIREWALL
# is cni) running a tcprate server on 80 and iperf3 -s on 5201
host() {
	k=$((k + 1))
	{ ip netns add "$1" && ip netns add "c-$1" && ip -n "$1" link set lo up &&
		ip link add "o$k" netns out type veth peer name eth0 netns "$1" &&
		ip -n "$1" addr add "10.90.$k.1/24" dev eth0 && ip -n "$1" link set eth0 up &&
		ip -n out addr add "10.90.$k.2/24" dev "o$k" && ip -n out link set "o$k" up; } ||
		die "cannot make host $1"
	[ "$2" = cni ] || { on "$1" "$2" netcreate --subnet "10.$((100 + k)).0.0/16" n >/dev/null &&
		on "$1" "$2" netconnect n "c-$1"; } || die "cannot connect c-$1"
	[ "$2" = cni ] || serve "$1"
	eval "addr_$(echo "$1" | tr -c 'a-z0-9\n' _)=10.90.$k.1"
}
serve() {
	ip netns exec "c-$1" "$TCPRATE" -l 80 &
	ip netns exec "c-$1" iperf3 -s -p 5201 >/dev/null 2>&1 &
	listening "c-$1" 2 '( sport = 80 or sport = 5201 )'
}
ctrip() { ip -n "c-$1" -4 -o addr show eth0 | awk '{ sub("/.*", "", $4); print $4 }'; }
addr() { eval "echo \$addr_$(echo "$1" | tr -c 'a-z0-9\n' _)"; }

for t in $TOOLS; do
	case $t in iptables | nft) host "t-$t" $t ;; restore) host t-restore none ;; portmap) host t-portmap cni ;; esac
done
case " $TOOLS " in *" restore "*) # the baseline's chains, with boxnet's jumps and policy
	ip netns exec t-restore sysctl -qw net.ipv4.ip_forward=1
	br=$(sed -n 's/^bridge=//p' /run/boxnet-t-restore/networks/n) rip=$(ctrip t-restore)
	printf '*nat\n:BASE - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j BASE\n-A OUTPUT -m addrtype --dst-type LOCAL -j BASE\nCOMMIT\n*filter\n:BASE - [0:0]\n-A FORWARD -o %s -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -o %s -j BASE\n-A FORWARD -i %s -j ACCEPT\n-A FORWARD ! -i %s -o %s -j DROP\nCOMMIT\n' \
		"$br" "$br" "$br" "$br" "$br" | ip netns exec t-restore "$IPTR" --noflush || die "baseline chains" ;;
esac
case " $TOOLS " in *" portmap "*) # the container through the bridge plugin, as the chain's first link
	mkdir -p "$TMP/ipam" "$TMP/pm"
	printf '{"cniVersion":"1.0.0","name":"benchpm","type":"bridge","bridge":"cni-pm","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.%s.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s"}}\n' \
		$((100 + k)) "$TMP/ipam" >"$TMP/bridge.json"
	CNI_COMMAND=ADD CNI_CONTAINERID=benchpm CNI_NETNS=/run/netns/c-t-portmap CNI_IFNAME=eth0 CNI_PATH=$CNI \
		ip netns exec t-portmap $CNI/bridge <"$TMP/bridge.json" >"$TMP/bridge.out" || die "CNI bridge ADD failed"
	prev=$(jq -c . "$TMP/bridge.out") && serve t-portmap ;;
esac

part_a() {
# --- (a) the spawn lines of each tool, one port a line ----------------------------------
i=1
while [ $i -le "$N" ]; do
	p=$((20000 + i))
	echo "$BOXNET portfwd add c-t-iptables $p:80" >&3
	echo "$BOXNET portfwd add c-t-nft $p:80" >&4
	if [ -n "${br:-}" ]; then
		printf '*nat\n-A BASE -p tcp -m tcp --dport %s -j DNAT --to-destination %s:80\nCOMMIT\n*filter\n-A BASE -d %s/32 ! -i %s -o %s -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT -j ACCEPT\nCOMMIT\n' \
			$p "$rip" "$rip" "$br" "$br" >"$TMP/r$i" && echo "<$TMP/r$i $IPTR --noflush -w 10" >&5
	fi
	if [ -n "${prev:-}" ]; then
		printf '{"cniVersion":"1.0.0","name":"benchpm","type":"portmap","capabilities":{"portMappings":true},"snat":true,"runtimeConfig":{"portMappings":[{"hostPort":%s,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}\n' \
			$p "$prev" >"$TMP/pm/$i.json"
		echo "CNI_COMMAND=ADD CNI_CONTAINERID=benchpm$i CNI_NETNS=/run/netns/c-t-portmap CNI_IFNAME=eth0 CNI_PATH=$CNI <$TMP/pm/$i.json $CNI/portmap" >&6
	fi
	i=$((i + 1))
done 3>"$TMP/iptables.lines" 4>"$TMP/nft.lines" 5>"$TMP/restore.lines" 6>"$TMP/portmap.lines"

inhost() { # inhost TOOL CMD...: CMD in TOOL's host
	local t=$1
	shift
	ip netns exec "t-$t" env BOXNET_RUN_DIR="/run/boxnet-t-$t" BOXNET_FIREWALL="$t" PATH="$PMPATH" "$@"
}
timed() { # timed TOOL FROM TO: calls FROM..TO of TOOL, one "wall cpu" line each
	sed -n "$2,$3p" "$TMP/$1.lines" | inhost "$1" "$SPAWN" -t 60 - || die "$1: calls $2-$3 failed"
}
pad() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "- -" }'; }
last=$((N - 9))
check() { # check TOOL: N ports, and the N-th answers from out through the host's address
	local n
	case $1 in iptables | nft) n=$(on "t-$1" "$1" portfwd ls "c-t-$1" | wc -l) ;;
	restore) n=$(ip netns exec t-restore iptables-legacy-save -t nat | grep -c ' -j DNAT') ;;
	portmap) n=$(inhost portmap iptables-save -t nat | grep -c ' -j DNAT') ;; esac
	[ "$n" = "$N" ] || die "$1: $n ports after $N adds"
	ip netns exec out "$TCPRATE" "$(addr "t-$1")" $((20000 + N)) 0.1 >/dev/null || die "$1: port $((20000 + N)) does not answer"
}
echo "ports: (a) $N ports published one after another, one HOSTPORT:80 a call, on one container;"
echo "       $REPS runs, the tools taking turns; (b) data path, $REPS rounds"
r=1
set -- $TOOLS
while [ $r -le "$REPS" ]; do
	for t in "$@"; do
		out=$TMP/$t.$r
		case $t.$r in
		portmap.1) # the whole run, saving the nat table before each window
			printf '*nat\nCOMMIT\n' >"$TMP/pm.s1" # no CNI chain yet
			timed portmap 1 95 >"$out" && inhost portmap iptables-save -t nat >"$TMP/pm.s2" &&
				timed portmap 96 $((last - 1)) >>"$out" && inhost portmap iptables-save -t nat >"$TMP/pm.s3" &&
				timed portmap $last "$N" >>"$out" && check portmap ;;
		portmap.*) # the three windows again, each from the table it found the first time
			for w in "1 10 1" "96 105 2" "$last $N 3"; do
				set -- $w
				inhost portmap iptables-restore <"$TMP/pm.s$3" || die "cannot restore the nat table"
				timed portmap "$1" "$2"
			done >"$TMP/w" &&
				{ sed -n 1,10p "$TMP/w"; pad 85; sed -n 11,20p "$TMP/w"; pad $((last - 106)); sed -n 21,30p "$TMP/w"; } >"$out" ;;
		*)
			case $t in iptables | nft) on "t-$t" $t portfwd del "c-t-$t" ;;
			restore) ip netns exec t-restore iptables-legacy -t nat -F BASE && ip netns exec t-restore iptables-legacy -F BASE ;;
			esac || die "$t: cannot remove the ports"
			timed $t 1 "$N" >"$out" && check $t ;;
		esac
	done
	set -- $(turn "$TOOLS" "$r")
	r=$((r + 1))
done

# win TOOL A B COLUMN: "median p90" in ms of calls A..B, every run
win() {
	for f in "$TMP/$1".[0-9]*; do sed -n "$2,$3p" "$f"; done | awk -v c="$4" '$c != "-" { print $c }' >"$TMP/w"
	echo "$(ms "$(pctl 50 <"$TMP/w")") $(ms "$(pctl 90 <"$TMP/w")")"
}
total() { # total TOOL COLUMN: s, median over complete runs of the sum of a column
	for f in "$TMP/$1".[0-9]*; do grep -q '^-' "$f" || awk -v c="$2" '{ s += $c } END { print s }' "$f"; done |
		pctl 50 | awk '{ printf "%.2f", $1 / 1e6 }'
}
label() { case $1 in iptables | nft) echo "boxnet $1" ;; restore) echo "iptables-legacy-restore" ;;
	portmap) echo "CNI portmap" ;; esac; }
for c in 1 2; do
	[ $c = 1 ] && col=wall || col=cpu
	echo
	echo "(a) $col ms per call (windows of 10 calls x $REPS runs), total s of the $N calls (median run)"
	printf '  %-24s %14s %14s %14s %9s\n' tool "1st med p90" "100th med p90" "${N}th med p90" "total s"
	for t in $TOOLS; do
		set -- $(win $t 1 10 $c) $(win $t 96 105 $c) $(win $t $last "$N" $c) $(total $t $c)
		printf '  %-24s %7s %6s %7s %6s %7s %6s %9s\n' "$(label $t)" "$@"
		echo "$t $*" >>"$TMP/$col.table"
	done
	echo "  ratio tool/boxnet iptables of the medians and totals:"
	for t in $TOOLS; do
		[ $t = iptables ] || awk -v t=$t -v l="$(label $t)" '$1 == "iptables" { for (i = 2; i <= NF; i++) b[i] = $i }
			$1 == t { printf "  %-24s %7.2f %6s %7.2f %6s %7.2f %6s %9s\n", l, $2 / b[2], "", $4 / b[4], "",
				$6 / b[6], "", ($8 > 0 && b[8] > 0) ? sprintf("%.2f", $8 / b[8]) : "-" }' "$TMP/$col.table"
	done
done
[ -z "${prev:-}" ] || echo "  portmap: \`$(inhost portmap iptables --version)\`; its total is that of its one full run"
[ -z "${pm_note:-}" ] || echo "  $pm_note"
echo "  $av_note"

}
part_b() {
# --- (b) the data path ------------------------------------------------------------------
CASES="direct ipt1 nft1 ipt1000 nft1000"
for c in $CASES; do
	case $c in direct) fw=none ;; ipt*) fw=iptables ;; nft*) fw=nft ;; esac
	host "d-$c" $fw
	if [ $c = direct ]; then
		ip netns exec d-direct sysctl -qw net.ipv4.ip_forward=1
		ip -n out route add "10.$((100 + k)).0.0/16" via "10.90.$k.1" || die "no route to d-direct"
		eval "to_$c='$(ctrip d-$c) 80 5201'"
		continue
	fi
	case $c in *1000) # 998 other ports, to other container ports, in one call; ours last
		on "d-$c" $fw portfwd add "c-d-$c" $(seq 20001 20998 | awk '{ print $1 ":" $1 }') ||
			die "$c: cannot publish the 998 others" ;;
	esac
	on "d-$c" $fw portfwd add "c-d-$c" 60080:80 60201:5201 || die "$c: cannot publish 60080 and 60201"
	eval "to_$c='$(addr d-$c) 60080 60201'"
done
RSECS=3
rounds "$CASES" "$REPS" datapath
echo
echo "(b) data path, out -> container: iperf3 -t $SECS (one TCP stream, Gbit/s received) and tcprate"
echo "    (connect + server close + close, $STREAMS streams, $RSECS s: connections/s), $REPS rounds, cases taking"
echo "    turns; median (min-max) of the rounds. Published: 60080->80 and 60201->5201 (\"1\"), after 998"
echo "    other ports to other container ports (\"1000\"); ratio to direct: Gbit/s, conn/s (medians)"
printf '  %-40s %-20s %-22s %15s\n' "case" "Gbit/s" "conn/s" "ratio to direct"
for c in $CASES; do
	case $c in direct) l="direct to the container, firewall none" ;;
	ipt*) l="iptables, ${c#ipt} published, via host" ;; nft*) l="nft, ${c#nft} published, via host" ;; esac
	printf '  %-40s %-20s %-22s %7s %7s\n' "$l" "$(spread "$TMP/$c.gbit")" \
		"$(spread "$TMP/$c.cps")" "$(ratio "$(pctl 50 <"$TMP/$c.gbit")" "$(pctl 50 <"$TMP/direct.gbit")")" \
		"$(ratio "$(pctl 50 <"$TMP/$c.cps")" "$(pctl 50 <"$TMP/direct.cps")")"
done
echo "  ratio 1000/1 ports (medians): iptables Gbit/s $(ratio "$(pctl 50 <"$TMP/ipt1000.gbit")" "$(pctl 50 <"$TMP/ipt1.gbit")")," \
	"conn/s $(ratio "$(pctl 50 <"$TMP/ipt1000.cps")" "$(pctl 50 <"$TMP/ipt1.cps")"); nft Gbit/s" \
	"$(ratio "$(pctl 50 <"$TMP/nft1000.gbit")" "$(pctl 50 <"$TMP/nft1.gbit")"), conn/s $(ratio "$(pctl 50 <"$TMP/nft1000.cps")" "$(pctl 50 <"$TMP/nft1.cps")")"
echo "  rules a new connection to 60080 walks with 1000 ports: iptables nat $(ip netns exec d-ipt1000 iptables-legacy-save -t nat |
	grep -c ' -j DNAT') DNAT rules (ours last); nft one map lookup ($(ip netns exec d-nft1000 nft list map ip boxnet ports 2>/dev/null | grep -o ' : [0-9]' | wc -l) elements)"
}
part_c() {
# --- (c) add and del of one port beside N-1 others, every backend and executable -------
	local tools="version box-nft box-iptnft box-ipt nft-exe iptnft-exe ipt-exe" t lv have=1 r i p
	for t in $tools; do
		ip netns add "x-$t" && ip netns add "c-x-$t" && ip -n "x-$t" link set lo up || die "cannot make x-$t"
	done
	ip netns exec x-ipt-exe sysctl -qw net.ipv4.ip_forward=1
	for t in box-nft box-iptnft box-ipt; do
		on "x-$t" "$(fwof $t)" netcreate --subnet 10.66.0.0/16 n >/dev/null &&
			on "x-$t" "$(fwof $t)" netconnect n "c-x-$t" || die "$t: cannot connect c-x-$t"
	done
	# the executables' tables: chains made once (as boxnet's), the map for nft
	printf '*nat\n:BASE - [0:0]\nCOMMIT\n*filter\n:BASE - [0:0]\nCOMMIT\n' >"$TMP/c.chains"
	ip netns exec x-ipt-exe iptables-legacy-restore --noflush <"$TMP/c.chains" &&
		ip netns exec x-iptnft-exe iptables-nft-restore --noflush <"$TMP/c.chains" &&
		ip netns exec x-nft-exe nft 'add table ip t; add map ip t ports { type inet_proto . inet_service : ipv4_addr . inet_service; }' ||
		die "cannot make the executables' chains"
	# rules P TO A|D: the rule of port P to container port TO, as boxnet's
	# (its DNAT: the filter lets DNAT'ed connections in by one rule per network)
	rules() {
		printf '*nat\n-%s BASE -p tcp -m tcp --dport %s -j DNAT --to-destination 10.66.0.2:%s\nCOMMIT\n' \
			"$3" "$1" "$2"
	}
	rules 30000 80 A >"$TMP/c.add"
	rules 30000 80 D >"$TMP/c.del"
	i=0
	while [ $i -lt "$PAIRS" ]; do
		echo "$BOXNET --version" >&3 && echo "$BOXNET --version" >&3
		for t in box-nft box-iptnft box-ipt; do
			echo "$BOXNET portfwd add c-x-$t 30000:80" >>"$TMP/c.$t.lines"
			echo "$BOXNET portfwd del c-x-$t 30000:80" >>"$TMP/c.$t.lines"
		done
		echo "nft add element ip t ports { tcp . 30000 : 10.66.0.2 . 80 }" >&4
		echo "nft delete element ip t ports { tcp . 30000 }" >&4
		for t in ipt iptnft; do
			case $t in ipt) x=iptables-legacy-restore ;; *) x=iptables-nft-restore ;; esac
			echo "<$TMP/c.add $x --noflush -w 10" >>"$TMP/c.$t-exe.lines"
			echo "<$TMP/c.del $x --noflush -w 10" >>"$TMP/c.$t-exe.lines"
		done
		i=$((i + 1))
	done 3>"$TMP/c.version.lines" 4>"$TMP/c.nft-exe.lines"
	# grow TOOL FROM TO: ports FROM..TO-1 more (20000+P:20000+P), one call
	grow() {
		local t=$1 a=$(($2 + 20000)) b=$(($3 + 19999))
		[ "$a" -le "$b" ] || return 0
		case $t in
		version) ;;
		box-*) on "x-$t" "$(fwof $t)" portfwd add "c-x-$t" $(seq $a $b | awk '{ print $1 ":" $1 }') ;;
		nft-exe) { printf 'add element ip t ports {'; seq $a $b | awk '{ printf "%s tcp . %s : 10.66.0.2 . %s", (NR > 1 ? "," : ""), $1, $1 }'
			echo ' }'; } >"$TMP/c.grow" && ip netns exec x-nft-exe nft -f "$TMP/c.grow" ;;
		ipt-exe | iptnft-exe)
			for p in $(seq $a $b); do rules $p $p A; done >"$TMP/c.grow" &&
				case $t in ipt-exe) ip netns exec x-ipt-exe iptables-legacy-restore --noflush <"$TMP/c.grow" ;;
				*) ip netns exec x-iptnft-exe iptables-nft-restore --noflush <"$TMP/c.grow" ;; esac ;;
		esac || die "$t: cannot publish ports $a-$b"
	}
	count() { # count TOOL: its ports now
		case $1 in
		box-*) on "x-$1" "$(fwof $1)" portfwd ls "c-x-$1" | wc -l ;;
		nft-exe) ip netns exec x-nft-exe nft list map ip t ports | grep -o ' : 10\.' | wc -l ;;
		ipt-exe) ip netns exec x-ipt-exe iptables-legacy-save -t nat | grep -c ' -j DNAT' ;;
		iptnft-exe) ip netns exec x-iptnft-exe iptables-nft-save -t nat | grep -c ' -j DNAT' ;;
		esac
	}
	LEVELS="1 100 $N"
	for lv in $LEVELS; do
		for t in $tools; do grow $t "$have" "$lv"; done
		have=$lv
		r=1
		set -- $tools
		while [ $r -le "$REPS" ]; do
			for t in "$@"; do
				ip netns exec "x-$t" env BOXNET_RUN_DIR="/run/boxnet-x-$t" BOXNET_FIREWALL="$(fwof $t)" \
					"$SPAWN" -t 60 - <"$TMP/c.$t.lines" >"$TMP/w" || die "$t: add/del failed (N=$lv)"
				sed -n 'p;n' "$TMP/w" >>"$TMP/c.$t.$lv.add"
				sed -n 'n;p' "$TMP/w" >>"$TMP/c.$t.$lv.del"
			done
			set -- "$@" "$1" && shift # the next round starts with the next tool
			r=$((r + 1))
		done
		for t in $tools; do
			[ $t = version ] || [ "$(count $t)" = $((lv - 1)) ] || die "$t: $(count $t) ports at N=$lv, want $((lv - 1))"
		done
	done
	# cell FILE: "median/p90 (cpu median)" in ms
	cell() {
		printf '%s %s %s' "$(ms "$(cut -d' ' -f1 "$1" | pctl 50)")" "$(ms "$(cut -d' ' -f1 "$1" | pctl 90)")" \
			"$(ms "$(cut -d' ' -f2 "$1" | pctl 50)")"
	}
	echo
	echo "(c) add and del of port N (30000:80) beside N-1 others, $PAIRS pairs x $REPS rounds, the"
	echo "    tools taking turns; ms per call: wall median, p90, cpu median"
	printf '  %-30s' tool
	for lv in $LEVELS; do printf ' %-20s %-20s' "add N=$lv" "del N=$lv"; done
	echo
	for t in $tools; do
		case $t in version) l="boxnet --version (floor)" ;; box-nft) l="boxnet portfwd, nft" ;;
		box-iptnft) l="boxnet portfwd, iptables-nft" ;; box-ipt) l="boxnet portfwd, iptables" ;;
		nft-exe) l="nft add/delete element" ;; iptnft-exe) l="iptables-nft-restore" ;;
		ipt-exe) l="iptables-legacy-restore" ;; esac
		printf '  %-30s' "$l"
		for lv in $LEVELS; do
			printf ' %-20s %-20s' "$(cell "$TMP/c.$t.$lv.add")" "$(cell "$TMP/c.$t.$lv.del")"
		done
		echo
	done
	echo "  ($(nft --version), $(iptables-legacy --version), $(iptables-nft --version))"
}
fwof() { case $1 in box-nft) echo nft ;; box-iptnft) echo iptables-nft ;; box-ipt) echo iptables ;; *) echo none ;; esac; }
case $PARTS in *a*) part_a ;; esac
case $PARTS in *b*) part_b ;; esac
case $PARTS in *c*) part_c ;; esac
finish
