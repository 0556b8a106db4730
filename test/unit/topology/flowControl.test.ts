import { strict as assert } from 'node:assert';
import { LineFlow, type FlowOptions, type GapReason } from '../../../src/webview/flowControl';

/** A terminal that parses only when told to: `parse()` acknowledges the oldest writes. */
class SlowTerminal {
  readonly written: string[] = [];
  private readonly callbacks: (() => void)[] = [];
  write(data: string, parsed: () => void): void {
    this.written.push(data);
    this.callbacks.push(parsed);
  }
  parse(count = Infinity): void {
    for (let i = 0; i < count && this.callbacks.length; i++) this.callbacks.shift()!();
  }
  get text(): string {
    return this.written.join('');
  }
}

/** Animation frames by hand: `frame()` runs what was asked for the next frame. */
class Frames {
  private waiting: (() => void)[] = [];
  readonly tick = (callback: () => void) => void this.waiting.push(callback);
  get pending(): number {
    return this.waiting.length;
  }
  frame(): void {
    const now = this.waiting;
    this.waiting = [];
    for (const callback of now) callback();
  }
  /** Frames until nothing more is asked for (bounded), the terminal parsing after each. */
  run(terminal?: SlowTerminal, limit = 10_000): number {
    let frames = 0;
    while (this.waiting.length && frames < limit) {
      this.frame();
      terminal?.parse();
      frames++;
    }
    return frames;
  }
}

const OPTIONS: FlowOptions = { high: 100, maxHeld: 5, chunk: 2, maxBehind: 1000, everyMs: 0 };
const notice = (count: number, reason: GapReason, limit: number) => `[${reason} ${count} of ${limit}]\n`;
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${String(from + i).padStart(3, '0')}\n`);

function setup(options: Partial<FlowOptions> = {}) {
  const terminal = new SlowTerminal();
  const frames = new Frames();
  const clock = { ms: 0 };
  const flow = new LineFlow(terminal, notice, frames.tick, { ...OPTIONS, ...options }, () => clock.ms);
  return { terminal, frames, flow, clock };
}

describe('flow control of a capture pane', () => {
  it('writes lines in order, in chunks of at most `chunk` lines, as many a frame as stay under `high`', () => {
    const { terminal, frames, flow } = setup({ high: 40 }); // 9 characters a line, 18 a chunk
    flow.push(lines(1, 9));
    assert.equal(terminal.written.length, 0, 'nothing is written outside an animation frame');
    frames.frame();
    assert.deepEqual(terminal.written, [lines(1, 2).join(''), lines(3, 2).join(''), lines(5, 2).join('')], 'chunks until over the watermark (54 > 40)');
    assert.equal(frames.pending, 0, 'over the watermark it waits for the terminal, not for a frame');
    terminal.parse();
    frames.run(terminal);
    assert.equal(terminal.text, lines(1, 9).join(''));
    assert.ok(terminal.written.every((chunk) => chunk.split('\n').length - 1 <= 2));
    assert.equal(flow.shown, 9);
  });

  it('writes at most once each `everyMs`: the frames between ask again and write nothing', () => {
    const { terminal, frames, flow, clock } = setup({ everyMs: 50, high: 1000 });
    flow.push(lines(1, 2));
    frames.frame();
    assert.equal(terminal.written.length, 1);
    terminal.parse();
    flow.push(lines(3, 2));
    for (const at of [16, 33, 49]) {
      clock.ms = at;
      frames.frame();
      assert.equal(terminal.written.length, 1, `nothing at ${at} ms`);
      assert.equal(frames.pending, 1, 'the next frame is asked for');
    }
    clock.ms = 50;
    frames.frame();
    assert.deepEqual(terminal.written, [lines(1, 2).join(''), lines(3, 2).join('')]);
    assert.equal(frames.pending, 0);
  });

  it('writes nothing more while the terminal has more than `high` characters unparsed, and goes on once it parses', () => {
    const { terminal, frames, flow } = setup({ high: 20, maxHeld: 100 });
    flow.push(lines(1, 6)); // 9 characters a line
    frames.frame(); // 18, then 36 in flight: over
    frames.frame(); // nothing asked for, nothing written
    assert.equal(terminal.written.length, 2);
    assert.equal(flow.heldCount, 2);
    assert.equal(frames.pending, 0, 'it waits for the terminal, not for a frame');
    terminal.parse(1); // 18: under again, so the next frame is asked for
    assert.equal(frames.pending, 1);
    frames.run(terminal);
    assert.equal(terminal.text, lines(1, 6).join(''));
    assert.equal(flow.dropped, 0);
  });

  it('holds every line while paused and replays them all, in order, on resume, in chunks', () => {
    const { terminal, frames, flow } = setup({ maxHeld: 1000, chunk: 50, high: 1_000_000 });
    flow.pause();
    for (let at = 1; at <= 900; at += 100) flow.push(lines(at, 100));
    frames.run(terminal);
    assert.equal(terminal.written.length, 0);
    assert.equal(flow.heldCount, 900);
    assert.equal(flow.notHeldCount, 0);
    flow.resume();
    assert.equal(flow.replaying, true);
    frames.run(terminal);
    assert.equal(terminal.text, lines(1, 900).join(''));
    assert.ok(terminal.written.every((chunk) => chunk.split('\n').length - 1 <= 50), 'no write holds more than one chunk');
    assert.equal(flow.heldCount, 0);
    assert.equal(flow.dropped, 0);
    assert.equal(flow.shown, 900);
  });

  it('past the hold limit keeps the first lines, counts the rest as not held before resume, and marks the gap where it was', () => {
    const { terminal, frames, flow } = setup();
    flow.pause();
    flow.push(lines(1, 8));
    assert.equal(flow.heldCount, 5);
    assert.equal(flow.notHeldCount, 3, 'the status can say it while still paused');
    assert.equal(flow.holdLimit, 5);
    flow.resume();
    frames.run(terminal);
    flow.push(lines(20, 1));
    frames.run(terminal);
    assert.equal(terminal.text, [...lines(1, 5), '[paused 3 of 5]\n', ...lines(20, 1)].join(''));
    assert.equal(flow.dropped, 3);
  });

  it('lines that come during a replay queue behind the held ones', () => {
    const { terminal, frames, flow } = setup({ maxHeld: 100 });
    flow.pause();
    flow.push(lines(1, 5));
    flow.resume();
    frames.frame();
    flow.push(lines(6, 2)); // live, while three held lines still wait
    frames.run(terminal);
    assert.equal(terminal.text, lines(1, 7).join(''));
  });

  it('a terminal that cannot keep up loses no line to a limit while the pane is not paused', () => {
    const { terminal, frames, flow } = setup({ high: 10, maxHeld: 3, chunk: 1, maxBehind: 1000 });
    flow.push(lines(1, 2));
    frames.frame(); // line 1 and 2 in flight: over
    flow.push(lines(3, 500)); // far past the hold limit, which is for a pause only
    assert.equal(flow.dropped, 0);
    assert.equal(flow.trimmed, 0);
    assert.equal(flow.heldCount, 500);
    for (let i = 0; i < 1000 && flow.heldCount > 0; i++) {
      terminal.parse();
      frames.run(terminal);
    }
    assert.equal(terminal.text, lines(1, 502).join(''));
    assert.equal(flow.shown, 502);
  });

  it('behind by more than `maxBehind` lines, trims the oldest waiting ones unwritten, keeps the notices among them, and says how many where they were', () => {
    const { terminal, frames, flow } = setup({ high: 10, chunk: 1, maxBehind: 4 });
    flow.push(lines(1, 2));
    frames.frame(); // 1 and 2 in flight: over
    flow.push(lines(3, 2));
    flow.pushNotice('ended\n');
    flow.push(lines(5, 5)); // 3..9 wait: 3, 4, 5 are the oldest beyond 4
    assert.equal(flow.trimmed, 3);
    assert.equal(flow.heldCount, 4, 'memory stays bounded');
    terminal.parse();
    frames.run(terminal);
    assert.equal(terminal.text, [...lines(1, 2), '[trimmed 3 of 4]\n', 'ended\n', ...lines(6, 4)].join(''));
    assert.equal(flow.shown + flow.trimmed, 9, 'every line is written or counted as trimmed');
    assert.equal(flow.dropped, 0);
  });

  it('follows a smaller scrollback at once: what waits beyond it is trimmed', () => {
    const { terminal, frames, flow } = setup({ high: 10, chunk: 1, maxBehind: 100 });
    flow.push(lines(1, 2));
    frames.frame(); // over
    flow.push(lines(3, 10));
    assert.equal(flow.trimmed, 0);
    flow.setMaxBehind(4);
    assert.equal(flow.trimmed, 6);
    terminal.parse();
    frames.run(terminal);
    assert.equal(terminal.text, [...lines(1, 2), '[trimmed 6 of 4]\n', ...lines(9, 4)].join(''));
  });

  it('never trims what a pause held, even when more than `maxBehind` lines wait after it', () => {
    const { terminal, frames, flow } = setup({ high: 1_000_000, maxHeld: 100, chunk: 10, maxBehind: 3 });
    flow.pause();
    flow.push(lines(1, 20));
    flow.resume();
    flow.push(lines(21, 5)); // live behind the replay: 21 and 22 are trimmed, the held 20 are not
    frames.run(terminal);
    assert.equal(terminal.text, [...lines(1, 20), '[trimmed 2 of 3]\n', ...lines(23, 3)].join(''));
    assert.equal(flow.trimmed, 2);
  });

  it('a pause takes over what was waiting: those lines are held, not trimmed', () => {
    const { terminal, frames, flow } = setup({ high: 10, maxHeld: 100, chunk: 1, maxBehind: 5 });
    flow.push(lines(1, 2));
    frames.frame(); // over
    flow.push(lines(3, 4)); // waiting, live
    flow.pause();
    flow.push(lines(7, 10)); // held behind them
    assert.equal(flow.heldCount, 14);
    assert.equal(flow.trimmed, 0);
    flow.resume();
    for (let i = 0; i < 100 && flow.heldCount > 0; i++) {
      terminal.parse();
      frames.run(terminal);
    }
    assert.equal(terminal.text, lines(1, 16).join(''));
  });

  it('queues its own notices in order, outside the limit', () => {
    const { terminal, frames, flow } = setup({ maxHeld: 2 });
    flow.pause();
    flow.push(lines(1, 2));
    flow.pushNotice('ended\n');
    assert.equal(terminal.text, '');
    flow.resume();
    frames.run(terminal);
    assert.equal(terminal.text, [...lines(1, 2), 'ended\n'].join(''));
  });

  it('forgets what waits and every count when cleared; a new capture resets the counts only', () => {
    const { terminal, frames, flow } = setup();
    flow.pause();
    flow.push(lines(1, 8));
    flow.resetCounts();
    assert.equal(flow.dropped, 0);
    assert.equal(flow.notHeldCount, 0);
    assert.equal(flow.heldCount, 5, 'a new capture still shows what the old one held');
    flow.clear();
    assert.equal(flow.heldCount, 0);
    flow.resume();
    frames.run(terminal);
    assert.equal(terminal.text, '');
  });
});
