// The Testing view's tree of a lab file, and a failed test's words and drawing, as plain data.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadLabFile } from '../../../src/lab/load';
import type { LabTestResult } from '../../../src/labtests/types';
import { labTestNodes, leavesOf } from '../../../src/views/testing/labTestTree';
import { traceOverlay } from '../../../src/commands/traceReport';
import { failureText } from '../../../src/views/testing/testMessages';
import type { TraceResultV2 } from '../../../src/trace/traceResultV2';
import { loadClean, yaml } from '../lab/helpers';

describe('the Testing view’s tree of a lab', () => {
  it('lists the demo lab’s tests in file order, the mesh with one child per pair, then the doctor', async () => {
    const { lab } = await loadLabFile(join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml'));
    assert.ok(lab);
    const nodes = labTestNodes('file:///demo.lab.yaml', lab);
    assert.deepEqual(nodes.map((n) => n.label), ['sites-reach', 'full-size', 'gateways-reach', 'underlay-isolated', 'management-isolated', 'all-pairs', 'doctor']);
    const mesh = nodes[5];
    assert.equal(mesh.description, 'mesh: 12 pairs');
    assert.equal(mesh.children[0].label, 'ovs-a:br0 -> ovs-b:br0');
    assert.equal(mesh.children[0].id, 'file:///demo.lab.yaml::all-pairs: ovs-a:br0 -> ovs-b:br0');
    assert.equal(nodes[1].description, 'test-a:eth2 → 10.213.50.12, 1422 bytes DF');
    assert.equal(nodes[0].range?.line, lab.tests?.[0].range.line);
    assert.equal(leavesOf(nodes).length, 5 + 12 + 1);
  });

  it('groups tests the file groups, and changes a signature exactly when what a test sends changes', () => {
    const text = (size: number) => yaml`
      version: 1
      name: t
      hosts:
        a: { interfaces: { eth2: { address: 10.0.0.11/24 } } }
        b: { interfaces: { eth2: { address: 10.0.0.12/24 } } }
      tests:
        one: { from: a, to: b, group: mtu, size: ${size} }
        two: { from: b, to: a }
    `;
    const before = labTestNodes('k', loadClean(text(1400)));
    const after = labTestNodes('k', loadClean(text(1422)));
    assert.deepEqual(before.map((n) => n.label), ['mtu', 'two', 'doctor']);
    assert.deepEqual(before[0].children.map((n) => n.id), ['k::one']);
    assert.notEqual(before[0].children[0].signature, after[0].children[0].signature);
    assert.equal(before[1].signature, after[1].signature);
  });
});

describe('a failed test in the editor', () => {
  const trace: TraceResultV2 = {
    version: 2,
    from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' },
    to: '10.213.50.12',
    delivered: false,
    probes: ['arp', 'icmp'],
    hops: [
      { direction: 'request', probe: 'arp', host: 'test-a', interface: 'eth2', seen: true, encapsulated: false, count: 1 },
      { direction: 'request', probe: 'icmp', host: 'test-a', interface: 'eth2', seen: true, encapsulated: false, count: 1 },
      { direction: 'request', probe: 'icmp', host: 'ovs-b', interface: 'eth2', seen: false, encapsulated: false, count: 0 },
    ],
    lostBetween: { direction: 'request', probe: 'icmp', from: { host: 'test-a', interface: 'eth2' }, to: { host: 'ovs-b', interface: 'eth2' }, segment: 'vx0' },
    cause: { kind: 'openflow-drop', confidence: 'proved', evidence: ['rule priority=100,icmp actions=drop on br0 counted 1 packet'] },
    hints: ['ovs-ofctl del-flows br0 icmp'],
    elapsedMs: 2100,
  };

  it('draws a failed test’s trace as Trace Path draws it: the place of loss with its leg, the cause in the banner', () => {
    const overlay = traceOverlay(trace);
    assert.deepEqual(overlay.lostBetween, { leg: 'request', from: { host: 'test-a', iface: 'eth2' }, to: { host: 'ovs-b', iface: 'eth2' }, segment: 'vx0' });
    assert.deepEqual(overlay.banner.evidence, ['rule priority=100,icmp actions=drop on br0 counted 1 packet']);
    assert.equal(overlay.banner.delivered, false);
  });

  it('says the message first, then the details', () => {
    const result: LabTestResult = { name: 'x', from: 'test-a:eth2', to: '10.213.50.12', expect: 'reach', passed: false, ms: 1, trace, ping: { sent: 1, received: 0 }, message: 'lost', details: ['measured: m', 'hint: h'] };
    assert.equal(failureText(result), 'lost\n  measured: m\n  hint: h');
  });
});
