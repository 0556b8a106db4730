// Tree change events for many hosts arrive in bursts (32 hosts answering within a few ms):
// they are collected and handed on once per short pause, so the tree re-renders once per burst.

import { systemClock, type Clock } from '../util/clock';

export class ChangeBatcher<T> {
  private pending = new Set<T>();
  private timer: unknown;

  constructor(
    private readonly delayMs: number,
    private readonly flush: (items: T[]) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  add(...items: T[]): void {
    for (const item of items) this.pending.add(item);
    this.timer ??= this.clock.setTimeout(() => this.flushNow(), this.delayMs);
  }

  /** Hands on what is pending now (a command that wants the tree current at once). */
  flushNow(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const items = [...this.pending];
    this.pending = new Set();
    this.flush(items);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
