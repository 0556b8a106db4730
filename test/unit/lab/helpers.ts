// Shared by the lab tests: inline YAML with literal line numbers, and assertions on diagnostics.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/lab/diagnostics';
import { loadLabText } from '../../../src/lab/load';
import type { Lab, LabDiagnostic } from '../../../src/lab/types';

export const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'labs');
export const EXAMPLES = join(ROOT, 'examples');

/**
 * A template tag for YAML written inside a test: drops the first line break and the common
 * indentation, so that line 1 of the file is the first line of the literal.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const common = Math.min(...indents);
  return lines.map((l) => l.slice(common)).join('\n').replace(/[ ]+$/, '');
}

export function diagnosticsOf(text: string, file = 'test.lab.yaml'): LabDiagnostic[] {
  return loadLabText(text, file).diagnostics;
}

export function loadClean(text: string): Lab {
  const result = loadLabText(text, 'test.lab.yaml');
  assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], 'expected no diagnostics');
  assert.ok(result.lab, 'expected a model');
  return result.lab;
}

/** One expected diagnostic: where it starts, its severity, and a fragment of its message. */
export type Expected = [where: `${number}:${number}`, severity: 'error' | 'warning', fragment: string];

/**
 * The file's diagnostics are exactly these, in order (file order). Exactness matters: a rule
 * must not drag along reports of other rules it set off.
 */
export function expectExactly(text: string, expected: Expected[]): LabDiagnostic[] {
  const result = loadLabText(text, 'test.lab.yaml');
  const actual = result.diagnostics;
  const show = () => actual.map(formatDiagnostic).join('\n');
  assert.equal(actual.length, expected.length, `expected ${expected.length} diagnostics, got:\n${show()}`);
  expected.forEach(([where, severity, fragment], i) => {
    const d = actual[i];
    assert.equal(`${d.range.line}:${d.range.col}`, where, `diagnostic ${i} position; got:\n${show()}`);
    assert.equal(d.severity, severity, `diagnostic ${i} severity; got:\n${show()}`);
    assert.ok(d.message.includes(fragment), `diagnostic ${i} should contain ${JSON.stringify(fragment)}; got:\n${show()}`);
  });
  if (expected.some(([, severity]) => severity === 'error')) assert.equal(result.lab, undefined, 'no model when there is an error');
  else assert.ok(result.lab, 'a model when there are only warnings');
  return actual;
}

/** The one diagnostic of a file, which must be at `where` and mention `fragment`. */
export function expectOne(text: string, where: Expected[0], severity: Expected[1], fragment: string): LabDiagnostic {
  return expectExactly(text, [[where, severity, fragment]])[0];
}
