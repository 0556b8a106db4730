// What is really on a host, read in one round trip, and how it differs from the lab file.
// Plain data: views render it, `state --json` prints it, apply plans from it.

import type { SourceRange } from '../lab/types';

export interface SystemInfo {
  kernel?: string;
  /** PRETTY_NAME of /etc/os-release. */
  distribution?: string;
  hostname?: string;
}

/** Open vSwitch as found: absent, installed but not running, or running with its version. */
export type OvsStatus =
  | { state: 'missing'; message: string }
  | { state: 'stopped'; message: string; version?: string }
  | { state: 'running'; version?: string; dbVersion?: string };

export interface OvsInterface {
  name: string;
  /** `system`, `internal`, `vxlan`, `geneve`, `gre`, `patch`, `dpdk`, ... ('' in the database means system). */
  type: string;
  options: Record<string, string>;
  mac?: string;
  mtu?: number;
  adminState?: string;
  linkState?: string;
  ofport?: number;
  /** What OVS says is wrong with it, e.g. "could not open network device vx0 (No such device)". */
  error?: string;
  statistics: Record<string, number>;
}

export interface OvsPort {
  name: string;
  tag?: number;
  interfaces: OvsInterface[];
}

export interface OvsBridge {
  name: string;
  datapathType: string;
  ports: OvsPort[];
  otherConfig: Record<string, string>;
}

export interface LinkAddress {
  /** `10.0.0.1/24`, `2001:db8::1/64`. */
  cidr: string;
  family: 'inet' | 'inet6';
  scope?: string;
}

/** A kernel network device, from `ip -j -d -s link` and `ip -j addr`. */
export interface LinkState {
  name: string;
  index: number;
  /** `ip -d` link kind: `veth`, `bridge`, `vxlan`, `geneve`, `gretap`, `openvswitch`, `tun`, ... or undefined for plain devices. */
  kind?: string;
  mac?: string;
  mtu: number;
  /** Administratively up (the UP flag). */
  up: boolean;
  /** `UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`, ... */
  operState: string;
  /** The bridge (Linux) or `ovs-system` it is enslaved to. */
  master?: string;
  addresses: LinkAddress[];
  /** VXLAN/Geneve/GRE details of a kernel tunnel device. */
  tunnel?: { id?: number; remote?: string; local?: string; dstport?: number };
  stats: { rxPackets: number; txPackets: number; rxBytes: number; txBytes: number; rxDropped: number; txDropped: number; rxErrors: number; txErrors: number };
}

export interface HostState {
  host: string;
  /** When it was read (ISO time). */
  readAt: string;
  /** How long the round trip took, ms. */
  elapsedMs: number;
  system: SystemInfo;
  ovs: OvsStatus;
  bridges: OvsBridge[];
  links: LinkState[];
  /** Plain sentences about what could not be read (a missing command, a stopped daemon). */
  notes: string[];
}

/** A host that could not be read at all: the SSH error, with its kind. */
export interface HostReadFailure {
  host: string;
  readAt: string;
  kind: string;
  message: string;
}

export type HostReading = { ok: true; state: HostState } | { ok: false; failure: HostReadFailure };

/** Where a drift item belongs in the tree and the file. */
export interface DriftSubject {
  host: string;
  /** `bridge`, `port`, `interface`, `address`, `host` */
  kind: 'host' | 'bridge' | 'port' | 'interface' | 'address';
  /** The bridge, port or interface name (for an address, the interface or bridge holding it). */
  name: string;
  bridge?: string;
}

export interface DriftItem {
  subject: DriftSubject;
  /** `missing`: declared, not there; `different`: there, but not as declared; `unexpected`: there and should not be (a bridged interface holding an address). */
  status: 'missing' | 'different' | 'unexpected';
  /** One short sentence: "bridge br0 is missing", "vx0 has remote_ip 10.0.0.9; the lab says 10.0.0.2". */
  message: string;
  /** The line in the lab file that declares it. */
  range?: SourceRange;
}

export interface LabState {
  lab: string;
  file: string;
  hosts: Record<string, HostReading>;
  drift: DriftItem[];
}
