// Built-in scripts a user can add to a lab ("Overlay Lab: Add Script from Template"): the
// chores every overlay lab starts with. Each is plain POSIX sh, run with `sh -e` on its hosts.

export interface ScriptTemplate {
  /** The script's name in the lab file. */
  name: string;
  label: string;
  description: string;
  run: string;
  /** Seconds before the run is stopped (package installs and builds take a while). */
  timeout?: number;
}

export const SCRIPT_TEMPLATES: ScriptTemplate[] = [
  {
    name: 'install-ovs',
    label: 'Install Open vSwitch from packages',
    description: 'Install and start Open vSwitch from the distribution packages (Debian/Ubuntu apt, Fedora/RHEL dnf)',
    timeout: 900,
    run: [
      'if command -v apt-get >/dev/null 2>&1; then',
      '  export DEBIAN_FRONTEND=noninteractive',
      '  apt-get update -q',
      '  apt-get install -y -q openvswitch-switch',
      '  unit=openvswitch-switch',
      'elif command -v dnf >/dev/null 2>&1; then',
      '  dnf -y install openvswitch || { dnf -y install centos-release-nfv-openvswitch && dnf -y install "openvswitch3*"; }',
      '  unit=openvswitch',
      'else',
      '  echo "no apt-get or dnf here: use the build-ovs-from-source script instead" >&2',
      '  exit 1',
      'fi',
      'if command -v systemctl >/dev/null 2>&1; then systemctl enable --now "$unit"; else service "$unit" start; fi',
      'ovs-vsctl --version | head -n 1',
      'ovs-vsctl show',
      '',
    ].join('\n'),
  },
  {
    name: 'build-ovs-from-source',
    label: 'Build Open vSwitch from source',
    description: 'Build and install Open vSwitch from a source checkout (for distributions without a package), then start its daemons',
    timeout: 3600,
    run: [
      '# Set OVS_SRC to a checkout of https://github.com/openvswitch/ovs (git clone it first).',
      'OVS_SRC=${OVS_SRC:-/usr/src/ovs}',
      'cd "$OVS_SRC"',
      './boot.sh',
      '# The kernel module needs the headers of the running kernel; without them, build userspace only',
      '# and use datapath: netdev on the bridges.',
      'if [ -d "/lib/modules/$(uname -r)/build" ]; then',
      '  ./configure --prefix=/usr --localstatedir=/var --sysconfdir=/etc --with-linux="/lib/modules/$(uname -r)/build"',
      'else',
      '  ./configure --prefix=/usr --localstatedir=/var --sysconfdir=/etc',
      'fi',
      'make -j "$(nproc)"',
      'make install',
      'if [ -d "/lib/modules/$(uname -r)/build" ]; then make modules_install && modprobe openvswitch; fi',
      'export PATH="$PATH:/usr/share/openvswitch/scripts"',
      'ovs-ctl start --system-id=random',
      'ovs-vsctl --version | head -n 1',
      '',
    ].join('\n'),
  },
  {
    name: 'show-versions',
    label: 'Show versions',
    description: 'Show the kernel, the distribution and the Open vSwitch version',
    run: [
      'echo "kernel: $(uname -r)"',
      'if [ -r /etc/os-release ]; then . /etc/os-release; echo "distribution: $PRETTY_NAME"; fi',
      'if command -v ovs-vsctl >/dev/null 2>&1; then',
      '  echo "open vswitch: $(ovs-vsctl --version | head -n 1)"',
      '  if lsmod 2>/dev/null | grep -q "^openvswitch"; then echo "kernel module: loaded"; else echo "kernel module: not loaded (datapath: netdev works without it)"; fi',
      'else',
      '  echo "open vswitch: not installed"',
      'fi',
      '',
    ].join('\n'),
  },
  {
    name: 'enable-ip-forwarding',
    label: 'Enable IP forwarding',
    description: 'Enable IPv4 and IPv6 forwarding now and at boot',
    run: [
      'sysctl -w net.ipv4.ip_forward=1',
      'sysctl -w net.ipv6.conf.all.forwarding=1',
      'mkdir -p /etc/sysctl.d',
      "printf 'net.ipv4.ip_forward = 1\\nnet.ipv6.conf.all.forwarding = 1\\n' > /etc/sysctl.d/90-overlay-lab-forwarding.conf",
      '',
    ].join('\n'),
  },
];
