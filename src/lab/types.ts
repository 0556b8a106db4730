// The lab model: what a `*.lab.yaml` file says, after parsing, validation and resolution.
// Every feature (tree, apply, capture, trace, doctor, CLI) reads this one model.

/** A place in the lab file, 1-based line and column, as editors and `FILE:LINE:COL` print them. */
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
  range: SourceRange;
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
  range: SourceRange;
}

export interface LabBridge {
  name: string;
  kind: BridgeKind;
  datapath: Datapath;
  addresses: string[];
  mtu?: number;
  underlay: boolean;
  ports: LabPort[];
  range: SourceRange;
}

export interface LabHost {
  name: string;
  ssh: LabSshSettings;
  sudo: boolean;
  interfaces: LabInterface[];
  bridges: LabBridge[];
  range: SourceRange;
}

export interface LabSegment {
  name: string;
  members: { host: string; interface: string }[];
  underlay: boolean;
  note?: string;
  range: SourceRange;
}

export interface LabScript {
  name: string;
  description?: string;
  /** Target hosts; every host of the lab when the file names none. */
  hosts: string[];
  run: string;
  sudo?: boolean;
  timeoutSeconds?: number;
  range: SourceRange;
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
  /** Local underlay address (no prefix length); undefined when the host has none. */
  localAddress?: string;
  vni: number;
  dstport: number;
  range: SourceRange;
}

/** How to reach a host: the chain of jumps, outermost first, then the host itself. */
export interface SshRoute {
  host: string;
  /** Lab host names (or `user@host:port` strings) to pass through, in order from this machine. */
  jumps: string[];
}

export interface Lab {
  file: string;
  version: 1;
  name: string;
  description?: string;
  defaults: { ssh: LabSshSettings };
  hosts: LabHost[];
  segments: LabSegment[];
  scripts: LabScript[];
  tunnels: ResolvedTunnel[];
  routes: Record<string, SshRoute>;
}

/** The result of reading a lab file: a model only when there is no error. */
export interface LabLoadResult {
  lab?: Lab;
  diagnostics: LabDiagnostic[];
}
