// The vocabulary of the lab format: which keys each object takes, the values of each enum, the
// bounds of each number. The reader checks files against these tables, the unknown-key check
// suggests from them, and a unit test holds schemas/lab.schema.json to them, so the editor's
// completion and the validator never disagree.

import { TUNNEL_KINDS } from './tunnelKinds';

export const KNOWN_KEYS = {
  lab: ['version', 'name', 'description', 'defaults', 'hosts', 'segments', 'scripts', 'tests'],
  defaults: ['ssh'],
  // No `host`: one address for every host is never what is meant.
  defaultsSsh: ['port', 'user', 'identityFile', 'jump', 'strictHostKeyChecking', 'knownHostsFile'],
  ssh: ['host', 'port', 'user', 'identityFile', 'jump', 'strictHostKeyChecking', 'knownHostsFile'],
  host: ['ssh', 'sudo', 'interfaces', 'bridges'],
  interface: ['address', 'mtu', 'underlay'],
  bridge: ['kind', 'datapath', 'address', 'mtu', 'underlay', 'ports'],
  port: ['name', 'type', 'remote', 'vni', 'dstport', 'local', 'peer', 'vlan'],
  segment: ['members', 'underlay', 'note'],
  script: ['description', 'hosts', 'run', 'sudo', 'timeout'],
  test: ['from', 'to', 'expect', 'size', 'count', 'mesh', 'group'],
} as const;

export type ObjectKind = keyof typeof KNOWN_KEYS;

/**
 * Top-level keys that start with this are ignored, as in Docker Compose: a place to define
 * YAML anchors (`x-ovs: &ovs { kind: ovs, datapath: netdev }`) that hosts then reuse.
 */
export const EXTENSION_KEY_PREFIX = 'x-';

export const STRICT_HOST_KEY_CHECKING = ['yes', 'accept-new', 'no'] as const;
export const BRIDGE_KINDS = ['ovs', 'linux'] as const;
export const DATAPATHS = ['system', 'netdev'] as const;
export const PORT_TYPES = ['system', 'internal', 'vxlan', 'geneve', 'gre', 'patch'] as const;
export const TUNNEL_TYPES = ['vxlan', 'geneve', 'gre'] as const;
export const TEST_EXPECTATIONS = ['reach', 'isolated'] as const;

export interface Bounds {
  min: number;
  max: number;
}

export const LIMITS = {
  sshPort: { min: 1, max: 65535 },
  /** 68 is the IPv4 minimum (RFC 791); Linux refuses less. */
  mtu: { min: 68, max: 65535 },
  /** VXLAN and Geneve carry a 24-bit VNI. */
  vni: { min: 0, max: 16777215 },
  /** A GRE key is 32 bits; `vni` holds it for GRE ports, so the file's bound is this one. */
  greKey: { min: 0, max: 4294967295 },
  dstport: { min: 1, max: 65535 },
  /** 802.1Q VLAN ids as OVS's `tag` takes them. */
  vlan: { min: 0, max: 4095 },
  /** ICMP payload of a test's ping: 65507 is the largest an IPv4 datagram carries (65535 - 20 - 8). */
  testSize: { min: 0, max: 65507 },
  /** Pings per test: enough to see a flaky link, few enough to stay a test. */
  testCount: { min: 1, max: 100 },
} as const satisfies Record<string, Bounds>;

/** The UDP port a tunnel uses when the file gives no `dstport` (IANA's); GRE has none. */
export const DEFAULT_DSTPORT = {
  vxlan: TUNNEL_KINDS.vxlan.defaultDstport,
  geneve: TUNNEL_KINDS.geneve.defaultDstport,
  gre: TUNNEL_KINDS.gre.defaultDstport,
} as const;
