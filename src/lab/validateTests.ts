// `tests:` against the rest of the lab: the hosts and devices a test names exist and hold an
// address and both ends are of one IP family. (A name used twice is YAML's own error.) Where
// a test names an address no host of the lab holds, the trace cannot follow a failure beyond the
// source: said as a warning, since a test that traffic must not reach such an address is fair.

import { parseIp } from './addresses';
import type { DiagnosticSink } from './diagnostics';
import { nameProblem } from './names';
import { hostOwningAddress } from './resolve';
import { familyOf, overlayAddresses, resolveTestDestination, resolveTestSource } from './testEndpoints';
import type { Lab } from './types';

/** A `host[:interface]` that broke its pattern was reported as read; it names nothing. */
function wellFormed(written: string): boolean {
  if (parseIp(written)) return true;
  const colon = written.indexOf(':');
  if (colon < 0) return !nameProblem('host', written);
  return !nameProblem('host', written.slice(0, colon)) && !nameProblem('interface', written.slice(colon + 1));
}

export function validateTests(lab: Lab, sink: DiagnosticSink): void {
  for (const test of lab.tests ?? []) {
    if (test.mesh) {
      if (overlayAddresses(lab).length < 2) sink.warning(test.range, `test ${test.name} is a mesh, but the lab declares fewer than two overlay addresses: it expands to no test`);
      continue;
    }
    if (test.from === undefined || test.to === undefined || !wellFormed(test.from) || !wellFormed(test.to)) continue; // reported as read
    const fromAt = test.fieldRanges?.from ?? test.range;
    const toAt = test.fieldRanges?.to ?? test.range;
    const source = resolveTestSource(lab, test.from);
    if (!source.ok) sink.error(fromAt, `test ${test.name}: from ${JSON.stringify(test.from)}: ${source.problem}`);
    const destination = resolveTestDestination(lab, test.to);
    if (!destination.ok) {
      sink.error(toAt, `test ${test.name}: to ${JSON.stringify(test.to)}: ${destination.problem}`);
      continue;
    }
    if (source.ok && familyOf(source.endpoint.address) !== familyOf(destination.address)) {
      sink.error(toAt, `test ${test.name}: from ${source.endpoint.host}:${source.endpoint.interface} holds ${source.endpoint.address}, which cannot ping ${destination.address} (another IP family)`);
      continue;
    }
    if (source.ok && destination.endpoint?.host === source.endpoint.host) {
      sink.warning(toAt, `test ${test.name}: ${destination.address} is on ${source.endpoint.host} itself, so the ping never leaves the host`);
    }
    if (test.expect === 'reach' && !hostOwningAddress(lab, destination.address)) {
      sink.warning(toAt, `test ${test.name}: no host of the lab holds ${destination.address}, so a failure can be traced no further than ${source.ok ? source.endpoint.host : 'the source'}`);
    }
  }
}
