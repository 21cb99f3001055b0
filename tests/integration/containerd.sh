#!/bin/sh
# once: containerd 1.6 and `ctr run --cni` driving boxnet as a CNI plugin
# A containerd started inside the sandbox with its own root, state and
# socket runs real containers (its runc shim calling crun through a small
# wrapper: runc wants cgroup controllers the sandbox lacks) from an OCI image
# built here by hand from busybox-static and imported with `ctr image
# import`. `ctr run --cni` puts them on a conflist of type boxnet: their
# addresses, ping between them by address and by name (ctr names a
# container NAMESPACE-ID to CNI; boxnet's hosts files, bound into the
# containers, resolve it), a foreground `ctr run --rm --cni` whose exit makes
# ctr call DEL, and a detached container, for which ctr calls none, gone at
# the next ADD once it died.
#
# Private: tmpfs over /var/lib/containerd, /var/lib/cni, /etc/containerd,
# /etc/cni and /opt (ctr's CNI plugins are in /opt/cni/bin, its conflists in
# /etc/cni/net.d), /var under an overlay; containerd's root, state and
# sockets in $TMP; a read-only cgroup2 at /sys/fs/cgroup for the shim to
# find (crun makes no cgroup).
. "$(dirname "$0")/lib.sh"

bx() { "$BOXNET" "$@"; }
export BOXNET_FIREWALL=nft
D=$TMP/ctd
export CONTAINERD_ADDRESS=$D/sock
c() { timeout 120 ctr "$@"; }
# endpoints NETWORK: its containers' boxnet names and addresses
endpoints() { bx netinspect -f '{{json .Containers}}' "$1" | jq -r '[.[] | .Name + " " + .IPv4Address] | sort | .[]'; }

if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null || ! command -v crun >/dev/null; then
	echo "containerd: SKIP: containerd, ctr or crun not installed (tests/deps.sh test)"
	finish
fi
# --- the private world containerd lives in ---
private_world /var/lib/containerd /var/lib/cni /etc/containerd /etc/cni /opt
mkdir -p /opt/cni/bin /etc/cni/net.d "$D"
cp /usr/lib/cni/* /opt/cni/bin/ 2>/dev/null
cp "$BOXNET" /opt/cni/bin/boxnet
echo '{"cniVersion": "1.0.0", "name": "ctdnet", "plugins": [{"type": "boxnet", "subnet": "10.91.0.0/24"}]}' \
	>/etc/cni/net.d/10-boxnet.conflist
cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$D/sock"
[ttrpc]
  address = "$D/ttrpc.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$D/opt"
EOF
printf '#!/bin/sh\nexec crun --cgroup-manager=disabled "$@"\n' >"$D/crun"
chmod +x "$D/crun"
containerd --config "$D/config.toml" >"$D/log" 2>&1 &
CTD=$!
if ! wait_long ctr version; then
	fail "containerd starts" "$(tail -5 "$D/log")"
	finish
fi

# --- an OCI image by hand: one layer, the busybox rootfs ----------------------------------
R=$TMP/rootfs O=$TMP/oci
mkdir -p "$R/bin" "$R/etc" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$O/blobs/sha256"
cp /bin/busybox "$R/bin/"
for a in sh ping ip cat ln sleep; do ln -s busybox "$R/bin/$a"; done
# blob FILE: FILE moved to its digest's place; its digest and size in $DG $SZ
blob() {
	DG=sha256:$(sha256sum "$1" | cut -d' ' -f1) SZ=$(stat -c %s "$1")
	mv "$1" "$O/blobs/sha256/${DG#sha256:}"
}
tar -C "$R" -cf "$O/layer" .
blob "$O/layer"; LAYER=$DG LSZ=$SZ
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
	$LAYER >"$O/config"
blob "$O/config"; CONFIG=$DG CSZ=$SZ
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
	$CONFIG $CSZ $LAYER $LSZ >"$O/manifest"
blob "$O/manifest"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"localhost/bb:latest","org.opencontainers.image.ref.name":"latest"}}]}' \
	$DG $SZ >"$O/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$O/oci-layout"
tar -C "$O" -cf "$TMP/image.tar" oci-layout index.json blobs
ok "ctr image import of the hand-made OCI image" c image import "$TMP/image.tar"
testing "ctr lists it" "c image ls -q" "localhost/bb:latest
rc=0"

# --- two detached containers on boxnet ------------------------------------------------------
# /etc/netns bound whole, /etc/hosts a link to the container's own hosts file
BIND="type=bind,src=/etc/netns,dst=/etc/netns,options=rbind:ro"
run() {
	local name=$1
	shift
	c run --cni --runc-binary "$D/crun" --cap-add CAP_NET_RAW --mount "$BIND" "$@" \
		localhost/bb:latest $name sh -c "ln -sf /etc/netns/default-$name/hosts /etc/hosts; exec sleep 600"
}
ok "ctr run -d --cni c1" run c1 -d
ok "ctr run -d --cni c2" run c2 -d
testing "both run" "c task ls | awk 'NR > 1 {print \$1, \$3}' | sort" "c1 RUNNING
c2 RUNNING
rc=0"
testing "boxnet has them, named as ctr names them to CNI" "endpoints ctdnet" "default-c1 10.91.0.2/24
default-c2 10.91.0.3/24
rc=0"
testing "the address is on eth0 inside" \
	"c task exec --exec-id a1 c1 ip -4 -o addr show eth0 | awk '{print \$4}'" "10.91.0.2/24
rc=0"
ok "c1 pings c2 by address" c task exec --exec-id p1 c1 ping -c1 -W2 10.91.0.3
ok "c2 pings c1 by address" c task exec --exec-id p2 c2 ping -c1 -W2 10.91.0.2
ok "c1 pings c2 (started after it) by name" c task exec --exec-id p3 c1 ping -c1 -W2 default-c2
ok "c2 pings c1 by name" c task exec --exec-id p4 c2 ping -c1 -W2 default-c1

# --- a foreground ctr run --rm --cni: ctr calls DEL when it exits --------------------------
testing "ctr run --rm --cni c3 pings c1 by name, then exits" \
	"c run --rm --cni --runc-binary $D/crun --cap-add CAP_NET_RAW --mount $BIND localhost/bb:latest c3 sh -c 'ln -sf /etc/netns/default-c3/hosts /etc/hosts; ip -4 -o addr show eth0 | cut -d\" \" -f7 && ping -c1 -W2 default-c1 >/dev/null && echo pinged c1'" \
	"10.91.0.4/24
pinged c1
rc=0"
testing "its DEL removed the endpoint, the namespace name and the names" \
	"endpoints ctdnet | grep -c c3; ls /run/netns /etc/netns | grep -c default-c3; grep -c default-c3 /etc/netns/default-c1/hosts" "0
0
0
rc=1"

# --- a detached container's end: kill, task rm, container rm, then its DEL ----------------
veth1=$(sed -n 's/^veth=//p' /run/boxnet/endpoints/ctdnet/default-c1)
# del ID: DEL as libcni runs it, from the configuration it cached at ADD
del() {
	jq -r '.config' /var/lib/cni/results/ctdnet-$1-eth0 | base64 -d | jq -c '.plugins[0] + {cniVersion, name}' |
		CNI_COMMAND=DEL CNI_CONTAINERID=$1 CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin /opt/cni/bin/boxnet
}
ok "ctr task kill c1" c task kill -s KILL c1
ok "c1 stops" wait_long sh -c "ctr task ls | grep -q '^c1 .*STOPPED'"
ok "ctr task rm c1" c task rm c1
ok "ctr container rm c1" c container rm c1
# ctr 1.6 runs no CNI command when it deletes a detached container (only a
# foreground `run --rm --cni` does): c1's CNI_NETNS, /proc/PID/ns/net, now
# leads nowhere, and the next ADD (c4's) tears c1 down as its DEL would
testing "no DEL: c1 is still on the network" "endpoints ctdnet | grep -c default-c1" "1
rc=0"
ok "ctr run -d --cni c4" run c4 -d
testing "c1's endpoint, veth, namespace name and names are gone" \
	"endpoints ctdnet | cut -d' ' -f1; ip -o link show $veth1 2>/dev/null | wc -l; ls /run/netns /etc/netns | grep -c default-c1; grep -c default-c1 /etc/netns/default-c2/hosts" "default-c2
default-c4
0
0
0
rc=1"
testing "DEL of c1 after that, as libcni would: 0" "del default-c1" "rc=0"

# --- the end: c2 the same way, containerd stopped, nothing left -----------------------------
for n in c2 c4; do
	c task kill -s KILL $n >/dev/null 2>&1
	wait_long sh -c "ctr task ls | grep -q '^$n .*STOPPED'"
	c task rm $n >/dev/null && c container rm $n >/dev/null
	del default-$n
done
kill $CTD
wait $CTD
testing "containerd stopped" "kill -0 $CTD 2>/dev/null" "rc=1"
testing "no endpoint, veth or namespace name left" \
	"bx netinspect -f '{{len .Containers}}' ctdnet; ip -o link show type veth | wc -l; ls /run/netns /etc/netns | grep -vc ':\$\|^\$'" "0
0
0
rc=1"
finish
