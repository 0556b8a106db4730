import { strict as assert } from 'node:assert';
import { completeAt } from '../../../src/language/completion';
import { NO_LIVE_FACTS } from '../../../src/language/liveFacts';
import { LabText } from '../../../src/language/labText';
import { configuredFacts, demoWith, DEMO_TEXT, DOCS, withCursor } from './helpers';

function labels(marked: string, facts = NO_LIVE_FACTS): string[] {
  const { text, offset } = withCursor(marked);
  return completeAt(text.text, offset, text.lab, facts, DOCS).items.map((item) => item.label);
}

describe('language: completion', () => {
  it("lists the lab's other hosts after remote: in a flow-style port", () => {
    const marked = demoWith('{ name: vx0, type: vxlan, remote: ovs-a }', '{ name: vx0, type: vxlan, remote: ¦ }');
    assert.deepEqual(labels(marked), ['ovs-a', 'test-a', 'test-b']);
  });

  it('lists hosts after jump: in a block-style ssh map, and narrows nothing itself (the editor filters)', () => {
    const marked = demoWith('    ssh: { host: 10.213.1.2, jump: ovs-a }', '    ssh:\n      host: 10.213.1.2\n      jump: ov¦');
    assert.deepEqual(labels(marked), ['ovs-a', 'ovs-b', 'test-b']);
  });

  it('completes a half-typed key with the keys the object still lacks, documented from docs/lab-format.md', () => {
    const marked = demoWith('        address: 10.213.50.1/24\n', '        address: 10.213.50.1/24\n        mt¦\n');
    const { text, offset } = withCursor(marked);
    const answer = completeAt(text.text, offset, text.lab, NO_LIVE_FACTS, DOCS);
    const names = answer.items.map((i) => i.label);
    assert.ok(names.includes('mtu') && names.includes('underlay'), names.join(' '));
    assert.ok(!names.includes('address') && !names.includes('kind') && !names.includes('ports'), 'keys already written are not offered');
    const mtu = answer.items.find((i) => i.label === 'mtu')!;
    assert.match(mtu.documentation ?? '', /bridges\.<br>\.address` \/ `mtu`|as for interfaces/);
    assert.equal(text.text.slice(answer.replaceStart, answer.replaceEnd), 'mt', 'the typed part is what the item replaces');
  });

  it('offers the interfaces a host really has (last known state) for a port, and the declared ones', () => {
    const marked = demoWith('          - eth2\n          - { name: vx0, type: vxlan, remote: ovs-b }', '          - eth2\n          - ¦\n          - { name: vx0, type: vxlan, remote: ovs-b }');
    const live = labels(marked, configuredFacts(new LabText(DEMO_TEXT, 'x')));
    assert.ok(live.includes('to-test-a') && live.includes('mgmt0'), `live links of ovs-a: ${live.join(' ')}`);
    assert.ok(!live.includes('lo'), 'loopback is no port');
    const offline = labels(marked);
    assert.ok(!offline.includes('to-test-a'), 'without a reading only declared devices are offered');
    assert.ok(offline.includes('eth0') && offline.includes('br0'));
  });

  it('offers host:interface pairs for a segment member in a flow list', () => {
    const names = labels(demoWith('members: [ovs-a:eth2, test-a:eth2]', 'members: [ovs-a:eth2, ¦]'));
    assert.ok(names.includes('test-a:eth2') && names.includes('ovs-b:br0'), names.join(' '));
  });

  it('offers port types, bridge kinds, datapaths and strictHostKeyChecking values', () => {
    assert.deepEqual(labels(demoWith('type: vxlan, remote: ovs-b', 'type: ¦, remote: ovs-b')), ['system', 'internal', 'vxlan', 'geneve', 'gre', 'patch']);
    assert.deepEqual(labels(demoWith('        kind: ovs\n        datapath: netdev\n        address: 10.213.100.1/24', '        kind: ¦\n        datapath: netdev\n        address: 10.213.100.1/24')), ['ovs', 'linux']);
    assert.deepEqual(labels(demoWith('strictHostKeyChecking: accept-new', 'strictHostKeyChecking: a¦')), ['yes', 'accept-new', 'no']);
  });

  it('still completes in a file with errors (unknown key, bad value) and a dangling line', () => {
    const marked = demoWith('  ovs-a:\n    ssh: { host: 10.213.0.11 }', '  ovs-a:\n    colour: red\n    ssh: { host: 10.213.0.11, port: many, jump: ¦ }\n    interf');
    assert.deepEqual(labels(marked), ['ovs-b', 'test-a', 'test-b']);
  });

  it('completes through anchors and merges: a bridge that merges an x- anchor', () => {
    const marked = demoWith('hosts:\n', 'x-ovs: &ovs { kind: ovs, datapath: netdev }\nhosts:\n').replace(
      '      br0:\n        kind: ovs\n        datapath: netdev\n        address: 10.213.50.1/24',
      '      br0:\n        <<: *ovs\n        ¦\n        address: 10.213.50.1/24',
    );
    const names = labels(marked);
    assert.ok(names.includes('ports') === false && names.includes('mtu'), names.join(' '));
  });

  it('takes the names from the model of the file as last read, and the place from the text as it is now', () => {
    const { text, offset } = withCursor(demoWith('remote: ovs-a }', 'remote: ¦ }'));
    const older = new LabText(DEMO_TEXT, 'x');
    assert.deepEqual(completeAt(text.text, offset, older.lab, NO_LIVE_FACTS, DOCS).items.map((i) => i.label), ['ovs-a', 'test-a', 'test-b']);
  });

  it('completes under tests: the keys of a test, and hosts and host:interface pairs for from:', () => {
    const keys = labels(`${DEMO_TEXT}tests:\n  reach:\n    from: test-a\n    ¦\n`);
    assert.ok(keys.includes('to') && keys.includes('expect') && !keys.includes('from'), keys.join(' '));
    const from = labels(`${DEMO_TEXT}tests:\n  reach: { from: ¦ }\n`);
    assert.ok(from.includes('test-a') && from.includes('test-b:eth2'), from.join(' '));
  });

  it('offers the keys of a new host on an empty line under it', () => {
    const names = labels(demoWith('  test-b:\n    ssh: { host: 10.213.2.2, jump: ovs-b }\n', '  test-b:\n    ssh: { host: 10.213.2.2, jump: ovs-b }\n    ¦\n'));
    assert.deepEqual(names.sort(), ['bridges', 'sudo'], 'test-b has ssh and interfaces already');
  });
});
