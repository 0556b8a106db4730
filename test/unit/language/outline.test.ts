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

describe('language: outline with anchors and a half-typed line', () => {
  it('lists a bridge written as an alias or with a merge where it is written, and the hosts around a line being typed', () => {
    const text = 'version: 1\nname: x\nx-br: &br { kind: ovs, ports: [eth1] }\nhosts:\n  a:\n    ssh: { host: 10.0.0.1 }\n    bridges:\n      br0: *br\n      br1:\n        <<: *br\n        address: 10.1.0.1/24\n  b:\n    ssh: { jump: a }\n    bridg\n  c: { ssh: { jump: b } }\n';
    assert.deepEqual(tree(labOutline(new LabText(text, 'x'))), [['hosts', [['a', ['br0', 'br1']], 'b', 'c']]]);
  });
});

describe('language: the tree parsed piece by piece', () => {
  function placed(text: LabText): string[] {
    return text.scalars().map((s) => `${s.path.join('.')}|${s.role}|${s.text}|${s.start}-${s.end}`);
  }

  it('reuses the pieces of the last version and places every scalar where a fresh parse does', () => {
    const before = new LabText(DEMO_TEXT, 'x');
    const edited = DEMO_TEXT.replace('  ovs-b:\n', '  ovs-b:\n    # a comment typed here\n').replace('  test-b:\n', '  test-b:\n    sudo: true\n');
    const reused = new LabText(edited, 'x', before);
    const fresh = new LabText(edited, 'x');
    assert.deepEqual(placed(reused), placed(fresh));
    for (const s of reused.scalars().filter((x) => x.node.type === 'PLAIN')) assert.equal(edited.slice(s.start, s.end), s.text, `${s.text} is where it says`);
    assert.ok(placed(reused).includes(`hosts.test-b|key|sudo|${edited.indexOf('sudo: true')}-${edited.indexOf('sudo: true') + 4}`));
    assert.deepEqual(tree(labOutline(reused)), tree(labOutline(fresh)));
  });

  it('reads a file whose top level is one flow map as one piece', () => {
    const text = new LabText('{ version: 1, name: x, hosts: { a: { bridges: { br0: { ports: [e1] } } } } }\n', 'x');
    assert.deepEqual(tree(labOutline(text)), [['hosts', [['a', [['br0', ['e1']]]]]]]);
  });
});
