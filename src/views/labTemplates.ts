// The lab files "Overlay Lab: New Lab" writes: three templates, as YAML text with comments that
// say what to change. Pure: the command picks the kind, the hosts and the name, then saves this.
//
// Hosts picked from ~/.ssh/config take the template's hosts in order and become their
// `ssh.host`; the others keep documentation addresses (RFC 5737: 203.0.113.0/24 for site A,
// 198.51.100.0/24 for site B), which the user replaces before applying.

import SSHConfig from 'ssh-config';
import { labNameProblem, sshHostProblem } from '../lab/names';

export type LabTemplateKind = 'ovs-vxlan' | 'linux-vxlan' | 'playground';

export interface LabTemplateOptions {
  /** The lab's name, `[a-z0-9][a-z0-9-]*`. */
  name: string;
  /** `~/.ssh/config` aliases for the template's hosts, in the order of `templateHosts(kind)`. */
  hosts: string[];
}

export interface LabTemplateChoice {
  kind: LabTemplateKind;
  label: string;
  detail: string;
  /** A name to propose for the lab. */
  defaultName: string;
}

export const LAB_TEMPLATES: readonly LabTemplateChoice[] = [
  {
    kind: 'ovs-vxlan',
    label: 'Two sites joined by VXLAN, Open vSwitch',
    detail: 'Two OVS servers bridge a local network with a VXLAN port to each other; a test host behind each',
    defaultName: 'two-sites-ovs',
  },
  {
    kind: 'linux-vxlan',
    label: 'Two sites joined by VXLAN, Linux bridges',
    detail: 'The same shape with a Linux bridge and a kernel VXLAN device (VNI 42) on each gateway',
    defaultName: 'two-sites-linux',
  },
  {
    kind: 'playground',
    label: 'Single-host playground',
    detail: 'One host, one OVS bridge with an internal port that holds an address',
    defaultName: 'playground',
  },
];

/** The hosts of a template, in the order picked `~/.ssh/config` aliases fill them. */
export function templateHosts(kind: LabTemplateKind): string[] {
  switch (kind) {
    case 'ovs-vxlan':
      return ['ovs-a', 'ovs-b', 'test-a', 'test-b'];
    case 'linux-vxlan':
      return ['gw-a', 'gw-b', 'test-a', 'test-b'];
    case 'playground':
      return ['playground'];
  }
}

/**
 * The `Host` aliases of an ssh config text that can stand for one machine in a lab file: no
 * wildcard (`*`, `?`), no negation, nothing `ssh.host` would refuse; in file order, once each.
 * `Include`d files are not followed.
 */
export function sshConfigHostAliases(text: string): string[] {
  const aliases: string[] = [];
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch {
    return [];
  }
  for (const line of config) {
    if (!('param' in line) || line.param.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((item) => item.val);
    for (const value of values) {
      if (!value || /[*?!\s]/.test(value) || sshHostProblem(value) !== undefined || aliases.includes(value)) continue;
      aliases.push(value);
    }
  }
  return aliases;
}

/** How one template host is reached: its picked alias, or a placeholder address (and a jump). */
interface Reach {
  alias?: string;
  placeholder: string;
  jump?: string;
}

function sshLine(reach: Reach, userPerHost: boolean): string {
  if (reach.alias) return `ssh: { host: ${reach.alias} }   # from ~/.ssh/config, which gives its HostName, User, keys and jumps`;
  const fields = [`host: ${reach.placeholder}`];
  if (reach.jump) fields.push(`jump: ${reach.jump}`);
  if (userPerHost) fields.push('user: root');
  const note = reach.jump
    ? `# placeholder: its management address, reached through ${reach.jump}`
    : '# placeholder: an IP, a DNS name, or a Host alias from ~/.ssh/config';
  return `ssh: { ${fields.join(', ')} }   ${note}`;
}

function header(kind: LabTemplateKind, options: LabTemplateOptions, description: string[]): string {
  const picked = options.hosts.length > 0;
  const allPicked = options.hosts.length >= templateHosts(kind).length;
  const lines = [
    '# An Overlay Lab file: the hosts of an overlay network, how to reach them over SSH, and the',
    '# bridges, ports, tunnels and addresses each should have. The format: docs/lab-format.md in the',
    '# Overlay Lab repository. Problems show in this editor as you type.',
    '#',
    '# Before "Overlay Lab: Apply": replace the placeholder addresses (198.51.100.x and 203.0.113.x',
    '# are documentation addresses) and the interface names (eth0, eth2) with your',
    "# hosts' own, then run \"Overlay Lab: Plan\" to see what Apply would change.",
    `version: 1`,
    `name: ${options.name}`,
    'description: >',
    ...description.map((line) => `  ${line}`),
    '',
    'defaults:',
    '  ssh:',
  ];
  // A `user` here would override the User of hosts picked from ~/.ssh/config: only the
  // placeholder hosts get one then, on their own line.
  if (!picked) lines.push('    user: root');
  else lines.push(`    # user: root   # left out: ~/.ssh/config gives the User of the hosts picked from it${allPicked ? '' : '; the others say user: root'}`);
  lines.push('    strictHostKeyChecking: accept-new   # yes | accept-new | no, as in OpenSSH', '');
  return lines.join('\n');
}

const INSTALL_OVS = (hosts: string[]) => `scripts:
  install-ovs:
    description: Install and start Open vSwitch from the distribution's packages
    hosts: [${hosts.join(', ')}]
    run: |
      if command -v apt-get >/dev/null; then apt-get install -y openvswitch-switch; else dnf -y install openvswitch; fi
      systemctl enable --now openvswitch || systemctl enable --now openvswitch-switch
      ovs-vsctl show
`;

function twoSites(kind: 'ovs-vxlan' | 'linux-vxlan', options: LabTemplateOptions): string {
  const [gwA, gwB, testA, testB] = templateHosts(kind);
  const ovs = kind === 'ovs-vxlan';
  const picked = options.hosts.length > 0;
  const reach: Reach[] = [
    { placeholder: '203.0.113.10' },
    { placeholder: '198.51.100.20' },
    { placeholder: '203.0.113.11', jump: gwA },
    { placeholder: '198.51.100.21', jump: gwB },
  ].map((item, index) => ({ ...item, alias: options.hosts[index] }));
  const ssh = (index: number) => sshLine(reach[index], picked);
  const underlayNote = (index: number) => (reach[index].alias ? `   # placeholder: eth0's real address on ${reach[index].alias}` : '');
  const bridgeKind = ovs ? 'ovs                         # ovs | linux' : 'linux                       # ovs | linux';
  const vni = ovs ? '' : ', vni: 42';
  const tunnelNote = ovs ? '   # remote: a host of the lab or an IP' : '   # a Linux VXLAN device needs its vni';
  const description = ovs
    ? [
        'Two sites joined by VXLAN over Open vSwitch: on each site an OVS server bridges',
        'the local network (eth2) with a VXLAN port to the other site, whose underlay',
        'address sits on eth0. A test host on each local network is reached through its',
        "site's server. The overlay runs at MTU 1450: a full-size frame plus the 50 bytes",
        "of VXLAN over IPv4 fits the underlay's 1500.",
      ]
    : [
        'Two sites joined by VXLAN over Linux bridges: on each site a gateway bridges the',
        'local network (eth2) with a kernel VXLAN device (VNI 42) to the other site, whose',
        'underlay address sits on eth0. A test host on each local network is reached through',
        "its site's gateway. The overlay runs at MTU 1450: a full-size frame plus the 50",
        "bytes of VXLAN over IPv4 fits the underlay's 1500.",
      ];
  const gateway = (index: number, other: string, underlay: string, overlay: string) => `  ${index === 0 ? gwA : gwB}:
    ${ssh(index)}
    interfaces:
      eth0: { address: ${underlay}, underlay: true }${underlayNote(index)}
      eth2: { mtu: 1450 }                 # bridged below: it carries no address
    bridges:
      br0:
        kind: ${bridgeKind}
        address: ${overlay}          # optional: an address on the bridge itself
        mtu: 1450
        ports:
          - eth2
          - { name: vx0, type: vxlan, remote: ${other}${vni} }${tunnelNote}
`;
  const testHost = (index: number, overlay: string) => `  ${index === 2 ? testA : testB}:
    ${ssh(index)}
    interfaces:
      eth2: { address: ${overlay}, mtu: 1450 }
`;
  const scripts = ovs
    ? INSTALL_OVS([gwA, gwB])
    : `scripts:
  show-vxlan:
    description: Show the VXLAN device and the MACs it has learnt
    hosts: [${gwA}, ${gwB}]
    run: |
      ip -d link show vx0
      bridge fdb show dev vx0
`;
  return `${header(kind, options, description)}
hosts:
${gateway(0, gwB, '203.0.113.10/24', '192.168.50.1/24')}${gateway(1, gwA, '198.51.100.20/24', '192.168.50.2/24')}${testHost(2, '192.168.50.11/24')}${testHost(3, '192.168.50.12/24')}
segments:                 # L2 networks the lab does not manage: local networks, cables, the WAN
  lan-a: { members: [${gwA}:eth2, ${testA}:eth2], note: local network (site A) }
  lan-b: { members: [${gwB}:eth2, ${testB}:eth2], note: local network (site B) }
  wan:   { members: [${gwA}:eth0, ${gwB}:eth0], underlay: true }

${scripts}`;
}

function playground(options: LabTemplateOptions): string {
  const [host] = templateHosts('playground');
  const picked = options.hosts.length > 0;
  const description = [
    'One host to try Open vSwitch on: a bridge with an internal port, lab0, that holds',
    'an address. Add ports, tunnels or more hosts as you go.',
  ];
  return `${header('playground', options, description)}
hosts:
  ${host}:
    ${sshLine({ alias: options.hosts[0], placeholder: '203.0.113.10' }, picked)}
    interfaces:
      lab0: { address: 192.168.100.1/24 }   # the internal port below: OVS creates it
    bridges:
      br0:
        kind: ovs
        ports:
          - { name: lab0, type: internal }
          # - eth1                        # an existing interface to enslave (it loses its address)
          # - { name: vx0, type: vxlan, remote: 198.51.100.20 }   # a tunnel to another machine

${INSTALL_OVS([host])}`;
}

/** The text of a new lab file of `kind`: a lab that checks clean, with comments on what to change. */
export function labTemplate(kind: LabTemplateKind, options: LabTemplateOptions): string {
  const nameProblem = labNameProblem(options.name);
  if (nameProblem) throw new Error(`lab name ${options.name} ${nameProblem}`);
  for (const alias of options.hosts) {
    const problem = sshHostProblem(alias);
    if (problem) throw new Error(`ssh host ${alias} ${problem}`);
  }
  const hosts = { ...options, hosts: options.hosts.slice(0, templateHosts(kind).length) };
  return kind === 'playground' ? playground(hosts) : twoSites(kind, hosts);
}
