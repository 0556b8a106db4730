import { strict as assert } from 'node:assert';
import { ChangeBatcher } from '../../../src/views/changeBatcher';
import { ManualClock } from '../../support/manualClock';

describe('ChangeBatcher', () => {
  it('hands on a burst once, without duplicates, a delay after its first change', () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const batcher = new ChangeBatcher<string>(20, (items) => batches.push(items), clock);
    for (let i = 0; i < 32; i++) batcher.add(`host-${i % 4}`);
    clock.advance(19);
    assert.deepEqual(batches, []);
    clock.advance(1);
    assert.deepEqual(batches, [['host-0', 'host-1', 'host-2', 'host-3']]);
    assert.equal(clock.pending, 0);
  });

  it('does not wait for a steady stream to stop (a throttle, not a debounce)', () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const batcher = new ChangeBatcher<string>(15, (items) => batches.push(items), clock);
    // A change every 3 ms for 60 ms: a debounce would hand on nothing until the end.
    for (let t = 0; t < 60; t += 3) {
      batcher.add(`change-${t}`);
      clock.advance(3);
    }
    assert.equal(batches.length, 4);
    assert.deepEqual(batches[0], ['change-0', 'change-3', 'change-6', 'change-9', 'change-12']);
    batcher.dispose();
  });

  it('flushes at once when asked, and nothing after dispose', () => {
    const clock = new ManualClock();
    const batches: number[][] = [];
    const batcher = new ChangeBatcher<number>(10, (items) => batches.push(items), clock);
    batcher.add(1, 2);
    batcher.flushNow();
    assert.deepEqual(batches, [[1, 2]]);
    assert.equal(clock.pending, 0, 'the flush cancelled the timer');
    batcher.add(3);
    batcher.dispose();
    clock.advance(100);
    assert.deepEqual(batches, [[1, 2]]);
  });
});
