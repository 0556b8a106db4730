// Hover in a lab file: on a host (its key or any name of it), what is known of it: address, the
// jump it is reached through, reachable or not, OS and Open vSwitch version, its drift; on a
// bridge, port, tunnel or interface, its live state and what differs from the file; on a test,
// its last result (and for a failure the trace's verdict: place, cause, what was measured); on a
// key, the format page's words. All from the last known state: nothing here reaches a host.

import type { DriftItem, HostState, LinkState, OvsInterface } from '../hosts/types';
import type { Lab, LabHost, ResolvedTunnel } from '../lab/types';
import { answered, tracePlace } from '../labtests/describe';
import type { LastTestResult } from '../labtests/lastResults';
import { keyDocId, keyDocMarkdown, type KeyDocs } from './keyDocs';
import { nameAt, objectKindAt, type NameRef } from './labPlaces';
import { pathMatches, type LabText } from './labText';
import { hostDriftItems, reachability, type LiveFacts } from './liveFacts';
import type { SourceRange } from '../lab/types';

export interface LabHover {
  /** Markdown. */
  markdown: string;
  range: SourceRange;
}

/**
 * The hover at `offset` of `text`. `lab` is the model of the file as last read (the place comes
 * from the text; the model only gives what it knows of a name, which a keystroke elsewhere does
 * not change).
 */
export function hoverAt(text: LabText, offset: number, lab: Lab | undefined, facts: LiveFacts, docs: KeyDocs): LabHover | undefined {
  const named = nameAt(text, offset);
  if (named) {
    const markdown = named.ref.kind === 'host' ? hostHover(lab, named.ref.name, facts) : deviceHover(lab, named.ref, facts);
    if (markdown) return { markdown, range: text.rangeAt(named.ref.start, named.ref.end) };
  }
  const scalar = text.scalarAt(offset);
  if (scalar?.role === 'key' && pathMatches(scalar.path, ['tests'])) {
    return { markdown: testHover(scalar.text, facts.testResults(scalar.text)), range: text.rangeAt(scalar.start, scalar.end) };
  }
  if (scalar?.role === 'key') {
    const kind = objectKindAt(scalar.path);
    const doc = kind && docs.get(keyDocId(kind, scalar.text));
    if (doc) return { markdown: keyDocMarkdown(doc), range: text.rangeAt(scalar.start, scalar.end) };
  }
  return undefined;
}

function hostHover(lab: Lab | undefined, name: string, facts: LiveFacts): string | undefined {
  const host = lab?.hosts.find((h) => h.name === name);
  if (!host) return undefined;
  const lines = [`**${host.name}**: ${address(host)}`];
  const jumps = lab?.routes[host.name]?.jumps ?? (host.ssh.jump ? [host.ssh.jump] : []);
  lines.push(jumps.length ? `reached through ${jumps.join(' → ')}` : 'reached directly');
  const reading = facts.readings[host.name];
  const { reachable, why } = reachability(facts, host.name);
  if (reachable === undefined) lines.push(facts.reading.has(host.name) ? 'being read now' : 'not read yet: its state is unknown');
  else if (!reachable) lines.push(`**unreachable**: ${why}`);
  else lines.push('reachable');
  if (reading?.ok) {
    const s = reading.state;
    const os = [s.system.distribution, s.system.kernel && `kernel ${s.system.kernel}`].filter(Boolean).join(', ');
    if (os) lines.push(`OS: ${os}`);
    lines.push(`Open vSwitch: ${ovsText(s)}`);
    lines.push(`read at ${s.readAt} (${Math.round(s.elapsedMs)} ms)`);
  }
  const drift = hostDriftItems(facts, host.name);
  if (reading?.ok) lines.push(drift.length === 0 ? 'no drift: the host is as the file says' : `**${drift.length} drifted**:\n${driftList(drift)}`);
  return lines.join('  \n');
}

function address(host: LabHost): string {
  const user = host.ssh.user ? `${host.ssh.user}@` : '';
  const port = host.ssh.port ? `:${host.ssh.port}` : '';
  return `${user}${host.ssh.host ?? host.name}${port}`;
}

function ovsText(state: HostState): string {
  const ovs = state.ovs;
  if (ovs.state === 'running') return `${ovs.version ?? 'version unknown'}, running`;
  if (ovs.state === 'stopped') return `${ovs.version ?? 'version unknown'}, ${ovs.stopped.join(' and ')} stopped`;
  return ovs.state === 'missing' ? 'not installed' : `unreadable: ${ovs.message}`;
}

function driftList(items: readonly DriftItem[]): string {
  return items.map((item) => `- ${item.message}`).join('\n');
}

function deviceHover(lab: Lab | undefined, ref: NameRef, facts: LiveFacts): string | undefined {
  const host = lab?.hosts.find((h) => h.name === ref.host);
  if (!host || !lab) return undefined;
  const bridge = host.bridges.find((b) => b.name === ref.name);
  const port = host.bridges.flatMap((b) => b.ports.map((p) => ({ bridge: b, port: p }))).find((p) => p.port.name === ref.name);
  const iface = host.interfaces.find((i) => i.name === ref.name);
  const what = bridge ? `bridge (${bridge.kind})` : port ? `${port.port.type} port of ${port.bridge.name}` : iface ? 'interface' : undefined;
  if (!what) return undefined;
  const lines = [`**${ref.name}** on ${host.name}: ${what}`];
  const reading = facts.readings[host.name];
  const tunnel = lab.tunnels.find((t) => t.host === host.name && t.port === ref.name);
  if (tunnel) lines.push(...tunnelLines(tunnel, facts));
  if (!reading) lines.push('not read yet: its live state is unknown');
  else if (!reading.ok) lines.push(`live state unknown: ${reading.failure.message}`);
  else {
    const link = reading.state.links.find((l) => l.name === ref.name);
    const ovs = ovsInterface(reading.state, ref.name);
    if (link) lines.push(linkText(link));
    if (ovs) lines.push(ovsInterfaceText(ovs));
    if (!link && !ovs && !reading.state.bridges.some((b) => b.name === ref.name)) lines.push(`not on ${host.name} as last read`);
    const drift = facts.drift.filter((item) => item.subject.host === host.name && (item.subject.name === ref.name || (bridge && item.subject.bridge === ref.name && item.subject.kind === 'bridge')));
    lines.push(drift.length === 0 ? 'as the file says' : `**differs from the file**:\n${driftList(drift)}`);
  }
  return lines.join('  \n');
}

function ovsInterface(state: HostState, name: string): OvsInterface | undefined {
  for (const bridge of state.bridges) for (const port of bridge.ports) for (const iface of port.interfaces) if (iface.name === name) return iface;
  return undefined;
}

function linkText(link: LinkState): string {
  const addresses = link.addresses.map((a) => a.cidr).join(', ') || 'no address';
  return `live: ${link.up ? 'up' : 'down'} (${link.operState}), mtu ${link.mtu}${link.mac ? `, mac ${link.mac}` : ''}, ${addresses}${link.master ? `, in ${link.master}` : ''}`;
}

function ovsInterfaceText(iface: OvsInterface): string {
  const options = Object.entries(iface.options).map(([k, v]) => `${k}=${v}`).join(' ');
  const state = [iface.adminState && `admin ${iface.adminState}`, iface.linkState && `link ${iface.linkState}`].filter(Boolean).join(', ');
  return `OVS: type ${iface.type}${state ? `, ${state}` : ''}${iface.mtu ? `, mtu ${iface.mtu}` : ''}${options ? `, ${options}` : ''}${iface.error ? `, **error: ${iface.error}**` : ''}`;
}

/** Both ends of a tunnel: what the file resolves, and each end's live remote_ip, key and UDP port. */
function tunnelLines(tunnel: ResolvedTunnel, facts: LiveFacts): string[] {
  const dst = tunnel.dstport ? `, UDP ${tunnel.dstport}` : '';
  const lines = [`declared: ${tunnel.type} to ${tunnel.remoteHost ?? tunnel.remote} (${tunnel.remoteAddress}), key ${tunnel.vni}${dst}${tunnel.localAddress ? `, from ${tunnel.localAddress}` : ''}`];
  if (tunnel.unpaired) lines.push(`**no tunnel back**: ${tunnel.unpaired.message}`);
  const ends: { host: string; port: string }[] = [{ host: tunnel.host, port: tunnel.port }];
  if (tunnel.peer) ends.push({ host: tunnel.peer.host, port: tunnel.peer.port });
  for (const end of ends) {
    const reading = facts.readings[end.host];
    const iface = reading?.ok ? ovsInterface(reading.state, end.port) : undefined;
    const link = reading?.ok ? reading.state.links.find((l) => l.name === end.port) : undefined;
    const live = iface
      ? `remote_ip ${iface.options.remote_ip ?? 'none'}, key ${iface.options.key ?? '0'}, UDP ${iface.options.dst_port ?? 'default'}`
      : link?.tunnel
        ? `remote ${link.tunnel.remote ?? 'none'}, id ${link.tunnel.id ?? 'none'}, UDP ${link.tunnel.dstport ?? 'none'}`
        : reading?.ok
          ? 'not found'
          : 'unknown (not read)';
    lines.push(`${end.host}:${end.port} live: ${live}`);
  }
  return lines;
}

/** When and how long, as a hover says it. */
function when(entry: LastTestResult): string {
  const at = new Date(entry.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return entry.status === 'errored' ? at : `${at}, took ${entry.ms < 1000 ? `${Math.round(entry.ms)} ms` : `${(entry.ms / 1000).toFixed(1)} s`}`;
}

const STATUS_WORDS: Record<LastTestResult['status'], string> = { passed: 'passed', failed: '**failed**', errored: '**errored**' };

/** Why one result failed: the run's one line, then the trace's place, cause and measurements (or ping's words). Lines of one paragraph, broken hard (a markdown list would swallow the lines after it). */
function failureLines(entry: LastTestResult): string[] {
  if (entry.status === 'errored') return [`could not run: ${entry.error ?? 'no reason given'}`];
  const result = entry.result;
  if (!result || entry.status === 'passed') return [];
  const trace = result.trace;
  // With a trace, its place, cause and measurements follow: the run's one line would repeat them.
  const lines = [trace && !trace.delivered && result.ping ? answered(result.ping) : (result.message ?? 'failed')];
  if (trace && !trace.delivered) {
    lines.push(`• place: ${tracePlace(trace)}`);
    if (trace.cause) lines.push(`• cause: ${trace.cause.kind} (${trace.cause.confidence})`);
    for (const evidence of trace.cause?.evidence ?? []) lines.push(`• measured: ${evidence}`);
  } else {
    for (const detail of result.details) lines.push(`• ${detail}`);
  }
  return lines;
}

/** How many pairs of a mesh the hover lists one by one. */
const MESH_PAIRS_SHOWN = 12;

function testHover(name: string, entries: readonly LastTestResult[]): string {
  const outdated = entries.some((e) => e.outdated) ? ['_the test changed in the file since: run it again for a result that holds_'] : [];
  if (entries.length === 0) return [`**test ${name}**: not run yet in this window; run it from the Testing view`].join('  \n');
  const mesh = entries.length > 1 || entries[0].name !== name;
  if (!mesh) {
    const entry = entries[0];
    return [`**test ${name}**: ${STATUS_WORDS[entry.status]}, ${when(entry)}`, ...failureLines(entry), ...outdated].join('  \n');
  }
  const count = (status: LastTestResult['status']) => entries.filter((e) => e.status === status).length;
  const last = entries.reduce((a, b) => (b.at > a.at ? b : a));
  const tally = [`${count('passed')} of ${entries.length} pairs passed`, count('failed') && `${count('failed')} failed`, count('errored') && `${count('errored')} errored`].filter(Boolean).join(', ');
  const lines = [`**test ${name}** (mesh): ${tally}; last result ${when(last)}`];
  // The failures first: they are what the hover is for.
  const order = [...entries].sort((a, b) => Number(a.status === 'passed') - Number(b.status === 'passed'));
  for (const entry of order.slice(0, MESH_PAIRS_SHOWN)) {
    const pair = entry.name.startsWith(`${name}: `) ? entry.name.slice(name.length + 2) : entry.name;
    lines.push(`\`${pair}\`: ${STATUS_WORDS[entry.status]}, ${when(entry)}`, ...failureLines(entry));
  }
  if (order.length > MESH_PAIRS_SHOWN) lines.push(`…and ${order.length - MESH_PAIRS_SHOWN} more pairs (see the Testing view)`);
  return [...lines, ...outdated].join('  \n');
}
