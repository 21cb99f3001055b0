#!/bin/sh
# slow: against every binary, in a shared lane of run.sh (the longest ordinary script)
# Damaged state: files truncated, garbled, a directory where a file should be
# (and a file where a directory should be), read-only directories, a full
# state file system. Every command either succeeds, or fails with one line
# "APPLET: reason" and exit 1 and changes nothing (snapshot); readers answer
# whatever happens to the journal; once the damage is gone every command
# works again and state and kernel agree.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=iptables
. "$(dirname "$0")/consistent.body"

NETNS="c1 c2 c3"
for c in $NETNS; do ip netns add $c; done
OWNLINKS="ul0 ul1"
ip link add ul0 type veth peer name ul1
ip link set ul1 up
ip addr add 10.200.0.1/24 dev ul0
ip link set ul0 up

# every bridge, veth on a bridge and VXLAN device goes, the state and the rules too
hard_reset() {
	local d
	while grep -q ' /run/boxnet[/ ]' /proc/self/mountinfo; do
		umount "$(awk '$5 ~ "^/run/boxnet" {print $5}' /proc/self/mountinfo | tail -1)" || break
	done
	for d in $(ip -o link show type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1) \
		$(ip -o link show type bridge | awk -F': ' '{print $2}' | cut -d@ -f1); do
		ip link del "$d"
	done
	for c in $NETNS; do
		for d in $(ip -n $c -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$'); do
			ip -n $c link del "$d"
		done
	done
	for t in raw nat filter; do iptables-legacy -t $t -F; iptables-legacy -t $t -X; done
	rm -rf /run/boxnet/* /etc/netns/* /etc/netns/.hosts
}

# the world every case starts from: n1 (c1 with a port, c2, an overlay), n2 empty
world() {
	hard_reset
	build
}
build() {
	bx netcreate --subnet 10.1.0.0/24 n1 >/dev/null &&
		bx netcreate --subnet 10.2.0.0/24 n2 >/dev/null &&
		bx netconnect n1 c1 && bx netconnect n1 c2 &&
		bx portfwd add c1 8080:80 &&
		bx vxlan add n1 --vni 7 --remote 10.200.0.2 --dev ul0
}

# the commands every damage meets: readers, then mutating pairs that undo each other
COMMANDS="netls
netinspect n1
netinspect n2
portfwd ls
vxlan ls
netfw show
netconnect n1 c3
netdisconnect n1 c3
portfwd add c2 8081:81
portfwd del c2
vxlan peer add n1 10.200.0.9
vxlan peer del n1 10.200.0.9
netcreate --subnet 10.3.0.0/24 n3
netrm n3
netdisconnect n1 c1
netconnect n1 c1
netfw apply"
READERS="netls|netinspect n1|netinspect n2|portfwd ls|vxlan ls|netfw show"

# one_line_or_ok CASE CMD...: exit 0, or exit 1 with one line "APPLET: reason"
# and nothing changed; the exit codes land in $TMP/rcs
one_line_or_ok() {
	local case=$1 rc applet=$2 lines
	shift
	[ "$S0_FRESH" = 1 ] || snapshot "$TMP/s0"
	S0_FRESH=0
	"$BOXNET" "$@" >"$TMP/o" 2>"$TMP/e"
	rc=$?
	printf '%s %s\t%s\n' $rc "$*" "$(head -1 "$TMP/e")" >>"$TMP/rcs"
	[ $rc = 0 ] && return 0
	lines=$(wc -l <"$TMP/e")
	if [ $rc != 1 ] || [ "$lines" != 1 ] || ! grep -Eq "^$applet: [^ ].*[^ :]\$" "$TMP/e"; then
		fail "$case: $*: rc $rc, want 0 or 1 with one line '$applet: reason'" "$(head -5 "$TMP/e")"
		return 1
	fi
	grep -q '(null)' "$TMP/e" && { fail "$case: $*: (null) in the message" "$(cat "$TMP/e")"; return 1; }
	# a failure whose own undo could not finish (the damage stops it too)
	# keeps its journal, as documented: the next command after the damage
	# is gone finishes it (recovered checks that)
	[ -e $R/journal ] && ! grep -q "/run/boxnet/journal\$" "$TMP/s0" && return 0
	snapshot "$TMP/s1"
	cmp -s "$TMP/s0" "$TMP/s1" || { fail "$case: $*: failed and changed something ($(cat "$TMP/e"))" \
		"$(diff "$TMP/s0" "$TMP/s1" | head -8)"; return 1; }
	# the next command starts from this very state: this snapshot is its own
	mv "$TMP/s1" "$TMP/s0"
	S0_FRESH=1
	return 0
}

# meet CASE: every command against the damage in place
meet() {
	local case=$1 bad=0 cmd
	: >"$TMP/rcs"
	S0_FRESH=0
	while read -r cmd; do
		# shellcheck disable=SC2086
		one_line_or_ok "$case" $cmd </dev/null || bad=1
	done <<EOF
$COMMANDS
EOF
	[ $bad = 0 ] && pass "$case: every command succeeds or says why in one line"
}

# readers_answer CASE: netls and netinspect succeeded under the damage
readers_answer() {
	if grep -Eq "^[^0] ($READERS)	" "$TMP/rcs"; then
		fail "$1: readers answer" "$(grep -E "^[^0] ($READERS)	" "$TMP/rcs")"
	else
		pass "$1: readers answer"
	fi
}

# recovered CASE: with the damage gone, the next command repairs, every
# command works and state and kernel agree
recovered() {
	local case=$1 out
	bx netdisconnect -f n1 nosuch >"$TMP/o" 2>&1 || { fail "$case: the first command after" "$(cat "$TMP/o")"; return; }
	# rules built while a port or overlay file could not be read lack it
	bx netfw apply
	# whatever half of a pair succeeded under the damage is undone
	bx netdisconnect -f n1 c3 && bx portfwd del c2 >/dev/null 2>&1
	grep -qx peer=10.200.0.9 $R/vxlan/n1 2>/dev/null && bx vxlan peer del n1 10.200.0.9
	bx netrm -f n3 >/dev/null
	[ -e $R/endpoints/n1/c1 ] || bx netconnect n1 c1
	if ! out=$(consistent); then fail "$case: consistent once the damage is gone" "$out"; return; fi
	out=$(while read -r cmd; do
		# shellcheck disable=SC2086
		"$BOXNET" $cmd >/dev/null 2>"$TMP/e" </dev/null || echo "$cmd: $(cat "$TMP/e")"
	done <<EOF
$COMMANDS
EOF
)
	[ -z "$out" ] || { fail "$case: every command works again" "$out"; return; }
	if ! out=$(consistent); then fail "$case: consistent after every command" "$out"; return; fi
	pass "$case: recovered"
}

# damage PATH KIND: KIND is trunc (half), empty, garbled, dir (a
# directory in place of a file), file (a file in place of a directory), ro
# (the file's directory mounted read-only)
damage() {
	local p=$R/$1 size
	case $2 in
	trunc) size=$(wc -c <"$p"); head -c $((size / 2)) "$p" >"$TMP/d"; cat "$TMP/d" >"$p" ;;
	empty) : >"$p" ;;
	garbled) head -c 300 /dev/urandom >"$p" ;;
	dir) rm -rf "$p"; mkdir -p "$p/x" ;;
	file) rm -rf "$p"; echo garbage >"$p" ;;
	ro) mount --bind "$p" "$p" && mount -o remount,ro,bind "$p" ;;
	esac
}
# undamage PATH KIND: the saved copy back (what a command removed stays removed)
undamage() {
	local p=$R/$1
	case $2 in
	ro) umount "$p" ;;
	# only what is still the damage: a file a command wrote anew stays
	*) if [ -e "$p" ] && diff -r "$p" "$TMP/damaged" >/dev/null 2>&1; then rm -rf "$p"; cp -a "$TMP/saved" "$p"; fi ;;
	esac
}

# case PATH KIND...: the world, the damage, every command, the damage gone, recovery
run_case() {
	local path=$1 kind
	shift
	for kind in "$@"; do
		if ! world >"$TMP/o" 2>&1; then fail "world for $path $kind" "$(cat "$TMP/o")"; continue; fi
		[ "$path" = journal ] && printf 'op=connect\nnetwork=n1\ncontainer=c3\nveth=vethdead\n' >$R/journal
		[ "$path" = lock ] || [ -e "$R/$path" ] || { fail "$path: not in the world"; continue; }
		rm -rf "$TMP/saved"
		[ -e "$R/$path" ] && cp -a "$R/$path" "$TMP/saved"
		damage "$path" "$kind"
		rm -rf "$TMP/damaged"
		[ "$kind" = ro ] || cp -a "$R/$path" "$TMP/damaged"
		meet "$path $kind"
		case "$path $kind" in journal* | firewall* | *" ro") readers_answer "$path $kind" ;; esac
		undamage "$path" "$kind"
		recovered "$path $kind"
	done
}

PORT=ports/tcp-0.0.0.0-8080-8080
run_case networks/n1 trunc empty garbled dir
run_case networks ro file
run_case endpoints/n1/c1 trunc garbled dir
run_case endpoints/n1 ro file
run_case containers/c1 garbled dir
run_case containers ro file
run_case names/n1 trunc garbled dir
run_case names ro
run_case $PORT trunc garbled dir
run_case ports ro
run_case vxlan/n1 trunc garbled dir
run_case vxlan ro
run_case journal garbled dir
run_case firewall garbled dir
run_case . ro

# --- a damaged network file is named, and netrm -f / netprune remove it -------------
world
damage networks/n1 trunc
testing "netinspect names the damaged file" "bx netinspect n1 2>&1 >/dev/null" \
	"netinspect: network n1: damaged state file /run/boxnet/networks/n1 (netrm -f removes it)
rc=1"
testing "netls lists the others" "bx netls --format '{{.Name}}' | sort | tr '\n' ' '" "bridge host n2 none rc=0"
testing "netrm without -f says the same" "bx netrm n1 2>&1" \
	"netrm: network n1: damaged state file /run/boxnet/networks/n1 (netrm -f removes it)
rc=1"
testing "netrm -f removes it, with its endpoints and overlay" "bx netrm -f n1" "n1
rc=0"
ok "and state and kernel agree" consistent
ok "c1 can join n2" bx netconnect n2 c1
world
damage networks/n2 trunc
testing "netprune -f removes a damaged network" "bx netprune -f" "Deleted Networks:
n2

rc=0"
ok "and state and kernel agree" consistent

# --- a damaged port, overlay or names file is named, and netprune removes it ----------
# (a port or overlay file holds what nothing else does: it goes, with its
# rules or device; names are written anew from the endpoints)
world
damage $PORT garbled
testing "portfwd ls names a damaged port file" "bx portfwd ls 2>&1" \
	"portfwd: damaged state file $R/$PORT (netprune removes it)
rc=1"
testing "so does every command that syncs the whole firewall" "bx netfw apply 2>&1" \
	"netfw: damaged state file $R/$PORT (netprune removes it)
rc=1"
# a port of its own is added and removed without reading any other port's file
testing "portfwd add and del of another port work beside it" \
	"bx portfwd add c2 8081:81 2>&1 && bx portfwd del c2 8081:81 2>&1" "rc=0"
testing "netprune -f removes it" "bx netprune -f >/dev/null; ls $R/ports" "rc=0"
testing "and its rule" "iptables-legacy-save -t nat | grep -c -- '--dport 8080'" "0
rc=1"
ok "and state and kernel agree" consistent
ok "the port can be published again" bx portfwd add c1 8080:80
# a damaged index of host ports: named by the one port that needs it, rebuilt by netprune
world
damage portsat/tcp-8080 file
testing "portfwd add of a port whose index is damaged says so" "bx portfwd add c2 8080:80 2>&1" \
	"portfwd: cannot read the index of published ports: Not a directory (netprune rebuilds it)
rc=1"
testing "another port is added beside it" "bx portfwd add c2 8082:82 2>&1 && bx portfwd del c2 8082:82" "rc=0"
testing "netprune -f rebuilds the index" "bx netprune -f >/dev/null; ls $R/portsat/tcp-8080" "tcp-0.0.0.0-8080-8080
rc=0"
testing "and 8080 is taken again" "bx portfwd add c2 8080:80 2>&1" \
	"portfwd: Bind for 0.0.0.0:8080 failed: port is already allocated
rc=1"
ok "and state and kernel agree" consistent
world
damage vxlan/n1 trunc
testing "vxlan ls names a damaged overlay file" "bx vxlan ls 2>&1" \
	"vxlan: damaged state file $R/vxlan/n1 (netprune removes it)
rc=1"
testing "so does vxlan peer add" "bx vxlan peer add n1 10.200.0.9 2>&1" \
	"vxlan: damaged state file $R/vxlan/n1 (netprune removes it)
rc=1"
testing "vxlan del removes it, and its device" "bx vxlan del n1; ls $R/vxlan; ip -o link show type vxlan" "rc=0"
ok "and state and kernel agree" consistent
world
damage vxlan/n1 garbled
testing "netprune -f removes a garbled overlay file, and its device" \
	"bx netprune -f >/dev/null; ls $R/vxlan; ip -o link show type vxlan" "rc=0"
ok "and state and kernel agree" consistent
ok "n1 can have an overlay again" bx vxlan add n1 --vni 7 --remote 10.200.0.2 --dev ul0
world
damage names/n1 garbled
testing "netconnect names a damaged names file" "bx netconnect n1 c3 2>&1" \
	"netconnect: damaged state file $R/names/n1 (netprune rebuilds it)
rc=1"
testing "netdisconnect too, and changes nothing" "bx netdisconnect n1 c1 2>&1; ls $R/endpoints/n1 | tr '\n' ' '" \
	"netdisconnect: damaged state file $R/names/n1 (netprune rebuilds it)
c1 c2 rc=0"
testing "netprune -f writes the names anew" "bx netprune -f >/dev/null; tr '\t' ' ' <$R/names/n1" "10.1.0.2 c1
10.1.0.3 c2
rc=0"
testing "and the hosts files have them" "grep -h 'c[12]\$' /etc/netns/c1/hosts /etc/netns/c2/hosts | tr '\t' ' '" \
	"10.1.0.2 c1
10.1.0.3 c2
10.1.0.2 c1
10.1.0.3 c2
rc=0"
ok "and state and kernel agree" consistent
ok "c3 can join n1" bx netconnect n1 c3

# --- a full state file system: ENOSPC, said as such -----------------------------------
hard_reset
mount -t tmpfs -o size=256k boxnet-full /run/boxnet
if build >"$TMP/o" 2>&1; then
	dd if=/dev/zero of=$R/fill bs=4k count=64 2>/dev/null
	meet "full"
	readers_answer "full"
	testing "every failure says No space left on device" \
		"grep -v '^0 ' $TMP/rcs | grep -v -e 'No space left on device' -e 'not connected' -e 'not a peer' \
			-e 'not found' -e 'already exists'" "rc=1"
	testing "some mutating commands failed" "grep -c '^1 ' $TMP/rcs | grep -qvx 0 && echo yes" "yes
rc=0"
	rm -f $R/fill
	recovered "full"
else
	fail "world on a small tmpfs" "$(cat "$TMP/o")"
fi
hard_reset

finish
