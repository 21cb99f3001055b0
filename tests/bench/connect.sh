#!/bin/sh
# Issue 3: connecting N (500) containers to one network, one after another,
# then disconnecting them all, with boxnet and with what one would use instead:
#   boxnet      boxnet netconnect / netdisconnect (BOXNET_FIREWALL=none)
#   ip-sh       a dash script per container running 5 ip commands (veth made
#               with its peer in the netns and its host end on the bridge and
#               up; address, eth0 up, lo up, default route), plus mkdir, a line
#               appended to a shared hosts file and ln -s of hosts and
#               resolv.conf into /etc/netns/C — what netconnect does, without
#               IPAM (the harness passes the address and MAC); disconnect:
#               ip link del, sed -i of the hosts line, rm -rf /etc/netns/C
#   ip-batch    the same with the 4 in-container steps in one `ip -n C -batch -`
#   cni         /usr/lib/cni/bridge with host-local IPAM (ADD, DEL), isGateway,
#               ipMasq false: no firewall rules, no lo, no hosts file
#   boxnet-cni  boxnet as a CNI plugin (ADD, DEL) of the same shape: its own
#               IPAM, lo, hosts and resolv.conf kept, no firewall (as boxnet)
#   boxnet-port boxnet with its nft backend, each container publishing a port
#               of its own as it connects: netconnect -p HOSTPORT:80, one call
#               as docker run -p (its own state, BOXNET_RUN_DIR)
#   ip-link     the kernel's part alone: ip link add VETH master BRIDGE type
#               veth peer name eth0 netns C; disconnect: ip link del VETH
# Each call (for the scripts: the whole script, /bin/sh included) is started
# by spawn and timed alone. The experiment is repeated REPS (3) times, the
# tools taking turns in each; a position's figures pool the calls of a 10-call
# window in every repetition: "1st" = calls 1-10, "100th" = 96-105, "500th" =
# 491-500 (30 calls), median and p90. Totals are sums of the per-call times of
# one repetition, median over repetitions. BENCH_TOOLS="ip-sh cni" runs only
# those beside boxnet, the reference; BENCH_N and BENCH_REPS change N and REPS.
. "$(dirname "$0")/lib.sh"

N=${BENCH_N:-500}
REPS=${BENCH_REPS:-3}
IP=$(command -v ip)
CNI=/usr/lib/cni
[ "$N" -ge 110 ] || die "BENCH_N must be at least 110"
TOOLS="boxnet boxnet-port ip-link ip-sh ip-batch boxnet-cni" have_cni=
if [ -x $CNI/bridge ] && [ -x $CNI/host-local ]; then TOOLS="$TOOLS cni" have_cni=1; else
	cni_note="cni: skipped, $CNI/bridge or host-local missing (apt-get install containernetworking-plugins)"
fi
[ -n "${BENCH_TOOLS:-}" ] && TOOLS="boxnet ${BENCH_TOOLS#boxnet }" # boxnet is the reference
case " $TOOLS " in *" cni "*) ;; *) have_cni= ;; esac

# --- the containers and the three networks --------------------------------------------
i=1
while [ $i -le "$N" ]; do echo "netns add c$i"; i=$((i + 1)); done | "$IP" -batch - ||
	die "cannot make $N namespaces"
"$BOXNET" netcreate --subnet 10.77.0.0/16 benchnet >/dev/null || die "netcreate failed"
PORT="BOXNET_RUN_DIR=/run/boxnet-port BOXNET_FIREWALL=nft $BOXNET"
BOXNET_RUN_DIR=/run/boxnet-port BOXNET_FIREWALL=nft "$BOXNET" netcreate --subnet 10.76.0.0/16 benchport >/dev/null ||
	die "netcreate benchport failed"
boxbr=$(sed -n 's/^bridge=//p' /run/boxnet/networks/benchnet)
"$IP" link add br-ip type bridge && "$IP" addr add 10.78.0.1/16 dev br-ip &&
	"$IP" link set br-ip up || die "cannot make br-ip"
mkdir "$TMP/ip"
H=$TMP/ip/hosts R=$TMP/ip/resolv.conf # each container gets links to both
printf '127.0.0.1\tlocalhost\n' >"$H"
grep -v '^nameserver 127\.' /etc/resolv.conf >"$R" 2>/dev/null

# the per-container scripts: ip-sh and ip-batch share everything but the inside steps
for v in sh batch; do
	{
		echo 'set -e # usage: connect C VETH IP MAC'
		echo 'ip link add "$2" mtu 1500 master br-ip up type veth peer name eth0 address "$4" netns "$1"'
		if [ $v = sh ]; then
			echo 'ip -n "$1" addr add "$3/16" dev eth0'
			echo 'ip -n "$1" link set eth0 up'
			echo 'ip -n "$1" link set lo up'
			echo 'ip -n "$1" route add default via 10.78.0.1'
		else
			printf 'ip -n "$1" -batch - <<EOF\naddr add $3/16 dev eth0\nlink set eth0 up\n'
			printf 'link set lo up\nroute add default via 10.78.0.1\nEOF\n'
		fi
		echo 'mkdir -p "/etc/netns/$1"'
		printf 'printf "%%s\\t%%s\\n" "$3" "$1" >>%s\n' "$H"
		echo "ln -sf $H $R \"/etc/netns/\$1/\""
	} >"$TMP/ip-$v.connect"
done
printf 'set -e # usage: disconnect C VETH\nip link del "$2"\nsed -i "/\t$1\\$/d" %s\nrm -rf "/etc/netns/$1"\n' \
	"$H" >"$TMP/ip.disconnect"

mkdir -p "$TMP/ipam"
cat >"$TMP/cni.json" <<EOF
{ "cniVersion": "1.0.0", "name": "benchcni", "type": "bridge", "bridge": "cni-bench",
  "isGateway": true, "ipMasq": false, "mtu": 1500,
  "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.79.0.0/16" }]],
            "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "$TMP/ipam" } }
EOF
cni() { # cni ADD|DEL C [CONFIG PLUGIN]: one spawn line
	echo "CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$2 CNI_IFNAME=eth0" \
		"CNI_PATH=$CNI <${3:-$TMP/cni.json} ${4:-$CNI/bridge}"
}
# boxnet's CNI plugin: its network is made by the first ADD (the warm-up)
printf '{"cniVersion":"1.0.0","name":"benchbox","type":"boxnet","network":"benchbox","subnet":"10.80.0.0/16","mtu":1500}' \
	>"$TMP/box.json"
bcni() { cni "$1" "$2" "$TMP/box.json" "$BOXNET"; }

# the spawn lines of each tool and operation
i=1
while [ $i -le "$N" ]; do
	a=$(((i + 1) / 256)).$(((i + 1) % 256))
	mac=$(printf '02:42:0a:4e:%02x:%02x' $(((i + 1) / 256)) $(((i + 1) % 256)))
	echo "$BOXNET netconnect benchnet c$i" >&3
	echo "$PORT netconnect -p $((20000 + i)):80 benchport c$i" >>"$TMP/boxnet-port.connect.lines"
	echo "$PORT netdisconnect benchport c$i" >>"$TMP/boxnet-port.disconnect.lines"
	echo "$IP link add vl$i master br-ip type veth peer name eth0 netns c$i" >>"$TMP/ip-link.connect.lines"
	echo "$IP link del vl$i" >>"$TMP/ip-link.disconnect.lines"
	echo "$BOXNET netdisconnect benchnet c$i" >&4
	echo "sh $TMP/ip-sh.connect c$i vip$i 10.78.$a $mac" >&5
	echo "sh $TMP/ip-batch.connect c$i vip$i 10.78.$a $mac" >&6
	echo "sh $TMP/ip.disconnect c$i vip$i" >&7
	cni ADD "c$i" >&8
	cni DEL "c$i" >&9
	bcni ADD "c$i" >>"$TMP/boxnet-cni.connect.lines"
	bcni DEL "c$i" >>"$TMP/boxnet-cni.disconnect.lines"
	i=$((i + 1))
done 3>"$TMP/boxnet.connect.lines" 4>"$TMP/boxnet.disconnect.lines" \
	5>"$TMP/ip-sh.connect.lines" 6>"$TMP/ip-batch.connect.lines" 7>"$TMP/ip.disconnect.lines" \
	8>"$TMP/cni.connect.lines" 9>"$TMP/cni.disconnect.lines"
cp "$TMP/ip.disconnect.lines" "$TMP/ip-sh.disconnect.lines"
cp "$TMP/ip.disconnect.lines" "$TMP/ip-batch.disconnect.lines"

bridge_of() {
	case $1 in boxnet) echo "$boxbr" ;; cni) echo cni-bench ;;
	boxnet-cni) sed -n 's/^bridge=//p' /run/boxnet/networks/benchbox ;;
	boxnet-port) sed -n 's/^bridge=//p' /run/boxnet-port/networks/benchport ;; *) echo br-ip ;; esac
}
ports() { ls "/sys/class/net/$1/brif" 2>/dev/null | wc -l; }

case " $TOOLS " in *" boxnet-cni "*) # its first ADD makes the network: not measured
	"$IP" netns add warm2 && bcni ADD warm2 | "$SPAWN" - >/dev/null && bcni DEL warm2 | "$SPAWN" - >/dev/null ||
		die "boxnet CNI warm-up failed" ;;
esac
if [ -n "$have_cni" ]; then # the first ADD makes the bridge: not measured
	"$IP" netns add warm && cni ADD warm | "$SPAWN" - >/dev/null && cni DEL warm | "$SPAWN" - >/dev/null ||
		die "CNI warm-up failed"
fi

# check TOOL OP WHEN: the bridge has N ports after connect, none after; the last
# container has a default route (and for all but CNI, its hosts file)
check() {
	local p want=$N
	[ "$2" = disconnect ] && want=0
	p=$(ports "$(bridge_of "$1")")
	[ "$p" = "$want" ] || die "$1 $2 $3: $p ports on the bridge, want $want"
	[ "$2" = disconnect ] && return
	[ "$1" = ip-link ] && return # a veth and nothing more
	[ "$1" != boxnet-port ] || [ "$(BOXNET_RUN_DIR=/run/boxnet-port "$BOXNET" portfwd ls | wc -l)" = "$N" ] ||
		die "$1 $2 $3: not $N ports published"
	[ -n "$("$IP" -n "c$N" route show default)" ] || die "$1 $2 $3: no default route in c$N"
	[ "$1" = cni ] || grep -q "	c$N\$" "/etc/netns/c$N/hosts" || die "$1 $2 $3: c$N not in its hosts"
	[ "$1" = cni ] && [ -z "${fw:-}" ] && fw=$( (iptables-legacy-save 2>/dev/null | grep -c '^-A'
		nft list ruleset 2>/dev/null | grep -c .) | awk '{ s += $1 } END { print s + 0 }') &&
		cni_note="cni: $fw iptables rules + nft ruleset lines after the ADDs (ipMasq false); its first ADD, which makes the bridge, ran before"
	return 0
}

# --- the runs -------------------------------------------------------------------------
echo "connect: $N containers (named netns) joined to one network one after another, then"
echo "         disconnected in the same order; $REPS repetitions, the tools taking turns"
echo "         (firewall work excluded: BOXNET_FIREWALL=none, CNI with ipMasq false)"
r=1
while [ $r -le "$REPS" ]; do
	for t in $TOOLS; do
		for op in connect disconnect; do
			"$SPAWN" -t 60 - <"$TMP/$t.$op.lines" >"$TMP/$t.$op.$r" || die "$t $op failed (run $r)"
			check $t $op "(run $r)"
		done
	done
	r=$((r + 1))
done

# --- the figures ----------------------------------------------------------------------
mid=$((100 - 4)) last=$((N - 9))
label() { case $1 in boxnet) echo "boxnet net$2" ;; ip-sh) echo "iproute2 script" ;;
	ip-batch) echo "iproute2 script -batch" ;; cni) echo "CNI bridge plugin" ;;
	boxnet-cni) echo "boxnet CNI plugin" ;; ip-link) echo "ip link add/del (kernel)" ;;
	boxnet-port) [ "$2" = connect ] && echo "boxnet nft, netconnect -p" || echo "boxnet nft, ports: disconnect" ;; esac; }
for op in connect disconnect; do
	echo
	echo "$op: wall ms per call (windows of 10 calls x $REPS runs), total s of $N calls (median run)"
	printf '  %-30s %14s %14s %14s %9s %9s\n' tool "1st med p90" "100th med p90" "${N}th med p90" \
		"total s" "cpu s"
	for t in $TOOLS; do
		set -- $(win $t $op 1 10) $(win $t $op $mid 105) $(win $t $op $last "$N") \
			$(total $t $op 1) $(total $t $op 2)
		printf '  %-30s %7s %6s %7s %6s %7s %6s %9s %9s\n' "$(label $t $op)" "$@"
		echo "$t $*" >>"$TMP/$op.table"
	done
	echo "  ratio tool/boxnet of the medians and totals:"
	for t in $TOOLS; do
		[ $t = boxnet ] && continue
		awk -v t=$t -v l="$(label $t $op)" '$1 == "boxnet" { for (i = 2; i <= NF; i++) b[i] = $i }
			$1 == t { printf "  %-30s %7.2f %6s %7.2f %6s %7.2f %6s %9.2f %9.2f\n", l,
				$2 / b[2], "", $4 / b[4], "", $6 / b[6], "", $8 / b[8], $9 / b[9] }' "$TMP/$op.table"
	done
	echo "  growth: median ms per call in each block of $((N / 5)) calls (all runs pooled), wall | cpu"
	for t in $TOOLS; do
		printf '  %-30s' "$(label $t $op)"
		for c in 1 2; do
			for b in 0 1 2 3 4; do
				printf ' %6s' "$(win $t $op $((b * N / 5 + 1)) $(((b + 1) * N / 5)) $c | cut -d' ' -f1)"
			done
			[ $c = 1 ] && printf ' |'
		done
		echo
	done
done
echo
echo "  ${cni_note:-}"
finish
