#!/bin/sh
# netlink/xfrm.c: the XFRM requests boxnet sends are byte for byte those of
# iproute2's `ip xfrm` for the same state or policy. Both are captured with
# strace (the kernel may refuse a state: no ESP or GCM here; the request is
# captured all the same); nlmsg_seq and nlmsg_pid are left out. The tool
# build/tools/xfrmctl sends netlink/xfrm.c's requests.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
X=$ROOT/build/tools/xfrmctl
[ -x "$X" ] || make -s -C "$ROOT" build/tools/xfrmctl >/dev/null 2>&1

# cap CMD...: each netlink request CMD sends, as "LEN TYPE FLAGS PAYLOAD-HEX"
cap() {
	strace -X raw -xx -s 8192 -e trace=sendmsg,sendto -o "$TMP/st" "$@" >/dev/null 2>&1
	sed -n 's/.*nlmsg_len=\([0-9]*\), nlmsg_type=\([0-9a-fx]*\), nlmsg_flags=\([0-9a-fx]*\), nlmsg_seq=[0-9]*, nlmsg_pid=[0-9]*}, "\([^"]*\)".*/\1 \2 \3 \4/p' \
		"$TMP/st" | sed 's/\\x//g'
}
# same NAME "IP-ARGS" "XFRMCTL-ARGS": one request each, the same bytes
same() {
	local a b
	a=$(eval cap ip xfrm "$2") b=$(eval cap "$X" "$3")
	if [ -n "$a" ] && [ "$(echo "$a" | wc -l)" = 1 ] && [ "$a" = "$b" ]; then pass "$1"
	else fail "$1" "ip xfrm: $a" "boxnet:  $b"; fi
}

ip link set lo up
K1=000102030405060708090a0b0c0d0e0f10111213
K2=f0e1d2c3b4a5968778695a4b3c2d1e0ff1e2d3c4
AEAD="aead 'rfc4106(gcm(aes))'"
same "NEWSA" "state add src 10.200.0.1 dst 10.200.0.2 proto esp spi 0x1000abcd reqid 7 mode transport replay-window 32 $AEAD 0x$K1 128" \
	"sa add 10.200.0.1 10.200.0.2 0x1000abcd 7 $K1"
same "NEWSA, other values" "state add src 192.168.7.9 dst 172.16.0.254 proto esp spi 0xfedcba98 reqid 4096 mode transport replay-window 32 $AEAD 0x$K2 128" \
	"sa add 192.168.7.9 172.16.0.254 0xfedcba98 4096 $K2"
same "DELSA" "state delete src 10.200.0.1 dst 10.200.0.2 proto esp spi 0x1000abcd" \
	"sa del 10.200.0.1 10.200.0.2 0x1000abcd"
same "DELSA, other values" "state delete src 192.168.7.9 dst 172.16.0.254 proto esp spi 0xfedcba98" \
	"sa del 192.168.7.9 172.16.0.254 0xfedcba98"
for dir in out in; do
	same "NEWPOLICY dir $dir" \
		"policy add src 10.200.0.1/32 dst 10.200.0.2/32 proto udp dport 4789 dir $dir tmpl src 10.200.0.1 dst 10.200.0.2 proto esp reqid 7 mode transport" \
		"policy add $dir 10.200.0.1 10.200.0.2 4789 7"
	same "NEWPOLICY dir $dir, other values" \
		"policy add src 192.168.7.9/32 dst 172.16.0.254/32 proto udp dport 8472 dir $dir tmpl src 192.168.7.9 dst 172.16.0.254 proto esp reqid 4096 mode transport" \
		"policy add $dir 192.168.7.9 172.16.0.254 8472 4096"
	same "DELPOLICY dir $dir" "policy delete src 10.200.0.1/32 dst 10.200.0.2/32 proto udp dport 4789 dir $dir" \
		"policy del $dir 10.200.0.1 10.200.0.2 4789"
done
ip xfrm policy flush

# the kernel reads boxnet's policies back as it reads iproute2's
ip xfrm policy add src 10.200.0.1/32 dst 10.200.0.2/32 proto udp dport 4789 dir in \
	tmpl src 10.200.0.1 dst 10.200.0.2 proto esp reqid 7 mode transport
ip xfrm policy >"$TMP/ip.pol"
ip xfrm policy flush
ok "boxnet adds the policy" "$X" policy add in 10.200.0.1 10.200.0.2 4789 7
testing "the kernel holds what iproute2's policy gives" "ip xfrm policy | cmp - $TMP/ip.pol" "rc=0"
ok "boxnet deletes it" "$X" policy del in 10.200.0.1 10.200.0.2 4789
testing "no policy left" "ip xfrm policy | wc -l" "0
rc=0"
testing "deleting it again: not found" "$X policy del in 10.200.0.1 10.200.0.2 4789 2>&1" \
	"xfrmctl: No such file or directory
rc=1"
testing "deleting a state that is not there: ESRCH" "$X sa del 10.200.0.1 10.200.0.2 5 2>&1" \
	"xfrmctl: No such process
rc=1"

# the ESP probe agrees with what iproute2 gets from the kernel, and leaves no state
if ip xfrm state add src 192.0.2.9 dst 192.0.2.10 proto esp spi 0x100 reqid 1 mode transport \
	aead 'rfc4106(gcm(aes))' 0x$K1 128 2>"$TMP/err"; then
	ip xfrm state flush
	testing "probe: ESP with rfc4106(gcm(aes)) is there" "$X probe" "rc=0"
else
	testing "probe: no ESP here, as iproute2 finds ($(cat "$TMP/err"))" "$X probe 2>&1 | grep -c 'Requested AEAD algorithm not found\|not supported'" \
		"1
rc=0"
fi
testing "the probe leaves no state" "ip xfrm state | wc -l" "0
rc=0"
finish
