// Lab diagnostics as the editor wants them, without the editor: positions from the lab's
// 1-based lines and columns to VS Code's 0-based ones, and counts for summaries.

import type { LabDiagnostic, SourceRange } from '../lab/types';

/** VS Code's `Range` fields: 0-based line and character (UTF-16 code units), end exclusive. */
export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/**
 * Both sides count columns in UTF-16 code units and end exclusive, so the conversion is exactly
 * one off on each number. Only a malformed 0 is clamped, since VS Code rejects negative positions.
 */
export function toZeroBasedRange(range: SourceRange): ZeroBasedRange {
  return {
    startLine: Math.max(0, range.line - 1),
    startCharacter: Math.max(0, range.col - 1),
    endLine: Math.max(0, range.endLine - 1),
    endCharacter: Math.max(0, range.endCol - 1),
  };
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
}

export function countDiagnostics(diagnostics: readonly LabDiagnostic[]): DiagnosticCounts {
  let errors = 0;
  let warnings = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning`, `1 warning`, or `no problems`. */
export function describeCounts({ errors, warnings }: DiagnosticCounts): string {
  const parts = [];
  if (errors) parts.push(plural(errors, 'error'));
  if (warnings) parts.push(plural(warnings, 'warning'));
  return parts.length ? parts.join(', ') : 'no problems';
}

/** `line 3, col 5`: where a diagnostic points, as people read it. */
export function describePosition(range: SourceRange): string {
  return `line ${range.line}, col ${range.col}`;
}
