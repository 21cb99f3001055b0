#!/bin/sh
# Issue 9: CNI ADD and DEL of a container with one port mapping, boxnet's
# plugin (its portMappings capability) beside Debian's bridge + host-local
# followed by the portmap plugin, as a runtime chains them; and each without
# the port. N (110) containers, one after another; the tools take turns in
# REPS (3) repetitions; figures for the 1st and the 100th container (windows
# of 10 calls, all repetitions pooled): median wall ms, and ratios.
#   boxnet          one exec: CNI_COMMAND=ADD boxnet (nft backend)
#   bridge+portmap  two execs per container: bridge (host-local IPAM), then
#                   portmap with the bridge's result as prevResult (computed
#                   here: host-local hands out addresses in order); the pair's
#                   times are added up. DEL: portmap, then bridge.
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-110}
REPS=${BENCH_REPS:-3}
CNI=/usr/lib/cni
[ "$N" -ge 110 ] || die "BENCH_N must be at least 110"
for p in bridge host-local portmap; do
	[ -x $CNI/$p ] || { echo "cniports: skipped, $CNI/$p missing (apt-get install containernetworking-plugins)"; finish; }
done
export BOXNET_FIREWALL=nft
i=1
while [ $i -le "$N" ]; do echo "netns add c$i"; i=$((i + 1)); done | ip -batch - || die "cannot make namespaces"
mkdir -p "$TMP/ipam"
env() { echo "CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$2 CNI_IFNAME=eth0 CNI_PATH=$CNI"; }
pm() { printf '"runtimeConfig":{"portMappings":[{"hostPort":%d,"containerPort":80,"protocol":"tcp"}]}' $((20000 + $1)); }
# lines TOOL PORT: the spawn lines of one repetition, connect and disconnect
lines() {
	local i=1 a
	: >"$TMP/$1-$2.add"
	: >"$TMP/$1-$2.del"
	while [ $i -le "$N" ]; do
		a=10.79.$(((i + 1) / 256)).$(((i + 1) % 256))
		case $1 in
		boxnet)
			printf '{"cniVersion":"1.0.0","name":"bb","type":"boxnet","subnet":"10.80.0.0/16"%s}' \
				"$([ "$2" = port ] && echo ",$(pm $i)")" >"$TMP/b$i.json"
			echo "$(env ADD c$i) <$TMP/b$i.json $BOXNET" >>"$TMP/$1-$2.add"
			echo "$(env DEL c$i) <$TMP/b$i.json $BOXNET" >>"$TMP/$1-$2.del" ;;
		bridge)
			printf '{"cniVersion":"1.0.0","name":"cb","type":"bridge","bridge":"cni-b","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.79.0.0/16"}]],"dataDir":"%s"}}' \
				"$TMP/ipam" >"$TMP/c$i.json"
			printf '{"cniVersion":"1.0.0","name":"cb","type":"portmap","capabilities":{"portMappings":true},%s,"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/c%d"}],"ips":[{"address":"%s/16","gateway":"10.79.0.1","interface":0}]}}' \
				"$(pm $i)" $i "$a" >"$TMP/p$i.json"
			echo "$(env ADD c$i) <$TMP/c$i.json $CNI/bridge" >>"$TMP/$1-$2.add"
			[ "$2" = port ] && echo "$(env ADD c$i) <$TMP/p$i.json $CNI/portmap" >>"$TMP/$1-$2.add"
			[ "$2" = port ] && echo "$(env DEL c$i) <$TMP/p$i.json $CNI/portmap" >>"$TMP/$1-$2.del"
			echo "$(env DEL c$i) <$TMP/c$i.json $CNI/bridge" >>"$TMP/$1-$2.del" ;;
		esac
		i=$((i + 1))
	done
}
for t in boxnet bridge; do for p in port none; do lines $t $p; done; done
# the first ADD of each makes its network or bridge: not measured
ip netns add warm
for t in "$TMP/b1.json $BOXNET" "$TMP/c1.json $CNI/bridge"; do
	set -- $t
	for op in ADD DEL; do echo "$(env $op warm) <$1 $2"; done | "$SPAWN" - >/dev/null || die "warm-up failed: $2"
done
rm -rf "$TMP/ipam"/*
r=1
while [ $r -le "$REPS" ]; do
	for t in boxnet bridge; do
		for p in port none; do
			for op in add del; do
				"$SPAWN" -t 60 - <"$TMP/$t-$p.$op" >"$TMP/$t-$p.$op.raw" || die "$t $p $op failed (run $r)"
				# bridge+portmap: two lines per container, added up
				if [ $t = bridge ] && [ $p = port ]; then
					awk 'NR % 2 { w = $1; next } { print w + $1 }' "$TMP/$t-$p.$op.raw"
				else
					awk '{ print $1 }' "$TMP/$t-$p.$op.raw"
				fi >"$TMP/$t-$p.$op.$r"
			done
		done
	done
	r=$((r + 1))
done
win() { for f in "$TMP/$1".[0-9]*; do sed -n "$2,$3p" "$f"; done | pctl 50; }
echo "cniports: CNI ADD/DEL of $N containers one after another, $REPS runs; median wall ms of"
echo "          calls 1-10 and 96-105 of every run (bridge+portmap: both plugins' times added)"
printf '  %-34s %8s %8s %8s %8s\n' "" "ADD 1st" "100th" "DEL 1st" "100th"
for p in none port; do
	for t in boxnet bridge; do
		set -- $(win $t-$p.add 1 10) $(win $t-$p.add 96 105) $(win $t-$p.del 1 10) $(win $t-$p.del 96 105)
		echo "$t-$p $*" >>"$TMP/table"
		case $t-$p in
		boxnet-none) l="boxnet" ;; boxnet-port) l="boxnet, portMappings" ;;
		bridge-none) l="bridge+host-local" ;; bridge-port) l="bridge+host-local, then portmap" ;;
		esac
		printf '  %-34s %8s %8s %8s %8s\n' "$l" "$(ms $1)" "$(ms $2)" "$(ms $3)" "$(ms $4)"
	done
done
echo "  ratio Debian's plugins / boxnet:"
for p in none port; do
	awk -v p=$p '$1 == "boxnet-" p { for (i = 2; i <= 5; i++) b[i] = $i }
		$1 == "bridge-" p { printf "  %-34s %8.2f %8.2f %8.2f %8.2f\n", (p == "port" ? "with one port mapping" : "without"),
			$2 / b[2], $3 / b[3], $4 / b[4], $5 / b[5] }' "$TMP/table"
done
finish
