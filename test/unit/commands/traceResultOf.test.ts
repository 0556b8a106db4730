import { strict as assert } from 'node:assert';
import { traceResultOf } from '../../../src/commands/traceResultOf';
import { replyLostAtSourceFirewall } from './traceResultsV2';

describe('the trace result the editor reads', () => {
  it('takes a version 2 result as it is, alone or in a run', () => {
    assert.equal(traceResultOf(replyLostAtSourceFirewall), replyLostAtSourceFirewall);
    assert.equal(traceResultOf({ result: replyLostAtSourceFirewall, elapsedMs: 1 }), replyLostAtSourceFirewall);
  });

  it('carries an earlier result over as the request leg it was, with no cause it did not measure', () => {
    const earlier = {
      from: { host: 'test-a', interface: 'eth2', address: '10.213.50.11' },
      to: '10.213.50.12',
      probe: 'arp' as const,
      delivered: false,
      hops: [
        { host: 'test-a', interface: 'eth2', seen: true, encapsulated: false, count: 3 },
        { host: 'test-b', interface: 'eth2', seen: false, encapsulated: false, count: 0 },
      ],
      lostBetween: { from: { host: 'test-a', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' }, segment: 'cn-a' },
      hints: ['The usual causes: …'],
    };
    const result = traceResultOf({ result: earlier, elapsedMs: 2400 });
    assert.equal(result.version, 2);
    assert.deepEqual(result.probes, ['arp']);
    assert.deepEqual(result.hops.map((hop) => [hop.direction, hop.probe, hop.seen]), [['request', 'arp', true], ['request', 'arp', false]]);
    assert.deepEqual(result.lostBetween, { direction: 'request', probe: 'arp', ...earlier.lostBetween });
    assert.deepEqual(result.cause, { kind: 'unknown', confidence: 'unknown', evidence: [] }, 'its hints are not promoted to a cause');
    assert.deepEqual(result.hints, earlier.hints);
    assert.equal(result.elapsedMs, 2400);
    assert.equal(traceResultOf({ result: { ...earlier, delivered: true, lostBetween: null, hints: [] }, elapsedMs: 1 }).cause, null);
  });
});
