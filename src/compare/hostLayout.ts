// What a host shows, joined once: each declared bridge, port and interface with what the host has
// of it (its OVS rows, its kernel device) and its presence as the comparison decides it, then
// what the host has that the file does not declare (from the comparison too), then the devices
// worth showing besides (segment members, the device holding the tunnels' local address). The
// tree renders this; it decides nothing of its own. Drift items are placed on the part they
// are about here as well.

import type { DriftItem, HostState, LinkState, OvsBridge, OvsInterface, OvsPort, OvsStatus } from '../hosts/types';
import type { Lab, LabBridge, LabHost, LabInterface, LabPort, ResolvedTunnel, SourceRange } from '../lab/types';
import { compareLabHost } from './compareHost';
import type { ComparedKind, HostComparison, Presence } from './types';

export interface PortLayout {
  name: string;
  declared?: LabPort;
  ovs?: OvsPort;
  iface?: OvsInterface;
  link?: LinkState;
  tunnel?: ResolvedTunnel;
  presence: Presence;
  /** The host's Open vSwitch, which the port's health depends on. */
  ovsStatus?: OvsStatus;
}

export interface BridgeLayout {
  name: string;
  kind: 'ovs' | 'linux';
  declared?: LabBridge;
  ovs?: OvsBridge;
  /** The bridge's own device (its internal port, for OVS). */
  link?: LinkState;
  presence: Presence;
  ports: PortLayout[];
}

export interface InterfaceLayout {
  name: string;
  declared?: LabInterface;
  link?: LinkState;
  range?: SourceRange;
  /** Why a host's interface is shown although it is not under `interfaces`. */
  reason?: string;
  presence: Presence;
}

export interface HostLayout {
  bridges: BridgeLayout[];
  interfaces: InterfaceLayout[];
  /** The comparison the presences come from; undefined when the host was not read. */
  comparison?: HostComparison;
}

/** A declared object's presence as the comparison says it; `unknown` without a comparison. */
export function presenceOf(comparison: HostComparison | undefined, kinds: readonly ComparedKind[], name: string, bridge?: string): Presence {
  const object = comparison?.objects.find((o) => kinds.includes(o.kind) && o.name === name && (bridge === undefined || o.bridge === bridge));
  return object?.presence ?? 'unknown';
}

/** A device's presence among the kernel's devices (for what the file names without declaring it, like a segment member). */
export function devicePresence(state: HostState | undefined, name: string): Presence {
  if (!state?.linksKnown) return 'unknown';
  return state.links.some((link) => link.name === name) ? 'present' : 'missing';
}

export function layoutHost(lab: Lab, host: LabHost, state: HostState | undefined): HostLayout {
  const comparison = state ? compareLabHost(lab, host.name, state) : undefined;
  const links = new Map((state?.linksKnown ? state.links : []).map((link) => [link.name, link]));
  const ovsBridges = new Map((state?.bridgesKnown ? state.bridges : []).map((bridge) => [bridge.name, bridge]));
  const undeclared = comparison?.undeclared ?? [];

  const bridges: BridgeLayout[] = host.bridges.map((declared) => ({
    name: declared.name,
    kind: declared.kind,
    declared,
    ovs: declared.kind === 'ovs' ? ovsBridges.get(declared.name) : undefined,
    link: links.get(declared.name),
    presence: presenceOf(comparison, declared.kind === 'ovs' ? ['ovs-bridge'] : ['linux-bridge'], declared.name),
    ports: [],
  }));
  // Bridges the lab does not declare (someone else's): not drift, but shown.
  for (const other of undeclared) {
    if (other.kind === 'ovs-bridge') bridges.push({ name: other.name, kind: 'ovs', ovs: ovsBridges.get(other.name), link: links.get(other.name), presence: 'present', ports: [] });
  }
  for (const other of undeclared) {
    if (other.kind === 'linux-bridge') bridges.push({ name: other.name, kind: 'linux', link: links.get(other.name), presence: 'present', ports: [] });
  }

  for (const bridge of bridges) {
    const ovsPorts = new Map((bridge.ovs?.ports ?? []).map((port) => [port.name, port]));
    const port = (name: string, declared: LabPort | undefined, presence: Presence): PortLayout => {
      const ovs = ovsPorts.get(name);
      const tunnel = lab.tunnels.find((t) => t.host === host.name && t.bridge === bridge.name && t.port === name);
      return { name, declared, ovs, iface: ovs?.interfaces.find((iface) => iface.name === name) ?? ovs?.interfaces[0], link: links.get(name), tunnel, presence, ovsStatus: state?.ovs };
    };
    const declaredPorts = (bridge.declared?.ports ?? []).map((p) => port(p.name, p, presenceOf(comparison, bridge.kind === 'ovs' ? ['ovs-port'] : ['linux-port'], p.name, bridge.name)));
    // The ports of a bridge the lab does not declare are all its own; of a declared bridge, the comparison says which are extra.
    const extra = bridge.declared
      ? undeclared.filter((u) => (u.kind === 'ovs-port' || u.kind === 'linux-port') && u.bridge === bridge.name).map((u) => u.name)
      : bridge.kind === 'ovs'
        ? [...ovsPorts.keys()].filter((name) => name !== bridge.name).sort()
        : [...links.values()].filter((link) => link.master === bridge.name).map((link) => link.name).sort();
    bridge.ports = [...declaredPorts, ...extra.map((name) => port(name, undefined, 'present'))];
  }

  const interfaces: InterfaceLayout[] = host.interfaces.map((declared) => ({ name: declared.name, declared, link: links.get(declared.name), range: declared.range, presence: presenceOf(comparison, ['interface'], declared.name) }));
  const shown = new Set([...interfaces.map((iface) => iface.name), ...bridges.map((bridge) => bridge.name)]);
  for (const segment of lab.segments) {
    for (const member of segment.members) {
      if (member.host !== host.name || shown.has(member.interface)) continue;
      shown.add(member.interface);
      interfaces.push({ name: member.interface, link: links.get(member.interface), range: member.range, reason: `a member of segment ${segment.name}`, presence: devicePresence(state, member.interface) });
    }
  }
  // The devices that carry this host's tunnels (the underlay), found by the local tunnel address.
  const localAddresses = new Set(lab.tunnels.filter((tunnel) => tunnel.host === host.name && tunnel.localAddress).map((tunnel) => tunnel.localAddress));
  for (const link of links.values()) {
    if (shown.has(link.name) || !link.addresses.some((address) => localAddresses.has(address.cidr.split('/')[0]))) continue;
    shown.add(link.name);
    interfaces.push({ name: link.name, link, reason: 'it holds the underlay address that carries the tunnels', presence: 'present' });
  }
  return { bridges, interfaces, comparison };
}

/** Where drift items go: `bridge:NAME`, `port:BRIDGE:NAME`, `interface:NAME`; what fits no shown part is left over. */
export function placeDrift(layout: HostLayout, drift: readonly DriftItem[]): { placed: Map<string, DriftItem[]>; rest: DriftItem[] } {
  const bridges = new Set(layout.bridges.map((bridge) => bridge.name));
  const interfaces = new Set(layout.interfaces.map((iface) => iface.name));
  const portKey = (name: string, bridge?: string): string | undefined => {
    const owner = layout.bridges.find((candidate) => (bridge === undefined || candidate.name === bridge) && candidate.ports.some((port) => port.name === name));
    return owner ? `port:${owner.name}:${name}` : undefined;
  };
  const target = (item: DriftItem): string | undefined => {
    const { kind, name, bridge } = item.subject;
    switch (kind) {
      case 'bridge':
        return bridges.has(name) ? `bridge:${name}` : undefined;
      case 'port':
        return portKey(name, bridge) ?? (interfaces.has(name) ? `interface:${name}` : undefined);
      case 'interface':
        return interfaces.has(name) ? `interface:${name}` : portKey(name, bridge);
      case 'address':
        return interfaces.has(name) ? `interface:${name}` : bridges.has(name) ? `bridge:${name}` : portKey(name, bridge);
      default:
        return undefined;
    }
  };
  const placed = new Map<string, DriftItem[]>();
  const rest: DriftItem[] = [];
  for (const item of drift) {
    const key = target(item);
    if (key === undefined) rest.push(item);
    else placed.set(key, [...(placed.get(key) ?? []), item]);
  }
  return { placed, rest };
}
