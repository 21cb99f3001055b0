#!/bin/sh
# slow: against every binary, in a shared lane of run.sh (one of the longest scripts)
# Bad input for the network applets: each case fails with one clear line
# "APPLET: reason" and the documented exit code, and leaves links, addresses,
# routes, namespaces and the state directory byte-identical.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=none
bx netcreate --subnet 172.30.0.0/16 taken >/dev/null
bx netcreate --subnet 10.9.0.0/24 tiny >/dev/null
bx netcreate auto >/dev/null
ip netns add c1
ip netns add c2
bx netconnect --ip 10.9.0.5 tiny c1
bx netconnect taken c1
ip link add notabridge type veth peer name notabridge2

# refused CODE "EXPECTED STDERR" CMD...: exit CODE, exactly that stderr, nothing changed
refused() {
	local code=$1 want=$2 name
	shift 2
	name="refused: $*"
	snapshot "$TMP/before"
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	snapshot "$TMP/after"
	if [ $rc != "$code" ]; then
		fail "$name" "exit $rc, want $code" "$(cat "$TMP/err")"
	elif [ "$(cat "$TMP/err")" != "$want" ]; then
		fail "$name" "stderr: $(cat "$TMP/err")" "want:   $want"
	elif [ -s "$TMP/out" ]; then
		fail "$name" "stdout not empty: $(cat "$TMP/out")"
	elif ! cmp -s "$TMP/before" "$TMP/after"; then
		fail "$name" "something changed:" "$(diff "$TMP/before" "$TMP/after")"
	else
		pass "$name"
	fi
}
# usage ARGS: exit 2, the usage on stderr, after at most one "APPLET: " line
usage() {
	local name="usage: $*"
	snapshot "$TMP/before"
	bx "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	snapshot "$TMP/after"
	bx "$1" --help >"$TMP/help"
	grep -v "^$1: " "$TMP/err" >"$TMP/err2"
	if [ $rc = 2 ] && cmp -s "$TMP/err2" "$TMP/help" && [ ! -s "$TMP/out" ] &&
		[ "$(grep -c "^$1: " "$TMP/err")" -le 1 ] && cmp -s "$TMP/before" "$TMP/after"; then
		pass "$name"
	else
		fail "$name" "exit $rc" "$(head -3 "$TMP/err")"
	fi
}

# netcreate
refused 1 "netcreate: network with name taken already exists" bx netcreate taken
refused 1 "netcreate: network with name bridge already exists" bx netcreate bridge
refused 1 'netcreate: invalid network name "a/b": use letters, digits, '"'_', '.' and '-' (64 at most)" bx netcreate a/b
refused 1 'netcreate: invalid network name "..": use letters, digits, '"'_', '.' and '-' (64 at most)" bx netcreate ..
refused 1 'netcreate: invalid network name "-x": use letters, digits, '"'_', '.' and '-' (64 at most)" bx netcreate -- -x
refused 1 "netcreate: invalid network name \"$(printf 'n%.0s' $(seq 65))\": use letters, digits, '_', '.' and '-' (64 at most)" \
	bx netcreate "$(printf 'n%.0s' $(seq 65))"
refused 1 "netcreate: Invalid subnet 300.1.0.0/16 : invalid CIDR address: 300.1.0.0/16" bx netcreate --subnet 300.1.0.0/16 x
refused 1 "netcreate: Invalid subnet 10.0.0.0/33 : invalid CIDR address: 10.0.0.0/33" bx netcreate --subnet 10.0.0.0/33 x
refused 1 "netcreate: Invalid subnet 10.0.0.0 : invalid CIDR address: 10.0.0.0" bx netcreate --subnet 10.0.0.0 x
refused 1 "netcreate: invalid subnet 10.5.0.1/16: it should be 10.5.0.0/16" bx netcreate --subnet 10.5.0.1/16 x
refused 1 "netcreate: invalid subnet 10.5.0.0/31: prefix length must be 8 to 30" bx netcreate --subnet 10.5.0.0/31 x
refused 1 "netcreate: Pool overlaps with other one on this address space" bx netcreate --subnet 172.30.5.0/24 x
refused 1 "netcreate: Pool overlaps with other one on this address space" bx netcreate --subnet 172.0.0.0/8 x
refused 1 "netcreate: no matching subnet for gateway 10.6.0.1" bx netcreate --subnet 10.5.0.0/16 --gateway 10.6.0.1 x
refused 1 "netcreate: invalid gateway 10.5.0.0: network or broadcast address" bx netcreate --subnet 10.5.0.0/16 --gateway 10.5.0.0 x
refused 1 "netcreate: invalid gateway 10.5.1: not an IPv4 address" bx netcreate --subnet 10.5.0.0/16 --gateway 10.5.1 x
refused 1 "netcreate: --gateway requires --subnet" bx netcreate --gateway 10.5.0.1 x
refused 1 "netcreate: --ip-range requires --subnet" bx netcreate --ip-range 10.5.0.0/24 x
refused 1 "netcreate: no matching subnet for range 10.6.0.0/24" bx netcreate --subnet 10.5.0.0/16 --ip-range 10.6.0.0/24 x
refused 1 "netcreate: invalid ip-range 10.5.0.7/24" bx netcreate --subnet 10.5.0.0/16 --ip-range 10.5.0.7/24 x
refused 1 'netcreate: plugin "macvlan" not found' bx netcreate -d macvlan x
refused 1 "netcreate: invalid MTU 9 : must be 68 to 65535" bx netcreate --mtu "9 " x
refused 1 "netcreate: invalid MTU abc: must be 68 to 65535" bx netcreate -o com.docker.network.driver.mtu=abc x
refused 1 "netcreate: invalid driver option '': empty name" bx netcreate -o "" x
refused 1 "netcreate: invalid driver option '=v': empty name" bx netcreate -o =v x
refused 1 "netcreate: invalid label '': empty name" bx netcreate --label "" x
refused 1 "netcreate: invalid label '=v': empty name" bx netcreate --label =v x
testing "-o KEY without a value: the value is empty, as with Docker's --opt" \
	"bx netcreate -o novalue nv >/dev/null && bx netinspect -f '{{json .Options}}' nv && bx netrm nv" \
	'{"novalue":""}
nv
rc=0'
refused 1 "netcreate: invalid bridge name abcdefghijklmnopq" bx netcreate -o com.docker.network.bridge.name=abcdefghijklmnopq x
refused 1 "netcreate: device notabridge exists and is not a bridge" bx netcreate -o com.docker.network.bridge.name=notabridge x
refused 1 "netcreate: bridge $(sed -n 's/^bridge=//p' /run/boxnet/networks/taken) is already used by network taken" \
	bx netcreate -o com.docker.network.bridge.name=$(sed -n 's/^bridge=//p' /run/boxnet/networks/taken) x
refused 1 "netcreate: invalid value yes for option com.docker.network.bridge.enable_icc: want true or false" \
	bx netcreate -o com.docker.network.bridge.enable_icc=yes x
refused 1 "netcreate: invalid host binding address 1.2.3.400" bx netcreate -o com.docker.network.bridge.host_binding_ipv4=1.2.3.400 x
# no input may add a key to a state file (a newline in a label or option), and
# limits are checked before a number is narrowed
ip link add victim type bridge
refused 1 "netcreate: invalid label x: a newline is not allowed" bx netcreate --label "$(printf 'x=y\nbridge=victim')" n1
refused 1 "netcreate: invalid option foo: a newline is not allowed" bx netcreate --internal -o "$(printf 'foo=bar\ninternal=0')" n2
testing "the bridge named in the injected line is still there" "ip -o link show victim | wc -l" "1
rc=0"
ip link del victim
refused 1 "netcreate: invalid MTU 4294967364: must be 68 to 65535" bx netcreate --mtu 4294967364 x
refused 1 "netcreate: invalid MTU -1: must be 68 to 65535" bx netcreate --mtu -1 x
# address space no container network can use
refused 1 "netcreate: invalid subnet 127.0.0.0/8: it overlaps loopback (127.0.0.0/8) addresses" bx netcreate --subnet 127.0.0.0/8 x
refused 1 "netcreate: invalid subnet 0.0.0.0/8: it overlaps \"this network\" (0.0.0.0/8) addresses" bx netcreate --subnet 0.0.0.0/8 x
refused 1 "netcreate: invalid subnet 224.1.0.0/16: it overlaps multicast (224.0.0.0/4) addresses" bx netcreate --subnet 224.1.0.0/16 x
refused 1 "netcreate: invalid subnet 250.0.0.0/8: it overlaps reserved (240.0.0.0/4) addresses" bx netcreate --subnet 250.0.0.0/8 x
usage netcreate
usage netcreate a b
usage netcreate --internal=maybe x
usage netcreate --bogus x

# netconnect
refused 1 "netconnect: network nosuch not found" bx netconnect nosuch c2
refused 1 "netconnect: No such container: nosuch" bx netconnect auto nosuch
refused 1 'netconnect: invalid container name "a/b": use letters, digits, '"'_', '.' and '-' (64 at most)" bx netconnect auto a/b
refused 1 'netconnect: invalid container name "..": use letters, digits, '"'_', '.' and '-' (64 at most)" bx netconnect auto ..
refused 1 "netconnect: endpoint with name c1 already exists in network tiny" bx netconnect tiny c1
refused 1 "netconnect: Address already in use: 10.9.0.5" bx netconnect --ip 10.9.0.5 tiny c2
refused 1 "netconnect: invalid address 10.8.0.5: it does not belong to network tiny (10.9.0.0/24)" bx netconnect --ip 10.8.0.5 tiny c2
refused 1 "netconnect: invalid address 10.9.0.0: it does not belong to network tiny (10.9.0.0/24)" bx netconnect --ip 10.9.0.0 tiny c2
refused 1 "netconnect: invalid address 10.9.0.255: it does not belong to network tiny (10.9.0.0/24)" bx netconnect --ip 10.9.0.255 tiny c2
refused 1 "netconnect: invalid IP address 10.9.0" bx netconnect --ip 10.9.0 tiny c2
refused 1 "netconnect: user specified IP address is supported only when connecting to networks with user configured subnets" \
	bx netconnect --ip 172.18.0.9 auto c2
refused 1 "netconnect: invalid MAC address 01:00:5e:00:00:01: want a unicast xx:xx:xx:xx:xx:xx" bx netconnect --mac 01:00:5e:00:00:01 auto c2
refused 1 "netconnect: invalid MAC address 02:42:zz:00:00:01: want a unicast xx:xx:xx:xx:xx:xx" bx netconnect --mac 02:42:zz:00:00:01 auto c2
refused 1 'netconnect: invalid interface name "abcdefghijklmnopq"' bx netconnect --ifname abcdefghijklmnopq auto c2
refused 1 'netconnect: invalid interface name "a/b"' bx netconnect --ifname a/b auto c2
refused 1 'netconnect: invalid alias "x y"' bx netconnect --alias "x y" auto c2
refused 1 "netconnect: invalid PID abc" bx netconnect --pid abc auto c3
refused 1 "netconnect: invalid PID 0" bx netconnect --pid 0 auto c3
refused 1 "netconnect: no process 4000000: No such file or directory" bx netconnect --pid 4000000 auto c3
refused 1 "netconnect: container c1 exists and is not the network namespace of process $$" bx netconnect --pid $$ auto c1
refused 1 "netconnect: process $$ is in the host's network namespace: not a container" bx netconnect --pid $$ auto hostns
ip netns attach hostns2 $$
refused 1 "netconnect: container hostns2 is the host's network namespace" bx netconnect auto hostns2
ip netns del hostns2
usage netconnect auto
usage netconnect --bogus auto c2

# a full network: the /24 has 253 host addresses after the gateway
i=0
while [ $i -lt 252 ]; do ip netns add f$i; bx netconnect tiny f$i || break; i=$((i + 1)); done
refused 1 "netconnect: no available IPv4 addresses on this network's address pools: tiny ($(sed -n 's/^id=//p' /run/boxnet/networks/tiny))" \
	bx netconnect tiny c2

# netdisconnect, netrm, netprune
refused 1 "netdisconnect: container c2 is not connected to network tiny" bx netdisconnect tiny c2
refused 1 "netdisconnect: network nosuch not found" bx netdisconnect nosuch c1
usage netdisconnect tiny
refused 1 "netrm: network tiny has active endpoints" bx netrm tiny
refused 1 "netrm: bridge is a pre-defined network and cannot be removed" bx netrm bridge
refused 1 "netrm: none is a pre-defined network and cannot be removed" bx netrm none
refused 1 "netrm: network nosuch not found" bx netrm nosuch
usage netrm
usage netrm -x tiny

# a damaged network file: named in every error, removed by netrm -f and netprune
bx netcreate dmg >/dev/null
dbr=$(sed -n 's/^bridge=//p' /run/boxnet/networks/dmg)
printf 'bridge=%s\nown_bridge=1\n' "$dbr" >/run/boxnet/networks/dmg # cut short: no name, no ID
refused 1 "netconnect: network dmg: damaged state file /run/boxnet/networks/dmg (netrm -f removes it)" bx netconnect dmg c2
refused 1 "netrm: network dmg: damaged state file /run/boxnet/networks/dmg (netrm -f removes it)" bx netrm dmg
testing "netrm -f removes it" "bx netrm -f dmg" "dmg
rc=0"
testing "with the bridge it made" "ip -o link show $dbr 2>/dev/null | wc -l; ls /run/boxnet/networks | grep -c '^dmg\$'" "0
0
rc=1"
testing "netrm -f of a missing network is no error" "bx netrm -f nosuch" "rc=0"
bx netcreate dmg2 >/dev/null
printf 'garbage\0\377\n' >/run/boxnet/networks/dmg2
testing "netprune removes a damaged network file" "bx netprune -f | grep -c '^dmg2\$'; ls /run/boxnet/networks | grep -c '^dmg2\$'" "1
0
rc=1"
usage netprune extra

# vxlan: a local address the host does not have
refused 1 "vxlan: invalid local address 192.0.2.77: not an address of this host" \
	bx vxlan add tiny --vni 77 --remote 192.0.2.1 --local 192.0.2.77

# IPv6: networks, addresses, published ports
bx netcreate --ipv6 --subnet fd10:1::/64 --subnet 10.10.0.0/24 ds6 >/dev/null
ip netns add c3
bx netconnect --ip6 fd10:1::7 ds6 c3
W6="want [IPV6]:HOSTPORT:CONTAINERPORT"
refused 1 "netcreate: IPv6 address fd20::/64 given for a network without --ipv6" \
	bx netcreate --subnet fd20::/64 x
refused 1 "netcreate: IPv6 address fd20::1 given for a network without --ipv6" \
	bx netcreate --subnet 10.20.0.0/16 --gateway fd20::1 x
refused 1 "netcreate: bridge driver doesn't support multiple subnets: --subnet given twice for IPv6" \
	bx netcreate --ipv6 --subnet fd20::/64 --subnet fd21::/64 x
refused 1 "netcreate: bridge driver doesn't support multiple subnets: --gateway given twice for IPv6" \
	bx netcreate --ipv6 --subnet fd20::/64 --gateway fd20::1 --gateway=fd20::2 x
refused 1 "netcreate: Invalid subnet fd20::/129 : invalid CIDR address: fd20::/129" \
	bx netcreate --ipv6 --subnet fd20::/129 x
refused 1 "netcreate: invalid subnet fd20::/127: IPv6 prefix length must be 16 to 126" \
	bx netcreate --ipv6 --subnet fd20::/127 x
refused 1 "netcreate: invalid subnet fd20::1/64: it should be fd20::/64" \
	bx netcreate --ipv6 --subnet fd20::1/64 x
refused 1 "netcreate: invalid subnet ff05::/64: it overlaps multicast (ff00::/8) addresses" \
	bx netcreate --ipv6 --subnet ff05::/64 x
refused 1 "netcreate: invalid subnet fe80::/64: it overlaps link-local (fe80::/10) addresses" \
	bx netcreate --ipv6 --subnet fe80::/64 x
refused 1 "netcreate: invalid subnet ::/64: it overlaps reserved (::/8: loopback, unspecified, IPv4-mapped) addresses" \
	bx netcreate --ipv6 --subnet ::/64 x
refused 1 "netcreate: Pool overlaps with other one on this address space" \
	bx netcreate --ipv6 --subnet fd10:1::/96 x
refused 1 "netcreate: no matching subnet for gateway fd21::1" \
	bx netcreate --ipv6 --subnet fd20::/64 --gateway fd21::1 x
refused 1 "netcreate: invalid gateway fd20::: the subnet-router anycast address" \
	bx netcreate --ipv6 --subnet fd20::/64 --gateway fd20:: x
refused 1 "netcreate: invalid gateway fd30:0:0:1::1: outside the first /64 of fd30::/48" \
	bx netcreate --ipv6 --subnet fd30::/48 --gateway fd30:0:0:1::1 x
refused 1 "netcreate: IPv6 --gateway requires an IPv6 --subnet" bx netcreate --ipv6 --gateway fd20::1 x
refused 1 "netcreate: no matching subnet for range fd21::/80" \
	bx netcreate --ipv6 --subnet fd20::/64 --ip-range fd21::/80 x
refused 1 "netcreate: invalid ip-range fd20::1/80" bx netcreate --ipv6 --subnet fd20::/64 --ip-range fd20::1/80 x
refused 1 "netcreate: --ipv4=false needs --ipv6: a network needs an address family" bx netcreate --ipv4=false x
refused 1 "netcreate: IPv4 address 10.20.0.0/16 given for a network with --ipv4=false" \
	bx netcreate --ipv6 --ipv4=false --subnet 10.20.0.0/16 x
usage netcreate --ipv6=maybe x
refused 1 "netconnect: invalid address fd10:1::5: network taken has no IPv6 (made without --ipv6)" \
	bx netconnect --ip6 fd10:1::5 taken c2
refused 1 "netconnect: invalid address fd99::5: it does not belong to network ds6 (fd10:1::/64)" \
	bx netconnect --ip6 fd99::5 ds6 c2
refused 1 "netconnect: invalid address fd10:1::: it does not belong to network ds6 (fd10:1::/64)" \
	bx netconnect --ip6 fd10:1:: ds6 c2
refused 1 "netconnect: Address already in use: fd10:1::7" bx netconnect --ip6 fd10:1::7 ds6 c2
refused 1 "netconnect: Address already in use: fd10:1::1" bx netconnect --ip6 fd10:1::1 ds6 c2
refused 1 "netconnect: invalid IPv6 address fd10:1::zz" bx netconnect --ip6 fd10:1::zz ds6 c2
refused 1 "netconnect: invalid IPv6 address 10.10.0.9" bx netconnect --ip6 10.10.0.9 ds6 c2
refused 1 "netconnect: invalid IP address fd10:1::9" bx netconnect --ip fd10:1::9 ds6 c2
bx netcreate --ipv6 auto6 >/dev/null
refused 1 "netconnect: user specified IP address is supported only when connecting to networks with user configured subnets" \
	bx netconnect --ip6 fd10:1::9 auto6 c2
refused 1 "portfwd: cannot publish on [::1]: IPv6 has no route_localnet, so the kernel has no path from ::1 to a container (Docker uses its userland proxy); use a host address" \
	bx portfwd add c3 '[::1]:8080:80'
refused 1 "portfwd: invalid IP address in [fd10:1::1:8080:80: $W6" bx portfwd add c3 '[fd10:1::1:8080:80'
refused 1 "portfwd: invalid IP address in [fd10:1::1]8080:80: $W6" bx portfwd add c3 '[fd10:1::1]8080:80'
refused 1 "portfwd: invalid IP address in []:8080:80: $W6" bx portfwd add c3 '[]:8080:80'
refused 1 "portfwd: invalid IP address in fd10:1::1]:8080:80: an IPv6 address is written [IPV6]:HOSTPORT:CONTAINERPORT" \
	bx portfwd add c3 'fd10:1::1]:8080:80'
refused 1 "portfwd: invalid IPv6 address 10.10.0.1 in [10.10.0.1]:8080:80" bx portfwd add c3 '[10.10.0.1]:8080:80'
refused 1 "portfwd: invalid IP address fd10:1::1 in fd10:1::1:8080:80" bx portfwd add c3 'fd10:1::1:8080:80'

# an unknown applet
refused 127 "boxnet: applet not found: netfrob" bx netfrob

finish
