// The editor reads one shape of trace result: version 2 (src/trace/traceResultV2.ts). This is the
// one seam to what runTrace returns, so that the editor builds on either side of the core's move
// to version 2: a version 2 result is used as it is; the earlier result (the request leg only,
// no cause) is carried over without inventing anything it did not measure. Once every trace core
// returns version 2, the earlier branch goes and this is `run.result` (or `run`).

import type { TraceHopV2, TraceResultV2 } from '../trace/traceResultV2';

/** The first trace result: the request leg of one probe, and hints. Spelled out here, not imported, so that this file builds after it is gone. */
interface EarlierTraceResult {
  from: { host: string; interface: string; address?: string };
  to: string;
  probe: 'arp' | 'icmp';
  delivered: boolean;
  hops: { host: string; interface: string; seen: boolean; encapsulated: boolean; count: number }[];
  lostBetween: { from: { host: string; interface: string }; to: { host: string; interface: string }; segment: string } | null;
  hints: string[];
}

/** What runTrace resolves to: the version 2 result itself, or a run that carries a result and its time. */
export type TraceOutcome = TraceResultV2 | { result: TraceResultV2 | EarlierTraceResult; elapsedMs: number };

function isVersion2(value: object): value is TraceResultV2 {
  return (value as { version?: unknown }).version === 2;
}

export function traceResultOf(outcome: TraceOutcome): TraceResultV2 {
  if (isVersion2(outcome)) return outcome;
  const { result, elapsedMs } = outcome;
  if (isVersion2(result)) return result;
  const hops: TraceHopV2[] = result.hops.map((hop) => ({ direction: 'request', probe: result.probe, ...hop }));
  return {
    version: 2,
    from: result.from,
    to: result.to,
    delivered: result.delivered,
    probes: [result.probe],
    hops,
    lostBetween: result.lostBetween ? { direction: 'request', probe: result.probe, ...result.lostBetween } : null,
    // The earlier core measured no cause: say so rather than promote its hints to one.
    cause: result.delivered ? null : { kind: 'unknown', confidence: 'unknown', evidence: [] },
    hints: result.hints,
    elapsedMs,
  };
}
