#!/bin/sh
# make check: run the unit tests and the integration suite; end with one line
# "N passed, N failed" adding both up. usage: check.sh UNIT-TEST... -- BINARY...
set -u
pass=0 failed=0
# the layers of ARCHITECTURE.md, from the #include lines, and proof the check bites
for mode in "" --self-test; do
	out=$(sh tests/layers.sh $mode 2>&1)
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	[ -z "$p" ] && f=1
	pass=$((pass + ${p:-0})) failed=$((failed + ${f:-0}))
done
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	out=$("$1" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -E '^\[  (PASSED|FAILED|ERROR) *\]|^\[ *FAILED|: error' || true
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	[ -z "$p$f" ] && [ $rc != 0 ] && f=1   # crashed before its summary
	pass=$((pass + ${p:-0})) failed=$((failed + ${f:-0}))
	shift
done
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then
	sh tests/integration/run.sh "$@" | tee build/integration.log | grep -v ' passed, [0-9]* failed$' || true
	line=$(tail -n 1 build/integration.log)
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	[ -z "$p" ] && f=1
	echo "integration: ${p:-0} passed, ${f:-0} failed"
	pass=$((pass + ${p:-0})) failed=$((failed + ${f:-0}))
fi
echo "$pass passed, $failed failed"
[ $failed = 0 ]
