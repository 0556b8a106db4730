// Bounded parallelism: work waits until every channel it needs is free at once.

import { strict as assert } from 'node:assert';
import { Slots } from '../../../src/labtests/slots';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('per-host slots', () => {
  it('holds a host to its capacity and lets the next one in when a slot is given back', async () => {
    const slots = new Slots(() => 2);
    const first = await slots.acquire({ a: 1 });
    await slots.acquire({ a: 1 });
    let third = false;
    const waiting = slots.acquire({ a: 1 }).then((release) => ((third = true), release));
    await settle();
    assert.equal(third, false);
    assert.equal(slots.inUse('a'), 2);
    first();
    first(); // giving back twice frees one slot, once
    await waiting;
    assert.equal(third, true);
    assert.equal(slots.inUse('a'), 2);
  });

  it('takes all of a piece of work’s hosts at once, or none', async () => {
    const slots = new Slots(() => 3);
    const busy = await slots.acquire({ b: 3 });
    let traced = false;
    const trace = slots.acquire({ a: 2, b: 1 }).then(() => (traced = true));
    await settle();
    assert.equal(traced, false);
    assert.equal(slots.inUse('a'), 0, 'nothing taken on a while b is full');
    const ping = await slots.acquire({ a: 1 });
    assert.equal(slots.inUse('a'), 1, 'a ping on a goes ahead of the waiting trace');
    busy();
    await trace;
    assert.equal(slots.inUse('a'), 3);
    ping();
  });

  it('cuts a need wider than the capacity to the capacity, and gives up when cancelled', async () => {
    const slots = new Slots((key) => (key.startsWith('pair') ? 1 : 4));
    const wide = await slots.acquire({ a: 9 });
    assert.equal(slots.inUse('a'), 4);
    const abort = new AbortController();
    const waiting = slots.acquire({ a: 1 }, abort.signal);
    abort.abort();
    await assert.rejects(waiting, /cancelled/);
    wide();
    assert.equal(slots.inUse('a'), 0);
    await slots.acquire({ 'pair x y': 1 });
    let second = false;
    void slots.acquire({ 'pair x y': 1 }).then(() => (second = true));
    await settle();
    assert.equal(second, false, 'a pair has room for one');
  });
});
