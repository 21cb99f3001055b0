#!/bin/sh
# Make sure what a build, the tests or the benchmarks need is on this machine.
# usage: deps.sh build|test|bench
# Installs what is missing with apt-get (Debian) or apk (Alpine) when run as
# root; otherwise fails with one line naming the packages to install.
set -u
what=${1:-build}

# need CHECK DEBIAN-PACKAGE ALPINE-PACKAGE
# CHECK is a command name, or a path (starting with /) that must exist.
missing_deb= missing_apk=
need() {
	case $1 in
	/*) [ -e "$1" ] && return ;;
	*) command -v "$1" >/dev/null 2>&1 && return ;;
	esac
	missing_deb="$missing_deb $2"
	missing_apk="$missing_apk $3"
}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

need make make make
need gcc gcc gcc
case $what in
build)
	need musl-gcc musl-tools musl-dev
	need /usr/include/linux/rtnetlink.h linux-libc-dev linux-headers
	;;
test)
	need /usr/include/libmnl/libmnl.h libmnl-dev libmnl-dev
	need /usr/include/cmocka.h libcmocka-dev cmocka-dev
	need objcopy binutils binutils
	need ip iproute2 iproute2
	need brctl bridge-utils bridge-utils
	need iptables-legacy-save iptables iptables-legacy
	need nft nftables nftables
	need jq jq jq
	need unshare util-linux util-linux
	need ping iputils-ping iputils
	need socat socat socat
	need strace strace strace
	need redis-server redis-server redis
	need /usr/lib/cni/portmap containernetworking-plugins cni-plugins
	need crun crun crun                           # a real container for the OCI hook
	need /bin/busybox busybox-static busybox-static # its rootfs
	need podman podman podman                     # real runtimes driving the CNI plugin
	need containerd containerd containerd
	need ctr containerd containerd-ctr
	need /usr/lib/frr/bgpd frr frr                # BGP EVPN (bgpd + zebra) for evpn.sh
	;;
bench)
	need hyperfine hyperfine hyperfine
	need iperf3 iperf3 iperf3
	need /usr/lib/cni/bridge containernetworking-plugins cni-plugins
	need /usr/bin/time time coreutils
	;;
esac

[ -z "$missing_deb" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	pkgs=$(echo $missing_deb | tr ' ' '\n' | sort -u | tr '\n' ' ')
	echo "deps.sh: installing:$missing_deb" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $pkgs >&2; } ||
		{ echo "deps.sh: apt-get failed; install:$pkgs" >&2; exit 1; }
elif [ "$(id -u)" = 0 ] && command -v apk >/dev/null 2>&1; then
	apk add --no-cache $missing_apk >&2 ||
		{ echo "deps.sh: apk failed; install:$missing_apk" >&2; exit 1; }
else
	echo "deps.sh: missing packages for '$what':$missing_deb (Debian) /$missing_apk (Alpine)" >&2
	exit 1
fi
