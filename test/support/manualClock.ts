// A clock for tests that moves only when told, firing the timers it passes in order of their
// time (and, at one time, in the order they were set), each at its own time.

import type { Clock } from '../../src/util/clock';

interface Timer {
  at: number;
  id: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(public time = 1_000_000) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + Math.max(0, ms), id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing every timer due on the way (including those they set). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.due(until);
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }

  /**
   * As advance(), but lets promises settle before and after each timer, so that async code the
   * timers start (and the timers it sets in turn) runs as it would on a real clock.
   */
  async advanceAsync(ms: number): Promise<void> {
    const until = this.time + ms;
    await settle();
    for (;;) {
      const next = this.due(until);
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
      await settle();
    }
    this.time = until;
  }

  private due(until: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers) if (timer.at <= until && (!next || timer.at < next.at || (timer.at === next.at && timer.id < next.id))) next = timer;
    return next;
  }
}

/** Lets every promise already resolved run its continuations (a few rounds of the microtask queue and one macrotask). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
