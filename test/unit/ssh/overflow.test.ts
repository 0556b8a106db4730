// The spreading of channels over several connections to one host, on stand-in connections that
// refuse a channel past their limit as sshd does (MaxSessions), with injected timers.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { ChannelSpreader, type Timers } from '../../../src/ssh/overflow';

class Refused extends Error {}

/**
 * Holds up to `limit` sessions, like one SSH connection to an sshd with MaxSessions `limit`.
 * As with sshd, each request is granted or refused in the order asked, and a refusal comes
 * back before the grants asked just before it are complete (ssh2 reports a session open
 * only once its exec request has been answered too).
 */
class Carrier extends EventEmitter {
  sessions = 0;
  pendingSessions = 0;
  closed = false;
  private granted = 0;
  constructor(
    readonly name: string,
    private readonly limit: number,
  ) {
    super();
    this.setMaxListeners(0);
  }
  /** Opens one channel; resolves with a function that closes it. */
  async open(): Promise<() => void> {
    if (this.closed) throw new Error(`${this.name} is closed`);
    this.pendingSessions++;
    const grant = this.granted < this.limit;
    if (grant) this.granted++;
    await Promise.resolve();
    if (!grant) {
      this.pendingSessions--;
      this.emit('sessions', this.sessions);
      throw new Refused('open failed');
    }
    for (let i = 0; i < 5; i++) await Promise.resolve(); // the exec request's round trip
    this.pendingSessions--;
    this.sessions++;
    this.emit('sessions', this.sessions);
    return () => {
      this.granted--;
      this.sessions--;
      this.emit('sessions', this.sessions);
    };
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

class FakeTimers implements Timers {
  now = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private next = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.pending.set(++this.next, { at: this.now + ms, callback });
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.now) continue;
      this.pending.delete(id);
      timer.callback();
    }
  }
  get count(): number {
    return this.pending.size;
  }
}

function setUp(limit = 10) {
  const timers = new FakeTimers();
  const log: string[] = [];
  const opened: Carrier[] = [];
  const spreader = new ChannelSpreader<Carrier>('ovs-a', {
    openExtra: async () => {
      const carrier = new Carrier(`extra${opened.length + 1}`, limit);
      opened.push(carrier);
      return carrier;
    },
    isRefused: (error) => error instanceof Refused,
    tooMany: (connections, each) => new Error(`too many: ${connections} × ${each}`),
    log: (line) => log.push(line),
    timers,
    idleGraceMs: 30_000,
    maxConnections: 4,
  });
  return { timers, log, opened, spreader, primary: new Carrier('primary', limit) };
}

describe('ChannelSpreader (more channels than sshd allows on one connection)', () => {
  it('puts 24 channels on three connections when each holds 10, and says so once per full connection', async () => {
    const { spreader, primary, opened, log } = setUp();
    const closers = await Promise.all(Array.from({ length: 24 }, () => spreader.place(primary, (c) => c.open().then((close) => ({ c, close })))));
    assert.equal(primary.sessions, 10);
    assert.deepEqual(
      opened.map((c) => c.sessions),
      [10, 4],
    );
    assert.equal(closers.filter((x) => x.c === primary).length, 10);
    assert.equal(log.filter((line) => /refused a channel on a connection holding 10/.test(line)).length, 2, log.join('\n'));
    assert.equal(log.filter((line) => /opened connection \d to ovs-a/.test(line)).length, 2, log.join('\n'));
  });

  it('fills the first connection first again once it has room', async () => {
    const { spreader, primary, opened } = setUp(2);
    const first = await Promise.all([1, 2, 3].map(() => spreader.place(primary, (c) => c.open())));
    assert.equal(opened.length, 1);
    first[0]!(); // the primary has room again
    await spreader.place(primary, (c) => c.open());
    assert.equal(primary.sessions, 2);
    assert.equal(opened[0]!.sessions, 1);
  });

  it('closes an idle extra connection after the grace period, not before, and not one in use again', async () => {
    const { spreader, primary, opened, timers, log } = setUp(1);
    await spreader.place(primary, (c) => c.open());
    const onExtra = await spreader.place(primary, (c) => c.open());
    assert.equal(opened.length, 1);
    onExtra();
    timers.advance(29_999);
    assert.equal(opened[0]!.closed, false);
    // Used again within the grace period: the timer is off.
    const again = await spreader.place(primary, (c) => c.open());
    timers.advance(60_000);
    assert.equal(opened[0]!.closed, false);
    again();
    timers.advance(30_000);
    assert.equal(opened[0]!.closed, true);
    assert.equal(spreader.extraCount, 0);
    assert.ok(log.some((line) => /closed an extra connection to ovs-a, idle for 30 s/.test(line)), log.join('\n'));
    assert.equal(timers.count, 0);
  });

  it('never closes the primary connection when it idles', async () => {
    const { spreader, primary, timers } = setUp(1);
    const close = await spreader.place(primary, (c) => c.open());
    close();
    timers.advance(120_000);
    assert.equal(primary.closed, false);
  });

  it('passes on a refusal on a connection that holds nothing: another connection would not help', async () => {
    const { spreader, opened } = setUp(0);
    const primary = new Carrier('primary', 0);
    await assert.rejects(spreader.place(primary, (c) => c.open()), Refused);
    assert.equal(opened.length, 0);
  });

  it('passes on other errors at once, without opening a connection', async () => {
    const { spreader, primary, opened } = setUp();
    await assert.rejects(spreader.place(primary, () => Promise.reject(new Error('exec failed'))), /exec failed/);
    assert.equal(opened.length, 0);
  });

  it('stops at the most connections allowed, with the error that says so', async () => {
    const { spreader, primary } = setUp(1);
    await Promise.all([1, 2, 3, 4].map(() => spreader.place(primary, (c) => c.open())));
    await assert.rejects(spreader.place(primary, (c) => c.open()), /too many: 4 × 1/);
  });

  it('closes every extra connection when the host is let go', async () => {
    const { spreader, primary, opened } = setUp(1);
    await Promise.all([1, 2, 3].map(() => spreader.place(primary, (c) => c.open())));
    spreader.closeAll();
    assert.deepEqual(
      opened.map((c) => c.closed),
      [true, true],
    );
    assert.equal(primary.closed, false);
  });
});
