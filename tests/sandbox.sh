# Sourced first by every test, benchmark and the demo: re-runs the calling
# script inside its own throwaway sandbox — a new network namespace and a new
# mount namespace with private tmpfs over /run (so /run/netns and /run/boxnet),
# over /etc/netns (through an overlay on /etc when /etc/netns does not exist,
# so that the host's /etc is never written), and a fresh sysfs for the new
# network namespace, in a new PID namespace so that every process the script
# leaves behind dies with it. Nothing the script does reaches the host.
if [ -z "${BOXNET_SANDBOX:-}" ]; then
	export BOXNET_SANDBOX=1
	exec unshare --net --mount --pid --mount-proc --fork --propagation private sh -c '
		set -e
		# the host'"'"'s own mounts below /run (/run/netns of an `ip netns add`
		# there, /run/user/N) go from this copy of the mount table: hidden
		# under the tmpfs they would still show in findmnt and mountinfo
		awk '"'"'$5 ~ "^/run/" { print $5 }'"'"' /proc/self/mountinfo | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null || true; done
		mount -t tmpfs -o mode=755 boxnet-run /run
		mkdir -p /run/netns /run/boxnet
		if [ ! -d /etc/netns ]; then
			mkdir -p /run/.etc && mount -t tmpfs boxnet-etc /run/.etc
			mkdir -p /run/.etc/upper /run/.etc/work
			mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/.etc/upper,workdir=/run/.etc/work /etc
			mkdir -p /etc/netns
		fi
		mount -t tmpfs -o mode=755 boxnet-etcnetns /etc/netns
		mount -t sysfs boxnet-sys /sys
		ip link set lo up
		exec "$@"' sandbox sh "$0" "$@"
fi
