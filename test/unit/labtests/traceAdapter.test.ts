// The adapter from what runTrace returns today (version 1) to the version 2 shape lab tests
// carry: the place and the leg as measured, frame counts as the evidence, and no cause claimed
// that version 1 did not prove.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadLabFile } from '../../../src/lab/load';
import { expandTests } from '../../../src/labtests/expand';
import { asVersion2, traceNeeds } from '../../../src/labtests/traceAdapter';
import type { TraceRun } from '../../../src/trace/runTrace';

const run = (delivered: boolean): TraceRun => ({
  path: { from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' }, to: '10.213.50.12', points: [], links: [], problems: [] },
  elapsedMs: 2210,
  result: {
    from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' },
    to: '10.213.50.12',
    probe: 'icmp',
    delivered,
    hops: [
      { host: 'test-a', interface: 'eth2', seen: true, encapsulated: false, count: 1 },
      { host: 'ovs-b', interface: 'eth0', seen: true, encapsulated: true, count: 1 },
      { host: 'ovs-b', interface: 'eth2', seen: delivered, encapsulated: false, count: delivered ? 1 : 0 },
    ],
    lostBetween: delivered ? null : { from: { host: 'ovs-b', interface: 'eth0' }, to: { host: 'ovs-b', interface: 'eth2' }, segment: 'vx0' },
    hints: delivered ? [] : ['ovs-b:eth0 could not be watched: tcpdump exited', 'The usual causes: the VNI differs'],
  },
});

describe('lab tests’ trace adapter (version 1 to version 2)', () => {
  it('keeps the place of loss on the request leg, with the measured counts as evidence and an unknown cause', () => {
    const v2 = asVersion2(run(false));
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.lostBetween, { direction: 'request', probe: 'icmp', from: { host: 'ovs-b', interface: 'eth0' }, to: { host: 'ovs-b', interface: 'eth2' }, segment: 'vx0' });
    assert.deepEqual(v2.cause, {
      kind: 'unknown',
      confidence: 'unknown',
      evidence: ['ovs-b:eth0 saw 1 ICMP echo request frame of this probe; ovs-b:eth2 saw none', 'ovs-b:eth0 could not be watched: tcpdump exited'],
    });
    assert.deepEqual(v2.hops.map((h) => [h.direction, h.probe, h.host, h.interface, h.seen]), [
      ['request', 'icmp', 'test-a', 'eth2', true],
      ['request', 'icmp', 'ovs-b', 'eth0', true],
      ['request', 'icmp', 'ovs-b', 'eth2', false],
    ]);
    assert.equal(v2.hints.length, 2, 'version 1’s hints stay hints');
    assert.equal(v2.elapsedMs, 2210);
  });

  it('never maps version 1’s "the request arrived" to a delivered trace: the way back was not watched', () => {
    const v2 = asVersion2(run(true));
    assert.equal(v2.delivered, false);
    assert.deepEqual(v2.lostBetween, { direction: 'reply', probe: 'icmp', from: { host: 'ovs-b', interface: 'eth2' }, to: { host: 'ovs-b', interface: 'eth2' } });
    assert.deepEqual(v2.cause, {
      kind: 'unknown',
      confidence: 'unknown',
      evidence: ["ovs-b:eth2 saw 1 ICMP echo request frame of this probe; the way back was not watched (the trace follows the request only), and the test's ping got no answer"],
    });
  });
});

describe('the channels a trace holds', () => {
  it('counts one capture per point of the path on each host, and the probe on the source', async () => {
    const { lab } = await loadLabFile(join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml'));
    assert.ok(lab);
    const cases = expandTests(lab);
    const pair = (name: string) => cases.find((c) => c.name === name)!;
    // test-a:eth2, ovs-a:eth2, ovs-a:eth0, ovs-b:eth0, ovs-b:eth2, test-b:eth2 (the six points of the healthy trace).
    assert.deepEqual(traceNeeds(lab, pair('all-pairs: test-a:eth2 -> test-b:eth2')), { 'test-a': 2, 'ovs-a': 2, 'ovs-b': 2, 'test-b': 1 });
    assert.deepEqual(traceNeeds(lab, pair('all-pairs: ovs-b:br0 -> test-b:eth2')), { 'ovs-b': 3, 'test-b': 1 });
  });
});
