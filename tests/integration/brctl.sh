#!/bin/sh
# brctl: boxnet's against bridge-utils 1.7.1 on the same bridges, byte for byte.
#
#   n1 (10.9.0.1) --veth-- [br0] --veth-- n2 (10.9.0.2)      plus idle bridges
#
. "$(dirname "$0")/lib.sh"

# both tools are called as plain "brctl" so getopt's messages name them alike
mkdir -p "$TMP/ours" "$TMP/real"
ln -s "$BOXNET" "$TMP/ours/brctl"
ln -s "$(command -v brctl)" "$TMP/real/brctl"
REAL="PATH=$TMP/real:\$PATH brctl"
OURS="PATH=$TMP/ours:\$PATH brctl"
ours() { PATH="$TMP/ours:$PATH" brctl "$@"; }
if [ -n "${TEST_HOST:-}" ]; then   # oracle mode: everything against bridge-utils
	OURS=$REAL
	ours() { PATH="$TMP/real:$PATH" brctl "$@"; }
fi

# same NAME ARGS: both tools, same stdout, stderr and exit code
same() { local n=$1; shift; same_output "$n" "$REAL $*" "$OURS $*"; }

# the timers that tick: mask the values but keep the layout
mask_timers() {
	sed -E -e 's/(timer\t+) *[0-9]+\.[0-9]+/\1T/g' \
		-e 's/^( *[0-9]+\t[0-9a-f:]+\tno\t\t) *[0-9]+\.[0-9]+$/\1T/'
}
same_masked() {
	local n=$1; shift
	same_output "$n" "$REAL $* | mask_timers" "$OURS $* | mask_timers"
}

# an error case: same output and code as bridge-utils, and nothing changed
same_err() {
	local n=$1; shift
	snapshot "$TMP/before"
	same "$n" "$@"
	snapshot "$TMP/after"
	cmp -s "$TMP/before" "$TMP/after" && pass "$n: unchanged" ||
		fail "$n: unchanged" "$(diff "$TMP/before" "$TMP/after")"
}

ip link add va type veth peer name vb
ip link add vc type veth peer name vd
ip link add aaa type veth peer name aab

# --- show -----------------------------------------------------------------------
same "show, no bridge" show
testing "show, no bridge, prints nothing" "ours show" "rc=0"

ok "addbr br0" ours addbr br0
testing "addbr made a bridge" "ip -d -o link show br0 | grep -o 'bridge forward_delay'" \
	"bridge forward_delay
rc=0"
ip link set br0 address 02:42:00:00:00:01
same "show, one bridge, no port" show
same "show br0, no port" show br0
ok "addif one port" ours addif br0 va
same "show, one port" show
ok "addif two ports at once" ours addif br0 vc aaa
testing "ports are in the kernel" "ip -o link show master br0 | awk '{print \$2}' | sort | tr -d '\\n'" \
	"aaa@aab:va@vb:vc@vd:rc=0"
same "show, three ports in name order" show
ours addbr abr
ours stp abr on
ours setbridgeprio abr 4096
ours addbr docker_gwbridge
same "show, several bridges" show
same "show some bridges in argument order" show docker_gwbridge br0
same "show, nosuch and a veth among bridges" show nosuch br0 va
testing "stp on is visible in sysfs" "cat /sys/class/net/abr/bridge/stp_state" "1
rc=0"
testing "bridge priority in sysfs" "cat /sys/class/net/abr/bridge/priority" "4096
rc=0"

# --- showstp ----------------------------------------------------------------------
same_masked "showstp, ports down" showstp br0
same_masked "showstp, STP on, no port" showstp abr
ip link set br0 up; ip link set va up; ip link set vc up
ours hairpin br0 va on
ours setpathcost br0 vc 17
ours setportprio br0 aaa 12
same_masked "showstp, forwarding, hairpin, cost, priority" showstp br0
testing "hairpin in sysfs" "cat /sys/class/net/va/brport/hairpin_mode" "1
rc=0"
testing "path cost in sysfs" "cat /sys/class/net/vc/brport/path_cost" "17
rc=0"
testing "port priority in sysfs" "cat /sys/class/net/aaa/brport/priority" "12
rc=0"
ours hairpin br0 va off
testing "hairpin off" "cat /sys/class/net/va/brport/hairpin_mode" "0
rc=0"

# --- timers and stp --------------------------------------------------------------
ok "setageing" ours setageing br0 12.5
testing "ageing time in centiseconds" "cat /sys/class/net/br0/bridge/ageing_time" "1250
rc=0"
ok "setfd" ours setfd br0 4
testing "forward delay" "cat /sys/class/net/br0/bridge/forward_delay" "400
rc=0"
ok "sethello" ours sethello abr 3
testing "hello time" "cat /sys/class/net/abr/bridge/hello_time" "300
rc=0"
ok "setmaxage" ours setmaxage abr 12
testing "max age" "cat /sys/class/net/abr/bridge/max_age" "1200
rc=0"
ok "stp off" ours stp abr off
testing "stp state off" "cat /sys/class/net/abr/bridge/stp_state" "0
rc=0"
ours stp abr yes
same_masked "showstp after timer changes" showstp abr

# --- showmacs after traffic --------------------------------------------------------
ip netns add n1; ip netns add n2
ip link set vb netns n1; ip link set vd netns n2
ip -n n1 addr add 10.9.0.1/24 dev vb; ip -n n1 link set vb up
ip -n n2 addr add 10.9.0.2/24 dev vd; ip -n n2 link set vd up
ours setageing br0 300
ok "ping across the bridge" ip netns exec n1 ping -c1 -W2 10.9.0.2
bridge fdb add 02:42:ac:11:00:99 dev vc master static
same_masked "showmacs with learned, static and local entries" showmacs br0
testing "learned MAC of n2 on port 2" \
	"ours showmacs br0 | grep -c \"^  2	$(ip -n n2 -br link show vd | awk '{print $3}')	no\"" "1
rc=0"
same "showmacs, empty bridge" showmacs docker_gwbridge

# --- delif / delbr ------------------------------------------------------------------
ok "delif" ours delif br0 aaa
testing "aaa left br0" "ip -o link show aaa | grep -c master" "0
rc=1"
ip link set br0 down
ok "delbr" ours delbr docker_gwbridge
testing "docker_gwbridge is gone" "ip link show docker_gwbridge 2>/dev/null; echo \$?" "1
rc=0"

# --- errors: same message and code as bridge-utils, and nothing changed --------------
ip link set abr up
same_err "addbr existing" addbr br0
same_err "addbr a/b" addbr a/b
same_err "addbr empty" addbr ""
same_err "delbr nosuch" delbr nosuch
same_err "delbr a veth" delbr va
same_err "delbr while up" delbr abr
same_err "addif nosuch interface" addif br0 nosuchif
same_err "addif to nosuch bridge" addif nosuchbr aaa
same_err "addif to a veth" addif va aaa
same_err "addif port of another bridge" addif abr va
same_err "addif same port again" addif br0 va
same_err "addif loopback" addif br0 lo
same_err "addif a bridge" addif br0 abr
same_err "delif not a port" delif br0 aaa
same_err "delif from nosuch bridge" delif nosuch va
same_err "delif from a veth" delif aab aaa
same_err "hairpin nosuch port" hairpin br0 nosuch on
same_err "hairpin bad word" hairpin br0 va maybe
same_err "hairpin not a port" hairpin br0 aaa on
same_err "setageing nosuch" setageing nosuch 10
same_err "setageing a veth" setageing va 10
same_err "setageing not a number" setageing br0 abc
same_err "setfd out of range with stp" setfd abr 100
same_err "sethello out of range" sethello abr 100
same_err "setmaxage out of range" setmaxage abr 100
same_err "setbridgeprio not a number" setbridgeprio br0 x
same_err "setbridgeprio nosuch" setbridgeprio nosuch 1
same_err "setpathcost zero" setpathcost br0 va 0
same_err "setpathcost not a number" setpathcost br0 va x
same_err "setpathcost not a port" setpathcost br0 aaa 5
same_err "setpathcost nosuch port" setpathcost br0 nosuch 5
same_err "setportprio out of range" setportprio br0 va 99
same_err "setportprio huge" setportprio br0 va 70000
same_err "setportprio nosuch port" setportprio br0 nosuch 9
same_err "stp nosuch" stp nosuch on
same_err "stp bad word" stp br0 maybe
same_err "stp on a veth" stp va on
same_err "showmacs nosuch" showmacs nosuch
same_err "showmacs a veth" showmacs va
same_err "showstp nosuch" showstp nosuch
same_err "showstp a veth" showstp va
same_err "show a veth" show va
same_err "too few arguments" addif br0
same_err "showmacs without argument" showmacs
same_err "unknown command" frob
same_err "no command" ""
same_err "unknown short option" -x
same_err "unknown long option" --bogus
same "version" -V
same "help" --help
same "-h" -h

# names the kernel cannot hold: bridge-utils truncates them, boxnet refuses
[ -z "${TEST_HOST:-}" ] && {
snapshot "$TMP/before"
testing "addbr name over 15 characters is refused" "ours addbr abcdefghijklmnopqrs 2>&1" \
	"add bridge failed: Numerical result out of range
rc=1"
testing "delbr never matches a truncated name" "ours delbr br0xxxxxxxxxxxxxxxxx" "rc=1"
testing "addif interface name over 15 characters" "ours addif br0 vaxxxxxxxxxxxxxxxxxx 2>&1" \
	"interface vaxxxxxxxxxxxxxxxxxx does not exist!
rc=1"
snapshot "$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass "long names: unchanged" || fail "long names: unchanged"
}

# --- many bridges: show with 30 bridges and ports -------------------------------------
i=0
while [ $i -lt 30 ]; do
	ip link add "b$i" type bridge
	ip link add "p$i" type veth peer name "q$i"
	ip link set "p$i" master "b$i"
	i=$((i + 1))
done
same "show, 33 bridges" show

finish
