// Drift in the editor: each drift item becomes a diagnostic at the line that declares what
// drifted ("ovs-a: bridge br0 is missing" on `br0:`). Without the editor.

import type { LabState } from '../hosts/types';
import type { Lab, SourceRange } from '../lab/types';
import { driftSentence } from './liveTreeModel';

export const DRIFT_SOURCE = 'overlay-lab drift';

export interface DriftDiagnostic {
  range: SourceRange;
  message: string;
  /** Missing items are what apply has not made yet; anything else changed behind the lab's back. */
  severity: 'information' | 'warning';
}

const START: SourceRange = { line: 1, col: 1, endLine: 1, endCol: 1 };

export function driftDiagnostics(lab: Lab, state: LabState | undefined): DriftDiagnostic[] {
  if (!state) return [];
  const hosts = new Map(lab.hosts.map((host) => [host.name, host]));
  return state.drift
    .filter((item) => hosts.has(item.subject.host))
    .map((item) => ({
      // An item the file has no line for (a host-wide one) sits on the host's name.
      range: item.range ?? hosts.get(item.subject.host)?.range ?? START,
      message: driftSentence(item),
      severity: item.status === 'missing' ? 'information' : 'warning',
    }));
}
