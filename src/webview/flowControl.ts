// Flow control between a capture and its terminal, after xterm.js's flow-control guide: every
// write is counted until the terminal's callback says it was parsed. Above the high watermark
// the pane is behind: lines are dropped (and counted) until the terminal drains below the low
// watermark, then one "skipped N lines" notice is written and lines flow again. The capture
// itself is never slowed down; the pane only shows less.
//
// Pausing stops rendering, not counting: lines are held (up to a limit, the oldest dropped
// beyond it) and written when the pane resumes.

export interface FlowSink {
  write(data: string, parsed: () => void): void;
}

export interface FlowOptions {
  /** Characters written and not yet parsed above which lines are dropped. */
  high: number;
  /** Characters written and not yet parsed below which lines flow again. */
  low: number;
  /** Lines held while paused; beyond it the oldest are dropped. */
  maxHeld: number;
  /** Lines written at once when held lines are flushed. */
  chunk: number;
}

export const DEFAULT_FLOW: FlowOptions = { high: 256 * 1024, low: 32 * 1024, maxHeld: 20_000, chunk: 500 };

export class LineFlow {
  private pending = 0;
  private dropping = false;
  /** Lines dropped since the last notice. */
  private unreported = 0;
  private held: string[] = [];
  private isPaused = false;
  /** Every line dropped (behind, or past the hold limit), since the last clear. */
  private droppedTotal = 0;

  constructor(
    private readonly sink: FlowSink,
    private readonly notice: (skipped: number) => string,
    private readonly options: FlowOptions = DEFAULT_FLOW,
  ) {}

  get paused(): boolean {
    return this.isPaused;
  }

  /** Lines held while paused. */
  get heldCount(): number {
    return this.held.length;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  /** Characters written and not yet parsed by the terminal. */
  get backlog(): number {
    return this.pending;
  }

  get behind(): boolean {
    return this.dropping;
  }

  /** Each line ends with its own CRLF. */
  push(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.isPaused) {
      this.held.push(...lines);
      const over = this.held.length - this.options.maxHeld;
      if (over > 0) {
        this.held.splice(0, over);
        this.drop(over);
      }
      return;
    }
    this.deliver(lines);
  }

  /** Lines of our own (a notice, an error): always written, flow or not, held or not. */
  pushNotice(text: string): void {
    this.write(text);
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    const held = this.held;
    this.held = [];
    for (let at = 0; at < held.length; at += this.options.chunk) this.deliver(held.slice(at, at + this.options.chunk));
    this.report();
  }

  /** Forgets held and dropped lines (the pane was cleared); what is in flight stays counted. */
  clear(): void {
    this.held = [];
    this.unreported = 0;
    this.droppedTotal = 0;
  }

  private deliver(lines: readonly string[]): void {
    if (this.dropping || this.pending > this.options.high) {
      this.dropping = true;
      this.drop(lines.length);
      return;
    }
    this.report();
    this.write(lines.join(''));
  }

  private drop(count: number): void {
    this.unreported += count;
    this.droppedTotal += count;
  }

  /** Says how many lines went, once the pane can take text again. */
  private report(): void {
    if (this.unreported === 0 || this.dropping || this.isPaused) return;
    const count = this.unreported;
    this.unreported = 0;
    this.write(this.notice(count));
  }

  private write(text: string): void {
    if (!text) return;
    this.pending += text.length;
    this.sink.write(text, () => {
      this.pending -= text.length;
      if (this.dropping && this.pending <= this.options.low) {
        this.dropping = false;
        this.report();
      }
    });
  }
}
