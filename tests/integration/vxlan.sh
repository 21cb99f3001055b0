#!/bin/sh
# Seed 003, sections 3-5 and 3-6: one network over three hosts with VXLAN.
#
#                        ul (underlay switch: bridge ulbr)
#             +-------------------+--------------------+
#      hostA eth0 10.200.0.1   hostB eth0 10.200.0.2   hostC eth0 10.200.0.3
#      [vxlan-net]--vx         [vxlan-net]--vx         [vxlan-net]--vx   (VNI 10)
#        | test-a .11            | test-b .22            | test-c .33
#        | kv     .100 (redis)   |
#
# Each host runs boxnet with its own BOXNET_RUN_DIR inside its own namespace.
# A and B list each other as peers; C lists A but A does not list C.
. "$(dirname "$0")/lib.sh"

export BOXNET_FIREWALL=${BOXNET_FIREWALL:-auto}

underlay_host A 1
underlay_host B 2
underlay_host C 3

for h in A B C; do
	ok "host $h: vxlan-net" on $h netcreate --attachable=true --subnet 172.18.0.0/16 \
		--ip-range 172.18.$(printf '%d' "'$h" | awk '{print $1 - 64}').0/24 \
		-o com.docker.network.bridge.name=vxlan-net vxlan-net
done
ok "A: overlay to B" on A vxlan add vxlan-net --vni 10 --remote 10.200.0.2 --dev eth0
ok "B: overlay to A (underlay found by route)" on B vxlan add vxlan-net --vni 10 --remote 10.200.0.1
ok "C: overlay to A (A does not list C)" on C vxlan add vxlan-net --vni 10 --remote 10.200.0.1 --dev eth0

dev=$(on A vxlan ls | awk 'NR==2 {print $3}')
testing "A's VXLAN device is a port of vxlan-net" "ip -n hostA -o link show $dev | grep -o 'master vxlan-net'" \
	"master vxlan-net
rc=0"
testing "VNI 10, port 4789, nolearning, underlay eth0" \
	"ip -n hostA -d link show $dev | grep -o 'vxlan id 10 .*dstport 4789 nolearning' | sed 's/srcport.*dstport/dstport/'" \
	"vxlan id 10 local 10.200.0.1 dev eth0 dstport 4789 nolearning
rc=0"
testing "flood list: B only" "bridge -n hostA fdb show dev $dev | grep ^00:00:00:00:00:00 | awk '{print \$1, \$3, \$4, \$5}'" \
	"00:00:00:00:00:00 10.200.0.2 self permanent
rc=0"
testing "the bridge MTU fits the overlay" "ip -n hostA -o link show vxlan-net | grep -o 'mtu [0-9]*'" "mtu 1450
rc=0"
testing "vxlan ls" "on A vxlan ls | sed 's/vx-[0-9a-f]\\{12\\}/vx-XXXXXXXXXXXX/'" \
	"NETWORK              VNI       DEVICE           UNDERLAY   PORT   PEERS
vxlan-net            10        vx-XXXXXXXXXXXX  eth0       4789   10.200.0.2
rc=0"

for c in a b c; do ip netns add test-$c; done
ip netns add kv
ok "test-a at 172.18.0.11 on A" on A netconnect --ip 172.18.0.11 vxlan-net test-a
ok "test-b at 172.18.0.22 on B" on B netconnect --ip 172.18.0.22 vxlan-net test-b
ok "test-c at 172.18.0.33 on C" on C netconnect --ip 172.18.0.33 vxlan-net test-c
testing "containers get the overlay MTU" "ip -n test-a -o link show eth0 | grep -o 'mtu [0-9]*'" "mtu 1450
rc=0"
ok "a dynamic address on B comes from B's range" sh -c \
	"ip netns add dyn-b && ip netns exec hostB env BOXNET_RUN_DIR=/run/boxnet-B $BOXNET netconnect vxlan-net dyn-b"
testing "B's range" "ip -n dyn-b -4 -o addr show eth0 | awk '{print \$4}'" "172.18.2.0/16
rc=0"
ok "test-a pings test-b across hosts" ip netns exec test-a ping -c 3 -W 2 172.18.0.22
ok "test-b pings test-a" ip netns exec test-b ping -c 2 -W 2 172.18.0.11
ok "1422-byte pings fit the 1450 MTU unfragmented" ip netns exec test-a ping -c 1 -W 2 -M do -s 1422 172.18.0.22
testing "netinspect shows the overlay" \
	"on A netinspect -f '{{index .Options \"com.docker.network.driver.overlay.vxlanid_list\"}} {{range .Peers}}{{.IP}}{{end}}' vxlan-net" \
	"10 10.200.0.2
rc=0"

# only listed peers are accepted: C knows the VNI and floods to A, A does not list C
testing "A drops VXLAN from C, not a peer" "ip netns exec test-c ping -c 2 -W 1 172.18.0.11 >/dev/null; echo \$?" "1
rc=0"
case "$(on A netfw status | head -1)" in
"backend: nft")
	testing "A holds the rules for it" "ip netns exec hostA nft list table ip boxnet | grep -c 'udp dport 4789'" "2
rc=0" ;;
"backend: iptables-nft")
	testing "A holds the rules for it" "ip netns exec hostA iptables-nft-save -t raw 2>/dev/null | grep -c -- '-p udp -m udp --dport 4789'" "2
rc=0" ;;
*)
	testing "A holds the rules for it" "ip netns exec hostA iptables-legacy-save -t raw | grep -c -- '-p udp -m udp --dport 4789'" "2
rc=0" ;;
esac
ok "A takes C as a peer" on A vxlan peer add vxlan-net 10.200.0.3
ok "now C reaches A" ip netns exec test-c ping -c 2 -W 2 172.18.0.11
ok "A drops C again" on A vxlan peer del vxlan-net 10.200.0.3
testing "and C is refused again" "ip netns exec test-c ping -c 2 -W 1 172.18.0.11 >/dev/null; echo \$?" "1
rc=0"

# 3-6: a key-value server on A, a client on B, by name
ok "kv at 172.18.0.100 on A" on A netconnect --ip 172.18.0.100 vxlan-net kv
ip netns exec kv redis-server --port 6379 --bind 172.18.0.100 --save '' --appendonly no --protected-mode no \
	--daemonize yes --pidfile "$TMP/redis.pid" --logfile "$TMP/redis.log"
wait_for ip netns exec kv redis-cli -h 172.18.0.100 ping
ok "B learns the name of A's kv" on B vxlan name add vxlan-net kv 172.18.0.100
testing "test-b resolves kv" "ip netns exec test-b getent hosts kv" "172.18.0.100    kv
rc=0"
testing "redis on A serves a client on B by name" \
	"ip netns exec test-b redis-cli -h kv set seed 003 && ip netns exec test-b redis-cli -h kv get seed" \
	"OK
003
rc=0"

# the peer is removed: traffic to it stops
ok "A drops B from its peers" on A vxlan peer del vxlan-net 10.200.0.2
testing "A floods to nobody" "bridge -n hostA fdb show dev $dev | grep -c 10.200.0.2" "0
rc=1"
ok "test-a no longer reaches test-b" sh -c "! ip netns exec test-a ping -c 2 -W 1 172.18.0.22"
ok "A takes B back" on A vxlan peer add vxlan-net 10.200.0.2
ok "and reaches it again" ip netns exec test-a ping -c 2 -W 2 172.18.0.22

# bad input: clear errors, nothing changed
snapshot_host() { ip netns exec hostA sh -c 'ip -o link show; ip -4 -o addr show'; ls -R /run/boxnet-A | sort; find /run/boxnet-A -type f | sort | xargs md5sum; }
refused() { refused_on A "$@"; }
on A netcreate --subnet 10.50.0.0/16 other >/dev/null
refused "vxlan: invalid VNI 16777216: want 1 to 16777215" vxlan add other --vni 16777216 --remote 10.200.0.2
refused "vxlan: invalid VNI 0: want 1 to 16777215" vxlan add other --vni 0 --remote 10.200.0.2
refused "vxlan: invalid VNI ten: want 1 to 16777215" vxlan add other --vni ten --remote 10.200.0.2
refused "vxlan: invalid VNI (none): want 1 to 16777215" vxlan add other --remote 10.200.0.2
refused "vxlan: network nosuch not found" vxlan add nosuch --vni 11 --remote 10.200.0.2
refused "vxlan: VNI 10 is already used by network vxlan-net" vxlan add other --vni 10 --remote 10.200.0.2
refused "vxlan: network vxlan-net already has an overlay (VNI 10)" vxlan add vxlan-net --vni 12 --remote 10.200.0.2
refused "vxlan: invalid peer 10.200.0: want a unicast IP address" vxlan add other --vni 11 --remote 10.200.0
refused "vxlan: invalid peer 239.1.1.1: want a unicast IP address" vxlan add other --vni 11 --remote 239.1.1.1
refused "vxlan: underlay device eth9 not found" vxlan add other --vni 11 --remote 10.200.0.2 --dev eth9
refused "vxlan: invalid multicast group 10.1.1.1: want 224.0.0.0/4 or ff00::/8" vxlan add other --vni 11 --group 10.1.1.1 --dev eth0
refused "vxlan: --group needs --dev: the device to join it on" vxlan add other --vni 11 --group 239.1.1.1
refused "vxlan: invalid port 70000: want 1 to 65535" vxlan add other --vni 11 --remote 10.200.0.2 --port 70000
# (musl says "unrecognized option: bogus", glibc "unrecognized option '--bogus'")
testing "an unknown option: getopt's complaint names the applet, then the usage (exit 2)" \
	"on A vxlan add other --vni 11 --bogus 2>&1 >/dev/null | head -1 | grep -o '^vxlan: unrecognized option'; on A vxlan evpn other --bogus 2>/dev/null; echo \$?" \
	"vxlan: unrecognized option
2
rc=0"
refused "vxlan: invalid peer x.y: want a unicast IPv4 address, as the underlay" vxlan peer add vxlan-net x.y
refused "vxlan: 10.200.0.2 is already a peer of vxlan-net" vxlan peer add vxlan-net 10.200.0.2
refused "vxlan: 10.200.0.9 is not a peer of vxlan-net" vxlan peer del vxlan-net 10.200.0.9
refused "vxlan: network other has no overlay" vxlan peer add other 10.200.0.2
refused "vxlan: network other has no overlay" vxlan del other
refused "vxlan: invalid address 10.0.0.1: not in network vxlan-net" vxlan name add vxlan-net x 10.0.0.1

# multicast group form, and the overlay goes with its network
ok "multicast group overlay" on A vxlan add other --vni 20 --group 239.1.1.1 --dev eth0
testing "group set" "ip -n hostA -d link show type vxlan | grep -c 'group 239.1.1.1'" "1
rc=0"
# "other" lists before vxlan-net: a group overlay first on the port must not
# take vxlan-net's peer filter (RETURN for B, then the drop) away
testing "vxlan-net's peer filter stays beside the group overlay" "on A netfw show | grep -c 'dport 4789'" "2
rc=0"
ok "vxlan del" on A vxlan del other
testing "its device is gone" "ip -n hostA -d link show type vxlan | grep -c 'id 20'" "0
rc=1"
on A netdisconnect vxlan-net test-a
on A netdisconnect vxlan-net kv
ok "netrm of the multi-host network" on A netrm vxlan-net
testing "the VXLAN device went with it" "ip -n hostA -o link show type vxlan | wc -l" "0
rc=0"
kill "$(cat "$TMP/redis.pid")" 2>/dev/null

finish
