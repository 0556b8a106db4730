// Bounds how many connects (TCP, SSH handshake, authentication) run at once, the way OpenSSH
// users bound a loop over hosts with `xargs -P 16`. Waiting connects start in the order they
// asked. A connect only waiting for its slot can be cancelled and then leaves the queue at
// once; its connect timeout starts when it gets its slot, not while it waits. A slot is held
// for at most the connect's own deadline, so a host that does not answer delays the queue by
// no more than its connect timeout.

import { REAL_TIMERS, type Timers } from './overflow';

/** Why a connect did not start: its caller cancelled it while it waited for a slot. */
export class ConnectCancelled extends Error {
  constructor(readonly host: string) {
    super(`${host}: connecting was cancelled`);
    this.name = 'ConnectCancelled';
  }
}

/** The connect overran its deadline; the slot is free again whatever the connect does next. */
export class ConnectDeadline extends Error {
  constructor(
    readonly host: string,
    readonly ms: number,
  ) {
    super(`${host}: no connection within ${ms} ms`);
    this.name = 'ConnectDeadline';
  }
}

export interface ConnectJob<T> {
  /** For messages. */
  host: string;
  /** The connect itself, started once a slot is free. */
  start: () => Promise<T>;
  /** Longest the slot is held, counted from the start (the host's connect timeout). */
  deadlineMs: number;
  /** Told of a result that came after the deadline, so it can be closed. */
  late?: (value: T) => void;
  /** Cancels the wait for a slot (not a connect that already started). */
  signal?: AbortSignal;
}

export interface ConnectLimiterStats {
  limit: number;
  /** Connects running now. */
  active: number;
  /** Connects waiting for a slot. */
  queued: number;
  /** The most that ever ran at once. */
  peak: number;
}

interface Waiter {
  host: string;
  grant: () => void;
  refuse: (error: Error) => void;
}

export class ConnectLimiter {
  private active = 0;
  private peak = 0;
  private readonly queue: Waiter[] = [];
  private closedWith?: (host: string) => Error;

  constructor(
    readonly limit: number,
    private readonly timers: Timers = REAL_TIMERS,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`parallel connects must be a whole number of at least 1, got ${limit}`);
  }

  stats(): ConnectLimiterStats {
    return { limit: this.limit, active: this.active, queued: this.queue.length, peak: this.peak };
  }

  /** Runs the job once a slot is free; rejects with ConnectCancelled or ConnectDeadline, or the job's own error. */
  async run<T>(job: ConnectJob<T>): Promise<T> {
    await this.acquire(job.host, job.signal);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
    };
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = this.timers.setTimeout(() => {
        timedOut = true;
        release();
        reject(new ConnectDeadline(job.host, job.deadlineMs));
      }, job.deadlineMs);
      let started: Promise<T>;
      try {
        started = job.start();
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(
        (value) => {
          if (timedOut) return job.late?.(value);
          this.timers.clearTimeout(timer);
          release();
          resolve(value);
        },
        (error: unknown) => {
          if (timedOut) return;
          this.timers.clearTimeout(timer);
          release();
          reject(error);
        },
      );
    });
  }

  /** Ends every connect still waiting for a slot, and every later one, with `reason`'s error. Running ones run on. */
  close(reason: (host: string) => Error): void {
    this.closedWith = reason;
    for (const waiter of this.queue.splice(0)) waiter.refuse(reason(waiter.host));
  }

  private acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith(host));
    if (signal?.aborted) return Promise.reject(new ConnectCancelled(host));
    if (this.active < this.limit && this.queue.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        host,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.take();
          resolve();
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        reject(new ConnectCancelled(host));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private take(): void {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
  }

  private next(): void {
    while (this.active < this.limit && this.queue.length) this.queue.shift()!.grant();
  }
}
