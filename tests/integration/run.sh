#!/bin/sh
# Run every integration script against each binary given; one summary line.
# usage: run.sh BINARY... (as root)
#
# Lanes run side by side: one per binary with the ordinary scripts, and one
# with the slow scenarios (a "# once:" line in their header), which run once,
# against the first binary (make check: the static one). Each script runs in
# its own sandbox (tests/sandbox.sh), so lanes cannot see each other; each
# lane logs to its own file and the logs are printed in lane order. Several
# lanes at once on a 2-core machine is also the load the tests must bear.
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
	echo "integration tests need root (network namespaces)"; echo "0 passed, 1 failed"; exit 1
fi

# lane BINARY INDEX once|ordinary: those scripts against BINARY; their
# output, then a last line "N passed, N failed", in build/it-INDEX.log
lane() {
	local bin=$1 i=$2 kind=$3 t t0 line p f pass=0 failed=0
	for t in tests/integration/*.sh; do
		case $t in */lib.sh | */run.sh) continue ;; esac
		if grep -q '^# once:' "$t"; then
			[ "$kind" = once ] || continue
		else
			[ "$kind" = ordinary ] || continue
		fi
		[ -n "${ONLY:-}" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
		echo "== $t ($bin)"
		t0=$(date +%s)
		BOXNET=$(readlink -f "$bin") sh "$t" >build/it-$i.out 2>&1
		grep -v '^PASS' build/it-$i.out
		echo "   ($(($(date +%s) - t0)) s)"
		line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' build/it-$i.out | tail -1)
		if [ -z "$line" ]; then
			echo "$t: no summary (crashed?)"; failed=$((failed + 1)); continue
		fi
		p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
		pass=$((pass + p)) failed=$((failed + f))
	done
	echo "$pass passed, $failed failed"
}

i=0
for bin in "$@"; do
	i=$((i + 1))
	lane "$bin" $i ordinary >build/it-$i.log 2>&1 &
done
lanes=$((i + 1))
lane "$1" $lanes once >build/it-$lanes.log 2>&1 &
wait
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
