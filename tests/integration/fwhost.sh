#!/bin/sh
# The firewall beside the host's own: auto picks the backend where the host's
# iptables rules are (iptables-nft, or legacy x_tables), netfw status says why
# and warns on a mixed host and on other nf_tables tables whose forward chain
# drops, reading only; with FORWARD's policy DROP set beforehand containers
# keep egress, isolation and published ports, the policy stays; the user's
# BOXNET-USER rules survive every boxnet command, in all three backends.
. "$(dirname "$0")/lib.sh"

export BOXNET_FIREWALL=auto
# on H CMD...: boxnet with namespace H as the host, with its own state
on() { local h=$1; shift; ip netns exec "$h" env BOXNET_RUN_DIR="/run/bx-$h" "$BOXNET" "$@"; }
host() { ip netns add "$1"; ip -n "$1" link set lo up; }
status2() { on "$1" netfw status | head -2; }
tcp_get() { ${3:+ip netns exec $3} timeout 12 socat -T5 - TCP:$1:$2,connect-timeout=5${4:+,bind=$4} </dev/null 2>/dev/null | head -1; }

# --- auto ---------------------------------------------------------------------------
host h1
testing "nothing in use: iptables-nft" "status2 h1" "backend: iptables-nft
reason: no iptables rules in use yet, and nf_tables works
rc=0"
testing "status made no legacy table" "ip netns exec h1 cat /proc/net/ip_tables_names" "rc=0"
testing "status made no nf_tables table" "ip netns exec h1 nft list ruleset" "rc=0"

host h2
ip netns exec h2 iptables-nft -A INPUT -s 192.0.2.1 -j DROP
testing "rules in iptables-nft's tables: iptables-nft" "status2 h2" "backend: iptables-nft
reason: the host's iptables rules are in nf_tables (ip filter: 0 chains, 1 rules)
rc=0"

host h3
ip netns exec h3 iptables-legacy -P FORWARD DROP
testing "a legacy policy DROP: iptables (legacy)" "status2 h3" "backend: iptables
reason: the host's iptables rules are in legacy x_tables (filter: FORWARD policy DROP, 0 chains, 0 rules)
rc=0"

host h4
ip netns exec h4 iptables-legacy -L >/dev/null
ip netns exec h4 iptables-legacy -t nat -L >/dev/null
testing "legacy tables made by a look hold nothing: iptables-nft" "status2 h4" "backend: iptables-nft
reason: no iptables rules in use yet, and nf_tables works
rc=0"

host h5
ip netns exec h5 iptables-legacy -N LX
ip netns exec h5 iptables-legacy -A LX -s 192.0.2.7 -j ACCEPT
ip netns exec h5 iptables-legacy -A INPUT -j LX
ip netns exec h5 iptables-nft -A FORWARD -o eth9 -j ACCEPT 2>/dev/null
testing "a mixed host: iptables-nft, with a warning naming both" "on h5 netfw status" "backend: iptables-nft
reason: iptables rules in both legacy x_tables (filter: 1 chains, 2 rules) and nf_tables (ip filter: 0 chains, 1 rules): iptables-nft, today's iptables
warning: iptables rules in both legacy x_tables and nf_tables: legacy filter (1 chains, 2 rules); nf_tables ip filter (0 chains, 1 rules)
rc=0"
ip netns exec h5 iptables-legacy -P FORWARD DROP
testing "a mixed host whose legacy FORWARD drops: legacy" "status2 h5" "backend: iptables
reason: iptables rules in both legacy x_tables (filter: FORWARD policy DROP, 1 chains, 2 rules) and nf_tables (ip filter: 0 chains, 1 rules): legacy's FORWARD drops
rc=0"

host h6
ip netns exec h6 nft add table inet filter
ip netns exec h6 nft add chain inet filter forward '{ type filter hook forward priority 0; policy drop; }'
ip netns exec h6 nft add table inet firewalld
ip netns exec h6 nft add chain inet firewalld filter_FORWARD '{ type filter hook forward priority 10; }'
ip netns exec h6 nft add rule inet firewalld filter_FORWARD ct state established,related accept
ip netns exec h6 nft add rule inet firewalld filter_FORWARD reject with icmpx admin-prohibited
ip netns exec h6 nft list ruleset >"$TMP/h6.before"
testing "forward chains of other tables that drop are named" "on h6 netfw status" "backend: iptables-nft
reason: no iptables rules in use yet, and nf_tables works
warning: nf_tables table inet filter chain forward drops forwarded traffic it does not accept itself (policy drop): containers lose egress and published ports unless it accepts their bridges
warning: nf_tables table inet firewalld chain filter_FORWARD drops forwarded traffic it does not accept itself (its last rule drops everything): containers lose egress and published ports unless it accepts their bridges
rc=0"
testing "status changed nothing" "ip netns exec h6 nft list ruleset | diff $TMP/h6.before - && ip netns exec h6 cat /proc/net/ip_tables_names && echo same" "same
rc=0"
ip netns exec h6 iptables-nft -P FORWARD DROP 2>/dev/null
testing "iptables-nft's own FORWARD drop is no warning for the iptables-nft backend" \
	"on h6 netfw status | grep -c 'table ip filter'" "0
rc=1"
testing "but it is for the nft backend" "BOXNET_FIREWALL=nft on h6 netfw status | grep -c 'table ip filter chain FORWARD'" "1
rc=0"

# the choice is kept: boxnet's rules do not move when the host's firewall changes
host c0
connect_h2() { on h2 netcreate --subnet 172.29.0.0/24 n0 >/dev/null && on h2 netconnect n0 c0; }
ok "connect on h2" connect_h2
testing "the state remembers auto's choice" "grep -E '^(backend|auto)=' /run/bx-h2/firewall" "backend=iptables-nft
auto=the host's iptables rules are in nf_tables (ip filter: 0 chains, 1 rules)
rc=0"
ip netns exec h2 iptables-legacy -P FORWARD DROP
# (boxnet's own chains and rules count: the survey does not tell them apart)
testing "kept after legacy rules came, with a warning" "on h2 netfw status | grep -v '^-'" "backend: iptables-nft
reason: the host's iptables rules are in nf_tables (ip filter: 0 chains, 1 rules)
warning: iptables rules in both legacy x_tables and nf_tables: legacy filter (FORWARD policy DROP, 0 chains, 0 rules); nf_tables ip filter (6 chains, 11 rules), nf_tables ip raw (1 chains, 2 rules), nf_tables ip nat (2 chains, 6 rules)
warning: legacy x_tables filter FORWARD has policy DROP, and boxnet's accepts are not there: containers lose egress and published ports
rc=0"

# --- FORWARD policy DROP beforehand; BOXNET-USER survives -------------------------------
#   remote 10.99.1.2 (.3) --veth-- ext0 10.99.1.1 [the sandbox: host]
#   a (172.30.0.0/24): ca, server on 80      b (172.31.0.0/24): cb
ip netns add remote
ip link add ext0 type veth peer name eth0 netns remote
ip addr add 10.99.1.1/24 dev ext0
ip link set ext0 up
ip -n remote addr add 10.99.1.2/24 dev eth0
ip -n remote addr add 10.99.1.3/24 dev eth0
ip -n remote link set eth0 up
ip -n remote link set lo up
ip netns exec remote socat TCP-LISTEN:7000,fork,reuseaddr SYSTEM:'echo out \$SOCAT_PEERADDR' &
wait_for sh -c "ip netns exec remote ss -ltn | grep -q ':7000 '"
for c in ca cb cc; do ip netns add $c; done

# user_rules BACKEND: what BOXNET-USER holds, as the backend's tool lists it
user_rules() {
	case $1 in
	iptables) iptables-legacy -S BOXNET-USER ;;
	iptables-nft) iptables-nft -S BOXNET-USER 2>/dev/null ;;
	nft) nft -a list chain ip boxnet BOXNET-USER | sed -E 's/ # handle [0-9]+//' | grep -v '^#' ;;
	esac
}
# first_forward BACKEND: the first rule of FORWARD
first_forward() {
	case $1 in
	iptables) iptables-legacy -S FORWARD | sed -n 2p ;;
	iptables-nft) iptables-nft -S FORWARD 2>/dev/null | sed -n 2p ;;
	nft) nft list chain ip boxnet filter-FORWARD | grep -m1 -E 'jump|goto' | sed 's/^[[:space:]]*//' ;;
	esac
}
# add_user BACKEND: a LOG rule and a source allow-list (only 10.99.1.2 from ext0)
add_user() {
	case $1 in
	iptables | iptables-nft)
		ipt=iptables-legacy; [ $1 = iptables-nft ] && ipt=iptables-nft
		$ipt -I BOXNET-USER -j LOG --log-prefix "bxuser: " 2>/dev/null &&
			$ipt -A BOXNET-USER -i ext0 ! -s 10.99.1.2 -j DROP 2>/dev/null ;;
	nft)
		nft insert rule ip boxnet BOXNET-USER log prefix '"bxuser: "' &&
			nft add rule ip boxnet BOXNET-USER iifname ext0 ip saddr != 10.99.1.2 drop ;;
	esac
}
flush_user() {
	case $1 in
	iptables) iptables-legacy -F BOXNET-USER ;;
	iptables-nft) iptables-nft -F BOXNET-USER 2>/dev/null ;;
	nft) nft flush chain ip boxnet BOXNET-USER ;;
	esac
}
# survives BACKEND WHAT CMD...: after CMD, BOXNET-USER holds what it held and comes first
survives() {
	local be=$1 what=$2
	shift 2
	if ! "$@" >"$TMP/o" 2>&1; then fail "$be: $what" "$(cat "$TMP/o")"; return; fi
	if user_rules $be | cmp -s "$TMP/user.$be" - &&
		[ "$(first_forward $be)" = "$(cat "$TMP/first.$be")" ]; then
		pass "$be: the user's rules survive $what"
	else
		fail "$be: the user's rules survive $what" "$(user_rules $be | diff "$TMP/user.$be" -)" \
			"first in FORWARD: $(first_forward $be)"
	fi
}

# scenario BACKEND TOOL: TOOL set FORWARD's policy to DROP beforehand (none for nft)
scenario() {
	local be=$1 ipt=$2
	export BOXNET_RUN_DIR=/run/bx-$be
	[ -n "$ipt" ] && $ipt -P FORWARD DROP 2>/dev/null
	[ $be = nft ] && export BOXNET_FIREWALL=nft
	"$BOXNET" netcreate --subnet 172.30.0.0/24 a >/dev/null
	"$BOXNET" netcreate --subnet 172.31.0.0/24 b >/dev/null
	"$BOXNET" netconnect a ca
	"$BOXNET" netconnect b cb
	testing "$be: the backend auto picks (nft: asked for)" "$BOXNET netfw status | head -1" "backend: $be
rc=0"
	ip netns exec ca socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo ca' &
	srv=$!
	wait_for sh -c "ip netns exec ca ss -ltn | grep -q ':80 '"
	testing "$be: egress" "tcp_get 10.99.1.2 7000 ca" "out 10.99.1.1
rc=0"
	testing "$be: networks are isolated" "tcp_get 172.30.0.2 80 cb" "rc=0"
	ok "$be: publish 8080" "$BOXNET" portfwd add ca 8080:80
	testing "$be: the published port" "tcp_get 10.99.1.1 8080 remote" "ca
rc=0"
	if [ -n "$ipt" ]; then
		testing "$be: FORWARD's policy is still DROP" "$ipt -S FORWARD 2>/dev/null | head -1" "-P FORWARD DROP
rc=0"
	fi
	testing "$be: BOXNET-USER comes first, empty" "first_forward $be; user_rules $be | grep -c -E 'LOG|log'" \
		"$([ $be = nft ] && echo 'jump BOXNET-USER' || echo '-A FORWARD -j BOXNET-USER')
0
rc=1"
	ok "$be: the user adds a LOG rule and an allow-list" add_user $be
	user_rules $be >"$TMP/user.$be"
	first_forward $be >"$TMP/first.$be"
	testing "$be: the allow-list applies: 10.99.1.2 gets in" "tcp_get 10.99.1.1 8080 remote" "ca
rc=0"
	testing "$be: the allow-list applies: 10.99.1.3 does not" "tcp_get 10.99.1.1 8080 remote 10.99.1.3" "rc=0"
	survives $be "netcreate" "$BOXNET" netcreate --subnet 172.28.0.0/24 c
	survives $be "netconnect" "$BOXNET" netconnect c cc
	survives $be "portfwd add" "$BOXNET" portfwd add cc 8082:80
	survives $be "portfwd del" "$BOXNET" portfwd del cc 8082:80
	survives $be "netdisconnect" "$BOXNET" netdisconnect c cc
	survives $be "netrm" "$BOXNET" netrm c
	survives $be "netfw apply" "$BOXNET" netfw apply
	testing "$be: egress still" "tcp_get 10.99.1.2 7000 ca" "out 10.99.1.1
rc=0"
	survives $be "the last network's removal" sh -c \
		"$BOXNET netdisconnect a ca && $BOXNET netdisconnect b cb && $BOXNET netrm a && $BOXNET netrm b"
	survives $be "a network again" sh -c "$BOXNET netcreate --subnet 172.30.0.0/24 a >/dev/null && $BOXNET netconnect a ca"
	ok "$be: the user empties BOXNET-USER" flush_user $be
	ok "$be: and boxnet goes" sh -c "$BOXNET netdisconnect a ca && $BOXNET netrm a"
	case $be in
	iptables) testing "$be: nothing of boxnet's left" "iptables-legacy-save | grep -c BOXNET" "0
rc=1" ;;
	iptables-nft) testing "$be: nothing of boxnet's left" "iptables-nft-save 2>/dev/null | grep -c BOXNET" "0
rc=1" ;;
	nft) testing "$be: nothing of boxnet's left" "nft list tables | grep -c boxnet" "0
rc=1" ;;
	esac
	[ -n "$ipt" ] && $ipt -P FORWARD ACCEPT 2>/dev/null
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
}

scenario iptables iptables-legacy
scenario iptables-nft iptables-nft
scenario nft ""
kill $(jobs -p) 2>/dev/null

finish
