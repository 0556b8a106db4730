import { strict as assert } from 'node:assert';
import { loadLabText } from '../../../src/lab/load';
import type { LabDiagnostic } from '../../../src/lab/types';
import { countDiagnostics, describeCounts, describePosition, toZeroBasedRange } from '../../../src/views/diagnosticsModel';

const diagnostic = (severity: LabDiagnostic['severity']): LabDiagnostic => ({
  file: 'x.lab.yaml',
  severity,
  message: 'm',
  range: { line: 1, col: 1, endLine: 1, endCol: 2 },
});

describe('diagnostics for the editor', () => {
  it('moves every position one back, the end staying exclusive', () => {
    assert.deepEqual(toZeroBasedRange({ line: 4, col: 15, endLine: 4, endCol: 19 }), { startLine: 3, startCharacter: 14, endLine: 3, endCharacter: 18 });
    assert.deepEqual(toZeroBasedRange({ line: 1, col: 1, endLine: 1, endCol: 1 }), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
    assert.deepEqual(toZeroBasedRange({ line: 2, col: 3, endLine: 5, endCol: 1 }), { startLine: 1, startCharacter: 2, endLine: 4, endCharacter: 0 });
  });

  it('never gives VS Code a negative position', () => {
    assert.deepEqual(toZeroBasedRange({ line: 0, col: 0, endLine: 0, endCol: 0 }), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
  });

  it('covers exactly the text the checker pointed at', () => {
    const text = 'version: 1\nname: x\nhosts:\n  a: { ssh: { hots: 1 } }\n';
    const [first] = loadLabText(text, 'x.lab.yaml').diagnostics;
    const range = toZeroBasedRange(first.range);
    const line = text.split('\n')[range.startLine];
    assert.equal(line.slice(range.startCharacter, range.endCharacter), 'hots');
  });

  it('counts and words errors and warnings', () => {
    const counts = countDiagnostics([diagnostic('error'), diagnostic('error'), diagnostic('warning')]);
    assert.deepEqual(counts, { errors: 2, warnings: 1 });
    assert.equal(describeCounts(counts), '2 errors, 1 warning');
    assert.equal(describeCounts({ errors: 0, warnings: 2 }), '2 warnings');
    assert.equal(describeCounts({ errors: 1, warnings: 0 }), '1 error');
    assert.equal(describeCounts({ errors: 0, warnings: 0 }), 'no problems');
    assert.equal(describePosition({ line: 3, col: 5, endLine: 3, endCol: 9 }), 'line 3, col 5');
  });
});
