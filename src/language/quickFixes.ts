// Quick fixes in a lab file, each computed from the model and the last known state, never from
// a diagnostic's words: add the missing tunnel back on the remote host, take the address off a
// bridged interface, adopt a host's live value, plan or apply one host, set the MTU the doctor
// computed. An edit is offered only where it is certain to say what the action's title says.

import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Finding } from '../doctor/types';
import type { Lab, LabBridge, LabHost, ResolvedTunnel, SourceRange } from '../lab/types';
import type { LabText, YamlPath } from './labText';
import { hostDriftItems, type LiveFacts } from './liveFacts';
import { appendToList, removeFromMap, setInMap, type TextEdit } from './yamlEdits';

export interface LabQuickFix {
  title: string;
  /** `quickfix` for what repairs a problem; `source` for what runs on the hosts. */
  kind: 'quickfix' | 'source';
  edits?: TextEdit[];
  /** A command of the extension to run on one host of the lab. */
  command?: { id: 'overlayLab.plan' | 'overlayLab.apply'; host: string };
  preferred?: boolean;
}

/**
 * The fixes for `range` of `text`. `lab` is the model of the file as last read: it says what is
 * wrong (a tunnel with no tunnel back, a bridged interface with an address); where things are,
 * and every edit, comes from the text as it is now.
 */
export function quickFixesAt(text: LabText, range: SourceRange, lab: Lab | undefined, facts: LiveFacts): LabQuickFix[] {
  if (!lab) return [];
  const within = (r: SourceRange | undefined) => r !== undefined && overlaps(r, range);
  const fixes: LabQuickFix[] = [];
  for (const tunnel of lab.tunnels) {
    if (tunnel.unpaired?.reason !== 'no-tunnel-back' || !within(portRange(text, tunnel.host, tunnel.bridge, tunnel.port))) continue;
    const fix = tunnelBack(text, lab, tunnel);
    if (fix) fixes.push(fix);
  }
  for (const host of lab.hosts) {
    for (const iface of host.interfaces) {
      const owner = bridgeHolding(host, iface.name);
      if (!owner || iface.addresses.length === 0) continue;
      const path = ['hosts', host.name, 'interfaces', iface.name];
      if (!within(entryRange(text, path.slice(0, -1), iface.name))) continue;
      const edit = removeFromMap(text, path, 'address');
      if (edit) fixes.push({ title: `Take ${iface.addresses.join(', ')} off ${iface.name} (a port of ${owner.name} holds no address)`, kind: 'quickfix', edits: [edit], preferred: true });
    }
  }
  for (const item of facts.drift) {
    if (!within(item.range) || item.status !== 'different' || !item.expected || !item.actual || item.actual === 'none') continue;
    const { start, end } = text.offsetsOf(item.range!);
    const written = text.text.slice(start, end);
    // Only a scalar that says exactly what the lab expects is replaced by what the host has.
    if (written.replace(/^["']|["']$/g, '') !== item.expected) continue;
    fixes.push({ title: `Adopt ${item.subject.host}'s live value: ${item.expected} → ${item.actual}`, kind: 'quickfix', edits: [{ start, end, text: item.actual }] });
  }
  for (const finding of facts.findings) {
    if (!within(finding.range)) continue;
    const fix = mtuFix(text, lab, finding);
    if (fix) fixes.push(fix);
  }
  const hosts = new Set<string>();
  for (const host of lab.hosts) {
    const drifted = hostDriftItems(facts, host.name).some((item) => within(item.range));
    const key = text.pairAt(['hosts'], host.name)?.key as Node | undefined;
    if ((key?.range && within(text.rangeAt(key.range[0], key.range[1]))) || drifted) hosts.add(host.name);
  }
  for (const host of hosts) {
    fixes.push({ title: `Plan ${host}`, kind: 'source', command: { id: 'overlayLab.plan', host } });
    fixes.push({ title: `Apply ${host}`, kind: 'source', command: { id: 'overlayLab.apply', host } });
  }
  return fixes;
}

/** Where a port is written now: its item in its bridge's `ports` list. */
function portRange(text: LabText, host: string, bridge: string, port: string): SourceRange | undefined {
  const ports = text.nodeAt(['hosts', host, 'bridges', bridge, 'ports']);
  if (!isSeq(ports)) return undefined;
  for (const item of ports.items as (Node | null)[]) {
    const name = isMap(item) ? item.get('name', true) : item;
    if (isScalar(name) && String(name.value) === port && item?.range) return text.rangeAt(item.range[0], item.range[1]);
  }
  return undefined;
}

/** Where `key` of the map at `path` is written now, its key and value. */
function entryRange(text: LabText, path: YamlPath, key: string): SourceRange | undefined {
  const pair = text.pairAt(path, key);
  const start = (pair?.key as Node | undefined)?.range?.[0];
  const end = (pair?.value as Node | null | undefined)?.range?.[1] ?? (pair?.key as Node | undefined)?.range?.[1];
  return start !== undefined && end !== undefined ? text.rangeAt(start, end) : undefined;
}

function overlaps(a: SourceRange, b: SourceRange): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);
  return !before(a.endLine, a.endCol, b.line, b.col) && !before(b.endLine, b.endCol, a.line, a.col);
}

function bridgeHolding(host: LabHost, name: string): LabBridge | undefined {
  return host.bridges.find((bridge) => bridge.ports.some((port) => port.name === name && (port.type === 'system' || port.short)));
}

/** The tunnel the remote host needs to answer this one: same type, key and UDP port, back to this host. */
function tunnelBack(text: LabText, lab: Lab, tunnel: ResolvedTunnel): LabQuickFix | undefined {
  const far = lab.hosts.find((h) => h.name === tunnel.remoteHost);
  if (!far) return undefined;
  const bridge = far.bridges.find((b) => b.name === tunnel.bridge) ?? far.bridges.find((b) => b.kind === tunnel.bridgeKind) ?? far.bridges[0];
  if (!bridge) return undefined;
  const taken = new Set(far.bridges.flatMap((b) => [b.name, ...b.ports.map((p) => p.name)]).concat(far.interfaces.map((i) => i.name)));
  const name = taken.has(tunnel.port) ? freeName(taken, tunnel.port) : tunnel.port;
  const own = lab.hosts.find((h) => h.name === tunnel.host)!;
  const port = own.bridges.find((b) => b.name === tunnel.bridge)?.ports.find((p) => p.name === tunnel.port);
  const fields = [`name: ${name}`, `type: ${tunnel.type}`, `remote: ${tunnel.host}`];
  if (port?.vni !== undefined) fields.push(`vni: ${port.vni}`);
  if (port?.dstport !== undefined) fields.push(`dstport: ${port.dstport}`);
  const item = `{ ${fields.join(', ')} }`;
  const bridgePath: YamlPath = ['hosts', far.name, 'bridges', bridge.name];
  const ports = text.nodeAt([...bridgePath, 'ports']);
  const edit = isSeq(ports) && ports.items.length > 0 ? appendToList(text, [...bridgePath, 'ports'], item) : isMap(text.nodeAt(bridgePath)) ? setInMap(text, bridgePath, 'ports', `[${item}]`) : undefined;
  if (!edit) return undefined;
  return { title: `Add the tunnel back on ${far.name}: ${name} (${tunnel.type} to ${tunnel.host}) in ${bridge.name}`, kind: 'quickfix', edits: [edit], preferred: true };
}

function freeName(taken: Set<string>, base: string): string {
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The doctor found the underlay too small for the overlay: the overlay MTU that fits, on the tunnel's bridge. */
function mtuFix(text: LabText, lab: Lab, finding: Finding): LabQuickFix | undefined {
  if (finding.id !== 'mtu-underlay-too-small' && finding.id !== 'mtu-path-too-small') return undefined;
  const carried = Number(finding.values?.egressMtu ?? finding.values?.pathMtu);
  const overhead = Number(finding.values?.overhead);
  if (!Number.isFinite(carried) || !Number.isFinite(overhead)) return undefined;
  const fits = carried - overhead;
  const tunnel = lab.tunnels.find((t) => t.host === finding.host && finding.range && t.range.line === finding.range.line && t.range.col === finding.range.col);
  if (!tunnel) return undefined;
  const host = lab.hosts.find((h) => h.name === tunnel.host)!;
  const bridge = host.bridges.find((b) => b.name === tunnel.bridge)!;
  const edits: TextEdit[] = [];
  const onBridge = setInMap(text, ['hosts', host.name, 'bridges', bridge.name], 'mtu', String(fits));
  if (onBridge) edits.push(onBridge);
  // The bridge's declared ports that would still carry larger frames.
  for (const iface of host.interfaces) {
    if (!bridge.ports.some((p) => p.name === iface.name) || iface.mtu === undefined || iface.mtu <= fits) continue;
    const edit = setInMap(text, ['hosts', host.name, 'interfaces', iface.name], 'mtu', String(fits));
    if (edit) edits.push(edit);
  }
  if (edits.length === 0) return undefined;
  const why = finding.values?.pathMtu !== undefined ? `the path carries ${carried}` : `${finding.values?.device ?? 'the underlay'} has MTU ${carried}`;
  return { title: `Set the overlay MTU of ${bridge.name} on ${host.name} to ${fits} (doctor: ${why}, ${tunnel.type} adds ${overhead})`, kind: 'quickfix', edits, preferred: true };
}


