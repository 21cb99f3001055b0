#!/bin/sh
# once: podman 4.3 with its CNI network backend driving boxnet as a CNI plugin
# Real containers (crun, conmon) from a local busybox-static image on a
# conflist of type boxnet: their addresses, ping between them by address and
# by the names podman gives them (through boxnet's hosts files, bound into
# the containers), `podman run -p` reached from another namespace acting as
# a LAN host, from the host and from the other container, `podman network`
# seeing the network, `podman network connect/disconnect`, and `podman rm -f`
# leaving no endpoint, veth, rule or name behind.
#
#   outside 10.99.1.2 --veth-- ext0 10.99.1.1  [host = the sandbox]
#                               pmnet 10.89.0.0/24: c1 (httpd :80, -p 8080:80), c2
#                               pmnet2 10.90.0.0/24: joined later by c2 and c1
#
# Everything podman keeps is private to the sandbox: tmpfs over
# /var/lib/containers, /var/lib/cni (libcni's result cache), /var/tmp,
# /etc/containers and /etc/cni (/var itself under an overlay, so that no
# directory is ever made on the host), storage in $TMP, a read-only cgroup2
# at /sys/fs/cgroup only so that podman sees cgroup v2: containers run with
# --cgroups=disabled, no cgroup is made.
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=nft
pm() { timeout 120 podman "$@"; }
short() { echo "$1" | cut -c1-12; }

if ! command -v podman >/dev/null || ! command -v conmon >/dev/null || ! command -v crun >/dev/null; then
	echo "podman: SKIP: podman, conmon or crun not installed (tests/deps.sh test)"
	finish
fi
# --- the private world podman lives in ---
private_world /var/lib/containers /var/lib/cni /var/tmp /etc/containers /etc/cni
mkdir -p "$TMP/cnibin" "$TMP/tmp" /etc/cni/net.d
cp /usr/lib/cni/* "$TMP/cnibin/" 2>/dev/null
cp "$BOXNET" "$TMP/cnibin/boxnet"
cat >/etc/containers/containers.conf <<EOF
[containers]
log_driver = "k8s-file"
[network]
network_backend = "cni"
cni_plugin_dirs = ["$TMP/cnibin"]
network_config_dir = "/etc/cni/net.d"
[engine]
cgroup_manager = "cgroupfs"
runtime = "crun"
events_logger = "file"
image_copy_tmp_dir = "$TMP/tmp"
EOF
cat >/etc/containers/storage.conf <<EOF
[storage]
driver = "vfs"
graphroot = "$TMP/graph"
runroot = "$TMP/runroot"
EOF
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >/etc/containers/policy.json
for n in 1 2; do
	cat >/etc/cni/net.d/boxnet-$n.conflist <<-EOF
	{"cniVersion": "1.0.0", "name": "pmnet${n#1}",
	 "plugins": [{"type": "boxnet", "subnet": "10.$((88 + n)).0.0/24",
	  "capabilities": {"portMappings": true, "ips": true, "mac": true, "aliases": true}}]}
	EOF
done

ip netns add outside
ip link add ext0 type veth peer name eth0 netns outside
ip addr add 10.99.1.1/24 dev ext0
ip link set ext0 up
ip -n outside addr add 10.99.1.2/24 dev eth0
ip -n outside link set eth0 up

# --- a local image: busybox-static and its links, nothing from the network -------------
R=$TMP/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/www" "$R/proc" "$R/sys" "$R/dev" "$R/tmp"
cp /bin/busybox "$R/bin/"
for a in sh ping httpd ip cat ln hostname sleep wget; do ln -s busybox "$R/bin/$a"; done
echo 'root:x:0:0:root:/:/bin/sh' >"$R/etc/passwd"
echo 'root:x:0:' >"$R/etc/group"
echo hello-from-c1 >"$R/www/index.html"
tar -C "$R" -cf "$TMP/rootfs.tar" .
ok "podman import of the busybox rootfs" pm import --change 'CMD ["/bin/sh"]' "$TMP/rootfs.tar" localhost/bb:latest

# --- podman sees boxnet's networks ---------------------------------------------------------
testing "podman network ls lists the conflists with their plugin" \
	"pm network ls --format '{{.Name}} {{.Driver}}' | grep pmnet" "pmnet boxnet
pmnet2 boxnet
rc=0"
testing "podman network inspect names boxnet as the driver" \
	"pm network inspect pmnet | jq -r '.[0] | .name + \" \" + .driver'" "pmnet boxnet
rc=0"

# --- two containers ------------------------------------------------------------------------
# boxnet's hosts files are the containers' names: /etc/netns bound whole, and
# /etc/hosts a link to the container's own file (podman's hostname is the
# short ID, boxnet's directory the full one); ping needs CAP_NET_RAW, which
# podman 4.3 no longer gives by default
START='ln -sf /etc/netns/$(hostname)*/hosts /etc/hosts'
run() { pm run -d --cgroups=disabled --no-hosts --cap-add NET_RAW -v /etc/netns:/etc/netns:ro "$@"; }
ok "podman run -d --network pmnet -p 8080:80 c1" run --network pmnet -p 8080:80 --name c1 \
	localhost/bb sh -c "$START; exec httpd -f -p 80 -h /www"
ok "podman run -d --network pmnet --network-alias web c2" run --network pmnet --network-alias db \
	--name c2 localhost/bb sh -c "$START; exec sleep 600"
ID1=$(pm inspect -f '{{.Id}}' c1)
ID2=$(pm inspect -f '{{.Id}}' c2)
A1=$(pm inspect -f '{{.NetworkSettings.Networks.pmnet.IPAddress}}' c1)
A2=$(pm inspect -f '{{.NetworkSettings.Networks.pmnet.IPAddress}}' c2)
testing "podman's addresses are boxnet's first two of the subnet" "echo $A1 $A2" "10.89.0.2 10.89.0.3
rc=0"
testing "the address is on eth0 inside the container" \
	"pm exec c1 ip -4 -o addr show eth0 | awk '{print \$4}'" "10.89.0.2/24
rc=0"
testing "netinspect lists both, named by their IDs" \
	"bx netinspect -f '{{json .Containers}}' pmnet | jq -r '[.[] | .Name + \" \" + .IPv4Address] | sort | .[]'" \
	"$(printf '%s 10.89.0.2/24\n%s 10.89.0.3/24' $ID1 $ID2 | sort)
rc=0"
testing "boxnet's hosts file names them as podman does: name, alias, short ID" \
	"grep '^10\.89\.0\.[23]	' /etc/netns/$ID2/hosts | cut -f2" "$ID1 c1 $(short $ID1)
$ID2 c2 db $(short $ID2)
rc=0"
ok "c1 pings c2 by address" pm exec c1 ping -c1 -W2 10.89.0.3
ok "c2 pings c1 by address" pm exec c2 ping -c1 -W2 10.89.0.2
ok "c1 pings c2 (started after it) by name" pm exec c1 ping -c1 -W2 c2
ok "c1 pings c2 by its network alias" pm exec c1 ping -c1 -W2 db
ok "c2 pings c1 by name" pm exec c2 ping -c1 -W2 c1

# --- the published port ---------------------------------------------------------------
wait_long pm exec c1 sh -c 'wget -qO- http://127.0.0.1/ | grep -q hello'
testing "podman port shows the mapping" "pm port c1" "80/tcp -> 0.0.0.0:8080
rc=0"
testing "portfwd ls shows it as boxnet's" "bx portfwd ls $ID1" "80/tcp -> 0.0.0.0:8080
rc=0"
testing "the port is served to a LAN host" "ip netns exec outside wget -T5 -qO- http://10.99.1.1:8080/" "hello-from-c1
rc=0"
testing "from the host through 127.0.0.1" "wget -T5 -qO- http://127.0.0.1:8080/" "hello-from-c1
rc=0"
testing "from the other container through the host's address" \
	"pm exec c2 wget -qO- http://10.99.1.1:8080/" "hello-from-c1
rc=0"

# --- podman network connect / disconnect ----------------------------------------------
ok "podman network connect pmnet2 c2" pm network connect pmnet2 c2
ok "podman network connect --alias api pmnet2 c1" pm network connect --alias api pmnet2 c1
testing "c2 has an address on the later network" "pm exec c2 ip -4 -o addr show eth1 | awk '{print \$4}'" "10.90.0.2/24
rc=0"
testing "netinspect lists both on it" \
	"bx netinspect -f '{{json .Containers}}' pmnet2 | jq -r '[.[] | .IPv4Address] | sort | join(\" \")'" \
	"10.90.0.2/24 10.90.0.3/24
rc=0"
ok "c2 pings c1's later alias (its running hosts file learnt it)" pm exec c2 ping -c1 -W2 api
veth=$(sed -n 's/^veth=//p' /run/boxnet/endpoints/pmnet2/$ID2)
ok "podman network disconnect pmnet2 c2" pm network disconnect pmnet2 c2
testing "its endpoint on pmnet2 went, the veth too" \
	"ls /run/boxnet/endpoints/pmnet2 | grep -c $ID2; ip -o link show $veth 2>/dev/null | wc -l; pm exec c2 ip -o link show eth1 2>/dev/null | wc -l" "0
0
0
rc=0"
testing "and c2 forgot pmnet2's names" "grep -c '^10\.90\.' /etc/netns/$ID2/hosts" "0
rc=1"
ok "c2 still reaches c1 on pmnet" pm exec c2 ping -c1 -W2 c1

# --- podman rm -f: boxnet's DEL leaves nothing -----------------------------------------
ok "podman rm -f c1 c2" pm rm -f -t 0 c1 c2
testing "no container left on either network" \
	"bx netinspect -f '{{len .Containers}}' pmnet pmnet2" "0
0
rc=0"
testing "no veth, namespace name or hosts directory left" \
	"ip -o link show type veth | grep -vc '^[0-9]*: ext0@'; ls /run/netns /etc/netns | grep -vc ':\$\|^\$\|^outside\$'" "0
0
rc=1"
testing "no published port, no rule for it" "bx portfwd ls; nft list ruleset | grep -c 8080" "0
rc=1"
testing "no state of the containers" \
	"ls /run/boxnet/endpoints/pmnet /run/boxnet/endpoints/pmnet2 /run/boxnet/containers /run/boxnet/ports 2>/dev/null | grep -vc ':\$\|^\$'" "0
rc=1"
finish
