// The comparison: a host's declared state (desired.ts) against what the probe read of it. For
// each declared object, whether the host has it, and each field that differs, with both values
// and the place in the lab file; what the host has beyond the file; what kept parts of it from
// being compared. Every normalisation is in normalise.ts. Pure.
//
// The lab touches only what it declares, so a host's other bridges, ports and addresses are not
// differences: they are `undeclared`, for showing. What could not be read is `unknown`, never
// missing: HostState.notes and the blockers say why.

import { TUNNEL_KINDS } from '../lab/tunnelKinds';
import type { Lab, SourceRange } from '../lab/types';
import type { HostState, LinkState, OvsBridge, OvsInterface, OvsPort } from '../hosts/types';
import { desiredHost, type DesiredHost, type DesiredKernelTunnel, type DesiredLinuxBridge, type DesiredOvsBridge, type DesiredOvsPort } from './desired';
import { addressOf, isAutomaticScope, kernelTunnelId, kernelTunnelKind, ovsOption, ovsType, sameIp, sameOption, tagText } from './normalise';
import type { Blocker, ComparedObject, Difference, DifferenceField, HostComparison, Presence, UndeclaredObject } from './types';

/** The comparison of one lab host with its state. */
export function compareLabHost(lab: Pick<Lab, 'hosts' | 'tunnels'>, hostName: string, state: HostState): HostComparison {
  return compareHost(desiredHost(lab, hostName), state);
}

export function compareHost(desired: DesiredHost, state: HostState): HostComparison {
  const links = new Map(state.linksKnown ? state.links.map((link) => [link.name, link]) : []);
  const ovsRunning = state.ovs.state === 'running';
  const objects: ComparedObject[] = [];

  for (const bridge of desired.ovsBridges) {
    objects.push(ovsBridgeObject(bridge, state, links));
    for (const port of bridge.ports) objects.push(ovsPortObject(bridge, port, state, links));
  }
  for (const bridge of desired.linuxBridges) {
    objects.push(linuxBridgeObject(bridge, state, links));
    for (const member of bridge.members) objects.push(linuxMemberObject(bridge, member.name, member.range, state, links));
    for (const tunnel of bridge.tunnels) objects.push(kernelTunnelObject(bridge, tunnel, state, links));
    for (const port of bridge.unresolved) objects.push(unresolvedTunnelObject(bridge, port, state, links));
  }
  for (const iface of desired.interfaces) {
    objects.push({ kind: 'interface', name: iface.name, presence: linkPresence(state, links, iface.name), absent: state.linksKnown && !links.has(iface.name) ? 'no-device' : undefined, differences: [], range: iface.range });
  }
  for (const address of desired.addresses) objects.push(addressObject(address.device, address.cidr, address.range, state, links));

  // Fields of the devices themselves, on the object that declares them.
  const ownerOf = (device: string, owner: 'bridge' | 'port' | 'interface', bridge?: string): ComparedObject | undefined =>
    objects.find((object) =>
      owner === 'bridge'
        ? (object.kind === 'ovs-bridge' || object.kind === 'linux-bridge') && object.name === device
        : owner === 'port'
          ? (object.kind === 'ovs-port' || object.kind === 'linux-port') && object.name === device && object.bridge === bridge
          : object.kind === 'interface' && object.name === device,
    );
  const ovsOwned = new Set(desired.ovsDevices);
  for (const mtu of desired.mtus) {
    const link = links.get(mtu.device);
    if (!link || link.mtu === mtu.mtu) continue;
    ownerOf(mtu.device, mtu.holder === 'bridge' ? 'bridge' : 'interface')?.differences.push({ field: 'mtu', expected: String(mtu.mtu), actual: String(link.mtu), range: mtu.range });
  }
  for (const up of desired.up) {
    const link = links.get(up.device);
    // OVS brings its own devices up and down with ovs-vswitchd: while it is not running, their state says nothing.
    if (!link || link.up || (ovsOwned.has(up.device) && !ovsRunning)) continue;
    ownerOf(up.device, up.owner, up.bridge)?.differences.push({ field: 'admin', expected: 'up', actual: 'down', range: up.range });
  }
  for (const bridged of desired.bridged) {
    const declared = desired.addresses.filter((a) => a.device === bridged.name).map((a) => addressOf(a.cidr).key);
    for (const address of links.get(bridged.name)?.addresses ?? []) {
      if (isAutomaticScope(address.scope) || declared.includes(addressOf(address.cidr).key)) continue;
      ownerOf(bridged.name, 'port', bridged.bridge)?.differences.push({ field: 'bridged-address', expected: 'none', actual: address.cidr, range: bridged.range });
    }
  }
  return { host: desired.host, blockers: blockersOf(desired, state), objects, undeclared: undeclaredOf(desired, state, links) };
}

function linkPresence(state: HostState, links: Map<string, LinkState>, name: string): Presence {
  if (!state.linksKnown) return 'unknown';
  return links.has(name) ? 'present' : 'missing';
}

function blockersOf(desired: DesiredHost, state: HostState): Blocker[] {
  const blockers: Blocker[] = [];
  const ovsBridges = desired.ovsBridges;
  if (ovsBridges.length) {
    const ovs = state.ovs;
    const range = ovsBridges[0].range;
    if (ovs.state === 'missing') {
      blockers.push({ kind: 'ovs-missing', message: `${ovs.message}, where the lab declares OVS bridge${ovsBridges.length > 1 ? 's' : ''} ${listOf(ovsBridges.map((b) => b.name))}`, range });
    } else if (ovs.state === 'stopped') {
      blockers.push({ kind: 'ovs-stopped', message: ovs.message, range });
    } else if (ovs.state === 'unreadable') {
      blockers.push({ kind: 'ovs-unreadable', message: ovs.message, range });
    }
  }
  const kernelDeclared = desired.linuxBridges.length + desired.interfaces.length + desired.addresses.length + desired.up.length > 0;
  if (!state.linksKnown && kernelDeclared) {
    const note = state.notes.find((candidate) => /interfaces of|\bip\b/.test(candidate));
    blockers.push({ kind: 'links-unknown', message: `${note ?? `the interfaces of ${state.host} could not be read`}, so its devices and addresses are not compared` });
  }
  return blockers;
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function difference(field: DifferenceField, expected: string | number | undefined, actual: string | number | undefined, range: SourceRange): Difference {
  return { field, expected: expected === undefined ? 'none' : String(expected), actual: actual === undefined ? 'none' : String(actual), range };
}

// ---------------------------------------------------------------------------------------------
// Open vSwitch, as its database says (only when it answered).

function ovsBridgeObject(bridge: DesiredOvsBridge, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'ovs-bridge', name: bridge.name, presence: 'unknown', differences: [], range: bridge.range };
  if (!state.bridgesKnown) return object;
  const actual = state.bridges.find((b) => b.name === bridge.name);
  if (!actual) {
    object.presence = 'missing';
    if (links.get(bridge.name)?.kind === 'bridge') object.differences.push(difference('kind', 'ovs', 'linux', bridge.fieldRanges?.kind ?? bridge.range));
    return object;
  }
  object.presence = 'present';
  const datapath = actual.datapathType || 'system';
  if (datapath !== bridge.datapath) object.differences.push(difference('datapath', bridge.datapath, datapath, bridge.fieldRanges?.datapath ?? bridge.range));
  return object;
}

/** Where a port of that name is, on whichever bridge. */
export function findOvsPort(bridges: readonly OvsBridge[], name: string): { bridge: OvsBridge; port: OvsPort; iface?: OvsInterface } | undefined {
  for (const bridge of bridges) {
    const port = bridge.ports.find((p) => p.name === name);
    if (port) return { bridge, port, iface: port.interfaces.find((i) => i.name === name) ?? port.interfaces[0] };
  }
  return undefined;
}

const OPTION_FIELDS: Record<string, { field: DifferenceField; lab: 'remote' | 'vni' | 'dstport' | 'local' | 'peer' }> = {
  remote_ip: { field: 'remote_ip', lab: 'remote' },
  key: { field: 'key', lab: 'vni' },
  dst_port: { field: 'dst_port', lab: 'dstport' },
  local_ip: { field: 'local_ip', lab: 'local' },
  peer: { field: 'peer', lab: 'peer' },
};

/** The options compared for a port: what the lab sets, plus a tunnel's key and UDP port, which have defaults. */
export function comparedOptions(port: DesiredOvsPort): string[] {
  if (port.type === 'patch') return port.options.peer !== undefined ? ['peer'] : [];
  if (port.type !== 'vxlan' && port.type !== 'geneve' && port.type !== 'gre') return [];
  // A tunnel whose far end is not known (the validator says why) has nothing to compare against.
  if (port.options.remote_ip === undefined) return [];
  return ['remote_ip', 'key', ...(port.type === 'gre' ? [] : ['dst_port']), ...(port.options.local_ip !== undefined ? ['local_ip'] : [])];
}

function ovsPortObject(bridge: DesiredOvsBridge, port: DesiredOvsPort, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'ovs-port', name: port.name, bridge: bridge.name, type: port.labType, presence: 'unknown', differences: [], range: port.range };
  if (!state.bridgesKnown) return object;
  const found = findOvsPort(state.bridges, port.name);
  if (!found || !found.iface) {
    object.presence = 'missing';
    if (port.type === '' && state.linksKnown && !links.has(port.name) && !found) object.absent = 'no-device';
    return object;
  }
  object.presence = 'present';
  if (found.bridge.name !== bridge.name) {
    // Moving it makes it anew, as declared: its other fields do not matter until then.
    object.differences.push(difference('bridge', bridge.name, found.bridge.name, port.range));
    return object;
  }
  const iface = found.iface;
  const actualType = ovsType(iface.type);
  if (actualType !== port.labType) {
    // Other options mean something else for another type: setting the type sets them all.
    object.differences.push(difference('type', port.labType, actualType, port.fieldRanges?.type ?? port.range));
  } else {
    for (const key of comparedOptions(port)) {
      const expected = ovsOption(port.type, port.options, key);
      const actual = ovsOption(iface.type, iface.options, key);
      if (sameOption(key, expected, actual)) continue;
      const { field, lab } = OPTION_FIELDS[key];
      object.differences.push(difference(field, expected, actual, port.fieldRanges?.[lab] ?? port.range));
    }
  }
  if (found.port.tag !== port.tag) object.differences.push(difference('tag', tagText(port.tag), tagText(found.port.tag), port.fieldRanges?.vlan ?? port.range));
  if (iface.error) object.differences.push(difference('error', 'no error', iface.error, port.range));
  return object;
}

// ---------------------------------------------------------------------------------------------
// The kernel's devices (only when `ip -j` answered).

function linuxBridgeObject(bridge: DesiredLinuxBridge, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'linux-bridge', name: bridge.name, presence: 'unknown', differences: [], range: bridge.range };
  if (!state.linksKnown) return object;
  const link = links.get(bridge.name);
  if (!link) {
    object.presence = 'missing';
    if (state.bridges.some((b) => b.name === bridge.name)) object.differences.push(difference('kind', 'linux', 'ovs', bridge.fieldRanges?.kind ?? bridge.range));
    return object;
  }
  if (link.kind !== 'bridge') {
    object.presence = 'missing';
    object.differences.push(difference('kind', 'bridge', link.kind ?? 'device', bridge.range));
    return object;
  }
  object.presence = 'present';
  return object;
}

function masterDifference(bridge: string, link: LinkState, range: SourceRange): Difference[] {
  return link.master === bridge ? [] : [difference('master', bridge, link.master, range)];
}

function linuxMemberObject(bridge: DesiredLinuxBridge, name: string, range: SourceRange, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'linux-port', name, bridge: bridge.name, type: 'system', presence: linkPresence(state, links, name), differences: [], range };
  const link = links.get(name);
  if (object.presence === 'missing') object.absent = 'no-device';
  if (link) object.differences.push(...masterDifference(bridge.name, link, range));
  return object;
}

function kernelTunnelObject(bridge: DesiredLinuxBridge, tunnel: DesiredKernelTunnel, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'linux-port', name: tunnel.name, bridge: bridge.name, type: tunnel.type, presence: linkPresence(state, links, tunnel.name), differences: [], range: tunnel.range };
  const link = links.get(tunnel.name);
  if (!link) return object;
  object.differences.push(...masterDifference(bridge.name, link, tunnel.range));
  const kind = kernelTunnelKind(tunnel.type, tunnel.remote);
  const ranges = tunnel.fieldRanges;
  if (link.kind !== kind) {
    object.differences.push(difference('kind', kind, link.kind ?? 'device', ranges?.type ?? tunnel.range));
    return object;
  }
  const actual = link.tunnel ?? {};
  if (kernelTunnelId(actual.id) !== tunnel.vni) object.differences.push(difference('vni', tunnel.vni, actual.id, ranges?.vni ?? tunnel.range));
  if (!sameIp(actual.remote, tunnel.remote)) object.differences.push(difference('remote', tunnel.remote, actual.remote, ranges?.remote ?? tunnel.range));
  if (tunnel.local !== undefined && !sameIp(actual.local, tunnel.local)) object.differences.push(difference('local', tunnel.local, actual.local, ranges?.local ?? tunnel.range));
  if (tunnel.type !== 'gre' && actual.dstport !== tunnel.dstport) object.differences.push(difference('dstport', tunnel.dstport, actual.dstport, ranges?.dstport ?? tunnel.range));
  return object;
}

function unresolvedTunnelObject(bridge: DesiredLinuxBridge, port: DesiredLinuxBridge['unresolved'][number], state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'linux-port', name: port.name, bridge: bridge.name, type: port.type, presence: linkPresence(state, links, port.name), differences: [], range: port.range };
  const link = links.get(port.name);
  if (!link) return object;
  object.differences.push(...masterDifference(bridge.name, link, port.range));
  // Without a far end the IP version is not known: either kernel kind of the type will do.
  const kinds = Object.values(TUNNEL_KINDS[port.type].kernelKind);
  const kind = kinds[0];
  if (!kinds.includes(link.kind ?? '')) object.differences.push(difference('kind', kind, link.kind ?? 'device', port.fieldRanges?.type ?? port.range));
  return object;
}

function addressObject(device: string, cidr: string, range: SourceRange, state: HostState, links: Map<string, LinkState>): ComparedObject {
  const object: ComparedObject = { kind: 'address', name: cidr, device, presence: 'unknown', differences: [], range };
  if (!state.linksKnown) return object;
  const wanted = addressOf(cidr);
  const held = (link: LinkState) => link.addresses.find((a) => addressOf(a.cidr).key === wanted.key);
  const link = links.get(device);
  const here = link && held(link);
  if (here) {
    object.presence = 'present';
    if (addressOf(here.cidr).prefix !== wanted.prefix) object.differences.push(difference('prefix', cidr, here.cidr, range));
    return object;
  }
  object.presence = 'missing';
  // Held elsewhere on the host: say where, which tells more than "missing".
  const elsewhere = [...links.values()].find((candidate) => candidate !== link && held(candidate));
  if (elsewhere) object.differences.push(difference('holder', device, elsewhere.name, range));
  return object;
}

// ---------------------------------------------------------------------------------------------
// What the host has beyond the file.

function undeclaredOf(desired: DesiredHost, state: HostState, links: Map<string, LinkState>): UndeclaredObject[] {
  const declared = new Set([...desired.ovsBridges, ...desired.linuxBridges].map((b) => b.name));
  const found: UndeclaredObject[] = [];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  if (state.bridgesKnown) {
    for (const bridge of [...state.bridges].sort(byName)) if (!declared.has(bridge.name)) found.push({ kind: 'ovs-bridge', name: bridge.name });
  }
  for (const link of [...links.values()].sort(byName)) if (link.kind === 'bridge' && !declared.has(link.name)) found.push({ kind: 'linux-bridge', name: link.name });
  for (const bridge of desired.ovsBridges) {
    const names = new Set(bridge.ports.map((p) => p.name));
    const actual = state.bridgesKnown ? state.bridges.find((b) => b.name === bridge.name) : undefined;
    // The bridge's own internal port is the bridge itself.
    for (const port of [...(actual?.ports ?? [])].sort(byName)) if (port.name !== bridge.name && !names.has(port.name)) found.push({ kind: 'ovs-port', name: port.name, bridge: bridge.name });
  }
  for (const bridge of desired.linuxBridges) {
    const names = new Set([...bridge.members.map((m) => m.name), ...bridge.tunnels.map((t) => t.name), ...bridge.unresolved.map((t) => t.name)]);
    for (const link of [...links.values()].sort(byName)) if (link.master === bridge.name && !names.has(link.name)) found.push({ kind: 'linux-port', name: link.name, bridge: bridge.name });
  }
  return found;
}
