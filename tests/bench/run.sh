#!/bin/sh
# make bench: build the timer (spawn.c) and the connection-rate tool (tcprate.c),
# then run every tests/bench/*.sh
# (lib.sh and run.sh aside) against build/boxnet and print their reports.
# Each script sandboxes itself (tests/sandbox.sh) and touches nothing of the
# host's network. The last line is "bench: done", or "bench: FAILED: ...".
# usage: run.sh [BOXNET-BINARY]   (as root; ONLY=connect runs one script)
# Knobs: BENCH_N (500 containers), BENCH_REPS (3), BENCH_ROUNDS/BENCH_ITER (5x10);
# ports.sh: BENCH_PORTS (1000), BENCH_SECS (5 s of iperf3), BENCH_STREAMS (2),
# BENCH_PORTMAP=legacy, BENCH_TOOLS, BENCH_PARTS (abc), BENCH_PAIRS (10); overlay.sh:
# BENCH_SECS, BENCH_FIREWALL (none), BENCH_PEERS (100), BENCH_TRIES (9),
# BENCH_PEER_FIREWALLS (none nft iptables).
# versus.sh (before/after, same run): BENCH_BASE (f3a380a), BENCH_N (200),
# BENCH_PORTS (300), BENCH_PAIRS (20), BENCH_REPS (5).
set -u
cd "$(dirname "$0")/../.."
fail() { echo "bench: FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "benchmarks need root (network namespaces)"
BOXNET=$(readlink -f "${1:-build/boxnet}")
[ -x "$BOXNET" ] || fail "no binary $BOXNET (make)"
BUILD=$(readlink -f build)
SPAWN=$BUILD/bench/spawn TCPRATE=$BUILD/bench/tcprate
export BOXNET BUILD SPAWN TCPRATE
mkdir -p build/bench
# static when glibc's libc.a is there: the timer's own pages stay few
gcc -O2 -static -o "$SPAWN" tests/bench/spawn.c 2>/dev/null ||
	gcc -O2 -o "$SPAWN" tests/bench/spawn.c || fail "cannot build tests/bench/spawn.c"
# the connection-rate client and server of ports.sh
gcc -O2 -static -o "$TCPRATE" tests/bench/tcprate.c 2>/dev/null ||
	gcc -O2 -o "$TCPRATE" tests/bench/tcprate.c || fail "cannot build tests/bench/tcprate.c"

load() { awk '{ print $1, $2, $3 " (runnable/tasks " $4 ")" }' /proc/loadavg; }
echo "boxnet benchmarks — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(git describe --always --dirty 2>/dev/null)"
echo "host: Linux $(uname -r), $(nproc) CPU ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))," \
	"$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "load average (1, 5, 15 min) at start: $(load)"
echo "timer: $SPAWN; a static no-op (boxnet --version) costs" \
	"$("$SPAWN" -w 3 30 "$BOXNET" --version | awk '{ printf "%.2f ms wall, %.2f ms cpu", $1 / 1000, $2 / 1000 }')" \
	"(median of 30)"
echo "Figures are measurements on this machine at this moment; ratios compare tools of the same run."

failed=
for t in tests/bench/*.sh; do
	case $t in */lib.sh | */run.sh) continue ;; esac
	[ -n "${ONLY:-}" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
	echo
	echo "== $t (load average $(load))"
	timeout -k 10 3000 sh "$t"
	rc=$?
	[ $rc = 0 ] || { echo "$t: exit status $rc"; failed="$failed $t"; }
done
echo
echo "load average at end: $(load)"
[ -z "$failed" ] || fail "$failed"
echo "bench: done"
