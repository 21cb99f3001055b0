#!/bin/sh
# once: four simulated hosts each running FRR's bgpd and zebra; BGP takes seconds.
# Issue 11 item 3: an overlay whose peers come from BGP EVPN as Debian's FRR
# runs it, with no static peer anywhere.
#
#                        ul (underlay switch: bridge ulbr)
#        +-------------------+-------------------+-------------------+
#   hostA eth0 10.200.0.1  hostB .2            hostC .3            hostD .4 (joins last)
#   route reflector        peers with A        peers with A        peers with A
#   [evnet]--vx (VNI 100)  [evnet]--vx         [evnet]--vx         [evnet]--vx
#     | test-a .11           | test-b .22        | test-c .33        | test-d .44
#
# Each host runs boxnet (its own BOXNET_RUN_DIR) and its own zebra + bgpd
# (pathspace -N hostX: sockets and pid files under /run/frr/hostX) inside its
# namespace, configured with exactly the lines `vxlan evpn` prints.
. "$(dirname "$0")/lib.sh"

if [ ! -x /usr/lib/frr/bgpd ] || [ ! -x /usr/lib/frr/zebra ]; then
	echo "evpn: skipped: FRR is not installed (tests/deps.sh test installs it)"
	finish
fi

export BOXNET_FIREWALL=${BOXNET_FIREWALL:-auto}
vty() { h=$1; shift; ip netns exec "host$h" vtysh -N "host$h" "$@"; }
# FRR keeps crash logs under /var/tmp/frr: a private one, not the machine's
mkdir -p /var/tmp/frr && mount -t tmpfs frr-tmp /var/tmp/frr

host() { # NAME N: a host on the underlay at 10.200.0.N with the network evnet
	underlay_host "$1" "$2"
	ok "host $1: evnet" on $1 netcreate --subnet 172.18.0.0/16 --ip-range 172.18.$2.0/24 \
		-o com.docker.network.bridge.name=evnet evnet
}
# frr NAME ARGS...: zebra and bgpd on host NAME, bgpd with `vxlan evpn evnet ARGS`;
# they run as Debian's frr user, so config, pid and log files live in its
# pathspace directory
frr() {
	local h=$1 d=/run/frr/host$1
	shift
	mkdir -p $d && chown frr:frr /run/frr $d
	on $h vxlan evpn evnet "$@" >"$d/bgpd.conf"
	: >"$d/zebra.conf"
	chown frr:frr $d/*
	ip netns exec host$h /usr/lib/frr/zebra -d -F datacenter -N host$h -f $d/zebra.conf \
		-i $d/zebra.pid --log file:$d/zebra.log &&
		ip netns exec host$h /usr/lib/frr/bgpd -d -F datacenter -N host$h -f $d/bgpd.conf \
			-i $d/bgpd.pid --log file:$d/bgpd.log
}
# remote_mac HOST MAC VTEP: zebra put MAC behind VTEP in HOST's VXLAN device
remote_mac() {
	bridge -n host$1 fdb show dev "$(dev $1)" | grep -q "^$2 dst $3 self extern_learn"
}
# flood_to HOST VTEP...: HOST floods to each VTEP (zebra, from type-3 routes)
flood_to() {
	local h=$1 v
	shift
	bridge -n host$h fdb show dev "$(dev $h)" >"$TMP/fdb.$h"
	for v; do grep -q "^00:00:00:00:00:00 dst $v self" "$TMP/fdb.$h" || return 1; done
}
dev() { on $1 vxlan ls | awk '$1 == "evnet" {print $3}'; }
mac() { ip -n test-$1 link show eth0 | awk '/link\/ether/ {print $2}'; }

host A 1
host B 2
host C 3
ok "A: EVPN overlay" on A vxlan add evnet --vni 100 --local 10.200.0.1 --control evpn
ok "B: EVPN overlay, underlay given" on B vxlan add evnet --vni 100 --local 10.200.0.2 --dev eth0 --control evpn
ok "C: EVPN overlay" on C vxlan add evnet --vni 100 --local 10.200.0.3 --control evpn

vx=$(dev A)
testing "VNI 100 from the VTEP address, nolearning" \
	"ip -n hostA -d link show $vx | grep -o 'vxlan id 100 .*dstport 4789 nolearning' | sed 's/srcport.*dstport/dstport/'" \
	"vxlan id 100 local 10.200.0.1 dev eth0 dstport 4789 nolearning
rc=0"
testing "a port of evnet with learning off and neigh_suppress on" \
	"bridge -n hostA -d link show dev $vx | grep -o -e 'master evnet' -e 'learning [a-z]*' -e 'neigh_suppress [a-z]*'" \
	"master evnet
learning off
neigh_suppress on
rc=0"
testing "no flood entry before BGP" "bridge -n hostA fdb show dev $vx | grep -c ^00:00:00:00:00:00" "0
rc=1"
testing "vxlan ls says evpn" "on A vxlan ls | sed 's/vx-[0-9a-f]\\{12\\}/vx-XXXXXXXXXXXX/'" \
	"NETWORK              VNI       DEVICE           UNDERLAY   PORT   PEERS
evnet                100       vx-XXXXXXXXXXXX  eth0       4789   evpn
rc=0"
testing "the state records control=evpn" "grep ^control= /run/boxnet-A/vxlan/evnet" "control=evpn
rc=0"
testing "vxlan evpn: the route reflector's lines" "on A vxlan evpn evnet --rr-clients 10.200.0.0/24" \
	"router bgp 65000
 bgp router-id 10.200.0.1
 no bgp default ipv4-unicast
 neighbor vteps peer-group
 neighbor vteps remote-as 65000
 bgp listen range 10.200.0.0/24 peer-group vteps
 !
 address-family l2vpn evpn
  neighbor vteps activate
  neighbor vteps route-reflector-client
  advertise-all-vni
 exit-address-family
exit
rc=0"
testing "vxlan evpn: a client's lines" "on B vxlan evpn evnet --rr 10.200.0.1 --asn 64512" \
	"router bgp 64512
 bgp router-id 10.200.0.2
 no bgp default ipv4-unicast
 neighbor 10.200.0.1 remote-as 64512
 neighbor 10.200.0.1 update-source 10.200.0.2
 !
 address-family l2vpn evpn
  neighbor 10.200.0.1 activate
  advertise-all-vni
 exit-address-family
exit
rc=0"
on A vxlan evpn evnet --rr-clients 10.200.0.0/24 --rr 10.200.0.9 --router-id 1.1.1.1 >"$TMP/all.conf"
ok "FRR's vtysh accepts every line vxlan evpn prints" vtysh -C -f "$TMP/all.conf"
printf 'router bgp 65000\n address-family l2vpn evpn\n  advertise-all-vnis\n' >"$TMP/bad.conf"
testing "and refuses a wrong one (the check can fail)" "vtysh -C -f $TMP/bad.conf >/dev/null 2>&1" "rc=2"

for c in a b c d; do ip netns add test-$c; done
ok "test-a at 172.18.0.11 on A" on A netconnect --ip 172.18.0.11 evnet test-a
ok "test-b at 172.18.0.22 on B" on B netconnect --ip 172.18.0.22 evnet test-b
ok "test-c at 172.18.0.33 on C" on C netconnect --ip 172.18.0.33 evnet test-c

ok "A runs FRR as the route reflector" frr A --rr-clients 10.200.0.0/24
ok "A's bgpd listens" wait_long sh -c "ip netns exec hostA ss -Hltn 'sport = :179' | grep -q ."
ok "B runs FRR, peering with A" frr B --rr 10.200.0.1
ok "C runs FRR, peering with A" frr C --rr 10.200.0.1

# type-3 routes: zebra floods to every VTEP that announced the VNI
ok "B floods to C (routes reflected by A)" wait_long flood_to B 10.200.0.3
ok "B floods to A" wait_long flood_to B 10.200.0.1
ok "A floods to B and C" wait_long flood_to A 10.200.0.2 10.200.0.3
ok "test-a pings test-b across hosts" wait_long ip netns exec test-a ping -c 1 -W 1 172.18.0.22
ok "test-b pings test-c across hosts" wait_long ip netns exec test-b ping -c 1 -W 1 172.18.0.33
ok "test-c pings test-a" wait_long ip netns exec test-c ping -c 1 -W 1 172.18.0.11

# type-2 routes: the MACs each host learned locally, installed by zebra elsewhere
ok "A has test-b's MAC behind B's VTEP" wait_long remote_mac A "$(mac b)" 10.200.0.2
ok "A has test-c's MAC behind C's VTEP" wait_long remote_mac A "$(mac c)" 10.200.0.3
ok "C has test-a's MAC behind A's VTEP" wait_long remote_mac C "$(mac a)" 10.200.0.1
ok "B has test-c's MAC behind C's VTEP" wait_long remote_mac B "$(mac c)" 10.200.0.3
testing "B's bgpd has the EVPN routes (a MAC of A's, via the reflector)" \
	"vty B -c 'show bgp l2vpn evpn route type macip' | grep -c '\\[$(mac a)\\]'" "1
rc=0"
ok "1422-byte pings fit the 1450 MTU unfragmented" ip netns exec test-a ping -c 1 -W 2 -M do -s 1422 172.18.0.33

# names: EVPN carries MACs and addresses, not names; each host is told
ok "B learns the name of A's test-a" on B vxlan name add evnet test-a 172.18.0.11
ok "C learns the name of B's test-b" on C vxlan name add evnet test-b 172.18.0.22
testing "test-b resolves test-a" "ip netns exec test-b getent hosts test-a" "172.18.0.11     test-a
rc=0"
ok "test-b pings test-a by name" ip netns exec test-b ping -c 2 -W 2 test-a
ok "test-c pings test-b by name" ip netns exec test-c ping -c 2 -W 2 test-b

# a fourth host peers with the reflector only: nothing is done on A, B or C
host D 4
ok "D: EVPN overlay" on D vxlan add evnet --vni 100 --local 10.200.0.4 --control evpn
ok "test-d at 172.18.0.44 on D" on D netconnect --ip 172.18.0.44 evnet test-d
ok "D runs FRR, peering with A" frr D --rr 10.200.0.1
ok "B floods to D (learned from A)" wait_long flood_to B 10.200.0.4
ok "test-b pings test-d" wait_long ip netns exec test-b ping -c 1 -W 1 172.18.0.44
ok "test-d pings test-a" wait_long ip netns exec test-d ping -c 1 -W 1 172.18.0.11
ok "B has test-d's MAC behind D's VTEP" wait_long remote_mac B "$(mac d)" 10.200.0.4

# bad input: clear errors, nothing changed
snapshot_host() {
	ip netns exec hostA sh -c 'ip -o link show | sed "s/ qlen [0-9]*//"; ip -4 -o addr show; bridge fdb show | grep -v extern_learn'
	find /run/boxnet-A -type f | sort | xargs md5sum
}
refused() { refused_on A "$@"; }
on A netcreate --subnet 10.50.0.0/16 other >/dev/null
refused "vxlan: --control evpn takes no --remote or --group: BGP EVPN finds the peers" \
	vxlan add other --vni 11 --local 10.200.0.1 --control evpn --remote 10.200.0.2
refused "vxlan: --control evpn takes no --remote or --group: BGP EVPN finds the peers" \
	vxlan add other --vni 11 --local 10.200.0.1 --control evpn --group 239.1.1.1 --dev eth0
refused "vxlan: --control evpn takes no --learning: zebra installs the remote MACs" \
	vxlan add other --vni 11 --local 10.200.0.1 --control evpn --learning
refused "vxlan: --control evpn needs --local: the VTEP address BGP announces" \
	vxlan add other --vni 11 --dev eth0 --control evpn
refused "vxlan: invalid control bgp: want static or evpn" \
	vxlan add other --vni 11 --local 10.200.0.1 --control bgp
refused "vxlan: invalid local address 10.200.0.2: not an address of this host" \
	vxlan add other --vni 11 --local 10.200.0.2 --control evpn
refused "vxlan: VNI 100 is already used by network evnet" \
	vxlan add other --vni 100 --local 10.200.0.1 --control evpn
refused "vxlan: network evnet is controlled by EVPN: BGP finds its peers" vxlan peer add evnet 10.200.0.2
refused "vxlan: port 4789 is used by EVPN overlay evnet, and a peer filter would drop EVPN's VTEPs: give another --port (netcreate: -o boxnet.overlay.port=N)" \
	vxlan add other --vni 11 --remote 10.200.0.2
ok "a static overlay on another port" on A vxlan add other --vni 11 --remote 10.200.0.2 --port 4790
on A netcreate --subnet 10.60.0.0/16 third >/dev/null
refused "vxlan: port 4790 is used by static overlay other, and a peer filter would drop EVPN's VTEPs: give another --port (netcreate: -o boxnet.overlay.port=N)" \
	vxlan add third --vni 12 --local 10.200.0.1 --control evpn --port 4790
ok "and its removal" on A vxlan del other
refused "vxlan: network other has no EVPN overlay (vxlan add --control evpn)" vxlan evpn other --rr 10.200.0.2
refused "vxlan: invalid AS number 0: want 1 to 4294967295" vxlan evpn evnet --rr 10.200.0.2 --asn 0
refused "vxlan: invalid AS number 4294967296: want 1 to 4294967295" vxlan evpn evnet --rr 10.200.0.2 --asn 4294967296
refused "vxlan: invalid route reflector 10.200.0.1: want another host's IPv4 address" vxlan evpn evnet --rr 10.200.0.1
refused "vxlan: invalid route reflector x: want another host's IPv4 address" vxlan evpn evnet --rr x
refused "vxlan: invalid client prefix 10.200.0.0: want ADDR/LEN" vxlan evpn evnet --rr-clients 10.200.0.0
refused "vxlan: invalid router ID a.b: want an IPv4 address" vxlan evpn evnet --rr 10.200.0.2 --router-id a.b
refused "vxlan: give --rr IP (the route reflector) or --rr-clients PREFIX (this host is one)" vxlan evpn evnet

# removal: the device goes, and zebra withdraws what it announced
ok "D: vxlan del" on D vxlan del evnet
testing "D's VXLAN device is gone" "ip -n hostD -o link show type vxlan | wc -l" "0
rc=0"
testing "D's state has no overlay" "ls /run/boxnet-D/vxlan" "rc=0"
no_d() { ! bridge -n hostB fdb show | grep -q 'dst 10.200.0.4'; }
ok "B stops flooding to D and forgets test-d" wait_long no_d
ok "test-b still reaches test-a" ip netns exec test-b ping -c 1 -W 2 172.18.0.11

for h in A B C D; do
	for d in bgpd zebra; do
		[ -f /run/frr/host$h/$d.pid ] && kill "$(cat /run/frr/host$h/$d.pid)" 2>/dev/null
	done
done
finish
