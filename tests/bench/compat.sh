#!/bin/sh
# Issue 2: what the compatibility applets cost beside the tools they replace.
#   (a) size on disk: build/CONFIG/boxnet against brctl and ip with their
#       shared libraries (ldd), and busybox when there is one
#   (b) peak memory of `brctl show` with 50 bridges of one port each
#   (c) one addbr/addif/delbr cycle, and one `netns add` + `netns delete`
# Every command is started by spawn (no shell in the figures). Timings are
# taken in ROUNDS alternating rounds of ITER runs per tool, after 3 warm-up
# runs each, and pooled: median and p90 over ROUNDS*ITER runs.
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-5}
ITER=${BENCH_ITER:-10}
BRCTL=/usr/sbin/brctl IP=/usr/bin/ip
[ -x $BRCTL ] || BRCTL=$(command -v brctl)
[ -x $IP ] || IP=$(command -v ip)
[ -x "$BRCTL" ] || die "bridge-utils' brctl is missing (sh tests/deps.sh test)"

ver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "?"; }
echo "compat: boxnet's brctl and ipnetns beside bridge-utils $(ver bridge-utils) and iproute2 $(ver iproute2)"
echo "        boxnet: $BOXNET ($($BOXNET --version 2>&1))"

# --- (a) size --------------------------------------------------------------------
# libs FILE: the shared libraries FILE loads, one resolved path a line (none if static)
libs() {
	ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r l; do readlink -f "$l"; done | sort -u
}
size() { stat -L -c %s "$1"; }
# sum FILE...: total bytes
sum() { local t=0 f; for f in "$@"; do t=$((t + $(size "$f"))); done; echo $t; }

echo
echo "(a) size on disk (stat; shared libraries found with ldd, each counted once per row)"
printf '  %-34s %10s %9s %14s  %s\n' file bytes KiB "+libs KiB" "libraries"
for f in "$BUILD"/*/boxnet; do
	c=$(basename "$(dirname "$f")")
	case $c in *-*) continue ;; esac # the glibc / sanitizer builds are not shipped
	n=$("$f" --list | wc -l)
	printf '  %-34s %10s %9s %14s  %s\n' "boxnet ($c, $n applets)" "$(size "$f")" \
		"$(kib "$(size "$f")")" "$(kib "$(size "$f")")" "(static)"
	eval "size_$c=$(size "$f")"
done
row() { # row LABEL FILE...: the files and their libraries
	local label=$1 l
	shift
	l=$(for f in "$@"; do libs "$f"; done | sort -u)
	# shellcheck disable=SC2086
	printf '  %-34s %10s %9s %14s  %s\n' "$label" "$(sum "$@")" "$(kib "$(sum "$@")")" \
		"$(kib $(($(sum "$@") + $(sum $l))))" \
		"$(if [ -n "$l" ]; then for x in $l; do basename "$x"; done | sed 's/\.so.*//' | tr '\n' ' '; else echo "(static)"; fi)"
	echo $(($(sum "$@") + $(sum $l))) >"$TMP/total"
}
row "$BRCTL" "$BRCTL"
brctl_total=$(cat "$TMP/total")
row "$IP" "$IP"
ip_total=$(cat "$TMP/total")
row "brctl + ip (libraries once)" "$BRCTL" "$IP"
pair_total=$(cat "$TMP/total")
if [ -x /bin/busybox ]; then
	row "/bin/busybox ($(/bin/busybox --list | wc -l) applets)" /bin/busybox
	echo "  busybox has: $(/bin/busybox --list | grep -xE 'brctl|ip' | tr '\n' ' ')"
fi
echo "  ratios (other/boxnet): brctl+libs / minimal $(ratio "$brctl_total" "${size_minimal:-}")," \
	"ip+libs / minimal $(ratio "$ip_total" "${size_minimal:-}")," \
	"brctl+ip+libs / minimal $(ratio "$pair_total" "${size_minimal:-}")," \
	"brctl+ip+libs / default $(ratio "$pair_total" "${size_default:-}")"

# --- (b) peak memory of brctl show ---------------------------------------------------
# 50 bridges, each with the host end of a veth pair as its port
i=0
while [ $i -lt 50 ]; do
	echo "link add br$i type bridge"
	echo "link add vb$i type veth peer name vp$i"
	echo "link set vb$i master br$i"
	i=$((i + 1))
done >"$TMP/bridges.batch"
"$IP" -batch "$TMP/bridges.batch" || die "cannot make the 50 bridges"
"$BOXNET" brctl show >"$TMP/show.boxnet" 2>&1
"$BRCTL" show >"$TMP/show.brctl" 2>&1
cmp -s "$TMP/show.boxnet" "$TMP/show.brctl" && same="identical" || same="DIFFERENT"

echo
echo "(b) peak RSS of 'brctl show', 50 bridges with one port each (outputs: $same, $(wc -l <"$TMP/show.brctl") lines)"
echo "    VmHWM: /proc/PID/status as the command exits (ptrace), largest of 10 runs;"
echo "    ru_maxrss: wait4() of the same runs, which also counts the pre-exec image"
echo "    (the forked timer, ~0.3 MB) and lags by up to 32 pages per CPU on Linux >= 6.2"
echo "    wall, cpu: medians of $((ROUNDS * ITER)) runs, the three taking turns in $ROUNDS rounds"
hwm_boxnet=- hwm_bridge_utils=-
printf '  %-30s %10s %14s %12s %12s\n' tool "VmHWM KiB" "ru_maxrss KiB" "wall ms" "cpu ms"
interleave "$ROUNDS" "$ITER" boxnet "$BOXNET brctl show" boxnet-minimal "$BUILD/minimal/boxnet brctl show" \
	bridge-utils "$BRCTL show"
for name in boxnet boxnet-minimal bridge-utils; do
	cmd="$BOXNET brctl show"
	[ $name = boxnet-minimal ] && cmd="$BUILD/minimal/boxnet brctl show"
	[ $name = bridge-utils ] && cmd="$BRCTL show"
	# shellcheck disable=SC2086
	r=$("$SPAWN" -m 10 $cmd) || die "failed: $cmd"
	# shellcheck disable=SC2086
	set -- $r
	printf '  %-30s %10s %14s %12s %12s\n' "$name" "$1" "$2" \
		"$(ms "$(med 1 "$TMP/$name.samples")")" "$(ms "$(med 2 "$TMP/$name.samples")")"
	eval "hwm_$(echo "$name" | tr -c 'a-z\n' _)=$1"
done
echo "  ratio VmHWM (bridge-utils/boxnet): $(ratio "$hwm_bridge_utils" "$hwm_boxnet")"
for i in $(seq 0 49); do echo "link del br$i"; echo "link del vb$i"; done |
	"$IP" -batch - >/dev/null 2>&1

# --- (c) speed of one cycle ----------------------------------------------------------
"$IP" link add vx0 type veth peer name vx1 || die "cannot make a veth pair"
"$IP" netns add warm && "$IP" netns delete warm # the first add makes the /run/netns mount
echo
echo "(c) one cycle, $((ROUNDS * ITER)) runs per tool in $ROUNDS alternating rounds (3 warm-up runs per round);"
echo "    wall = time from spawn to reaped exit of each command, summed over the cycle;"
echo "    cpu = user+system time of the commands (wait4)"
printf '  %-40s %-14s %9s %9s %9s %9s\n' cycle tool "wall med" "wall p90" "cpu med" "cpu p90"
cycle() { # cycle LABEL NAME-A "CMDS A" NAME-B "CMDS B"
	local label=$1 a b
	shift
	interleave "$ROUNDS" "$ITER" "$1" "$2" "$3" "$4"
	for t in "$1" "$3"; do
		printf '  %-40s %-14s %9s %9s %9s %9s\n' "$label" "$t" \
			"$(ms "$(med 1 "$TMP/$t.samples")")" \
			"$(ms "$(awk '{ print $1 }' "$TMP/$t.samples" | pctl 90)")" \
			"$(ms "$(med 2 "$TMP/$t.samples")")" \
			"$(ms "$(awk '{ print $2 }' "$TMP/$t.samples" | pctl 90)")"
		label=""
	done
	a=$(med 1 "$TMP/$1.samples") b=$(med 1 "$TMP/$3.samples")
	echo "  ratio $3/$1: wall $(ratio "$b" "$a"), cpu" \
		"$(ratio "$(med 2 "$TMP/$3.samples")" "$(med 2 "$TMP/$1.samples")") (medians)"
}
cycle "brctl addbr X; addif X vx0; delbr X" \
	boxnet "$BOXNET brctl addbr bx ; $BOXNET brctl addif bx vx0 ; $BOXNET brctl delbr bx" \
	bridge-utils "$BRCTL addbr bx ; $BRCTL addif bx vx0 ; $BRCTL delbr bx"
cycle "netns add X; netns delete X" \
	boxnet "$BOXNET ipnetns add nx ; $BOXNET ipnetns delete nx" \
	iproute2 "$IP netns add nx ; $IP netns delete nx"
finish
