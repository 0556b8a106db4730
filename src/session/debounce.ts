// Waits for a burst of events (keystrokes, connection state changes) to settle before acting on
// it once. Keyed, so that each document has its own wait.

export class Debouncer<K = string> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs: number) {}

  /** Runs `action` after the delay, unless scheduled again for the same key first. */
  schedule(key: K, action: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        action();
      }, this.delayMs),
    );
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(key);
  }

  isPending(key: K): boolean {
    return this.timers.has(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
