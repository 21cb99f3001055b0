#!/bin/sh
# Issue 11: encrypted overlays (netcreate -d overlay --opt encrypted).
#
#                        ul (underlay switch: bridge ulbr)
#             +-------------------+--------------------+
#      hostA eth0 10.200.0.1   hostB eth0 10.200.0.2   hostC eth0 10.200.0.3
#
# Without ESP in the kernel (these machines: no CONFIG_INET_ESP, no GCM) the
# encrypted overlay is refused, changing nothing; what can be shown without a
# state is shown: the per-VNI rule of an encrypted overlay drops plain VXLAN
# for its VNI from anyone, and the in-policy boxnet installs per peer keeps
# plain VXLAN from that peer off the bridge. With ESP the whole scenario runs.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
X=$ROOT/build/tools/xfrmctl
[ -x "$X" ] || make -s -C "$ROOT" build/tools/xfrmctl >/dev/null 2>&1
export BOXNET_FIREWALL=${BOXNET_FIREWALL:-auto}

underlay_host A 1
underlay_host B 2
underlay_host C 3
head -c 32 /dev/urandom >"$TMP/key"
head -c 64 /dev/urandom >"$TMP/otherkey"
head -c 31 /dev/urandom >"$TMP/short"
head -c 4097 /dev/urandom >"$TMP/long"
mkdir "$TMP/dir"
esp=yes
ip -n hostA xfrm state add src 192.0.2.9 dst 192.0.2.10 proto esp spi 0x100 reqid 1 mode transport \
	aead 'rfc4106(gcm(aes))' 0x000102030405060708090a0b0c0d0e0f10111213 128 2>"$TMP/esp" || esp=no
ip -n hostA xfrm state flush

# bad input and the missing kernel support: one line, nothing changed
snapshot_host() {
	ip netns exec hostA sh -c 'ip -o link show; ip -4 -o addr show; bridge fdb show | grep " dst " | sort;
		ip xfrm state; ip xfrm policy'
	ls -R /run/boxnet-A | sort; find /run/boxnet-A -type f | sort | xargs md5sum
	on A netfw show
}
refused() { refused_on A "$@"; }
ok "a plain overlay on A first" on A netcreate -d overlay --subnet 172.30.0.0/16 \
	-o boxnet.overlay.peers=10.200.0.2 plain
NET="netcreate -d overlay --subnet 172.20.0.0/16 -o boxnet.overlay.peers=10.200.0.2"
K="-o boxnet.overlay.keyfile"
refused "netcreate: cannot read key file $TMP/nokey: No such file or directory" $NET --opt encrypted $K=$TMP/nokey sec
refused "netcreate: key file $TMP/short is too short: 31 bytes, want at least 32" $NET --opt encrypted $K=$TMP/short sec
refused "netcreate: cannot read key file $TMP/dir: Is a directory" $NET -o encrypted $K=$TMP/dir sec
refused "netcreate: cannot read key file $TMP/long: larger than 4096 bytes" $NET -o encrypted $K=$TMP/long sec
refused "vxlan: network plain has no encrypted overlay" vxlan rekey plain
refused "netcreate: option boxnet.overlay.keyfile needs --opt encrypted" $NET $K=$TMP/key sec
refused "netcreate: an encrypted overlay without peers needs -o boxnet.overlay.local=IP" \
	netcreate -d overlay --subnet 172.20.0.0/16 -o boxnet.overlay.dev=eth0 --opt encrypted $K=$TMP/key sec
if [ ! -e /etc/boxnet/overlay.key ]; then
	refused "netcreate: an encrypted overlay needs a pre-shared key: -o boxnet.overlay.keyfile=PATH, or the file /etc/boxnet/overlay.key" \
		$NET --opt encrypted sec
fi
if [ $esp = no ]; then
	echo "SKIP: overlay_ipsec: no ESP with rfc4106(gcm(aes)) in this kernel ($(cat "$TMP/esp")): the encrypted datapath is not run"
	refused "netcreate: encrypted overlays need IPsec ESP with rfc4106(gcm(aes)) in the kernel: CONFIG_INET_ESP and CONFIG_CRYPTO_GCM (Requested AEAD algorithm not found)" \
		$NET --opt encrypted $K=$TMP/key sec
	refused "netcreate: encrypted overlays need IPsec ESP with rfc4106(gcm(aes)) in the kernel: CONFIG_INET_ESP and CONFIG_CRYPTO_GCM (Requested AEAD algorithm not found)" \
		$NET -o encrypted $K=$TMP/key sec
fi
ok "netrm plain" on A netrm plain

# the blocking half, with no state. ovnet between A, B and C; ov2 (VNI
# 5000) between A and B only.
ok "A: ovnet, peers B and C" on A netcreate -d overlay --subnet 172.20.0.0/16 --ip-range 172.20.1.0/24 \
	-o boxnet.overlay.peers=10.200.0.2,10.200.0.3 ovnet
ok "B: ovnet, peers A and C" on B netcreate -d overlay --subnet 172.20.0.0/16 --ip-range 172.20.2.0/24 \
	-o boxnet.overlay.peers=10.200.0.1,10.200.0.3 ovnet
ok "C: ovnet, peers A and B" on C netcreate -d overlay --subnet 172.20.0.0/16 --ip-range 172.20.3.0/24 \
	-o boxnet.overlay.peers=10.200.0.1,10.200.0.2 ovnet
for h in A B; do
	ok "$h: ov2, VNI 5000" on $h netcreate -d overlay --subnet 172.21.0.0/16 \
		--ip-range 172.21.$(echo $h | tr AB 12).0/24 -o com.docker.network.driver.overlay.vxlanid_list=5000 \
		-o boxnet.overlay.peers=10.200.0.$(echo $h | tr AB 21) ov2
done
for c in a b c; do ip netns add ctr-$c; done
ip netns add ctr-a2
ip netns add ctr-b2
ok "ctr-a on A" on A netconnect --ip 172.20.1.10 ovnet ctr-a
ok "ctr-b on B" on B netconnect --ip 172.20.2.10 ovnet ctr-b
ok "ctr-c on C" on C netconnect --ip 172.20.3.10 ovnet ctr-c
ok "ctr-a2 on A" on A netconnect --ip 172.21.1.10 ov2 ctr-a2
ok "ctr-b2 on B" on B netconnect --ip 172.21.2.10 ov2 ctr-b2
ok "plain: B reaches A" ip netns exec ctr-b ping -c 2 -W 2 172.20.1.10
ok "plain: C reaches A" ip netns exec ctr-c ping -c 2 -W 2 172.20.1.10
ok "plain: B reaches A on ov2" ip netns exec ctr-b2 ping -c 2 -W 2 172.21.1.10

# (1) the per-VNI rule: A's ovnet recorded as encrypted (as an encrypted
# overlay's file says, without its states: there is no ESP to make them)
vni=$(on A netinspect -f '{{index .Options "com.docker.network.driver.overlay.vxlanid_list"}}' ovnet)
hex=$(printf '%x' "$vni")
echo encrypted=1 >>/run/boxnet-A/vxlan/ovnet
ok "A: netfw apply" on A netfw apply
testing "netfw show: plain VXLAN for the VNI is dropped, before the peers' rules" \
	"on A netfw show | grep -n 'dport 4789' | head -1 | grep -c '$hex.*\(policy --dir in --pol none\|meta ipsec missing\)'" "1
rc=0"
case $(on A netfw status | head -1) in
"backend: nft")
	testing "the kernel holds it" \
		"ip netns exec hostA nft list table ip boxnet | grep -c 'udp dport 4789 @th,96,24 0x$hex meta ipsec missing drop'" "1
rc=0" ;;
*)
	save=iptables-legacy-save
	[ "$(on A netfw status | head -1)" = "backend: iptables-nft" ] && save=iptables-nft-save
	testing "the kernel holds it ($save)" "ip netns exec hostA $save -t raw | grep -c -- \
'-p udp -m udp --dport 4789 -m u32 --u32 \"0x0>>0x16&0x3c@0xc>>0x8=0x$hex\" -m policy --dir in --pol none -j DROP'" "1
rc=0" ;;
esac
testing "plain VXLAN from peer B for that VNI no longer reaches A" \
	"ip netns exec ctr-b ping -c 2 -W 1 172.20.1.10 >/dev/null; echo \$?" "1
rc=0"
testing "nor from C" "ip netns exec ctr-c ping -c 2 -W 1 172.20.1.10 >/dev/null; echo \$?" "1
rc=0"
ok "another VNI from B still does" ip netns exec ctr-b2 ping -c 2 -W 2 172.21.1.10
ok "B still reaches C" ip netns exec ctr-b ping -c 2 -W 2 172.20.3.10
sed -i '/^encrypted=1$/d' /run/boxnet-A/vxlan/ovnet
ok "A: netfw apply, not encrypted" on A netfw apply
ok "and B reaches A again" ip netns exec ctr-b ping -c 2 -W 2 172.20.1.10

# (2) the in-policy boxnet installs for a peer (ipsec_up: UDP to the VXLAN
# port from the peer, ESP required), here with no state
mismatch() { ip netns exec hostA awk '$1 == "XfrmInTmplMismatch" {print $2}' /proc/net/xfrm_stat; }
before=$(mismatch)
ok "A: the in-policy for peer B, as boxnet sets it" ip netns exec hostA "$X" policy add in 10.200.0.2 10.200.0.1 4789 0
testing "plain VXLAN from B no longer reaches A's bridge" \
	"ip netns exec ctr-b ping -c 2 -W 1 172.20.1.10 >/dev/null; echo \$?" "1
rc=0"
testing "the kernel dropped it for want of ESP" "[ \$(mismatch) -gt $before ]" "rc=0"
ok "C still reaches A (the policy is for B only)" ip netns exec ctr-c ping -c 2 -W 2 172.20.1.10
ok "A: the policy goes" ip netns exec hostA "$X" policy del in 10.200.0.2 10.200.0.1 4789
ok "and B reaches A again" ip netns exec ctr-b ping -c 2 -W 2 172.20.1.10
for h in A B C; do on $h netdisconnect ovnet ctr-$(echo $h | tr A-C a-c); on $h netrm ovnet >/dev/null; done
for h in A B; do on $h netdisconnect ov2 ctr-$(echo $h | tr AB ab)2; on $h netrm ov2 >/dev/null; done

if [ $esp = yes ]; then
	# the whole scenario: A and B share a key, C has another
	ok "A: encrypted sec" on A netcreate -d overlay --subnet 172.20.0.0/16 --ip-range 172.20.1.0/24 \
		-o boxnet.overlay.peers=10.200.0.2,10.200.0.3 --opt encrypted $K=$TMP/key sec
	ok "B: encrypted sec" on B netcreate -d overlay --subnet 172.20.0.0/16 --ip-range 172.20.2.0/24 \
		-o boxnet.overlay.peers=10.200.0.1,10.200.0.3 --opt encrypted $K=$TMP/key sec
	ok "C: encrypted sec, another key" on C netcreate -d overlay --subnet 172.20.0.0/16 \
		--ip-range 172.20.3.0/24 -o boxnet.overlay.peers=10.200.0.1,10.200.0.2 --opt encrypted \
		$K=$TMP/otherkey sec
	ok "ctr-a on A" on A netconnect --ip 172.20.1.10 sec ctr-a
	ok "ctr-b on B" on B netconnect --ip 172.20.2.10 sec ctr-b
	ok "ctr-c on C" on C netconnect --ip 172.20.3.10 sec ctr-c
	testing "A holds two states and two policies per peer" \
		"ip -n hostA xfrm state | grep -c '^src'; ip -n hostA xfrm policy | grep -c '^src'" "4
4
rc=0"
	ok "ctr-b pings ctr-a through ESP" ip netns exec ctr-b ping -c 2 -W 2 172.20.1.10
	testing "A's states counted the packets" \
		"ip -n hostA -s xfrm state | grep -q '[1-9][0-9]*(packets)'" "rc=0"
	testing "C, with another key, is shut out" \
		"ip netns exec ctr-c ping -c 2 -W 1 172.20.1.10 >/dev/null; echo \$?" "1
rc=0"
	ok "A: peer del C" on A vxlan peer del sec 10.200.0.3
	testing "its states and policies went" \
		"ip -n hostA xfrm state | grep -c 10.200.0.3; ip -n hostA xfrm policy | grep -c 10.200.0.3" "0
0
rc=1"
	head -c 32 /dev/urandom >"$TMP/key"
	ok "A: rekey" on A vxlan rekey sec
	ok "B: rekey" on B vxlan rekey sec
	ok "and ctr-b reaches ctr-a with the new key" ip netns exec ctr-b ping -c 2 -W 2 172.20.1.10
	on A netdisconnect sec ctr-a
	ok "A: netrm sec" on A netrm sec
	testing "no state or policy left on A" "ip -n hostA xfrm state | wc -l; ip -n hostA xfrm policy | wc -l" "0
0
rc=0"
fi
finish
