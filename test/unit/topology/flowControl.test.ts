import { strict as assert } from 'node:assert';
import { LineFlow, type FlowOptions } from '../../../src/webview/flowControl';

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

const OPTIONS: FlowOptions = { high: 100, low: 20, maxHeld: 5, chunk: 2 };
const notice = (count: number) => `[skipped ${count}]\n`;
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${String(from + i).padStart(3, '0')}\n`);

describe('flow control of a capture pane', () => {
  it('writes lines straight through while the terminal keeps up', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.push(lines(1, 3));
    terminal.parse();
    flow.push(lines(4, 2));
    terminal.parse();
    assert.equal(terminal.text, lines(1, 5).join(''));
    assert.equal(flow.backlog, 0);
    assert.equal(flow.dropped, 0);
  });

  it('drops lines above the high watermark and says how many once below the low one', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.push(lines(1, 10)); // 90 characters in flight: under the high watermark
    flow.push(lines(11, 2)); // written: 108 in flight, now over
    assert.equal(flow.backlog, 108);
    flow.push(lines(13, 3)); // dropped
    flow.push(lines(16, 1)); // dropped
    assert.equal(flow.behind, true);
    assert.equal(flow.dropped, 4);
    assert.equal(terminal.written.length, 2);

    terminal.parse(1); // 18 left in flight: under the low watermark
    assert.equal(flow.behind, false);
    assert.equal(terminal.written[2], '[skipped 4]\n');
    flow.push(lines(17, 1));
    terminal.parse();
    assert.equal(terminal.text, [...lines(1, 12), '[skipped 4]\n', ...lines(17, 1)].join(''));
    assert.equal(flow.backlog, 0);
  });

  it('stays behind until the backlog is below the low watermark, not merely below the high one', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, { ...OPTIONS, high: 30, low: 10 });
    flow.push(lines(1, 2)); // 18
    flow.push(lines(3, 2)); // 36: over
    flow.push(lines(5, 1)); // dropped
    terminal.parse(1); // 18 in flight: under high, over low
    assert.equal(flow.behind, true);
    flow.push(lines(6, 1)); // still dropped
    terminal.parse(1);
    assert.equal(flow.behind, false);
    assert.equal(terminal.written.at(-1), '[skipped 2]\n');
  });

  it('holds lines while paused, counts them, and writes them on resume', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.pause();
    flow.push(lines(1, 3));
    assert.equal(flow.paused, true);
    assert.equal(flow.heldCount, 3);
    assert.equal(terminal.written.length, 0);
    flow.resume();
    assert.equal(flow.heldCount, 0);
    assert.equal(terminal.text, lines(1, 3).join(''));
    // Written in chunks of two lines.
    assert.deepEqual(terminal.written, [lines(1, 2).join(''), lines(3, 1).join('')]);
  });

  it('keeps the newest lines past the hold limit and reports the oldest as skipped on resume', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.pause();
    flow.push(lines(1, 4));
    flow.push(lines(5, 4));
    assert.equal(flow.heldCount, 5);
    assert.equal(flow.dropped, 3);
    flow.resume();
    assert.equal(terminal.text, ['[skipped 3]\n', ...lines(4, 5)].join(''));
  });

  it('writes its own notices even when paused or behind', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.pause();
    flow.pushNotice('tcpdump: syntax error\n');
    assert.equal(terminal.text, 'tcpdump: syntax error\n');
  });

  it('forgets held and dropped lines when cleared', () => {
    const terminal = new SlowTerminal();
    const flow = new LineFlow(terminal, notice, OPTIONS);
    flow.pause();
    flow.push(lines(1, 8));
    flow.clear();
    assert.equal(flow.heldCount, 0);
    assert.equal(flow.dropped, 0);
    flow.resume();
    assert.equal(terminal.text, '');
  });
});
