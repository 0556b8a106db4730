// What the doctor finds, and the measurements beyond the state probe that some checks need.
// Plain data: the CLI prints it, the editor hangs findings on tree nodes and lab-file lines.

import type { SourceRange } from '../lab/types';
import type { HostCounters } from '../trace/measure/hostCounters';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** The checks, one file each under src/doctor/checks/. */
export type CheckName =
  | 'host-reachable'
  | 'ovs-daemons'
  | 'datapath'
  | 'tunnel-symmetry'
  | 'underlay-reachability'
  | 'path-mtu'
  | 'udp-port'
  | 'duplicates'
  | 'bridged-addresses'
  | 'vswitchd-log'
  | 'interface-errors'
  | 'openflow-drops'
  /** The doctor itself: a check that failed. */
  | 'doctor';

/**
 * What a finding is about below its host, for the tree: a bridge, a port of a bridge (tunnel
 * ports included), or an interface (a kernel device that is no port of an OVS bridge). Absent
 * when it is about the host as a whole (a stopped daemon, an unreachable host).
 */
export interface FindingSubject {
  kind: 'bridge' | 'port' | 'interface';
  name: string;
  /** For a port: its bridge. */
  bridge?: string;
}

export interface Finding {
  /** What kind of finding it is, stable across runs and releases: `tunnel-vni-mismatch`, `mtu-path-too-small`, ... */
  id: string;
  check: CheckName;
  severity: FindingSeverity;
  /** The host it belongs to (where the tree shows it): the one that is wrong, when that is known. */
  host: string;
  /** Every host it involves, `host` first. */
  hosts: string[];
  subject?: FindingSubject;
  /** One or two plain sentences naming the hosts and the values seen. */
  message: string;
  /** What to do about it. */
  fix?: string;
  /** The lab-file declaration it concerns, when there is one. */
  range?: SourceRange;
  /** The numbers behind the message, for machines: `{ overlayMtu: 1500, overhead: 50, pathMtu: 1400 }`. */
  values?: Record<string, string | number>;
}

/** The state of the `openvswitch` kernel module on a host. */
export type OvsModuleState = 'loaded' | 'builtin' | 'loadable' | 'absent';

/** One kind of message ovs-vswitchd logged, with how often and when. */
export interface VswitchdLogEvent {
  /** `tunnel-port-not-found`, `device-open-failed`, `message-too-long`, ... */
  kind: string;
  /** What tells occurrences of one kind apart: the device, or the tunnel source and key. */
  detail: Record<string, string>;
  count: number;
  /** Timestamps as logged (ISO, UTC). */
  first?: string;
  last?: string;
  /** The last such line, as logged (cut to a reasonable length). */
  sample: string;
}

export interface VswitchdLog {
  file: string;
  /** Lines read from the end of the log. */
  linesRead: number;
  events: VswitchdLogEvent[];
}

/** What the doctor reads on a host besides its state, in one round trip. */
export interface HostFacts {
  host: string;
  /** The host's clock when read (ISO), to say how long ago a log message was written. */
  now?: string;
  ovsModule?: OvsModuleState;
  /** What ovs-vswitchd says it can create (the Open_vSwitch table's `datapath_types`), when it answered. */
  datapathTypes?: string[];
  log?: VswitchdLog;
  /** Why the log could not be read, when it could not. */
  logProblem?: string;
  /** Why nothing could be read, when nothing could. */
  problem?: string;
}

/** Whether the far underlay address answered pings from a tunnel end. */
export type ReachResult =
  | { ok: true; rttMs?: number }
  | {
      ok: false;
      /**
       * `no-reply`: pings went out, none came back; `no-route`: the host has no route there;
       * `no-source`: the local address is not on the host; `no-ping`: ping is not installed;
       * `failed`: anything else (see `output`).
       */
      reason: 'no-reply' | 'no-route' | 'no-source' | 'no-ping' | 'failed';
      output: string;
    };

/** What `ping -M do` found about the largest IP packet the underlay carries between two tunnel ends. */
export interface PathMtuResult {
  /** Bytes of the largest IP packet that crossed (ICMP payload + 28 for IPv4, + 48 for IPv6). */
  largestPassed: number;
  /** The smallest that did not cross, when one was tried; `largestPassed + 1` means the path MTU is exact. */
  smallestFailed?: number;
  /** An MTU a refused probe named: the local kernel's (`local error: message too long, mtu=N`) or a router's (`Frag needed`, `Packet too big`). */
  reportedMtu?: { mtu: number; by: 'local' | 'router' };
  probes: number;
}

/** The measurements from one tunnel end towards the far end's underlay address. */
export interface TunnelProbe {
  host: string;
  bridge: string;
  port: string;
  /** The source address used (`ping -I`), when the tunnel has one. */
  local?: string;
  remote: string;
  reach: ReachResult;
  /** Absent when the far end did not answer, or no size was worth searching for. */
  pathMtu?: PathMtuResult;
  /** The IP packet size the overlay needs (overlay MTU + encapsulation), which the search tried first. */
  wanted?: number;
}

/** Everything measured over SSH beyond the state probe; every part is optional to the checks. */
export interface DoctorMeasurements {
  hosts: Record<string, HostFacts>;
  tunnels: TunnelProbe[];
  /** Each host's OpenFlow rules, firewall and interface counters, read as the trace reads them. */
  counters?: Record<string, HostCounters>;
}

export type HostVerdict = 'ok' | 'unreachable';

/** A doctor run: `doctor --json` prints exactly this. */
export interface DoctorReport {
  findings: Finding[];
  hosts: Record<string, HostVerdict>;
}
