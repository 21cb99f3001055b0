#!/bin/sh
# The CNI plugin, driven as runtimes drive it: the environment, the network
# configuration on stdin, namespaces from `ip netns add` or a process's
# /proc/PID/ns/net. Results per spec version, the kernel and the other
# applets' view, published ports, DEL leaving nothing, GC, CHECK, STATUS,
# parallel ADDs, chaining with Debian's plugins, and bad input.
#
#   outside 10.99.1.2 --veth-- ext0 10.99.1.1  [host = the sandbox]
#                               cninet 10.88.0.0/16: the containers
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=nft
# cni COMMAND CONTAINERID NETNS IFNAME: the plugin, config on stdin ("-": variable unset)
cni() {
	local u=
	[ "$2" = - ] && u="$u -u CNI_CONTAINERID"
	[ "$3" = - ] && u="$u -u CNI_NETNS"
	[ "$4" = - ] && u="$u -u CNI_IFNAME"
	env $u CNI_COMMAND=$1 CNI_PATH=/usr/lib/cni $([ "$2" = - ] || echo CNI_CONTAINERID=$2) \
		$([ "$3" = - ] || echo CNI_NETNS=$3) $([ "$4" = - ] || echo CNI_IFNAME=$4) "$BOXNET"
}
# conf VERSION [EXTRA-MEMBERS]: the network configuration
conf() { printf '{"cniVersion":"%s","name":"cninet","type":"boxnet","subnet":"10.88.0.0/16"%s}' "$1" "${2:+,$2}"; }
# jqt NAME FILE [JQ-OPTIONS...] FILTER: the jq filter is true of the JSON in FILE
jqt() {
	local n=$1 f=$2
	shift 2
	if jq -e "$@" "$f" >/dev/null 2>&1; then pass "$n"; else fail "$n" "$(cat "$f")"; fi
}
tcp_get() { ${3:+ip netns exec $3} timeout 12 socat -t5 -T5 - TCP:$1:$2,connect-timeout=5 </dev/null 2>/dev/null | head -1; }

ip link add uplink0 type veth peer name uplink1
ip addr add 10.0.2.15/24 dev uplink0
ip link set uplink0 up
ip route add default via 10.0.2.2 dev uplink0 onlink
ip netns add outside
ip link add ext0 type veth peer name eth0 netns outside
ip addr add 10.99.1.1/24 dev ext0
ip link set ext0 up
ip -n outside addr add 10.99.1.2/24 dev eth0
ip -n outside link set eth0 up

# --- VERSION ---------------------------------------------------------------------
testing "VERSION lists 0.3.0 to 1.1.0" "echo '{\"cniVersion\":\"1.0.0\"}' | cni VERSION - - - | jq -c ." \
	'{"cniVersion":"1.1.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}
rc=0'
testing "VERSION with no input" "cni VERSION - - - </dev/null | jq -r '.supportedVersions|length'" "5
rc=0"

# --- ADD, one result shape per version ---------------------------------------------
for c in c1 c3 c4; do ip netns add $c; done
conf 1.1.0 | cni ADD ctr1 /run/netns/c1 eth0 >"$TMP/r1" 2>"$TMP/e1"
testing "ADD 1.1.0 succeeds, nothing on stderr" "echo \$?; cat $TMP/e1" "0
rc=0"
jqt "1.1.0: host veth, then eth0 in the sandbox" "$TMP/r1" '.cniVersion == "1.1.0" and
	(.interfaces | length) == 2 and (.interfaces[0].name | startswith("veth")) and
	(.interfaces[0] | has("sandbox") | not) and .interfaces[1].name == "eth0" and
	.interfaces[1].sandbox == "/run/netns/c1" and .interfaces[1].mac == "02:42:0a:58:00:02" and
	.interfaces[1].mtu == 1500'
jqt "1.1.0: ips without version, interface index, gateway" "$TMP/r1" '.ips == [{"address":
	"10.88.0.2/16","gateway":"10.88.0.1","interface":1}]'
jqt "1.1.0: the default route, empty dns" "$TMP/r1" \
	'.routes == [{"dst":"0.0.0.0/0","gw":"10.88.0.1"}] and .dns == {}'
testing "the address is in the kernel" "ip -n c1 -4 -o addr show eth0 | awk '{print \$4}'" "10.88.0.2/16
rc=0"
testing "the default route too" "ip -n c1 route show default" "default via 10.88.0.1 dev eth0 
rc=0"
testing "the host end is on the network's bridge" \
	"ip -o link show $(jq -r '.interfaces[0].name' "$TMP/r1") | grep -o 'master br-[0-9a-f]*' | wc -l" "1
rc=0"
testing "the namespace is bound under the container ID" "ls /run/netns | grep -x ctr1" "ctr1
rc=0"

# a process's namespace, as containerd and CRI-O pass it
unshare --net sleep infinity &
p2=$!
wait_for test "$(readlink /proc/$p2/ns/net)" != "$(readlink /proc/self/ns/net)"
conf 1.0.0 | cni ADD ctr2 /proc/$p2/ns/net eth0 >"$TMP/r2"
jqt "1.0.0: no version in ips, no mtu, sandbox is the /proc path" "$TMP/r2" '.cniVersion == "1.0.0" and
	.ips[0].address == "10.88.0.3/16" and (.ips[0] | has("version") | not) and
	(.interfaces[1] | has("mtu") | not) and .interfaces[1].sandbox == "/proc/'$p2'/ns/net"'
conf 0.4.0 | cni ADD ctr3 /run/netns/c3 eth0 >"$TMP/r3"
jqt "0.4.0: ips carry version 4" "$TMP/r3" '.cniVersion == "0.4.0" and .ips[0].version == "4" and
	.ips[0].address == "10.88.0.4/16" and .ips[0].interface == 1'
conf 0.3.1 | cni ADD ctr4 /run/netns/c4 net1 >"$TMP/r4"
jqt "0.3.1: ips carry version 4, the interface is CNI_IFNAME" "$TMP/r4" '.cniVersion == "0.3.1" and
	.ips[0].version == "4" and .interfaces[1].name == "net1"'
testing "the interface inside is named CNI_IFNAME" "ip -n c4 -o link show net1 | wc -l" "1
rc=0"
ok "ping from one container to another" ip netns exec c1 ping -c1 -W2 10.88.0.3
ok "and from a /proc namespace back" nsenter -t $p2 -n ping -c1 -W2 10.88.0.2

# --- what the other applets see -------------------------------------------------
testing "netls lists the network" "bx netls --format '{{.Name}} {{.Driver}}' | grep cninet" "cninet bridge
rc=0"
testing "netinspect lists the containers" \
	"bx netinspect -f '{{json .Containers}}' cninet | jq -r '[.[].Name] | sort | join(\" \")'" \
	"ctr1 ctr2 ctr3 ctr4
rc=0"

# --- portMappings, published as portfwd publishes them -----------------------------
ip netns add c5
ip netns exec c5 ip link set lo up
conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},
	{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"10.99.1.1"}]}' |
	cni ADD ctr5 /run/netns/c5 eth0 >"$TMP/r5"
jqt "ADD with portMappings" "$TMP/r5" '.ips[0].address == "10.88.0.6/16"'
ip netns exec c5 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo c5-80' &
wait_for sh -c "ip netns exec c5 ss -ltn | grep -q ':80 '"
testing "portfwd ls shows the ports" "bx portfwd ls ctr5" "53/udp -> 10.99.1.1:5353
80/tcp -> 0.0.0.0:8080
rc=0"
testing "the port is reachable from outside" "tcp_get 10.99.1.1 8080 outside" "c5-80
rc=0"
testing "and from the host through 127.0.0.1" "tcp_get 127.0.0.1 8080" "c5-80
rc=0"

# a container joining a second network gets the same portMappings again (podman
# passes them with every network): not refused as taken, published once
printf '{"cniVersion":"1.1.0","name":"cninet2","type":"boxnet","subnet":"10.87.0.0/16","runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"10.99.1.1"}]}}' >"$TMP/net2"
testing "ADD to a second network with the same portMappings: 0" \
	"cni ADD ctr5 /run/netns/c5 eth1 <$TMP/net2 | jq -r '.ips[0].address'" "10.87.0.2/16
rc=0"
testing "the ports are published once" "bx portfwd ls ctr5" "53/udp -> 10.99.1.1:5353
80/tcp -> 0.0.0.0:8080
rc=0"
testing "DEL from the second network: 0" "cni DEL ctr5 /run/netns/c5 eth1 <$TMP/net2" "rc=0"
testing "the ports stay with the first" "bx portfwd ls ctr5; tcp_get 10.99.1.1 8080 outside" "53/udp -> 10.99.1.1:5353
80/tcp -> 0.0.0.0:8080
c5-80
rc=0"

# --- CHECK -------------------------------------------------------------------------
conf 1.1.0 "\"prevResult\":$(cat "$TMP/r1")" >"$TMP/check1"
conf 0.4.0 "\"prevResult\":$(cat "$TMP/r3")" >"$TMP/check3"
testing "CHECK after ADD: nothing, 0" "cni CHECK ctr1 /run/netns/c1 eth0 <$TMP/check1" "rc=0"
ip -n c3 addr flush dev eth0
testing "CHECK sees a lost address" \
	"cni CHECK ctr3 /run/netns/c3 eth0 <$TMP/check3 2>/dev/null | jq -c '[.code, .msg]'" \
	'[999,"interface eth0 has lost its address 10.88.0.4"]
rc=0'
testing "CHECK of an unknown container: code 3" \
	"conf 1.1.0 '\"prevResult\":{}' | cni CHECK nosuch /run/netns/c3 eth0 2>/dev/null | jq .code" "3
rc=0"
testing "CHECK is not in 0.3.1: code 1" \
	"conf 0.3.1 '\"prevResult\":{}' | cni CHECK ctr4 /run/netns/c4 net1 2>/dev/null | jq .code" "1
rc=0"
testing "CHECK without prevResult: code 7" "conf 1.1.0 | cni CHECK ctr1 /run/netns/c1 eth0 2>/dev/null | jq .code" "7
rc=0"

# --- STATUS ------------------------------------------------------------------------
testing "STATUS: nothing, 0" "conf 1.1.0 | cni STATUS - - -" "rc=0"
testing "STATUS is not in 1.0.0: code 1" "conf 1.0.0 | cni STATUS - - - 2>/dev/null | jq .code" "1
rc=0"
bx netcreate -o com.docker.network.bridge.name=gonebr gone >/dev/null
ip link del gonebr
testing "STATUS with the network's bridge gone: code 50" \
	"printf '{\"cniVersion\":\"1.1.0\",\"name\":\"gone\",\"type\":\"boxnet\"}' | cni STATUS - - - 2>/dev/null | jq .code" "50
rc=0"

# --- bad input: a CNI error with the right code, kernel and state unchanged --------
ip netns add cx
ip netns add taken
ip -n taken link add eth0 type veth peer name eth0p
# bad NAME CODE COMMAND CONTAINERID NETNS IFNAME: the configuration is in $IN
bad() {
	local name=$1 want=$2 out rc code
	shift 2
	snapshot "$TMP/before"
	out=$(printf '%s' "$IN" | cni "$@" 2>"$TMP/err"); rc=$?
	snapshot "$TMP/after"
	code=$(echo "$out" | jq -r 'select(.msg != "" and .cniVersion != null) | .code' 2>/dev/null)
	if [ $rc != 0 ] && [ "$code" = "$want" ] && [ -s "$TMP/err" ] && cmp -s "$TMP/before" "$TMP/after"; then
		pass "$name"
	else
		fail "$name" "rc=$rc want code $want: $out" "$(diff "$TMP/before" "$TMP/after")"
	fi
}
good=$(conf 1.1.0)
IN='{"cniVersion":'; bad "malformed JSON: code 6" 6 ADD cx1 /run/netns/cx eth0
IN=$(echo "$good" | cut -c1-40); bad "truncated JSON: code 6" 6 ADD cx1 /run/netns/cx eth0
IN="$good x"; bad "trailing garbage: code 6" 6 ADD cx1 /run/netns/cx eth0
IN='[1]'; bad "not an object: code 6" 6 ADD cx1 /run/netns/cx eth0
IN=$(printf '\xef\xbb\xbf%s' "$good"); bad "a byte-order mark: code 6" 6 ADD cx1 /run/netns/cx eth0
IN=$(conf 2.0.0); bad "unknown cniVersion: code 1" 1 ADD cx1 /run/netns/cx eth0
IN='{"name":"cninet","type":"boxnet"}'; bad "no cniVersion: code 1" 1 ADD cx1 /run/netns/cx eth0
IN=$good
bad "no CNI_NETNS: code 4" 4 ADD cx1 - eth0
testing "the error names the variable" "printf '%s' '$good' | cni ADD cx1 - eth0 2>/dev/null | jq -r .msg" \
	"required environment variables missing: CNI_NETNS
rc=0"
bad "no CNI_CONTAINERID: code 4" 4 ADD - /run/netns/cx eth0
bad "no CNI_IFNAME: code 4" 4 ADD cx1 /run/netns/cx -
bad "a CNI_CONTAINERID that is no name: code 4" 4 ADD a/b /run/netns/cx eth0
bad "a CNI_IFNAME too long: code 4" 4 ADD cx1 /run/netns/cx abcdefghijklmnopq
bad "CNI_NETNS not a namespace: code 4" 4 ADD cx1 /etc/hostname eth0
bad "CNI_NETNS missing: code 4" 4 ADD cx1 /run/netns/nosuch eth0
bad "CNI_NETNS the plugin's own: code 4" 4 ADD cx1 /proc/self/ns/net eth0
bad "CNI_NETNS the host's: code 4" 4 ADD cx1 /proc/$$/ns/net eth0
bad "unknown CNI_COMMAND: code 4" 4 FROB cx1 /run/netns/cx eth0
bad "the interface name is taken: code 999" 999 ADD cx1 /run/netns/taken eth0
testing "DEL after that failed ADD: 0" "printf '%s' '$good' | cni DEL cx1 /run/netns/taken eth0" "rc=0"
IN=$(printf '{"cniVersion":"1.1.0","name":"ovl","type":"boxnet","subnet":"10.88.5.0/24"}')
bad "a subnet overlapping another network: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"mtu":"1500"'); bad "mtu as a string: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"ipv6":"yes"'); bad "ipv6 as a string: code 7" 7 ADD cx1 /run/netns/cx eth0
IN='{"cniVersion":"1.1.0","name":"two4","type":"boxnet","subnet":["10.86.0.0/24","10.86.1.0/24"]}'
bad "two IPv4 subnets: code 7" 7 ADD cx1 /run/netns/cx eth0
IN='{"cniVersion":"1.1.0","name":"v6no","type":"boxnet","subnet":["10.86.0.0/24","fd00:86::/64"]}'
bad "an IPv6 subnet without ipv6: code 7" 7 ADD cx1 /run/netns/cx eth0
IN='{"cniVersion":"1.1.0","name":"bad/name","type":"boxnet"}'; bad "a bad network name: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":0,"containerPort":80}]}')
bad "portMappings: hostPort 0: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":"80","containerPort":80}]}')
bad "portMappings: a string port: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":81,"containerPort":80,"protocol":"icmp"}]}')
bad "portMappings: protocol icmp: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":81,"containerPort":80,"hostIP":"1.2.3.999"}]}')
bad "portMappings: a bad hostIP (after the connect: undone): code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80}]}')
bad "portMappings: a port already published (undone): code 999" 999 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"ips":["10.88.0.999/16"]}'); bad "ips: not an address: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"ips":["10.77.0.5/16"]}'); bad "ips: outside the subnet: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"ips":["10.88.0.2/16"]}'); bad "ips: an address in use: code 999" 999 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0); bad "ADD of a container already on the network: code 999" 999 ADD ctr1 /run/netns/c1 eth0

# --- static address and MAC by capability -----------------------------------------
ip netns add c6
conf 1.1.0 '"runtimeConfig":{"ips":["10.88.7.7/16"],"mac":"02:00:00:00:07:07"}' | cni ADD ctr6 /run/netns/c6 eth0 >"$TMP/r6"
jqt "ips and mac capabilities" "$TMP/r6" '.ips[0].address == "10.88.7.7/16" and .interfaces[1].mac == "02:00:00:00:07:07"'
testing "the MAC is in the kernel" "ip -n c6 -o link show eth0 | grep -o 'link/ether [0-9a-f:]*'" "link/ether 02:00:00:00:07:07
rc=0"

# --- names: podman's container name (CNI_ARGS K8S_POD_NAME) and its aliases capability --
ip netns add c9
export CNI_ARGS='IgnoreUnknown=1;K8S_POD_NAME=db'
conf 1.0.0 '"runtimeConfig":{"aliases":{"cninet":["web","db","www"],"other":["no"]}}' |
	cni ADD ctr9 /run/netns/c9 eth0 >"$TMP/r9"
testing "K8S_POD_NAME and this network's aliases are names in the others' hosts files" \
	"grep -h ctr9 /etc/netns/ctr1/hosts | cut -f2" "ctr9 db web www
rc=0"
ok "ping by K8S_POD_NAME through a hosts file" ip netns exec ctr1 ping -c1 -W2 db
export CNI_ARGS='K8S_POD_NAMESPACE=x;K8S_POD_NAME=bad/name'
ip netns add c10
conf 1.0.0 | cni ADD ctr10 /run/netns/c10 eth0 >"$TMP/r10"
testing "a K8S_POD_NAME that is no name is left out" "grep -h ctr10 /etc/netns/ctr1/hosts | cut -f2" "ctr10
rc=0"
unset CNI_ARGS
IN=$(conf 1.1.0 '"runtimeConfig":{"aliases":{"cninet":["a b"]}}'); bad "aliases: a bad name: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"aliases":{"cninet":[5]}}'); bad "aliases: not a string: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(conf 1.1.0 '"runtimeConfig":{"aliases":["web"]}'); bad "aliases: not an object: code 7" 7 ADD cx1 /run/netns/cx eth0

# --- a prevResult from a plugin before boxnet: kept, indices moved ----------------------
ip netns add c7
conf 1.0.0 '"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"lo0"}],"ips":[{"address":"192.0.2.1/32","interface":0}],"routes":[{"dst":"192.0.2.0/24"}],"dns":{"nameservers":["192.0.2.53"]}}' |
	cni ADD ctr7 /run/netns/c7 eth0 >"$TMP/r7"
jqt "prevResult chained: its entries first, our interface index after them" "$TMP/r7" \
	'[.interfaces[].name][0] == "lo0" and (.interfaces | length) == 3 and .ips[1].interface == 2 and
	.ips[0].address == "192.0.2.1/32" and (.routes | length) == 2 and .dns.nameservers == ["192.0.2.53"]'

# --- GC ------------------------------------------------------------------------------
ip netns add plain
bx netconnect cninet plain
testing "GC is not in 1.0.0: code 1" "conf 1.0.0 '\"cni.dev/valid-attachments\":[]' | cni GC - - - 2>/dev/null | jq .code" "1
rc=0"
testing "GC keeps the valid attachments" \
	"conf 1.1.0 '\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr1\",\"ifname\":\"eth0\"},{\"containerID\":\"ctr2\",\"ifname\":\"eth0\"},{\"containerID\":\"ctr5\",\"ifname\":\"eth0\"},{\"containerID\":\"ctr4\",\"ifname\":\"eth9\"}]' | cni GC - - -" "rc=0"
testing "and only boxnet's CNI attachments went" \
	"bx netinspect -f '{{json .Containers}}' cninet | jq -r '[.[].Name] | sort | join(\" \")'" "ctr1 ctr2 ctr5 plain
rc=0"
testing "their namespace names too" "ls /run/netns | grep -c '^ctr[3467]$'" "0
rc=1"
testing "GC of an unknown network: 0" \
	"printf '{\"cniVersion\":\"1.1.0\",\"name\":\"nonet\",\"type\":\"boxnet\",\"cni.dev/valid-attachments\":[]}' | cni GC - - -" "rc=0"

# --- DEL -----------------------------------------------------------------------------
veth1=$(jq -r '.interfaces[0].name' "$TMP/r1")
testing "DEL: nothing, 0" "conf 1.1.0 | cni DEL ctr1 /run/netns/c1 eth0" "rc=0"
testing "the veth is gone" "ip -o link show $veth1 2>/dev/null | wc -l; ip -n c1 -o link show eth0 2>/dev/null | wc -l" "0
0
rc=0"
testing "the bound name went, the runtime's stayed" "ls /run/netns | grep -cx 'ctr1\|c1'" "1
rc=0"
testing "DEL again: 0" "conf 1.1.0 | cni DEL ctr1 /run/netns/c1 eth0" "rc=0"
testing "DEL without CNI_NETNS: 0" "conf 1.1.0 | cni DEL ctr5 - eth0" "rc=0"
testing "the ports went with it" "bx portfwd ls; nft list ruleset | grep -c 8080" "0
rc=1"
testing "DEL of an unknown container: 0" "conf 1.1.0 | cni DEL nosuch - eth0" "rc=0"
testing "DEL of an unknown network: 0" \
	"printf '{\"cniVersion\":\"0.3.1\",\"name\":\"nonet\",\"type\":\"boxnet\"}' | cni DEL ctr2 - eth0" "rc=0"
kill $p2
conf 1.0.0 | cni DEL ctr2 - eth0
conf 1.1.0 | cni DEL ctr6 /run/netns/c6 eth0
bx netdisconnect cninet plain
testing "nothing is left: no veth, endpoint, container or port" \
	"ip -o link show type veth | grep -c '^[0-9]*: veth'; ls /run/boxnet/endpoints/cninet /run/boxnet/containers /run/boxnet/ports 2>/dev/null | grep -vc ':\$\|^\$'" "0
0
rc=1"

# --- containers that die without a DEL (ctr run -d of containerd 1.6 sends none) -------
# boxnet's binding keeps a dead container's namespace; the next ADD or GC
# sees that its CNI_NETNS leads nowhere (or elsewhere) and tears it down
# pid_ns PIDVAR: a process in a new network namespace, as a runtime starts one
pid_ns() {
	unshare --net sleep infinity &
	eval "$1=$!"
	wait_for test "$(readlink /proc/$!/ns/net)" != "$(readlink /proc/self/ns/net)"
}
pid_ns pd
pid_ns pl
ip netns add rtns
conf 1.1.0 | cni ADD ctrdead /proc/$pd/ns/net eth0 >"$TMP/rd"
conf 1.1.0 | cni ADD ctrlive /proc/$pl/ns/net eth0 >"$TMP/rl"
conf 1.1.0 | cni ADD ctrrt /run/netns/rtns eth0 >"$TMP/rr"
vdead=$(jq -r '.interfaces[0].name' "$TMP/rd")
testing "three CNI containers, one per kind of CNI_NETNS" \
	"bx netinspect -f '{{json .Containers}}' cninet | jq -r '[.[].Name] | sort | join(\" \")'" "ctrdead ctrlive ctrrt
rc=0"
kill $pd
wait $pd 2>/dev/null
ip netns del rtns
testing "no DEL: the dead container's namespace is still bound, its veth still there" \
	"ls /run/netns | grep -cx 'ctrdead\|ctrrt'; ip -o link show $vdead | wc -l" "2
1
rc=0"
testing "ctrdead's name is still in ctrlive's hosts file" "grep -c ctrdead /etc/netns/ctrlive/hosts" "1
rc=0"
ip netns add cnext
testing "the next ADD succeeds" "conf 1.1.0 | cni ADD ctrnext /run/netns/cnext eth0 >/dev/null" "rc=0"
testing "and the two dead left the network, the living stayed" \
	"bx netinspect -f '{{json .Containers}}' cninet | jq -r '[.[].Name] | sort | join(\" \")'" "ctrlive ctrnext
rc=0"
testing "their bindings and veths went" "ls /run/netns | grep -cx 'ctrdead\|ctrrt'; ip -o link show $vdead 2>/dev/null | wc -l" "0
0
rc=0"
testing "and their names" "grep -c 'ctrdead\|ctrrt' /etc/netns/ctrlive/hosts" "0
rc=1"
testing "DEL of a reaped container: 0" "conf 1.1.0 | cni DEL ctrdead /proc/$pd/ns/net eth0" "rc=0"
# GC: a dead container goes even when the runtime still lists it
pid_ns pg
conf 1.1.0 | cni ADD ctrgc /proc/$pg/ns/net eth0 >/dev/null
kill $pg
wait $pg 2>/dev/null
testing "GC listing a dead container: 0" \
	"conf 1.1.0 '\"cni.dev/valid-attachments\":[{\"containerID\":\"ctrgc\",\"ifname\":\"eth0\"},{\"containerID\":\"ctrlive\",\"ifname\":\"eth0\"},{\"containerID\":\"ctrnext\",\"ifname\":\"eth0\"}]' | cni GC - - -" "rc=0"
testing "the dead one went, the living stayed" \
	"bx netinspect -f '{{json .Containers}}' cninet | jq -r '[.[].Name] | sort | join(\" \")'; ls /run/netns | grep -cx ctrgc" "ctrlive ctrnext
0
rc=1"
# the control: a process that lives keeps its container through ADD and GC
testing "(control) ctrlive's namespace, bound, is its process's" \
	"[ \$(stat -L -c %i /run/netns/ctrlive) = \$(stat -L -c %i /proc/$pl/ns/net) ] && echo same" "same
rc=0"
kill $pl
wait $pl 2>/dev/null
conf 1.1.0 | cni DEL ctrlive - eth0
conf 1.1.0 | cni DEL ctrnext /run/netns/cnext eth0
testing "nothing of them is left: no endpoint, no remembered path" \
	"ls /run/boxnet/endpoints/cninet /run/boxnet/cnins | grep -vc ':\$\|^\$'" "0
rc=1"

# --- an ADD looks at 8 CNI containers for the dead, in turn (a GC at all): one
# that dies among 10 is gone after two ADDs
i=1
while [ $i -le 10 ]; do
	pid_ns q
	eval "pq$i=$q"
	conf 1.1.0 | cni ADD ctrq$i /proc/$q/ns/net eth0 >/dev/null
	i=$((i + 1))
done
kill $pq5
wait $pq5 2>/dev/null
ip netns add qx1
ip netns add qx2
testing "two more ADDs" "conf 1.1.0 | cni ADD qx1 /run/netns/qx1 eth0 >/dev/null &&
	conf 1.1.0 | cni ADD qx2 /run/netns/qx2 eth0 >/dev/null" "rc=0"
testing "the dead one of the ten went, the nine others stayed" \
	"ls /run/boxnet/endpoints/cninet | grep -c '^ctrq'; ls /run/boxnet/endpoints/cninet | grep -c '^ctrq5\$'" "9
0
rc=1"
i=1
while [ $i -le 10 ]; do
	[ $i = 5 ] || { eval "kill \$pq$i"; conf 1.1.0 | cni DEL ctrq$i - eth0; }
	i=$((i + 1))
done
conf 1.1.0 | cni DEL qx1 /run/netns/qx1 eth0
conf 1.1.0 | cni DEL qx2 /run/netns/qx2 eth0
ip netns del qx1
ip netns del qx2
testing "and they all went" "ls /run/boxnet/endpoints/cninet | wc -l" "0
rc=0"

# --- 20 parallel ADDs ----------------------------------------------------------------
i=1
while [ $i -le 20 ]; do ip netns add p$i; i=$((i + 1)); done
i=1
while [ $i -le 20 ]; do
	(conf 1.1.0 | cni ADD par$i /run/netns/p$i eth0 >"$TMP/par$i" 2>&1; echo $? >"$TMP/par$i.rc") &
	i=$((i + 1))
done
wait_for sh -c "[ \$(ls $TMP | grep -c '^par[0-9]*\.rc\$') = 20 ]"
testing "20 parallel ADDs all succeed" "cat $TMP/par*.rc | sort -u" "0
rc=0"
testing "with 20 distinct addresses" "cat $TMP/par[0-9] $TMP/par[0-9][0-9] | jq -r '.ips[0].address' | sort -u | wc -l" "20
rc=0"
testing "all of them in the kernel" "for i in \$(seq 1 20); do ip -n p\$i -4 -o addr show eth0; done | wc -l" "20
rc=0"
i=1
while [ $i -le 20 ]; do conf 1.1.0 | cni DEL par$i - eth0; i=$((i + 1)); done
testing "and 20 DELs leave no endpoint" "ls /run/boxnet/endpoints/cninet | wc -l" "0
rc=0"

# --- chained with Debian's plugins (portmap, firewall, tuning), as a conflist runs them --
# once per firewall backend of boxnet (portmap writes its DNAT with iptables,
# iptables-nft here, whatever boxnet uses): each in a state directory and on a
# network of its own; from the host and from a LAN host (outside)
# plug PLUGIN CMD CONFIG-MEMBERS PREV: Debian's plugin PLUGIN on container ctrch$i
plug() {
	printf '{"cniVersion":"1.0.0","name":"chain%s",%s,"prevResult":%s}' "$i" "$3" "$4" |
		CNI_COMMAND=$2 CNI_CONTAINERID=ctrch$i CNI_NETNS=/run/netns/ch$i CNI_IFNAME=eth0 \
		CNI_PATH=/usr/lib/cni /usr/lib/cni/$1
}
PM='"type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":HP,"containerPort":90,"protocol":"tcp"}]}'
FWP='"type":"firewall","backend":"iptables"'
TU='"type":"tuning","sysctl":{"net.ipv4.conf.eth0.accept_local":"1"}'
# bx_dnat_accept BACKEND BRIDGE del: delete boxnet's DNAT accept of BRIDGE (the control)
bx_dnat_accept() {
	case $1 in
	nft) nft delete rule ip boxnet BOXNET handle "$(nft -a list chain ip boxnet BOXNET |
		sed -n "s/.*iifname != \"$2\" oifname \"$2\" ct status dnat accept # handle \([0-9]*\)$/\1/p")" ;;
	iptables) iptables-legacy -D BOXNET ! -i "$2" -o "$2" -m conntrack --ctstate DNAT -j ACCEPT ;;
	iptables-nft) iptables-nft -D BOXNET ! -i "$2" -o "$2" -m conntrack --ctstate DNAT -j ACCEPT ;;
	esac
}
chained() { # chained BACKEND I
	local be=$1 hp=$((9090 + $2)) pm b ip br
	i=$2
	pm=$(echo "$PM" | sed "s/HP/$hp/")
	export BOXNET_FIREWALL=$be BOXNET_RUN_DIR=/run/boxnet-chain$i
	ip netns add ch$i
	ip netns exec ch$i ip link set lo up
	printf '{"cniVersion":"1.0.0","name":"chain%s","type":"boxnet","subnet":"10.70.%s.0/24"}' $i $i |
		cni ADD ctrch$i /run/netns/ch$i eth0 >"$TMP/b$i"
	b=$(cat "$TMP/b$i")
	ip=$(echo "$b" | jq -r '.ips[0].address' | cut -d/ -f1)
	br=$(ip -o link show "$(echo "$b" | jq -r '.interfaces[0].name')" | grep -o 'master [^ ]*' | cut -d' ' -f2)
	plug portmap ADD "$pm" "$b" >"$TMP/pm$i" 2>&1
	plug firewall ADD "$FWP" "$(cat "$TMP/pm$i")" >"$TMP/fw$i" 2>&1
	plug tuning ADD "$TU" "$(cat "$TMP/fw$i")" >"$TMP/tu$i" 2>&1
	jqt "$be: portmap, firewall and tuning pass boxnet's result through" "$TMP/tu$i" \
		--argjson b "$b" '.ips == $b.ips and .interfaces == $b.interfaces'
	testing "$be: tuning set its sysctl in the container" \
		"ip netns exec ch$i sysctl -n net.ipv4.conf.eth0.accept_local" "1
rc=0"
	ip netns exec ch$i socat TCP-LISTEN:90,fork,reuseaddr SYSTEM:"echo ch$i-90" &
	wait_for sh -c "ip netns exec ch$i ss -ltn | grep -q ':90 '"
	testing "$be: portmap's DNAT points at boxnet's address" \
		"iptables-save -t nat | grep -o 'dport $hp -j DNAT --to-destination $ip:90'" \
		"dport $hp -j DNAT --to-destination $ip:90
rc=0"
	testing "$be: portmap's port reaches boxnet's container from the host" "tcp_get 10.99.1.1 $hp" "ch$i-90
rc=0"
	# the LAN: boxnet's bridge accepts what a DNAT sent there, whoever's DNAT
	testing "$be: portmap's port reaches it from a LAN host" "tcp_get 10.99.1.1 $hp outside" "ch$i-90
rc=0"
	testing "$be: the container's port, routed to directly from the LAN, stays closed" \
		"tcp_get $ip 90 outside" "rc=0"
	# the control: without boxnet's DNAT accept the LAN gets nothing
	ok "$be: (control) boxnet's DNAT accept deleted" bx_dnat_accept $be "$br"
	testing "$be: (control) without it the LAN gets nothing" "tcp_get 10.99.1.1 $hp outside" "rc=0"
	ok "$be: netfw apply puts it back" bx netfw apply
	testing "$be: and the LAN reaches the port again" "tcp_get 10.99.1.1 $hp outside" "ch$i-90
rc=0"
	for p in tuning:TU firewall:FWP portmap:pm; do
		eval "c=\$${p#*:}"
		plug ${p%%:*} DEL "$c" "$(cat "$TMP/tu$i")"
	done
	printf '{"cniVersion":"1.0.0","name":"chain%s","type":"boxnet","subnet":"10.70.%s.0/24","prevResult":%s}' \
		$i $i "$(cat "$TMP/tu$i")" >"$TMP/del$i"
	testing "$be: DEL down the chain, boxnet last" "cni DEL ctrch$i /run/netns/ch$i eth0 <$TMP/del$i" "rc=0"
	testing "$be: nothing of boxnet's left" "ls /run/boxnet-chain$i/endpoints/chain$i | wc -l" "0
rc=0"
	testing "$be: nor portmap's DNAT" "iptables-save -t nat | grep -c 'dport $hp -j DNAT'" "0
rc=1"
	export BOXNET_FIREWALL=nft
	unset BOXNET_RUN_DIR
}
if [ -x /usr/lib/cni/portmap ] && [ -x /usr/lib/cni/tuning ] && [ -x /usr/lib/cni/firewall ]; then
	ip -n outside route add 10.70.0.0/16 via 10.99.1.1
	chained nft 1
	chained iptables 2
	chained iptables-nft 3
else
	echo "cni: containernetworking-plugins not installed: chaining not tested"
fi

# --- dual stack: "ipv6": true, a subnet per family ---------------------------------
c6() { printf '{"cniVersion":"%s","name":"cni6","type":"boxnet","ipv6":true,"subnet":["10.85.0.0/24","fd00:87::/64"]}' "$1"; }
ip netns add c61; ip netns add c62
c6 1.1.0 | cni ADD ctr61 /run/netns/c61 eth0 >"$TMP/r61"
jqt "dual stack: an address per family, in the result" "$TMP/r61" '(.ips | length) == 2 and
	.ips[0].address == "10.85.0.2/24" and .ips[1].address == "fd00:87::2/64" and
	.ips[1].gateway == "fd00:87::1" and (.routes | map(.dst) | sort) == ["0.0.0.0/0", "::/0"]'
c6 0.4.0 | cni ADD ctr62 /run/netns/c62 eth0 >"$TMP/r62"
jqt "0.4.0: the versions of both addresses" "$TMP/r62" '[.ips[].version] == ["4", "6"]'
testing "the IPv6 default route in the container" "ip -n c62 -6 route show default | cut -d' ' -f1-3" "default via fd00:87::1
rc=0"
ok "IPv6 from one container to the other" ip netns exec c61 ping -6 -c1 -W2 fd00:87::3
testing "netinspect shows the IPv6 address" \
	"bx netinspect -f '{{range .Containers}}{{.IPv6Address}} {{end}}' cni6 | tr ' ' '\\n' | sort" "
fd00:87::2/64
fd00:87::3/64
rc=0"
# the ips capability: an address of each family, one at most of each
ip netns add c63
c6 1.1.0 | jq -c '.runtimeConfig = {"ips": ["10.85.0.77/24", "fd00:87::77/64"]}' |
	cni ADD ctr63 /run/netns/c63 eth0 >"$TMP/r63"
jqt "ips: both addresses as asked" "$TMP/r63" '[.ips[].address] == ["10.85.0.77/24", "fd00:87::77/64"]'
testing "the IPv6 one is in the kernel" "ip -n c63 -6 -o addr show eth0 scope global | awk '{print \$4}'" \
	"fd00:87::77/64
rc=0"
c6 1.1.0 | cni DEL ctr63 /run/netns/c63 eth0
IN=$(c6 1.1.0 | jq -c '.runtimeConfig = {"ips": ["fd00:87::8/64", "fd00:87::9/64"]}')
bad "ips: two IPv6 addresses: code 7" 7 ADD cx1 /run/netns/cx eth0
IN=$(c6 1.1.0 | jq -c '.runtimeConfig = {"ips": ["fd00:99::8/64"]}')
bad "ips: an IPv6 address outside the subnet: code 7" 7 ADD cx1 /run/netns/cx eth0
for n in 61 62; do c6 1.1.0 | cni DEL ctr$n /run/netns/c$n eth0; done
testing "DEL leaves no endpoint" "ls /run/boxnet/endpoints/cni6 2>/dev/null | wc -l" "0
rc=0"
finish
