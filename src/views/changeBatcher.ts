// Tree change events for many hosts arrive in bursts (32 hosts answering within a few ms):
// they are collected and handed on once per short pause, so the tree re-renders once per burst.

export class ChangeBatcher<T> {
  private pending = new Set<T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly flush: (items: T[]) => void,
  ) {}

  add(...items: T[]): void {
    for (const item of items) this.pending.add(item);
    this.timer ??= setTimeout(() => this.flushNow(), this.delayMs);
  }

  /** Hands on what is pending now (a command that wants the tree current at once). */
  flushNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const items = [...this.pending];
    this.pending = new Set();
    this.flush(items);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
