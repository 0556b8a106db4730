// The words of a test's verdict, in one place: the one line the CLI prints after a failed test,
// JUnit's failure message and the Testing view's test message; and the trace told line by line
// for the details.

import type { TraceResultV2 } from '../trace/traceResultV2';
import type { LabTestCase, PingCount } from './types';

const at = (e: { host: string; interface: string }) => `${e.host}:${e.interface}`;

export function answered(count: PingCount): string {
  return `${count.received} of ${count.sent} ping${count.sent === 1 ? '' : 's'} answered`;
}

/** Where a trace that was not delivered lost the probe: `lost between A and B (segment), request leg, arp`. */
export function tracePlace(trace: TraceResultV2): string {
  if (trace.delivered) return 'the trace was delivered';
  const lost = trace.lostBetween;
  if (!lost) return 'not delivered, place of loss unknown';
  if (lost.from.host === lost.to.host && lost.from.interface === lost.to.interface) return `${at(lost.to)} got the ${lost.probe} request; its answer did not come back`;
  return `lost between ${at(lost.from)} and ${at(lost.to)}${lost.segment ? ` (${lost.segment})` : ''}, ${lost.direction} leg, ${lost.probe}`;
}

/** The place and the cause's kind and confidence: `…, request leg, arp: mac-filter (proved)`. */
export function placeAndCause(trace: TraceResultV2): string {
  const place = tracePlace(trace);
  return trace.cause && !trace.delivered ? `${place}: ${trace.cause.kind} (${trace.cause.confidence})` : place;
}

/** The place, the cause, and the first thing measured: the one line of a failed test. */
export function traceVerdict(trace: TraceResultV2): string {
  const first = trace.delivered ? undefined : trace.cause?.evidence[0];
  return `${placeAndCause(trace)}${first ? `: ${first}` : ''}`;
}

/** The trace, line by line: each hop, the place, the evidence, the hints. */
export function traceLines(trace: TraceResultV2): string[] {
  const lines = [`trace ${at(trace.from)} -> ${trace.to}: ${trace.delivered ? 'delivered' : 'NOT DELIVERED'} (${(trace.elapsedMs / 1000).toFixed(1)} s)`];
  const width = Math.max(0, ...trace.hops.map((hop) => at(hop).length));
  for (const hop of trace.hops) lines.push(`  ${hop.seen ? '✔' : '✘'} ${hop.direction.padEnd(7)} ${hop.probe.padEnd(4)} ${at(hop).padEnd(width)} ${hop.encapsulated ? 'encapsulated ' : ''}${hop.count}`);
  if (!trace.delivered) lines.push(traceVerdict(trace));
  for (const evidence of trace.cause?.evidence ?? []) lines.push(`  measured: ${evidence}`);
  for (const hint of trace.hints) lines.push(`  hint: ${hint}`);
  return lines;
}

/** One line for a failed ping test, from what was measured. */
export function pingFailure(test: Pick<LabTestCase, 'expect' | 'size'>, count: PingCount, noRoute: boolean): string {
  if (test.expect === 'isolated') return `expected isolated, but ${answered(count)}: traffic passes`;
  if (noRoute) return 'the source has no route to the destination: the kernel refused to send';
  return `${answered(count)}${test.size !== undefined ? ` (${test.size} bytes of payload, don't fragment)` : ''}`;
}
