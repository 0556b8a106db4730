import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { quoteWord, shellCommand } from '../../src/util/shell';

describe('shell quoting', () => {
  it('leaves plain words bare and quotes the rest', () => {
    assert.equal(shellCommand(['ovs-vsctl', '--may-exist', 'add-br', 'br0']), 'ovs-vsctl --may-exist add-br br0');
    assert.equal(quoteWord(''), "''");
    assert.equal(quoteWord('a b'), "'a b'");
  });

  it('round-trips hostile words through a real shell', () => {
    const words = ['$(touch /tmp/pwned)', "it's", '`id`', 'a;b', 'x\ny', '*', '~root', '"q"', '\\', '-e', ' lead'];
    const script = `for w in ${words.map(quoteWord).join(' ')}; do printf '%s\\0' "$w"; done`;
    const out = execFileSync('sh', ['-c', script]).toString('utf8').split('\0').slice(0, -1);
    assert.deepEqual(out, words);
  });
});
