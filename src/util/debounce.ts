// Waits for a burst of events (keystrokes, connection state changes, edits of a lab file) to
// settle before acting on it once. Keyed, so that each document has its own wait.

import { systemClock, type Clock } from './clock';

export class Debouncer<K = string> {
  private readonly timers = new Map<K, unknown>();

  constructor(
    private readonly delayMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Runs `action` after the delay, unless scheduled again for the same key first. */
  schedule(key: K, action: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        action();
      }, this.delayMs),
    );
  }

  cancel(key: K): void {
    if (!this.timers.has(key)) return;
    this.clock.clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  isPending(key: K): boolean {
    return this.timers.has(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }
}
