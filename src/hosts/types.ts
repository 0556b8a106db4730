// What is really on a host, read in one round trip, and how it differs from the lab file (the
// words of compare/). Plain data: views render it, `state --json` prints it, apply plans from it.

import type { SourceRange } from '../lab/types';
import type { SshErrorKind } from '../ssh/errors';

export interface SystemInfo {
  kernel?: string;
  /** PRETTY_NAME of /etc/os-release. */
  distribution?: string;
  hostname?: string;
}

/** The two daemons of Open vSwitch. */
export type OvsDaemon = 'ovsdb-server' | 'ovs-vswitchd';

/**
 * Open vSwitch as found: absent, installed but not (fully) running, running with its version, or
 * present but its database could not be read (no `ovs-vsctl` on the PATH, permission denied, a
 * database that does not answer). `bridges` is what the database says whenever it answered: with
 * `stopped` and only ovs-vswitchd down, the bridges are there but forward nothing. With `missing`,
 * `unreadable`, or ovsdb-server down, `bridges` is empty because it is unknown, not because
 * there are none (`bridgesKnown` says which).
 */
export type OvsStatus =
  | { state: 'missing'; message: string }
  | { state: 'stopped'; message: string; version?: string; dbVersion?: string; stopped: OvsDaemon[] }
  | { state: 'running'; version?: string; dbVersion?: string }
  | { state: 'unreadable'; message: string; version?: string };

export interface OvsInterface {
  name: string;
  /** `system`, `internal`, `vxlan`, `geneve`, `gre`, `patch`, `dpdk`, ... (the database's '' is given as `system`). */
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
  /** OVS's `status` column: `tunnel_egress_iface`, `driver_name`, ... */
  status: Record<string, string>;
}

export interface OvsPort {
  name: string;
  tag?: number;
  interfaces: OvsInterface[];
}

export interface OvsBridge {
  name: string;
  /** `system` or `netdev` (the database's '' is given as `system`). */
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
  /**
   * VXLAN/Geneve/GRE details of a kernel tunnel device: `id` is the VNI (VXLAN, Geneve) or the
   * input key (GRE); `dev` the underlay device it is bound to, if any.
   */
  tunnel?: { id?: number; remote?: string; local?: string; dstport?: number; dev?: string };
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
  /** True when the Open vSwitch database answered, so `bridges` is the whole truth (possibly none). */
  bridgesKnown: boolean;
  bridges: OvsBridge[];
  /** True when `ip -j` answered, so `links` is the whole truth. */
  linksKnown: boolean;
  links: LinkState[];
  /** Plain sentences about what could not be read (a missing command, a stopped daemon). */
  notes: string[];
}

/**
 * Why the probe could not read a host: an SSH error's kind, or the probe's own failure (it ran
 * past its time, or the shell refused it, e.g. `sudo -n` wanting a password), or the read was
 * cancelled.
 */
export type HostReadFailureKind = SshErrorKind | 'probe-timeout' | 'probe-failed' | 'cancelled';

/** A host that could not be read at all: the SSH error, with its kind. */
export interface HostReadFailure {
  host: string;
  readAt: string;
  /** A HostReadFailureKind when the probe says it; other layers may add their own (a string). */
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
  /**
   * `missing`: declared, not there; `different`: there, but not as declared; `unexpected`: there
   * and should not be (a bridged interface holding an address); `unknown`: what the lab declares
   * could not be compared (Open vSwitch or the interfaces could not be read; the message says why).
   */
  status: 'missing' | 'different' | 'unexpected' | 'unknown';
  /** One short sentence: "bridge br0 is missing", "vx0 has remote_ip 10.0.0.9; the lab says 10.0.0.2". */
  message: string;
  /** The two values compared, for machines (`state --json`, apply): what the lab says, what the host has. Absent for `missing`/`unexpected` where there is nothing to compare. */
  expected?: string;
  actual?: string;
  /** The line in the lab file that declares it. */
  range?: SourceRange;
}

/** What was read of a lab's hosts, nothing compared yet (readLabState). */
export interface LabReadings {
  lab: string;
  file: string;
  hosts: Record<string, HostReading>;
}

/** The readings with their drift: what compare/drift.ts says of them. */
export interface LabState extends LabReadings {
  drift: DriftItem[];
}
