// A trace: work out both legs from the lab model, listen on every capture point of both (one
// tcpdump per host and interface), confirm each listens, read the counters, send the real
// `ping -c 1` from the source, follow what it sent (the ARP first when the kernel resolved, then
// the echo) and its answer, and at the place of loss measure why. Everything runs over the pool,
// with each host's sudo; every capture and command ends with the trace, however it ends. With
// keepFrames, each tcpdump also writes what it prints to a pcap on its host, and once the verdict
// is in, the trace fetches those pcaps (for a pcapng, traceFrames.ts) before it closes them.

import { setMaxListeners } from 'node:events';
import { startCapture, type CaptureSession } from '../capture/captureSession';
import { boundedClockReading, measureClockOffset, type ClockReading } from '../capture/clockOffset';
import type { CaptureFrame } from '../capture/types';
import { readLabState } from '../hosts/readLabState';
import type { LabReadings } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { SshError } from '../ssh/errors';
import { diagnose, type Diagnosis } from './diagnose';
import { followProbes, type ProbeIdentity } from './follow';
import { legsFor, pointKey, type TraceLegs, type WatchPoint } from './legs';
import { limitPerHost, MEASUREMENTS_PER_HOST } from './measure/hostLimit';
import { readHostCounters, type HostCounters } from './measure/hostCounters';
import type { TraceFrames, TracePointFrames } from './traceFrames';
import type { TraceResultV2 } from './traceResultV2';
import { traceVerdict } from './verdict';

export interface TraceOptions {
  from: { host: string; interface?: string };
  to: string;
  /** How long ping waits for its answer (ping -W, whole seconds). Default 1. */
  seconds?: number;
  /** ICMP payload bytes (ping -s), sent with don't-fragment: a large probe finds an MTU problem. */
  size?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /**
   * Keep the frames every point saw, as pcaps, for a pcapng (TraceRun.frames): each tcpdump also
   * writes its frames to a pcap on its host, and the trace fetches them before it ends, with
   * each host's clock offset. At most TRACE_PCAP_MEGABYTES × 2 per point (the newest frames).
   */
  keepFrames?: boolean;
}

export interface TraceRun {
  legs: TraceLegs;
  result: TraceResultV2;
  elapsedMs: number;
  /** What each capture point printed, line by line as tcpdump did (for a closer look, and recorded for tests). */
  captured: { host: string; interface: string; lines: string[] }[];
  /** With keepFrames: the frames each point saw, for saveTracePcapng(). */
  frames?: TraceFrames;
}

/** Each point's pcap is a ring of two files of this many million bytes on its host: the newest 1–2 MB are kept. */
export const TRACE_PCAP_MEGABYTES = 1;
/** Round trips per host for its clock offset (the shortest one counts). */
const CLOCK_SAMPLES = 4;
/** How long a host's clock may take to read before its offset is given as unknown. */
const CLOCK_LIMIT_MS = 5000;
/** If the trace never closes its captures (it always does), the hosts drop the pcaps after this long. */
const KEEP_PCAP_SECONDS = 120;

/** What to listen for at a point: the probe's protocols, or its tunnels' traffic underneath. */
export function captureFilterFor(point: WatchPoint): { filter: string; decodeAs?: 'vxlan' } {
  if (!point.encapsulated || point.tunnels.length === 0) return { filter: 'arp or icmp or (vlan and (arp or icmp))' };
  const parts: string[] = [];
  if (point.tunnels.some((t) => t.type === 'gre')) parts.push('proto gre');
  const udp = point.tunnels.filter((t) => t.type !== 'gre');
  // Every UDP datagram on a VXLAN wire, read as VXLAN: a tunnel end set to another port than the lab's still shows.
  if (udp.length && udp.every((t) => t.type === 'vxlan')) return { filter: parts.length ? `udp or ${parts.join(' or ')}` : 'udp', decodeAs: 'vxlan' };
  if (udp.length) parts.push(...[...new Set(udp.map((t) => t.dstport))].map((port) => `udp port ${port}`));
  return { filter: parts.join(' or ') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTrace(pool: SshPool, lab: Lab, options: TraceOptions): Promise<TraceRun> {
  const started = Date.now();
  const legs = legsFor(lab, options.from, options.to);
  const request = legs.request;
  if (!request.from.interface || request.points.length === 0) throw new Error(request.problems.join(' ') || 'no path to trace');
  const labHost = (name: string) => lab.hosts.find((h) => h.name === name);
  const sudo = (host: string) => labHost(host)?.sudo ?? false;
  const measurePool = limitPerHost(pool);
  const hosts = [...new Set(legs.points.map((p) => p.host))];

  const frames: CaptureFrame[][] = legs.points.map(() => []);
  const errors: (string | undefined)[] = legs.points.map(() => undefined);
  const sessions: (CaptureSession | undefined)[] = [];
  const traceAbort = new AbortController();
  // Every capture and measurement listens on it: a dozen or so, by design.
  setMaxListeners(100, traceAbort.signal);
  const onAbort = () => traceAbort.abort();
  if (options.signal?.aborted) throw new Error('the trace was cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const cancelled = () => traceAbort.signal.aborted;
  try {
    options.onProgress?.(`reading ${hosts.join(', ')} and listening on ${legs.points.length} points`);
    for (const [index, point] of legs.points.entries()) {
      try {
        const { filter, decodeAs } = captureFilterFor(point);
        const keep = options.keepFrames ? { pcap: true, pcapMegabytes: TRACE_PCAP_MEGABYTES, keepPcapSeconds: KEEP_PCAP_SECONDS } : {};
        sessions.push(startCapture(pool, { host: point.host, interface: point.interface, filter, decodeAs, sudo: sudo(point.host), signal: traceAbort.signal, ...keep, onFrame: (frame) => frames[index].push(frame) }));
      } catch (error) {
        errors[index] = (error as Error).message;
        sessions.push(undefined);
      }
    }
    const [state, before] = await Promise.all([
      readLabState(pool, lab, { hosts, signal: traceAbort.signal }),
      Promise.all(hosts.map((host) => readHostCounters(measurePool, { name: host, sudo: sudo(host) }, labHost(host)?.bridges.filter((b) => b.kind === 'ovs').map((b) => b.name) ?? [], traceAbort.signal))),
      // Each capture confirmed listening before the probe goes out.
      Promise.all(sessions.map((session, index) => session?.listening.catch((error: Error) => void (errors[index] = error.message)))),
    ]);
    if (cancelled()) throw new Error('the trace was cancelled');
    const counters: Record<string, HostCounters> = Object.fromEntries(before.map((c) => [c.host, c]));

    const source = request.from;
    // ping sends from the address the interface really holds, which may not be the lab's.
    const who: ProbeIdentity = { from: liveAddressOf(state, source.host, source.interface) ?? source.address ?? '', to: options.to, fromMac: macOf(state, source.host, source.interface) };
    const wait = Math.max(1, Math.ceil(options.seconds ?? 1));
    options.onProgress?.(`sending ping -c 1 from ${source.host}:${source.interface} to ${options.to}`);
    let ping: { code: number | null; output: string; waitSeconds: number };
    try {
      const result = await pool.exec(source.host, ['ping', '-n', '-c', '1', '-W', String(wait), ...(options.size !== undefined ? ['-s', String(options.size), '-M', 'do'] : []), options.to], { sudo: sudo(source.host), signal: traceAbort.signal, timeoutSeconds: wait + 3 });
      ping = { code: result.cancelled ? null : result.code, output: `${result.stdout}\n${result.stderr}`.trim(), waitSeconds: wait };
    } catch (error) {
      ping = { code: null, output: error instanceof SshError ? error.message : String(error), waitSeconds: wait };
    }
    if (cancelled()) throw new Error('the trace was cancelled');
    // For the pcapng only, the time order across hosts: each host's clock, one round trip after
    // another on one channel, while the trace follows, measures and fetches (not before the ping, where it would delay it).
    // On the measuring pool, so it shares the per-host budget with the counters and the cause;
    // bounded in time and by the trace's cancel, because a host that stops answering must cost
    // the pcapng its time order for that host (an unknown offset, said so), never the trace.
    const clocks = options.keepFrames ? Promise.all(hosts.map((host) => boundedClockReading(measureClockOffset(measurePool, host, { samples: CLOCK_SAMPLES, signal: traceAbort.signal }), host, { signal: traceAbort.signal, limitMs: CLOCK_LIMIT_MS }))) : undefined;
    clocks?.catch(() => undefined);

    // Plain `ping -c 1 TO`, as the user runs it: the kernel picks the route (and says when there is none).
    // The frames other hosts saw are still on their way over SSH: wait for them, briefly.
    const follow = () => followProbes(legs, frames, who, errors);
    const settleUntil = Date.now() + (ping.code === 0 ? 400 : 150);
    while (Date.now() < settleUntil && !cancelled()) {
      if (ping.code === 0 && follow().hops.every((hop) => hop.seen || hop.error)) break;
      await sleep(15);
    }
    const snapshot = frames.map((list) => list.slice());
    const followed = followProbes(legs, snapshot, who, errors);
    let diagnosis: Diagnosis | undefined;
    if (ping.code !== 0) {
      options.onProgress?.('measuring the cause');
      const indexOf = new Map(legs.points.map((p, i) => [pointKey(p), i]));
      diagnosis = await diagnose({
        pool: measurePool,
        lab,
        legs,
        state,
        before: counters,
        framesAt: (point) => frames[indexOf.get(pointKey(point)) ?? -1] ?? [],
        errorAt: (point) => errors[indexOf.get(pointKey(point)) ?? -1],
        who,
        followed,
        ping,
        signal: traceAbort.signal,
      });
      if (cancelled()) throw new Error('the trace was cancelled');
    }
    const watchProblems = legs.points.flatMap((p, i) => (errors[i] ? [`${p.host}:${p.interface} could not be watched: ${errors[i]}`] : []));
    const elapsedMs = Date.now() - started;
    const result = traceVerdict({ legs, followed, pingCode: ping.code, diagnosis, watchProblems, elapsedMs });
    const captured = legs.points.map((p, i) => ({ host: p.host, interface: p.interface, lines: frames[i].map((f) => f.raw) }));
    if (!clocks) return { legs, result, elapsedMs, captured };
    // After the verdict, so it and its elapsedMs are what they are without the frames.
    const kept = await fetchFrames(legs.points, sessions, frames.map((list) => list.length), errors, traceAbort.signal);
    const readings = await clocks;
    if (cancelled()) throw new Error('the trace was cancelled');
    return { legs, result, elapsedMs, captured, frames: { points: kept, clocks: Object.fromEntries(readings.map((reading: ClockReading) => [reading.host, reading])) } };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    traceAbort.abort();
    await Promise.all(sessions.map((session) => session?.close()));
  }
}

/** Every point's pcap so far: hosts at once, at most MEASUREMENTS_PER_HOST fetches at a time per host (beside its captures, well under sshd's 10 sessions). */
async function fetchFrames(points: readonly WatchPoint[], sessions: readonly (CaptureSession | undefined)[], counts: readonly number[], errors: readonly (string | undefined)[], signal: AbortSignal): Promise<TracePointFrames[]> {
  const kept: TracePointFrames[] = points.map((p, i) => ({ host: p.host, interface: p.interface, frames: counts[i] }));
  const fetchOne = async (i: number) => {
    const session = sessions[i];
    if (!session || errors[i]) {
      kept[i].problem = `not watched: ${errors[i] ?? 'the capture did not start'}`;
      return;
    }
    const chunks: Buffer[] = [];
    try {
      await session.fetchPcap((chunk) => chunks.push(chunk), signal);
      kept[i].pcap = Buffer.concat(chunks);
    } catch (error) {
      kept[i].problem = (error as Error).message;
    }
  };
  const byHost = new Map<string, number[]>();
  points.forEach((p, i) => byHost.set(p.host, [...(byHost.get(p.host) ?? []), i]));
  await Promise.all(
    [...byHost.values()].map(async (indexes) => {
      for (let at = 0; at < indexes.length; at += MEASUREMENTS_PER_HOST) await Promise.all(indexes.slice(at, at + MEASUREMENTS_PER_HOST).map(fetchOne));
    }),
  );
  return kept;
}

function macOf(state: LabReadings, host: string, iface: string): string | undefined {
  const reading = state.hosts[host];
  return reading?.ok ? reading.state.links.find((l) => l.name === iface)?.mac?.toLowerCase() : undefined;
}

function liveAddressOf(state: LabReadings, host: string, iface: string): string | undefined {
  const reading = state.hosts[host];
  const cidr = reading?.ok ? reading.state.links.find((l) => l.name === iface)?.addresses.find((a) => a.family === 'inet' && a.scope !== 'link')?.cidr : undefined;
  return cidr?.split('/')[0];
}

