import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { lineReplacement, scriptKeyRange, withLineEnds, type TextReplacement } from '../../../src/commands/labTextEdit';
import { addScriptToLabText } from '../../../src/scripts/addScript';
import { SCRIPT_TEMPLATES } from '../../../src/scripts/templates';
import { DEMO_FILE } from '../views/hostStates';

function apply(text: string, replacement: TextReplacement | undefined): string {
  return replacement ? text.slice(0, replacement.start) + replacement.text + text.slice(replacement.end) : text;
}

describe('editing a lab file in place', () => {
  it('replaces only the lines that differ, and whole lines', () => {
    const before = 'a: 1\nb: 2\nc: 3\n';
    const after = 'a: 1\nb: 20\nc: 3\n';
    const replacement = lineReplacement(before, after)!;
    assert.deepEqual(replacement, { start: 5, end: 10, text: 'b: 20\n' });
    assert.equal(apply(before, replacement), after);
  });

  it('appends at the end, and changes nothing when the text is the same', () => {
    const before = 'scripts:\n  a: { run: x }\n';
    const after = `${before}  b: { run: y }\n`;
    const replacement = lineReplacement(before, after)!;
    assert.deepEqual(replacement, { start: before.length, end: before.length, text: '  b: { run: y }\n' });
    assert.equal(lineReplacement(before, before), undefined);
  });

  it('never cuts a CRLF in two, and always gives the new text', () => {
    const cases: [string, string][] = [
      ['a\r\nb\r\n', 'a\r\nxb\r\n'],
      ['a\r\nb', 'a\r\nb\r\nc'],
      ['x', ''],
      ['', 'y\n'],
      ['same start\nend', 'same start\nother\nend'],
      ['aaa\n', 'aa\n'],
    ];
    for (const [before, after] of cases) {
      const replacement = lineReplacement(before, after)!;
      assert.equal(apply(before, replacement), after, JSON.stringify([before, after]));
      assert.ok(replacement.start === 0 || before[replacement.start - 1] === '\n', `starts a line: ${JSON.stringify(before)}`);
      assert.ok(replacement.end === before.length || before[replacement.end - 1] === '\n', `ends a line: ${JSON.stringify(before)}`);
    }
  });

  it('gives the new text the document’s line ends', () => {
    assert.equal(withLineEnds('a\nb\n', '\r\n'), 'a\r\nb\r\n');
    assert.equal(withLineEnds('a\r\nb\n', '\n'), 'a\nb\n');
    assert.equal(withLineEnds('a\r\nb\n', '\r\n'), 'a\r\nb\r\n');
  });

  it('finds where the new script is written, in the demo lab with a template added', () => {
    const text = readFileSync(DEMO_FILE, 'utf8');
    const added = addScriptToLabText(text, SCRIPT_TEMPLATES.find((template) => template.name === 'show-versions')!, ['ovs-a']);
    const range = scriptKeyRange(added.text, added.name)!;
    assert.equal(added.text.slice(range.start, range.end), 'show-versions');
    assert.match(added.text.slice(added.text.lastIndexOf('\n', range.start) + 1, range.end), /^ {2}show-versions$/);
    assert.equal(scriptKeyRange(added.text, 'nope'), undefined);
    assert.equal(scriptKeyRange('version: 1\n', 'x'), undefined);
  });
});
