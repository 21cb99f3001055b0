#!/bin/sh
# The iptables-nft backend against the legacy one: for the same state,
# iptables-nft-save lists exactly what iptables-legacy-save lists (counters
# aside); the rules and chains someone else made with iptables-nft (and a
# foreign policy) survive boxnet's apply and removal. Traffic through the
# backend: firewall-iptnft.sh.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
norm() { grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'; }
legacy() { for t in raw filter nat; do iptables-legacy-save -t $t | norm; done; }
nftsave() { for t in "$@"; do iptables-nft-save -t $t 2>/dev/null | norm; done; }
# all of nf_tables, so that an empty table or chain left behind shows
everything() { nft list ruleset 2>/dev/null | grep -v '^#' | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'; }
connect_all() {
	bx netconnect web c1 && bx netconnect web c2 && bx netconnect internal c5 && bx netconnect noicc d1 &&
		bx portfwd add c1 8080:80 127.0.0.1:9090:80 9000-9002:9000-9002/udp 7000-7001:80-81
}
disconnect_all() {
	for n in web internal noicc; do
		for c in $(ls /run/boxnet/endpoints/$n); do bx netdisconnect $n $c || return 1; done
	done
}

for c in c1 c2 c5 d1; do ip netns add $c; done
export BOXNET_FIREWALL=iptables
bx netcreate --subnet 172.20.0.0/16 web >/dev/null
bx netcreate --subnet 172.22.0.0/16 --internal internal >/dev/null
bx netcreate --subnet 172.23.0.0/16 -o com.docker.network.bridge.enable_icc=false \
	-o com.docker.network.bridge.enable_ip_masquerade=false noicc >/dev/null
ok "the state, with the legacy backend" connect_all
# a port added on its own is appended to nat BOXNET; a full apply lists the
# ports in the state's order, as the switch below does
ok "the whole set, with the legacy backend" bx netfw apply
legacy >"$TMP/legacy"
testing "the legacy backend installed its rules" "grep -c '^-A BOXNET' $TMP/legacy" "29
rc=0"

# --- the same state through iptables-nft ---------------------------------------------
export BOXNET_FIREWALL=iptables-nft
ok "switch to iptables-nft" bx netfw apply
testing "iptables-nft-save = iptables-legacy-save of the legacy backend" \
	"nftsave raw filter nat | diff $TMP/legacy - && echo same" "same
rc=0"
testing "the legacy backend's rules went" "iptables-legacy-save | grep -c BOXNET" "0
rc=1"
testing "netfw status names it" "bx netfw status" "backend: iptables-nft
reason: BOXNET_FIREWALL=iptables-nft
rc=0"
everything >"$TMP/e1"
ok "apply again" bx netfw apply
testing "apply again: the same rule set" "everything | diff $TMP/e1 - && echo same" "same
rc=0"
testing "iptables-nft takes boxnet's tables as its own" "iptables-nft -t nat -S BOXNET | head -1" "-N BOXNET
rc=0"
ok "everything goes" disconnect_all
testing "nothing left in nf_tables" "everything" "rc=0"

# --- beside rules of someone else --------------------------------------------------
iptables-nft -N FOREIGN
iptables-nft -A FOREIGN -s 10.9.9.9 -j DROP
iptables-nft -A FORWARD -i eth9 -j FOREIGN
iptables-nft -P FORWARD DROP
iptables-nft -t nat -A POSTROUTING -o eth9 -j MASQUERADE
nft add table inet other
nft add chain inet other c
nft add rule inet other c tcp dport 22 accept
everything >"$TMP/e0"
nftsave filter nat >"$TMP/s0"
ok "the state again, beside them" connect_all
testing "their chains, rules and policy are kept" "nftsave filter nat | grep -v BOXNET | diff $TMP/s0 - && echo same" "same
rc=0"
# (as sets: the ports were added on their own, appended)
testing "boxnet's rules are what netfw show says" \
	"nftsave raw filter nat | grep BOXNET | sort > $TMP/got; bx netfw show | grep BOXNET | sort | diff - $TMP/got && echo same" "same
rc=0"
testing "boxnet's jumps come first in FORWARD, the user's chain first" "iptables-nft -S FORWARD" "-P FORWARD DROP
-A FORWARD -j BOXNET-USER
-A FORWARD -j BOXNET-FORWARD
-A FORWARD -i eth9 -j FOREIGN
rc=0"
ok "a port more (apply with them)" bx portfwd add c2 8081:80
ok "and less" bx portfwd del c2 8081:80
testing "still theirs and boxnet's" "nftsave filter nat | grep -v BOXNET | diff $TMP/s0 - &&
	nftsave raw filter nat | grep BOXNET | sort > $TMP/got; bx netfw show | grep BOXNET | sort | diff - $TMP/got && echo same" "same
rc=0"
ok "everything goes" disconnect_all
testing "nf_tables is as before boxnet" "everything | diff $TMP/e0 - && echo same" "same
rc=0"
finish
