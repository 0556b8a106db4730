import { strict as assert } from 'node:assert';
import { KeptTraceFrames } from '../../../src/trace/keptFrames';
import type { TraceFrames } from '../../../src/trace/traceFrames';

const frames = (bytes: number[]): { frames: TraceFrames } => ({ frames: { points: bytes.map((n, i) => ({ host: `h${i}`, interface: 'eth0', frames: 1, pcap: Buffer.alloc(n) })), clocks: {} } });

describe('the frames kept for the newest traces (src/trace/keptFrames.ts)', () => {
  it('keeps at most N traces, letting the oldest go; a route traced again counts as the newest', () => {
    const kept = new KeptTraceFrames({ traces: 2, bytes: 1000 });
    kept.keep('a', frames([10]));
    kept.keep('b', frames([10]));
    kept.keep('a', frames([20]));
    kept.keep('c', frames([10]));
    assert.equal(kept.get('b'), undefined, 'b was the oldest once a was traced again');
    assert.equal(kept.get('a')?.frames.points[0].pcap?.length, 20);
    assert.ok(kept.get('c'));
    assert.equal(kept.size, 2);
  });

  it('keeps the bytes of all traces under the bound, but the newest keeps its own whatever their size', () => {
    const kept = new KeptTraceFrames({ traces: 10, bytes: 100 });
    kept.keep('a', frames([30, 30]));
    kept.keep('b', frames([30]));
    assert.deepEqual([kept.get('a') !== undefined, kept.get('b') !== undefined], [true, true]);
    kept.keep('c', frames([50]));
    assert.equal(kept.get('a'), undefined, '60 + 30 + 50 is over 100: the oldest goes');
    assert.ok(kept.get('b') && kept.get('c'));
    kept.keep('d', frames([500]));
    assert.deepEqual([kept.get('b'), kept.get('c')], [undefined, undefined]);
    assert.ok(kept.get('d'), 'the newest trace keeps its frames over the bound');
  });

  it('forgets a route traced again without frames', () => {
    const kept = new KeptTraceFrames();
    kept.keep('a', frames([1]));
    kept.keep('a', undefined);
    assert.equal(kept.get('a'), undefined);
  });
});
