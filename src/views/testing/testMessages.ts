// A test's verdict in the editor's words: the test message's text. (Its trace is drawn by the
// same overlay a Trace Path draws, commands/traceReport's traceOverlay.) Pure.

import type { LabTestResult } from '../../labtests/types';

/** The message first (the trace's place and cause, or what was measured), then the evidence and hints. */
export function failureText(result: LabTestResult): string {
  return [result.message ?? 'failed', ...result.details.map((d) => `  ${d}`)].join('\n');
}
