# Benchmark helpers, sourced by every tests/bench/*.sh (run.sh skips this file).
#
# The first thing it does is re-run the calling script inside its own sandbox
# (tests/sandbox.sh: new network and mount namespaces, tmpfs over /run and
# /etc/netns, fresh sysfs). Every interface and namespace a benchmark makes
# lives and dies there; traffic, if any, stays between our own namespaces.
#
#   BOXNET   the binary under test (absolute path), exported by run.sh
#   BUILD    the build directory (absolute), holding CONFIG/boxnet
#   SPAWN    the timer, tests/bench/spawn.c built by run.sh (absolute path)
#
# Figures are printed, never judged: no threshold makes a benchmark fail.
# A benchmark fails only when a command it measures fails (spawn exits 1).
. "$(dirname "$0")/../sandbox.sh"
set -u
: "${BOXNET:?BOXNET must name the binary under test}" "${SPAWN:?SPAWN must name the timer}"
BUILD=${BUILD:-$(dirname "$BOXNET")}
TMP=$(mktemp -d /run/bench.XXXXXX)
export BOXNET_FIREWALL=none

die() { echo "$(basename "$0" .sh): $*" >&2; exit 1; }

# ms MICROSECONDS: as milliseconds with 2 decimals
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

# kib BYTES: as KiB with 1 decimal
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

# ratio A B: A/B with 2 decimals, "-" when either is missing or B is 0
ratio() {
	case "$1:$2" in
	-:* | *:- | :* | *: | *:0 | *:0.00) echo - ;;
	*) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' ;;
	esac
}

# pctl P: the P-th percentile (nearest rank) of the numbers on stdin, or "-"
pctl() {
	sort -n | awk -v p="$1" '{ v[NR] = $1 }
		END { if (!NR) { print "-"; exit } k = int((NR * p + 99) / 100); if (k < 1) k = 1; print v[k] }'
}

# turn LIST R: LIST's words rotated left by R, so that in round R another
# tool goes first (`set -- $(turn "$TOOLS" $r)`)
turn() {
	local r=$2
	set -- $1
	while [ "$r" -gt 0 ]; do set -- "$@" "$1" && shift && r=$((r - 1)); done
	echo "$@"
}

# rounds LIST REPS FUNC: REPS rounds of `FUNC ITEM ROUND` for each word of
# LIST, the list rotated by one each round (turn), so that no item always
# runs first, right after the machine was idle or busy
rounds() {
	local r=1 x
	while [ "$r" -le "$2" ]; do
		for x in $(turn "$1" $((r - 1))); do "$3" "$x" "$r"; done
		r=$((r + 1))
	done
}

# listening NS N FILTER: wait (5 s at most) until N TCP sockets of namespace
# NS listen and match the ss FILTER ('( sport = 80 )'); dies if they do not
listening() {
	local i=0
	until [ "$(ip netns exec "$1" ss -Hltn "$3" | wc -l)" = "$2" ]; do
		i=$((i + 1)) && [ $i -lt 100 ] && sleep 0.05 || die "in $1, nothing listens: $3"
	done
}

# spread FILE [COLUMN]: "median (min-max)" of a column (1) of FILE
spread() {
	awk -v c="${2:-1}" '{ print $c }' "$1" >"$TMP/spread"
	printf '%s (%s-%s)' "$(pctl 50 <"$TMP/spread")" "$(pctl 1 <"$TMP/spread")" "$(pctl 100 <"$TMP/spread")"
}

# datapath CASE: from namespace out, one iperf3 run (SECS) to the address
# and port of the case ($to_CASE: "ADDRESS TCPRATE-PORT IPERF3-PORT", IPv4
# or IPv6) and one tcprate run (STREAMS streams, RSECS); Gbit/s received to
# $TMP/CASE.gbit, connections/s to $TMP/CASE.cps, a line each
datapath() {
	eval "set -- \$to_$1 $1"
	ip netns exec out timeout $((SECS + 30)) iperf3 -c "$1" -p "$3" -t "$SECS" -J >"$TMP/j" ||
		die "$4: iperf3 to $1 port $3 failed"
	jq -r '.end.sum_received.bits_per_second / 1e9' "$TMP/j" | awk '{ printf "%.2f\n", $1 }' >>"$TMP/$4.gbit"
	ip netns exec out timeout $((RSECS + 30)) "$TCPRATE" -P "$STREAMS" "$1" "$2" "$RSECS" >"$TMP/c" ||
		die "$4: tcprate to $1 port $2 failed"
	cut -d' ' -f1 "$TMP/c" >>"$TMP/$4.cps"
}

# win TOOL OP A B [COLUMN]: "median p90" in ms of the wall (1) or cpu (2)
# times of calls A..B of every repetition ($TMP/TOOL.OP.REP, one call a line)
win() {
	for f in "$TMP/$1.$2".[0-9]*; do sed -n "$3,$4p" "$f"; done | awk -v c="${5:-1}" '{ print $c }' >"$TMP/w"
	echo "$(ms "$(pctl 50 <"$TMP/w")") $(ms "$(pctl 90 <"$TMP/w")")"
}
# total TOOL OP COLUMN: seconds, the median over repetitions of a column's sum
total() {
	for f in "$TMP/$1.$2".[0-9]*; do awk -v c="$3" '{ s += $c } END { print s }' "$f"; done |
		pctl 50 | awk '{ printf "%.2f", $1 / 1e6 }'
}

# samples N CMD... ';' CMD...: run the sequence N times (3 warm-up runs first)
# and print one "wall_us cpu_us" line per run
samples() {
	local n=$1
	shift
	"$SPAWN" -t 30 -w 3 -r "$n" "$@" || die "failed: $*"
}

# interleave ROUNDS N NAME "CMD..." [NAME "CMD..."]...: ROUNDS rounds of N runs
# of each command, taking turns, so that a burst of load hits all of them; the
# samples go to $TMP/NAME.samples. CMD is split on blanks (';' separates a sequence).
interleave() {
	local rounds=$1 n=$2 i=0 j
	shift 2
	while [ $i -lt "$rounds" ]; do
		j=0
		while [ $j -lt $(($# / 2)) ]; do # each NAME CMD pair once, rotating the list
			[ $i = 0 ] && : >"$TMP/$1.samples"
			# shellcheck disable=SC2086
			samples "$n" $2 >>"$TMP/$1.samples"
			set -- "$@" "$1" "$2"
			shift 2
			j=$((j + 1))
		done
		i=$((i + 1))
	done
}

# med COLUMN FILE: median of a column of a samples file
med() { awk -v c="$1" '{ print $c }' "$2" | pctl 50; }

finish() {
	rm -rf "$TMP"
	exit 0
}
