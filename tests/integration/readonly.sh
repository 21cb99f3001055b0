#!/bin/sh
# Read-only commands have no side effects and take no lock: on a fresh state
# they create neither the state directory nor a bridge, and while another
# process holds the lock they still answer at once, while a mutating command
# waits for it.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=none
LOCK=/run/boxnet/lock

# --- a fresh state: nothing created --------------------------------------------
rmdir /run/boxnet # the sandbox made it empty; start as a host that never ran boxnet
links_before=$(ip -o link show | cut -d: -f2)

# fresh NAME EXPECTED CMD...: stdout and exit code, and still no state directory
fresh() {
	local name="fresh state: $1" want=$2
	shift 2
	testing "$name" "timeout 10 $*" "$want"
	if [ -e /run/boxnet ]; then
		fail "$name: creates nothing" "$(find /run/boxnet)"
		rm -rf /run/boxnet
	else
		pass "$name: creates nothing"
	fi
}
EMPTY_RULES='*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT'
fresh "netls" "NETWORK ID   NAME      DRIVER    SCOPE
rc=0" "$BOXNET" netls
fresh "netinspect bridge (not made yet)" "[]
rc=1" "$BOXNET" netinspect bridge
cp "$TMP/stderr" "$TMP/err"
testing "fresh state: netinspect bridge says why" "cat $TMP/err" "netinspect: network bridge not found
rc=0"
fresh "portfwd ls" "rc=0" "$BOXNET" portfwd ls
fresh "vxlan ls" "NETWORK              VNI       DEVICE           UNDERLAY   PORT   PEERS
rc=0" "$BOXNET" vxlan ls
fresh "netfw status" "backend: none
reason: BOXNET_FIREWALL=none
rc=0" "$BOXNET" netfw status
fresh "netfw show" "$EMPTY_RULES
rc=0" "$BOXNET" netfw show
testing "fresh state: no bridge boxnet0" "ip link show boxnet0 >/dev/null 2>&1" "rc=1"
testing "fresh state: no link at all was made" "ip -o link show | cut -d: -f2" "$links_before
rc=0"

# --- the lock held by another process: readers answer, writers wait ------------
ok "netcreate n1" bx netcreate n1
ip netns add c1
ok "c1 joins n1" bx netconnect n1 c1
ok "c1 publishes 8080:80" bx portfwd add c1 8080:80
ip link add under0 type veth peer name under1
ip addr add 10.200.0.1/24 dev under0
ip link set under0 up
ok "n1 gets an overlay" bx vxlan add n1 --vni 10 --remote 10.200.0.2 --dev under0

# the read-only commands; what each answers with the lock free, and what
# that must contain
reader() {
	case $1 in
	1) echo netls ;;
	2) echo netinspect n1 ;;
	3) echo portfwd ls ;;
	4) echo vxlan ls ;;
	5) echo netfw status ;;
	6) echo netfw show ;;
	esac
}
# ref_is N NAME EXPECTED: reference N is exactly EXPECTED (output, then rc=N)
ref_is() {
	if [ "$(cat "$TMP/ref$1")" = "$3" ]; then pass "$2"; else
		fail "$2" "expected:" "$3" "got:" "$(cat "$TMP/ref$1")"; fi
}
for i in 1 2 3 4 5 6; do
	# shellcheck disable=SC2046
	bx $(reader $i) >"$TMP/ref$i" 2>&1 </dev/null
	echo "rc=$?" >>"$TMP/ref$i"
done
testing "reference: netls lists n1" "grep -c ' n1 *bridge *local\$' $TMP/ref1" "1
rc=0"
testing "reference: netinspect n1 shows c1" "grep -c '\"Name\": \"n1\"\\|\"Name\": \"c1\"' $TMP/ref2" "2
rc=0"
ref_is 3 "reference: portfwd ls" "c1 80/tcp -> 0.0.0.0:8080
rc=0"
testing "reference: vxlan ls" "awk 'NR == 2 {print \$1, \$2, \$4, \$5, \$6}' $TMP/ref4" "n1 10 under0 4789 10.200.0.2
rc=0"
ref_is 5 "reference: netfw status" "backend: none
reason: BOXNET_FIREWALL=none
rc=0"
testing "reference: netfw show has the published port" \
	"grep -c -- '--dport 8080 -j DNAT --to-destination 172.18.0.2:80\$' $TMP/ref6" "1
rc=0"

# the holder: one process keeping the lock until it is killed
(
	exec 9>>"$LOCK"
	flock 9
	exec sleep 600 # killed below, or with the sandbox
) &
holder=$!
lock_held() { ! flock -n "$LOCK" true; }
if wait_for lock_held; then pass "another process holds the lock"; else
	fail "another process holds the lock"; fi

for i in 1 2 3 4 5 6; do
	# shellcheck disable=SC2046
	timeout 10 "$BOXNET" $(reader $i) >"$TMP/out$i" 2>&1 </dev/null
	echo "rc=$?" >>"$TMP/out$i"
	if cmp -s "$TMP/ref$i" "$TMP/out$i"; then pass "under the lock: $(reader $i)"; else
		fail "under the lock: $(reader $i)" "$(diff "$TMP/ref$i" "$TMP/out$i" | head -20)"; fi
done

testing "under the lock: netcreate n2 waits" "timeout 3 $BOXNET netcreate n2" "rc=124"
testing "under the lock: n2 was not made" "ls /run/boxnet/networks" "bridge
host
n1
none
rc=0"
testing "under the lock: the holder still has it" "lock_held" "rc=0"

kill "$holder"
wait "$holder" 2>/dev/null
if wait_for flock -n "$LOCK" true; then pass "the lock is free again"; else
	fail "the lock is free again"; fi
testing "then netcreate n2 goes through" "timeout 10 $BOXNET netcreate n2 | grep -cE '^[0-9a-f]{64}\$'" "1
rc=0"
testing "and n2 is listed" "bx netls --format '{{.Name}}' | tr '\\n' ' '" "bridge host n1 n2 none rc=0"

bx vxlan del n1 >/dev/null 2>&1
bx portfwd del c1 >/dev/null 2>&1
bx netdisconnect n1 c1 >/dev/null 2>&1
ip netns del c1
ip link del under0
finish
