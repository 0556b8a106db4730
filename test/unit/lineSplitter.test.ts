import { strict as assert } from 'node:assert';
import { LineSplitter } from '../../src/util/lineSplitter';

describe('LineSplitter', () => {
  function split(chunks: (string | Buffer)[]): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    return lines;
  }

  it('joins lines cut across chunks and keeps the last unterminated one', () => {
    assert.deepEqual(split(['a\nb', 'c\n', 'd']), ['a', 'bc', 'd']);
  });

  it('drops the CR of CRLF (pty output)', () => {
    assert.deepEqual(split(['one\r\ntwo\r', '\n']), ['one', 'two']);
  });

  it('never splits a UTF-8 character cut between chunks', () => {
    const bytes = Buffer.from('→ ok\n', 'utf8');
    assert.deepEqual(split([bytes.subarray(0, 1), bytes.subarray(1)]), ['→ ok']);
  });

  it('emits empty lines, and nothing for an empty stream', () => {
    assert.deepEqual(split(['\n\n']), ['', '']);
    assert.deepEqual(split([]), []);
  });
});
