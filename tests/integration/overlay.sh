#!/bin/sh
# Issue 11: netcreate -d overlay, the same network on several hosts.
#
#                        ul (underlay switch: bridge ulbr)
#             +-------------------+--------------------+
#      hostA eth0 10.200.0.1   hostB eth0 10.200.0.2   hostC eth0 10.200.0.3
#      [ovnet]--vx             [ovnet]--vx             (no overlay: "another host")
#        | web .1.x              | db .2.x
#
# Each host runs boxnet with its own BOXNET_RUN_DIR inside its own namespace.
. "$(dirname "$0")/lib.sh"

export BOXNET_FIREWALL=${BOXNET_FIREWALL:-auto}

underlay_host A 1
underlay_host B 2
underlay_host C 3

ok "A: overlay ovnet, peer B" on A netcreate -d overlay --attachable --subnet 172.20.0.0/16 \
	--ip-range 172.20.1.0/24 -o boxnet.overlay.peers=10.200.0.2 ovnet
ok "B: overlay ovnet, peer A" on B netcreate -d overlay --attachable --subnet 172.20.0.0/16 \
	--ip-range 172.20.2.0/24 -o boxnet.overlay.peers=10.200.0.1 ovnet

vni_of() { ip -n host$1 -d -o link show type vxlan | grep -o 'vxlan id [0-9]*' | awk '{print $3}'; }
va=$(vni_of A) vb=$(vni_of B)
testing "the VNI comes from the name: the same on both hosts, in 4096-16777215" \
	"[ -n '$va' ] && [ '$va' = '$vb' ] && [ '$va' -ge 4096 ] && [ '$va' -le 16777215 ]" "rc=0"
br=br-$(on A netinspect -f '{{.Id}}' ovnet | cut -c1-12)
dev=$(on A vxlan ls | awk 'NR==2 {print $3}')
testing "A's VXLAN device is a port of the network's bridge" \
	"ip -n hostA -o link show $dev | grep -o 'master [^ ]*'" "master $br
rc=0"
testing "underlay found by route: eth0, local 10.200.0.1, nolearning" \
	"ip -n hostA -d link show $dev | grep -o 'local 10.200.0.1 dev eth0 .*dstport 4789 nolearning' | sed 's/srcport.*dstport/dstport/'" \
	"local 10.200.0.1 dev eth0 dstport 4789 nolearning
rc=0"
testing "flood list: B" "bridge -n hostA fdb show dev $dev | grep ^00:00:00:00:00:00 | awk '{print \$3}'" \
	"10.200.0.2
rc=0"
testing "the MTU is the underlay's less 50" \
	"ip -n hostA -o link show $br | grep -o 'mtu [0-9]*'" "mtu 1450
rc=0"
testing "netls lists it as overlay" "on A netls -f driver=overlay --format '{{.Name}} {{.Driver}}'" \
	"ovnet overlay
rc=0"
testing "netinspect: Driver, Attachable, VNI, peers" \
	"on A netinspect -f '{{.Driver}} {{.Attachable}} {{index .Options \"com.docker.network.driver.overlay.vxlanid_list\"}} {{index .Options \"boxnet.overlay.peers\"}}' ovnet" \
	"overlay true $va 10.200.0.2
rc=0"

ip netns add web
ip netns add db
ok "web on A" on A netconnect ovnet web
ok "db on B" on B netconnect ovnet db
ipa=$(ip -n web -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
ipb=$(ip -n db -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
testing "each host's addresses from its own range" "echo $ipa $ipb" "172.20.1.0 172.20.2.0
rc=0"
testing "containers get the overlay MTU" "ip -n web -o link show eth0 | grep -o 'mtu [0-9]*'" "mtu 1450
rc=0"
ok "A learns the name of B's db" on A vxlan name add ovnet db "$ipb"
ok "B learns the name of A's web" on B vxlan name add ovnet web "$ipa"
ok "web pings db by name across hosts" ip netns exec web ping -c 2 -W 2 db
ok "db pings web by name" ip netns exec db ping -c 2 -W 2 web
ok "1422-byte pings fit the 1450 MTU unfragmented" ip netns exec web ping -c 1 -W 2 -M do -s 1422 db

# peers: the flood list, the filter and netinspect follow vxlan peer add/del
ok "A: peer add C" on A vxlan peer add ovnet 10.200.0.3
testing "flood list: B and C" "bridge -n hostA fdb show dev $dev | grep ^00:00:00:00:00:00 | awk '{print \$3}' | sort" \
	"10.200.0.2
10.200.0.3
rc=0"
testing "netinspect shows the peers now" "on A netinspect -f '{{index .Options \"boxnet.overlay.peers\"}}' ovnet" \
	"10.200.0.2,10.200.0.3
rc=0"
ok "A: peer del B" on A vxlan peer del ovnet 10.200.0.2
ok "web no longer reaches db" sh -c "! ip netns exec web ping -c 2 -W 1 db"
ok "A: peer add B again" on A vxlan peer add ovnet 10.200.0.2
ok "and reaches it again" ip netns exec web ping -c 2 -W 2 db
ok "A: peer del C" on A vxlan peer del ovnet 10.200.0.3

# explicit VNI, underlay device and local address
ok "A: ov2 with VNI 5000, dev and local" on A netcreate -d overlay --subnet 172.21.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=5000 -o boxnet.overlay.dev=eth0 \
	-o boxnet.overlay.local=10.200.0.1 ov2
testing "VNI 5000 on eth0 from 10.200.0.1" \
	"ip -n hostA -d -o link show type vxlan | grep -o 'vxlan id 5000 local 10.200.0.1 dev eth0'" \
	"vxlan id 5000 local 10.200.0.1 dev eth0
rc=0"

# bad input: clear errors, kernel and state unchanged
snapshot_host() {
	ip netns exec hostA sh -c 'ip -o link show; ip -4 -o addr show; bridge fdb show | grep -v permanent$ | sort;
		bridge fdb show | grep " dst " | sort; ip xfrm state; ip xfrm policy'
	ls -R /run/boxnet-A | sort; find /run/boxnet-A -type f | sort | xargs md5sum
	on A netfw show
}
refused() { refused_on A "$@"; }
P="-o boxnet.overlay.peers=10.200.0.2"
refused "netcreate: invalid VNI 16777216: want 1 to 16777215" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=16777216 $P bad
refused "netcreate: invalid VNI 0: want 1 to 16777215" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=0 $P bad
refused "netcreate: invalid VNI ten: want 1 to 16777215" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=ten $P bad
refused "netcreate: VNI 5000 is already used by network ov2" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=5000 $P bad
refused "netcreate: VNI $va is already used by network ovnet" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o com.docker.network.driver.overlay.vxlanid_list=$va $P bad
refused "netcreate: invalid peer x.y: want a unicast IP address" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o boxnet.overlay.peers=10.200.0.2,x.y bad
refused "netcreate: invalid peer 239.1.1.1: want a unicast IP address" netcreate -d overlay \
	--subnet 172.22.0.0/16 -o boxnet.overlay.peers=239.1.1.1 bad
refused "netcreate: an overlay network needs --subnet: every host must use the same one" \
	netcreate -d overlay $P bad
refused "netcreate: an overlay network needs -o boxnet.overlay.peers=IP[,IP]... or -o boxnet.overlay.dev=IFACE" \
	netcreate -d overlay --subnet 172.22.0.0/16 bad
refused "netcreate: underlay device eth9 not found" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o boxnet.overlay.dev=eth9 bad
refused "netcreate: invalid local address 10.9.9.9: not an address of this host" netcreate -d overlay \
	--subnet 172.22.0.0/16 -o boxnet.overlay.local=10.9.9.9 $P bad
refused "netcreate: unknown overlay option boxnet.overlay.peer" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o boxnet.overlay.peer=10.200.0.2 bad
refused "netcreate: option boxnet.overlay.peers is for the overlay driver only" netcreate \
	--subnet 172.22.0.0/16 $P bad
refused "netcreate: option com.docker.network.driver.overlay.vxlanid_list is for the overlay driver only" \
	netcreate -o com.docker.network.driver.overlay.vxlanid_list=7 bad
refused "netcreate: option encrypted is for the overlay driver only" netcreate --opt encrypted bad
refused "netcreate: plugin \"macvlan\" not found" netcreate -d macvlan bad
refused "netcreate: Pool overlaps with other one on this address space" netcreate -d overlay \
	--subnet 172.20.0.0/16 $P bad
refused "netcreate: an overlay network with --ipv6 needs an IPv6 --subnet: every host must use the same one" \
	netcreate -d overlay --ipv6 --subnet 172.22.0.0/16 $P bad
refused "netcreate: IPv6 address fd00:1::/64 given for a network without --ipv6" \
	netcreate -d overlay --subnet 172.22.0.0/16 --subnet fd00:1::/64 $P bad
E="-o boxnet.overlay.control=evpn"
refused "netcreate: an EVPN overlay takes no boxnet.overlay.peers nor encrypted: BGP EVPN finds the peers" \
	netcreate -d overlay --subnet 172.22.0.0/16 $E -o boxnet.overlay.local=10.200.0.1 $P bad
refused "netcreate: an EVPN overlay takes no boxnet.overlay.peers nor encrypted: BGP EVPN finds the peers" \
	netcreate -d overlay --subnet 172.22.0.0/16 $E -o boxnet.overlay.local=10.200.0.1 --opt encrypted bad
refused "netcreate: an EVPN overlay needs -o boxnet.overlay.local=IP: the VTEP address BGP announces" \
	netcreate -d overlay --subnet 172.22.0.0/16 $E bad
refused "netcreate: invalid control bgp: want static or evpn" netcreate -d overlay --subnet 172.22.0.0/16 \
	-o boxnet.overlay.control=bgp $P bad
refused "vxlan: network ovnet is an overlay network: netrm removes its VXLAN device with it" vxlan del ovnet
refused "vxlan: network ovnet already has an overlay (VNI $va)" vxlan add ovnet --vni 77 --remote 10.200.0.2

# netrm leaves nothing behind: devices, fdb entries, state
ok "web leaves" on A netdisconnect ovnet web
ok "netrm ovnet ov2" on A netrm ovnet ov2
testing "no VXLAN device left" "ip -n hostA -o link show type vxlan | wc -l" "0
rc=0"
testing "no bridge left but boxnet0" "ip -n hostA -o link show type bridge | awk '{print \$2}'" "boxnet0:
rc=0"
testing "no flood entries left" "bridge -n hostA fdb show | grep -c 10.200.0" "0
rc=1"
testing "no overlay in the state" "ls /run/boxnet-A/vxlan | wc -l" "0
rc=0"
testing "no VXLAN rule left" "on A netfw show | grep -c 4789" "0
rc=1"

# -o boxnet.overlay.control=evpn: the device vxlan add --control evpn makes
ok "A: EVPN overlay evnet" on A netcreate -d overlay --subnet 172.23.0.0/16 $E \
	-o boxnet.overlay.local=10.200.0.1 evnet
vx=$(ip -n hostA -o link show type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1)
testing "evnet: a port with learning off and neigh_suppress on" \
	"bridge -n hostA -d link show dev $vx | grep -o -e 'learning [a-z]*' -e 'neigh_suppress [a-z]*'" \
	"learning off
neigh_suppress on
rc=0"
testing "evnet: the state records control=evpn" "grep ^control= /run/boxnet-A/vxlan/evnet" "control=evpn
rc=0"
testing "evnet: no peer filter" "on A netfw show | grep -c 4789" "0
rc=1"
# a static overlay beside it needs a UDP port of its own: its peer filter
# would drop the VTEPs BGP finds
S="-d overlay --subnet 172.24.0.0/16 -o boxnet.overlay.peers=10.200.0.2"
refused "netcreate: port 4789 is used by EVPN overlay evnet, and a peer filter would drop EVPN's VTEPs: give another --port (netcreate: -o boxnet.overlay.port=N)" \
	netcreate $S stnet
refused "netcreate: invalid port 0: want 1 to 65535" netcreate $S -o boxnet.overlay.port=0 stnet
ok "A: static overlay stnet on port 4790" on A netcreate $S -o boxnet.overlay.port=4790 stnet
dev=$(on A vxlan ls | awk '$1 == "stnet" {print $3}')
testing "stnet: its device and vxlan ls say port 4790" \
	"ip -n hostA -d link show $dev | grep -o 'dstport [0-9]*'; on A vxlan ls | awk '\$1 == \"stnet\" {print \$5}'" \
	"dstport 4790
4790
rc=0"
ok "netrm stnet" on A netrm stnet
ok "netrm evnet" on A netrm evnet
testing "evnet: no VXLAN device left" "ip -n hostA -o link show type vxlan | wc -l" "0
rc=0"
finish
