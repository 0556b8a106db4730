// The one comparison of a host's declared state with what it really has. Plain data: drift is
// its wording (drift.ts), the plan its fixes (apply/plan.ts), the tree and the topology read
// presence and differences from it.

import type { SourceRange } from '../lab/types';

/** `present`: the host has it; `missing`: declared, not there; `unknown`: what would say was not read. */
export type Presence = 'present' | 'missing' | 'unknown';

export type ComparedKind = 'ovs-bridge' | 'ovs-port' | 'linux-bridge' | 'linux-port' | 'interface' | 'address';

/**
 * What can differ. OVS: `datapath`, `bridge` (the port sits on another bridge), `type`, the
 * options `remote_ip`, `key`, `dst_port`, `local_ip`, `peer`, `tag`, and `error` (OVS reports
 * one for the interface). Kernel: `kind` (a device of another kind holds the name), `master`,
 * `vni` (VNI or GRE key), `remote`, `local`, `dstport`, `mtu`, `admin`. Addresses: `prefix`
 * (held with another length), `holder` (held on another device), `bridged-address` (a bridge
 * port holds an address it loses once bridged).
 */
export type DifferenceField =
  | 'datapath'
  | 'bridge'
  | 'type'
  | 'remote_ip'
  | 'key'
  | 'dst_port'
  | 'local_ip'
  | 'peer'
  | 'tag'
  | 'error'
  | 'kind'
  | 'master'
  | 'vni'
  | 'remote'
  | 'local'
  | 'dstport'
  | 'mtu'
  | 'admin'
  | 'prefix'
  | 'holder'
  | 'bridged-address';

export interface Difference {
  field: DifferenceField;
  /** What the lab says, normalised (`none` for nothing). */
  expected: string;
  /** What the host has, as it has it (`none` for nothing). */
  actual: string;
  /** The value in the lab file that says it, else the object's declaration. */
  range: SourceRange;
}

export interface ComparedObject {
  kind: ComparedKind;
  /** The bridge, port or interface name; for an address, its CIDR as the file writes it. */
  name: string;
  /** The bridge a port is declared on. */
  bridge?: string;
  /** The device an address is declared on. */
  device?: string;
  /** For a port: its type as the lab writes it. */
  type?: string;
  presence: Presence;
  /** Why it is missing in a way apply cannot make up for (its interface does not exist). */
  absent?: string;
  differences: Difference[];
  range: SourceRange;
}

export type BlockerKind = 'ovs-missing' | 'ovs-stopped' | 'ovs-unreadable' | 'links-unknown';

/** What keeps part of a host from being compared, or made as the file says. */
export interface Blocker {
  kind: BlockerKind;
  /** One sentence naming the host and what to do. */
  message: string;
  range?: SourceRange;
}

/** What a host has that the lab does not declare: not drift (the lab touches only what it declares), but shown. */
export interface UndeclaredObject {
  kind: 'ovs-bridge' | 'linux-bridge' | 'ovs-port' | 'linux-port';
  name: string;
  /** The bridge a port is on. */
  bridge?: string;
}

export interface HostComparison {
  host: string;
  blockers: Blocker[];
  /** Every declared object, in the order the desired state lists them. */
  objects: ComparedObject[];
  undeclared: UndeclaredObject[];
}
