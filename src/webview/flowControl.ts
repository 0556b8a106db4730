// Flow control between a capture and its terminal, after xterm.js's flow-control guide. Every
// line goes through one queue, in order, and the queue drains at the terminal's pace: on a tick
// (an animation frame, at most one each `everyMs`: the terminal redraws after every write, at
// a cost that does not depend on how many lines came) it writes chunks of at most `chunk`
// lines while fewer than `high` characters are written and not yet parsed. xterm parses its write buffer chunk by chunk and
// yields to the page between them once a slice of time is used, so small chunks keep every
// frame short, and the watermark keeps xterm's own buffer small while still letting it parse
// as fast as it can. A flood, or a Resume after a long Pause, never hands the terminal one giant
// write, and the editor's main thread (which a webview shares in code-server) never freezes.
//
// Pausing stops the draining, not the counting: lines are held, in order, up to `maxHeld`, and
// Resume replays every one of them. Lines that come past the limit are not held (and counted,
// so the status can say so before the user resumes); the place where they went is marked in
// the stream by one notice line saying how many, so what is shown is always a true sequence
// with its gaps named.
//
// A pane that is not paused loses no line to a limit of its own. If the terminal falls so far
// behind that more than `maxBehind` lines (more than its scrollback holds) wait, the oldest of
// them are trimmed unwritten: once the newer ones were written they would have scrolled out of
// the scrollback anyway, so what the pane shows is the same, and memory stays bounded. The
// place is marked by a notice saying how many were trimmed, and the count is kept apart from
// lines not held. Held lines (a Pause's) are never trimmed. The capture itself is never slowed
// down.

export interface FlowSink {
  write(data: string, parsed: () => void): void;
}

export interface FlowOptions {
  /** Characters written and not yet parsed above which nothing more is written until the terminal catches up. */
  high: number;
  /** Lines held while paused; beyond it lines are not held. */
  maxHeld: number;
  /** Lines in one write at most (xterm yields to the page between writes). */
  chunk: number;
  /** Lines waiting while not paused beyond which the oldest are trimmed unwritten (at least the scrollback). */
  maxBehind: number;
  /** Least time between two ticks that write, ms: the terminal redraws after each, and a redraw costs the same for 10 lines or 1,000. */
  everyMs: number;
}

export const DEFAULT_FLOW: FlowOptions = { high: 192 * 1024, maxHeld: 20_000, chunk: 100, maxBehind: 20_000, everyMs: 50 };

/** Why lines are missing where the notice stands: past the hold limit of a pause, or trimmed as scrollback never drawn. */
export type GapReason = 'paused' | 'trimmed';

/** Runs a callback on the next tick (requestAnimationFrame in the webview; a manual clock in tests). */
export type TickScheduler = (callback: () => void) => void;

interface Notice {
  notice: true;
  text: string;
}
type Entry = string | Notice;

/** A first-in first-out queue of entries that counts its lines (the notices apart). */
class EntryQueue {
  private items: Entry[] = [];
  private head = 0;
  lines = 0;

  get empty(): boolean {
    return this.head >= this.items.length;
  }

  push(entry: Entry): void {
    this.items.push(entry);
    if (typeof entry === 'string') this.lines++;
  }

  shift(): Entry {
    const entry = this.items[this.head++];
    if (typeof entry === 'string') this.lines--;
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Moves everything of `other` behind what this queue holds. */
  take(other: EntryQueue): void {
    while (!other.empty) this.push(other.shift());
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.lines = 0;
  }
}

export class LineFlow {
  private pending = 0;
  /** Lines of a pause (and what waited when it began): written first, never trimmed. */
  private readonly held = new EntryQueue();
  /** Lines that came while not paused and wait for the terminal. */
  private readonly live = new EntryQueue();
  private isPaused = false;
  private tickScheduled = false;
  private lastWriteAt = -Infinity;
  /** Lines not held since the last gap notice (paused past the limit). */
  private gap = 0;
  /** Lines trimmed from the head of `live` since its last notice, and the notices that stood among them. */
  private trimmedAtHead = 0;
  private noticesTrimmedPast: string[] = [];
  /** Lines not held while paused, since the pause began (the status says it). */
  private notHeldInPause = 0;
  /** Every line not held (paused past the limit), since the last reset. */
  private droppedTotal = 0;
  /** Every line trimmed unwritten (the terminal more than `maxBehind` lines behind), since the last reset. */
  private trimmedTotal = 0;
  /** Lines written to the terminal since the last reset. */
  private shownTotal = 0;
  /** Called after each tick's write (the pane's status follows a replay with it). */
  onDrain: (() => void) | undefined;

  constructor(
    private readonly sink: FlowSink,
    private readonly notice: (skipped: number, reason: GapReason, limit: number) => string,
    private readonly tick: TickScheduler,
    private options: FlowOptions = DEFAULT_FLOW,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get paused(): boolean {
    return this.isPaused;
  }

  /** Lines waiting to be written: held while paused, not yet replayed, or the terminal behind. */
  get heldCount(): number {
    return this.held.lines + this.live.lines;
  }

  /** Lines of a pause not yet replayed. */
  get replayCount(): number {
    return this.held.lines;
  }

  /** Lines that did not fit while paused (since this pause began). */
  get notHeldCount(): number {
    return this.notHeldInPause;
  }

  /** The hold limit, in lines. */
  get holdLimit(): number {
    return this.options.maxHeld;
  }

  /** Lines not held (paused past the limit), since the last reset. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Lines trimmed unwritten as scrollback never drawn, since the last reset. */
  get trimmed(): number {
    return this.trimmedTotal;
  }

  /** Lines written to the terminal, since the last reset. */
  get shown(): number {
    return this.shownTotal;
  }

  /** Characters written and not yet parsed by the terminal. */
  get backlog(): number {
    return this.pending;
  }

  /** Held lines wait although the pane is not paused: a replay. */
  get replaying(): boolean {
    return !this.isPaused && this.held.lines > 0;
  }

  /** Each line ends with its own CRLF. */
  push(lines: readonly string[]): void {
    if (this.isPaused) {
      for (const line of lines) {
        if (this.held.lines >= this.options.maxHeld) {
          this.gap++;
          this.droppedTotal++;
          this.notHeldInPause++;
          continue;
        }
        this.closeGap();
        this.held.push(line);
      }
    } else {
      this.closeGap();
      for (const line of lines) this.live.push(line);
      this.trim();
    }
    this.kick();
  }

  /** A line of our own (a notice, an error): queued in order, never counted against a limit, never trimmed. */
  pushNotice(text: string): void {
    if (!text) return;
    this.closeGap();
    (this.isPaused ? this.held : this.live).push({ notice: true, text });
    this.kick();
  }

  /** The terminal's scrollback changed: what may wait before the oldest is trimmed follows it. */
  setMaxBehind(lines: number): void {
    this.options = { ...this.options, maxBehind: lines };
    if (!this.isPaused) this.trim();
  }

  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.notHeldInPause = 0;
    // What waited when the user paused is what they paused on: it is held (and so never trimmed).
    this.moveTrimNotice(this.held);
    this.held.take(this.live);
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.closeGap();
    this.kick();
  }

  /** Forgets what waits and every count (the pane was cleared); what is in flight stays counted. */
  clear(): void {
    this.held.clear();
    this.live.clear();
    this.trimmedAtHead = 0;
    this.noticesTrimmedPast = [];
    this.resetCounts();
  }

  /** A new capture: its counts start from zero (what waits is still shown). */
  resetCounts(): void {
    this.gap = 0;
    this.notHeldInPause = 0;
    this.droppedTotal = 0;
    this.trimmedTotal = 0;
    this.shownTotal = 0;
  }

  /** Writes the gap's notice into the held queue, where the lines went missing. */
  private closeGap(): void {
    if (this.gap === 0) return;
    this.held.push({ notice: true, text: this.notice(this.gap, 'paused', this.options.maxHeld) });
    this.gap = 0;
  }

  /** Drops the oldest live lines beyond `maxBehind`; their notices are kept, to be written with the trim's own. */
  private trim(): void {
    while (this.live.lines > this.options.maxBehind) {
      const entry = this.live.shift();
      if (typeof entry === 'string') {
        this.trimmedAtHead++;
        this.trimmedTotal++;
      } else {
        this.noticesTrimmedPast.push(entry.text);
      }
    }
  }

  /** The trim's notice (and the notices that stood among the trimmed lines), into `queue`. */
  private moveTrimNotice(queue: EntryQueue): void {
    if (this.trimmedAtHead === 0) return;
    queue.push({ notice: true, text: this.notice(this.trimmedAtHead, 'trimmed', this.options.maxBehind) });
    for (const text of this.noticesTrimmedPast) queue.push({ notice: true, text });
    this.trimmedAtHead = 0;
    this.noticesTrimmedPast = [];
  }

  private get waiting(): boolean {
    return !this.held.empty || !this.live.empty || this.trimmedAtHead > 0;
  }

  private kick(): void {
    if (this.isPaused || this.tickScheduled || !this.waiting) return;
    this.tickScheduled = true;
    this.tick(() => {
      this.tickScheduled = false;
      this.drain();
    });
  }

  /** One tick: chunks of up to `chunk` lines (and the notices among them) while the terminal has room. */
  private drain(): void {
    if (this.isPaused) return;
    if (this.now() - this.lastWriteAt < this.options.everyMs) {
      this.kick();
      return;
    }
    let wrote = false;
    while (this.pending <= this.options.high && this.waiting) {
      let text = '';
      let lines = 0;
      while (lines < this.options.chunk) {
        const queue = !this.held.empty ? this.held : this.trimmedAtHead > 0 || !this.live.empty ? this.live : undefined;
        if (!queue) break;
        if (queue === this.live && this.trimmedAtHead > 0) {
          // The trimmed lines stood before what now heads the live queue.
          const notices = new EntryQueue();
          this.moveTrimNotice(notices);
          while (!notices.empty) text += (notices.shift() as Notice).text;
          continue;
        }
        const entry = queue.shift();
        if (typeof entry === 'string') {
          text += entry;
          lines++;
        } else {
          text += entry.text;
        }
      }
      this.shownTotal += lines;
      this.write(text);
      wrote = true;
    }
    if (wrote) this.lastWriteAt = this.now();
    // Over the watermark, the parse callback asks for the next tick; otherwise more may come.
    if (this.pending <= this.options.high) this.kick();
    if (wrote) this.onDrain?.();
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
