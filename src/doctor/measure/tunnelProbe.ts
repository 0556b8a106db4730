// Measures one tunnel end: does the far underlay address answer pings from the tunnel's source
// address, and, when it does, how large a packet crosses without fragmentation. Runs on the
// tunnel's own host, over its pooled connection; each ping is its own bounded remote command,
// ended with its channel when cancelled.

import { parseIp } from '../../lab/addresses';
import type { ProbeTransport } from '../../hosts/probe';
import { pingPacketSize, pingPayload } from '../encapsulation';
import type { TunnelProbe } from '../types';
import { parseReach, parseSizeProbe, reachArgv, sizeProbeArgv } from './ping';
import { searchPathMtu } from './pathMtuSearch';

export interface TunnelProbeTarget {
  host: string;
  sudo: boolean;
  bridge: string;
  port: string;
  local?: string;
  remote: string;
  /** The IP packet size the overlay needs; no path MTU search without it. */
  wanted?: number;
  /** Pings for reachability: 2 (the doctor), or 1 where a verdict is waited for (the trace). */
  reachPings?: 1 | 2;
  /** At most this many size probes (each dropped one costs a second); the search's own bound when absent. */
  maxSizeProbes?: number;
}

/** Seconds a remote ping may run before its channel is closed: ping's own deadline plus slack. */
const REACH_TIMEOUT_SECONDS = 6;
const SIZE_TIMEOUT_SECONDS = 4;
/** What ping prints when a probe is refused with an MTU (see parseSizeProbe). */
const REFUSED = /mtu\s*=\s*\d+/i;

export async function probeTunnel(pool: ProbeTransport, target: TunnelProbeTarget, signal?: AbortSignal): Promise<TunnelProbe> {
  const base = { host: target.host, bridge: target.bridge, port: target.port, remote: target.remote, ...(target.local ? { local: target.local } : {}), ...(target.wanted ? { wanted: target.wanted } : {}) };
  const family = parseIp(target.remote)?.family ?? 4;
  const run = async (argv: string[], timeoutSeconds: number, endWhen?: RegExp) => {
    // A refused probe ("local error: message too long, mtu=1400") is all ping will learn, but
    // ping still waits out -W for an answer: end it as soon as it says so.
    const early = new AbortController();
    let said = '';
    const listen = endWhen
      ? (chunk: Buffer) => {
          said += chunk.toString('utf8');
          if (endWhen.test(said)) early.abort();
        }
      : undefined;
    const result = await pool.exec(target.host, argv, {
      sudo: target.sudo,
      signal: signal ? AbortSignal.any([signal, early.signal]) : early.signal,
      timeoutSeconds,
      onStdout: listen,
      onStderr: listen,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.cancelled === 'aborted' && early.signal.aborted && !signal?.aborted) return { code: 1, output, cancelled: undefined };
    return { code: result.cancelled ? null : result.code, output, cancelled: result.cancelled };
  };
  let reachRun;
  try {
    reachRun = await run(reachArgv(target.remote, target.local, target.reachPings ?? 2), REACH_TIMEOUT_SECONDS);
  } catch (error) {
    return { ...base, reach: { ok: false, reason: 'failed', output: (error as Error).message } };
  }
  if (reachRun.cancelled) return { ...base, reach: { ok: false, reason: 'failed', output: reachRun.cancelled === 'timeout' ? 'ping did not finish in time' : 'cancelled' } };
  const reach = parseReach(reachRun.code, reachRun.output);
  if (!reach.ok || !target.wanted) return { ...base, reach };
  const pathMtu = await searchPathMtu({
    wanted: target.wanted,
    ...(target.maxSizeProbes !== undefined ? { maxProbes: target.maxSizeProbes } : {}),
    knownGood: pingPacketSize(56, family),
    probe: async (size) => {
      if (signal?.aborted) return { passed: false, error: 'cancelled' };
      try {
        const probe = await run(sizeProbeArgv(target.remote, pingPayload(size, family), target.local), SIZE_TIMEOUT_SECONDS, REFUSED);
        if (probe.cancelled) return { passed: false, error: probe.cancelled };
        return parseSizeProbe(probe.code, probe.output);
      } catch (error) {
        return { passed: false, error: (error as Error).message };
      }
    },
  });
  return { ...base, reach, ...(pathMtu ? { pathMtu } : {}) };
}
