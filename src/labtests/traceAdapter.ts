// The one place lab tests meet the trace. A failed `reach` test is traced, and its result carries
// the trace in the shape `trace --json` version 2 gives (cli.md): the place, the leg, the probe,
// the cause with its kind, confidence and evidence.
//
// runTrace still returns the version 1 result (request leg only, no cause). Until the version 2
// core lands, `asVersion2` maps what version 1 measured: the hops and the place of loss on the
// request leg, the frame counts as evidence, and `unknown` as the cause, since version 1 proves
// none (its hints name usual causes, which stay hints). Version 1's `delivered` means only that
// the request reached the destination; version 2's means the answer came back, which version 1
// never watched, so it is never mapped to a delivered trace (a test is traced only when its ping
// went unanswered). When runTrace returns TraceResultV2, `asVersion2` becomes `return run.result`
// and nothing else here or in its callers changes.

import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { expectedPath } from '../trace/expectedPath';
import { runTrace, type TraceRun } from '../trace/runTrace';
import type { TraceResultV2 } from '../trace/traceResultV2';
import type { Needs } from './slots';
import type { LabTestCase } from './types';

/** Version 1's result in version 2's shape, for a test whose ping went unanswered. */
export function asVersion2(run: TraceRun): TraceResultV2 {
  const v1 = run.result;
  const probe = v1.probe;
  const frames = (n: number) => `${n} ${probe === 'arp' ? 'ARP request' : 'ICMP echo request'} frame${n === 1 ? '' : 's'}`;
  const hops = v1.hops.map((hop) => ({ direction: 'request' as const, probe, ...hop }));
  const at = (e: { host: string; interface: string }) => `${e.host}:${e.interface}`;
  const evidence: string[] = [];
  let lostBetween: TraceResultV2['lostBetween'] = null;
  const last = v1.hops[v1.hops.length - 1];
  if (v1.delivered && last) {
    // The request arrived; where the answer went, version 1 did not look.
    const end = { host: last.host, interface: last.interface };
    lostBetween = { direction: 'reply', probe, from: end, to: end };
    evidence.push(`${at(end)} saw ${frames(last.count)} of this probe; the way back was not watched (the trace follows the request only), and the test's ping got no answer`);
  } else if (v1.lostBetween) {
    const lost = v1.lostBetween;
    lostBetween = { direction: 'request', probe, from: lost.from, to: lost.to, ...(lost.segment ? { segment: lost.segment } : {}) };
    const seen = v1.hops.find((h) => h.host === lost.from.host && h.interface === lost.from.interface);
    evidence.push(seen?.seen ? `${at(lost.from)} saw ${frames(seen.count)} of this probe; ${at(lost.to)} saw none` : `no capture point saw the probe, not even ${at(lost.from)}`);
  }
  for (const hint of v1.hints) if (/could not be watched/.test(hint)) evidence.push(hint);
  return {
    version: 2,
    from: v1.from,
    to: v1.to,
    delivered: false,
    probes: [probe],
    hops,
    lostBetween,
    cause: { kind: 'unknown', confidence: 'unknown', evidence },
    hints: v1.hints,
    elapsedMs: run.elapsedMs,
  };
}

/** The trace of one test: the same ping (source, address, size) followed through the lab. */
export async function traceTest(pool: SshPool, lab: Lab, test: LabTestCase, signal?: AbortSignal): Promise<TraceResultV2> {
  const run = await runTrace(pool, lab, { from: { host: test.from.host, interface: test.from.interface }, to: test.to, size: test.size, signal });
  return asVersion2(run);
}

/**
 * The SSH channels a trace of `test` holds at once on each host: it reads each host's state
 * first (one channel, closed before the captures start), then keeps one capture per point of
 * the path, and the source also runs the probe.
 */
export function traceNeeds(lab: Lab, test: LabTestCase): Needs {
  const captures: Needs = {};
  for (const point of expectedPath(lab, test.from, test.to).points) captures[point.host] = (captures[point.host] ?? 0) + 1;
  captures[test.from.host] = (captures[test.from.host] ?? 0) + 1;
  return Object.fromEntries(Object.entries(captures).map(([host, n]) => [host, Math.max(1, n)]));
}
