#!/bin/sh
# Before and after: the binary under test (build/boxnet, "after") against one
# built from an earlier revision ("before": BENCH_BASE, default f3a380a, the
# last commit before the core/lib/netlink refactor), in the same run:
#   connect      netconnect of N (BENCH_N, 200) containers (named netns) to one
#                network one after another, then netdisconnect of them all in
#                the same order (BOXNET_FIREWALL=none); windows of 10 calls as
#                in connect.sh: "1st" = calls 1-10, "100th" = 96-105 (when N is
#                at least 110), "Nth" = the last 10, and all N calls
#   ports        portfwd add and portfwd del of the K-th published port (K =
#                BENCH_PORTS, 300; HOSTPORT:80 on one connected container): the
#                K-1 others are published in one unmeasured call, then PAIRS
#                (BENCH_PAIRS, 20) x (add of port K, del of port K), each call
#                timed; on nft, and on iptables when legacy x_tables works
#                (`iptables-legacy -L -n`); the ports are removed after the turn
# The before binary: `git archive BENCH_BASE` exported into a temporary
# directory, `make -C DIR -j2` (the static musl build), copied to
# build/base/boxnet (kept, with build/base/commit, and reused while the commit
# is the same). Without git or the revision (a tarball) the script prints a
# note and does nothing. The working tree is not touched.
# BENCH_BASE=HEAD measures the binary under test against itself (an A/A run):
# the spread of its ratios around 1 is this machine's noise at that moment.
# Each binary has its own host namespace per case (its bridge, its firewall
# tables), its own state directory (BOXNET_RUN_DIR) and its own containers,
# so neither sees the other's state. REPS (BENCH_REPS, 5) repetitions; in each
# the two binaries take turns for every case, the one going first alternating
# from one repetition to the next. Every call is started by spawn and timed
# alone; a row pools its calls of every repetition: median and p90 of wall
# time, after/before ratios of the wall and cpu medians, and the range of the
# wall ratio computed per repetition (what one run alone would have said: the
# noise to read the pooled ratio against).
. "$(dirname "$0")/lib.sh"

BASE=${BENCH_BASE:-f3a380a}
N=${BENCH_N:-200} K=${BENCH_PORTS:-300} REPS=${BENCH_REPS:-5} PAIRS=${BENCH_PAIRS:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ "$N" -ge 10 ] || die "BENCH_N must be at least 10"
[ "$K" -ge 1 ] && [ "$PAIRS" -ge 1 ] && [ "$REPS" -ge 1 ] || die "BENCH_PORTS, BENCH_PAIRS and BENCH_REPS must be at least 1"

# --- the before binary ----------------------------------------------------------------
skip() {
	echo "versus: skipped, $*"
	finish
}
command -v git >/dev/null || skip "no git to build the before binary ($BASE) from"
git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 || skip "$ROOT is not a git checkout (no $BASE to build)"
commit=$(git -C "$ROOT" rev-parse -q --verify "$BASE^{commit}") ||
	skip "revision $BASE is not in this repository (BENCH_BASE)"
BEFORE=$BUILD/base/boxnet
if [ -x "$BEFORE" ] && [ "$(cat "$BUILD/base/commit" 2>/dev/null)" = "$commit" ]; then
	built="kept from an earlier run"
else
	src=$TMP/base-src
	mkdir -p "$src" "$BUILD/base" && rm -f "$BUILD/base/commit" "$BEFORE" || die "cannot make $BUILD/base"
	git -C "$ROOT" archive "$commit" | tar -x -C "$src" || die "git archive $BASE failed"
	# VERSION: the export has no .git for `git describe`
	make -C "$src" -j2 VERSION="$(git -C "$ROOT" describe --always "$commit")" >"$TMP/base-make.log" 2>&1 ||
		{ tail -20 "$TMP/base-make.log" >&2; die "make of $BASE failed (above: the end of its log)"; }
	cp "$src/build/boxnet" "$BEFORE" && echo "$commit" >"$BUILD/base/commit" || die "cannot copy the before binary"
	rm -rf "$src"
	built="built now"
fi

# --- hosts, containers, the spawn lines --------------------------------------------------
FWS=nft fw_note=
if command -v iptables-legacy >/dev/null && iptables-legacy -L -n >/dev/null 2>&1; then FWS="nft iptables"; else
	fw_note="iptables: skipped, \`iptables-legacy -L -n\` does not work here (no legacy x_tables)"
fi
bin() { [ "$1" = b ] && echo "$BEFORE" || echo "$BOXNET"; }
# on X HOST FIREWALL ARGS...: binary X in namespace HOST with HOST's state
on() {
	local b h=$2 fw=$3
	b=$(bin "$1")
	shift 3
	ip netns exec "$h" env BOXNET_RUN_DIR="/run/boxnet-$h" BOXNET_FIREWALL="$fw" "$b" "$@"
}
# timed X HOST FIREWALL LINES: the spawn lines, one "wall cpu" line per call
timed() {
	ip netns exec "$2" env BOXNET_RUN_DIR="/run/boxnet-$2" BOXNET_FIREWALL="$3" "$SPAWN" -t 60 - <"$4"
}
# the hosts and containers: connect: host hX, containers cX1..cXN;
# ports on FW: host pX-FW, container qX-FW (X: b before, a after)
for x in b a; do
	echo "netns add h$x"
	i=1
	while [ $i -le "$N" ]; do echo "netns add c$x$i"; i=$((i + 1)); done
	for fw in $FWS; do echo "netns add p$x-$fw" && echo "netns add q$x-$fw"; done
done | ip -batch - || die "cannot make the namespaces"
for x in b a; do
	ip -n "h$x" link set lo up || die "cannot set up h$x"
	b=$(bin $x)
	i=1
	while [ $i -le "$N" ]; do
		echo "$b netconnect benchnet c$x$i" >&3
		echo "$b netdisconnect benchnet c$x$i" >&4
		i=$((i + 1))
	done 3>"$TMP/$x.connect.lines" 4>"$TMP/$x.disconnect.lines"
	for fw in $FWS; do
		h=p$x-$fw c=q$x-$fw
		{ ip -n "$h" link set lo up && on "$x" "$h" "$fw" netcreate --subnet 10.78.0.0/16 n >/dev/null &&
			on "$x" "$h" "$fw" netconnect n "$c"; } || die "cannot connect $c ($x, $fw)"
		i=0
		while [ $i -lt "$PAIRS" ]; do
			echo "$b portfwd add $c $((20000 + K)):80"
			echo "$b portfwd del $c $((20000 + K)):80"
			i=$((i + 1))
		done >"$TMP/$x.$fw.lines"
	done
done
OTHERS=$(i=1 && while [ $i -lt "$K" ]; do echo "$((20000 + i)):80" && i=$((i + 1)); done)

veths() { ip -n "$1" -o link show type veth | wc -l; }
# connect_turn X REP: netcreate, N connects, N disconnects, netrm
connect_turn() {
	local x=$1 r=$2 v
	on "$x" "h$x" none netcreate --subnet 10.77.0.0/16 benchnet >/dev/null || die "$x: netcreate failed (run $r)"
	timed "$x" "h$x" none "$TMP/$x.connect.lines" >"$TMP/$x.connect.$r" || die "$x: connect failed (run $r)"
	v=$(veths "h$x")
	[ "$v" = "$N" ] || die "$x: $v veths after $N connects (run $r)"
	[ -n "$(ip -n "c$x$N" route show default)" ] || die "$x: no default route in c$x$N (run $r)"
	grep -q "	c$x$N\$" "/etc/netns/c$x$N/hosts" || die "$x: c$x$N not in its hosts file (run $r)"
	timed "$x" "h$x" none "$TMP/$x.disconnect.lines" >"$TMP/$x.disconnect.$r" || die "$x: disconnect failed (run $r)"
	v=$(veths "h$x")
	[ "$v" = 0 ] || die "$x: $v veths after the disconnects (run $r)"
	on "$x" "h$x" none netrm benchnet >/dev/null || die "$x: netrm failed (run $r)"
}
# ports_turn X FW REP: K-1 ports in one call, PAIRS x (add K, del K), all removed
ports_turn() {
	local x=$1 fw=$2 r=$3 h=p$1-$2 c=q$1-$2 n lister
	if [ "$K" -gt 1 ]; then
		# shellcheck disable=SC2086
		on "$x" "$h" "$fw" portfwd add "$c" $OTHERS || die "$x $fw: cannot publish $((K - 1)) ports (run $r)"
	fi
	n=$(on "$x" "$h" "$fw" portfwd ls "$c" | wc -l)
	[ "$n" = $((K - 1)) ] || die "$x $fw: $n ports published, want $((K - 1)) (run $r)"
	timed "$x" "$h" "$fw" "$TMP/$x.$fw.lines" >"$TMP/w" || die "$x $fw: portfwd add/del of port $K failed (run $r)"
	sed -n 'p;n' "$TMP/w" >"$TMP/$x.add-$fw.$r"
	sed -n 'n;p' "$TMP/w" >"$TMP/$x.del-$fw.$r"
	n=$(on "$x" "$h" "$fw" portfwd ls "$c" | wc -l)
	[ "$n" = $((K - 1)) ] || die "$x $fw: $n ports published after the add/del pairs, want $((K - 1)) (run $r)"
	# the firewall holds them: port K-1 is in the namespace's tables (when the tool is there)
	case $fw in nft) lister="nft list ruleset" ;; iptables) lister="iptables-legacy-save -t nat" ;; esac
	if [ "$K" -gt 1 ] && command -v "${lister%% *}" >/dev/null; then
		# shellcheck disable=SC2086
		ip netns exec "$h" $lister | grep -q "$((20000 + K - 1))" ||
			die "$x $fw: port $((20000 + K - 1)) is not in the firewall (run $r)"
	fi
	on "$x" "$h" "$fw" portfwd del "$c" || die "$x $fw: cannot remove the ports (run $r)"
}

# --- the runs ---------------------------------------------------------------------------
echo "versus: before = $BASE ($(git -C "$ROOT" log -1 --format='%h %cs' "$commit"), $($BEFORE --version), $built)"
echo "        after  = $BOXNET ($($BOXNET --version))"
echo "        connect: $N containers connected one after another, then disconnected in the same"
echo "        order (BOXNET_FIREWALL=none); ports: add and del of port $K with $((K - 1)) others"
echo "        published, $PAIRS pairs a turn, on: $FWS; repetitions: $REPS, the binaries taking turns"
echo "        (b = before, a = after; who goes first alternates), each in its own namespaces and state"
r=1
while [ $r -le "$REPS" ]; do
	[ $((r % 2)) = 1 ] && order="b a" || order="a b"
	for x in $order; do connect_turn "$x" $r; done
	for fw in $FWS; do
		for x in $order; do ports_turn "$x" "$fw" $r; done
	done
	r=$((r + 1))
done

# --- the figures ------------------------------------------------------------------------
# vals X CASE A B COLUMN [REP]: column (1 wall, 2 cpu) of calls A..B of every run, or of run REP
vals() {
	for f in "$TMP/$1.$2".${6:-[0-9]*}; do sed -n "$3,$4p" "$f"; done | awk -v c="$5" '{ print $c }'
}
# row LABEL CASE A B: one line of the table
row() {
	local bm bp am ap bc ac rr lo hi
	bm=$(vals b "$2" "$3" "$4" 1 | pctl 50) bp=$(vals b "$2" "$3" "$4" 1 | pctl 90)
	am=$(vals a "$2" "$3" "$4" 1 | pctl 50) ap=$(vals a "$2" "$3" "$4" 1 | pctl 90)
	bc=$(vals b "$2" "$3" "$4" 2 | pctl 50) ac=$(vals a "$2" "$3" "$4" 2 | pctl 50)
	rr=1
	while [ $rr -le "$REPS" ]; do
		# shellcheck disable=SC2005 # ratio's awk ends without a newline
		echo "$(ratio "$(vals a "$2" "$3" "$4" 1 $rr | pctl 50)" "$(vals b "$2" "$3" "$4" 1 $rr | pctl 50)")"
		rr=$((rr + 1))
	done >"$TMP/rr"
	lo=$(pctl 1 <"$TMP/rr") hi=$(pctl 100 <"$TMP/rr")
	printf '  %-37s %6s %6s %5s %6s %6s %5s %6s %5s  %s\n' "$1" "$(ms "$bm")" "$(ms "$bp")" "$(ms "$bc")" \
		"$(ms "$am")" "$(ms "$ap")" "$(ms "$ac")" "$(ratio "$am" "$bm")" "$(ratio "$ac" "$bc")" \
		"$([ "$REPS" -gt 1 ] && echo "$lo-$hi" || echo "$lo")"
}
echo
echo "ms per call: wall median and p90, cpu median (pooled over the $REPS runs); after/before of the"
echo "medians (wall, cpu), and of the wall medians run by run (min-max)"
printf '  %-37s %19s %19s %12s  %s\n' "" "before" "after" "after/before" "per run"
printf '  %-37s %6s %6s %5s %6s %6s %5s %6s %5s  %s\n' what wall p90 cpu wall p90 cpu wall cpu wall
for op in connect disconnect; do
	row "net$op, calls 1-10 (1st)" $op 1 10
	[ "$N" -ge 110 ] && row "net$op, calls 96-105 (100th)" $op 96 105
	[ "$N" -ge 20 ] && row "net$op, calls $((N - 9))-$N (${N}th)" $op $((N - 9)) "$N"
	row "net$op, all $N calls" $op 1 "$N"
done
for fw in $FWS; do
	row "portfwd add, port $K, $fw" "add-$fw" 1 "$PAIRS"
	row "portfwd del, port $K, $fw" "del-$fw" 1 "$PAIRS"
done
echo "  sizes: before $(kib "$(stat -c %s "$BEFORE")") KiB, after $(kib "$(stat -c %s "$BOXNET")") KiB"
[ -z "$fw_note" ] || echo "  $fw_note"

# --- clean up -----------------------------------------------------------------------------
for x in b a; do
	echo "netns del h$x"
	i=1
	while [ $i -le "$N" ]; do echo "netns del c$x$i"; i=$((i + 1)); done
	for fw in $FWS; do echo "netns del p$x-$fw" && echo "netns del q$x-$fw"; done
done | ip -force -batch - || die "cannot remove the namespaces"
rm -rf /run/boxnet-hb /run/boxnet-ha /run/boxnet-p[ab]-*
finish
