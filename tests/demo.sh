#!/bin/sh
# make demo: seed 000 and 004 of the tutorials, with namespaces as containers,
# in a throwaway sandbox (tests/sandbox.sh). usage: demo.sh BOXNET-BINARY
set -u
BOXNET=$(readlink -f "${1:-build/boxnet}")
export BOXNET
. "$(dirname "$0")/sandbox.sh"
export BOXNET_FIREWALL=none
bin=$(mktemp -d /run/demo.XXXXXX)
"$BOXNET" --install "$bin"
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
step netcreate my-net
step netconnect my-net busybox1
step ipnetns exec busybox1 ip -br addr
step netrm my-net
step netdisconnect my-net busybox1
step netrm my-net
step ipnetns delete busybox2
step netdisconnect busybox-network busybox1
step netprune -f
step ipnetns list
echo
echo "demo done: the sandbox and everything in it are gone now."
