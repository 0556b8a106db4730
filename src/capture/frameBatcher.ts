// Frames reach a pane in batches, one per tick (16 ms ≈ one animation frame), so a flood costs
// one message per tick instead of one per frame. A batch holds at most `maxLinesPerBatch` lines
// (what a pane writes in one animation frame): a message never carries more than one frame's
// worth, however much waits; once a batch's worth waits it goes at once (each still capped), so
// a burst catches up instead of being skipped. Memory stays bounded: beyond
// `maxLinesPerSecond`, or when `maxQueuedLines` wait (the pane paused us: it is behind), frames
// are skipped, never queued, and counted. Counters (frames, bytes, rates over the last second)
// cover every frame, shown or skipped. Pure: the clock and timers come from the caller.

import { systemClock, type Clock } from '../util/clock';
import type { CaptureCounters, CaptureFrame } from './types';

export interface FrameBatch {
  frames: CaptureFrame[];
  /** Frames (and their lines) skipped since the previous batch. */
  skipped: number;
  skippedLines: number;
  counters: CaptureCounters;
}

export interface FrameBatcherOptions {
  /** Least time between two batches. Default 16 ms. */
  intervalMs?: number;
  /** Lines handed on per second at most (a sliding second); the rest are skipped. Default 50 000. */
  maxLinesPerSecond?: number;
  /** Lines waiting for the next batch at most; the rest are skipped. Default 10 000. */
  maxQueuedLines?: number;
  /** Lines in one batch at most (one animation frame's worth for a pane). Default 500. */
  maxLinesPerBatch?: number;
  scheduler?: Clock;
}

export const DEFAULT_BATCH_INTERVAL_MS = 16;
export const DEFAULT_MAX_LINES_PER_SECOND = 50_000;
export const DEFAULT_MAX_QUEUED_LINES = 10_000;
export const DEFAULT_MAX_LINES_PER_BATCH = 500;

// The last second as ten buckets of 100 ms.
const BUCKET_MS = 100;
const BUCKETS = 10;

class SlidingSecond {
  private readonly stamps = new Array<number>(BUCKETS).fill(-Infinity);
  private readonly values = new Array<number>(BUCKETS).fill(0);

  add(now: number, value: number): void {
    const bucket = Math.floor(now / BUCKET_MS);
    const slot = bucket % BUCKETS;
    if (this.stamps[slot] !== bucket) {
      this.stamps[slot] = bucket;
      this.values[slot] = 0;
    }
    this.values[slot] += value;
  }

  sum(now: number): number {
    const bucket = Math.floor(now / BUCKET_MS);
    let total = 0;
    for (let slot = 0; slot < BUCKETS; slot++) if (this.stamps[slot] > bucket - BUCKETS) total += this.values[slot];
    return total;
  }
}

export class FrameBatcher {
  private readonly intervalMs: number;
  private readonly maxLinesPerSecond: number;
  private readonly maxQueuedLines: number;
  private readonly maxLinesPerBatch: number;
  private readonly scheduler: Clock;
  private queue: CaptureFrame[] = [];
  private queuedLines = 0;
  private frames = 0;
  private bytes = 0;
  private skipped = 0;
  private skippedLines = 0;
  private skippedSinceBatch = 0;
  private skippedLinesSinceBatch = 0;
  private readonly frameRate = new SlidingSecond();
  private readonly byteRate = new SlidingSecond();
  private readonly admittedLines = new SlidingSecond();
  private timer: unknown;
  /** The timer set fires without waiting for the tick. */
  private timerAtOnce = false;
  private lastFlush = -Infinity;
  private paused = false;
  private disposed = false;

  constructor(
    private readonly onBatch: (batch: FrameBatch) => void,
    options: FrameBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
    this.maxLinesPerSecond = options.maxLinesPerSecond ?? DEFAULT_MAX_LINES_PER_SECOND;
    this.maxQueuedLines = options.maxQueuedLines ?? DEFAULT_MAX_QUEUED_LINES;
    this.maxLinesPerBatch = Math.max(1, options.maxLinesPerBatch ?? DEFAULT_MAX_LINES_PER_BATCH);
    this.scheduler = options.scheduler ?? systemClock;
  }

  push(frame: CaptureFrame): void {
    if (this.disposed) return;
    const now = this.scheduler.now();
    const bytes = frame.length ?? 0;
    this.frames++;
    this.bytes += bytes;
    this.frameRate.add(now, 1);
    this.byteRate.add(now, bytes);
    const overRate = this.admittedLines.sum(now) + frame.lines > this.maxLinesPerSecond;
    const overQueue = this.queuedLines + frame.lines > this.maxQueuedLines;
    if (overRate || overQueue) {
      this.skipped++;
      this.skippedLines += frame.lines;
      this.skippedSinceBatch++;
      this.skippedLinesSinceBatch += frame.lines;
    } else {
      this.admittedLines.add(now, frame.lines);
      this.queue.push(frame);
      this.queuedLines += frame.lines;
      // A batch's worth goes at once: a burst handed over in one go (a merged timeline's tick
      // releases hundreds of ms of every host's frames) must not fill the queue and be skipped
      // before any timer could run.
      if (!this.paused && this.queuedLines >= this.maxLinesPerBatch) {
        this.flush();
        return;
      }
    }
    this.schedule(now);
  }

  /** Counters as of now (the rates decay while nothing arrives). */
  counters(): CaptureCounters {
    const now = this.scheduler.now();
    return {
      frames: this.frames,
      bytes: this.bytes,
      skipped: this.skipped,
      skippedLines: this.skippedLines,
      framesPerSecond: this.frameRate.sum(now),
      bytesPerSecond: this.byteRate.sum(now),
    };
  }

  /** Hands on the next batch now (at most `maxLinesPerBatch` lines); what is left goes on the next tick. */
  flush(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || (this.queue.length === 0 && this.skippedSinceBatch === 0)) return;
    // Whole frames only: a VXLAN frame's two lines stay in one batch.
    let take = 0;
    let lines = 0;
    while (take < this.queue.length && (take === 0 || lines + this.queue[take].lines <= this.maxLinesPerBatch)) lines += this.queue[take++].lines;
    const frames = take === this.queue.length ? this.queue : this.queue.slice(0, take);
    this.queue = take === this.queue.length ? [] : this.queue.slice(take);
    this.queuedLines -= lines;
    const batch: FrameBatch = {
      frames,
      skipped: this.skippedSinceBatch,
      skippedLines: this.skippedLinesSinceBatch,
      counters: this.counters(),
    };
    this.skippedSinceBatch = 0;
    this.skippedLinesSinceBatch = 0;
    this.lastFlush = this.scheduler.now();
    this.onBatch(batch);
    this.schedule(this.lastFlush);
  }

  /** The capture ended: hands on everything that waits, still in batches of at most `maxLinesPerBatch` lines. */
  flushAll(): void {
    while (!this.disposed && (this.queue.length > 0 || this.skippedSinceBatch > 0)) this.flush();
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The pane is behind (above its high watermark): hold batches; the queue fills, then frames are skipped. */
  pause(): void {
    this.paused = true;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule(this.scheduler.now());
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queuedLines = 0;
  }

  private schedule(now: number): void {
    if (this.paused || this.disposed) return;
    const full = this.queuedLines >= this.maxLinesPerBatch;
    if (this.timer !== undefined) {
      if (!full || this.timerAtOnce) return;
      // A batch's worth came while waiting for the tick: it goes now.
      this.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0 && this.skippedSinceBatch === 0) return;
    // More than a batch waits (a burst, or timers that came late on a busy machine): the next
    // batch goes at once, still capped, so the queue catches up instead of filling to its
    // limit and skipping; otherwise one batch a tick.
    const wait = full ? 0 : Math.max(0, this.lastFlush + this.intervalMs - now);
    this.timerAtOnce = wait === 0;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }
}
