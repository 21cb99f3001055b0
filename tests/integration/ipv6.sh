#!/bin/sh
# IPv6 (netcreate --ipv6): dual-stack and IPv6-only networks, containers with
# IPv6 addresses usable at once, reachable by name, routed by default through
# the gateway; what netinspect and netls show; forwarding held and given back;
# everything gone again after disconnect and netrm.
#
#   a --veth--+                     +--veth-- c (also on ds)
#   b --veth--+ [br ds: 10.x + ULA] [br v6o: fd00:beef::/64, no IPv4]
#
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
# the firewall backend (auto) holds the forwarding sysctls; its rules stay IPv4
ip link add uplink0 type veth peer name uplink1
ip link set uplink0 up
ip -6 addr add 2001:db8:ff::15/64 dev uplink0 nodad
ip -6 route add default via 2001:db8:ff::1 dev uplink0

# the kernel's IPv6 state before: compared with the state after the last netrm
v6state() {
	ip -6 -o addr show scope global
	ip -6 route show table all | grep -v 'fe80::'
	ip -6 rule show
	cat /proc/sys/net/ipv6/conf/all/forwarding
}
v6state >"$TMP/v6.before"
fwd6() { cat /proc/sys/net/ipv6/conf/all/forwarding; }
testing "IPv6 forwarding is off before any network" fwd6 "0
rc=0"

# --- the automatic ULA subnet ------------------------------------------------------
bx netcreate --ipv6 probe >/dev/null
s1=$(bx netinspect -f '{{json .IPAM.Config}}' probe | jq -r '.[1].Subnet')
testing "--ipv6 without a subnet takes a /64 of fd00::/8" \
	"echo $s1 | grep -cE '^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64\$'" "1
rc=0"
bx netrm probe >/dev/null
bx netcreate --ipv6 probe >/dev/null
testing "the ULA /48 is stable: the same /64 again" \
	"bx netinspect -f '{{json .IPAM.Config}}' probe | jq -r '.[1].Subnet'" "$s1
rc=0"
bx netrm probe >/dev/null
testing "machine-id seeds it: no seed file kept" "ls /run/boxnet/ula_seed 2>/dev/null | wc -l" "0
rc=0"
# a route into that /64 (a host's own LAN, say): the next /64 of the same /48
ip -6 route add "$s1" dev uplink0
bx netcreate --ipv6 probe >/dev/null
s2=$(bx netinspect -f '{{json .IPAM.Config}}' probe | jq -r '.[1].Subnet')
p48() { echo "$1" | cut -d: -f1-3; }
testing "a routed /64 is skipped, within the same /48" \
	"[ $s2 != $s1 ] && [ $(p48 $s1) = $(p48 $s2) ] && echo different" "different
rc=0"
bx netrm probe >/dev/null
ip -6 route del "$s1" dev uplink0
# without /etc/machine-id: a random seed, kept in the state, so still stable
mount --bind /dev/null /etc/machine-id
bx netcreate --ipv6 probe >/dev/null
r1=$(bx netinspect -f '{{json .IPAM.Config}}' probe | jq -r '.[1].Subnet')
testing "without machine-id the seed is random and kept" "wc -c </run/boxnet/ula_seed" "32
rc=0"
bx netcreate --ipv6 probe2 >/dev/null
r2=$(bx netinspect -f '{{json .IPAM.Config}}' probe2 | jq -r '.[1].Subnet')
testing "the kept seed gives the same /48" "[ $(p48 $r1) = $(p48 $r2) ] && [ $r1 != $r2 ] && echo same" "same
rc=0"
bx netrm probe probe2 >/dev/null
umount /etc/machine-id

# --- a dual-stack network -------------------------------------------------------
bx netcreate --ipv6 --subnet fd00:ab::/64 --subnet 10.77.0.0/24 ds >/dev/null
# the global IPv6 addresses of a namespace (ip ARGS) with their last flag
addrs6() { ip "$@" -6 -o addr show scope global | sed 's/ *\\ .*//' | awk '{print $4, $NF}'; }
br=$(bx netinspect -f '{{json .Options}}' ds >/dev/null; grep ^bridge= /run/boxnet/networks/ds | cut -d= -f2)
testing "the bridge has the IPv6 gateway, usable at once (nodad, not tentative)" \
	"ip -6 -o addr show dev $br scope global | sed 's/ *\\\\ .*//' | awk '{print \$4, \$NF}'; ip -6 -o addr show dev $br | grep tentative | wc -l" \
	"fd00:ab::1/64 nodad
0
rc=0"
ip netns add a
ip netns add b
ip netns add c
ok "a joins ds" bx netconnect ds a
ok "b joins ds" bx netconnect ds b
testing "a and b got ::2 and ::3, not tentative" \
	"addrs6 -n a; addrs6 -n b" \
	"fd00:ab::2/64 nodad
fd00:ab::3/64 nodad
rc=0"
testing "IPv4 as before" "ip -n a -4 -o addr show dev eth0 | awk '{print \$4}'" "10.77.0.2/24
rc=0"
testing "the IPv6 default route via the gateway" "ip -n a -6 route show default" \
	"default via fd00:ab::1 dev eth0 metric 1024 pref medium
rc=0"
testing "the host end of the veth has no global address" \
	"for v in \$(ip -o link show master $br | awk -F': ' '{print \$2}' | cut -d@ -f1); do ip -6 -o addr show dev \$v scope global; done | wc -l" "0
rc=0"
testing "a's hosts file names b over both families" "grep -P '\tb\$' /etc/netns/a/hosts" \
	"10.77.0.3	b
fd00:ab::3	b
rc=0"
ok "a pings b over IPv6 by name, at once" ip netns exec a ping -6 -c1 -W2 b
ok "b pings the IPv6 gateway" ip netns exec b ping -6 -c1 -W2 fd00:ab::1
ok "busybox ping too" ip netns exec b busybox ping -6 -c1 -W2 a
testing "IPv6 forwarding is on while a network has endpoints" fwd6 "1
rc=0"
testing "netinspect: EnableIPv6, both configs, IPv6Address" \
	"bx netinspect ds | jq -c '.[0] | [.EnableIPv6, .IPAM.Config, ([.Containers[] | .IPv6Address] | sort)]'" \
	'[true,[{"Subnet":"10.77.0.0/24","Gateway":"10.77.0.1"},{"Subnet":"fd00:ab::/64","Gateway":"fd00:ab::1"}],["fd00:ab::2/64","fd00:ab::3/64"]]
rc=0'
testing "netls: the IPv4 and IPv6 columns" \
	"bx netls --format '{{.Name}} {{.IPv4}} {{.IPv6}}' | grep -E '^(ds|bridge) '" \
	"bridge true false
ds true true
rc=0"
ok "--ip6 picks an address" bx netconnect --ip6 fd00:ab::99 ds c
testing "c has it" "ip -n c -6 -o addr show dev eth0 scope global | awk '{print \$4}'" "fd00:ab::99/64
rc=0"

# --- an IPv6-only network ---------------------------------------------------------
bx netcreate --ipv6 --ipv4=false --subnet fd00:beef::/64 --ip-range fd00:beef::100/120 v6o >/dev/null
testing "IPv6-only: one IPAM config, IPv4 false" \
	"bx netinspect v6o | jq -c '.[0] | [.EnableIPv6, .IPAM.Config]'; bx netls --format '{{.Name}} {{.IPv4}} {{.IPv6}}' | grep '^v6o '" \
	'[true,[{"Subnet":"fd00:beef::/64","IPRange":"fd00:beef::100/120","Gateway":"fd00:beef::1"}]]
v6o false true
rc=0'
ok "c joins v6o" bx netconnect v6o c
testing "c's eth1: an address from the range, no IPv4" \
	"ip -n c -6 -o addr show dev eth1 scope global | awk '{print \$4}'; ip -n c -4 -o addr show dev eth1 | wc -l" \
	"fd00:beef::100/64
0
rc=0"
testing "netinspect shows no IPv4 address there" \
	"bx netinspect v6o | jq -r '.[0].Containers[] | .IPv4Address + \"|\" + .IPv6Address'" "|fd00:beef::100/64
rc=0"
testing "the gateway of c stays ds's" "ip -n c -6 route show default" \
	"default via fd00:ab::1 dev eth0 metric 1024 pref medium
rc=0"
ok "c leaves ds" bx netdisconnect ds c
testing "the IPv6 default route moved to v6o, and there is no IPv4 one" \
	"ip -n c -6 route show default; ip -n c -4 route show default | wc -l" \
	"default via fd00:beef::1 dev eth1 metric 1024 pref medium
0
rc=0"
testing "c's hosts: host.docker.internal is v6o's gateway" "grep host.docker.internal /etc/netns/c/hosts" \
	"fd00:beef::1	host.docker.internal
rc=0"
ok "c pings v6o's gateway" ip netns exec c ping -6 -c1 -W2 fd00:beef::1

# --- each family's default route from the first network that has it --------------
# as Docker: a v4-only first network gives the IPv4 route, a later dual-stack
# one the IPv6 route; each moves on its own when its network goes
bx netcreate --subnet 10.78.0.0/24 v4o >/dev/null
ip netns add d
defaults() { ip -n d -4 route show default; ip -n d -6 route show default; }
ok "d joins v4o (IPv4 only)" bx netconnect v4o d
testing "d: an IPv4 default route, no IPv6 one" defaults "default via 10.78.0.1 dev eth0 
rc=0"
# no IPv6 on an IPv4-only network's interface, as Docker: not even a
# link-local address, whose DAD and router solicitations the bridge would
# flood to every container of the network
testing "d's eth0 on v4o has no IPv6 address, not even a link-local one" "ip -n d -6 -o addr show dev eth0" "rc=0"
hostend() { sed -n "s/^veth=//p" /run/boxnet/endpoints/$1/d; }
testing "nor its host end (no address, no IPv6 route but multicast's)" \
	"ip -6 -o addr show dev \$(hostend v4o); ip -6 route show table all dev \$(hostend v4o) | grep -vc '^multicast ff00::/8'" "0
rc=1"
testing "nor did it send any IPv6 packet onto the bridge" \
	"ip netns exec d cat /proc/net/snmp6 | awk '\$1 == \"Ip6OutRequests\" || \$1 == \"Icmp6OutMsgs\" { print \$2 }'" "0
0
rc=0"
ok "d joins ds (dual-stack)" bx netconnect ds d
testing "d's eth1 on ds has its link-local address" "ip -n d -6 -o addr show dev eth1 scope link | grep -c 'inet6 fe80::'" "1
rc=0"
ok "and its host end on ds has one" wait_for sh -c "ip -6 -o addr show dev $(hostend ds) scope link | grep -q 'inet6 fe80::'"
testing "d: IPv4 still via v4o, IPv6 via ds's gateway" defaults "default via 10.78.0.1 dev eth0 
default via fd00:ab::1 dev eth1 metric 1024 pref medium
rc=0"
ok "d reaches an IPv6 address off its links (v6o's gateway) by that route" \
	ip netns exec d ping -6 -c1 -W2 fd00:beef::1
ok "d joins v6o" bx netconnect v6o d
testing "the IPv6 route stays ds's" "ip -n d -6 route show default" \
	"default via fd00:ab::1 dev eth1 metric 1024 pref medium
rc=0"
ok "d leaves ds" bx netdisconnect ds d
testing "the IPv6 route moved to v6o, the IPv4 one stayed" defaults "default via 10.78.0.1 dev eth0 
default via fd00:beef::1 dev eth2 metric 1024 pref medium
rc=0"
ok "d leaves v6o" bx netdisconnect v6o d
testing "no IPv6 network left: no IPv6 default route" defaults "default via 10.78.0.1 dev eth0 
rc=0"
ok "d joins ds again" bx netconnect ds d
ok "d leaves v4o" bx netdisconnect v4o d
testing "the IPv4 route moved to ds, which already gave the IPv6 one" defaults \
	"default via 10.77.0.1 dev eth1 
default via fd00:ab::1 dev eth1 metric 1024 pref medium
rc=0"
ok "d leaves ds" bx netdisconnect ds d
# the other way round: an IPv6-only first network, then an IPv4-only one
ip netns add e
ok "e joins v6o (IPv6 only), then v4o" sh -c "$BOXNET netconnect v6o e && $BOXNET netconnect v4o e"
testing "e: IPv6 via v6o, IPv4 via v4o" "ip -n e -4 route show default; ip -n e -6 route show default" \
	"default via 10.78.0.1 dev eth1 
default via fd00:beef::1 dev eth0 metric 1024 pref medium
rc=0"
ok "e leaves both" sh -c "$BOXNET netdisconnect v4o e && $BOXNET netdisconnect v6o e"
ok "netrm v4o" bx netrm v4o

# --- an existing bridge: netrm takes only boxnet's addresses ---------------------
ip link add brpre type bridge
ip link set brpre up
bx netcreate --ipv6 --subnet fd00:cafe::/64 -o com.docker.network.bridge.name=brpre pre >/dev/null
testing "the IPv6 gateway on a bridge boxnet did not make" \
	"ip -6 -o addr show dev brpre scope global | awk '{print \$4}'" "fd00:cafe::1/64
rc=0"
ok "netrm pre" bx netrm pre
testing "the bridge stays, without the address" \
	"ip -o link show brpre | wc -l; ip -6 -o addr show dev brpre scope global | wc -l" "1
0
rc=0"
ip link del brpre

# --- taking it all down ------------------------------------------------------------
ok "a leaves" bx netdisconnect ds a
testing "the address is free again: a gets ::2 back" \
	"bx netconnect ds a && ip -n a -6 -o addr show scope global | awk '{print \$4}'" "fd00:ab::2/64
rc=0"
ok "a leaves again" bx netdisconnect ds a
ok "b leaves" bx netdisconnect ds b
testing "forwarding stays on while v6o has an endpoint" fwd6 "1
rc=0"
ok "c leaves v6o" bx netdisconnect v6o c
testing "IPv6 forwarding given back with the last endpoint" fwd6 "0
rc=0"
ok "netrm ds v6o" bx netrm ds v6o
v6state >"$TMP/v6.after"
testing "IPv6 addresses, routes, rules and forwarding as before" \
	"diff $TMP/v6.before $TMP/v6.after && echo same" "same
rc=0"
testing "the containers have no global IPv6 address left" \
	"ip -n a -6 -o addr show scope global | wc -l; ip -n c -6 -o addr show scope global | wc -l" "0
0
rc=0"
finish
