#!/bin/sh
# The iptables-nft backend's IPv6 half (ip6tables-nft's tables ip6 raw,
# filter, nat; netlink/fw/iptnft.c) driven through build/tools/fwctl:
#   - ip6tables-nft-save lists exactly what ip6tables-legacy-save lists for
#     the legacy backend with the same dual-stack rule set (iptables-nft-save
#     likewise for the IPv4 half);
#   - each rule is the expression sequence ip6tables-nft itself writes: its
#     restore of the saved text gives the same `nft --debug=netlink` listing
#     (handles, and the empty built-in chains it makes, aside);
#   - the host's own ip6tables-nft rules survive apply and removal; removal
#     leaves nf_tables as it was;
#   - real IPv6 traffic through its rules (fw6traffic.body).
. "$(dirname "$0")/lib.sh"

FWCTL=${FWCTL:-$(cd "$(dirname "$0")/../.." && pwd)/build/tools/fwctl}
if [ ! -x "$FWCTL" ]; then
	fail "no $FWCTL: run make build/tools/fwctl first"; finish
fi
if ! command -v ip6tables-nft-save >/dev/null || ! "$FWCTL" iptables-nft available; then
	echo "SKIP: $T_NAME: no ip6tables-nft or no nf_tables"; finish
fi

S1="net:br-a:172.18.0.0/16 net:br-a:[fd00:1::/64]
    port:tcp:0.0.0.0:8080:172.18.0.2:80:br-a port:tcp:[::]:8080:[fd00:1::2]:80:br-a
    net:br-b:[fd00:2::/64]:internal:noicc net:br-c:[2001:db8:3::/64]:noicc:nomasq
    port:udp:[2001:db8:99::1]:5353:[2001:db8:3::3]:53:br-c
    port:sctp:[::]:9000-9010:[fd00:1::2]:7000-7010:br-a
    port:tcp:[::]:8000-8010:[fd00:1::3]:8000-8010:br-a
    net:br-d:[fd00:4::/60]:snat=2001:db8:99::1"
S1=$(echo $S1)
norm() { grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'; }
legacy6() { for t in raw filter nat; do ip6tables-legacy-save -t $t | norm; done; }
legacy4() { for t in raw filter nat; do iptables-legacy-save -t $t | norm; done; }
nft6() { for t in raw filter nat; do ip6tables-nft-save -t $t 2>/dev/null | norm; done; }
nft4() { for t in raw filter nat; do iptables-nft-save -t $t 2>/dev/null | norm; done; }
# the expressions of ip6 filter and nat, without handles and empty chains' headers
exprs() {
	for t in filter nat; do nft --debug=netlink list table ip6 $t 2>/dev/null; done |
		grep -E '^(ip6 |  \[)' | sed -E 's/^(ip6 [a-z]+ [A-Z-]+) [0-9]+( [0-9]+)?$/\1/'
}
everything() { nft list ruleset 2>/dev/null | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'; }

ok "the legacy backend installs the dual-stack rule set" "$FWCTL" iptables apply $S1
legacy6 >"$TMP/legacy6"
legacy4 >"$TMP/legacy4"
testing "... with IPv6 rules" "grep -c '^-A BOXNET' $TMP/legacy6" "32
rc=0"
ok "and takes it away" "$FWCTL" iptables apply

everything >"$TMP/pristine"
ok "the iptables-nft backend installs the same" "$FWCTL" iptables-nft apply $S1
testing "ip6tables-nft-save = ip6tables-legacy-save of the legacy backend" \
	"nft6 | diff $TMP/legacy6 - && echo same" "same
rc=0"
testing "iptables-nft-save = iptables-legacy-save of the legacy backend" \
	"nft4 | diff $TMP/legacy4 - && echo same" "same
rc=0"
testing "fwctl's render ends with the same ip6tables-save text" \
	"$FWCTL iptables-nft show $S1 | awk '/^\\*raw\$/ { n++ } n == 2' | diff $TMP/legacy6 - && echo same" "same
rc=0"
exprs >"$TMP/exprs-boxnet"
for t in raw filter nat; do ip6tables-nft-save -t $t; done >"$TMP/saved"
ok "taken away" "$FWCTL" iptables-nft apply
same_output "nothing left: nf_tables is as before" "cat $TMP/pristine" "everything"
ok "ip6tables-nft-restore loads the saved rules" ip6tables-nft-restore "$TMP/saved"
same_output "ip6tables-nft writes each rule as the same expressions" \
	"cat $TMP/exprs-boxnet" "exprs"
ip6tables-nft-save >"$TMP/all"
for t in raw filter nat; do ip6tables-nft -t $t -F; ip6tables-nft -t $t -X; done
nft flush ruleset

# --- the host's own ip6tables-nft rules ----------------------------------------
ip6tables-nft -P FORWARD DROP
ip6tables-nft -N USER6
ip6tables-nft -A USER6 -s 2001:db8:77::/48 -j ACCEPT
ip6tables-nft -A FORWARD -j USER6
ip6tables-nft -t nat -A POSTROUTING -s fd99::/64 -j MASQUERADE
ip6tables-nft -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack
nft6 >"$TMP/host6"
ok "apply next to the host's IPv6 rules" "$FWCTL" iptables-nft apply $S1
testing "the host's chains and rules are still there" \
	"nft6 | grep -E 'USER6|fd99|notrack|:FORWARD DROP'" "-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack
:FORWARD DROP [0:0]
:USER6 - [0:0]
-A FORWARD -j USER6
-A USER6 -s 2001:db8:77::/48 -j ACCEPT
-A POSTROUTING -s fd99::/64 -j MASQUERADE
rc=0"
testing "boxnet's hooks are on top of the host's rules" \
	"ip6tables-nft -S FORWARD 2>/dev/null | sed -n 2,4p; ip6tables-nft -t nat -S POSTROUTING 2>/dev/null | sed -n 2,3p" \
	"-A FORWARD -j BOXNET-USER
-A FORWARD -j BOXNET-FORWARD
-A FORWARD -j USER6
-A POSTROUTING -j BOXNET-POSTROUTING
-A POSTROUTING -s fd99::/64 -j MASQUERADE
rc=0"
ok "take boxnet's rules away" "$FWCTL" iptables-nft apply
same_output "the host's IPv6 rules are exactly as they were" "cat $TMP/host6" "nft6"
ip6tables-nft -P FORWARD ACCEPT
for t in raw filter nat; do ip6tables-nft -t $t -F; ip6tables-nft -t $t -X; done

# --- real IPv6 traffic (fw6traffic.body) ----------------------------------------
fw6() { "$FWCTL" iptables-nft "$@"; }
. "$(dirname "$0")/fw6traffic.body"
testing "removal leaves no boxnet chain in ip6tables-nft's tables" "nft6 | grep -c BOXNET" "0
rc=1"

finish
