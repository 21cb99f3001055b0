#!/bin/sh
# Run every integration script against each binary given; one summary line.
# usage: run.sh BINARY... (as root)
#
# Lanes run side by side: one per binary with the ordinary scripts, and two
# that share the rest, taking the next job from one list whenever they are
# free: first the slow scenarios that run once, against the first binary
# (make check: the static one; a "# once:" line in their header), then the
# long scripts that run against every binary ("# slow:"), which would
# otherwise make one binary's lane the longest. Each script runs in its own
# sandbox (tests/sandbox.sh), so lanes cannot see each other; each lane logs
# to its own file and the logs are printed in lane order. Several lanes at
# once on a 2-core machine is also the load the tests must bear.
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
	echo "integration tests need root (network namespaces)"; echo "0 passed, 1 failed"; exit 1
fi

# kind SCRIPT: once, slow or ordinary, from its header
kind() {
	if grep -q '^# once:' "$1"; then echo once
	elif grep -q '^# slow:' "$1"; then echo slow
	else echo ordinary; fi
}

# scripts KIND: the scripts of that kind (ONLY: those whose path has it)
scripts() {
	local t
	for t in tests/integration/*.sh; do
		case $t in */lib.sh | */run.sh) continue ;; esac
		[ "$(kind "$t")" = "$1" ] || continue
		[ -n "${ONLY:-}" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
		echo "$t"
	done
}

# run_one BINARY SCRIPT INDEX: its output but the PASS lines, its time, and
# its counts added to pass and failed
run_one() {
	local bin=$1 t=$2 i=$3 t0 line p f
	echo "== $t ($bin)"
	t0=$(date +%s)
	BOXNET=$(readlink -f "$bin") sh "$t" >build/it-$i.out 2>&1 </dev/null
	grep -v '^PASS' build/it-$i.out
	echo "   ($(($(date +%s) - t0)) s)"
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' build/it-$i.out | tail -1)
	if [ -z "$line" ]; then
		echo "$t: no summary (crashed?)"; failed=$((failed + 1)); return
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
	pass=$((pass + p)) failed=$((failed + f))
}

# lane BINARY INDEX: the ordinary scripts against BINARY; their output, then
# a last line "N passed, N failed", in build/it-INDEX.log
lane() {
	local t pass=0 failed=0
	for t in $(scripts ordinary); do run_one "$1" "$t" "$2"; done
	echo "$pass passed, $failed failed"
}

# shared INDEX: the jobs of build/it-jobs ("BINARY SCRIPT" lines), each run
# by the first shared lane to claim it (mkdir is atomic)
shared() {
	local n=0 bin t pass=0 failed=0
	while read -r bin t; do
		n=$((n + 1))
		mkdir build/it-claim.$n 2>/dev/null || continue
		run_one "$bin" "$t" "$1"
	done <build/it-jobs
	echo "$pass passed, $failed failed"
}

rm -rf build/it-claim.*
{
	for t in $(scripts once); do echo "$1 $t"; done
	for t in $(scripts slow); do for bin in "$@"; do echo "$bin $t"; done; done
} >build/it-jobs
i=0
for bin in "$@"; do
	i=$((i + 1))
	lane "$bin" $i >build/it-$i.log 2>&1 &
done
for s in 1 2; do
	i=$((i + 1))
	shared $i >build/it-$i.log 2>&1 &
done
lanes=$i
wait
rm -rf build/it-claim.*
pass=0 failed=0 i=0
while [ $i -lt $lanes ]; do
	i=$((i + 1))
	sed '$d' build/it-$i.log
	line=$(tail -n 1 build/it-$i.log)
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	[ -z "$p" ] && { echo "lane $i: no summary"; f=1; }
	pass=$((pass + ${p:-0})) failed=$((failed + ${f:-0}))
done
echo "$pass passed, $failed failed"
[ $failed = 0 ]
