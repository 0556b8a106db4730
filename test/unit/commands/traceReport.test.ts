import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { destinationChoices, sourceChoices, traceMarkdown, traceOverlay, traceSummary } from '../../../src/commands/traceReport';
import { loadLabText } from '../../../src/lab/load';
import type { TraceResultV2 as TraceResult } from '../../../src/trace/traceResultV2';

const file = join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml');
const lab = loadLabText(readFileSync(file, 'utf8'), file).lab;
assert.ok(lab);

// The shape `trace --json` gives for the anti-spoofing case on the demo lab.
const lost: TraceResult = {
  version: 2,
  from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' },
  to: '10.213.50.12',
  delivered: false,
  probes: ['arp'],
  hops: [
    { direction: 'request', probe: 'arp', host: 'test-a', interface: 'eth2', seen: true, encapsulated: false, count: 3 },
    { direction: 'request', probe: 'arp', host: 'ovs-b', interface: 'eth2', seen: true, encapsulated: false, count: 3 },
    { direction: 'request', probe: 'arp', host: 'test-b', interface: 'eth2', seen: false, encapsulated: false, count: 0 },
  ],
  lostBetween: { direction: 'request', probe: 'arp', from: { host: 'ovs-b', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' }, segment: 'cn-b' },
  cause: { kind: 'mac-filter', confidence: 'proved', evidence: ['the ARP request left ovs-b:eth2 onto cn-b with source MAC …'] },
  hints: ['The frames left ovs-b:eth2 onto cn-b with source MAC …', 'Fixes: …'],
  elapsedMs: 2400,
};

describe('the trace in the editor', () => {
  it('offers the addressed devices of the source, and every other host’s addresses as destinations', () => {
    assert.deepEqual(sourceChoices(lab, 'test-a'), [{ label: 'eth2', description: '10.213.50.11/24', address: '10.213.50.11' }]);
    assert.deepEqual(sourceChoices(lab, 'ovs-a').map((c) => c.label), ['br-phy', 'br0']);
    const destinations = destinationChoices(lab, 'test-a');
    assert.ok(destinations.some((d) => d.address === '10.213.50.12' && d.description === 'test-b eth2'));
    assert.ok(destinations.some((d) => d.address === '10.213.100.2' && d.description === 'ovs-b br-phy (underlay)'));
    assert.ok(!destinations.some((d) => d.description.startsWith('test-a')));
  });

  it('summarises, reports in Markdown, and draws the break on the topology', () => {
    assert.equal(traceSummary(lost), 'test-a:eth2 → 10.213.50.12: lost between ovs-b:eth2 and test-b:eth2 (cn-b).');
    const markdown = traceMarkdown('demo', lost, 2400);
    assert.match(markdown, /^# Trace: test-a:eth2 \(10\.213\.50\.11\) → 10\.213\.50\.12$/m);
    assert.match(markdown, /^\| ✘ \| test-b \| eth2 \| {2}\| 0 \|$/m);
    assert.match(markdown, /\*\*Lost between ovs-b:eth2 and test-b:eth2\*\* \(cn-b\)/);
    assert.match(markdown, /^- The frames left ovs-b:eth2/m);
    const overlay = traceOverlay(lost);
    assert.deepEqual(overlay.lostBetween, { from: { host: 'ovs-b', iface: 'eth2' }, to: { host: 'test-b', iface: 'eth2' } });
    assert.deepEqual(overlay.points.map((p) => p.seen), [true, true, false]);
    assert.equal(overlay.hint, lost.hints[0]);
  });
});
