#!/bin/sh
# ipnetns: boxnet's against iproute2 6.1's "ip netns" on the same /run/netns,
# byte for byte, and each tool working on what the other made.
#
#   root netns (the sandbox) ── /run/netns/t-a, t-b, ...   named by either tool
#        t-a ──veth tv0/tv1── t-b                           (for target-nsid)
#        unnamed netns of "unshare -n sleep" ──veth── root  (attach, nsid)
#
. "$(dirname "$0")/lib.sh"

OURS="$BOXNET ipnetns"
OURS_ALL="$BOXNET ipnetns -all"
OURS_X="$BOXNET ipnetns -x"
REAL="ip netns"
MON="$OURS"
if [ -n "${TEST_HOST:-}" ]; then # oracle mode: everything against iproute2
	OURS=$REAL
	OURS_ALL="ip -all netns"
	OURS_X="ip -x netns"
	MON="stdbuf -oL ip netns" # ip's stdout is block-buffered in a file
fi
ours() { $OURS "$@"; }

BG=""
cleanup() { for p in $BG; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

# same NAME 'ARGS': both tools, same stdout, stderr and exit code
same() { same_output "$1" "$REAL $2" "$OURS $2"; }

# what a failed command must leave as it was: links, names, mounts, nsids
state() {
	snapshot "$1"
	{
		findmnt -rn -o TARGET,FSTYPE,PROPAGATION | grep -E '^(/run/netns|/sys|/etc)'
		ip netns list-id
	} >>"$1" 2>&1
}

# same_err NAME 'ARGS': as same, and neither tool changed anything
same_err() {
	state "$TMP/before"
	same "$1" "$2"
	state "$TMP/after"
	if cmp -s "$TMP/before" "$TMP/after"; then pass "$1: unchanged"; else
		fail "$1: unchanged" "$(diff "$TMP/before" "$TMP/after")"; fi
}

# the namespace-related syscalls of a command, fds and pointers masked
SYSCALLS=mkdir,mkdirat,flock,mount,unshare,setns,umount2,unlink,unlinkat
trace() {
	# LeakSanitizer cannot run under ptrace: leaks are checked in the other tests
	ASAN_OPTIONS=detect_leaks=0 strace -o "$TMP/trace" -e trace=$SYSCALLS "$@" >/dev/null 2>&1
	sed -E -e 's/0x[0-9a-f]+/PTR/g' -e 's/^(flock|setns)\([0-9]+/\1(FD/' \
		-e 's/^mkdirat\(AT_FDCWD, /mkdir(/' -e 's/^unlinkat\(AT_FDCWD, (.*), 0\)/unlink(\1)/' \
		"$TMP/trace"
}
mounts() { findmnt -rn -o TARGET,FSTYPE,PROPAGATION | grep '^/run/netns' || true; }
# a fresh start: no /run/netns at all
reset_run_dir() {
	for n in $(ls /run/netns 2>/dev/null); do ip netns del "$n"; done
	umount /run/netns 2>/dev/null
	rmdir /run/netns 2>/dev/null
	true
}
netns_ino() { stat -L -c %i "$1"; }
# start a process that stays in a new unnamed netns; its pid in $U
start_unshared() {
	unshare -n sleep 1000 &
	U=$!
	BG="$BG $U"
	wait_for sh -c "[ \$(stat -L -c %i /proc/$U/ns/net) != \$(stat -L -c %i /proc/self/ns/net) ]"
}
# a pid that no process has
dead_pid() { sh -c 'echo $$'; }

# --- no /run/netns at all ---------------------------------------------------------
reset_run_dir
same "list, no /run/netns" ""
same "list-id, no /run/netns" "list-id"
same "identify, no /run/netns" "identify"
testing "list prints nothing, no /run/netns" "ours" "rc=0"

# --- concurrent adds on a fresh /run/netns: the flock keeps it mounted once ------
P=""
for i in 1 2 3 4 5 6; do
	ours add "t-p$i" &
	P="$P $!"
	ip netns add "t-q$i" &
	P="$P $!"
done
for p in $P; do wait "$p"; done
testing "concurrent adds (both tools): every name made" "ls /run/netns | grep -c '^t-[pq][1-6]$'" "12
rc=0"
testing "concurrent adds: /run/netns is one shared mount" \
	"findmnt -rn -o TARGET,PROPAGATION | grep '^/run/netns '" "/run/netns shared
rc=0"
reset_run_dir

# --- add: the syscalls and mounts of iproute2 ---------------------------------------
trace ip netns add t-s >"$TMP/add.real"
mounts >"$TMP/mounts.real"
trace ip netns del t-s >"$TMP/del.real"
reset_run_dir
trace $OURS add t-s >"$TMP/add.ours"
mounts >"$TMP/mounts.ours"
testing "add: same syscalls as ip (mkdir, flock, make-shared, bind, unshare, bind, setns)" \
	"diff $TMP/add.real $TMP/add.ours && grep -c -e 'unshare(CLONE_NEWNET)' -e 'MS_BIND|MS_REC' -e 'MS_REC|MS_SHARED' $TMP/add.ours" \
	"4
rc=0"
testing "add: same mounts as ip" "diff $TMP/mounts.real $TMP/mounts.ours && cat $TMP/mounts.ours" \
	"/run/netns tmpfs shared
/run/netns/t-s nsfs shared
rc=0"
testing "add: a new netns, not the caller's" \
	"[ $(netns_ino /run/netns/t-s) != $(netns_ino /proc/self/ns/net) ] && echo new" "new
rc=0"
testing "add: the caller stays in its netns" "ours identify" "
rc=0"
testing "delete: same syscalls as ip (umount2 detach, unlink)" \
	"trace $OURS del t-s | diff $TMP/del.real - && grep -c MNT_DETACH $TMP/del.real" "1
rc=0"
testing "delete: mount and file gone" "mounts; ls /run/netns" "/run/netns tmpfs shared
rc=0"
ip netns add t-s
trace ip netns exec t-s true >"$TMP/exec.real"
testing "exec: same syscalls as ip (setns, unshare, rslave, sysfs)" \
	"trace $OURS exec t-s true | diff $TMP/exec.real - && grep -c -e MS_REC.MS_SLAVE -e '\"sysfs\"' -e CLONE_NEWNS $TMP/exec.real" "3
rc=0"
D=$(dead_pid)
trace ip netns attach t-x "$D" >"$TMP/attach.real"
testing "attach, bad pid: same syscalls as ip (placeholder removed)" \
	"trace $OURS attach t-x $D | diff $TMP/attach.real - && grep -c 'unlink(\"/run/netns/t-x\")' $TMP/attach.real" "1
rc=0"
ip netns del t-s

# --- interoperability: made by one, used by the other ------------------------------
ok "ipnetns add t-a" ours add t-a
ok "ip netns add t-b" ip netns add t-b
same "list, two names" "list"
same "bare list" ""
testing "list shows both, newest first (readdir order)" "ours" "t-b
t-a
rc=0"
testing "ip execs in ipnetns' t-a" "ip netns exec t-a ip -o link show | cut -d: -f2" " lo
rc=0"
testing "ipnetns execs in ip's t-b" "ours exec t-b ip -o link show | cut -d: -f2" " lo
rc=0"
testing "ip identifies itself inside ipnetns' t-a" "ip netns exec t-a ip netns identify" "t-a
rc=0"
testing "ipnetns identifies itself inside ip's t-b" "ip netns exec t-b $OURS identify" "t-b
rc=0"
same "identify from inside, both tools" "exec t-a $REAL identify"
ip netns exec t-a sleep 1000 &
PA=$!
BG="$BG $PA"
wait_for sh -c "[ \$(stat -L -c %i /proc/$PA/ns/net) = $(netns_ino /run/netns/t-a) ]"
same "identify PID" "identify $PA"
testing "identify PID names t-a" "ours identify $PA" "t-a
rc=0"
testing "ip identifies a PID in ipnetns' t-a" "ip netns identify $PA" "t-a
rc=0"
same "pids" "pids t-a"
testing "pids lists the process in t-a" "ours pids t-a" "$PA
rc=0"
same "pids, empty namespace" "pids t-b"

# --- abbreviations, as iproute2 resolves them -------------------------------------
same "abbreviation l" "l"
same "abbreviation s (show)" "s"
same "abbreviation lst" "lst"
same "abbreviation i PID" "i $PA"
same "abbreviation p" "p t-a"
same "abbreviation ls (of lst)" "ls"
ok "abbreviation a (add)" ours a t-c
testing "ip sees t-c" "ip netns list | grep -c '^t-c$'" "1
rc=0"
ok "abbreviation d (delete) of ip's name" ours d t-b
testing "t-b is gone for ip too" "ip netns list | grep -c '^t-b$'" "0
rc=1"
ip netns add t-b

# --- exec: /etc/netns binds, sysfs, status ------------------------------------------
mkdir -p /etc/netns/t-a
printf '10.1.2.3 hostinside\n' >/etc/netns/t-a/hosts
cp /etc/hosts "$TMP/hosts"
state "$TMP/exec.before"
testing "exec binds /etc/netns/NAME/hosts over /etc/hosts" "ours exec t-a cat /etc/hosts" \
	"10.1.2.3 hostinside
rc=0"
same "exec sees the same /etc/hosts as ip's" "exec t-a cat /etc/hosts"
testing "the host's /etc/hosts is untouched" "cmp /etc/hosts $TMP/hosts && echo same" "same
rc=0"
ip -n t-a link add d0 type veth peer name d1
testing "exec: /sys shows the namespace's devices" "ours exec t-a ls /sys/class/net | tr '\n' ' '" \
	"d0 d1 lo rc=0"
same "exec: /sys as ip's" "exec t-a ls /sys/class/net"
same "exec: sysfs source is the netns name" "exec t-a findmnt -n -o SOURCE,FSTYPE /sys"
testing "exec: sysfs source, literally" "ours exec t-a findmnt -rn -o SOURCE,FSTYPE /sys | tail -1" "t-a sysfs
rc=0"
testing "exec: host /sys does not show d0" "ls /sys/class/net | grep -c '^d0$'" "0
rc=1"
same "exec: / is a slave, not shared" "exec t-a findmnt -n -o PROPAGATION /"
same "exec: exit status of the command" "exec t-a sh -c 'exit 7'"
testing "exec: exit status 7" "ours exec t-a sh -c 'exit 7'" "rc=7"
same "exec: arguments and stdout" "exec t-a echo one 'two three'"
printf 'x\n' >/etc/netns/t-a/hostname-kn-test
same "exec: an /etc/netns file without /etc counterpart is reported, the rest bound" \
	"exec t-a cat /etc/hosts"
rm /etc/netns/t-a/hostname-kn-test
state "$TMP/exec.after"
testing "exec leaves the host's mounts, links and names alone" \
	"diff $TMP/exec.before $TMP/exec.after && echo same" "same
rc=0"

# --- attach a process started elsewhere -----------------------------------------
start_unshared
ip link add uv0 type veth peer name uv1 netns "$U"
same "list-id with an unnamed netns (no name found)" "list-id"
ok "attach t-u PID" ours attach t-u "$U"
testing "attach binds /proc/PID/ns/net" \
	"[ $(netns_ino /proc/"$U"/ns/net) = \$(stat -L -c %i /run/netns/t-u) ] && echo same" "same
rc=0"
testing "attached netns has the veth end" "ip -n t-u -o link show | grep -c uv1@" "1
rc=0"
same "identify the attached PID" "identify $U"
same "pids of the attached netns" "pids t-u"
testing "pids of t-u is the process" "ours pids t-u" "$U
rc=0"
ok "ip attaches the same netns as t-u2" ip netns attach t-u2 "$U"
same "identify, two names on one netns: the last in readdir order" "identify $U"
ok "ipnetns deletes ip's t-u2" ours del t-u2

# --- nsids: set, list, list-id ----------------------------------------------------
ok "set t-a 5" ours set t-a 5
testing "the kernel has nsid 5 for t-a" "ip netns list-id | grep -c '^nsid 5 (iproute2 netns name: t-a)$'" \
	"1
rc=0"
same "list shows (id: N)" "list"
testing "list, literally" "ours list | grep t-a" "t-a (id: 5)
rc=0"
ok "ip sets t-b auto" ip netns set t-b auto
ok "ipnetns sets t-c auto" ours set t-c auto
same "list-id" "list-id"
same "list-id nsid 5" "list-id nsid 5"
testing "list-id nsid 5, literally" "ours list-id nsid 5" "nsid 5 (iproute2 netns name: t-a)
rc=0"
ip link add tv0 netns t-a type veth peer name tv1 netns t-b
same "list-id target-nsid (current-nsid, iproute2's lookup)" "list-id target-nsid 5"
same "list-id target-nsid with nsid" "list-id target-nsid 5 nsid 0"
same "list-id, hex and octal numbers" "list-id nsid 0x5 target-nsid 05"
ip netns add t-h
ok "set 0x10 (hex, as get_integer)" ours set t-h 0x10
testing "t-h got 16" "ip netns list | grep t-h" "t-h (id: 16)
rc=0"
ip netns add t-n

# --- bad input: same message and exit code as ip, nothing changed ------------------
LONG=$(printf 'x%.0s' $(seq 256))
same_err "add: existing name" "add t-a"
same_err "add: no name" "add"
same_err "add: empty name" "add ''"
same_err "add: name with /" "add a/b"
same_err "add: name ." "add ."
same_err "add: name .." "add .."
same_err "add: name longer than NAME_MAX" "add $LONG"
same_err "exec: missing namespace" "exec nosuch true"
same_err "exec: no command" "exec t-a"
same_err "exec: nothing" "exec"
same_err "exec: missing binary" "exec t-a /nonexistent-binary"
same_err "exec: invalid name" "exec ../x true"
same_err "delete: missing namespace" "delete nosuch"
same_err "delete: no name" "delete"
same_err "pids: missing namespace" "pids nosuch"
same_err "pids: extra argument" "pids t-a t-b"
same_err "pids: no name" "pids"
same_err "identify: not a pid" "identify abc"
same_err "identify: no such pid" "identify $(dead_pid)"
same_err "identify: extra argument" "identify 1 2"
same_err "identify: empty pid" "identify ''"
same_err "set: missing namespace" "set nosuch 5"
same_err "set: non-numeric nsid" "set t-a abc"
same_err "set: negative nsid" "set t-a -3"
same_err "set: nsid with trailing junk" "set t-a '5 '"
same_err "set: no nsid" "set t-a"
same_err "set: nothing" "set"
same_err "set: already has an nsid (kernel refuses)" "set t-a 6"
same_err "set: nsid used by another" "set t-n 5"
same_err "set: invalid name" "set a/b 5"
same_err "attach: no pid" "attach t-x"
same_err "attach: bad pid" "attach t-x $(dead_pid)"
same_err "attach: non-numeric pid" "attach t-x abc"
same_err "attach: pid 0" "attach t-x 0"
same_err "attach: existing name" "attach t-a $U"
same_err "unknown subcommand" "frob"
same_err "unknown subcommand, invalid name first" "frob a/b"
same_err "empty subcommand" "''"
same_err "help" "help"
same_err "list with an invalid name argument" "list ."
same_err "list-id: negative nsid (ip names the next word)" "list-id nsid -3"
same_err "list-id: negative nsid, a word after it" "list-id nsid -3 foo"
same_err "list-id: nsid without value" "list-id nsid"
same_err "list-id: nsid twice" "list-id nsid 1 nsid 2"
same_err "list-id: non-numeric nsid" "list-id nsid abc"
same_err "list-id: unknown keyword" "list-id bogus"
same_err "list-id: unassigned nsid (kernel refuses)" "list-id nsid 99"
same_err "list-id: unknown target (dump refused)" "list-id target-nsid 99"
same_err "list-id: negative target-nsid" "list-id target-nsid -1"
same_output "unknown global option" "ip -x netns" "$OURS_X"
testing "exec: missing namespace exits 255" "ours exec nosuch true" "rc=255"
testing "set: already assigned exits 2" "ours set t-a 6" "rc=2"
testing "add: invalid name exits 255" "ours add a/b" "rc=255"
testing "no placeholder left by a failed attach" "ls /run/netns | grep -c t-x" "0
rc=1"

# --- a file in /run/netns that is not a namespace --------------------------------
: >/run/netns/t-plain
same "list with a plain file (errors twice, as ip)" "list"
same "list-id with a plain file" "list-id"
testing "list with a plain file, stderr" "ours list 2>&1 >/dev/null | sort | uniq -c | tr -s ' '" \
	" 2 Error: Peer netns reference is invalid.
rc=0"
ours del t-plain

# --- help -------------------------------------------------------------------------
testing "--help: usage on stdout" "$BOXNET ipnetns --help | head -1" "Usage: ipnetns [-all] [COMMAND [ARGS]...]
rc=0"
testing "help: ip's usage on stderr" "ours help 2>&1 >/dev/null | head -1" "Usage:	ip netns list
rc=0"
testing "help: exits 255, nothing on stdout" "ours help 2>/dev/null" "rc=255"

# --- monitor ----------------------------------------------------------------------
$MON monitor >"$TMP/mon.ours" 2>&1 &
BG="$BG $!"
stdbuf -oL ip netns monitor >"$TMP/mon.real" 2>&1 &
BG="$BG $!"
probe() {
	: >/run/netns/probe
	rm -f /run/netns/probe
	grep -q 'delete probe' "$TMP/mon.ours" && grep -q 'delete probe' "$TMP/mon.real"
}
wait_for probe
ours add t-m1
ip netns add t-m2
ip netns del t-m1
ours del t-m2
wait_for sh -c "grep -q 'delete t-m2' $TMP/mon.ours && grep -q 'delete t-m2' $TMP/mon.real"
testing "monitor prints add and delete, both tools' changes" "grep -v probe $TMP/mon.ours" \
	"add t-m1
add t-m2
delete t-m1
delete t-m2
rc=0"
testing "monitor: ip's lines are the same" "grep -v probe $TMP/mon.real" \
	"add t-m1
add t-m2
delete t-m1
delete t-m2
rc=0"

# --- -all -------------------------------------------------------------------------
same_output "-all exec" "ip -all netns exec sh -c 'echo in; exit 3'" "$OURS_ALL exec sh -c 'echo in; exit 3'"
same_output "-all exec, missing binary" "ip -all netns exec /nonexistent" "$OURS_ALL exec /nonexistent"
same_output "-all exec, no command" "ip -all netns exec" "$OURS_ALL exec"
testing "-all exec runs in every namespace" "$OURS_ALL exec ip netns identify | grep -c ." \
	"$(($(ls /run/netns | wc -l) * 2))
rc=0"
ok "-all delete" $OURS_ALL delete
testing "-all delete removed every name and mount" "ls /run/netns; mounts" "/run/netns tmpfs shared
rc=0"
same "list after -all delete" "list"

# CLI.md's "delete NAME...": every name goes (ip 6.1 would delete only the first)
if [ -z "${TEST_HOST:-}" ]; then
	"$BOXNET" ipnetns add multi1
	"$BOXNET" ipnetns add multi2
	testing "delete several names" "\"$BOXNET\" ipnetns delete multi1 multi2; ls /run/netns | grep -c multi" "0
rc=1"
fi

finish
