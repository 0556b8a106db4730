// What a run of a lab's tests works on and hands back: the tests, expanded (a mesh becomes one
// test per ordered pair), and one result each. Plain data: the CLI prints it as text, JSON or
// JUnit XML, the editor's Testing view shows it.

import type { Finding } from '../doctor/types';
import type { TestEndpoint } from '../lab/testEndpoints';
import type { SourceRange, TestExpect } from '../lab/types';
import type { TraceResultV2 } from '../trace/traceResultV2';

/** One ping to run: a test of the file, or one pair of a mesh. */
export interface LabTestCase {
  /** Unique in the lab: the test's name, or `<mesh>: <from> -> <to>` for a pair of a mesh. */
  name: string;
  /** The name of the test in the file it comes from (the mesh's, for each of its pairs). */
  declared: string;
  group?: string;
  from: TestEndpoint;
  /** The address pinged. */
  to: string;
  /** The host holding `to`, when it is one of the lab's. */
  toHost?: string;
  expect: TestExpect;
  /** ICMP payload bytes, sent with don't-fragment; absent: ping's own 56 and fragmentation allowed. */
  size?: number;
  count: number;
  /** The declared test's name in the lab file. */
  range: SourceRange;
}

/** How many pings went out and came back. */
export interface PingCount {
  sent: number;
  received: number;
}

export interface LabTestResult {
  name: string;
  /** `host:interface`; for a doctor finding, its host. */
  from: string;
  to: string;
  expect: TestExpect;
  passed: boolean;
  ms: number;
  /** The trace of a failed `reach` test (trace --json version 2); null otherwise. */
  trace: TraceResultV2 | null;
  ping: PingCount | null;
  /** Why it failed, in one line (the trace's place and cause, or what was measured); absent when passed. */
  message?: string;
  /** More of the why: the trace's evidence and hints, ping's own words. */
  details: string[];
  /** Stopped before it had its answer (Ctrl-C, Cancel in the editor): neither passed nor measured. */
  cancelled?: boolean;
  /** For `--doctor`: the doctor's finding this result stands for. */
  finding?: Finding;
  /** Where the test (or the finding) is written in the lab file. */
  range?: SourceRange;
}

export interface LabTestRun {
  results: LabTestResult[];
  ms: number;
}
