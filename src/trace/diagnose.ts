// The cause at the place of loss, measured: what the hosts hold there (tunnel ends, ports, links,
// addresses), what OVS says of the very frame (ofproto/trace), which counters moved with the
// probe (OpenFlow rules, firewall rules), and control probes the trace sends itself (a frame
// from the port's own MAC, a frame of another kind, the underlay ping, a UDP datagram to the
// tunnel's port, the path MTU). A cause is `proved` only when one of these shows it; otherwise
// the kind is `unknown` and the evidence says what was checked.

import type { CaptureFrame, FrameHeader } from '../capture/types';
import { encapsulationOverhead } from '../doctor/encapsulation';
import { probeTunnel } from '../doctor/measure/tunnelProbe';
import { actualTunnel, linkHolding, type ActualTunnel } from '../doctor/tunnelEnds';
import type { TunnelProbe } from '../doctor/types';
import type { ProbeTransport } from '../hosts/probe';
import { sameIp } from '../hosts/sameAddress';
import type { HostState, LabReadings, LinkState } from '../hosts/types';
import type { Lab, LabHost, ResolvedTunnel } from '../lab/types';
import type { CapturePoint, PathLink } from './expectedPath';
import { carried, type Followed, type LossPlace, type ProbeIdentity } from './follow';
import type { TraceLegs } from './legs';
import { controlFrameHex, sawControlDatagram, sawControlFrame, sendControl, sendFrameArgv, sendUdpArgv, type ControlFrame, type ControlKind } from './measure/controlFrame';
import { movedDrops } from './measure/firewallRules';
import { readHostCounters, type HostCounters } from './measure/hostCounters';
import { droppingRule, ofprotoTrace, traceFlowText } from './measure/ofprotoTrace';
import { flowText, movedFlows } from './measure/openflowRules';
import type { CauseKind, TraceCause, TraceProbe } from './traceResultV2';

export interface DiagnoseContext {
  /** Bounded per host (measure/hostLimit.ts). */
  pool: ProbeTransport;
  lab: Lab;
  legs: TraceLegs;
  state: LabReadings;
  /** Counters read just before the probe, per host. */
  before: Record<string, HostCounters>;
  /** Every frame each point has captured so far (the captures still run during the control probes). */
  framesAt: (point: { host: string; interface: string }) => readonly CaptureFrame[];
  /** Why a point could not be watched. */
  errorAt: (point: { host: string; interface: string }) => string | undefined;
  who: ProbeIdentity;
  followed: Followed;
  /** ping's exit status and output, and how long it waited for the answer (-W). */
  ping: { code: number | null; output: string; waitSeconds?: number };
  signal?: AbortSignal;
  /** How long a control probe may take to show up at a capture, ms. */
  controlWaitMs?: number;
}

export interface Diagnosis {
  cause: TraceCause;
  hints: string[];
}

/** The trace's path MTU search stops after this many size probes: a dropped one costs ping's whole second. */
const TRACE_SIZE_PROBES = 3;

const at = (p: { host: string; interface: string }) => `${p.host}:${p.interface}`;
const proved = (kind: CauseKind, evidence: string[], hints: string[] = []): Diagnosis => ({ cause: { kind, confidence: 'proved', evidence }, hints });
const likely = (kind: CauseKind, evidence: string[], hints: string[] = []): Diagnosis => ({ cause: { kind, confidence: 'likely', evidence }, hints });
const unknown = (evidence: string[], hints: string[] = []): Diagnosis => ({ cause: { kind: 'unknown', confidence: 'unknown', evidence }, hints });

const PROBE_WORDS: Record<TraceProbe, Record<'request' | 'reply', string>> = {
  arp: { request: 'ARP request', reply: 'ARP reply' },
  icmp: { request: 'echo request', reply: 'echo reply' },
};

class Facts {
  private readonly after = new Map<string, Promise<HostCounters>>();
  constructor(readonly ctx: DiagnoseContext) {}

  host(name: string): LabHost | undefined {
    return this.ctx.lab.hosts.find((h) => h.name === name);
  }
  state(name: string): HostState | undefined {
    const reading = this.ctx.state.hosts[name];
    return reading?.ok ? reading.state : undefined;
  }
  link(host: string, iface: string): LinkState | undefined {
    return this.state(host)?.links.find((l) => l.name === iface);
  }
  macOwner(mac: string): string | undefined {
    for (const [host, reading] of Object.entries(this.ctx.state.hosts)) {
      if (!reading?.ok) continue;
      const link = reading.state.links.find((l) => l.mac?.toLowerCase() === mac.toLowerCase() && l.kind !== 'bridge' && !reading.state.bridges.some((b) => b.name === l.name));
      if (link) return `${host}:${link.name}`;
    }
    return undefined;
  }
  tunnel(host: string, port: string): ResolvedTunnel | undefined {
    return this.ctx.lab.tunnels.find((t) => t.host === host && t.port === port);
  }
  /** Counters read again now, once per host. */
  countersAfter(host: string): Promise<HostCounters> {
    let reading = this.after.get(host);
    if (!reading) {
      const labHost = this.host(host);
      const bridges = labHost?.bridges.filter((b) => b.kind === 'ovs').map((b) => b.name) ?? [];
      reading = readHostCounters(this.ctx.pool, { name: host, sudo: labHost?.sudo ?? false }, bridges, this.ctx.signal);
      this.after.set(host, reading);
    }
    return reading;
  }
  /** Waits (bounded) until a point's capture shows what `seen` looks for. */
  async waitAt(point: { host: string; interface: string }, seen: (frames: readonly CaptureFrame[]) => boolean): Promise<boolean> {
    const deadline = Date.now() + (this.ctx.controlWaitMs ?? 400);
    while (!this.ctx.signal?.aborted) {
      if (seen(this.ctx.framesAt(point))) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }
  sudo(host: string): boolean {
    return this.host(host)?.sudo ?? false;
  }
}

export async function diagnose(ctx: DiagnoseContext): Promise<Diagnosis> {
  const facts = new Facts(ctx);
  const loss = ctx.followed.loss;
  if (ctx.followed.replyAtSource) return droppedAtSource(facts);
  if (!loss) return unknown(['the source saw no answer, but no place of loss was found']);
  switch (loss.kind) {
    case 'nothing-left':
      return nothingLeft(facts, loss);
    case 'outside-lab':
      return unknown([`${ctx.who.to} is no address of a host of the lab, so the trace could not watch beyond ${at(loss.leg.from)}`, ...loss.leg.problems]);
    case 'unanswered':
      return unanswered(facts, loss);
    case 'between':
      return between(facts, loss);
  }
}

// --- what a host holds -------------------------------------------------------------------

function linkWords(link: LinkState): string {
  return `${link.up ? 'up' : 'administratively down'}, state ${link.operState}, MTU ${link.mtu}`;
}

/** The interface is missing or down: a proved cause, else a sentence of what was seen. */
function interfaceFault(facts: Facts, point: { host: string; interface: string }): Diagnosis | string {
  const state = facts.state(point.host);
  if (!state) return `${point.host} could not be read`;
  if (!state.linksKnown) return `${point.host}'s interfaces could not be read`;
  const link = facts.link(point.host, point.interface);
  if (!link) {
    return proved('missing-port', [`${point.host} has no interface ${point.interface} (ip link lists ${state.links.map((l) => l.name).join(', ') || 'none'})`], [`create ${point.interface} on ${point.host} again (overlay-lab apply)`]);
  }
  if (!link.up) return proved('link-down', [`${at(point)} is administratively down (ip link: no UP flag, state ${link.operState})`], [`ip link set dev ${point.interface} up on ${point.host}`]);
  if (/^(DOWN|LOWERLAYERDOWN|NOTPRESENT)$/.test(link.operState)) {
    return proved('link-down', [`${at(point)} is up but has no carrier (ip link: state ${link.operState})`], [`check the cable or the far end of ${at(point)}: a veth or port whose peer is down has no carrier`]);
  }
  return `${at(point)} is ${linkWords(link)}`;
}

function dropCounters(facts: Facts, after: HostCounters, point: { host: string; interface: string }): string | undefined {
  const before = facts.ctx.before[point.host]?.links?.find((l) => l.name === point.interface);
  const now = after.links?.find((l) => l.name === point.interface);
  if (!before || !now) return undefined;
  const rx = now.stats.rxDropped - before.stats.rxDropped;
  const tx = now.stats.txDropped - before.stats.txDropped;
  return `${at(point)} drop counters during the trace: rx ${before.stats.rxDropped}→${now.stats.rxDropped}, tx ${before.stats.txDropped}→${now.stats.txDropped}${rx || tx ? '' : ' (unchanged)'}`;
}

function vswitchdDown(facts: Facts, host: string): Diagnosis | undefined {
  const state = facts.state(host);
  if (!state || state.ovs.state !== 'stopped' || !state.ovs.stopped.includes('ovs-vswitchd')) return undefined;
  return proved('vswitchd-down', [`ovs-vswitchd is not running on ${host} (${state.ovs.message})`, `${host}'s bridges ${state.bridges.map((b) => b.name).join(', ') || '(none)'} are configured but forward nothing`], [`start ovs-vswitchd on ${host} (systemctl start openvswitch-switch)`]);
}

function isOvsBridge(facts: Facts, host: string, bridge: string): boolean {
  return facts.host(host)?.bridges.find((b) => b.name === bridge)?.kind === 'ovs';
}

/** The bridge that holds `port` on the host as it is (OVS database, or the Linux master). */
function liveBridgeOf(facts: Facts, host: string, port: string): string | undefined {
  const state = facts.state(host);
  return state?.bridges.find((b) => b.ports.some((p) => p.name === port || p.interfaces.some((i) => i.name === port)))?.name ?? facts.link(host, port)?.master;
}

function portOnBridge(facts: Facts, host: string, port: string, bridge: string): Diagnosis | undefined {
  const state = facts.state(host);
  if (!state) return undefined;
  const ovs = isOvsBridge(facts, host, bridge);
  if (ovs && !state.bridgesKnown) return undefined;
  if (!ovs && !state.linksKnown) return undefined;
  const holder = liveBridgeOf(facts, host, port);
  if (holder === bridge) return undefined;
  return proved('missing-port', [holder ? `${port} is on ${holder} on ${host}, not on ${bridge}` : `${port} is not a port of ${bridge} on ${host} (${ovs ? 'ovs-vsctl list-ports' : 'ip link master'} shows ${ovs ? state.bridges.find((b) => b.name === bridge)?.ports.map((p) => p.name).join(', ') || 'no ports' : 'no such port'})`], [`add ${port} to ${bridge} on ${host} again (overlay-lab apply)`]);
}

async function openflowVerdict(facts: Facts, host: string, bridge: string, inPort: string, frame: FrameHeader, tunnel?: { key: number; src?: string; dst?: string }): Promise<{ diagnosis?: Diagnosis; evidence: string[] }> {
  if (!isOvsBridge(facts, host, bridge) || facts.state(host)?.ovs.state !== 'running') return { evidence: [] };
  const flow = traceFlowText({ inPort, frame, tunnel });
  const [trace, after] = await Promise.all([
    flow ? ofprotoTrace(facts.ctx.pool, { name: host, sudo: facts.sudo(host) }, bridge, flow, facts.ctx.signal) : Promise.resolve(undefined),
    facts.countersAfter(host),
  ]);
  const moved = movedFlows(facts.ctx.before[host]?.flows[bridge] ?? [], after.flows[bridge] ?? []).filter((m) => m.rule.drops);
  const movedText = moved.map((m) => `the rule "${flowText(m.rule)}" on ${bridge} counted n_packets ${m.before}→${m.after} during the trace`);
  if (trace && !trace.error) {
    const rule = droppingRule(trace);
    if (trace.dropped && rule && !rule.match.startsWith('No match')) {
      return {
        diagnosis: proved('openflow-drop', [`ovs-appctl ofproto/trace ${bridge} ${flow}: table ${rule.table} rule "${rule.match}" → ${rule.actions || 'drop'}; datapath actions: drop`, ...movedText], [`remove the rule from ${bridge} on ${host} (ovs-ofctl del-flows ${bridge} '${rule.match.replace(/, priority (\d+)/, ',priority=$1').replace(/^priority (\d+)/, 'priority=$1')}'), or change it to let this frame through`]),
        evidence: [],
      };
    }
    if (trace.dropped && rule) return { diagnosis: proved('openflow-drop', [`ovs-appctl ofproto/trace ${bridge} ${flow}: no rule matches this frame in table ${rule.table} (a table miss drops it); datapath actions: drop`, ...movedText], [`add a rule to ${bridge} on ${host} that forwards it (ovs-ofctl add-flow ${bridge} actions=normal restores plain switching)`]), evidence: [] };
    if (trace.dropped) return { evidence: [`ovs-appctl ofproto/trace ${bridge} ${flow}: datapath actions drop after ${trace.rules.map((r) => `table ${r.table} "${r.match}" → ${r.actions}`).join('; ')}: the switch's own decision (a VLAN, no port to send to), not a rule that drops`] };
    if (moved.length) return { diagnosis: proved('openflow-drop', movedText, [`remove that rule from ${bridge} on ${host}`]), evidence: [] };
    return { evidence: [`ovs-appctl ofproto/trace ${bridge} ${flow}: datapath actions ${trace.datapathActions ?? '(none given)'}, no rule drops it`] };
  }
  if (moved.length) return { diagnosis: proved('openflow-drop', movedText), evidence: [] };
  return { evidence: trace?.error ? [`ofproto/trace on ${host} failed: ${trace.error}`] : flow ? [] : ['the frame lacked the fields for ofproto/trace'] };
}

function frameBytes(frames: readonly CaptureFrame[]): number | undefined {
  const sizes = frames.map((f) => carried(f).length).filter((n): n is number => n !== undefined);
  return sizes.length ? Math.max(...sizes) : undefined;
}

function mtuFault(point: { host: string; interface: string }, link: LinkState | undefined, frameLength: number | undefined): Diagnosis | undefined {
  if (!link || frameLength === undefined || frameLength - 14 <= link.mtu) return undefined;
  return proved('mtu', [`the frame was ${frameLength} bytes (${frameLength - 14} bytes of IP), and ${at(point)} carries at most ${link.mtu} (its MTU)`], [`raise ${at(point)}'s MTU to ${frameLength - 14}, or lower the MTU of the overlay's ends so that frames fit`]);
}

// --- the tunnel ends --------------------------------------------------------------------

interface TunnelEnd {
  tunnel: ResolvedTunnel;
  state?: HostState;
  actual?: ActualTunnel;
}

function tunnelEnd(facts: Facts, host: string | undefined, port: string | undefined): TunnelEnd | undefined {
  if (!host || !port) return undefined;
  const tunnel = facts.tunnel(host, port);
  if (!tunnel) return undefined;
  const state = facts.state(host);
  return { tunnel, state, actual: state ? actualTunnel(state, port) : undefined };
}

function sendKey(end: TunnelEnd): string {
  return end.actual?.ovsInterface?.options.out_key ?? end.actual?.key ?? String(end.tunnel.vni);
}
function receiveKey(end: TunnelEnd): string {
  return end.actual?.ovsInterface?.options.in_key ?? end.actual?.key ?? String(end.tunnel.vni);
}
function endText(end: TunnelEnd): string {
  const a = end.actual;
  if (!a) return `${end.tunnel.host} has no tunnel ${end.tunnel.port}`;
  return `${end.tunnel.host}'s ${end.tunnel.port} (${a.where === 'ovs' ? 'OVS' : 'kernel'} ${a.type}): remote_ip ${a.remoteIp ?? '(none)'}, key ${receiveKey(end) === sendKey(end) ? sendKey(end) : `in ${receiveKey(end)} out ${sendKey(end)}`}, UDP port ${a.dstPort ?? '(none)'}`;
}
/** What a tunnel end's host holds of its underlay address (the lab's), in words. */
function underlayHeld(end: TunnelEnd): string {
  const address = end.tunnel.localAddress;
  if (!address) return `no underlay address the lab names`;
  const holder = end.state ? linkHolding(end.state, address) : undefined;
  const cidr = holder?.addresses.find((a) => sameIp(a.cidr.split('/')[0], address))?.cidr ?? address;
  return holder ? `${cidr} on ${holder.name}` : `not even its underlay address ${address}`;
}

/** The frames' outer source address, VNI and UDP port as they arrived. */
function arrived(frames: readonly CaptureFrame[]): { src?: string; vni?: number; port?: number } {
  const f = frames[0];
  if (!f) return {};
  const port = /> [0-9.]+\.(\d+): (?:VXLAN|Geneve|UDP)/.exec(f.raw.split('\n')[0])?.[1];
  return { src: f.src, vni: f.vni, port: port ? Number(port) : undefined };
}

/** Compares both ends as the hosts hold them. `direction` says which end sends. */
function tunnelMismatch(sender: TunnelEnd, receiver: TunnelEnd, seenAtReceiver: readonly CaptureFrame[], checkReceiverRemote: boolean): Diagnosis | undefined {
  const s = sender.actual;
  const r = receiver.actual;
  const both = [endText(sender), endText(receiver)];
  if (!s) return proved('missing-port', [`${sender.tunnel.host} has no tunnel port ${sender.tunnel.port} (${sender.tunnel.bridgeKind === 'ovs' ? 'OVS database' : 'ip -d link'})`], [`create it again (overlay-lab apply)`]);
  if (!r) return proved('missing-port', [`${receiver.tunnel.host} has no tunnel port ${receiver.tunnel.port} (${receiver.tunnel.bridgeKind === 'ovs' ? 'OVS database' : 'ip -d link'})`], [`create it again (overlay-lab apply)`]);
  const seen = arrived(seenAtReceiver);
  if (s.remoteIp && s.remoteIp !== 'flow' && receiver.state?.linksKnown && !linkHolding(receiver.state, s.remoteIp)) {
    return proved('remote-ip-mismatch', [`${sender.tunnel.host}'s ${sender.tunnel.port} sends to ${s.remoteIp} (its remote_ip), but ${receiver.tunnel.host} holds ${underlayHeld(receiver)}, not ${s.remoteIp}`, ...both], [`set ${sender.tunnel.port}'s remote_ip on ${sender.tunnel.host} to ${receiver.tunnel.localAddress ?? sender.tunnel.remoteAddress} (overlay-lab apply)`]);
  }
  const sk = sendKey(sender);
  const rk = receiveKey(receiver);
  if (sk !== rk && sk !== 'flow' && rk !== 'flow') {
    return proved('vni-mismatch', [`${sender.tunnel.host}'s ${sender.tunnel.port} sends key ${sk}${seen.vni !== undefined ? ` (the frames arrived with VNI ${seen.vni})` : ''}; ${receiver.tunnel.host}'s ${receiver.tunnel.port} expects key ${rk}`, ...both], [`use the same VNI on both ends; the lab file says ${sender.tunnel.vni} (overlay-lab apply)`]);
  }
  if (s.dstPort !== undefined && r.dstPort !== undefined && s.dstPort !== r.dstPort) {
    return proved('dstport-mismatch', [`${sender.tunnel.host}'s ${sender.tunnel.port} sends to UDP port ${s.dstPort}${seen.port !== undefined ? ` (the frames arrived on port ${seen.port})` : ''}; ${receiver.tunnel.host}'s ${receiver.tunnel.port} listens on ${r.dstPort}`, ...both], [`use the same UDP port on both ends; the lab file says ${sender.tunnel.dstport} (a Linux vxlan made without dstport uses 8472)`]);
  }
  if (checkReceiverRemote && r.where === 'ovs' && r.remoteIp && r.remoteIp !== 'flow' && sender.state?.linksKnown && !linkHolding(sender.state, r.remoteIp)) {
    return proved('remote-ip-mismatch', [`${receiver.tunnel.host}'s ${receiver.tunnel.port} accepts only what comes from ${r.remoteIp} (its remote_ip), but ${sender.tunnel.host} sends from ${seen.src ?? s.localIp ?? sender.tunnel.localAddress ?? 'its underlay address'} and holds ${underlayHeld(sender)}`, ...both], [`set ${receiver.tunnel.port}'s remote_ip on ${receiver.tunnel.host} to ${sender.tunnel.localAddress ?? receiver.tunnel.remoteAddress} (overlay-lab apply)`]);
  }
  return undefined;
}

function reachWords(probe: TunnelProbe): string {
  if (probe.reach.ok) return `the underlay ping from ${probe.host}${probe.local ? ` (${probe.local})` : ''} to ${probe.remote} was answered${probe.reach.rttMs !== undefined ? ` in ${probe.reach.rttMs} ms` : ''}`;
  const said = probe.reach.output.split('\n').map((l) => l.trim()).find((l) => /^ping:|unreachable|received/i.test(l));
  return `the underlay ping from ${probe.host}${probe.local ? ` (${probe.local})` : ''} to ${probe.remote} failed (${probe.reach.reason}${said ? `: ${said}` : ''})`;
}

async function measureUnderlay(facts: Facts, sender: TunnelEnd, wantedBytes: number | undefined): Promise<TunnelProbe> {
  const remote = sender.actual?.remoteIp && sender.actual.remoteIp !== 'flow' ? sender.actual.remoteIp : sender.tunnel.remoteAddress;
  const local = sender.actual?.localIp ?? sender.tunnel.localAddress;
  return probeTunnel(facts.ctx.pool, { host: sender.tunnel.host, sudo: facts.sudo(sender.tunnel.host), bridge: sender.tunnel.bridge, port: sender.tunnel.port, remote, local, wanted: wantedBytes, maxSizeProbes: TRACE_SIZE_PROBES, reachPings: 1 }, facts.ctx.signal);
}

function mtuFromProbe(probe: TunnelProbe, outerBytes: number): Diagnosis | undefined {
  const mtu = probe.pathMtu;
  if (!mtu || mtu.largestPassed >= outerBytes) return undefined;
  const reported = mtu.reportedMtu ? `; ${mtu.reportedMtu.by === 'local' ? 'the local kernel' : 'a router'} said mtu=${mtu.reportedMtu.mtu}` : '';
  return proved('mtu', [`the encapsulated frame is ${outerBytes} bytes of IP; the underlay from ${probe.host} to ${probe.remote} carries at most ${mtu.largestPassed}${mtu.smallestFailed ? ` (ping -M do: ${mtu.largestPassed} passed, ${mtu.smallestFailed} did not)` : ''}${reported}`], [`lower the overlay MTU by the tunnel's overhead, or raise the underlay's MTU to ${outerBytes}`]);
}

// --- the places ---------------------------------------------------------------------------

async function nothingLeft(facts: Facts, loss: Extract<LossPlace, { kind: 'nothing-left' }>): Promise<Diagnosis> {
  const source = loss.leg.from;
  const fault = interfaceFault(facts, source);
  if (typeof fault !== 'string') return fault;
  const output = facts.ctx.ping.output.trim();
  const said = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const pingLine = said.find((l) => /^ping:|unreachable|too long/i.test(l)) ?? said[0];
  const arpOnly = facts.ctx.followed.probes.includes('arp');
  const evidence = [arpOnly ? `the ARP for ${facts.ctx.who.to} was answered, and no echo request left ${at(source)} before ping gave up` : `nothing left ${at(source)}: no ARP request and no echo request for ${facts.ctx.who.to} in its capture`, `ping -c 1 exited with ${facts.ctx.ping.code ?? 'no status'}${pingLine ? `: "${pingLine}"` : ''}`, fault];
  if (/message too long|mtu\s*=/i.test(output)) return proved('mtu', evidence, [`send a smaller probe, or raise ${at(source)}'s MTU`]);
  if (/Network is unreachable|No route to host|Cannot assign requested address|connect:/i.test(output)) {
    const link = facts.link(source.host, source.interface);
    const addresses = link?.addresses.map((a) => a.cidr).join(', ');
    return proved('no-route', [...evidence, `${at(source)} holds ${addresses || 'no address'}`], [`give ${at(source)} an address in ${facts.ctx.who.to}'s subnet, or a route to it (ip route get ${facts.ctx.who.to} on ${source.host} shows what the kernel would do)`]);
  }
  const route = await routeTo(facts, source.host, facts.ctx.who.to);
  const device = / dev (\S+)/.exec(route.text)?.[1];
  if (route.unreachable) return proved('no-route', [...evidence, `ip route get ${facts.ctx.who.to} on ${source.host}: "${route.text}"`], [`give ${at(source)} a route to ${facts.ctx.who.to}`]);
  if (device && device !== source.interface) return proved('no-route', [...evidence, `${source.host} routes ${facts.ctx.who.to} out of ${device}, not ${source.interface}: "${route.text}"`], [`route ${facts.ctx.who.to} through ${source.interface} on ${source.host}, or trace from ${source.host}:${device}`]);
  if (route.text) evidence.push(`ip route get ${facts.ctx.who.to} on ${source.host}: "${route.text}"`);
  return unknown(evidence);
}

async function unanswered(facts: Facts, loss: Extract<LossPlace, { kind: 'unanswered' }>): Promise<Diagnosis> {
  const leg = loss.leg;
  const host = leg.toHost as string;
  const point = leg.points[leg.points.length - 1];
  const to = facts.ctx.who.to;
  const words = PROBE_WORDS[loss.probe];
  const evidence = [`${at(point)} received the ${words.request} (${loss.seen.length} frame${loss.seen.length === 1 ? '' : 's'}) and sent no ${words.reply}`];
  const state = facts.state(host);
  if (state?.linksKnown) {
    const holds = linkHolding(state, to);
    if (!holds) {
      const elsewhere = Object.entries(facts.ctx.state.hosts).find(([, r]) => r?.ok && linkHolding(r.state, to));
      if (!elsewhere) {
        const own = facts.link(host, point.interface)?.addresses.map((a) => a.cidr).join(', ');
        return proved('address-absent', [...evidence, `${host} does not hold ${to}: ${at(point)} holds ${own || 'no address'} (ip -j addr), and no other host of the lab holds it`], [`put ${to} back on ${at(point)} (overlay-lab apply), or trace to the address it holds`]);
      }
      evidence.push(`${host} does not hold ${to}; ${elsewhere[0]} does`);
    } else evidence.push(`${host} holds ${to} on ${holds.name}`);
  }
  const after = await facts.countersAfter(host);
  const before = facts.ctx.before[host];
  if (before?.firewall && after.firewall) {
    const moved = movedDrops(before.firewall, after.firewall);
    if (moved.length) {
      return proved('host-firewall', [...evidence, ...moved.map((m) => `the firewall rule "${m.rule.text}" (${m.rule.id}${m.rule.hook ? `, ${m.rule.hook}` : ''}) counted ${m.before}→${m.after} packets during the trace`)], [`allow the ${words.request} in ${host}'s firewall (${moved[0].rule.id})`]);
    }
    const silent = after.firewall.filter((r) => (r.verdict === 'drop' || r.verdict === 'reject') && r.packets === undefined && /input|INPUT|prerouting|PREROUTING/.test(r.hook ?? ''));
    if (silent.length) return likely('host-firewall', [...evidence, `no firewall counter moved, but ${host} has rules that drop without counting: ${silent.map((r) => `"${r.text}" (${r.id})`).join('; ')}`], [`add "counter" to those rules to see which one drops, or allow the ${words.request}`]);
    evidence.push(`no firewall rule of ${host} counted a drop during the trace (${after.firewall.length} rules read)`);
  } else evidence.push(`${host}'s firewall could not be read (${after.problem ?? 'neither nft nor iptables-save answered'})`);
  if (loss.probe === 'icmp') {
    const back = await routeTo(facts, host, facts.ctx.who.from);
    if (back.unreachable) return proved('no-route', [...evidence, `${host} has no route back to ${facts.ctx.who.from}: ip route get ${facts.ctx.who.from} says "${back.text}"`], [`give ${host} a route to ${facts.ctx.who.from} (its subnet on ${point.interface})`]);
    if (back.text) evidence.push(`${host} routes ${facts.ctx.who.from} as: ${back.text}`);
  }
  if (loss.probe === 'icmp' && after.echoIgnoreAll) return { cause: { kind: 'no-answer', confidence: 'proved', evidence: [...evidence, `${host} has net.ipv4.icmp_echo_ignore_all = 1: it ignores every echo request`] }, hints: [`sysctl -w net.ipv4.icmp_echo_ignore_all=0 on ${host}`] };
  const drops = dropCounters(facts, after, point);
  if (drops) evidence.push(drops);
  const askedBack = facts.ctx.framesAt(point).some((f) => carried(f).arp === 'request' && carried(f).src === to && carried(f).dst === facts.ctx.who.from);
  if (askedBack) evidence.push(`${host} asked for ${facts.ctx.who.from} by ARP before it could answer`);
  return likely('no-answer', evidence, [`look at ${host} itself: its firewall, its routes back to ${facts.ctx.who.from} (ip route get ${facts.ctx.who.from}), rp_filter`]);
}

async function routeTo(facts: Facts, host: string, address: string): Promise<{ unreachable: boolean; text: string }> {
  try {
    const result = await facts.ctx.pool.exec(host, ['ip', 'route', 'get', address], { sudo: facts.sudo(host), signal: facts.ctx.signal, timeoutSeconds: 4 });
    const text = `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
    return { unreachable: result.code !== 0 && /unreachable|No route/i.test(text), text };
  } catch {
    return { unreachable: false, text: '' };
  }
}

/** The answer reached the source's interface, and ping still got nothing: the source's own firewall, or a bug. */
export async function droppedAtSource(facts: Facts): Promise<Diagnosis> {
  const source = facts.ctx.legs.request.from;
  const evidence = [`${source.host}:${source.interface} captured the echo reply, yet ping reported no answer (exit status ${facts.ctx.ping.code ?? 'none'})`];
  const after = await facts.countersAfter(source.host);
  const moved = movedDrops(facts.ctx.before[source.host]?.firewall ?? [], after.firewall ?? []);
  if (moved.length) return proved('host-firewall', [...evidence, ...moved.map((m) => `the firewall rule "${m.rule.text}" (${m.rule.id}${m.rule.hook ? `, ${m.rule.hook}` : ''}) counted ${m.before}→${m.after} packets during the trace`)], [`allow the echo reply in ${source.host}'s firewall (${moved[0].rule.id})`]);
  const late = lateAnswer(facts);
  if (late) return unknown([...evidence, late], [`trace again with a longer wait (--seconds 3): the path answers, slowly`]);
  return unknown([...evidence, `no firewall rule of ${source.host} counted a drop: please report this as a bug of Overlay Lab`]);
}

/** When the answer came after ping stopped waiting: the times the source's capture shows. */
function lateAnswer(facts: Facts): string | undefined {
  const source = facts.ctx.legs.request.from;
  const frames = facts.ctx.framesAt(source).map((f) => ({ f, h: carried(f) }));
  const { from, to } = facts.ctx.who;
  const arps = frames.filter(({ h }) => h.arp === 'request' && h.src === from && h.dst === to).map(({ f }) => f.time);
  const sent = arps[0] ?? frames.find(({ h }) => h.icmp?.message === 'echo request' && h.src === from && h.dst === to)?.f.time;
  const answered = frames.find(({ h }) => h.icmp?.message === 'echo reply' && h.src === to && h.dst === from && (facts.ctx.followed.icmpId === undefined || h.icmp.id === facts.ctx.followed.icmpId))?.f.time;
  const wait = facts.ctx.ping.waitSeconds ?? 1;
  if (sent === undefined || answered === undefined || answered - sent <= wait) return undefined;
  const ms = (t: number) => Math.round((t - sent) * 1000);
  return `the echo reply reached ${at(source)} ${ms(answered)} ms after ping sent, later than its ${wait} s wait${arps.length > 1 ? ` (ARP requests at ${arps.map((t) => `+${ms(t)} ms`).join(', ')}: the first ${arps.length - 1} went unanswered)` : ''}`;
}

async function between(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>): Promise<Diagnosis> {
  const from = loss.leg.points[loss.from];
  const to = loss.leg.points[loss.from + 1];
  const watchError = facts.ctx.errorAt(to);
  const down = interfaceFault(facts, to);
  if (typeof down !== 'string' && loss.link.kind !== 'segment') return down;
  if (typeof down !== 'string' && !from.encapsulated) return down;
  if (watchError) return unknown([`${at(to)} could not be watched: ${watchError}`, `${at(from)} saw the ${PROBE_WORDS[loss.probe][loss.direction]}`]);
  switch (loss.link.kind) {
    case 'segment':
      return from.encapsulated ? underlaySegment(facts, loss, from, to) : providerSegment(facts, loss, from, to);
    case 'encapsulation':
      return encapsulation(facts, loss, from, to);
    case 'decapsulation':
      return decapsulation(facts, loss, from, to);
    case 'bridge':
      return bridgeHop(facts, loss, from, to);
    default:
      return unknown([`the lab file does not say what joins ${at(from)} and ${at(to)}`]);
  }
}

function collect(evidence: string[], result: Diagnosis | string | undefined): Diagnosis | undefined {
  if (result === undefined) return undefined;
  if (typeof result === 'string') {
    evidence.push(result);
    return undefined;
  }
  return result;
}

async function bridgeHop(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>, from: CapturePoint, to: CapturePoint): Promise<Diagnosis> {
  const evidence: string[] = [];
  const host = from.host;
  const bridge = loss.link.name;
  const settled = vswitchdDown(facts, host) ?? collect(evidence, interfaceFault(facts, to)) ?? portOnBridge(facts, host, from.interface, bridge) ?? portOnBridge(facts, host, to.interface, bridge) ?? mtuFault(to, facts.link(to.host, to.interface), frameBytes(loss.seen));
  if (settled) return settled;
  const frame = loss.seen[0] ? carried(loss.seen[0]) : undefined;
  if (frame) {
    const flows = await openflowVerdict(facts, host, bridge, from.interface, frame);
    if (flows.diagnosis) return flows.diagnosis;
    evidence.push(...flows.evidence);
  }
  const drops = dropCounters(facts, await facts.countersAfter(host), to);
  if (drops) evidence.push(drops);
  return unknown([`${bridge} on ${host} took the frame in on ${from.interface} and did not send it out of ${to.interface}`, ...evidence]);
}

function tunnelEndsAround(facts: Facts, leg: { links: PathLink[] }, encapsulationIndex: number): { sender?: TunnelEnd; receiver?: TunnelEnd } {
  const enc = leg.links[encapsulationIndex];
  const dec = leg.links[encapsulationIndex + 2];
  return { sender: tunnelEnd(facts, enc?.kind === 'encapsulation' ? enc.host : undefined, enc?.name), receiver: tunnelEnd(facts, dec?.kind === 'decapsulation' ? dec.host : undefined, dec?.name) };
}

async function encapsulation(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>, from: CapturePoint, to: CapturePoint): Promise<Diagnosis> {
  const evidence: string[] = [];
  const host = from.host;
  const { sender, receiver } = tunnelEndsAround(facts, loss.leg, loss.from);
  const bridge = sender?.tunnel.bridge ?? liveBridgeOf(facts, host, from.interface) ?? '';
  const settled = (isOvsBridge(facts, host, bridge) ? vswitchdDown(facts, host) : undefined) ?? collect(evidence, interfaceFault(facts, to)) ?? portOnBridge(facts, host, from.interface, bridge) ?? (sender && receiver ? tunnelMismatch(sender, receiver, [], false) : undefined) ?? (sender?.actual ? portOnBridge(facts, host, sender.tunnel.port, bridge) : undefined);
  if (settled) return settled;
  if (sender?.actual?.where === 'kernel') {
    const fault = collect(evidence, interfaceFault(facts, { host, interface: sender.tunnel.port }));
    if (fault) return fault;
  }
  const inner = frameBytes(loss.seen);
  const overhead = sender ? encapsulationOverhead(sender.tunnel.type, 4, sendKey(sender)).bytes : 50;
  const outer = inner !== undefined ? inner - 14 + overhead : undefined;
  const wire = facts.link(to.host, to.interface);
  if (outer !== undefined && wire && outer > wire.mtu) {
    return proved('mtu', [`the frame was ${inner} bytes; encapsulated (${overhead} bytes of ${sender?.tunnel.type ?? 'tunnel'} overhead) it is ${outer} bytes of IP, and ${at(to)} carries at most ${wire.mtu} (its MTU)`], [`lower the overlay MTU to ${wire.mtu - overhead} or raise ${at(to)}'s MTU to ${outer}`]);
  }
  const frame = loss.seen[0] ? carried(loss.seen[0]) : undefined;
  const [flows, underlay] = await Promise.all([frame ? openflowVerdict(facts, host, bridge, from.interface, frame) : Promise.resolve<{ diagnosis?: Diagnosis; evidence: string[] }>({ evidence: [] }), sender ? measureUnderlay(facts, sender, outer !== undefined && outer > 1000 ? outer : undefined) : Promise.resolve(undefined)]);
  if (flows.diagnosis) return flows.diagnosis;
  evidence.push(...flows.evidence);
  if (sender) evidence.push(endText(sender));
  if (receiver) evidence.push(endText(receiver));
  if (underlay) {
    if (!underlay.reach.ok && underlay.reach.reason !== 'no-ping' && underlay.reach.reason !== 'failed') return proved('underlay-unreachable', [reachWords(underlay), `so ${host} cannot send the tunnel's frames to ${underlay.remote}`, ...evidence], [`check the underlay between ${host} and ${underlay.remote}: addresses, routes, ARP, the link`]);
    evidence.push(reachWords(underlay));
    const mtu = outer !== undefined ? mtuFromProbe(underlay, outer) : undefined;
    if (mtu) return mtu;
  }
  return unknown([`${host} received the frame on ${from.interface} and sent nothing encapsulated out of ${to.interface}`, ...evidence]);
}

async function underlaySegment(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>, from: CapturePoint, to: CapturePoint): Promise<Diagnosis> {
  const evidence: string[] = [];
  const { sender, receiver } = tunnelEndsAround(facts, loss.leg, loss.from - 1);
  const settled = collect(evidence, interfaceFault(facts, from)) ?? collect(evidence, interfaceFault(facts, to)) ?? (sender && receiver ? tunnelMismatch(sender, receiver, [], false) : undefined);
  if (settled) return settled;
  if (!sender) return unknown([`the encapsulated frames left ${at(from)} and never reached ${at(to)}`, ...evidence]);
  evidence.push(endText(sender));
  if (receiver) evidence.push(endText(receiver));
  const inner = frameBytes(loss.seen);
  const outer = loss.seen[0]?.length !== undefined ? (loss.seen[0].length as number) - 14 : undefined;
  const underlay = await measureUnderlay(facts, sender, outer !== undefined && outer > 1000 ? outer : undefined);
  if (!underlay.reach.ok && underlay.reach.reason !== 'no-ping' && underlay.reach.reason !== 'failed') {
    return proved('underlay-unreachable', [reachWords(underlay), `the encapsulated frames left ${at(from)} and never reached ${at(to)}`, ...evidence], [`check the underlay network between ${sender.tunnel.host} and ${underlay.remote}: a firewall dropping everything, a route, a link`]);
  }
  evidence.push(reachWords(underlay));
  if (sender.tunnel.type === 'gre') return likely('underlay-filtered', [`ICMP crosses the underlay, the GRE frames do not`, ...evidence], ['allow IP protocol 47 (GRE) between the tunnel ends']);
  const port = sender.actual?.dstPort ?? sender.tunnel.dstport;
  const local = sender.actual?.localIp ?? sender.tunnel.localAddress;
  const sent = await sendControl(facts.ctx.pool, { name: sender.tunnel.host, sudo: facts.sudo(sender.tunnel.host) }, sendUdpArgv(underlay.remote, port, local), facts.ctx.signal);
  if (sent) evidence.push(`the control UDP datagram could not be sent from ${sender.tunnel.host}: ${sent}`);
  else {
    const crossed = await facts.waitAt(to, (frames) => sawControlDatagram(frames, local, underlay.remote));
    if (!crossed) return proved('underlay-filtered', [reachWords(underlay), `control: a UDP datagram from ${sender.tunnel.host}${local ? ` (${local})` : ''} to ${underlay.remote} port ${port} did not reach ${at(to)}`, ...evidence], [`allow UDP port ${port} between ${local ?? sender.tunnel.host} and ${underlay.remote} in the underlay's firewall or security group`]);
    evidence.push(`control: a UDP datagram to ${underlay.remote} port ${port} reached ${at(to)}`);
  }
  if (outer !== undefined) {
    const mtu = mtuFromProbe(underlay, outer);
    if (mtu) return mtu;
  }
  if (inner !== undefined) evidence.push(`the lost frame carried ${inner} bytes inside`);
  return unknown([`the encapsulated frames left ${at(from)} and never reached ${at(to)}`, ...evidence]);
}

async function decapsulation(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>, from: CapturePoint, to: CapturePoint): Promise<Diagnosis> {
  const evidence: string[] = [];
  const host = loss.link.host ?? to.host;
  const { sender, receiver } = tunnelEndsAround(facts, loss.leg, loss.from - 2);
  const bridge = receiver?.tunnel.bridge ?? liveBridgeOf(facts, to.host, to.interface) ?? '';
  const settled = (isOvsBridge(facts, host, bridge) ? vswitchdDown(facts, host) : undefined) ?? (sender && receiver ? tunnelMismatch(sender, receiver, loss.seen, true) : undefined) ?? collect(evidence, interfaceFault(facts, to)) ?? portOnBridge(facts, host, to.interface, bridge) ?? (receiver?.actual ? portOnBridge(facts, host, receiver.tunnel.port, bridge) : undefined) ?? mtuFault(to, facts.link(to.host, to.interface), frameBytes(loss.seen));
  if (settled) return settled;
  if (receiver?.actual?.where === 'kernel') {
    const fault = collect(evidence, interfaceFault(facts, { host, interface: receiver.tunnel.port }));
    if (fault) return fault;
  }
  if (sender) evidence.push(endText(sender));
  if (receiver) evidence.push(endText(receiver));
  const frame = loss.seen[0] ? carried(loss.seen[0]) : undefined;
  if (frame && receiver) {
    const seen = arrived(loss.seen);
    const flows = await openflowVerdict(facts, host, bridge, receiver.tunnel.port, frame, { key: Number(receiveKey(receiver)) || 0, src: seen.src, dst: loss.seen[0]?.dst });
    if (flows.diagnosis) return flows.diagnosis;
    evidence.push(...flows.evidence);
  }
  return unknown([`${host} received the encapsulated frames on ${from.interface} and did not send them out of ${to.interface}`, ...evidence]);
}

async function providerSegment(facts: Facts, loss: Extract<LossPlace, { kind: 'between' }>, from: CapturePoint, to: CapturePoint): Promise<Diagnosis> {
  const evidence: string[] = [];
  const settled = collect(evidence, interfaceFault(facts, from)) ?? collect(evidence, interfaceFault(facts, to)) ?? mtuFault(to, facts.link(to.host, to.interface), frameBytes(loss.seen));
  if (settled) return settled;
  const segment = loss.link.name;
  const note = facts.ctx.lab.segments.find((s) => s.name === segment)?.note;
  const where = `${segment}${note ? ` (${note})` : ''}`;
  const words = PROBE_WORDS[loss.probe][loss.direction];
  const own = facts.link(from.host, from.interface)?.mac?.toLowerCase();
  const frame = loss.seen[0] ? carried(loss.seen[0]) : undefined;
  const mac = frame?.srcMac?.toLowerCase();
  if (!own || !frame || !mac) return unknown([`the ${words} left ${at(from)} onto ${where} and never reached ${at(to)}`, ...evidence, own ? 'the frame could not be read' : `${at(from)}'s own MAC could not be read`]);
  const foreign = mac !== own;
  const owner = foreign ? facts.macOwner(mac) : undefined;
  const left = foreign
    ? `the ${words} left ${at(from)} onto ${where} with source MAC ${mac}${owner ? ` (${owner})` : ''}, not ${at(from)}'s own ${own}, and never reached ${at(to)}`
    : `the ${words} left ${at(from)} onto ${where} with its own source MAC ${own} and never reached ${at(to)}`;
  evidence.unshift(left);

  // Another probe of this trace crossed the same segment from the same port and MAC: the segment filters by kind.
  const otherKind = facts.ctx.followed.sightings.find((s) => s.probe !== loss.probe && s.direction === loss.direction && s.frames.length === loss.leg.points.length);
  if (otherKind) {
    const a = otherKind.frames[loss.from] ?? [];
    const b = otherKind.frames[loss.from + 1] ?? [];
    if (a.some((f) => carried(f).srcMac?.toLowerCase() === mac) && b.length) {
      return proved('segment-filter', [...evidence, `the ${PROBE_WORDS[otherKind.probe][loss.direction]} of the same trace crossed ${segment} from ${at(from)} with the same source MAC ${mac} (${b.length} frame${b.length === 1 ? '' : 's'} reached ${at(to)})`], [`${where} drops ${loss.probe === 'icmp' ? 'ICMP' : 'ARP'} from ${at(from)}: check its security group or port filter rules`]);
    }
  }
  // Control frames go where the lost frame was going: to the destination on the request leg, back to the source on the reply leg.
  const [sender, receiver] = loss.direction === 'request' ? [facts.ctx.who.from, facts.ctx.who.to] : [facts.ctx.who.to, facts.ctx.who.from];
  const request = facts.ctx.legs.request;
  const receiverMac = loss.direction === 'request' ? (request.toHost && request.toInterface ? facts.link(request.toHost, request.toInterface)?.mac : undefined) : facts.ctx.who.fromMac;
  const control = (kind: ControlKind): ControlFrame | undefined => {
    if (kind === 'arp') return { kind, srcMac: own, target: receiver };
    const dstMac = frame.icmp ? frame.dstMac : receiverMac;
    return dstMac ? { kind, srcMac: own, dstMac, from: sender, target: receiver } : undefined;
  };
  const sameKind: ControlKind = loss.probe;
  const sendAndWatch = async (c: ControlFrame | undefined): Promise<boolean | string> => {
    if (!c) return 'the MAC it would go to is unknown';
    let hex: string;
    try {
      hex = controlFrameHex(c);
    } catch (error) {
      return (error as Error).message;
    }
    const problem = await sendControl(facts.ctx.pool, { name: from.host, sudo: facts.sudo(from.host) }, sendFrameArgv(from.interface, hex), facts.ctx.signal);
    if (problem) return problem;
    return facts.waitAt(to, (frames) => sawControlFrame(frames, c));
  };
  const kindWords = (kind: ControlKind) => (kind === 'arp' ? 'an ARP request' : 'an ICMP echo request');
  const same = await sendAndWatch(control(sameKind));
  if (typeof same === 'string') return unknown([...evidence, `the control frame could not be sent from ${at(from)}: ${same}`]);
  if (same && foreign) {
    return proved('mac-filter', [...evidence, `control: ${kindWords(sameKind)} from ${at(from)}'s own MAC ${own} reached ${at(to)}`], [`allow ${mac} on ${from.host}'s port of ${segment} (allowed address pairs), or turn port security off on it; or route between the sites instead of bridging them`]);
  }
  if (same) {
    return unknown([...evidence, `control: ${kindWords(sameKind)} from ${at(from)}'s own MAC ${own} reached ${at(to)}, the probe (same MAC) did not`]);
  }
  evidence.push(`control: ${kindWords(sameKind)} from ${at(from)}'s own MAC ${own} did not reach ${at(to)} either`);
  const otherControlKind: ControlKind = sameKind === 'arp' ? 'icmp' : 'arp';
  const other = await sendAndWatch(control(otherControlKind));
  if (other === true) {
    return proved('segment-filter', [...evidence, `control: ${kindWords(otherControlKind)} from ${at(from)}'s own MAC ${own} reached ${at(to)}`], [`${where} drops ${loss.probe === 'icmp' ? 'ICMP' : 'ARP'} from ${at(from)} while it carries other frames: check its security group or port filter rules`]);
  }
  evidence.push(typeof other === 'string' ? `the second control frame could not be sent: ${other}` : `control: ${kindWords(otherControlKind)} from ${at(from)}'s own MAC ${own} did not reach ${at(to)} either`);
  return unknown([...evidence, `${segment} carries nothing from ${at(from)} to ${at(to)} that the trace sent; the lab does not manage it: look at the provider's side`]);
}

