// Bounded parallelism: each piece of work says how many SSH channels it needs on which hosts
// (a ping one on its source, a trace one per capture point plus one), and waits until all of them
// are free at once. sshd allows 10 sessions per connection by default and the product holds one
// connection per host, so a host's budget stays below that whatever the number of tests.
// Keys other than hosts work the same way: a pair of addresses with room for one keeps a trace
// from reading another test's ping of the same pair as its own.

export type Needs = Record<string, number>;

interface Waiter {
  needs: Needs;
  grant: () => void;
}

export class Slots {
  private readonly used = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(private readonly capacityOf: (key: string) => number) {}

  /** What `needs` asks, cut to each key's capacity (a trace wider than the budget still runs, alone). */
  private clamp(needs: Needs): Needs {
    return Object.fromEntries(Object.entries(needs).map(([key, n]) => [key, Math.min(n, this.capacityOf(key))]));
  }

  private fits(needs: Needs): boolean {
    return Object.entries(needs).every(([key, n]) => (this.used.get(key) ?? 0) + n <= this.capacityOf(key));
  }

  private take(needs: Needs): () => void {
    for (const [key, n] of Object.entries(needs)) this.used.set(key, (this.used.get(key) ?? 0) + n);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key, n] of Object.entries(needs)) this.used.set(key, (this.used.get(key) ?? 0) - n);
      this.grantWaiting();
    };
  }

  /** Oldest first; work that fits goes ahead of work that does not yet (a ping need not wait behind a wide trace; there are only so many tests). */
  private grantWaiting(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const waiter = this.waiting[i];
      if (this.fits(waiter.needs)) {
        this.waiting.splice(i, 1);
        waiter.grant();
      } else i++;
    }
  }

  /** Resolves to the function that gives the slots back; rejects if `signal` aborts first. */
  acquire(needs: Needs, signal?: AbortSignal): Promise<() => void> {
    const wanted = this.clamp(needs);
    if (signal?.aborted) return Promise.reject(new Error('cancelled'));
    if (this.fits(wanted)) return Promise.resolve(this.take(wanted));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        needs: wanted,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(wanted));
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new Error('cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Channels in use on `key` now (for tests of this class). */
  inUse(key: string): number {
    return this.used.get(key) ?? 0;
  }
}
