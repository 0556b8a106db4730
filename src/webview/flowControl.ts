// Flow control between a capture and its terminal, after xterm.js's flow-control guide. Every
// line goes through one queue, in order, and the queue drains at the terminal's pace: at most
// `chunk` lines per tick (one animation frame), and nothing while more than `high` characters
// are written and not yet parsed. So a flood, or a Resume after a long Pause, never hands the
// terminal more than one frame's worth of text at once, and the editor's main thread (which a
// webview shares in code-server) never freezes on one giant write.
//
// The queue holds at most `maxHeld` lines. Pausing stops the draining, not the counting: lines
// are held, in order, up to that limit, and Resume replays every one of them. Lines that come
// past the limit are not held (and counted, so the status can say so before the user resumes);
// the place where they went is marked in the stream by one notice line saying how many, so
// what is shown is always a true sequence with its gaps named. The capture itself is never
// slowed down; the pane only shows less, and says so.

export interface FlowSink {
  write(data: string, parsed: () => void): void;
}

export interface FlowOptions {
  /** Characters written and not yet parsed above which nothing more is written until the terminal catches up. */
  high: number;
  /** Lines the queue holds (while paused, or while the terminal is behind); beyond it lines are not held. */
  maxHeld: number;
  /** Lines written per tick at most: one animation frame's worth. */
  chunk: number;
}

export const DEFAULT_FLOW: FlowOptions = { high: 128 * 1024, maxHeld: 20_000, chunk: 500 };

/** Why lines were not held: the user paused, or the terminal could not keep up. */
export type GapReason = 'paused' | 'behind';

/** Runs a callback on the next tick (requestAnimationFrame in the webview; a manual clock in tests). */
export type TickScheduler = (callback: () => void) => void;

interface Gap {
  notice: true;
  text: string;
}
type Entry = string | Gap;

export class LineFlow {
  private pending = 0;
  private queue: Entry[] = [];
  /** Index of the first entry not yet written (the queue is compacted as it drains). */
  private head = 0;
  /** Lines (not notices) in the queue. */
  private queuedLines = 0;
  private isPaused = false;
  private tickScheduled = false;
  /** Lines not held since the last gap notice, and why the gap began. */
  private gap = 0;
  private gapReason: GapReason = 'behind';
  /** Lines not held while paused, since the pause began (the status says it). */
  private notHeldInPause = 0;
  /** Every line not held (paused past the limit, or behind), since the last reset. */
  private droppedTotal = 0;
  /** Lines written to the terminal since the last reset. */
  private shownTotal = 0;
  /** Called after each tick's write (the pane's status follows a replay with it). */
  onDrain: (() => void) | undefined;

  constructor(
    private readonly sink: FlowSink,
    private readonly notice: (skipped: number, reason: GapReason, limit: number) => string,
    private readonly tick: TickScheduler,
    private readonly options: FlowOptions = DEFAULT_FLOW,
  ) {}

  get paused(): boolean {
    return this.isPaused;
  }

  /** Lines waiting to be written: held while paused, or not yet replayed. */
  get heldCount(): number {
    return this.queuedLines;
  }

  /** Lines that did not fit while paused (since this pause began). */
  get notHeldCount(): number {
    return this.notHeldInPause;
  }

  /** The hold limit, in lines. */
  get holdLimit(): number {
    return this.options.maxHeld;
  }

  /** Lines not held (paused past the limit, or the pane behind), since the last reset. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Lines written to the terminal, since the last reset. */
  get shown(): number {
    return this.shownTotal;
  }

  /** Characters written and not yet parsed by the terminal. */
  get backlog(): number {
    return this.pending;
  }

  /** Lines wait although the pane is not paused (a replay, or the terminal behind). */
  get replaying(): boolean {
    return !this.isPaused && this.queuedLines > 0;
  }

  /** Each line ends with its own CRLF. */
  push(lines: readonly string[]): void {
    for (const line of lines) {
      if (this.queuedLines >= this.options.maxHeld) {
        if (this.gap === 0) this.gapReason = this.isPaused ? 'paused' : 'behind';
        this.gap++;
        this.droppedTotal++;
        if (this.isPaused) this.notHeldInPause++;
        continue;
      }
      this.closeGap();
      this.queue.push(line);
      this.queuedLines++;
    }
    this.kick();
  }

  /** A line of our own (a notice, an error): queued in order, never counted against the limit. */
  pushNotice(text: string): void {
    if (!text) return;
    this.closeGap();
    this.queue.push({ notice: true, text });
    this.kick();
  }

  pause(): void {
    this.isPaused = true;
    this.notHeldInPause = 0;
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.kick();
  }

  /** Forgets what waits and every count (the pane was cleared); what is in flight stays counted. */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.queuedLines = 0;
    this.resetCounts();
  }

  /** A new capture: its counts start from zero (what waits is still shown). */
  resetCounts(): void {
    this.gap = 0;
    this.notHeldInPause = 0;
    this.droppedTotal = 0;
    this.shownTotal = 0;
  }

  /** Writes the gap's notice into the queue, where the lines went missing. */
  private closeGap(): void {
    if (this.gap === 0) return;
    this.queue.push({ notice: true, text: this.notice(this.gap, this.gapReason, this.options.maxHeld) });
    this.gap = 0;
  }

  private kick(): void {
    if (this.isPaused || this.tickScheduled || this.head >= this.queue.length) return;
    this.tickScheduled = true;
    this.tick(() => {
      this.tickScheduled = false;
      this.drain();
    });
  }

  /** One tick: up to `chunk` lines (and the notices among them), if the terminal has room. */
  private drain(): void {
    if (this.isPaused || this.pending > this.options.high) return; // the parse callback kicks again
    let text = '';
    let lines = 0;
    while (this.head < this.queue.length && lines < this.options.chunk) {
      const entry = this.queue[this.head++];
      if (typeof entry === 'string') {
        text += entry;
        lines++;
      } else {
        text += entry.text;
      }
    }
    this.queuedLines -= lines;
    this.shownTotal += lines;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.write(text);
    this.kick();
    this.onDrain?.();
  }

  private write(text: string): void {
    if (!text) return;
    this.pending += text.length;
    this.sink.write(text, () => {
      const wasOver = this.pending > this.options.high;
      this.pending -= text.length;
      if (wasOver && this.pending <= this.options.high) this.kick();
    });
  }
}
