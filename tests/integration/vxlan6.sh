#!/bin/sh
# Issue 10, item 5: VXLAN and the overlay driver over an IPv6 underlay.
#
#                        ul (underlay switch: bridge ulbr)
#             +-------------------+--------------------+
#      hostA eth0 fd99::1      hostB eth0 fd99::2      hostC eth0 fd99::3
#           (+ 10.200.0.1)
#      [net6]--vx (VNI 10)     [net6]--vx              [net6]--vx
#        | a6 172.18.1.11        | b6 172.18.2.22        | c6 172.18.3.33
#      [ov6] overlay driver, dual-stack containers, A <-> B
#
# Each host runs boxnet with its own BOXNET_RUN_DIR inside its own namespace.
. "$(dirname "$0")/lib.sh"

export BOXNET_FIREWALL=${BOXNET_FIREWALL:-auto}
on() { h=$1; shift; ip netns exec "host$h" env BOXNET_RUN_DIR=/run/boxnet-$h "$BOXNET" "$@"; }

ip netns add ul
ip -n ul link add ulbr type bridge
ip -n ul link set ulbr up
n=1
for h in A B C; do
	ip netns add host$h
	ip -n host$h link set lo up
	ip link add ul$h netns ul type veth peer name eth0 netns host$h
	ip -n ul link set ul$h master ulbr up
	ip -n host$h addr add fd99::$n/64 dev eth0 nodad
	ip -n host$h link set eth0 up
	n=$((n + 1))
done
ip -n hostA addr add 10.200.0.1/24 dev eth0

n=1
for h in A B C; do
	ok "host $h: net6" on $h netcreate --subnet 172.18.0.0/16 --ip-range 172.18.$n.0/24 net6
	n=$((n + 1))
done
ok "A: overlay to B, local found by route" on A vxlan add net6 --vni 10 --remote fd99::2 --dev eth0
ok "B: overlay to A, underlay found by route" on B vxlan add net6 --vni 10 --remote fd99::1 --local fd99::2
ok "C: overlay to A (A does not list C)" on C vxlan add net6 --vni 10 --remote fd99::1

dev=$(on A vxlan ls | awk '$1 == "net6" {print $3}')
# the same device made by iproute2 (VNI 11 beside ours) reads back the same,
# and the kernel gives it the MTU we gave ours: the underlay's less 70
ip -n hostA link add vxref type vxlan id 11 local fd99::1 dev eth0 dstport 4789 nolearning
vxline() { ip -n hostA -d -o link show "$1" | grep -o 'vxlan id .*udp6zerocsumrx' | sed 's/vxlan id 1[01] /vxlan id N /'; }
testing "ip -d link show: as iproute2 sets it (local6, link, port, nolearning)" \
	"[ -n \"\$(vxline vxref)\" ] && [ \"\$(vxline $dev)\" = \"\$(vxline vxref)\" ] && vxline $dev | grep -o 'local fd99::1 dev eth0'" \
	"local fd99::1 dev eth0
rc=0"
mtu_of() { ip -n hostA -o link show "$1" | grep -o 'mtu [0-9]*'; }
testing "the VXLAN device's MTU is the kernel's own for an IPv6 underlay" \
	"echo \$(mtu_of $dev) \$(mtu_of vxref)" "mtu 1430 mtu 1430
rc=0"
ip -n hostA link del vxref
testing "the bridge MTU fits the overlay: 1500 - 70" "mtu_of br-$(on A netinspect -f {{.Id}} net6 | cut -c1-12)" "mtu 1430
rc=0"
# the flood entry, NDA_DST of 16 bytes, as `bridge fdb append` makes it
ip -n hostA link add vxref type vxlan id 11 local fd99::1 dev eth0 dstport 4789 nolearning
bridge -n hostA fdb append 00:00:00:00:00:00 dev vxref dst fd99::2 self permanent
fdbline() { bridge -n hostA fdb show dev "$1" | grep '^00:00:00:00:00:00' | sed "s/ dev $1//"; }
testing "flood list: B, as iproute2 writes it" \
	"[ \"\$(fdbline $dev)\" = \"\$(fdbline vxref)\" ] && fdbline $dev" \
	"00:00:00:00:00:00 dst fd99::2 self permanent
rc=0"
ip -n hostA link del vxref
testing "vxlan ls" "on A vxlan ls | sed 's/vx-[0-9a-f]\\{12\\}/vx-XXXXXXXXXXXX/'" \
	"NETWORK              VNI       DEVICE           UNDERLAY   PORT   PEERS
net6                 10        vx-XXXXXXXXXXXX  eth0       4789   fd99::2
rc=0"
testing "B's local address" "ip -n hostB -d -o link show type vxlan | grep -o 'local [^ ]* dev [^ ]*'" \
	"local fd99::2 dev eth0
rc=0"

for c in a b c; do ip netns add ${c}6; done
ok "a6 on A" on A netconnect --ip 172.18.1.11 net6 a6
ok "b6 on B" on B netconnect --ip 172.18.2.22 net6 b6
ok "c6 on C" on C netconnect --ip 172.18.3.33 net6 c6
ok "a6 pings b6 across the IPv6 underlay" ip netns exec a6 ping -c 2 -W 2 172.18.2.22
ok "b6 pings a6" ip netns exec b6 ping -c 2 -W 2 172.18.1.11
ok "1402-byte pings fit the 1430 MTU unfragmented" ip netns exec a6 ping -c 1 -W 2 -M do -s 1402 172.18.2.22
testing "1403 bytes do not" "ip netns exec a6 ping -c 1 -W 1 -M do -s 1403 172.18.2.22 >/dev/null 2>&1; echo \$?" "1
rc=0"

# only listed peers get in: C floods to A, A does not list C
testing "A drops VXLAN from C, not a peer" "ip netns exec c6 ping -c 2 -W 1 172.18.1.11 >/dev/null; echo \$?" "1
rc=0"
case "$(on A netfw status | head -1)" in
"backend: nft")
	testing "A's ip6 raw rules: B returns, the rest drops" \
		"ip netns exec hostA nft list table ip6 boxnet | grep 'udp dport 4789' | sed 's/^[[:space:]]*//; s/ *counter packets [0-9]* bytes [0-9]*//'" \
		"ip6 saddr fd99::2 udp dport 4789 return
udp dport 4789 drop
rc=0" ;;
"backend: iptables-nft")
	testing "A's ip6 raw rules: B returns, the rest drops" \
		"ip netns exec hostA ip6tables-nft-save -t raw 2>/dev/null | grep -- '--dport 4789'" \
		"-A BOXNET-RAW -s fd99::2/128 -p udp -m udp --dport 4789 -j RETURN
-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP
rc=0" ;;
*)
	testing "A's ip6 raw rules: B returns, the rest drops" \
		"ip netns exec hostA ip6tables-legacy-save -t raw | grep -- '--dport 4789'" \
		"-A BOXNET-RAW -s fd99::2/128 -p udp -m udp --dport 4789 -j RETURN
-A BOXNET-RAW -p udp -m udp --dport 4789 -j DROP
rc=0" ;;
esac
ok "A takes C as a peer" on A vxlan peer add net6 fd99::3
testing "A floods to B and C" "bridge -n hostA fdb show dev $dev | grep '^00:00:00:00:00:00' | awk '{print \$3}' | sort" \
	"fd99::2
fd99::3
rc=0"
ok "now C reaches A" ip netns exec c6 ping -c 2 -W 2 172.18.1.11
ok "A drops C again" on A vxlan peer del net6 fd99::3
testing "and C is refused again" "ip netns exec c6 ping -c 2 -W 1 172.18.1.11 >/dev/null; echo \$?" "1
rc=0"

# the overlay driver: dual-stack containers over the IPv6 underlay
ok "A: overlay network ov6, dual-stack" on A netcreate -d overlay --ipv6 --subnet 172.21.0.0/16 \
	--ip-range 172.21.1.0/24 --subnet fd21::/64 --ip-range fd21::1:0/112 \
	-o boxnet.overlay.peers=fd99::2 -o boxnet.overlay.local=fd99::1 ov6
ok "B: overlay network ov6" on B netcreate -d overlay --ipv6 --subnet 172.21.0.0/16 \
	--ip-range 172.21.2.0/24 --subnet fd21::/64 --ip-range fd21::2:0/112 -o boxnet.overlay.peers=fd99::1 ov6
br=br-$(on A netinspect -f '{{.Id}}' ov6 | cut -c1-12)
testing "its bridge has the IPv6 underlay's MTU" "mtu_of $br" "mtu 1430
rc=0"
testing "netinspect: peers, EnableIPv6" \
	"on A netinspect -f '{{.EnableIPv6}} {{index .Options \"boxnet.overlay.peers\"}} {{index .Options \"boxnet.overlay.local\"}}' ov6" \
	"true fd99::2 fd99::1
rc=0"
ip netns add x6
ip netns add y6
ok "x6 on A" on A netconnect --ip 172.21.1.5 --ip6 fd21::1:5 ov6 x6
ok "y6 on B" on B netconnect --ip 172.21.2.6 --ip6 fd21::2:6 ov6 y6
ok "x6 pings y6 over IPv4" ip netns exec x6 ping -c 2 -W 2 172.21.2.6
ok "x6 pings y6 over IPv6" ip netns exec x6 ping -6 -c 2 -W 2 fd21::2:6
ok "y6 pings x6 over IPv6, 1382 bytes unfragmented" ip netns exec y6 ping -6 -c 1 -W 2 -M do -s 1382 fd21::1:5
ok "A learns the name of B's y6, both families at once" on A vxlan name add ov6 y6 172.21.2.6 fd21::2:6
testing "x6's hosts file has y6 twice, IPv4 first" "grep '	y6\$' /etc/netns/x6/hosts | cut -f1" "172.21.2.6
fd21::2:6
rc=0"
ok "x6 pings y6 by name over IPv6" ip netns exec x6 ping -6 -c 1 -W 2 y6
ok "an IPv6 name alone replaces both" on A vxlan name add ov6 y6 fd21::2:6
testing "x6's hosts file has y6 once" "grep '	y6\$' /etc/netns/x6/hosts | cut -f1" "fd21::2:6
rc=0"

# an IPv6 multicast group instead of peers
on A netcreate --subnet 10.52.0.0/16 grp >/dev/null
ok "an overlay on IPv6 multicast group ff0e::42" on A vxlan add grp --vni 20 --group ff0e::42 --dev eth0
testing "GROUP6 and the link set, the MTU the IPv6 underlay's less 70" \
	"ip -n hostA -d -o link show type vxlan | grep -o 'vxlan id 20 group ff0e::42 dev eth0'; mtu_of br-\$(on A netinspect -f {{.Id}} grp | cut -c1-12)" \
	"vxlan id 20 group ff0e::42 dev eth0
mtu 1430
rc=0"
ok "vxlan del grp" on A vxlan del grp
on A netrm grp >/dev/null

# bad input: one line, and the host's kernel and state as they were
snapshot_host() {
	ip netns exec hostA sh -c 'ip -o link show; ip -o addr show scope global; ip -6 route show table all |
		grep -v -e fe80:: -e "^multicast"; ip -4 route show table all; bridge fdb show | grep -v -e 33:33: -e 01:00:5e
		ip xfrm state; ip xfrm policy; nft list ruleset 2>/dev/null
		ip6tables-legacy-save 2>/dev/null; iptables-legacy-save 2>/dev/null' |
		sed -e '/^#/d' -e 's/counter packets [0-9]* bytes [0-9]*//' -e 's/\[[0-9]*:[0-9]*\]//'
	find /run/boxnet-A -type f | sort | xargs md5sum
}
refused() {
	local want=$1 name
	shift
	name="refused: $*"
	snapshot_host >"$TMP/b" 2>&1
	on A "$@" >"$TMP/o" 2>"$TMP/e"
	rc=$?
	snapshot_host >"$TMP/a" 2>&1
	if [ $rc = 1 ] && [ "$(cat "$TMP/e")" = "$want" ] && [ ! -s "$TMP/o" ] && cmp -s "$TMP/a" "$TMP/b"; then
		pass "$name"
	else
		fail "$name" "rc=$rc: $(cat "$TMP/e")" "want: $want" "$(diff "$TMP/b" "$TMP/a")"
	fi
}
on A netcreate --subnet 10.50.0.0/16 other >/dev/null
on A netcreate --subnet 10.51.0.0/16 v4net >/dev/null
on A vxlan add v4net --vni 40 --remote 10.200.0.2 --dev eth0 >/dev/null
M="the underlay is either IPv4 or IPv6"
refused "vxlan: 10.200.0.1 and fd99::2 are of different families: $M" \
	vxlan add other --vni 11 --local 10.200.0.1 --remote fd99::2
refused "vxlan: fd99::2 and 10.200.0.2 are of different families: $M" \
	vxlan add other --vni 11 --remote fd99::2 --remote 10.200.0.2
refused "vxlan: fd99::1 and 10.200.0.2 are of different families: $M" \
	vxlan add other --vni 11 --local fd99::1 --remote 10.200.0.2 --dev eth0
refused "vxlan: 10.200.0.1 and ff0e::1 are of different families: $M" \
	vxlan add other --vni 11 --local 10.200.0.1 --group ff0e::1 --dev eth0
refused "vxlan: link-local address fe80::2 needs --dev: the link it is on" vxlan add other --vni 11 --remote fe80::2
refused "vxlan: invalid address fd22::1: not in network ov6" vxlan name add ov6 z fd22::1
refused "vxlan: two addresses of one family: fd21::2:8" vxlan name add ov6 z fd21::2:7 fd21::2:8
refused "vxlan: invalid address 172.21.2.300" vxlan name add ov6 z 172.21.2.300
refused "vxlan: link-local address fe80::1 needs --dev: the link it is on" \
	vxlan add other --vni 11 --local fe80::1 --remote fd99::2
refused "vxlan: invalid peer ff02::1: want a unicast IP address" vxlan add other --vni 11 --remote ff02::1
refused "vxlan: invalid peer ::: want a unicast IP address" vxlan add other --vni 11 --remote ::
refused "vxlan: invalid peer ::1: want a unicast IP address" vxlan add other --vni 11 --remote ::1
refused "vxlan: invalid peer 255.255.255.255: want a unicast IP address" vxlan add other --vni 11 --remote 255.255.255.255
refused "vxlan: invalid peer [fd99::2]: want a unicast IP address" vxlan add other --vni 11 --remote '[fd99::2]'
refused "vxlan: invalid peer fd99::2/64: want a unicast IP address" vxlan add other --vni 11 --remote fd99::2/64
refused "vxlan: invalid multicast group fd99::5: want 224.0.0.0/4 or ff00::/8" \
	vxlan add other --vni 11 --group fd99::5 --dev eth0
refused "vxlan: invalid local address fd99::9: not an address of this host" \
	vxlan add other --vni 11 --local fd99::9 --remote fd99::2
refused "vxlan: VNI 10 is already used by network net6" vxlan add other --vni 10 --remote fd99::2
refused "vxlan: an IPv6 underlay is for a static, unencrypted overlay only: fd99::1 is IPv6" \
	vxlan add other --vni 11 --control evpn --local fd99::1
refused "vxlan: invalid peer 10.200.0.3: want a unicast IPv6 address, as the underlay" \
	vxlan peer add net6 10.200.0.3
refused "vxlan: invalid peer fd99::3: want a unicast IPv4 address, as the underlay" \
	vxlan peer add v4net fd99::3
refused "vxlan: invalid peer ff02::2: want a unicast IPv6 address, as the underlay" vxlan peer add net6 ff02::2
refused "vxlan: fd99::2 is already a peer of net6" vxlan peer add net6 fd99::2
refused "vxlan: fd99::3 is not a peer of net6" vxlan peer del net6 fd99::3
S="--subnet 172.22.0.0/16"
refused "netcreate: fd99::2 and 10.200.0.2 are of different families: $M" \
	netcreate -d overlay $S -o boxnet.overlay.peers=fd99::2,10.200.0.2 bad
refused "netcreate: 10.200.0.1 and fd99::2 are of different families: $M" \
	netcreate -d overlay $S -o boxnet.overlay.peers=fd99::2 -o boxnet.overlay.local=10.200.0.1 bad
refused "netcreate: an IPv6 underlay is for a static, unencrypted overlay only: fd99::2 is IPv6" \
	netcreate -d overlay $S -o boxnet.overlay.peers=fd99::2 --opt encrypted bad
refused "netcreate: an IPv6 underlay is for a static, unencrypted overlay only: fd99::1 is IPv6" \
	netcreate -d overlay $S -o boxnet.overlay.control=evpn -o boxnet.overlay.local=fd99::1 bad
refused "netcreate: an overlay network with --ipv6 needs an IPv6 --subnet: every host must use the same one" \
	netcreate -d overlay --ipv6 $S -o boxnet.overlay.peers=fd99::2 bad
refused "netcreate: link-local address fe80::2 needs --dev: the link it is on" \
	netcreate -d overlay $S -o boxnet.overlay.peers=fe80::2 bad

# everything goes with its network
on A netdisconnect ov6 x6
ok "netrm ov6" on A netrm ov6
on A netdisconnect net6 a6
ok "netrm net6" on A netrm net6
on A netrm v4net >/dev/null
testing "no VXLAN device left on A" "ip -n hostA -o link show type vxlan | wc -l" "0
rc=0"
testing "nor a flood entry" "bridge -n hostA fdb show | grep -c fd99::" "0
rc=1"

finish
