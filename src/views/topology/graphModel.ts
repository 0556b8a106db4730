// The topology diagram of a lab as plain data: hosts holding their bridges and other interfaces,
// bridges holding their ports, segments joined to their members, tunnels between tunnel ports.
// Every judgement comes from the core: presence and health from the declared/actual join
// (hosts/declaredDevices, hosts/health), tunnel peers and underlay from the resolved lab, capture
// places from session/captureTargets. This file only turns those answers into graph elements.
// Element ids are stable across snapshots, so the webview updates the diagram in place and keeps
// the positions the user gave.

import { deviceOn, declaredDevices, type DeclaredBridge, type DeclaredInterface, type DeclaredPort, type HostDevice, type Presence } from '../../hosts/declaredDevices';
import { segmentHealth, type Health, type HealthState } from '../../hosts/health';
import type { DriftItem, HostReading, LabState, LinkState } from '../../hosts/types';
import { isTunnelType } from '../../lab/resolve';
import { TUNNEL_KINDS } from '../../lab/tunnelKinds';
import { findTunnel } from '../../lab/tunnelPairing';
import type { Lab, LabHost, LabPort, ResolvedTunnel, SourceRange } from '../../lab/types';
import { portCaptureSpot } from '../../session/captureTargets';
import type { HostLive } from '../../session/liveLabs';
import type { GraphEdge, GraphNode, GraphSnapshot, NodeStatus, SourcePlace } from '../../webview/protocol';
import { hostAddress, hostJumps } from '../labsTreeModel';
import { hostPhase } from '../../session/hostPhase';

export const ids = {
  host: (host: string) => `host:${host}`,
  bridge: (host: string, bridge: string) => `bridge:${host}/${bridge}`,
  port: (host: string, bridge: string, port: string) => `port:${host}/${bridge}/${port}`,
  iface: (host: string, iface: string) => `iface:${host}/${iface}`,
  segment: (segment: string) => `segment:${segment}`,
  remote: (address: string) => `remote:${address}`,
  member: (segment: string, host: string, iface: string) => `member:${segment}/${host}/${iface}`,
  tunnel: (from: { host: string; port: string }, to: { host: string; port: string } | string) =>
    `tunnel:${from.host}/${from.port}~${typeof to === 'string' ? to : `${to.host}/${to.port}`}`,
};

export interface GraphInputs {
  lab: Lab;
  /** The hosts' latest readings and drift; absent before the first read. */
  state?: LabState;
  /** Connection and read-in-progress per host. */
  hosts?: Record<string, HostLive>;
  notice?: string;
}

export function buildGraph({ lab, state, hosts = {}, notice }: GraphInputs): GraphSnapshot {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  /** The node that stands for `host:interface` (a port when a bridge holds it). */
  const deviceNode = new Map<string, GraphNode>();
  const deviceKey = (host: string, name: string) => `${host}\u0000${name}`;

  for (const host of lab.hosts) {
    const reading = state?.hosts[host.name];
    const drift = (state?.drift ?? []).filter((item) => item.subject.host === host.name);
    for (const node of hostNodes(lab, host, reading, hosts[host.name], drift)) {
      nodes.push(node);
      if ((node.kind === 'port' || node.kind === 'iface' || node.kind === 'bridge') && node.host) {
        const key = deviceKey(node.host, node.label);
        // A port wins over the bridge of the same name (never both in a lab), and is found first.
        if (!deviceNode.has(key) || node.kind === 'port') deviceNode.set(key, node);
      }
    }
  }

  // Interfaces named only as segment members get a node of their own, so that the member has an end.
  for (const segment of lab.segments) {
    for (const member of segment.members) {
      const key = deviceKey(member.host, member.interface);
      if (deviceNode.has(key) || !lab.hosts.some((host) => host.name === member.host)) continue;
      const host = lab.hosts.find((candidate) => candidate.name === member.host)!;
      const node = implicitInterface(host, member.interface, segment.name, state?.hosts[host.name], member.range);
      nodes.push(node);
      deviceNode.set(key, node);
    }
  }

  for (const segment of lab.segments) {
    const members = segment.members.flatMap((member) => {
      const node = deviceNode.get(deviceKey(member.host, member.interface));
      return node ? [{ member, node }] : [];
    });
    // A member is judged by its device's link, not by the node it is drawn on (a port may be
    // missing from its bridge while the cable behind it is fine).
    const memberDevices = segment.members.map((member) => deviceOn(readState(state?.hosts[member.host]), member.interface));
    const status = SEGMENT_STATUS[segmentHealth(memberDevices.map((device) => device.health))];
    nodes.push({
      id: ids.segment(segment.name),
      kind: 'segment',
      label: segment.name,
      detail: segment.note,
      status,
      classes: ['segment', status, ...(segment.underlay ? ['underlay'] : [])],
      info: [
        `Segment ${segment.name}${segment.underlay ? ' (underlay: carries the tunnels)' : ''}: an L2 network the lab does not manage.`,
        ...(segment.note ? [segment.note] : []),
        `Members: ${segment.members.map((member) => `${member.host}:${member.interface}`).join(', ') || 'none'}.`,
      ],
      source: place(segment.range),
    });
    for (const { member, node } of members) {
      const memberLink = deviceStatus(deviceOn(readState(state?.hosts[member.host]), member.interface));
      edges.push({
        id: ids.member(segment.name, member.host, member.interface),
        kind: 'member',
        source: ids.segment(segment.name),
        target: node.id,
        status: memberLink,
        classes: ['member', memberLink, ...(segment.underlay ? ['underlay'] : [])],
        info: [`${member.host}:${member.interface} is a member of segment ${segment.name}.`],
      });
    }
  }

  edges.push(...tunnelEdges(lab, nodes));
  for (const edge of edges.filter((candidate) => candidate.kind === 'tunnel' && candidate.target.startsWith('remote:'))) {
    if (nodes.some((node) => node.id === edge.target)) continue;
    const address = edge.target.slice('remote:'.length);
    nodes.push({
      id: edge.target,
      kind: 'remote',
      label: address,
      detail: 'outside the lab',
      status: 'unknown',
      classes: ['remote', 'unknown'],
      info: [`${address}: a tunnel end that is not a host of the lab.`],
    });
  }
  return { lab: lab.name, nodes, edges, ...(notice ? { notice } : {}) };
}

// ---------------------------------------------------------------------------------------------
// A host and what it holds.

/** What a health says in the diagram: in error is drawn down (with its reason), not known is drawn as nothing wrong. */
const HEALTH_STATUS: Record<HealthState, NodeStatus> = { up: 'up', down: 'down', error: 'down', disabled: 'disabled', missing: 'missing', unknown: 'up' };
const SEGMENT_STATUS: Record<HealthState, NodeStatus> = { up: 'up', down: 'down', error: 'down', disabled: 'down', missing: 'down', unknown: 'unknown' };

function readState(reading: HostReading | undefined) {
  return reading?.ok ? reading.state : undefined;
}

/** The status of something on a host that was read: missing, drifted, then its health. */
function itemStatus(present: Presence, drift: readonly DriftItem[], health: Health): NodeStatus {
  if (present === undefined) return 'unknown';
  if (!present) return 'missing';
  if (drift.length) return 'drifted';
  return HEALTH_STATUS[health.state];
}

/** A device as read: up, down, disabled, missing, or unknown (its host not read). */
function deviceStatus(device: HostDevice): NodeStatus {
  return device.present === undefined ? 'unknown' : device.present ? HEALTH_STATUS[device.health.state] : 'missing';
}

function place(range: SourceRange | undefined): SourcePlace | undefined {
  return range ? { line: range.line, col: range.col } : undefined;
}

function words(parts: (string | false | undefined)[]): string | undefined {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part.length > 0);
  return kept.length ? kept.join(' · ') : undefined;
}

function compact<T>(values: (T | false | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined && value !== false);
}

const PORT_WORDS: Record<LabPort['type'], string> = {
  system: 'Port',
  internal: 'Internal port',
  patch: 'Patch port',
  vxlan: `${TUNNEL_KINDS.vxlan.label} port`,
  geneve: `${TUNNEL_KINDS.geneve.label} port`,
  gre: `${TUNNEL_KINDS.gre.label} port`,
};

const STATUS_SENTENCE: Record<NodeStatus, string | undefined> = {
  up: undefined,
  down: 'Down on the host',
  disabled: 'Disabled on the host',
  drifted: 'On the host, but not as the lab file says.',
  unreachable: undefined,
  missing: 'Missing: the lab file declares it, the host does not have it.',
  unknown: 'Not read: its state on the host is not known.',
};

/** The status in a sentence; down and disabled say why, with the values the health was judged on. */
function statusSentence(status: NodeStatus, health: Health): string | undefined {
  const sentence = STATUS_SENTENCE[status];
  return status === 'down' || status === 'disabled' ? `${sentence}: ${health.reason}.` : sentence;
}

function liveAddresses(link: LinkState | undefined): string[] {
  return link ? link.addresses.filter((address) => address.scope !== 'link' && address.scope !== 'host').map((address) => address.cidr) : [];
}

function linkLine(link: LinkState | undefined): string | undefined {
  if (!link) return undefined;
  return `${link.up ? 'admin up' : 'admin down'}, ${link.operState}, MTU ${link.mtu}${link.mac ? `, MAC ${link.mac}` : ''}; RX ${link.stats.rxPackets}, TX ${link.stats.txPackets} packets`;
}

function hostNodes(lab: Lab, host: LabHost, reading: HostReading | undefined, live: HostLive | undefined, drift: readonly DriftItem[]): GraphNode[] {
  const phase = hostPhase(reading, live);
  const state = reading?.ok ? reading.state : undefined;
  const hostId = ids.host(host.name);
  const busy = phase === 'reading' || phase === 'connecting';
  const hostStatus: NodeStatus = !reading ? 'unknown' : !reading.ok ? 'unreachable' : drift.length ? 'drifted' : 'up';
  const jumps = hostJumps(lab, host);
  const placed = placeDrift(host, drift);

  const nodes: GraphNode[] = [
    {
      id: hostId,
      kind: 'host',
      label: host.name,
      detail: hostAddress(host),
      status: hostStatus,
      classes: compact(['host', hostStatus, busy && 'busy']),
      info: compact([
        `Host ${host.name}: ${hostAddress(host)}${jumps.length ? ` via ${jumps.join(' → ')}` : ''}.`,
        busy && (phase === 'reading' ? 'Reading its state…' : 'Connecting…'),
        !reading && !busy && 'Not read yet: refresh the lab to read it.',
        reading && !reading.ok && `${phase === 'readError' ? 'Could not read its state' : 'Unreachable'}: ${reading.failure.message}`,
        state && words([state.system.distribution, state.system.kernel && `kernel ${state.system.kernel}`, state.ovs.state === 'running' ? `OVS ${state.ovs.version ?? 'running'}` : `OVS ${state.ovs.state}`]),
        ...(placed.get(hostId) ?? []).map((item) => item.message),
      ]),
      host: host.name,
      source: place(host.range),
    },
  ];

  const devices = declaredDevices(host, lab.tunnels, state);
  for (const bridge of devices.bridges) {
    const bridgeId = ids.bridge(host.name, bridge.declared.name);
    nodes.push(bridgeNode(host, bridge, placed.get(bridgeId) ?? []));
    for (const port of bridge.ports) nodes.push(portNode(host, bridge, port, placed.get(ids.port(host.name, bridge.declared.name, port.declared.name)) ?? []));
  }
  for (const iface of devices.interfaces) nodes.push(interfaceNode(host, iface, placed.get(ids.iface(host.name, iface.name)) ?? []));

  // A host that could not be read has no state: what it holds is `unknown`, not missing.
  return nodes;
}

function bridgeNode(host: LabHost, bridge: DeclaredBridge, drift: readonly DriftItem[]): GraphNode {
  const declared = bridge.declared;
  const status = itemStatus(bridge.present, drift, bridge.health);
  return {
    id: ids.bridge(host.name, declared.name),
    kind: 'bridge',
    label: declared.name,
    parent: ids.host(host.name),
    detail: words([declared.kind === 'ovs' && declared.datapath === 'netdev' ? 'ovs netdev' : declared.kind, ...declared.addresses]),
    status,
    classes: compact(['bridge', status, declared.kind, declared.underlay && 'underlay']),
    info: compact([
      `${declared.kind === 'ovs' ? 'Open vSwitch' : 'Linux'} bridge ${declared.name} on ${host.name}${declared.kind === 'ovs' ? `, ${declared.datapath} datapath` : ''}.`,
      declared.underlay && 'Carries the underlay (tunnel traffic).',
      declared.addresses.length > 0 && `Lab addresses: ${declared.addresses.join(', ')}.`,
      statusSentence(status, bridge.health),
      bridge.present && linkLine(bridge.link),
      ...drift.map((item) => item.message),
    ]),
    host: host.name,
    capture: { host: host.name, iface: declared.name },
    source: place(declared.range),
  };
}

function portNode(host: LabHost, bridge: DeclaredBridge, port: DeclaredPort, drift: readonly DriftItem[]): GraphNode {
  const declared = port.declared;
  const status = itemStatus(port.present, drift, port.health);
  const tunnel = port.tunnel;
  const isTunnel = isTunnelType(declared.type);
  return {
    id: ids.port(host.name, bridge.declared.name, declared.name),
    kind: 'port',
    label: declared.name,
    parent: ids.bridge(host.name, bridge.declared.name),
    detail: portDetail(declared, tunnel),
    status,
    classes: compact(['port', status, isTunnel && 'tunnel', isTunnel && declared.type, declared.type === 'internal' && 'internal', declared.type === 'patch' && 'patch']),
    info: compact([
      `${PORT_WORDS[declared.type]} ${declared.name} of ${bridge.declared.name} on ${host.name}.`,
      tunnel && `Tunnel to ${tunnel.remoteHost ?? tunnel.remote} (${tunnel.remoteAddress}), ${TUNNEL_KINDS[tunnel.type].numberName === 'key' ? 'key' : 'VNI'} ${tunnel.vni}${tunnel.dstport ? `, UDP port ${tunnel.dstport}` : ''}.`,
      declared.vlan !== undefined && `VLAN tag ${declared.vlan}.`,
      statusSentence(status, port.health),
      // When the port is drawn down, the sentence above already gives OVS's error.
      status !== 'down' && port.iface?.error && `OVS: ${port.iface.error}`,
      port.present && linkLine(port.link),
      ...drift.map((item) => item.message),
    ]),
    host: host.name,
    capture: portCaptureSpot(host.name, bridge.declared, declared, tunnel),
    source: place(declared.range),
  };
}

function interfaceNode(host: LabHost, iface: DeclaredInterface, drift: readonly DriftItem[]): GraphNode {
  const declared = iface.declared;
  const status = itemStatus(iface.present, drift, iface.health);
  const live = liveAddresses(iface.link);
  return {
    id: ids.iface(host.name, iface.name),
    kind: 'iface',
    label: iface.name,
    parent: ids.host(host.name),
    detail: words(declared.addresses.length ? declared.addresses : live),
    status,
    classes: compact(['iface', status, declared.underlay && 'underlay']),
    info: compact([
      `Interface ${iface.name} of ${host.name}.`,
      declared.underlay && 'Carries the underlay (tunnel traffic).',
      declared.addresses.length > 0 && `Lab addresses: ${declared.addresses.join(', ')}.`,
      live.length > 0 && `On the host: ${live.join(', ')}.`,
      statusSentence(status, iface.health),
      iface.present && linkLine(iface.link),
      ...drift.map((item) => item.message),
    ]),
    host: host.name,
    capture: { host: host.name, iface: iface.name },
    source: place(declared.range),
  };
}

function implicitInterface(host: LabHost, name: string, segment: string, reading: HostReading | undefined, range: SourceRange | undefined): GraphNode {
  const device = deviceOn(readState(reading), name);
  const status = reading && !reading.ok ? 'unknown' : itemStatus(device.present, [], device.health);
  return {
    id: ids.iface(host.name, name),
    kind: 'iface',
    label: name,
    parent: ids.host(host.name),
    detail: words(liveAddresses(device.link)),
    status,
    classes: ['iface', status, 'implicit'],
    info: compact([`Interface ${name} of ${host.name}, named as a member of segment ${segment}.`, statusSentence(status, device.health), device.present && linkLine(device.link)]),
    host: host.name,
    capture: { host: host.name, iface: name },
    source: place(range),
  };
}

function portDetail(port: LabPort, tunnel: ResolvedTunnel | undefined): string | undefined {
  if (tunnel) return `${tunnel.type} → ${tunnel.remoteHost ?? tunnel.remote}`;
  if (isTunnelType(port.type)) return `${port.type} → ${port.remote ?? '?'}`;
  if (port.type === 'patch') return `patch → ${port.peer ?? '?'}`;
  return words([port.type !== 'system' && port.type, port.vlan !== undefined && `tag ${port.vlan}`]);
}

/** Drift items by the id of the node they are about; what fits no node goes on the host. */
function placeDrift(host: LabHost, drift: readonly DriftItem[]): Map<string, DriftItem[]> {
  const placed = new Map<string, DriftItem[]>();
  const bridgeOf = (name: string, bridge?: string) => host.bridges.find((candidate) => (bridge === undefined || candidate.name === bridge) && candidate.ports.some((port) => port.name === name));
  const portId = (name: string, bridge?: string) => {
    const owner = bridgeOf(name, bridge);
    return owner ? ids.port(host.name, owner.name, name) : undefined;
  };
  const ifaceId = (name: string) => (host.interfaces.some((candidate) => candidate.name === name) && !bridgeOf(name) ? ids.iface(host.name, name) : undefined);
  const bridgeId = (name: string) => (host.bridges.some((candidate) => candidate.name === name) ? ids.bridge(host.name, name) : undefined);
  for (const item of drift) {
    const { kind, name, bridge } = item.subject;
    let id: string | undefined;
    if (kind === 'bridge') id = bridgeId(name);
    else if (kind === 'port') id = portId(name, bridge) ?? ifaceId(name);
    else if (kind === 'interface') id = ifaceId(name) ?? portId(name, bridge);
    else if (kind === 'address') id = ifaceId(name) ?? bridgeId(name) ?? portId(name, bridge);
    id ??= ids.host(host.name);
    placed.set(id, [...(placed.get(id) ?? []), item]);
  }
  return placed;
}

// ---------------------------------------------------------------------------------------------
// Segments and tunnels.

const EDGE_SEVERITY: Record<NodeStatus, number> = { up: 0, unknown: 1, unreachable: 1, drifted: 2, disabled: 3, down: 3, missing: 4 };

/** A tunnel is as good as its worse end. */
function worse(a: NodeStatus, b: NodeStatus): NodeStatus {
  const pick = EDGE_SEVERITY[a] >= EDGE_SEVERITY[b] ? a : b;
  return pick === 'unreachable' ? 'unknown' : pick;
}

function tunnelLabel(tunnel: ResolvedTunnel): string {
  return `${TUNNEL_KINDS[tunnel.type].numberName} ${tunnel.vni} · ${tunnel.localAddress ?? '?'} → ${tunnel.remoteAddress}`;
}

/** Tunnel ports paired end to end (one edge for both, as the resolved lab pairs them), else joined to the far host or address. */
function tunnelEdges(lab: Lab, nodes: readonly GraphNode[]): GraphEdge[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const portNode = (tunnel: ResolvedTunnel) => byId.get(ids.port(tunnel.host, tunnel.bridge, tunnel.port));
  const drawn = new Set<ResolvedTunnel>();
  const edges: GraphEdge[] = [];
  for (const tunnel of lab.tunnels) {
    if (drawn.has(tunnel)) continue;
    drawn.add(tunnel);
    const from = portNode(tunnel);
    if (!from) continue;
    const partner = tunnel.peer && findTunnel(lab, tunnel.peer);
    const segment = tunnel.segment ?? partner?.segment;
    const underlay = segment !== undefined ? ids.segment(segment) : undefined;
    const kind = TUNNEL_KINDS[tunnel.type];
    const info = [
      `${kind.label.toUpperCase()} tunnel, ${kind.numberName === 'key' ? 'key' : 'VNI'} ${tunnel.vni}${tunnel.dstport ? `, UDP port ${tunnel.dstport}` : ''}.`,
      ...(segment !== undefined ? [`Rides on segment ${segment}.`] : []),
    ];
    const classes = (status: NodeStatus, ...more: string[]) => ['tunnel', tunnel.type, status, ...more];
    if (partner) {
      drawn.add(partner);
      const to = portNode(partner);
      if (!to) continue;
      const status = worse(from.status, to.status);
      edges.push({
        id: ids.tunnel(tunnel, partner),
        kind: 'tunnel',
        source: from.id,
        target: to.id,
        label: tunnelLabel(tunnel),
        status,
        classes: classes(status),
        info: [`${tunnel.host}:${tunnel.port} ↔ ${partner.host}:${partner.port}.`, ...info],
        ...(underlay ? { underlay } : {}),
      });
    } else {
      // No port at the far end answers this one: the edge goes to the far host, or to the address.
      const target = tunnel.remoteHost ? ids.host(tunnel.remoteHost) : ids.remote(tunnel.remoteAddress);
      const status = worse(from.status, 'unknown');
      edges.push({
        id: ids.tunnel(tunnel, tunnel.remoteHost ?? tunnel.remoteAddress),
        kind: 'tunnel',
        source: from.id,
        target,
        label: tunnelLabel(tunnel),
        status,
        classes: classes(status, 'unpaired'),
        info: [`${tunnel.host}:${tunnel.port} → ${tunnel.remoteHost ?? tunnel.remoteAddress}.`, ...(tunnel.unpaired ? [tunnel.unpaired.message] : []), ...info],
        ...(underlay ? { underlay } : {}),
      });
    }
  }
  return edges;
}
