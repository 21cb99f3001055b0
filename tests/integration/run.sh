#!/bin/sh
# Run every integration script against each binary given; one summary line.
# usage: run.sh BINARY... (as root)
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
	echo "integration tests need root (network namespaces)"; echo "0 passed, 1 failed"; exit 1
fi
pass=0 failed=0
for last; do :; done
for bin in "$@"; do
	for t in tests/integration/*.sh; do
		case $t in */lib.sh | */run.sh) continue ;; esac
		# the slow scenarios (a "# once:" line in their header) run against
		# the last binary only (make check: the sanitizer build, which also
		# catches memory errors on their paths)
		if [ "$bin" != "$last" ] && grep -q '^# once:' "$t"; then
			echo "== $t: once, against $last only"; continue
		fi
		[ -n "${ONLY:-}" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
		echo "== $t ($bin)"
		BOXNET=$(readlink -f "$bin") sh "$t" >build/it.log 2>&1
		cat build/it.log | grep -v '^PASS' || true
		line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' build/it.log | tail -1)
		if [ -z "$line" ]; then
			echo "$t: no summary (crashed?)"; failed=$((failed + 1)); continue
		fi
		p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
		pass=$((pass + p)) failed=$((failed + f))
	done
done
echo "$pass passed, $failed failed"
[ $failed = 0 ]
