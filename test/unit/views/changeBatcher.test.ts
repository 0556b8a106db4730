import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeBatcher } from '../../../src/views/changeBatcher';

describe('ChangeBatcher', () => {
  it('hands on a burst once, without duplicates, a pause after its first change', async () => {
    const batches: string[][] = [];
    const batcher = new ChangeBatcher<string>(20, (items) => batches.push(items));
    for (let i = 0; i < 32; i++) batcher.add(`host-${i % 4}`);
    assert.deepEqual(batches, []);
    await sleep(40);
    assert.deepEqual(batches, [['host-0', 'host-1', 'host-2', 'host-3']]);
  });

  it('does not wait for a steady stream to stop (a throttle, not a debounce)', async () => {
    const batches: string[][] = [];
    const batcher = new ChangeBatcher<string>(15, (items) => batches.push(items));
    const started = Date.now();
    while (Date.now() - started < 60) {
      batcher.add('a');
      await sleep(3);
    }
    batcher.dispose();
    assert.ok(batches.length >= 2, `${batches.length} batches`);
  });

  it('flushes at once when asked, and nothing after dispose', async () => {
    const batches: number[][] = [];
    const batcher = new ChangeBatcher<number>(10, (items) => batches.push(items));
    batcher.add(1, 2);
    batcher.flushNow();
    assert.deepEqual(batches, [[1, 2]]);
    batcher.add(3);
    batcher.dispose();
    await sleep(30);
    assert.deepEqual(batches, [[1, 2]]);
  });
});
