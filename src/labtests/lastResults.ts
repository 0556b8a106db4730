// The last result of each lab test, kept in one place: the Testing view records each result here
// and reports the test from what was recorded, and the lab file's hover reads the same entries.
// An entry stays until the same test gives a new one (a cancelled run leaves the last one as it
// was); a test whose sending changed in the file keeps its entry, marked out of date.

import { systemClock, type Clock } from '../util/clock';
import type { LabTestCase, LabTestResult } from './types';

/** As the Testing view says it: passed, failed (a measured verdict), errored (could not run). */
export type LastResultStatus = 'passed' | 'failed' | 'errored';

export interface LastTestResult {
  /** The test's name; for a pair of a mesh, `<mesh>: <from> -> <to>`. */
  name: string;
  /** The name of the test in the file (the mesh's, for each of its pairs). */
  declared: string;
  status: LastResultStatus;
  /** When the result came, ms since the epoch. */
  at: number;
  /** How long the test took; 0 for one that could not run. */
  ms: number;
  /** The run's result; absent for a test that errored before it ran. */
  result?: LabTestResult;
  /** For an errored test: why it could not run. */
  error?: string;
  /** The test was changed in the file after this result. */
  outdated?: boolean;
}

export class LastTestResults {
  private readonly labs = new Map<string, Map<string, LastTestResult>>();

  constructor(private readonly clock: Pick<Clock, 'now'> = systemClock) {}

  /** A test's result; a cancelled one records nothing (undefined) and leaves the last result. */
  record(labKey: string, test: Pick<LabTestCase, 'name' | 'declared'>, result: LabTestResult): LastTestResult | undefined {
    if (result.cancelled) return undefined;
    return this.put(labKey, { name: test.name, declared: test.declared, status: result.passed ? 'passed' : 'failed', at: this.clock.now(), ms: result.ms, result });
  }

  /** A test that could not run (the file has errors, the run broke before its answer). */
  recordError(labKey: string, test: Pick<LabTestCase, 'name' | 'declared'>, error: string): LastTestResult {
    return this.put(labKey, { name: test.name, declared: test.declared, status: 'errored', at: this.clock.now(), ms: 0, error });
  }

  /** The tests named were changed in the file: their results no longer say how they would do. */
  markOutdated(labKey: string, names: Iterable<string>): void {
    const lab = this.labs.get(labKey);
    if (!lab) return;
    for (const name of names) {
      const entry = lab.get(name);
      if (entry) lab.set(name, { ...entry, outdated: true });
    }
  }

  get(labKey: string, name: string): LastTestResult | undefined {
    return this.labs.get(labKey)?.get(name);
  }

  /** The results of one test of the file: one, or one per pair of a mesh, in the order they came first. */
  ofDeclared(labKey: string, declared: string): LastTestResult[] {
    return [...(this.labs.get(labKey)?.values() ?? [])].filter((entry) => entry.declared === declared);
  }

  private put(labKey: string, entry: LastTestResult): LastTestResult {
    let lab = this.labs.get(labKey);
    if (!lab) this.labs.set(labKey, (lab = new Map()));
    lab.set(entry.name, entry);
    return entry;
  }
}
