// Drift: how each host differs from what the lab file declares. Pure: the lab model and the
// hosts' states in, a list of items out, in lab-file order. The lab touches only what it
// declares, so what a host has beyond that (other bridges, other addresses) is not drift; see
// undeclared.ts for showing it. A host that could not be read has no state and so no drift:
// that is a failure, reported as such.

import type { Lab, LabHost } from '../lab/types';
import { addressingDrift } from './driftAddressing';
import { listOf, missing } from './driftItems';
import { linuxBridgeDrift } from './driftLinuxBridges';
import { ovsBridgeDrift } from './driftOvsBridges';
import type { DriftItem, HostState } from './types';

/** Drift of every host that has a state, in the lab's host order. */
export function labDrift(lab: Lab, states: Readonly<Record<string, HostState | undefined>>): DriftItem[] {
  return lab.hosts.flatMap((host) => {
    const state = states[host.name];
    return state ? hostDrift(lab, host, state) : [];
  });
}

export function hostDrift(lab: Lab, host: LabHost, state: HostState): DriftItem[] {
  const items: DriftItem[] = [...ovsServiceDrift(host, state)];
  // What could not be read is not known to differ: HostState.notes says why it is unknown.
  if (state.bridgesKnown) items.push(...ovsBridgeDrift(lab, host, state));
  if (state.linksKnown) items.push(...linuxBridgeDrift(lab, host, state), ...addressingDrift(host, state));
  return inFileOrder(items);
}

/**
 * A host whose lab declares OVS bridges needs Open vSwitch installed and both its daemons
 * running; when they are not, that is the first thing to fix, and it says why the bridges'
 * devices and addresses are gone.
 */
function ovsServiceDrift(host: LabHost, state: HostState): DriftItem[] {
  const ovsBridges = host.bridges.filter((b) => b.kind === 'ovs');
  if (ovsBridges.length === 0) return [];
  const subject = { host: host.name, kind: 'host' as const, name: host.name };
  const names = listOf(ovsBridges.map((b) => b.name));
  if (state.ovs.state === 'missing') {
    return [missing(subject, `${state.ovs.message}, where the lab declares OVS bridge${ovsBridges.length > 1 ? 's' : ''} ${names}`, ovsBridges[0].range)];
  }
  if (state.ovs.state === 'stopped') return [missing(subject, state.ovs.message, ovsBridges[0].range)];
  return [];
}

/**
 * Host-wide items first, then by the line of the declaration. Stable, and by line only, so the
 * items of one flow-style port (`{ name: vx0, remote: …, vni: … }`) keep the checks' order.
 */
function inFileOrder(items: DriftItem[]): DriftItem[] {
  const key = (item: DriftItem) => (item.subject.kind === 'host' || !item.range ? -1 : item.range.line);
  return items.map((item, i) => ({ item, i })).sort((a, b) => key(a.item) - key(b.item) || a.i - b.i).map(({ item }) => item);
}
