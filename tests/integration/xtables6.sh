#!/bin/sh
# The legacy backend's IPv6 half (ip6_tables through netlink/fw/xt*.c),
# driven through build/tools/fwctl with dual-stack and IPv6-only networks,
# ip6tables-legacy and ip6tables-legacy-save as the oracle. In the sandbox
# of lib.sh: the tables are the sandbox netns' own.
#
#   (a) what boxnet installs reads back as the IPv6 part of fwctl's text;
#       fwctl kernel (decoded from the blobs) equals it
#   (b) byte for byte as ip6tables-legacy writes it: its save, restored by
#       ip6tables-legacy-restore, is what boxnet would write (no replace)
#   (c) the host's own IPv6 rules and counters survive apply and removal;
#       removal leaves nothing; a foreign jump into a boxnet chain is refused
#       with the table unchanged
#   (d) real IPv6 traffic (fw6traffic.body)
. "$(dirname "$0")/lib.sh"

FWCTL=${FWCTL:-$(cd "$(dirname "$0")/../.." && pwd)/build/tools/fwctl}
if [ ! -x "$FWCTL" ]; then
	fail "no $FWCTL: run make build/tools/fwctl first"; finish
fi
if ! command -v ip6tables-legacy-save >/dev/null || ! "$FWCTL" iptables available; then
	echo "SKIP: $T_NAME: no ip6tables-legacy or no legacy x_tables in this kernel"; finish
fi

TABLES="raw filter nat"
S1="net:br-a:172.18.0.0/16 net:br-a:[fd00:1::/64]
    port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a port:tcp:[::]:8080:[fd00:1::2]:80:br-a
    net:br-b:[fd00:2::/64]:internal:noicc net:br-c:[2001:db8:3::/64]:noicc:nomasq
    port:udp:[2001:db8:99::1]:5353:[2001:db8:3::3]:53:br-c
    port:sctp:[::]:9000-9010:[fd00:1::2]:7000-7010:br-a
    port:tcp:[::]:8000-8010:[fd00:1::3]:8000-8010:br-a
    net:br-d:[fd00:4::/64]:snat=2001:db8:99::1"
S1=$(echo $S1)
S2="net:br-a:172.18.0.0/16 net:br-a:[fd00:1::/64]
    port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a port:tcp:[::]:8080:[fd00:1::2]:80:br-a"
S2=$(echo $S2)
BUILTIN='(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)'
BOXNET_LINE="^(\[[0-9]+:[0-9]+\] )?(:BOXNET[ -]|-A BOXNET[ -]|-A $BUILTIN .*-j BOXNET(-[A-Z]+)?\$)"

fw() { "$FWCTL" iptables "$@"; }
save6() { ip6tables-legacy-save -t "$1" | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'; }
save6_all() { for t in $TABLES; do save6 $t; done; }
save4_all() { for t in $TABLES; do iptables-legacy-save -t $t; done | grep -v '^#'; }
save6_c() { for t in $TABLES; do ip6tables-legacy-save -c -t $t; done | grep -v '^#'; }
# the IPv6 part of fwctl's text (after the IPv4 raw, filter, nat) for table $1
show6() { fw show $2 | awk -v t="*$1" '$0 == t { n++ } n == 2 { print } n == 2 && /^COMMIT$/ { exit }'; }
show4() { fw show $2 | awk -v t="*$1" '$0 == t { n++ } n == 1 { print } n == 1 && /^COMMIT$/ { exit }'; }
foreign6() { ip6tables-legacy-save -c -t "$1" | grep -v '^#' | grep -vE "$BOXNET_LINE"; }
replaces() {
	local rc
	ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=setsockopt -o "$TMP/strace" \
		"$FWCTL" iptables apply "$@" >/dev/null 2>&1
	rc=$?
	grep -c 'SET_REPLACE' "$TMP/strace"
	return $rc
}

# --- (0) IPv4 only: ip6_tables untouched ----------------------------------------
# asking the kernel for a table makes it (and hooks it into every packet's path)
testing "an IPv4-only rule set makes no ip6 table" \
	"fw apply net:br-a:172.18.0.0/16 && fw kernel >/dev/null && fw apply && cat /proc/net/ip6_tables_names" "rc=0"

# --- (a) boxnet's IPv6 rules as the kernel holds them --------------------------
save6_all >"$TMP/pristine6"
save4_all >"$TMP/pristine4"
# v4: raw filter nat; v6: filter nat (no IPv6 raw rule at all)
testing "a first dual-stack apply replaces three IPv4 and two IPv6 tables" "replaces $S1" "5
rc=0"
for t in $TABLES; do
	same_output "ip6 $t: ip6tables-legacy-save shows exactly fwctl's IPv6 rules" \
		"save6 $t" "show6 $t \"\$S1\""
	same_output "ip $t: iptables-legacy-save shows exactly fwctl's IPv4 rules" \
		"iptables-legacy-save -t $t | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'" \
		"show4 $t \"\$S1\""
done
testing "the IPv6 DNAT as ip6tables-legacy-save prints it" \
	"ip6tables-legacy-save -t nat | grep -c -- '--to-destination \[fd00:1::2\]:80\$'" "1
rc=0"
testing "NAT66 masquerade out of a ULA subnet, none for the routed one" \
	"ip6tables-legacy-save -t nat | grep -E -- '! -o br-[a-d] -j' " \
	"-A BOXNET-POSTROUTING -s fd00:1::/64 ! -o br-a -j MASQUERADE
-A BOXNET-POSTROUTING -s fd00:4::/64 ! -o br-d -j SNAT --to-source 2001:db8:99::1
rc=0"
testing "no ::1 DNAT path from OUTPUT" "ip6tables-legacy -t nat -S OUTPUT | sed -n 2p" \
	"-A OUTPUT ! -d ::1/128 -m addrtype --dst-type LOCAL -j BOXNET
rc=0"
same_output "fwctl kernel (decoded from both families' blobs) = fwctl show" \
	"fw kernel" "fw show $S1"
testing "libiptc (ip6tables-legacy) reads boxnet's chains" \
	"ip6tables-legacy -S BOXNET-FORWARD | head -1" "-N BOXNET-FORWARD
rc=0"

# --- (b) byte for byte as ip6tables-legacy writes it ---------------------------
for t in $TABLES; do ip6tables-legacy-save -t $t; done >"$TMP/s1"
ok "ip6tables-legacy-restore loads boxnet's rules as saved" ip6tables-legacy-restore "$TMP/s1"
testing "ip6tables-legacy's encoding is boxnet's: applying again replaces nothing" \
	"replaces $S1" "0
rc=0"
testing "a v4-only rule set on a host with boxnet's IPv6 chains removes those" \
	"fw apply net:br-a:172.18.0.0/16 && save6_all | grep -c BOXNET" "0
rc=1"
ok "apply S1 again" fw apply $S1
testing "a hand-made rule in a boxnet IPv6 chain shows as not boxnet's" \
	"ip6tables-legacy -A BOXNET-FORWARD -j LOG && fw kernel | grep -c '^# -A BOXNET-FORWARD: '" "1
rc=0"
ok "apply puts it right" fw apply $S1
same_output "... exactly" "save6 filter" "show6 filter \"\$S1\""

# --- (c) the host's IPv6 rules, removal ----------------------------------------
ok "apply nothing" fw apply
same_output "nothing applied: the IPv6 tables are as before boxnet" "cat $TMP/pristine6" "save6_all"
same_output "... and the IPv4 ones" "cat $TMP/pristine4" "save4_all"
ip6tables-legacy -P FORWARD DROP
ip6tables-legacy -N USER6
ip6tables-legacy -A USER6 -s 2001:db8:77::/48 -m comment --comment "keep me" -j ACCEPT
ip6tables-legacy -A FORWARD -j USER6
ip6tables-legacy -A INPUT -i eth9 -p ipv6-icmp -c 7 700 -j ACCEPT
ip6tables-legacy -t nat -A POSTROUTING -s fd99::/64 -j MASQUERADE
ip6tables-legacy -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack
save6_c >"$TMP/host6"
for t in $TABLES; do foreign6 $t; done >"$TMP/f1"
ok "apply next to the host's IPv6 rules" fw apply $S1
same_output "the host's IPv6 rules and counters survive the apply" "cat $TMP/f1" \
	"for t in $TABLES; do foreign6 \$t; done"
testing "boxnet's IPv6 hooks are FORWARD's first rules, BOXNET-USER first" \
	"ip6tables-legacy -S FORWARD | sed -n 2,3p" \
	"-A FORWARD -j BOXNET-USER
-A FORWARD -j BOXNET-FORWARD
rc=0"
same_output "boxnet's IPv6 part is exact next to them" \
	"save6 filter | grep -E '^(\*|COMMIT\$)|$BOXNET_LINE'" \
	"show6 filter \"\$S1\" | grep -E '^(\*|COMMIT\$)|$BOXNET_LINE'"
ip6tables-legacy -A USER6 -j BOXNET-CT
ok "a jump of the host into a boxnet chain follows it" fw apply $S2
save6_c >"$TMP/held"
testing "... and keeps boxnet from removing that chain" \
	"fw apply 2>&1 | grep -c 'ip6tables filter table: .*jumps into a boxnet chain'" "1
rc=0"
same_output "a refused removal leaves the IPv6 filter table alone" \
	"sed -n '/^\\*filter/,/^COMMIT/p' $TMP/held" "save6_c | sed -n '/^\\*filter/,/^COMMIT/p'"
ip6tables-legacy -D USER6 -j BOXNET-CT
ok "remove boxnet's rules next to the host's" fw apply
same_output "the host's IPv6 rules and counters are as they were, no trace of boxnet" \
	"cat $TMP/host6" "save6_c"
testing "the host's IPv6 policy is kept" "ip6tables-legacy -S FORWARD | head -1" "-P FORWARD DROP
rc=0"
ip6tables-legacy -P FORWARD ACCEPT
for t in $TABLES; do ip6tables-legacy -t $t -F; ip6tables-legacy -t $t -X; done

# --- (d) real IPv6 traffic -----------------------------------------------------
fw6() { fw "$@"; }
. "$(dirname "$0")/fw6traffic.body"
same_output "removal leaves the IPv6 tables empty of boxnet" "save6_all | grep -c BOXNET" "echo 0; false"

finish
