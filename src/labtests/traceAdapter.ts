// The one place lab tests meet the trace. A failed `reach` test is traced, and its result carries
// the trace in the shape `trace --json` version 2 gives (cli.md): the place, the leg, the probe,
// the cause with its kind, confidence and evidence.

import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { legsFor } from '../trace/legs';
import { MEASUREMENTS_PER_HOST } from '../trace/measure/hostLimit';
import { runTrace } from '../trace/runTrace';
import type { TraceResultV2 } from '../trace/traceResultV2';
import type { Needs } from './slots';
import type { LabTestCase } from './types';

/** The trace of one test: the same ping (source, address, size) followed through the lab. */
export async function traceTest(pool: SshPool, lab: Lab, test: LabTestCase, signal?: AbortSignal): Promise<TraceResultV2> {
  const run = await runTrace(pool, lab, { from: { host: test.from.host, interface: test.from.interface }, to: test.to, size: test.size, signal });
  return run.result;
}

/**
 * The SSH channels a trace of `test` holds at once on each host: one capture per watch point of
 * both legs (a point serves both), the measurements it may run there at once, and on the source
 * the probe itself.
 */
export function traceNeeds(lab: Lab, test: LabTestCase): Needs {
  const needs: Needs = {};
  for (const point of legsFor(lab, test.from, test.to).points) needs[point.host] = (needs[point.host] ?? MEASUREMENTS_PER_HOST) + 1;
  needs[test.from.host] = (needs[test.from.host] ?? MEASUREMENTS_PER_HOST) + 1;
  return needs;
}
