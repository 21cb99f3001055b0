#!/bin/sh
# The layers of ARCHITECTURE.md, checked from the #include lines.
#
#   applets -> core/ops -> core/state, core/model -> lib
#   core/ops -> netlink (netlink/fw included) -> lib
#
# An edge that points up or sideways fails, and so does any include cycle
# between modules (a .c and its .h are one module). Inside core/ops the order
# is the one below (RANKS): a use case includes only lower ranks. Only brctl
# and ipnetns, the kernel verbs of the compatibility applets, reach netlink/
# from applets/, and no other applet includes a netlink header, not even
# through a core header.
#
# usage: layers.sh [ROOT]      (default: the repository this script is in)
#        layers.sh --self-test  plants an upward include and a cycle in a copy
#                               of the tree and checks that both are caught
# Prints one line per violation and "layers: N passed, N failed".
set -u
if [ "${1:-}" = --self-test ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	t=$(mktemp -d) || exit 2
	trap 'rm -rf "$t"' EXIT
	p=0 f=0
	# plant A-TEXT FILE EXPECTED: the checker must fail and name the violation
	plant() {
		rm -rf "$t/tree" && mkdir -p "$t/tree/build" &&
			cp -r "$here/applets" "$here/core" "$here/lib" "$here/netlink" "$t/tree/"
		printf '%s\n' "$1" >>"$t/tree/$2"
		if sh "$here/tests/layers.sh" "$t/tree" >"$t/out" 2>&1; then
			echo "layers self-test: $2 + '$1' passed the check"; f=$((f + 1))
		elif grep -q "$3" "$t/out"; then
			p=$((p + 1))
		else
			echo "layers self-test: $2 + '$1' failed without naming '$3':"; cat "$t/out"; f=$((f + 1))
		fi
	}
	plant '#include "core/ops/network.h"' lib/names.c 'lib/names.c includes core/ops/network.h'
	plant '#include "core/ops/repair.h"' core/ops/endpoint.c 'core/ops/endpoint.c includes core/ops/repair.h'
	plant '#include "core/state/store.h"' core/state/dir.h 'include cycle'
	plant '#include "netlink/link.h"' applets/netls.c 'applets/netls.c includes netlink/link.h'
	echo "layers self-test: $p passed, $f failed"
	[ $f = 0 ]
	exit
fi
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
mkdir -p build

# rank of each use case in core/ops (lower first)
RANKS='session:0 lookup:1 firewall:2 evpn:2 endpoint:3 publish:3 overlay:3 network:4 inspect:5 repair:5 runtime:5'
# files that are a half of another module
ALIASES='core/ops/disconnect:core/ops/endpoint core/ops/network6:core/ops/network core/ops/overlay_net:core/ops/overlay core/ops/overlay_ipsec:core/ops/overlay'
# the rule vocabulary shared by the model and the backends: types and pure functions
SHARED='netlink/fw/rule.h'
# the compatibility applets whose kernel verbs call netlink/ directly
DIRECT='applets/brctl.c applets/ipnetns.c'

rm -f build/layers.bad build/layers.leak build/layers.loop build/layers.tsort
# every include of a file of the tree, as "FROM TO"
find applets core lib netlink -name '*.[ch]' | sort | while read -r f; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r inc; do [ -f "$inc" ] && echo "$f $inc"; done
done >build/layers.edges

awk -v ranks="$RANKS" -v aliases="$ALIASES" -v shared="$SHARED" -v direct="$DIRECT" '
function layer(f) {
	if (f ~ /^applets\//) return "applets"
	if (f ~ /^core\/ops\//) return "ops"
	if (f ~ /^core\/state\//) return "state"
	if (f ~ /^core\/model\//) return "model"
	if (f ~ /^netlink\/fw\//) return "fw"
	if (f ~ /^netlink\//) return "netlink"
	if (f ~ /^lib\//) return "lib"
	return "other"
}
function module(f,   m) { m = f; sub(/\.[ch]$/, "", m); return (m in alias) ? alias[m] : m }
function rank(m,   b) { b = m; sub(/.*\//, "", b); return (b in rk) ? rk[b] : -1 }
function allowed(from, to,   lf, lt, e, a, b) {
	if (module(from) == module(to)) return 1
	lf = layer(from); lt = layer(to); e = lf ":" lt
	if (lt == "other") return 0
	if (e ~ /^applets:(applets|ops|lib)$/) return 1
	if (e == "applets:netlink") return (from in dir)
	if (e ~ /^ops:(state|model|netlink|fw|lib)$/) return 1
	if (e == "ops:ops") { a = rank(module(from)); b = rank(module(to)); return a >= 0 && b >= 0 && b < a }
	if (e ~ /^state:(state|model|lib)$/ || e ~ /^model:(model|lib)$/) return 1
	if (e ~ /^(state|model):fw$/) return to == shared
	if (e ~ /^fw:(fw|netlink|lib)$/ || e ~ /^netlink:(netlink|lib)$/ || e == "lib:lib") return 1
	return 0
}
# reach(f): mark every file f includes, directly or not
function reach(f,   i) {
	if (f in seen) return
	seen[f] = 1
	for (i = 1; i <= nout[f]; i++) reach(out[f, i])
}
BEGIN {
	n = split(ranks, r, " "); for (i = 1; i <= n; i++) { split(r[i], kv, ":"); rk[kv[1]] = kv[2] }
	n = split(aliases, r, " "); for (i = 1; i <= n; i++) { split(r[i], kv, ":"); alias[kv[1]] = kv[2] }
	n = split(direct, r, " "); for (i = 1; i <= n; i++) dir[r[i]] = 1
}
{
	out[$1, ++nout[$1]] = $2; files[$1] = 1
	if (!allowed($1, $2)) print $1 " includes " $2 " (" layer($1) " -> " layer($2) ")" > "build/layers.bad"
	if (module($1) != module($2)) print module($2), module($1) > "build/layers.tsort"
}
END {
	for (f in files) {
		if (f !~ /^applets\/.*\.c$/ || (f in dir)) continue
		delete seen; reach(f)
		for (h in seen) if (h ~ /^netlink\//) print f " reaches " h > "build/layers.leak"
	}
}' build/layers.edges
[ -e build/layers.tsort ] || : >build/layers.tsort

pass=0 fail=0
check() { # NAME FILE: FILE lists the violations
	if [ -s "$2" ]; then
		sort "$2" | while read -r l; do echo "layers: $l"; done
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
rm -f build/layers.loop
tsort build/layers.tsort >/dev/null 2>build/layers.err ||
	echo "include cycle: $(grep -v 'input contains a loop' build/layers.err | sed 's/^tsort: //' | tr '\n' ' ')" >build/layers.loop
: >>build/layers.bad; : >>build/layers.leak
check "every include points down" build/layers.bad
check "no cycle between modules" build/layers.loop
check "applets reach netlink/ only in brctl and ipnetns" build/layers.leak
rm -f build/layers.bad build/layers.leak build/layers.loop build/layers.tsort build/layers.err
echo "layers: $pass passed, $fail failed"
[ $fail = 0 ]
