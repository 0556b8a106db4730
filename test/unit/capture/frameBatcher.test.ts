import { strict as assert } from 'node:assert';
import { FrameBatcher, type FrameBatch } from '../../../src/capture/frameBatcher';
import type { CaptureFrame } from '../../../src/capture/types';
import { ManualClock } from '../../support/manualClock';

function frame(i: number, lines = 1, length = 100): CaptureFrame {
  return { class: 'icmp', summary: `frame ${i}`, time: i, raw: `line ${i}`, lines, encapsulated: lines === 2, length };
}

function setup(options: { intervalMs?: number; maxLinesPerSecond?: number; maxQueuedLines?: number; maxLinesPerBatch?: number } = {}) {
  const clock = new ManualClock();
  const batches: FrameBatch[] = [];
  const batcher = new FrameBatcher((batch) => batches.push(batch), { ...options, scheduler: clock });
  return { clock, batches, batcher };
}

describe('frame batcher', () => {
  it('hands the first frame after a quiet spell on at once, then at most one batch per tick', () => {
    const clock = new ManualClock();
    const sentAt: number[] = [];
    const batches: FrameBatch[] = [];
    const batcher = new FrameBatcher(
      (batch) => {
        batches.push(batch);
        sentAt.push(clock.now());
      },
      { intervalMs: 16, scheduler: clock },
    );
    const start = clock.now();
    batcher.push(frame(1));
    clock.advance(0);
    assert.deepEqual(sentAt, [start]);
    for (let i = 2; i <= 100; i++) {
      batcher.push(frame(i));
      clock.advance(1);
    }
    clock.advance(16);
    for (let i = 1; i < sentAt.length; i++) assert.ok(sentAt[i] - sentAt[i - 1] >= 16, `batches ${sentAt[i - 1]} and ${sentAt[i]} are closer than a tick`);
    assert.equal(batches.length, 1 + Math.ceil(99 / 16));
    const all = batches.flatMap((b) => b.frames.map((f) => f.time));
    assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i + 1), 'every frame, in order, once');
    assert.equal(clock.pending, 0, 'no timer left once everything is out');
  });

  it('never sends an empty batch', () => {
    const { clock, batches } = setup();
    clock.advance(1000);
    assert.equal(batches.length, 0);
  });

  it('skips beyond the lines-per-second limit, counts what it skipped, and lets frames through again a second later', () => {
    const { clock, batches, batcher } = setup({ maxLinesPerSecond: 100 });
    for (let i = 0; i < 150; i++) batcher.push(frame(i));
    clock.advance(16);
    assert.equal(batches.reduce((n, b) => n + b.frames.length, 0), 100);
    assert.equal(batches.reduce((n, b) => n + b.skipped, 0), 50);
    assert.deepEqual(batcher.counters(), { frames: 150, bytes: 15000, skipped: 50, skippedLines: 50, framesPerSecond: 150, bytesPerSecond: 15000 });
    clock.advance(1000);
    batcher.push(frame(999));
    clock.advance(16);
    assert.equal(batches[batches.length - 1].frames[0].time, 999);
    assert.equal(batches[batches.length - 1].skipped, 0, 'skipped counts since the previous batch');
  });

  it('counts lines, not frames: a VXLAN frame is two', () => {
    const { clock, batches, batcher } = setup({ maxLinesPerSecond: 5 });
    for (let i = 0; i < 4; i++) batcher.push(frame(i, 2));
    clock.advance(16);
    assert.deepEqual(batches.map((b) => [b.frames.length, b.skipped, b.skippedLines]), [[2, 2, 4]]);
  });

  it('while paused, holds at most maxQueuedLines and skips the rest; resume sends what it held', () => {
    const { clock, batches, batcher } = setup({ maxQueuedLines: 10 });
    batcher.pause();
    for (let i = 0; i < 25; i++) batcher.push(frame(i));
    clock.advance(500);
    assert.equal(batches.length, 0);
    batcher.resume();
    clock.advance(0);
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0].frames.map((f) => f.time), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(batches[0].skipped, 15);
  });

  it('keeps rates over the last second only', () => {
    const { clock, batcher } = setup();
    for (let i = 0; i < 10; i++) {
      if (i > 0) clock.advance(100);
      batcher.push(frame(i, 1, 50));
    }
    assert.equal(batcher.counters().framesPerSecond, 10);
    assert.equal(batcher.counters().bytesPerSecond, 500);
    clock.advance(500);
    assert.equal(batcher.counters().framesPerSecond, 5);
    clock.advance(500);
    assert.deepEqual(batcher.counters(), { frames: 10, bytes: 500, skipped: 0, skippedLines: 0, framesPerSecond: 0, bytesPerSecond: 0 });
  });

  it('flushes on demand and does nothing after dispose', () => {
    const { clock, batches, batcher } = setup({ intervalMs: 1000 });
    batcher.push(frame(1));
    clock.advance(0);
    batcher.push(frame(2));
    batcher.flush();
    assert.equal(batches.length, 2);
    batcher.push(frame(3));
    batcher.dispose();
    clock.advance(5000);
    batcher.push(frame(4));
    assert.equal(batches.length, 2);
    assert.equal(clock.pending, 0);
  });

  it('never hands on more than one frame’s worth of lines in a batch: the rest follows, in order', () => {
    const { clock, batches, batcher } = setup({ maxLinesPerBatch: 100, maxQueuedLines: 10_000, maxLinesPerSecond: 1_000_000 });
    for (let i = 0; i < 1000; i++) batcher.push(frame(i, i % 10 === 0 ? 2 : 1));
    clock.advance(16 * 20);
    const sizes = batches.map((batch) => batch.frames.reduce((sum, f) => sum + f.lines, 0));
    assert.ok(sizes.every((size) => size <= 100), `batch sizes ${sizes.join(',')}`);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 1100);
    assert.deepEqual(batches.flatMap((batch) => batch.frames.map((f) => f.time)), Array.from({ length: 1000 }, (_, i) => i));
    assert.ok(batches.length >= 11);
  });

  it('a burst handed over in one go is sent as it comes, a capped batch at a time, and none of it skipped', () => {
    const { batches, batcher } = setup({ maxLinesPerBatch: 100, maxQueuedLines: 150, maxLinesPerSecond: 1_000_000 });
    for (let i = 0; i < 1000; i++) batcher.push(frame(i)); // no timer runs in between
    assert.equal(batcher.counters().skipped, 0);
    assert.deepEqual(batches.map((batch) => batch.frames.length), new Array(10).fill(100));
  });

  it('catches up at once when more than a batch waits (each batch still capped), then goes back to one batch a tick', () => {
    const { clock, batches, batcher } = setup({ intervalMs: 16, maxLinesPerBatch: 100, maxQueuedLines: 300, maxLinesPerSecond: 1_000_000 });
    batcher.push(frame(0));
    clock.advance(0); // the first goes at once; the next waits a tick
    for (let i = 1; i <= 250; i++) batcher.push(frame(i));
    clock.advance(0);
    assert.deepEqual(batches.map((batch) => batch.frames.length), [1, 100, 100], 'the burst went out within the one tick, capped');
    clock.advance(16);
    assert.deepEqual(batches.map((batch) => batch.frames.length), [1, 100, 100, 50], 'less than a batch waits for the next tick');
    for (let i = 251; i <= 550; i++) batcher.push(frame(i)); // 300: at the queue's limit, none skipped
    clock.advance(0);
    assert.equal(batcher.counters().skipped, 0);
    assert.deepEqual(batches.flatMap((batch) => batch.frames.map((f) => f.time)), Array.from({ length: 551 }, (_, i) => i));
    const before = batches.length;
    batcher.push(frame(551));
    clock.advance(15);
    assert.equal(batches.length, before, 'under a batch waiting, it waits for the tick');
    clock.advance(1);
    assert.equal(batches.length, before + 1);
  });

  it('flushAll at the end hands on everything, still in capped batches', () => {
    const { batches, batcher } = setup({ maxLinesPerBatch: 50, maxLinesPerSecond: 1_000_000 });
    for (let i = 0; i < 120; i++) batcher.push(frame(i));
    batcher.flushAll();
    assert.deepEqual(batches.map((batch) => batch.frames.length), [50, 50, 20]);
  });
});
