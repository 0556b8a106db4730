import { strict as assert } from 'node:assert';
import { LabText } from '../../../src/language/labText';
import { definitionsAt, referencesAt } from '../../../src/language/navigation';
import { DEMO_TEXT, demoWith } from './helpers';

function textAt(text: LabText, range: { line: number; col: number; endLine: number; endCol: number }): string {
  const { start, end } = text.offsetsOf(range);
  return text.text.slice(start, end);
}

describe('language: definition and references', () => {
  const demo = new LabText(DEMO_TEXT, 'demo.lab.yaml');

  it('goes from remote:, jump: and a script host to the host', () => {
    for (const [at, shift] of [['remote: ovs-b', 9], ['jump: ovs-a', 7], ['hosts: [ovs-a', 9]] as const) {
      const [target] = definitionsAt(demo, DEMO_TEXT.indexOf(at) + shift);
      assert.ok(target, `a definition for ${at}`);
      assert.equal(textAt(demo, target), at.slice(-5));
      assert.match(DEMO_TEXT.split('\n')[target.line - 1], new RegExp(`^  ${at.slice(-5)}:`));
    }
  });

  it("goes from a segment member's interface to that host's interface", () => {
    const [target] = definitionsAt(demo, DEMO_TEXT.indexOf('test-b:eth2]') + 9);
    assert.equal(textAt(demo, target), 'eth2');
    const testB = DEMO_TEXT.indexOf('  test-b:');
    assert.ok(demo.offsetsOf(target).start > testB, 'the eth2 of test-b, not of another host');
  });

  it('finds every reference of a host, back from its definition', () => {
    const refs = referencesAt(demo, DEMO_TEXT.indexOf('  ovs-a:') + 3, false);
    const lines = refs.map((r) => DEMO_TEXT.split('\n')[r.line - 1].trim());
    assert.deepEqual(lines, ['- { name: vx0, type: vxlan, remote: ovs-a }', 'ssh: { host: 10.213.1.2, jump: ovs-a }', 'cn-a: { members: [ovs-a:eth2, test-a:eth2], note: provider private network (site A) }', 'wan: { members: [ovs-a:eth0, ovs-b:eth0], underlay: true }', 'hosts: [ovs-a, ovs-b]']);
    assert.equal(referencesAt(demo, DEMO_TEXT.indexOf('  ovs-a:') + 3, true).length, refs.length + 1);
  });

  it('goes from an alias to its anchor, and works in a file with errors and quoted names', () => {
    const text = new LabText(demoWith('hosts:\n', 'x-ovs: &ovs { kind: ovs }\nhosts:\n').replace('        kind: ovs\n        datapath: netdev\n        address: 10.213.50.1/24', '        <<: *ovs\n        colour: red\n        address: 10.213.50.1/24').replace('remote: ovs-a }', 'remote: "ovs-a" }'), 'x');
    const [anchor] = definitionsAt(text, text.text.indexOf('*ovs') + 2);
    assert.equal(textAt(text, anchor), '&ovs');
    const [host] = definitionsAt(text, text.text.indexOf('"ovs-a"') + 3);
    assert.equal(textAt(text, host), 'ovs-a');
  });

  it('goes to a host and finds its references while a line below is half typed, in block and flow styles', () => {
    const source = 'version: 1\nname: x\nhosts:\n  a:\n    ssh: { host: 10.0.0.1 }\n  b:\n    ssh:\n      jump: a\n    bridg\n  c: { ssh: { jump: a } }\n';
    const text = new LabText(source, 'x');
    const [target] = definitionsAt(text, source.indexOf('jump: a') + 6);
    assert.equal(source.split('\n')[target.line - 1], '  a:');
    const refs = referencesAt(text, source.indexOf('  a:') + 2, false).map((r) => source.split('\n')[r.line - 1].trim());
    assert.deepEqual(refs, ['jump: a', 'c: { ssh: { jump: a } }']);
  });
});
