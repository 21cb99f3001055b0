#!/bin/sh
# slow: against every binary, in a shared lane of run.sh (one of the longest scripts)
# Concurrency and crashes: 50 parallel connects; netconnect killed at random
# points, after which the next command must leave state and kernel agreeing.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=none

# consistent NET: state and kernel agree, no address twice, no stray veth
consistent() {
	local net=$1 br eps veths ips used want
	br=$(sed -n 's/^bridge=//p' /run/boxnet/networks/$net)
	eps=$(ls /run/boxnet/endpoints/$net | sort)
	[ -z "$(find /run/boxnet -name '*.tmp*')" ] || { echo "temporary files left: $(find /run/boxnet -name '*.tmp*')"; return 1; }
	veths=$(ip -o link show master "$br" type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | sort)
	want=$(for e in $eps; do sed -n 's/^veth=//p' /run/boxnet/endpoints/$net/$e; done | sort)
	[ "$veths" = "$want" ] || { echo "veths on $br: [$veths] state: [$want]"; return 1; }
	for e in $eps; do
		ip=$(sed -n 's/^ip=//p' /run/boxnet/endpoints/$net/$e)
		ifn=$(sed -n 's/^ifname=//p' /run/boxnet/endpoints/$net/$e)
		ip -n "$e" -4 -o addr show "$ifn" 2>/dev/null | grep -q " $ip/" ||
			{ echo "$e: $ip not on $ifn"; return 1; }
	done
	ips=$(for e in $eps; do sed -n 's/^ip=//p' /run/boxnet/endpoints/$net/$e; done | sort)
	[ "$(echo "$ips" | uniq -d)" = "" ] || { echo "duplicate addresses: $(echo "$ips" | uniq -d)"; return 1; }
	# the IPAM's used set is exactly the gateway and the endpoints' addresses
	used=$(sed -n 's/^used=//p' /run/boxnet/networks/$net | tr ',' '\n' | awk -F- '
		function n(a, p) { split(a, p, "."); return ((p[1]*256+p[2])*256+p[3])*256+p[4] }
		function s(x) { return int(x/16777216)"."int(x/65536)%256"."int(x/256)%256"."x%256 }
		NF { for (i = n($1); i <= n(NF == 2 ? $2 : $1); i++) print s(i) }' | sort)
	want=$( (sed -n 's/^gateway=//p' /run/boxnet/networks/$net; [ -n "$ips" ] && echo "$ips") | sort)
	[ "$used" = "$want" ] || { echo "IPAM used [$used] != [$want]"; return 1; }
	[ ! -e /run/boxnet/journal ] || { echo "journal left behind"; return 1; }
}

# --- 50 namespaces connected in parallel -------------------------------------------
bx netcreate par >/dev/null
i=0
while [ $i -lt 50 ]; do ip netns add p$i; i=$((i + 1)); done
i=0
while [ $i -lt 50 ]; do bx netconnect par p$i & i=$((i + 1)); done
wait
testing "50 endpoints" "ls /run/boxnet/endpoints/par | wc -l" "50
rc=0"
testing "50 distinct addresses in the namespaces" \
	"for i in \$(seq 0 49); do ip -n p\$i -4 -o addr show eth0 | awk '{print \$4}'; done | sort -u | wc -l" "50
rc=0"
ok "state and kernel agree" consistent par
testing "every container's hosts file lists all 50" \
	"for i in \$(seq 0 49); do ip netns exec p\$i grep -c '	p[0-9]*\$' /etc/hosts; done | sort -u" "50
rc=0"
ok "p0 reaches p49 by name" ip netns exec p0 ping -c1 -W2 p49

# --- kill -9 at random points --------------------------------------------------------
bx netcreate crash >/dev/null
ip netns add k0
bx netconnect crash k0
i=1
bad=0
while [ $i -le 40 ]; do
	ip netns add k$i
	# boxnet itself, not through bx: dash forks a subshell for a function
	# put in the background, and killing that subshell would leave boxnet
	# running on, racing the repair below
	"$BOXNET" netconnect crash k$i &
	pid=$!
	# somewhere between before the lock and after the last write
	sleep "0.00$(( $(od -An -N1 -tu1 /dev/urandom) % 9 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# the next command repairs whatever was left half done
	bx netdisconnect -f crash nosuch >/dev/null 2>&1
	if ! out=$(consistent crash); then
		bad=$((bad + 1))
		echo "after kill $i: $out"
		echo "journal: $(cat /run/boxnet/journal 2>&1)"
		ls -R /run/boxnet | sed 's/^/    /'
	fi
	i=$((i + 1))
done
testing "40 kills: state and kernel always agree after the next command" "echo $bad" "0
rc=0"

# --- deterministic crashes: SIGKILL injected at the Nth netlink send or rename -------
for sc in sendto rename renameat; do
	n=1
	while [ $n -le 6 ]; do
		c=inj-$sc-$n
		ip netns add $c
		strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$n \
			"$BOXNET" netconnect crash $c >/dev/null 2>&1
		left=$([ -e /run/boxnet/journal ] && echo journal || echo clean)
		bx netdisconnect -f crash nosuch >/dev/null 2>&1
		if out=$(consistent crash); then pass "killed at $sc #$n ($left): repaired"; else
			fail "killed at $sc #$n ($left): repaired" "$out"; fi
		n=$((n + 1))
	done
done
testing "some injected kills landed mid-connect (journal repaired)" \
	"ls /run/netns | grep -c '^inj-'" "18
rc=0"
ip netns add last
ok "a fresh connect after the kills" bx netconnect crash last
ok "and is consistent" consistent crash
ok "last reaches k0 by name" ip netns exec last ping -c1 -W2 k0

# --- a vanished container is cleaned up by the next command touching its network ---
ip netns del last
ok "disconnect of another container" bx netdisconnect crash k0
testing "last's endpoint was reaped" "ls /run/boxnet/endpoints/crash | grep -c '^last\$'" "0
rc=1"
ok "consistent after the reap" consistent crash

# --- a teardown that stops half-way keeps the journal; the next command finishes it ---
bx netcreate half >/dev/null
ip netns add h1
ip netns add h2
bx netconnect half h1
# the set file of half (h1's hosts) can no longer be written: a directory
# takes its name (the file is kept aside, on the same filesystem)
SET=$(find /etc/netns/.hosts -samefile /etc/netns/h1/hosts)
mv "$SET" /etc/netns/aside && mkdir "$SET"
testing "a connect whose rollback cannot finish fails" "bx netconnect half h2 >/dev/null 2>&1" "rc=1"
testing "and leaves its intent behind" "sed -n 's/^op=//p' /run/boxnet/journal" "connect
rc=0"
rmdir "$SET" && mv /etc/netns/aside "$SET"
ok "the next mutating command repairs" bx netdisconnect -f half nosuch
testing "h2 is on no network" "ls /run/boxnet/containers | grep -c '^h2\$'; ls /run/boxnet/endpoints/half" "0
h1
rc=0"
testing "h2 has no interface left" "ip -n h2 -o link show | grep -vc ': lo:'" "0
rc=1"
ok "half is consistent" consistent half
bx netconnect half h2
ok "a disconnect that cannot finish keeps the journal too" sh -c '
	SET=$(find /etc/netns/.hosts -samefile /etc/netns/h2/hosts)
	mv "$SET" /etc/netns/aside && mkdir "$SET"
	! "$BOXNET" netdisconnect half h1 2>/dev/null && grep -qx op=disconnect /run/boxnet/journal &&
	rmdir "$SET" && mv /etc/netns/aside "$SET" && "$BOXNET" netprune -f >/dev/null'
testing "and the next command finished it" "ls /run/boxnet/endpoints/half; ls /run/boxnet/containers | grep -c '^h1\$'" "h2
0
rc=1"
testing "h2's hosts file is whole again, without h1" "grep -c '	h[12]\$' /etc/netns/h2/hosts" "1
rc=0"
ok "half is consistent after both" consistent half

# --- a kill during netconnect --pid: the bind mount it made goes with the repair ---
bx netcreate adopt >/dev/null
unshare --net sleep 300 &
pid=$!
own=$(readlink /proc/self/ns/net)
wait_for sh -c "[ -e /proc/$pid/ns/net ] && [ \"\$(readlink /proc/$pid/ns/net)\" != '$own' ]"
# the first netlink request after the attach is the bridge's lookup
strace -f -qq -o /dev/null -e trace=sendto -e inject=sendto:signal=KILL:when=1 \
	"$BOXNET" netconnect --pid $pid adopt adopted >/dev/null 2>&1
testing "killed with the namespace bound and the intent written" \
	"[ -e /run/netns/adopted ] && sed -n 's/^attached=//p' /run/boxnet/journal" "1
rc=0"
ok "the next mutating command repairs" bx netdisconnect -f adopt nosuch
testing "no bind mount left" "[ -e /run/netns/adopted ] || grep -c ' /run/netns/adopted ' /proc/self/mountinfo" "0
rc=1"
ok "the process can be adopted again" bx netconnect --pid $pid adopt adopted
ok "and is consistent" consistent adopt
bx netdisconnect adopt adopted
kill $pid

finish
