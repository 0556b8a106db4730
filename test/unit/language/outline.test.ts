import { strict as assert } from 'node:assert';
import { LabText } from '../../../src/language/labText';
import { labOutline, type LabSymbol } from '../../../src/language/outline';
import { DEMO_TEXT } from './helpers';

function tree(symbols: LabSymbol[]): unknown[] {
  return symbols.map((s) => (s.children.length ? [s.name, tree(s.children)] : s.name));
}

describe('language: outline', () => {
  it('nests hosts, their interfaces, bridges and ports, then segments and scripts', () => {
    const outline = labOutline(new LabText(DEMO_TEXT, 'x'));
    assert.deepEqual(tree(outline), [
      ['hosts', [['ovs-a', ['eth0', 'eth2', ['br-phy', ['eth0']], ['br0', ['eth2', 'vx0']]]], ['ovs-b', ['eth0', 'eth2', ['br-phy', ['eth0']], ['br0', ['eth2', 'vx0']]]], ['test-a', ['eth2']], ['test-b', ['eth2']]]],
      ['segments', ['cn-a', 'cn-b', 'wan']],
      ['scripts', ['versions', 'show-ovs']],
    ]);
    const vx0 = outline[0].children[0].children[3].children[1];
    assert.equal(vx0.detail, 'vxlan → ovs-b');
    assert.equal(DEMO_TEXT.split('\n')[vx0.selectionRange.line - 1].slice(vx0.selectionRange.col - 1, vx0.selectionRange.endCol - 1), 'vx0');
  });

  it('keeps an outline in a file with a syntax error below, in block and flow styles, and lists tests', () => {
    const text = 'version: 1\nname: x\nhosts:\n  a:\n    bridges: { br0: { ports: [eth1, { name: t0, type: gre, remote: b }] } }\n  b: {}\ntests:\n  reach: { from: a, to: b }\nscripts:\n  s: { run: "unterminated\n';
    const outline = labOutline(new LabText(text, 'x'));
    assert.deepEqual(tree(outline).slice(0, 2), [['hosts', [['a', [['br0', ['eth1', 't0']]]], 'b']], ['tests', ['reach']]]);
  });
});
