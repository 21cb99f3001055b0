#!/bin/sh
# The docker network verbs, replaying the seed tutorials with namespaces as
# containers (seeds 000, 001, 004), plus what Docker refuses.
#
#   busybox1 --veth--+                        +--veth-- one
#                    [br-… busybox-network]   [boxnet0 bridge]
#   busybox2 --veth--+                        ...
#
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=none
# an uplink, so the host looks like one with a default route
ip link add uplink0 type veth peer name uplink1
ip addr add 10.0.2.15/24 dev uplink0
ip link set uplink0 up
ip route add default via 10.0.2.2 dev uplink0 onlink

# --- seed 000: two containers on a user network ---------------------------------
id=$(bx netcreate busybox-network)
testing "netcreate prints a 64-hex ID" "echo $id | grep -cE '^[0-9a-f]{64}$'" "1
rc=0"
testing "the bridge is br- and 12 hex of the ID" "ip -o link show br-$(echo $id | cut -c1-12) | wc -l" "1
rc=0"
testing "predefined bridge took 172.17, busybox-network 172.18" \
	"ip -4 -o addr show br-$(echo $id | cut -c1-12) | awk '{print \$4}'" "172.18.0.1/16
rc=0"
testing "boxnet0 is the default bridge network" "ip -4 -o addr show boxnet0 | awk '{print \$4}'" "172.17.0.1/16
rc=0"
ip netns add busybox1
ip netns add busybox2
ok "busybox1 joins" bx netconnect busybox-network busybox1
ok "busybox2 joins" bx netconnect busybox-network busybox2
testing "busybox1 got .2" "ip -n busybox1 -4 -o addr show eth0 | awk '{print \$4}'" "172.18.0.2/16
rc=0"
testing "busybox2 got .3" "ip -n busybox2 -4 -o addr show eth0 | awk '{print \$4}'" "172.18.0.3/16
rc=0"
testing "the route table of the seed" "ip -n busybox1 route" \
	"default via 172.18.0.1 dev eth0 
172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2 
rc=0"
testing "MAC is 02:42 and the address" "ip -n busybox2 -o link show eth0 | grep -o 'link/ether [0-9a-f:]*'" \
	"link/ether 02:42:ac:12:00:03
rc=0"
testing "lo is up inside" "ip -n busybox1 -o link show lo | grep -c UP" "1
rc=0"
ok "ping by name" ip netns exec busybox1 ping -c1 -W2 busybox2
ok "ping the gateway" ip netns exec busybox2 ping -c1 -W2 172.18.0.1
testing "the host bridge has two veth ports" \
	"brctl show br-$(echo $id | cut -c1-12) | awk 'NR>1 {print \$NF}' | grep -c '^veth'" "2
rc=0"
testing "the MTU is the uplink's" "ip -n busybox1 -o link show eth0 | grep -o 'mtu [0-9]*'" "mtu 1500
rc=0"

# --- seed 004: one and two, connect / disconnect / rm / stop / prune -------------
ip netns add one
ok "one starts on the default bridge" bx netconnect bridge one
# a process of one's, started now with its /etc/hosts bound, as a runtime would
ip netns exec one sleep infinity &
sleeper=$!
wait_for sh -c "nsenter -t $sleeper -m cat /etc/hosts | grep -q '	one\$'"
testing "one's hosts file is a regular file, not a symlink" \
	"[ -f /etc/netns/one/hosts ] && [ ! -L /etc/netns/one/hosts ] && echo file" "file
rc=0"
testing "host.docker.internal is the gateway of its first network" \
	"ip netns exec one getent hosts host.docker.internal" "172.17.0.1      host.docker.internal
rc=0"
testing "one on bridge: 172.17.0.2" "ip -n one -4 -o addr show eth0 | awk '{print \$4}'" "172.17.0.2/16
rc=0"
ok "my-net" bx netcreate my-net
ok "connect my-net one" bx netconnect my-net one
testing "one got eth1 with 172.19.0.2" "ip -n one -4 -o addr show eth1 | awk '{print \$4}'" "172.19.0.2/16
rc=0"
testing "default route stays on the first network" "ip -n one route show default" \
	"default via 172.17.0.1 dev eth0 
rc=0"
ok "disconnect bridge one" bx netdisconnect bridge one
testing "eth0 is gone" "ip -n one -o link show eth0 2>/dev/null | wc -l" "0
rc=0"
testing "the default route moved to my-net" "ip -n one route show default" \
	"default via 172.19.0.1 dev eth1 
rc=0"
ip netns add two
ok "two joins my-net" bx netconnect my-net two
testing "two got .3" "ip -n two -4 -o addr show eth0 | awk '{print \$4}'" "172.19.0.3/16
rc=0"
ok "one pings two by name" ip netns exec one ping -c1 -W2 two
testing "a process one started before it joined my-net sees two" \
	"nsenter -t $sleeper -m getent hosts two" "172.19.0.3      two
rc=0"
testing "two lists no container it shares no network with" \
	"ip netns exec two cat /etc/hosts | grep -c '172\.17\.'" "0
rc=1"
# one and two share one hosts file (the same networks): boxnet's ipnetns
# exec binds it read-only, so one cannot change the names two sees
testing "one cannot write the hosts file it shares with two" \
	"bx ipnetns exec one sh -c 'echo 6.6.6.6 two >>/etc/hosts' 2>&1 | grep -c 'Read-only'" "1
rc=0"
testing "what one tried to write is not in two's names" \
	"ip netns exec two getent hosts two; grep -c 6.6.6.6 /etc/netns/two/hosts" "172.19.0.3      two
0
rc=1"
ok "two pings one by name (ip netns exec, iproute2)" ip netns exec two ping -c1 -W2 one
testing "rm of a network with endpoints is refused" "bx netrm my-net 2>&1" \
	"netrm: network my-net has active endpoints
rc=1"
ip netns del two   # "docker stop two": the namespace goes away
# the kernel frees a deleted namespace later, in a work queue: its veth and
# address go a moment after `ip netns del` returns
ok "ping two fails once it stopped" wait_long sh -c "! ip netns exec one ping -c1 -W1 two"
ok "disconnect one" bx netdisconnect my-net one
testing "one no longer resolves two" "ip netns exec one getent hosts two" "rc=2"
testing "and neither does the process that had it bound" "nsenter -t $sleeper -m getent hosts two" "rc=2"
kill $sleeper
ok "rm my-net (two's endpoint was reaped)" bx netrm my-net
testing "my-net's bridge is gone" "ip -o link show type bridge | grep -c br-" "1
rc=0"
bx netcreate unused1 >/dev/null
bx netcreate unused2 >/dev/null
testing "prune removes unused networks" "bx netprune -f" "Deleted Networks:
unused1
unused2

rc=0"
testing "prune leaves busybox-network (in use)" "ls /run/boxnet/networks | tr '\n' ' '" \
	"bridge busybox-network host none rc=0"
testing "prune asks first; 'n' keeps everything" "echo n | bx netprune" \
	"WARNING! This will remove all custom networks not used by at least one container.
Are you sure you want to continue? [y/N] rc=0"

# --- seed 001: eth1 appears and disappears -----------------------------------------
# (172.19 is free again: like Docker 27+, the lowest free pool is reused at once)
bx netcreate second >/dev/null
ok "busybox1 joins a second network" bx netconnect second busybox1
testing "eth1 has a network layer" "ip -n busybox1 -4 -o addr show eth1 | awk '{print \$2, \$4}'" \
	"eth1 172.19.0.2/16
rc=0"
testing "busybox1 resolves names of both networks" \
	"ip netns exec busybox1 getent hosts busybox2 busybox1 | sort" \
	"172.18.0.2      busybox1
172.18.0.3      busybox2
172.19.0.2      busybox1
rc=0"
ok "disconnect second" bx netdisconnect second busybox1
testing "eth1 is gone" "ip -n busybox1 -o link show eth1 2>/dev/null | wc -l" "0
rc=0"
ok "connect again reuses eth1 and .2" bx netconnect second busybox1
testing "eth1 again, same address" "ip -n busybox1 -4 -o addr show eth1 | awk '{print \$2, \$4}'" \
	"eth1 172.19.0.2/16
rc=0"

# --- options ---------------------------------------------------------------------
ok "subnet, gateway, ip-range, name, mtu, label" bx netcreate --subnet 10.77.0.0/16 \
	--gateway 10.77.0.254 --ip-range 10.77.5.0/24 -o com.docker.network.bridge.name=vxlan-net \
	--mtu 1400 --label team=net --internal --attachable=true opts
testing "bridge named by option, gateway address" "ip -4 -o addr show vxlan-net | awk '{print \$4}'" \
	"10.77.0.254/16
rc=0"
testing "bridge MTU" "ip -o link show vxlan-net | grep -o 'mtu [0-9]*'" "mtu 1400
rc=0"
ip netns add c1
ok "static --ip with aliases and ifname" bx netconnect --ip 10.77.0.9 --alias web --alias www \
	--ifname net0 opts c1
testing "static address on net0" "ip -n c1 -4 -o addr show net0 | awk '{print \$4}'" "10.77.0.9/16
rc=0"
testing "no default route via an internal network" "ip -n c1 route show default | wc -l" "0
rc=0"
ip netns add c2
ok "dynamic address from the ip-range" bx netconnect opts c2
testing "first of the range (a host address inside the subnet)" "ip -n c2 -4 -o addr show eth0 | awk '{print \$4}'" "10.77.5.0/16
rc=0"
ok "aliases resolve" ip netns exec c2 ping -c1 -W2 www
ip netns add c3
ok "--mac" bx netconnect --mac 02:aa:bb:cc:dd:ee busybox-network c3
testing "MAC set" "ip -n c3 -o link show eth0 | grep -o 'link/ether [0-9a-f:]*'" "link/ether 02:aa:bb:cc:dd:ee
rc=0"
ip netns add c4
ok "network none: lo only" bx netconnect none c4
testing "none: only lo" "ip -n c4 -o link show | awk '{print \$2}'" "lo:
rc=0"
ip netns add c6
ok "network host: recorded, nothing created" bx netconnect host c6
testing "host: no interface in the container" "ip -n c6 -o link show | wc -l" "1
rc=0"
testing "host: listed in netinspect" "bx netinspect -f '{{range .Containers}}{{.Name}}{{end}}' host" "c6
rc=0"
ok "host: disconnect" bx netdisconnect host c6
testing "resolv.conf without loopback servers" "ip netns exec c1 cat /etc/resolv.conf | grep -c '^nameserver 127'" "0
rc=1"

# --- netls and netinspect ----------------------------------------------------------
testing "netls: Docker's table" "bx netls | sed -E 's/^[0-9a-f]{12}/ID/'" \
	"NETWORK ID     NAME              DRIVER    SCOPE
ID   bridge            bridge    local
ID   busybox-network   bridge    local
ID   host              host      local
ID   none              null      local
ID   opts              bridge    local
ID   second            bridge    local
rc=0"
testing "netls -q: short IDs" "bx netls -q | grep -cE '^[0-9a-f]{12}\$'" "6
rc=0"
testing "netls filters: OR within a key, AND across" \
	"bx netls -f name=second -f name=opts -f driver=bridge --format '{{.Name}}'" "opts
second
rc=0"
testing "netls label filter" "bx netls -f label=team=net --format '{{.Name}} {{.Labels}}'" "opts team=net
rc=0"
testing "netls json is one object per line" "bx netls --format json | jq -r .Name | tr '\n' ' '" \
	"bridge busybox-network host none opts second rc=0"
testing "netinspect -f json: one compact array, as docker's JSON inspector" \
	"bx netinspect -f json busybox-network second | wc -l; bx netinspect -f json busybox-network second | jq -r '.[1].Name'" "1
second
rc=0"
testing "netinspect -f json is the array netinspect prints" \
	"bx netinspect -f json busybox-network | jq -S . >$TMP/a; bx netinspect busybox-network | jq -S . | cmp - $TMP/a && echo same" "same
rc=0"
testing "netls: unknown filter" "bx netls -f bogus=1 2>&1" "netls: invalid filter 'bogus'
rc=1"
testing "netinspect: Docker's fields in Docker's order" \
	"bx netinspect busybox-network | jq -r '.[0] | keys_unsorted | join(\",\")'" \
	"Name,Id,Created,Scope,Driver,EnableIPv6,IPAM,Internal,Attachable,Ingress,ConfigFrom,ConfigOnly,Containers,Options,Labels
rc=0"
testing "netinspect: the seed's IPAM block" "bx netinspect busybox-network | jq -c '.[0].IPAM'" \
	'{"Driver":"default","Options":{},"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]}
rc=0'
testing "netinspect: Containers filled" \
	"bx netinspect -f '{{json .Containers}}' busybox-network | jq -r '[.[] | .Name + \" \" + .IPv4Address + \" \" + .MacAddress] | sort | .[]'" \
	"busybox1 172.18.0.2/16 02:42:ac:12:00:02
busybox2 172.18.0.3/16 02:42:ac:12:00:03
c3 172.18.0.4/16 02:aa:bb:cc:dd:ee
rc=0"
testing "netinspect -f {{.Id}} is the ID netcreate printed" "bx netinspect -f '{{.Id}}' busybox-network" "$id
rc=0"
testing "netinspect: the same container ID on every network" \
	"bx netinspect -f '{{range \$k, \$v := .Containers}}{{if eq \$v.Name \"busybox1\"}}{{\$k}}{{end}}{{end}}' busybox-network second | uniq | wc -l" "1
rc=0"
testing "netinspect: ID prefix, ip-range, options, labels" \
	"bx netinspect \$(bx netls -q -f name=opts) | jq -c '.[0] | [.IPAM.Config, .Internal, .Attachable, .Options, .Labels]'" \
	'[[{"Subnet":"10.77.0.0/16","IPRange":"10.77.5.0/24","Gateway":"10.77.0.254"}],true,true,{"com.docker.network.bridge.name":"vxlan-net"},{"team":"net"}]
rc=0'
testing "netinspect of a missing network: [] and an error" "bx netinspect nosuch 2>&1" "netinspect: network nosuch not found
[]
rc=1"
testing "Created is RFC 3339 with nanoseconds" \
	"bx netinspect -f '{{.Created}}' busybox-network | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\\.[0-9]{1,9})?Z\$'" "1
rc=0"

# --- subnet choice sees every routing table and every address; MTU follows the uplink
ip route add blackhole 172.20.0.0/16 table 100
ip addr add 172.21.5.1/24 dev uplink1
ip link set uplink0 mtu 1400
bx netcreate picky >/dev/null
testing "a route in another table and an interface address are avoided" \
	"bx netinspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' picky" "172.22.0.0/16
rc=0"
testing "the MTU is the uplink's (1400)" "bx netinspect -f '{{index .Options \"com.docker.network.driver.mtu\"}}' picky; \
	ip -o link show \$(bx netinspect -f '{{.Id}}' picky | cut -c1-12 | sed 's/^/br-/') | grep -o 'mtu [0-9]*'" "
mtu 1400
rc=0"

# --- --pid: a process started by another runtime -----------------------------------
unshare -n sleep infinity &
pid=$!
wait_for test "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)"
ok "connect --pid" bx netconnect --pid $pid busybox-network runtime1
testing "the process's namespace got eth0" "nsenter -t $pid -n ip -4 -o addr show eth0 | awk '{print \$4}'" \
	"172.18.0.5/16
rc=0"
testing "it is now /run/netns/runtime1" "ip netns identify $pid" "runtime1
rc=0"
kill $pid

# --- hosts set files: one inode per list of networks ---------------------------------
# containers on the same networks share one file (a hard link each to
# /etc/netns/.hosts/ID): a connect rewrites it once, in place
for c in s1 s2 s3; do ip netns add $c; done
bx netcreate sn1 >/dev/null
bx netcreate sn2 >/dev/null
ok "s1 and s2 join sn1" sh -c "$BOXNET netconnect sn1 s1 && $BOXNET netconnect sn1 s2"
ino() { stat -c %i /etc/netns/$1/hosts; }
# pview NAME PID: what /etc/hosts is for process PID, into $TMP/NAME
pview() { nsenter -t $2 -m cat /etc/hosts >$TMP/$1; }
testing "s1 and s2 share one inode, with the set file" \
	"[ \$(ino s1) = \$(ino s2) ] && echo same; stat -c %h /etc/netns/s1/hosts; find /etc/netns/.hosts -samefile /etc/netns/s1/hosts | wc -l" "same
3
1
rc=0"
testing "its first line names the networks" "head -1 /etc/netns/s1/hosts" "# boxnet: sn1
rc=0"
# processes started before the next connects: one in s1 (a shared file), one
# in s3 (which will be alone on its list)
"$BOXNET" ipnetns exec s1 sleep infinity &
p1=$!
wait_for sh -c "nsenter -t $p1 -m cat /etc/hosts | grep -q '	s1\$'"
ok "s3 joins sn2" bx netconnect sn2 s3
"$BOXNET" ipnetns exec s3 sleep infinity &
p3=$!
wait_for sh -c "nsenter -t $p3 -m cat /etc/hosts | grep -q '	s3\$'"
ok "s3 joins sn1 too" bx netconnect sn1 s3
testing "s3 on sn2 and sn1 has a file of its own" \
	"[ \$(ino s3) != \$(ino s1) ] && echo own; stat -c %h /etc/netns/s3/hosts; head -1 /etc/netns/s3/hosts" "own
2
# boxnet: sn2 sn1
rc=0"
pview p1 $p1
pview p3 $p3
testing "a process of s1 started before sees s3's name" "grep -c '	s3\$' $TMP/p1" "1
rc=0"
testing "a process of s3 (alone on its list) sees the network it joined" \
	"head -1 $TMP/p3; grep -c '	s1\$' $TMP/p3" "# boxnet: sn2 sn1
1
rc=0"
testing "a write to /etc/hosts of s1 fails (shared: read-only)" \
	"bx ipnetns exec s1 sh -c 'echo 6.6.6.6 s2 >>/etc/hosts' 2>&1 | grep -c 'Read-only'; grep -c 6.6.6.6 /etc/netns/s2/hosts" "1
0
rc=1"
testing "ipnetns exec binds a file of one link read-write, as ip does" \
	"mkdir -p /etc/netns/solo && echo '1.1.1.1 x' >/etc/netns/solo/hosts && ip netns add solo && bx ipnetns exec solo sh -c 'echo 2.2.2.2 y >>/etc/hosts' && grep -c 2.2.2.2 /etc/netns/solo/hosts" "1
rc=0"
ip netns del solo
rm -r /etc/netns/solo
ok "s3 leaves sn2" bx netdisconnect sn2 s3
testing "s3 now shares sn1's file, the set file of sn2 sn1 went" "[ \$(ino s3) = \$(ino s1) ] && echo same; grep -l '^# boxnet: .*sn2' /etc/netns/.hosts/* | wc -l" "same
0
rc=0"
pview p3 $p3
testing "the process of s3 started before keeps the old list" \
	"head -1 $TMP/p3" "# boxnet: sn2 sn1
rc=0"
kill $p1 $p3
ok "everyone leaves" sh -c "$BOXNET netdisconnect sn1 s1 && $BOXNET netdisconnect sn1 s2 && $BOXNET netdisconnect sn1 s3"
testing "the set files went with the last" "ls /etc/netns | grep -c 's[123]'; grep -l '^# boxnet: .*sn[12]' /etc/netns/.hosts/* | wc -l" "0
0
rc=0"
bx netrm sn1 sn2 >/dev/null
for c in s1 s2 s3; do ip netns del $c; done

# --- published ports without a firewall: their files alone ----------------------
# (no rules to change: a port was a full sync, every network's and port's file
# read, issue 12); LeakSanitizer cannot run under ptrace
traced() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=openat,open,renameat,rename "$@"; }
opened() { grep -o '"ports/[^"]*"' "$TMP/open" | sort -u | tr -d '"' | tr '\n' ' '; }
bx netcreate pn >/dev/null
for c in p1 p2; do ip netns add $c; done
ok "p1 joins pn publishing two ports" bx netconnect -p 8201:80 -p 8202:80 pn p1
ok "p2 joins pn publishing one, traced" traced -o "$TMP/open" "$BOXNET" netconnect -p 8203:80 pn p2
testing "it wrote its own port's file alone" "opened" "ports/tcp-0.0.0.0-8203-8203 rc=0"
ok "portfwd del of p1's second, traced" traced -o "$TMP/open" "$BOXNET" portfwd del p1 8202:80
testing "it opened that port's file alone" "opened" "ports/tcp-0.0.0.0-8202-8202 rc=0"
testing "the ports left" "bx portfwd ls | awk '{ print \$1, \$NF }'" "p1 0.0.0.0:8201
p2 0.0.0.0:8203
rc=0"
ok "p2 leaves, traced" traced -o "$TMP/open" "$BOXNET" netdisconnect pn p2
testing "its port went, p1's file not opened" "opened; bx portfwd ls | wc -l" "ports/tcp-0.0.0.0-8203-8203 1
rc=0"
# as `docker port`: no ports is an empty list, no such container an error
testing "portfwd ls of a container without ports" "bx portfwd ls p2" "rc=0"
testing "portfwd ls of no container" "bx portfwd ls nosuch 2>&1; echo rc=\$?; bx portfwd ls ../p1 2>&1" \
	"portfwd: No such container: nosuch
rc=1
portfwd: No such container: ../p1
rc=1"
ok "p1 leaves" bx netdisconnect pn p1
bx netrm pn >/dev/null
for c in p1 p2; do ip netns del $c; done

finish
