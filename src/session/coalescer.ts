// One read of a lab at a time. A request that arrives while a read runs does not start a second
// one: requests are merged into a single follow-up that starts when the running read ends.

/** What to read: some hosts, or (`'all'`) every host of the lab. */
export type ReadScope = ReadonlySet<string> | 'all';

export function mergeScopes(a: ReadScope | undefined, b: ReadScope): ReadScope {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

export function scopeOf(hosts?: readonly string[]): ReadScope {
  return hosts === undefined ? 'all' : new Set(hosts);
}

interface Slot {
  running: Promise<void>;
  abort: AbortController;
  /** The merged follow-up, if one was asked for while running. */
  next?: { scope: ReadScope; done: Promise<void>; resolve: () => void };
}

export type ScopedTask = (scope: ReadScope, signal: AbortSignal) => Promise<void>;

export class Coalescer<K> {
  private readonly slots = new Map<K, Slot>();

  constructor(private readonly task: (key: K, scope: ReadScope, signal: AbortSignal) => Promise<void>) {}

  isRunning(key: K): boolean {
    return this.slots.has(key);
  }

  /**
   * Runs the task for `key` now, or once the running one ends (merged with every other request
   * made meanwhile). Resolves when a run that covers this request has ended; never rejects.
   */
  request(key: K, scope: ReadScope): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot) return this.start(key, scope);
    if (!slot.next) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      slot.next = { scope, done, resolve };
    } else slot.next.scope = mergeScopes(slot.next.scope, scope);
    return slot.next.done;
  }

  /** Stops the running task (its follow-up, if any, still runs). */
  abort(key: K): void {
    this.slots.get(key)?.abort.abort();
  }

  /** Stops the running task and drops its follow-up. */
  cancel(key: K): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.abort.abort();
    if (slot.next) {
      slot.next.resolve();
      slot.next = undefined;
    }
  }

  dispose(): void {
    for (const key of [...this.slots.keys()]) this.cancel(key);
  }

  private start(key: K, scope: ReadScope): Promise<void> {
    const abort = new AbortController();
    const slot: Slot = { abort, running: Promise.resolve() };
    this.slots.set(key, slot);
    slot.running = this.task(key, scope, abort.signal)
      .catch(() => undefined)
      .then(() => {
        this.slots.delete(key);
        const next = slot.next;
        if (next) void this.start(key, next.scope).then(next.resolve);
      });
    return slot.running;
  }
}
