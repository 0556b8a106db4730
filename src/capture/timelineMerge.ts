// One timeline out of several captures: frames from N sources, each already on this machine's
// clock, handed on in time order. Each source's own frames come in time order (tcpdump's), so a
// frame is safe to hand on once every other source that is still running has either shown a
// frame at least as late, or had `holdUs` to deliver one: a frame is held at most that long
// after its time, waiting for a slower host's earlier frames. A frame that comes later than
// that (a host far behind) is handed on at once and counted as late: the order is then only
// as good as the hold allowed, and the count says so. Pure: the clock is the caller's.

export interface TimedItem {
  /** On this machine's clock, µs since the epoch. */
  timeUs: number;
}

export interface TimelineOptions {
  /** How long a frame may wait for earlier frames of other sources, µs. Default 300 ms. */
  holdUs?: number;
  /** This machine's clock, µs. */
  now: () => number;
}

export const DEFAULT_HOLD_US = 300_000;

export class TimelineMerge<T extends TimedItem> {
  private readonly queues: T[][];
  private readonly heads: number[];
  private readonly lastUs: number[];
  private readonly ended: boolean[];
  private readonly holdUs: number;
  private lastOutUs = -Infinity;
  private lateCount = 0;

  constructor(
    sources: number,
    private readonly emit: (items: T[]) => void,
    private readonly options: TimelineOptions,
  ) {
    this.queues = Array.from({ length: sources }, () => []);
    this.heads = new Array<number>(sources).fill(0);
    this.lastUs = new Array<number>(sources).fill(-Infinity);
    this.ended = new Array<boolean>(sources).fill(false);
    this.holdUs = options.holdUs ?? DEFAULT_HOLD_US;
  }

  /** Frames handed on after a later frame of another source had gone: out of order by that much. */
  get late(): number {
    return this.lateCount;
  }

  /** Frames waiting. */
  get waiting(): number {
    let total = 0;
    for (let s = 0; s < this.queues.length; s++) total += this.queues[s].length - this.heads[s];
    return total;
  }

  push(source: number, item: T): void {
    this.queues[source].push(item);
    if (item.timeUs > this.lastUs[source]) this.lastUs[source] = item.timeUs;
  }

  /** The source has ended: nothing earlier will come from it. */
  end(source: number): void {
    this.ended[source] = true;
  }

  /** Hands on, in order, every frame that is safe now. Call it on a timer and after pushes. */
  tick(): void {
    const out: T[] = [];
    const horizon = this.options.now() - this.holdUs;
    for (;;) {
      const next = this.earliest();
      if (next < 0) break;
      const item = this.queues[next][this.heads[next]];
      if (item.timeUs > horizon && !this.othersPassed(next, item.timeUs)) break;
      out.push(this.take(next));
    }
    if (out.length) this.emit(out);
  }

  /** Everything that waits, in order (the capture ended). */
  flush(): void {
    const out: T[] = [];
    for (let next = this.earliest(); next >= 0; next = this.earliest()) out.push(this.take(next));
    if (out.length) this.emit(out);
  }

  private take(source: number): T {
    const queue = this.queues[source];
    const item = queue[this.heads[source]++];
    if (this.heads[source] === queue.length) {
      queue.length = 0;
      this.heads[source] = 0;
    } else if (this.heads[source] > 1024 && this.heads[source] * 2 > queue.length) {
      this.queues[source] = queue.slice(this.heads[source]);
      this.heads[source] = 0;
    }
    if (item.timeUs < this.lastOutUs) this.lateCount++;
    else this.lastOutUs = item.timeUs;
    return item;
  }

  /** The source whose waiting frame is earliest, -1 when none waits. */
  private earliest(): number {
    let best = -1;
    let bestUs = Infinity;
    for (let s = 0; s < this.queues.length; s++) {
      if (this.heads[s] >= this.queues[s].length) continue;
      const us = this.queues[s][this.heads[s]].timeUs;
      if (us < bestUs) {
        bestUs = us;
        best = s;
      }
    }
    return best;
  }

  /** Every other running source has shown a frame at least this late, or has ended: none of them can still send an earlier one. */
  private othersPassed(source: number, timeUs: number): boolean {
    for (let s = 0; s < this.queues.length; s++) {
      if (s === source || this.ended[s]) continue;
      if (this.lastUs[s] < timeUs) return false;
    }
    return true;
  }
}
