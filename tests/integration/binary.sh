#!/bin/sh
# The multicall binary itself: static, self-contained, dispatch, exit codes,
# links, configurations and make install.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATIC=$ROOT/build/default/boxnet
testing "the release binary is static" "file -b $STATIC | grep -o 'statically linked'" "statically linked
rc=0"
testing "and stripped" "file -b $STATIC | grep -o 'stripped' | head -1" "stripped
rc=0"
mkdir -p "$TMP/chroot"
cp "$STATIC" "$TMP/chroot/boxnet"
testing "it runs in an empty chroot" "chroot $TMP/chroot /boxnet --version | cut -d' ' -f1" "boxnet
rc=0"
testing "--list: every applet of the configuration" "\"$BOXNET\" --list | tr '\n' ' '" \
	"brctl ipnetns netconnect netcreate netdisconnect netfw netinspect netls netprune netrm ocihook portfwd vxlan rc=0"
testing "unknown applet: 127" "\"$BOXNET\" frob 2>&1" "boxnet: applet not found: frob
rc=127"
testing "boxnet with no applet: help, exit 0" "\"$BOXNET\" | head -1 | cut -d: -f1 | cut -d' ' -f1" "boxnet
rc=0"
for a in $("$BOXNET" --list); do
	testing "$a --help: usage on stdout, exit 0" "\"$BOXNET\" $a --help | head -1 | grep -c '^Usage: $a'" "1
rc=0"
done
testing "bad usage of a native applet: 2, usage on stderr" \
	"\"$BOXNET\" netcreate 2>&1 >/dev/null | head -1; \"$BOXNET\" netcreate >/dev/null 2>&1" \
	"Usage: netcreate [OPTIONS] NAME
rc=2"
mkdir -p "$TMP/bin"
ok "--install DIR" "$BOXNET" --install "$TMP/bin"
testing "one link per applet, to the binary" "ls $TMP/bin | wc -l; readlink $TMP/bin/brctl" "13
$BOXNET
rc=0"
testing "called through a link" "$TMP/bin/netls --help | head -1" "Usage: netls [-q] [--no-trunc] [--format table|json|TEMPLATE] [-f|--filter KEY=VALUE]...
rc=0"
ok "--install again replaces its own links" "$BOXNET" --install "$TMP/bin"
testing "--install to a missing directory fails" "\"$BOXNET\" --install $TMP/nosuch 2>&1 | head -1 | cut -d: -f1" "boxnet
rc=0"
# a copy, installed as it is: make's own build/boxnet would be relinked when
# HEAD moved (version.h), under the feet of the lanes running beside this one
cp "$STATIC" "$TMP/boxnet"
ok "make install PREFIX" make -s -C "$ROOT" install PREFIX="$TMP/prefix" INSTALL_BIN="$TMP/boxnet"
testing "the binary installed is the one given, unchanged" "cmp $TMP/boxnet $TMP/prefix/bin/boxnet && echo same" "same
rc=0"
testing "installed: the binary and its links" "ls $TMP/prefix/bin | tr '\n' ' '; readlink $TMP/prefix/bin/vxlan" \
	"boxnet brctl ipnetns netconnect netcreate netdisconnect netfw netinspect netls netprune netrm ocihook portfwd vxlan boxnet
rc=0"
testing "and the OCI hook's hooks.d file" "jq -r .hook.path $TMP/prefix/share/containers/oci/hooks.d/boxnet.json" \
	"$TMP/prefix/bin/boxnet
rc=0"
if [ -x "$ROOT/build/minimal/boxnet" ]; then
	testing "the minimal configuration has brctl and ipnetns only" "$ROOT/build/minimal/boxnet --list | tr '\n' ' '" \
		"brctl ipnetns rc=0"
	testing "and is under 100 KiB" "[ \$(stat -c %s $ROOT/build/minimal/boxnet) -lt 102400 ] && echo yes" "yes
rc=0"
fi
testing "the default configuration is under 300 KiB" "[ \$(stat -c %s $STATIC) -lt 307200 ] && echo yes" "yes
rc=0"

finish
