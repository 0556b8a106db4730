// The periodic refresh: every `interval` while the view is visible, never while it is hidden.
// When the view shows again after more than an interval, it refreshes at once rather than
// making the user wait for the next tick.

import { systemClock, type Clock } from '../util/clock';

export class Poller {
  private timer: unknown;
  private visible = false;
  private intervalMs = 0;
  private lastTick = -Infinity;

  constructor(
    private readonly tick: () => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** 0 (or less) turns the periodic refresh off. */
  setInterval(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    this.reschedule();
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.reschedule();
  }

  /** A refresh happened for another reason: the next tick is an interval from now. */
  reset(): void {
    this.lastTick = this.clock.now();
    this.reschedule();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.visible = false;
    this.reschedule();
  }

  private reschedule(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.visible || this.intervalMs <= 0) return;
    const wait = Math.max(0, this.lastTick + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.lastTick = this.clock.now();
      this.reschedule();
      this.tick();
    }, wait);
  }
}
