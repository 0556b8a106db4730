// Diagnostics about a lab file: collected while reading and validating, printed as
// `FILE:LINE:COL: error|warning: message` (the format compilers use, so editors and CI
// annotators turn them into links without help).

import type { LabDiagnostic, Severity, SourceRange } from './types';

/** The start of the file: for what is missing from the file as a whole (no `version`, an empty file). */
export const START_OF_FILE: SourceRange = { line: 1, col: 1, endLine: 1, endCol: 1 };

/** `FILE:LINE:COL: error|warning: message`, as `overlay-lab validate` prints it. */
export function formatDiagnostic(d: LabDiagnostic): string {
  return `${d.file}:${d.range.line}:${d.range.col}: ${d.severity}: ${d.message}`;
}

export function hasErrors(diagnostics: readonly LabDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `line N`, for messages that point at a second place in the file. */
export function lineOf(range: SourceRange): string {
  return `line ${range.line}`;
}

/**
 * Collects the diagnostics of one file. A node reached through several YAML aliases is read
 * several times; the same finding at the same place is kept once.
 */
export class DiagnosticSink {
  private readonly items: LabDiagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly file: string) {}

  error(range: SourceRange, message: string): void {
    this.add('error', range, message);
  }

  warning(range: SourceRange, message: string): void {
    this.add('warning', range, message);
  }

  add(severity: Severity, range: SourceRange, message: string): void {
    const key = `${severity}|${range.line}:${range.col}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ file: this.file, severity, message, range });
  }

  /** In file order, so that the CLI reads top to bottom; errors before warnings at one place. */
  sorted(): LabDiagnostic[] {
    return [...this.items].sort(
      (a, b) =>
        a.range.line - b.range.line ||
        a.range.col - b.range.col ||
        (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
    );
  }
}
