// A test's verdict in the editor's words: the test message's text, and the trace drawn on the
// topology (the panel's TraceOverlay) from the trace a failed test carries. Pure.

import { placeAndCause } from '../../labtests/describe';
import type { LabTestResult } from '../../labtests/types';
import type { TraceResultV2 } from '../../trace/traceResultV2';
import type { TraceOverlay } from '../../webview/protocol';

/** The message first (the trace's place and cause, or what was measured), then the evidence and hints. */
export function failureText(result: LabTestResult): string {
  return [result.message ?? 'failed', ...result.details.map((d) => `  ${d}`)].join('\n');
}

export function testTraceOverlay(trace: TraceResultV2): TraceOverlay {
  const route = `${trace.from.host}:${trace.from.interface} → ${trace.to}`;
  const lost = trace.lostBetween;
  // The topology marks the points of the request's path; the answer retraces them.
  const request = trace.hops.filter((hop) => hop.direction === 'request' && hop.probe === (lost?.probe ?? trace.probes[trace.probes.length - 1]));
  return {
    delivered: trace.delivered,
    summary: `${route}: ${trace.delivered ? 'delivered' : placeAndCause(trace)}.`,
    points: request.map((hop) => ({ host: hop.host, iface: hop.interface, seen: hop.seen, count: hop.count, encapsulated: hop.encapsulated })),
    lostBetween: lost ? { from: { host: lost.from.host, iface: lost.from.interface }, to: { host: lost.to.host, iface: lost.to.interface } } : undefined,
    hint: trace.cause?.evidence[0] ?? trace.hints[0],
  };
}
