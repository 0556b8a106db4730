// The tree under a valid lab: its hosts with what was read of them (bridges, ports, interfaces,
// drift), then its segments. Worked out from the lab model, the latest readings and the hosts'
// connection states, without the editor; the tree provider only turns these into TreeItems.
// Declared items a host lacks still appear (from the model), marked missing; items a host has
// that the lab does not declare appear too, marked so.

import { devicePresence, layoutHost, placeDrift, type BridgeLayout, type InterfaceLayout, type PortLayout } from '../compare/hostLayout';
import type { Presence } from '../compare/types';
import type { Finding } from '../doctor/types';
import { deviceHealth, type HealthState } from '../hosts/health';
import type { DriftItem, HostReading, HostState, LabState, LinkState, OvsInterface, OvsStatus } from '../hosts/types';
import { isKernelTunnelKind, isOvsTunnelType } from '../lab/tunnelKinds';
import type { Lab, LabHost, LabSegment, SourceRange } from '../lab/types';
import { hostPhase, type HostPhase } from '../session/hostPhase';
import type { HostLive } from '../session/liveLabs';
import type { HostNodeCache, HostNodeInputs } from './hostNodeCache';
import { hostAddress, hostJumps, type IconView } from './labsTreeModel';
import { escapeMarkdown } from './markdownText';

export type NodeKind = 'host' | 'hostError' | 'bridge' | 'port' | 'interface' | 'driftGroup' | 'drift' | 'doctorGroup' | 'finding' | 'segments' | 'segment' | 'member';

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface TreeNodeModel {
  kind: NodeKind;
  /** Unique within the lab and stable across readings, so the tree keeps selection and expansion. */
  id: string;
  label: string;
  description?: string;
  /** Markdown; every piece of text from the file or a host is escaped. */
  tooltip: string;
  icon: IconView;
  /** `overlayLab.<kind>` then flags (`connected`, `failed`, `source`, `address`, `mac`), space-separated. */
  contextValue: string;
  collapsible: Collapsible;
  children: TreeNodeModel[];
  /** The lab host the node is about, for host commands. */
  host?: string;
  /** Where the lab file declares it (Reveal in Lab File). */
  range?: SourceRange;
  /** CIDR addresses it holds (Copy Address). */
  addresses?: string[];
  mac?: string;
  /** What a leaf does when clicked: reveal its range. */
  revealOnClick?: boolean;
}

export const Colors = {
  passed: 'testing.iconPassed',
  error: 'errorForeground',
  disabled: 'disabledForeground',
  warning: 'problemsWarningIcon.foreground',
} as const;

/** An OVS interface type or a kernel link kind that is a tunnel. */
const isTunnel = (type: string | undefined) => isOvsTunnelType(type) || isKernelTunnelKind(type);

/** `⚠ 2 drifts` */
export function driftBadge(count: number): string | undefined {
  return count ? `⚠ ${count} drift${count === 1 ? '' : 's'}` : undefined;
}

/** `1.5 KiB` */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A drift item as one sentence that names its host, for tooltips and diagnostics. */
export function driftSentence(item: DriftItem): string {
  const text = item.message.trim();
  return new RegExp(`(^|[^\\w.-])${item.subject.host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w.-]|$)`).test(text) ? text : `${item.subject.host}: ${text}`;
}

function join(parts: (string | false | undefined)[]): string | undefined {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part.length > 0);
  return kept.length ? kept.join(' · ') : undefined;
}

type Flag = string | false | 0 | undefined;

function contextValue(kind: NodeKind, flags: Flag[] = []): string {
  return [`overlayLab.${kind}`, ...flags.filter((flag): flag is string => typeof flag === 'string' && flag.length > 0)].join(' ');
}

/** The context flags every node gets from what it carries. */
function withDataFlags(node: Omit<TreeNodeModel, 'contextValue'> & { flags?: Flag[] }): TreeNodeModel {
  const { flags = [], ...rest } = node;
  return {
    ...rest,
    contextValue: contextValue(node.kind, [...flags, node.range && 'source', node.addresses?.length && 'address', node.mac && 'mac']),
  };
}

function bullets(lines: (string | false | undefined)[]): string[] {
  return lines.filter((line): line is string => typeof line === 'string' && line.length > 0).map((line) => `- ${line}`);
}

function driftLines(drift: readonly DriftItem[]): string[] {
  if (!drift.length) return [];
  return ['', '**Drift**', ...drift.map((item) => `- ${escapeMarkdown(item.message)}`)];
}

function declaredAt(range: SourceRange | undefined): string[] {
  return range ? ['', `Declared at line ${range.line} of the lab file.`] : [];
}

function globalAddresses(link: LinkState | undefined): string[] {
  return link ? link.addresses.filter((address) => address.scope !== 'link').map((address) => address.cidr) : [];
}

type Health = HealthState;

// Health is judged once, in the core; the tree only colours and words it.
function linkHealth(link: LinkState | undefined): Health | undefined {
  return link ? deviceHealth({ link }).state : undefined;
}

function portHealth(iface: OvsInterface | undefined, link: LinkState | undefined, ovs: OvsStatus | undefined): Health | undefined {
  return iface || link ? deviceHealth({ iface, link, ovs }).state : undefined;
}

const healthColor: Record<Health, string | undefined> = { up: Colors.passed, down: Colors.error, error: Colors.error, disabled: Colors.disabled, missing: undefined, unknown: undefined };
const healthWord: Record<Health, string | undefined> = { up: undefined, down: 'down', error: 'error', disabled: 'admin down', missing: undefined, unknown: undefined };

function stateColor(presence: Presence, drift: readonly DriftItem[], health: Health | undefined, declared = true): string | undefined {
  if (presence === 'missing' || drift.length) return Colors.warning;
  if (!declared) return Colors.disabled;
  return health ? healthColor[health] : undefined;
}

function statusWords(presence: Presence, declared: boolean, health: Health | undefined): string | undefined {
  if (presence === 'missing') return 'missing';
  if (presence === 'present' && !declared) return 'not in the lab file';
  return health ? healthWord[health] : undefined;
}

function presenceLine(presence: Presence, declared: boolean, what: string): string[] {
  if (presence === 'missing') return ['', `Missing: the lab file declares this ${what}, but the host does not have it.`];
  if (presence === 'present' && !declared) return ['', `Not in the lab file: the host has this ${what}, the lab does not declare it.`];
  if (presence === 'unknown') return ['', 'Not read: its state on the host is not known.'];
  return [];
}

function trafficLine(statistics: Record<string, number> | undefined, link: LinkState | undefined): string | undefined {
  const rx = statistics?.rx_packets !== undefined ? { packets: statistics.rx_packets, bytes: statistics.rx_bytes ?? 0 } : link ? { packets: link.stats.rxPackets, bytes: link.stats.rxBytes } : undefined;
  const tx = statistics?.tx_packets !== undefined ? { packets: statistics.tx_packets, bytes: statistics.tx_bytes ?? 0 } : link ? { packets: link.stats.txPackets, bytes: link.stats.txBytes } : undefined;
  if (!rx && !tx) return undefined;
  const side = (name: string, counts?: { packets: number; bytes: number }) => (counts ? `${name} ${counts.packets} packets, ${formatBytes(counts.bytes)}` : undefined);
  return join([side('RX', rx), side('TX', tx)]);
}

function linkLines(link: LinkState | undefined): string[] {
  if (!link) return [];
  const drops = link.stats.rxDropped + link.stats.txDropped + link.stats.rxErrors + link.stats.txErrors;
  return bullets([
    link.kind && `Kind: ${escapeMarkdown(link.kind)}`,
    link.mac && `MAC: ${escapeMarkdown(link.mac)}`,
    `MTU: ${link.mtu}`,
    `State: ${link.up ? 'admin up' : 'admin down'}, oper ${escapeMarkdown(link.operState)}`,
    link.master && `Enslaved to: ${escapeMarkdown(link.master)}`,
    link.addresses.length > 0 && `Addresses: ${link.addresses.map((address) => escapeMarkdown(address.cidr)).join(', ')}`,
    link.tunnel &&
      `Tunnel: ${escapeMarkdown(join([link.tunnel.remote && `remote ${link.tunnel.remote}`, link.tunnel.local && `local ${link.tunnel.local}`, link.tunnel.id !== undefined && `id ${link.tunnel.id}`, link.tunnel.dstport !== undefined && `dstport ${link.tunnel.dstport}`]) ?? '')}`,
    trafficLine(undefined, link),
    drops > 0 && `Dropped: RX ${link.stats.rxDropped}, TX ${link.stats.txDropped}; errors: RX ${link.stats.rxErrors}, TX ${link.stats.txErrors}`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Nodes.

function portNode(hostName: string, bridge: BridgeLayout, port: PortLayout, drift: DriftItem[], parentId: string): TreeNodeModel {
  const type = port.iface ? port.iface.type || 'system' : (port.declared?.type ?? (port.link?.kind && isTunnel(port.link.kind) ? port.link.kind : 'system'));
  const tunnel = isTunnel(type);
  const health = port.presence === 'missing' ? undefined : portHealth(port.iface, port.link, port.ovsStatus);
  const options = port.iface?.options ?? {};

  let detail: string | undefined;
  if (tunnel) {
    const remote = options.remote_ip ?? port.link?.tunnel?.remote ?? port.tunnel?.remoteAddress ?? port.declared?.remote ?? '?';
    // OVS sets no key option for key 0.
    const key = port.iface ? (options.key ?? '0') : port.link?.tunnel?.id !== undefined ? String(port.link.tunnel.id) : port.tunnel ? String(port.tunnel.vni) : undefined;
    detail = join([`${type} → ${remote}`, key !== undefined && `${type === 'gre' ? 'key' : 'vni'} ${key}`]);
  } else if (type === 'patch') {
    detail = `patch → ${options.peer ?? port.declared?.peer ?? '?'}`;
  } else if (type !== 'system') {
    detail = type;
  }
  const addresses = globalAddresses(port.link);
  const tag = port.ovs?.tag ?? port.declared?.vlan;
  const icon = tunnel ? 'arrow-swap' : type === 'internal' ? 'circuit-board' : type === 'patch' ? 'link' : 'plug';

  const tooltip = [
    `**${escapeMarkdown(port.name)}** — ${escapeMarkdown(type)} port of ${escapeMarkdown(bridge.name)}`,
    ...presenceLine(port.presence, port.declared !== undefined, 'port'),
    '',
    ...bullets([
      port.iface?.mac && `MAC: ${escapeMarkdown(port.iface.mac)}`,
      port.iface?.mtu !== undefined && `MTU: ${port.iface.mtu}`,
      (port.iface?.adminState || port.iface?.linkState) && `Admin: ${escapeMarkdown(port.iface?.adminState ?? '?')}, link: ${escapeMarkdown(port.iface?.linkState ?? '?')}`,
      port.iface?.ofport !== undefined && `OpenFlow port: ${port.iface.ofport}`,
      tag !== undefined && `VLAN tag: ${tag}`,
      Object.keys(options).length > 0 &&
        `Options: ${Object.entries(options)
          .map(([key, value]) => escapeMarkdown(`${key}=${value}`))
          .join(', ')}`,
      port.iface && trafficLine(port.iface.statistics, port.link),
      port.iface?.error && `**OVS error:** ${escapeMarkdown(port.iface.error)}`,
      !port.iface && port.tunnel && `Lab: ${escapeMarkdown(`${port.tunnel.type} to ${port.tunnel.remote} (${port.tunnel.remoteAddress}), ${port.tunnel.type === 'gre' ? 'key' : 'vni'} ${port.tunnel.vni}${port.tunnel.dstport ? `, dstport ${port.tunnel.dstport}` : ''}`)}`,
    ]),
    ...(port.iface ? [] : linkLines(port.link)),
    ...driftLines(drift),
    ...declaredAt(port.declared?.range),
  ];
  return withDataFlags({
    kind: 'port',
    id: `${parentId}/port:${port.name}`,
    label: port.name,
    description: join([detail, tag !== undefined && `tag ${tag}`, addresses.join(', '), statusWords(port.presence, port.declared !== undefined, health), driftBadge(drift.length)]),
    tooltip: tooltip.join('\n'),
    icon: { id: icon, color: stateColor(port.presence, drift, health, port.declared !== undefined) },
    collapsible: 'none',
    children: [],
    host: hostName,
    range: port.declared?.range,
    addresses,
    mac: port.iface?.mac ?? port.link?.mac,
  });
}

function bridgeNode(hostName: string, bridge: BridgeLayout, placed: Map<string, DriftItem[]>, parentId: string): TreeNodeModel {
  const drift = placed.get(`bridge:${bridge.name}`) ?? [];
  const id = `${parentId}/bridge:${bridge.name}`;
  const kind = bridge.kind;
  const datapath = kind === 'linux' ? undefined : bridge.ovs ? bridge.ovs.datapathType || 'system' : bridge.declared?.datapath;
  const addresses = bridge.presence === 'present' ? globalAddresses(bridge.link) : (bridge.declared?.addresses ?? []);
  const health = bridge.presence === 'present' ? linkHealth(bridge.link) : undefined;
  const children = bridge.ports.map((port) => portNode(hostName, bridge, port, placed.get(`port:${bridge.name}:${port.name}`) ?? [], id));
  const otherConfig = Object.entries(bridge.ovs?.otherConfig ?? {});
  const tooltip = [
    `**${escapeMarkdown(bridge.name)}** — ${kind === 'ovs' ? 'Open vSwitch' : 'Linux'} bridge${datapath ? `, ${escapeMarkdown(datapath)} datapath` : ''}`,
    ...presenceLine(bridge.presence, bridge.declared !== undefined, 'bridge'),
    '',
    ...bullets([
      `Ports: ${bridge.ports.length ? bridge.ports.map((port) => escapeMarkdown(port.name)).join(', ') : 'none'}`,
      bridge.declared?.underlay && 'Carries the underlay (tunnel traffic)',
      bridge.declared && bridge.declared.addresses.length > 0 && `Lab addresses: ${bridge.declared.addresses.map(escapeMarkdown).join(', ')}`,
      otherConfig.length > 0 && `other\\_config: ${otherConfig.map(([key, value]) => escapeMarkdown(`${key}=${value}`)).join(', ')}`,
    ]),
    ...linkLines(bridge.link),
    ...driftLines(drift),
    ...declaredAt(bridge.declared?.range),
  ];
  return withDataFlags({
    kind: 'bridge',
    id,
    label: bridge.name,
    description: join([join([kind, datapath]), addresses.join(', '), statusWords(bridge.presence, bridge.declared !== undefined, health), driftBadge(drift.length)]),
    tooltip: tooltip.join('\n'),
    icon: { id: 'type-hierarchy-sub', color: stateColor(bridge.presence, drift, health, bridge.declared !== undefined) },
    collapsible: children.length ? 'expanded' : 'none',
    children,
    host: hostName,
    range: bridge.declared?.range,
    addresses,
    mac: bridge.link?.mac,
  });
}

function interfaceNode(hostName: string, iface: InterfaceLayout, drift: DriftItem[], parentId: string): TreeNodeModel {
  const health = iface.presence === 'present' ? linkHealth(iface.link) : undefined;
  const addresses = iface.presence === 'present' ? globalAddresses(iface.link) : (iface.declared?.addresses ?? []);
  const tooltip = [
    `**${escapeMarkdown(iface.name)}** — interface of ${escapeMarkdown(hostName)}`,
    ...(iface.reason ? ['', `Shown because it is ${escapeMarkdown(iface.reason)}.`] : []),
    ...(iface.presence === 'missing' ? ['', `Missing: the lab file names this interface, but the host does not have it.`] : iface.presence === 'unknown' ? ['', 'Not read: its state on the host is not known.'] : []),
    '',
    ...bullets([
      iface.declared?.underlay && 'Carries the underlay (tunnel traffic)',
      iface.declared && iface.declared.addresses.length > 0 && `Lab addresses: ${iface.declared.addresses.map(escapeMarkdown).join(', ')}`,
      iface.declared?.mtu !== undefined && `Lab MTU: ${iface.declared.mtu}`,
    ]),
    ...linkLines(iface.link),
    ...driftLines(drift),
    ...declaredAt(iface.range),
  ];
  return withDataFlags({
    kind: 'interface',
    id: `${parentId}/interface:${iface.name}`,
    label: iface.name,
    description: join([
      addresses.length ? addresses.join(', ') : iface.presence === 'present' && iface.declared?.addresses.length ? 'no address' : undefined,
      iface.link?.master && `in ${iface.link.master}`,
      iface.presence === 'missing' ? 'missing' : health && healthWord[health],
      driftBadge(drift.length),
    ]),
    tooltip: tooltip.join('\n'),
    icon: { id: 'symbol-interface', color: stateColor(iface.presence, drift, health) },
    collapsible: 'none',
    children: [],
    host: hostName,
    range: iface.range,
    addresses,
    mac: iface.link?.mac,
  });
}

function driftNode(item: DriftItem, parentId: string, index: number): TreeNodeModel {
  return withDataFlags({
    kind: 'drift',
    id: `${parentId}/${index}:${item.subject.kind}:${item.subject.name}`,
    label: item.message,
    description: item.status,
    tooltip: [`**Drift on ${escapeMarkdown(item.subject.host)}** (${item.status})`, '', escapeMarkdown(item.message), ...declaredAt(item.range)].join('\n'),
    icon: { id: 'warning', color: Colors.warning },
    collapsible: 'none',
    children: [],
    host: item.subject.host,
    range: item.range,
    revealOnClick: item.range !== undefined,
  });
}

const PHASE_WORDS: Record<HostPhase, string | undefined> = {
  unknown: undefined,
  connecting: 'connecting…',
  reading: 'reading…',
  reachable: undefined,
  unreachable: 'unreachable',
  readError: 'could not read',
};

function ovsWords(state: HostState): string {
  const ovs = state.ovs;
  if (ovs.state === 'running') return ovs.version ? `OVS ${ovs.version}` : 'OVS';
  if (ovs.state === 'stopped') return 'OVS stopped';
  if (ovs.state === 'unreadable') return 'OVS unreadable';
  return 'no OVS';
}

function failureAdvice(phase: HostPhase): string {
  return phase === 'readError'
    ? 'The host answered, but its state could not be read. Check that the lab user may run `ovs-vsctl` and `ip` (set `sudo: true` on the host if they need root), then **Retry** on the host.'
    : 'Fix the cause, then **Retry** on the host (or refresh the lab).';
}

/** The failure's text without its leading `host: `, which the tree shows already. */
function failureText(host: string, message: string): string {
  return message.startsWith(`${host}: `) ? message.slice(host.length + 2) : message;
}

const FINDING_ICONS: Record<Finding['severity'], IconView> = {
  error: { id: 'error', color: Colors.error },
  warning: { id: 'warning', color: Colors.warning },
  info: { id: 'info' },
};

function findingSubject(finding: Finding): string {
  const subject = finding.subject;
  return subject ? `${subject.bridge ? `${subject.bridge}/` : ''}${subject.name}: ` : '';
}

/** The last doctor run's findings on a host, as a group under it (each one reveals its line). */
function doctorGroup(hostName: string, findings: readonly Finding[], parentId: string): TreeNodeModel {
  const id = `${parentId}/doctor`;
  const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
  return withDataFlags({
    kind: 'doctorGroup',
    id,
    label: 'Doctor',
    description: String(findings.length),
    tooltip: [`**Doctor on ${escapeMarkdown(hostName)}**`, '', ...findings.map((f) => `- ${escapeMarkdown(`${findingSubject(f)}${f.message}`)}`)].join('\n'),
    icon: FINDING_ICONS[worst],
    collapsible: 'expanded',
    children: findings.map((finding, index) =>
      withDataFlags({
        kind: 'finding',
        id: `${id}/${index}:${finding.id}`,
        label: `${findingSubject(finding)}${finding.message}`,
        description: finding.severity,
        tooltip: [`**${escapeMarkdown(finding.id)}** (${finding.severity})`, '', escapeMarkdown(finding.message), ...(finding.fix ? ['', `Fix: ${escapeMarkdown(finding.fix)}`] : []), ...declaredAt(finding.range)].join('\n'),
        icon: FINDING_ICONS[finding.severity],
        collapsible: 'none',
        children: [],
        host: hostName,
        range: finding.range,
        revealOnClick: finding.range !== undefined,
      }),
    ),
    host: hostName,
  });
}

function hostNode(lab: Lab, host: LabHost, reading: HostReading | undefined, live: HostLive | undefined, drift: readonly DriftItem[], findings: readonly Finding[] = []): TreeNodeModel {
  const id = `host:${host.name}`;
  const phase = hostPhase(reading, live);
  const state = reading?.ok ? reading.state : undefined;
  const failure = reading && !reading.ok ? reading.failure : undefined;
  const jumps = hostJumps(lab, host);
  const address = `${hostAddress(host)}${jumps.length ? ` via ${jumps.join(' → ')}` : ''}`;

  const layout = layoutHost(lab, host, state);
  const { placed, rest } = placeDrift(layout, drift);
  const children: TreeNodeModel[] = [];
  if (failure) {
    const text = failureText(host.name, failure.message);
    children.push(
      withDataFlags({
        kind: 'hostError',
        id: `${id}/error`,
        label: text.split('\n')[0],
        description: failure.kind,
        tooltip: [`**${escapeMarkdown(host.name)}: ${phase === 'readError' ? 'could not read its state' : 'unreachable'}**`, '', escapeMarkdown(failure.message), '', failureAdvice(phase)].join('\n'),
        icon: phase === 'readError' ? { id: 'warning', color: Colors.warning } : { id: 'error', color: Colors.error },
        collapsible: 'none',
        children: [],
        host: host.name,
        flags: ['failed'],
      }),
    );
  }
  children.push(...layout.bridges.map((bridge) => bridgeNode(host.name, bridge, placed, id)));
  children.push(...layout.interfaces.map((iface) => interfaceNode(host.name, iface, placed.get(`interface:${iface.name}`) ?? [], id)));
  if (rest.length) {
    children.push(
      withDataFlags({
        kind: 'driftGroup',
        id: `${id}/drift`,
        label: 'Drift',
        description: String(rest.length),
        tooltip: [`**Drift on ${escapeMarkdown(host.name)}**`, '', ...rest.map((item) => `- ${escapeMarkdown(item.message)}`)].join('\n'),
        icon: { id: 'warning', color: Colors.warning },
        collapsible: 'expanded',
        children: rest.map((item, index) => driftNode(item, `${id}/drift`, index)),
        host: host.name,
      }),
    );
  }
  if (findings.length) children.push(doctorGroup(host.name, findings, id));

  let icon: IconView;
  if (phase === 'reading' || phase === 'connecting') icon = { id: 'loading~spin' };
  else if (phase === 'reachable') icon = { id: 'vm-running', color: drift.length ? Colors.warning : Colors.passed };
  else if (phase === 'unreachable') icon = { id: 'vm-outline', color: Colors.error };
  else if (phase === 'readError') icon = { id: 'warning', color: Colors.warning };
  else icon = { id: 'vm-outline' };

  const tooltip = [`**${escapeMarkdown(host.name)}** — ${escapeMarkdown(hostAddress(host))}`];
  if (jumps.length) tooltip.push('', `Reached through ${jumps.map(escapeMarkdown).join(' → ')}`);
  if (state) {
    tooltip.push(
      '',
      ...bullets([
        state.system.hostname && `Hostname: ${escapeMarkdown(state.system.hostname)}`,
        state.system.distribution && `System: ${escapeMarkdown(state.system.distribution)}`,
        state.system.kernel && `Kernel: ${escapeMarkdown(state.system.kernel)}`,
        `Open vSwitch: ${escapeMarkdown(state.ovs.state === 'running' ? (state.ovs.version ?? 'running') : `${state.ovs.state}: ${state.ovs.message}`)}`,
        `Read at ${escapeMarkdown(state.readAt)} in ${state.elapsedMs} ms`,
      ]),
    );
    if (state.notes.length) tooltip.push('', '**Notes**', ...state.notes.map((note) => `- ${escapeMarkdown(note)}`));
  }
  if (failure) tooltip.push('', `**${phase === 'readError' ? 'Could not read its state' : 'Unreachable'}:** ${escapeMarkdown(failure.message)}`, '', failureAdvice(phase));
  if (phase === 'unknown') tooltip.push('', 'Not read yet: refresh the lab to read it.');
  if (phase === 'reading') tooltip.push('', 'Reading its state…');
  if (phase === 'connecting') tooltip.push('', 'Connecting…');
  tooltip.push(...driftLines(drift));

  const connection = live?.connection ?? 'idle';
  return withDataFlags({
    kind: 'host',
    id,
    label: host.name,
    description: join([address, state && ovsWords(state), PHASE_WORDS[phase], driftBadge(drift.length)]),
    tooltip: tooltip.join('\n'),
    icon,
    collapsible: children.length ? 'collapsed' : 'none',
    children,
    host: host.name,
    range: host.range,
    addresses: [host.ssh.host ?? host.name],
    flags: [connection === 'connected' ? 'connected' : connection === 'connecting' ? 'connecting' : 'disconnected', (phase === 'unreachable' || phase === 'readError') && 'failed'],
  });
}

function memberNode(lab: Lab, segment: LabSegment, member: LabSegment['members'][number], state: LabState | undefined, parentId: string): TreeNodeModel {
  const reading = state?.hosts[member.host];
  const hostState = reading?.ok ? reading.state : undefined;
  const link = hostState?.links.find((candidate) => candidate.name === member.interface);
  const presence = devicePresence(hostState, member.interface);
  const health = linkHealth(link);
  const addresses = globalAddresses(link);
  const known = lab.hosts.some((host) => host.name === member.host);
  const description = join([addresses.join(', '), link?.master && `in ${link.master}`, presence === 'missing' ? 'missing' : health && healthWord[health], reading && !reading.ok && 'host unreachable']);
  return withDataFlags({
    kind: 'member',
    id: `${parentId}/member:${member.host}:${member.interface}`,
    label: `${member.host}:${member.interface}`,
    description,
    tooltip: [
      `**${escapeMarkdown(member.host)}:${escapeMarkdown(member.interface)}** — member of segment ${escapeMarkdown(segment.name)}`,
      ...(reading && !reading.ok ? ['', `Host unreachable: ${escapeMarkdown(reading.failure.message)}`] : []),
      ...(presence === 'missing' ? ['', 'Missing: the host has no such interface.'] : []),
      ...(!reading && known ? ['', 'Not read: its state on the host is not known.'] : []),
      '',
      ...linkLines(link),
      ...declaredAt(member.range),
    ].join('\n'),
    icon: { id: 'plug', color: presence === 'missing' ? Colors.warning : reading && !reading.ok ? Colors.disabled : health && healthColor[health] },
    collapsible: 'none',
    children: [],
    host: known ? member.host : undefined,
    range: member.range,
    addresses,
    mac: link?.mac,
  });
}

function segmentsNode(lab: Lab, state: LabState | undefined): TreeNodeModel {
  const id = 'segments';
  const children = lab.segments.map((segment) => {
    const segmentId = `${id}/${segment.name}`;
    const members = segment.members.map((member) => memberNode(lab, segment, member, state, segmentId));
    const read = segment.members.filter((member) => state?.hosts[member.host]?.ok);
    const up = segment.members.filter((member) => {
      const reading = state?.hosts[member.host];
      return reading?.ok && linkHealth(reading.state.links.find((link) => link.name === member.interface)) === 'up';
    });
    const allUp = read.length === segment.members.length && up.length === read.length;
    return withDataFlags({
      kind: 'segment',
      id: segmentId,
      label: segment.name,
      description: join([segment.note, segment.underlay && 'underlay', read.length > 0 && `${up.length}/${segment.members.length} up`]),
      tooltip: [
        `**${escapeMarkdown(segment.name)}** — segment${segment.underlay ? ' (underlay: carries the tunnels)' : ''}`,
        ...(segment.note ? ['', escapeMarkdown(segment.note)] : []),
        '',
        'An L2 network the lab does not manage, joining:',
        ...segment.members.map((member) => `- ${escapeMarkdown(`${member.host}:${member.interface}`)}`),
        ...declaredAt(segment.range),
      ].join('\n'),
      icon: { id: 'broadcast', color: read.length === 0 ? undefined : allUp ? Colors.passed : Colors.warning },
      collapsible: members.length ? 'collapsed' : 'none',
      children: members,
      range: segment.range,
    });
  });
  return withDataFlags({
    kind: 'segments',
    id,
    label: 'Segments',
    description: String(lab.segments.length),
    tooltip: 'The L2 networks between hosts that the lab relies on but does not manage.',
    icon: { id: 'broadcast' },
    collapsible: 'collapsed',
    children,
  });
}

/** Items by the host they belong to, each host's in their own order. */
function byHost<T>(items: readonly T[], hostOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const host = hostOf(item);
    if (host === undefined) continue;
    let group = groups.get(host);
    if (!group) groups.set(host, (group = []));
    group.push(item);
  }
  return groups;
}

const NONE: readonly never[] = [];

/**
 * The nodes under a valid lab: a node per host (in file order), then a Segments group when the
 * lab has segments. `hosts` is each host's connection state and whether it is being read now.
 * With a `cache`, a host whose inputs did not change keeps last time's node object.
 */
export function buildLabTree(
  lab: Lab,
  labState: LabState | undefined,
  hosts: Readonly<Record<string, HostLive | undefined>> = {},
  findings: readonly Finding[] = [],
  cache?: HostNodeCache<TreeNodeModel>,
): TreeNodeModel[] {
  // Grouped once: a filter per host would make each build quadratic in the number of hosts.
  const drift = byHost(labState?.drift ?? NONE, (item) => item.subject.host);
  const found = byHost(findings, (finding) => finding.host);
  const nodes = lab.hosts.map((host) => {
    const inputs: HostNodeInputs = { reading: labState?.hosts[host.name], live: hosts[host.name], drift: drift.get(host.name) ?? NONE, findings: found.get(host.name) ?? NONE };
    const build = () => hostNode(lab, host, inputs.reading, inputs.live, inputs.drift, inputs.findings);
    return cache ? cache.node(lab, host, inputs, build) : build();
  });
  if (lab.segments.length) nodes.push(segmentsNode(lab, labState));
  return nodes;
}

/** Every node of a tree by id, with its parent's id (undefined at the top). */
export function indexTree(nodes: readonly TreeNodeModel[]): Map<string, { node: TreeNodeModel; parent?: string }> {
  const index = new Map<string, { node: TreeNodeModel; parent?: string }>();
  const walk = (list: readonly TreeNodeModel[], parent?: string) => {
    for (const node of list) {
      index.set(node.id, { node, parent });
      walk(node.children, node.id);
    }
  };
  walk(nodes);
  return index;
}

function ownFingerprint(node: TreeNodeModel): string {
  const { children, ...own } = node;
  return JSON.stringify([own, children.map((child) => child.id)]);
}

export interface TreeDiff {
  /** The top-level list changed (a node came or went): the whole subtree under the lab must re-render. */
  top: boolean;
  /** Ids of the highest nodes that changed; re-rendering one re-renders what is under it. */
  changed: string[];
}

/** What changed between two trees of the same lab, as few nodes as will re-render all of it. */
export function diffTrees(before: readonly TreeNodeModel[], after: readonly TreeNodeModel[]): TreeDiff {
  if (before.length !== after.length || before.some((node, i) => node.id !== after[i].id)) return { top: true, changed: [] };
  const changed: string[] = [];
  const walk = (old: readonly TreeNodeModel[], now: readonly TreeNodeModel[]) => {
    for (let i = 0; i < now.length; i++) {
      // Models are never patched: the same object is the same subtree (a host the cache kept).
      if (old[i] === now[i]) continue;
      if (ownFingerprint(old[i]) !== ownFingerprint(now[i])) changed.push(now[i].id);
      else walk(old[i].children, now[i].children);
    }
  };
  walk(before, after);
  return { top: false, changed };
}
