// The two pings the doctor sends from a tunnel end to the far underlay address, as argument
// lists, and what their output means. Every ping is bounded: a count, a per-reply wait and an
// overall deadline, and the remote command has its own timeout besides.

import type { ReachResult } from '../types';

// No `-w deadline`: with it, ping waits out the deadline whenever a probe is refused rather than
// answered ("+1 errors"), which a path MTU search does on purpose. `-c` with `-W` bounds it.

/** Two pings 0.2 s apart, 1 s to answer the last: 1.2 s at most (one ping, 1 s, when time counts more than a lost ICMP). */
export function reachArgv(remote: string, local?: string, count: 1 | 2 = 2): string[] {
  return ['ping', '-n', '-c', String(count), ...(count > 1 ? ['-i', '0.2'] : []), '-W', '1', ...(local ? ['-I', local] : []), remote];
}

/** One ping of `payload` bytes that must not be fragmented (`-M do`), 1 s to answer. */
export function sizeProbeArgv(remote: string, payload: number, local?: string): string[] {
  return ['ping', '-n', '-c', '1', '-W', '1', '-M', 'do', '-s', String(payload), ...(local ? ['-I', local] : []), remote];
}

export function parseReach(code: number | null, output: string): ReachResult {
  if (code === 0) {
    const rtt = /= [\d.]+\/([\d.]+)\//.exec(output);
    return rtt ? { ok: true, rttMs: Number(rtt[1]) } : { ok: true };
  }
  const text = output.trim();
  if (code === 127 || /ping: (command )?not found|No such file or directory/.test(text)) return { ok: false, reason: 'no-ping', output: text };
  if (/Cannot assign requested address|bind: /i.test(text)) return { ok: false, reason: 'no-source', output: text };
  if (/connect: (Network is unreachable|No route to host)/i.test(text)) return { ok: false, reason: 'no-route', output: text };
  if (code === 1) return { ok: false, reason: 'no-reply', output: text };
  return { ok: false, reason: 'failed', output: text };
}

export type SizeProbeResult =
  | { passed: true }
  | { passed: false; reportedMtu?: { mtu: number; by: 'local' | 'router' } }
  /** The probe itself failed (no ping, a dropped connection): the search stops. */
  | { passed: false; error: string };

/**
 * `ping -M do` refuses locally with `ping: local error: message too long, mtu=1400`; a router
 * answers `Frag needed and DF set (mtu = 1400)` (IPv4) or `Packet too big: mtu=1400` (IPv6);
 * a hop that drops silently gives only "0 received".
 */
export function parseSizeProbe(code: number | null, output: string): SizeProbeResult {
  if (code === 0) return { passed: true };
  const mtu = /mtu\s*=\s*(\d+)/i.exec(output);
  if (mtu) return { passed: false, reportedMtu: { mtu: Number(mtu[1]), by: /local error/i.test(output) ? 'local' : 'router' } };
  if (code === 1) return { passed: false };
  return { passed: false, error: output.trim() || `ping exited with ${code}` };
}
