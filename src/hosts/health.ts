// Whether a device of a host (an interface, a bridge, an OVS port, a tunnel) is up, and if not,
// why, judged from what the host reported. One function decides it, and the tree, the topology
// and every other face show its answer, so that an admin-down port is the same "admin down"
// everywhere.

import type { HostState, LinkState, OvsInterface, OvsStatus } from './types';

/**
 * `up`: forwarding as far as the host can tell; `down`: enabled but not forwarding (no carrier, a
 * lower layer down); `disabled`: switched off on purpose (administratively down); `error`: OVS
 * could not make it (its `error` column); `missing`: the host has no such device; `unknown`: the
 * host was not read, or said nothing about it.
 */
export type HealthState = 'up' | 'down' | 'disabled' | 'error' | 'missing' | 'unknown';

export interface Health {
  state: HealthState;
  /** The values it was judged on, in words: `admin down (ip link: no UP flag)`, `OVS: could not open network device vx0 (No such device)`. */
  reason: string;
}

/** What the host reported of one device: its OVS interface, its kernel link, either or both. */
export interface DeviceReading {
  iface?: OvsInterface;
  link?: LinkState;
  /** The host's Open vSwitch: with ovs-vswitchd stopped, the database still lists its ports, with the link_state of before. */
  ovs?: OvsStatus;
}

/** A kernel device's health, from its UP flag and operational state. */
function kernelHealth(link: LinkState): Health {
  if (!link.up) return { state: 'disabled', reason: 'admin down (no UP flag)' };
  switch (link.operState) {
    case 'UP':
      return { state: 'up', reason: 'admin up, oper UP' };
    case 'UNKNOWN':
      // Tunnels, taps and loopback report UNKNOWN while carrying traffic.
      return { state: 'up', reason: 'admin up, oper UNKNOWN (as tunnels, taps and loopback report while working)' };
    case 'DOWN':
      return { state: 'down', reason: 'no carrier (admin up, oper DOWN)' };
    case 'LOWERLAYERDOWN':
      return { state: 'down', reason: 'the device below it is down (oper LOWERLAYERDOWN)' };
    default:
      return { state: 'down', reason: `admin up, oper ${link.operState}` };
  }
}

/**
 * An OVS interface's health: a stopped ovs-vswitchd first (nothing forwards, whatever the
 * database still says), then its error, admin_state and link_state; the kernel device when OVS
 * says neither.
 */
function ovsHealth(iface: OvsInterface, link: LinkState | undefined, ovs: OvsStatus | undefined): Health {
  if (ovs?.state === 'stopped' && ovs.stopped.includes('ovs-vswitchd')) {
    return { state: 'down', reason: `ovs-vswitchd is not running, so OVS forwards nothing (the database's link_state ${iface.linkState ?? 'none'} is from before it stopped)` };
  }
  if (iface.error) return { state: 'error', reason: `OVS: ${iface.error}` };
  if (iface.adminState === 'down') return { state: 'disabled', reason: 'admin down (OVS admin_state down)' };
  if (iface.linkState === 'up') return { state: 'up', reason: 'OVS link_state up' };
  if (iface.linkState === 'down') return { state: 'down', reason: 'no carrier (OVS link_state down)' };
  if (link) return kernelHealth(link);
  return { state: 'unknown', reason: 'OVS reports neither admin_state nor link_state for it' };
}

/**
 * The health of one device from what was read of it. `known` says whether the host's reading
 * could have listed it: a device absent from a complete reading is `missing`, from an incomplete
 * one `unknown`.
 */
export function deviceHealth(reading: DeviceReading, known = true): Health {
  if (reading.iface) return ovsHealth(reading.iface, reading.link, reading.ovs);
  if (reading.link) return kernelHealth(reading.link);
  return known ? { state: 'missing', reason: 'the host has no such device' } : { state: 'unknown', reason: 'not read' };
}

/** The health of the device `name` on a host: its OVS interface (in any bridge) and its kernel link. */
export function healthOn(state: HostState | undefined, name: string): Health {
  if (!state) return { state: 'unknown', reason: 'the host was not read' };
  const iface = state.bridgesKnown ? state.bridges.flatMap((bridge) => bridge.ports.flatMap((port) => port.interfaces)).find((candidate) => candidate.name === name) : undefined;
  const link = state.linksKnown ? state.links.find((candidate) => candidate.name === name) : undefined;
  // An OVS port need not be a kernel device, so only a host whose OVS was read (or has none) can lack one.
  return deviceHealth({ iface, link, ovs: state.ovs }, state.linksKnown && (state.bridgesKnown || state.ovs.state === 'missing'));
}

/** True when it forwards nothing: down, disabled, in error or missing. */
export function isOutOfService(health: Health): boolean {
  return health.state === 'down' || health.state === 'disabled' || health.state === 'error' || health.state === 'missing';
}

/** A segment works when every member's device is up, is broken when one is out of service, and is not known otherwise. */
export function segmentHealth(members: readonly Health[]): HealthState {
  if (members.some(isOutOfService)) return 'down';
  if (members.length > 0 && members.every((member) => member.state === 'up')) return 'up';
  return 'unknown';
}
