// A trace: listen on every capture point of the expected path at once, wait until each one is
// really listening, send one probe from the source, then read who saw it. Every capture is
// closed (nothing left on any host) however the trace ends.

import { startCapture, type CaptureSession } from '../capture/captureSession';
import { readLabState } from '../hosts/readLabState';
import type { HostState, LabReadings } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { SshError } from '../ssh/errors';
import { expectedPath, type CapturePoint, type ExpectedPath } from './expectedPath';
import { icmpIdOf, probeLine, sourceMacOf, type ProbeKind, type ProbeSignature } from './probeMatch';
import type { TraceResult } from './traceResult';
import { readVerdict, type PointObservation } from './verdict';

export interface TraceOptions {
  from: { host: string; interface?: string };
  to: string;
  /** How long to wait for the probe to arrive, at most. Default 2.2 s: an unanswered ARP is sent three times, a second apart. */
  seconds?: number;
  /** ICMP payload bytes (ping -s), sent with don't-fragment: a large probe finds an MTU problem. */
  size?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface TraceRun {
  path: ExpectedPath;
  result: TraceResult;
  elapsedMs: number;
}

/** What to listen for at a point: the probe's protocols, or its tunnel's UDP port underneath. */
function filterFor(point: CapturePoint): string {
  if (point.encapsulated && point.tunnel) {
    return point.tunnel.type === 'gre' ? 'proto gre' : `udp port ${point.tunnel.dstport}`;
  }
  return 'arp or icmp or (vlan and (arp or icmp))';
}

function stateOf(state: LabReadings, host: string): HostState | undefined {
  const reading = state.hosts[host];
  return reading?.ok ? reading.state : undefined;
}

/** Whether the source already knows the destination's MAC: then the probe is the ICMP echo itself. */
async function hasNeighbour(pool: SshPool, host: string, device: string, to: string, sudo: boolean): Promise<boolean> {
  const result = await pool.exec(host, ['ip', 'neigh', 'show', 'to', to, 'dev', device], { sudo });
  return /lladdr \S+ (REACHABLE|STALE|DELAY|PROBE|PERMANENT)/.test(result.stdout);
}

export async function runTrace(pool: SshPool, lab: Lab, options: TraceOptions): Promise<TraceRun> {
  const started = Date.now();
  const path = expectedPath(lab, options.from, options.to);
  if (!path.from.interface || path.points.length === 0) throw new Error(path.problems.join(' ') || 'no path to trace');
  const sudo = (host: string) => lab.hosts.find((h) => h.name === host)?.sudo ?? false;
  const hosts = [...new Set(path.points.map((p) => p.host))];
  options.onProgress?.(`reading ${hosts.join(', ')}`);
  const state = await readLabState(pool, lab, { hosts, signal: options.signal });

  const frames: string[][] = path.points.map(() => []);
  const errors: (string | undefined)[] = path.points.map(() => undefined);
  const sessions: (CaptureSession | undefined)[] = [];
  const traceAbort = new AbortController();
  const onAbort = () => traceAbort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    options.onProgress?.(`listening on ${path.points.length} points`);
    path.points.forEach((point, index) => {
      if (!state.hosts[point.host]?.ok) {
        const reading = state.hosts[point.host];
        errors[index] = reading && !reading.ok ? reading.failure.message : `${point.host} was not read`;
        sessions.push(undefined);
        return;
      }
      try {
        sessions.push(
          startCapture(pool, {
            host: point.host,
            interface: point.interface,
            filter: filterFor(point),
            sudo: sudo(point.host),
            signal: traceAbort.signal,
            onFrame: (frame) => frames[index].push(frame.raw),
          }),
        );
      } catch (error) {
        errors[index] = (error as Error).message;
        sessions.push(undefined);
      }
    });
    // Each capture confirmed listening before the probe goes out.
    await Promise.all(
      sessions.map((session, index) =>
        session?.listening.catch((error: Error) => {
          errors[index] = error.message;
        }),
      ),
    );
    if (options.signal?.aborted) throw new Error('the trace was cancelled');

    const source = path.from;
    const probe: ProbeKind = (await hasNeighbour(pool, source.host, source.interface, options.to, sudo(source.host))) ? 'icmp' : 'arp';
    options.onProgress?.(`sending ${probe === 'arp' ? 'the ARP request (no neighbour entry yet) and ' : ''}one ping from ${source.host}:${source.interface} to ${options.to}`);
    const seconds = options.seconds ?? 2.2;
    let sendError: string | undefined;
    const ping = pool
      .exec(source.host, ['ping', '-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(seconds))), ...(options.size ? ['-s', String(options.size), '-M', 'do'] : []), '-I', source.interface, options.to], {
        sudo: sudo(source.host),
        signal: traceAbort.signal,
        timeoutSeconds: seconds + 2,
      })
      .then(
        (result) => {
          // ping prints its own reason when it cannot send at all (no route, no such device).
          if (result.code === 2) sendError = (result.stderr.trim() || result.stdout.trim()).split('\n').pop();
        },
        (error: unknown) => {
          sendError = error instanceof SshError ? error.message : String(error);
        },
      );

    const signature: ProbeSignature = { kind: probe, from: source.address ?? '', to: options.to };
    const last = path.points.length - 1;
    const arrived = () => path.toHost !== undefined && frames[last].some((text) => probeLine(signature, text));
    const deadline = Date.now() + seconds * 1000;
    // Done as soon as the destination has it (a little longer for an ARP, to count its retries), or at the deadline.
    while (Date.now() < deadline && !options.signal?.aborted) {
      if (arrived()) {
        await new Promise((resolve) => setTimeout(resolve, probe === 'icmp' ? 100 : 200));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await Promise.race([ping, new Promise((resolve) => setTimeout(resolve, 200))]);

    // Follow this very ping: its id, as the source saw it go out.
    if (probe === 'icmp') {
      const first = frames[0].map((text) => probeLine(signature, text)).find(Boolean);
      if (first) signature.icmpId = icmpIdOf(first);
    }
    const observations: PointObservation[] = path.points.map((point, index) => {
      const lines = frames[index].map((text) => probeLine(signature, text)).filter((line): line is string => line !== undefined);
      return { point, count: lines.length, sourceMacs: [...new Set(lines.map(sourceMacOf).filter((mac): mac is string => mac !== undefined))], error: errors[index] };
    });

    const macs = new Map<string, string>();
    for (const host of hosts) for (const link of stateOf(state, host)?.links ?? []) if (link.mac) macs.set(`${host}:${link.name}`, link.mac.toLowerCase());
    const result = readVerdict(path, probe, observations, {
      macOf: (host, iface) => macs.get(`${host}:${iface}`),
      ownerOfMac: (mac) => [...macs.entries()].find(([, m]) => m === mac.toLowerCase())?.[0],
      segmentNote: (name) => lab.segments.find((s) => s.name === name)?.note,
      tunnelDetail: (host, port) => {
        const iface = stateOf(state, host)?.bridges.flatMap((b) => b.ports).find((p) => p.name === port)?.interfaces[0];
        const declared = lab.tunnels.find((t) => t.host === host && t.port === port);
        return { remote: iface?.options.remote_ip ?? declared?.remoteAddress, vni: declared?.vni, dstport: declared?.dstport, error: iface?.error };
      },
      sendError,
      probeSize: options.size,
      hostProblem: (host) => {
        const hostState = stateOf(state, host);
        if (!hostState || hostState.ovs.state === 'running') return undefined;
        return hostState.notes.find((note) => /Open vSwitch|ovs-vswitchd|ovsdb-server/.test(note)) ?? `Open vSwitch is not running on ${host}.`;
      },
    });
    return { path, result, elapsedMs: Date.now() - started };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    traceAbort.abort();
    await Promise.all(sessions.map((session) => session?.close()));
  }
}
