# Integration test harness, sourced by every tests/integration/*.sh.
#
# The first thing it does is re-run the calling script inside its own sandbox
# (tests/sandbox.sh). Nothing a test does reaches the host.
#
#   BOXNET    the binary under test (absolute path), exported by run.sh
#   TEST_HOST=1  oracle mode where a script supports it: run the real tools
#
# Scripts run under dash: POSIX sh plus 'local'.
# Helpers: testing NAME CMD EXPECTED (compare stdout+rc), ok / fail_ok,
# same_output NAME "CMD A" "CMD B", wait_for CMD..., finish.
set -u

. "$(dirname "$0")/../sandbox.sh"

: "${BOXNET:?BOXNET must name the binary under test}"
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d /run/t.XXXXXX)

pass() { T_PASS=$((T_PASS + 1)); [ -n "${VERBOSE:-}" ] && echo "PASS: $T_NAME: $1"; return 0; }
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL: $T_NAME: $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/      /'
	return 0
}

# testing NAME CMD EXPECTED-OUTPUT: CMD's stdout, then "rc=N", must equal EXPECTED
testing() {
	local out
	out=$(eval "$2" 2>"$TMP/stderr"; echo "rc=$?")
	if [ "$out" = "$3" ]; then pass "$1"; else
		fail "$1" "expected:" "$3" "got:" "$out" "stderr:" "$(cat "$TMP/stderr")"; fi
}

# ok NAME CMD...: CMD must succeed
ok() {
	local n=$1; shift
	if "$@" >"$TMP/out" 2>&1; then pass "$n"; else fail "$n" "rc=$? from: $*" "$(cat "$TMP/out")"; fi
}

# same_output NAME "CMD A" "CMD B": stdout, stderr and exit code all equal
same_output() {
	local a b
	(eval "$2") >"$TMP/a.out" 2>"$TMP/a.err"; a=$?
	(eval "$3") >"$TMP/b.out" 2>"$TMP/b.err"; b=$?
	if [ $a = $b ] && cmp -s "$TMP/a.out" "$TMP/b.out" && cmp -s "$TMP/a.err" "$TMP/b.err"; then
		pass "$1"
	else
		fail "$1" "rc $a vs $b" "--- stdout diff" "$(diff "$TMP/a.out" "$TMP/b.out" | cat -A | head -20)" \
			"--- stderr diff" "$(diff "$TMP/a.err" "$TMP/b.err" | head -10)"
	fi
}

# wait_for CMD...: poll up to 5 s; wait_long CMD...: up to 60 s (a daemon
# starting, BGP converging on a busy box)
wait_for() { poll_until 100 "$@"; }
wait_long() { poll_until 1200 "$@"; }
# poll_until N CMD...: CMD until it succeeds, at most N times 50 ms apart
poll_until() {
	local i=0 n=$1
	shift
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -ge "$n" ] && return 1
		sleep 0.05
	done
}

# snapshot FILE: everything a failed command must leave unchanged
snapshot() {
	{
		ip -o link show | sed 's/ qlen [0-9]*//'
		ip -4 -o addr show  # IPv6 link-local addresses come and go with DAD
		ip -4 route show table all
		# IPv6 without what comes and goes by itself (link-local addresses
		# and their routes appear as DAD completes on new devices; each
		# device's multicast route comes and goes with its IPv6 state)
		ip -6 -o addr show scope global
		ip -6 route show table all | grep -v -e 'fe80::' -e '^multicast ff00::/8 '
		ip -6 rule show
		cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null
		for n in $(ls /run/netns 2>/dev/null); do echo "netns $n"; done
		find /run/boxnet /etc/netns -type f 2>/dev/null | sort | xargs -r md5sum
	} >"$1" 2>&1
}

# Simulated hosts on one underlay (vxlan, overlay, overlay_ipsec, evpn):
# underlay_host NAME N makes namespace hostNAME, its eth0 at 10.200.0.N/24 on
# the switch ulbr of namespace ul (made by the first call); on NAME CMD... runs
# boxnet there with that host's own state directory /run/boxnet-NAME.
underlay_host() {
	if [ ! -e /run/netns/ul ]; then
		ip netns add ul
		ip -n ul link add ulbr type bridge
		ip -n ul link set ulbr up
	fi
	ip netns add host$1
	ip -n host$1 link set lo up
	ip link add ul$1 netns ul type veth peer name eth0 netns host$1
	ip -n ul link set ul$1 master ulbr up
	ip -n host$1 addr add 10.200.0.$2/24 dev eth0
	ip -n host$1 link set eth0 up
}
on() { local h=$1; shift; ip netns exec "host$h" env BOXNET_RUN_DIR=/run/boxnet-$h "$BOXNET" "$@"; }

# refused_on HOST WANT CMD...: boxnet CMD on HOST must fail with status 1,
# print WANT as its only stderr and nothing on stdout, and leave what the
# caller's snapshot_host prints unchanged
refused_on() {
	local h=$1 want=$2 name rc
	shift 2
	name="refused: $*"
	snapshot_host >"$TMP/b" 2>&1
	on "$h" "$@" >"$TMP/o" 2>"$TMP/e"
	rc=$?
	snapshot_host >"$TMP/a" 2>&1
	if [ $rc = 1 ] && [ "$(cat "$TMP/e")" = "$want" ] && [ ! -s "$TMP/o" ] && cmp -s "$TMP/a" "$TMP/b"; then
		pass "$name"
	else fail "$name" "rc=$rc: $(cat "$TMP/e")" "want: $want" "stdout: $(cat "$TMP/o")" "$(diff "$TMP/b" "$TMP/a")"; fi
}

# Real runtimes (podman, containerd): a private world for them, or a SKIP.
# private_world DIR...: /var under an overlay (nothing made on the host's),
# a tmpfs over each DIR, a read-only cgroup2 at /sys/fs/cgroup for the
# runtime to see cgroup v2 (containers run without cgroups); and a static
# /bin/busybox for the containers' image. Ends the suite with SKIP otherwise.
private_world() {
	if ! file -L -b /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
		echo "$T_NAME: SKIP: no static /bin/busybox (busybox-static) for the image"
		finish
	fi
	mkdir -p /run/.var/upper /run/.var/work
	mount -t overlay overlay -o lowerdir=/var,upperdir=/run/.var/upper,workdir=/run/.var/work /var
	for d in "$@"; do
		mkdir -p "$d" && mount -t tmpfs "$T_NAME-private" "$d"
	done
	if ! mount -t cgroup2 -o ro "$T_NAME-cgroup" /sys/fs/cgroup 2>"$TMP/cg"; then
		echo "$T_NAME: SKIP: cannot mount cgroup2 in the sandbox: $(cat "$TMP/cg")"
		finish
	fi
}

finish() {
	rm -rf "$TMP"
	echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
	exit
}
