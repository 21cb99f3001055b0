#!/bin/sh
# The OCI runtime hook, driven as runc and crun drive it: the state JSON on
# stdin, a process in its own network namespace (`unshare --net sleep`) and a
# bundle whose config.json names a rootfs. Addresses in the kernel, hosts
# files in the rootfs kept current (also for a network joined later with
# netconnect --pid), names resolved through them, published ports, delete
# leaving nothing (idempotent, without a pid), bad input leaving nothing, the
# hooks.d file of `make install`, and a real crun container when crun runs here.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=nft
# bundle DIR: a bundle with config.json and a rootfs whose etc/hosts the image made
bundle() {
	mkdir -p "$1/rootfs/etc"
	echo '{"ociVersion":"1.0.2","root":{"path":"rootfs","readonly":true}}' >"$1/config.json"
	printf '127.0.0.1\timage\n' >"$1/rootfs/etc/hosts"
}
# state ID STATUS PID BUNDLE [ANNOTATIONS]: a state as runc gives a hook
state() { printf '{"ociVersion":"1.0.2","id":"%s","status":"%s","pid":%s,"bundle":"%s","annotations":{%s}}' \
	"$1" "$2" "$3" "$4" "${5:-}"; }
# sleeper: a process with a network namespace of its own, its pid in $P
sleeper() {
	unshare --net sleep infinity &
	P=$!
	wait_for sh -c "[ \"\$(readlink /proc/$P/ns/net)\" != \"\$(readlink /proc/$$/ns/net)\" ]"
}
# resolve PID ROOTFS CMD...: CMD in PID's network namespace with ROOTFS's etc/hosts as /etc/hosts
resolve() {
	local p=$1 r=$2
	shift 2
	nsenter -t "$p" -n unshare --mount sh -c 'mount --bind "$0/etc/hosts" /etc/hosts && exec "$@"' "$r" "$@"
}
names() { grep -v "^[0-9a-f:.]*	\(localhost\|ip6-\)\|^# boxnet:" "$1/rootfs/etc/hosts"; }

bx netcreate --subnet 10.77.0.0/24 front >/dev/null
bx netcreate --subnet 10.78.0.0/24 back >/dev/null
ID1=0123456789abcdef0123456789abcdef
C1=0123456789ab
R1=$TMP/b1/rootfs R2=$TMP/b2/rootfs
bundle "$TMP/b1"
bundle "$TMP/b2"

# --- create -------------------------------------------------------------------------
sleeper; P1=$P
state $ID1 creating $P1 "$TMP/b1" '"boxnet.network":"front","boxnet.alias":"web,www","boxnet.publish":"8080:80,127.0.0.1:5353:53/udp","other":"x"' |
	bx ocihook create >"$TMP/out1" 2>&1
testing "create (runc's status creating): 0, silent" "echo \$?; cat $TMP/out1" "0
rc=0"
testing "the address is in the kernel" "nsenter -t $P1 -n ip -4 -o addr show eth0 | awk '{print \$4}'" "10.77.0.2/24
rc=0"
testing "the namespace is bound under the first 12 characters of the ID" "ls /run/netns" "$C1
rc=0"
testing "the ports are published" "bx portfwd ls $C1" "53/udp -> 127.0.0.1:5353
80/tcp -> 0.0.0.0:8080
rc=0"
testing "the rootfs's hosts is the container's" "names $TMP/b1" "10.77.0.1	host.docker.internal
10.77.0.2	$C1 web www
rc=0"
ok "the same as /etc/netns's" cmp "$R1/etc/hosts" /etc/netns/$C1/hosts
ok "and resolv.conf" cmp "$R1/etc/resolv.conf" /etc/netns/$C1/resolv.conf
ino1=$(stat -c %i "$R1/etc/hosts")

sleeper; P2=$P
state bbbbbbbbbbbbbbbbbbbb created $P2 "$TMP/b2" '"boxnet.network":"front","boxnet.name":"db","boxnet.ip":"10.77.0.50"' |
	bx ocihook >"$TMP/out2" 2>&1
testing "create without a verb (crun's status created): 0, silent" "echo \$?; cat $TMP/out2" "0
rc=0"
testing "boxnet.name and boxnet.ip" "nsenter -t $P2 -n ip -4 -o addr show eth0 | awk '{print \$4}'; ls /run/netns | grep -x db" "10.77.0.50/24
db
rc=0"
testing "the first container's rootfs hosts learnt the second" "names $TMP/b1 | grep db" "10.77.0.50	db
rc=0"
testing "rewritten in place" "stat -c %i $R1/etc/hosts" "$ino1
rc=0"
ok "ping by name, through the rootfs's hosts" resolve $P1 "$R1" ping -c1 -W2 db
ok "and back through the aliases" resolve $P2 "$R2" ping -c1 -W2 www

# --- a network joined later ----------------------------------------------------------
ok "netconnect --pid of a hooked container" bx netconnect --pid $P2 back db
ok "netconnect --pid of the other" bx netconnect --pid $P1 back $C1
testing "the rootfs's hosts has the later network's names" "names $TMP/b2 | grep 10.78" "10.78.0.2	db
10.78.0.3	$C1
rc=0"
ok "and resolves them" resolve $P2 "$R2" ping -c1 -W2 10.78.0.3

# --- a container without boxnet.network: not boxnet's ---------------------------------
sleeper; P3=$P
bundle "$TMP/b3"
snapshot "$TMP/before"
state other0000000 creating $P3 "$TMP/b3" '"foo":"bar"' | bx ocihook create >"$TMP/out3" 2>&1
rc=$?
state other0000000 stopped 0 "$TMP/b3" | bx ocihook delete >>"$TMP/out3" 2>&1
rc=$rc$?
snapshot "$TMP/after"
testing "no boxnet.network: create and delete do nothing, 0" \
	"echo $rc; cat $TMP/out3; diff $TMP/before $TMP/after; cat $TMP/b3/rootfs/etc/hosts" "00
127.0.0.1	image
rc=0"

# --- bad input: one line, exit 1, kernel, state and rootfs unchanged --------------------
# bad NAME VERB STATE WORDS: the hook refuses STATE with a line holding WORDS
bad() {
	local name=$1 verb=$2 rc lines
	snapshot "$TMP/before"
	md5sum "$TMP/b3/rootfs/etc/hosts" /etc/hosts >>"$TMP/before"
	printf '%s' "$3" | bx ocihook $verb >"$TMP/out" 2>"$TMP/err"; rc=$?
	snapshot "$TMP/after"
	md5sum "$TMP/b3/rootfs/etc/hosts" /etc/hosts >>"$TMP/after"
	lines=$(grep -c '^ocihook: ' "$TMP/err")
	if [ $rc = 1 ] && [ "$lines" = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && [ ! -s "$TMP/out" ] &&
		grep -qF -- "$4" "$TMP/err" &&
		cmp -s "$TMP/before" "$TMP/after"; then
		pass "$name: $(cat "$TMP/err")"
	else
		fail "$name" "rc=$rc" "$(cat "$TMP/err")" "$(diff "$TMP/before" "$TMP/after")"
	fi
}
B3=$TMP/b3
net='"boxnet.network":"front"'
bad "malformed JSON" create '{"id":' "invalid state JSON"
bad "malformed JSON on delete" delete "{" "invalid state JSON"
bad "not an object" create '[1]' "no container id"
bad "no id" create "{\"pid\":$P3,\"bundle\":\"$B3\",\"annotations\":{$net}}" "no container id"
bad "annotations not an object" create "{\"id\":\"x\",\"pid\":$P3,\"bundle\":\"$B3\",\"annotations\":[]}" "annotations are not an object"
bad "an annotation that is not a string" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.alias\":5")" "boxnet.alias is not a string"
bad "an unknown boxnet annotation" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.netwrk\":\"a\"")" "unknown annotation boxnet.netwrk"
bad "a missing network" create "$(state x3 creating $P3 "$B3" '"boxnet.network":"nosuch"')" "nosuch"
bad "a missing second network (the first undone)" create "$(state x3 creating $P3 "$B3" '"boxnet.network":"front,nosuch"')" "nosuch"
bad "an empty network list" create "$(state x3 creating $P3 "$B3" '"boxnet.network":""')" "boxnet.network"
bad "an empty element" create "$(state x3 creating $P3 "$B3" '"boxnet.network":"front,,back"')" "empty element"
bad "a bad name" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.name\":\"a/b\"")" '"a/b"'
bad "an ID that is no name, without boxnet.name" create "$(state ../x creating $P3 "$B3" "$net")" "boxnet.name"
bad "a bad address" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.ip\":\"10.77.0.999\"")" "10.77.0.999"
bad "an address in use" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.ip\":\"10.77.0.50\"")" "10.77.0.50"
bad "a bad alias" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.alias\":\"a b\"")" '"a b"'
bad "a bad port (after the connect: undone)" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.publish\":\"99999:80\"")" "99999:80"
bad "a port already published (undone)" create "$(state x3 creating $P3 "$B3" "\"boxnet.network\":\"front,back\",\"boxnet.publish\":\"8080:80\"")" "8080"
bad "no pid on create" create "{\"id\":\"x3\",\"status\":\"creating\",\"bundle\":\"$B3\",\"annotations\":{$net}}" "no pid"
bad "pid 0 on create" create "$(state x3 creating 0 "$B3" "$net")" "no pid"
bad "a pid that does not exist" create "$(state x3 creating 4194000 "$B3" "$net")" "4194000"
bad "a process in the host's namespace" create "$(state x3 creating $$ "$B3" "$net")" "host's network namespace"
bad "a name taken by another namespace" create "$(state x3 creating $P3 "$B3" "$net,\"boxnet.name\":\"db\"")" "container db exists"
bad "no bundle" create "{\"id\":\"x3\",\"pid\":$P3,\"annotations\":{$net}}" "no bundle"
bad "a bundle without config.json" create "$(state x3 creating $P3 /nonexistent "$net")" "/nonexistent/config.json"
echo '{"ociVersion":"1.0.2"}' >"$TMP/b4.json"
mkdir -p "$TMP/b4" && mv "$TMP/b4.json" "$TMP/b4/config.json"
bad "a config.json without root.path" create "$(state x3 creating $P3 "$TMP/b4" "$net")" "no root.path"
echo '{"root":{"path":"rootfs"' >"$TMP/b4/config.json"
bad "a broken config.json" create "$(state x3 creating $P3 "$TMP/b4" "$net")" "b4/config.json"
mkdir -p "$TMP/b5/rootfs"
echo '{"root":{"path":"rootfs"}}' >"$TMP/b5/config.json"
ln -s /etc "$TMP/b5/rootfs/etc"
bad "a rootfs whose etc links to the host's (undone)" create "$(state x3 creating $P3 "$TMP/b5" "$net")" "b5/rootfs/etc/hosts"
testing "an unknown verb is bad usage" "echo '{}' | bx ocihook frob 2>/dev/null" "rc=2"

# --- delete ------------------------------------------------------------------------
veth1=$(cat /run/boxnet/endpoints/front/$C1 | sed -n 's/^veth=//p')
kill $P1
wait $P1 2>/dev/null
snapshot "$TMP/before"
testing "delete of another bundle's container of that name: 0, nothing" \
	"state $ID1 stopped 0 $TMP/b2 '$net' | bx ocihook delete" "rc=0"
snapshot "$TMP/after"
ok "it stays" cmp "$TMP/before" "$TMP/after"
testing "delete without a pid (status stopped, no verb): 0, silent" \
	"state $ID1 stopped 0 $TMP/b1 '$net' | bx ocihook 2>&1" "rc=0"
testing "its endpoints on both networks went, the later one too" \
	"ls /run/boxnet/endpoints/front /run/boxnet/endpoints/back | grep -c $C1; ip -o link show $veth1 2>/dev/null | wc -l" "0
0
rc=0"
testing "its ports and its rules" "bx portfwd ls; nft list ruleset | grep -c '8080\|5353'" "0
rc=1"
testing "its namespace name" "ls /run/netns" "db
rc=0"
testing "the other container's rootfs hosts forgot it" "names $TMP/b2" "10.77.0.1	host.docker.internal
10.77.0.50	db
10.78.0.2	db
rc=0"
testing "its own rootfs hosts has no names left" "names $TMP/b1 | wc -l" "0
rc=0"
snapshot "$TMP/before"
testing "delete again: 0" "state $ID1 stopped 0 $TMP/b1 '$net' | bx ocihook delete" "rc=0"
testing "delete with its bundle gone: 0" "state $ID1 stopped 0 /nonexistent '$net' | bx ocihook delete" "rc=0"
snapshot "$TMP/after"
ok "and nothing changed" cmp "$TMP/before" "$TMP/after"
testing "delete of a live container, rootfs unknown: 0" \
	"state bbbbbbbbbbbbbbbbbbbb running $P2 /nonexistent '\"boxnet.network\":\"front\",\"boxnet.name\":\"db\"' | bx ocihook delete" "rc=0"
testing "nothing is left: no veth, endpoint, container, port or name" \
	"ip -o link show type veth | wc -l; ls /run/boxnet/endpoints/front /run/boxnet/endpoints/back /run/boxnet/containers /run/boxnet/ports /run/netns /etc/netns 2>/dev/null | grep -vc ':\$\|^\$'" "0
0
rc=1"
kill $P2 $P3

# --- make install: the hooks.d file ---------------------------------------------------
if make -s --no-print-directory install-hooks DESTDIR="$TMP/inst" PREFIX=/usr >"$TMP/inst.log" 2>&1; then
	H=$TMP/inst/usr/share/containers/oci/hooks.d/boxnet.json
	testing "make install puts a hooks.d file selecting boxnet.network" \
		"jq -c '[.version, .hook.path, .hook.args, .when.annotations, .stages]' $H" \
		'["1.0.0","/usr/bin/boxnet",["boxnet","ocihook"],{"^boxnet\\.network$":".+"},["prestart","poststop"]]
rc=0'
else
	fail "make install" "$(cat "$TMP/inst.log")"
fi

# --- a real container: crun with the hook in its config.json --------------------------
# The sandbox's fresh sysfs has no cgroup hierarchy: crun runs without a
# cgroup manager over an empty tmpfs (the host's cgroups are never touched).
if command -v crun >/dev/null && file -L -b /bin/busybox 2>/dev/null | grep -q 'statically linked' &&
	[ -n "${H:-}" ]; then
	sleeper; P4=$P
	state dbdbdbdbdbdb creating $P4 "$TMP/b3" '"boxnet.network":"front","boxnet.name":"db2"' | bx ocihook create
	mount -t tmpfs cgroup-none /sys/fs/cgroup
	C=$TMP/crun
	mkdir -p "$C/rootfs/bin" "$C/rootfs/proc" "$C/rootfs/dev"
	cp /bin/busybox "$C/rootfs/bin/"
	hook=$(jq -c --arg b "$BOXNET" '.hook | .path = $b | .env = ["BOXNET_FIREWALL=nft"]' "$H")
	cat >"$C/config.json" <<-EOF
	{"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "hostname": "web1",
	 "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "cwd": "/", "env": ["PATH=/bin"],
	  "args": ["/bin/busybox", "sh", "-c", "busybox ip -4 -o addr show eth0 | busybox awk '{print \$4}'; busybox ping -c1 -W2 db2 >/dev/null && echo ping db2"],
	  "capabilities": {"bounding": ["CAP_NET_RAW"], "effective": ["CAP_NET_RAW"], "permitted": ["CAP_NET_RAW"]}},
	 "annotations": {"boxnet.network": "front", "boxnet.name": "web1"},
	 "hooks": {"prestart": [$hook], "poststop": [$hook]},
	 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
	  {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]}],
	 "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}
	EOF
	if crun --cgroup-manager=disabled run --bundle "$C" web1 >"$TMP/crun.out" 2>&1 ||
		! grep -q 'invalid file system\|cgroup' "$TMP/crun.out"; then
		testing "crun: the container has its address and pings by name" \
			"sed 's|^10\.77\.0\.[0-9]*/24\$|ADDRESS|' $TMP/crun.out" "ADDRESS
ping db2
rc=0"
		testing "crun: the hooks.d file's hook at poststop removed it" \
			"ls /run/boxnet/endpoints/front; ls /run/netns" "db2
db2
rc=0"
	else
		echo "ocihook: crun cannot run a container in this sandbox: not tested ($(head -1 "$TMP/crun.out"))"
	fi
	state dbdbdbdbdbdb stopped 0 "$TMP/b3" '"boxnet.network":"front","boxnet.name":"db2"' | bx ocihook delete
	kill $P4
else
	echo "ocihook: crun or a static /bin/busybox (busybox-static) missing: no real container tested"
fi
finish
