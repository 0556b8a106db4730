// The few fixed shell scripts the lab runs. Values reach them only as positional
// arguments ("$1", …), never by being pasted into the text.

/**
 * Runs as `ip netns exec NS unshare --uts --mount --propagation private sh -c HOST_SCRIPT sh
 * NAME HOSTDIR OVS SSHD`. Gives the host its name and its own OVS folders and home, starts
 * its daemons, then stays as the host's anchor: a process whose network, mount and UTS
 * namespaces are the host's for as long as the lab is up, so commands (and a restarted
 * sshd) can join them even while no daemon runs there.
 */
export const HOST_SCRIPT = `
set -eu
name=$1 dir=$2 ovs=$3 sshd=$4
hostname "$name"
mkdir -p /run/openvswitch /etc/openvswitch /var/log/openvswitch /run/sshd
mount --bind "$dir/run" /run/openvswitch
mount --bind "$dir/etc" /etc/openvswitch
mount --bind "$dir/log" /var/log/openvswitch
mount --bind "$dir/home" /root
[ "$(hostname)" = "$name" ] || { echo "hostname did not stick" >&2; exit 1; }
if [ "$ovs" = 1 ]; then
  ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock \\
    --pidfile --detach --log-file -vconsole:err </dev/null >/dev/null
  # What ovs-ctl records on a packaged host, so probes see the same columns filled; the
  # lab-host marker lets anyone check that an ovs-vsctl reached this host's database.
  . /etc/os-release
  ovs-vsctl --no-wait init -- set Open_vSwitch . \
    ovs-version="$(ovs-vswitchd --version | sed -n '1s/.* //p')" \
    db-version="$(ovsdb-tool schema-version /usr/share/openvswitch/vswitch.ovsschema)" \
    system-type="$ID" system-version="$VERSION_ID" \
    external-ids:system-id="$name" external-ids:hostname="$name" external-ids:lab-host="$name"
  ovs-vswitchd --pidfile --detach --disable-system --log-file -vconsole:err </dev/null >/dev/null
  # ovs-vsctl quotes a string only when it has to.
  got=$(ovs-vsctl --no-wait get Open_vSwitch . external_ids:lab-host | tr -d '"')
  [ "$got" = "$name" ] || { echo "ovs-vsctl does not reach this host's own database (says '$got')" >&2; exit 1; }
fi
if [ "$sshd" = 1 ]; then
  # sshd binds its socket before it forks into the background, so once this returns
  # it accepts connections.
  /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >/dev/null
fi
# Named so that nobody mistakes it for a sleep of their own (comm is "lab-anchor").
ln -sf "$(command -v sleep)" "$dir/lab-anchor"
echo "ready $$"
exec "$dir/lab-anchor" infinity </dev/null >/dev/null 2>&1
`;

/**
 * `sh -c TEARDOWN_SCRIPT sh PREFIX WORKROOT GUARD`: removes everything of a lab by its
 * prefix, whether this process built it or a crashed run left it. Kept as one script so
 * the same code runs asynchronously from down() and synchronously from an exit handler.
 */
export const TEARDOWN_SCRIPT = `
set -u
prefix=$1 workroot=$2 guard=$3
case $prefix in ''|*[!a-z0-9]*) echo "refusing bad prefix '$prefix'" >&2; exit 2;; esac
ours() { while read -r n _; do case $n in "$prefix"-*) echo "$n";; esac; done; }
nss=$(ip netns list | ours)
tries=0
while [ -n "$nss" ]; do
  pids=$(for n in $nss; do ip netns pids "$n" 2>/dev/null; done | grep -vx -e "$$" -e "$PPID")
  [ -z "$pids" ] && break
  if [ $tries -ge 100 ]; then echo "processes still alive in the lab's namespaces: $(echo $pids)" >&2; break; fi
  kill -KILL $pids 2>/dev/null
  tries=$((tries + 1))
  sleep 0.02
done
for n in $nss; do ip netns del "$n" 2>/dev/null || echo "could not delete namespace $n" >&2; done
# Root-namespace ends of the management veths and the bridge; veths whose namespace just
# went may already be gone.
for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | ours); do
  ip link del "$l" 2>/dev/null
done
awk -v p="$workroot/$prefix-lab-" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
  while read -r m; do umount -l "$m" || echo "could not unmount $m" >&2; done
for d in "$workroot/$prefix"-lab-*; do
  [ -e "$d" ] && { rm -rf -- "$d" || echo "could not remove $d" >&2; }
done
# The guard route goes with the last lab (no lab address left in the root namespace).
if [ "$guard" = 1 ] && [ -z "$(ip -4 -o addr show to 10.213.0.0/16)" ]; then
  ip route del unreachable 10.213.0.0/16 2>/dev/null
fi
exit 0
`;

/** `sh -c SYSCTL_SCRIPT sh DISABLE_IPV6 NS...` */
export const SYSCTL_SCRIPT = `
v6=$1; shift
for ns do
  # The bridge-nf keys exist only with br_netfilter (-e ignores them otherwise); a provider
  # network's switch does not run the host's firewall on bridged frames.
  nsenter --net="/run/netns/$ns" sysctl -q -e -w \\
    net.ipv6.conf.all.disable_ipv6="$v6" net.ipv6.conf.default.disable_ipv6="$v6" \\
    net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \\
    net.bridge.bridge-nf-call-arptables=0 || { echo "sysctl in namespace $ns failed" >&2; exit 1; }
done
`;

/** `sh -c ETHTOOL_SCRIPT sh NS IF NS IF ...` */
export const ETHTOOL_SCRIPT = `
while [ $# -ge 2 ]; do
  # The userspace datapath reads frames with AF_PACKET, which drops or mangles frames whose
  # checksum the veth left to an offload that never happens.
  nsenter --net="/run/netns/$1" ethtool -K "$2" tx off >/dev/null ||
    { echo "ethtool -K $2 tx off in namespace $1 failed" >&2; exit 1; }
  shift 2
done
`;

/** `sh -c TCP_PROBE_SCRIPT sh ADDRESS PORT TRIES`, run inside a lab namespace. */
export const TCP_PROBE_SCRIPT = `
i=0
while [ "$i" -lt "$3" ]; do
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null && exit 0
  i=$((i + 1))
  sleep 0.05
done
echo "nothing accepts TCP connections on $1 port $2" >&2
exit 1
`;
