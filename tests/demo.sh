#!/bin/sh
# make demo: seed 000 and 004 of the tutorials, with namespaces as containers,
# in a throwaway sandbox (tests/sandbox.sh). usage: demo.sh BOXNET-BINARY
set -u
BOXNET=$(readlink -f "${1:-build/boxnet}")
export BOXNET
. "$(dirname "$0")/sandbox.sh"
bin=$(mktemp -d /run/demo.XXXXXX)
"$BOXNET" --install "$bin"
ln -s "$BOXNET" "$bin/boxnet" # the multicall name itself, for `boxnet --list`
PATH=$bin:$PATH

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "boxnet demo: every command below runs in a throwaway network namespace."
step boxnet --list
step netcreate busybox-network
step ipnetns add busybox1
step ipnetns add busybox2
step netconnect busybox-network busybox1
step netconnect busybox-network busybox2
step ipnetns exec busybox1 ip -4 addr show eth0
step ipnetns exec busybox1 ip route
step ipnetns exec busybox1 ping -c 2 busybox2
step brctl show
step brctl showmacs "$(sed -n 's/^bridge=//p' /run/boxnet/networks/busybox-network)"
echo
echo "Publishing a port: a server in busybox2, a client in another namespace acting as a remote host."
ip netns add remote
ip link add ext0 type veth peer name eth0 netns remote
ip addr add 10.99.1.1/24 dev ext0; ip link set ext0 up
ip -n remote addr add 10.99.1.2/24 dev eth0; ip -n remote link set eth0 up
ip netns exec busybox2 socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo hello from busybox2' &
# wait (5 s at most) for the server to listen
i=0; until ip netns exec busybox2 ss -Hltn 'sport = :80' | grep -q LISTEN || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1)); done
step portfwd add busybox2 8080:80
step portfwd ls busybox2
step ipnetns exec remote socat -t5 -T5 - TCP:10.99.1.1:8080
step netfw status
step netcreate my-net
step netconnect my-net busybox1
step ipnetns exec busybox1 ip -br addr
echo
echo "Seed 004: a network that still has a container is not removed (docker network rm refuses too):"
step netrm my-net
step netdisconnect my-net busybox1
step netrm my-net
step portfwd del busybox2
step ipnetns delete busybox2
step netdisconnect busybox-network busybox1
step netprune -f
step ipnetns list
echo
echo "demo done: the sandbox and everything in it are gone now."
