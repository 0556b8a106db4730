// The lab model: what a `*.lab.yaml` file says, after parsing, validation and resolution.
// Every feature (tree, apply, capture, trace, doctor, CLI) reads this one model.

/**
 * A place in the lab file, 1-based line and column, as editors and `FILE:LINE:COL` print them.
 * The end is exclusive: `endCol` is the column just after the last character.
 */
export interface SourceRange {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Severity = 'error' | 'warning';

export interface LabDiagnostic {
  file: string;
  severity: Severity;
  message: string;
  range: SourceRange;
}

/**
 * Where each field of an object was written in the file, for diagnostics (ours, doctor's, the
 * editor's) that point at a value rather than at its object. Absent when the field was not written.
 * The loader always fills the `…Ranges` fields of the model; they are optional only so that a
 * model built by hand (in tests, say) need not invent positions.
 */
export type FieldRanges<K extends string> = Partial<Record<K, SourceRange>>;

export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

/** SSH settings as the lab file gives them; absent fields are filled later from ~/.ssh/config. */
export interface LabSshSettings {
  host?: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** Another host of the lab, or `[user@]host[:port]`. */
  jump?: string;
  strictHostKeyChecking?: StrictHostKeyChecking;
  knownHostsFile?: string;
}

export type TunnelType = 'vxlan' | 'geneve' | 'gre';
export type PortType = 'system' | 'internal' | TunnelType | 'patch';
export type BridgeKind = 'ovs' | 'linux';
export type Datapath = 'system' | 'netdev';

export interface LabInterface {
  name: string;
  /** CIDR addresses, e.g. `192.168.1.11/24` or `2001:db8::1/64`. */
  addresses: string[];
  mtu?: number;
  underlay: boolean;
  /** The interface's name (its key under `interfaces`). */
  range: SourceRange;
  /** Where each of `addresses` was written, same order. */
  addressRanges?: SourceRange[];
  fieldRanges?: FieldRanges<'address' | 'mtu' | 'underlay'>;
}

export interface LabPort {
  name: string;
  type: PortType;
  /** Tunnel peer as written: a host of the lab or an IP address. */
  remote?: string;
  vni?: number;
  dstport?: number;
  local?: string;
  peer?: string;
  vlan?: number;
  /** True when the port was written as a plain name (an existing interface to enslave). */
  short: boolean;
  /** The port's name: the plain name, or the `name` value of a port object. */
  range: SourceRange;
  fieldRanges?: FieldRanges<'name' | 'type' | 'remote' | 'vni' | 'dstport' | 'local' | 'peer' | 'vlan'>;
}

export interface LabBridge {
  name: string;
  kind: BridgeKind;
  datapath: Datapath;
  addresses: string[];
  mtu?: number;
  underlay: boolean;
  ports: LabPort[];
  /** The bridge's name (its key under `bridges`). */
  range: SourceRange;
  /** Where each of `addresses` was written, same order. */
  addressRanges?: SourceRange[];
  fieldRanges?: FieldRanges<'kind' | 'datapath' | 'address' | 'mtu' | 'underlay' | 'ports'>;
}

export interface LabHost {
  name: string;
  /**
   * Effective SSH settings: the host's own, then `defaults.ssh` for what it leaves out;
   * `host` is the host's name when neither gives one. What is still absent (port, user, keys)
   * is for ~/.ssh/config and OpenSSH's defaults to fill, in the ssh layer.
   */
  ssh: LabSshSettings;
  /** Where each effective SSH setting was written (in the host's `ssh`, or in `defaults.ssh`). */
  sshRanges?: FieldRanges<keyof LabSshSettings>;
  sudo: boolean;
  interfaces: LabInterface[];
  bridges: LabBridge[];
  /** The host's name (its key under `hosts`). */
  range: SourceRange;
  fieldRanges?: FieldRanges<'ssh' | 'sudo' | 'interfaces' | 'bridges'>;
}

export interface LabSegment {
  name: string;
  /** `range` is where the `host:interface` member was written. */
  members: { host: string; interface: string; range?: SourceRange }[];
  underlay: boolean;
  note?: string;
  /** The segment's name (its key under `segments`). */
  range: SourceRange;
  fieldRanges?: FieldRanges<'members' | 'underlay' | 'note'>;
}

export interface LabScript {
  name: string;
  description?: string;
  /** Target hosts; every host of the lab when the file names none. */
  hosts: string[];
  run: string;
  sudo?: boolean;
  timeoutSeconds?: number;
  /** The script's name (its key under `scripts`). */
  range: SourceRange;
  /** Where each name of `hosts` was written, same order; empty when `hosts` was left to default. */
  hostRanges?: SourceRange[];
  fieldRanges?: FieldRanges<'description' | 'hosts' | 'run' | 'sudo' | 'timeout'>;
}

/** One tunnel port of the lab, by where it is declared. */
export interface TunnelRef {
  host: string;
  bridge: string;
  port: string;
}

/**
 * Why a tunnel has no peer in the lab:
 * - `outside-lab`: its remote is no host of the lab (an address outside it);
 * - `leads-to-itself`: its remote is its own host;
 * - `no-tunnel-back`: the far host has no tunnel leading back to this host;
 * - `mismatch`: the far host's tunnels back differ from it in type, VNI (key) or UDP port;
 * - `peer-taken`: the far host's tunnel back that matches pairs with another tunnel of this host.
 */
export type UnpairedReason = 'outside-lab' | 'leads-to-itself' | 'no-tunnel-back' | 'mismatch' | 'peer-taken';

export interface TunnelUnpaired {
  reason: UnpairedReason;
  /** One sentence that names the tunnel, the far host and what differs. */
  message: string;
  /** For `mismatch` and `peer-taken`: the far host's tunnel back that comes closest. */
  nearest?: TunnelRef;
  /** For `mismatch`: what differs between this tunnel and `nearest`. */
  differs?: ('type' | 'vni' | 'dstport')[];
}

export type TestExpect = 'reach' | 'isolated';

/**
 * One entry of `tests:`: what must reach what. `from` and `to` are kept as written (`host`,
 * `host:interface`, or for `to` an address); src/labtests/ works out the interfaces and
 * addresses, and expands `mesh` into one test per ordered pair of overlay addresses.
 */
export interface LabTest {
  name: string;
  /** `host` or `host:interface`; absent for a mesh. */
  from?: string;
  /** `host`, `host:interface` or an IP address; absent for a mesh. */
  to?: string;
  expect: TestExpect;
  /** ICMP payload bytes, sent with don't-fragment; absent: ping's own 56. */
  size?: number;
  /** Pings; a test passes when all are answered (`reach`) or none (`isolated`). */
  count: number;
  mesh: boolean;
  /** A group the editor's Testing view shows the test under; absent: the lab file itself. */
  group?: string;
  /** The test's name (its key under `tests`). */
  range: SourceRange;
  fieldRanges?: FieldRanges<'from' | 'to' | 'expect' | 'size' | 'count' | 'mesh' | 'group'>;
}

/** A tunnel port with both of its ends worked out. */
export interface ResolvedTunnel {
  host: string;
  bridge: string;
  bridgeKind: BridgeKind;
  port: string;
  type: TunnelType;
  /** The remote as written (host name or IP). */
  remote: string;
  /** The lab host at the far end, when `remote` names one or its address belongs to one. */
  remoteHost?: string;
  remoteAddress: string;
  /** Local underlay address (no prefix length): the port's `local`, else the host's underlay address; undefined when the host has none. */
  localAddress?: string;
  /**
   * VNI (VXLAN, Geneve) or key (GRE). 0 when the file gives none: OVS then sets no `options:key`,
   * which OVS treats as key 0 (a fixed key, not `key=flow`); a Linux GRE device then has no key.
   */
  vni: number;
  /** UDP destination port: the file's `dstport`, else 4789 (VXLAN) or 6081 (Geneve); 0 for GRE, which has no UDP port. */
  dstport: number;
  /**
   * The tunnel port at the far end that answers this one: on `remoteHost`, leading back here,
   * alike in type, VNI (key) and UDP port. Pairing is mutual (the peer's peer is this tunnel) and
   * decided once, in `lab/tunnelPairing.ts`. Undefined when there is none; `unpaired` says why.
   */
  peer?: TunnelRef;
  /** Why `peer` is undefined; absent when the tunnel has a peer. */
  unpaired?: TunnelUnpaired;
  /**
   * The interface or bridge of this host that holds `localAddress`; undefined when no device of
   * the lab holds it (no underlay, or a `local` the file gives to no device).
   */
  underlayHolder?: string;
  /**
   * The device the outer (encapsulated) packets leave and arrive by, where a capture sees them:
   * `underlayHolder` when it is an interface; for a bridge that holds the address (OVS native
   * tunnelling's br-phy, or a Linux bridge) its physical port on an underlay segment, else its
   * first physical port, else the bridge itself.
   */
  underlayDevice?: string;
  /** The segment the outer packets travel at this end (an underlay segment first); undefined when the file names none. */
  segment?: string;
  /** The tunnel port's name, as in `LabPort.range`. */
  range: SourceRange;
}

/** How to reach a host: the chain of jumps, outermost first, then the host itself. */
export interface SshRoute {
  host: string;
  /**
   * Lab host names (or `[user@]host[:port]` strings) to pass through, in order from this machine.
   * A `[user@]host[:port]` jump is always the first element: the chain ends there.
   */
  jumps: string[];
}

export interface Lab {
  file: string;
  version: 1;
  name: string;
  description?: string;
  /** `defaults.ssh` as written (hosts already carry the result in their own `ssh`), and where. */
  defaults: { ssh: LabSshSettings; sshRanges?: FieldRanges<keyof LabSshSettings> };
  hosts: LabHost[];
  segments: LabSegment[];
  scripts: LabScript[];
  /** `tests:` in file order; absent in a model built by hand, which has none. */
  tests?: LabTest[];
  /** Every vxlan/geneve/gre port of every host, in file order. */
  tunnels: ResolvedTunnel[];
  /** One route per host, keyed by host name. */
  routes: Record<string, SshRoute>;
}

/** The result of reading a lab file: a model only when there is no error. */
export interface LabLoadResult {
  lab?: Lab;
  diagnostics: LabDiagnostic[];
}
