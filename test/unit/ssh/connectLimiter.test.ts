// Bounded parallel connects, on a manual clock: the limiter alone with jobs that finish when
// told, then the pool with a stand-in connector (no sockets), so that order, the bound, a
// cancelled wait, a failure and a host that never answers are each seen to do what they should.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { Lab, LabHost } from '../../../src/lab/types';
import type { SshConnection } from '../../../src/ssh/connection';
import { ConnectCancelled, ConnectDeadline, ConnectLimiter } from '../../../src/ssh/connectLimiter';
import { EndpointTable } from '../../../src/ssh/endpoints';
import { SshError } from '../../../src/ssh/errors';
import { SshPool } from '../../../src/ssh/pool';
import { SshConfigReader } from '../../../src/ssh/sshConfig';
import type { ExecResult, SshEndpoint } from '../../../src/ssh/types';
import { ManualClock, settle } from '../../support/manualClock';

/** A job that finishes when the test says so, recording when it started. */
class Gate<T> {
  started = false;
  private finish!: { resolve: (v: T) => void; reject: (e: unknown) => void };
  readonly promise: Promise<T>;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => (this.finish = { resolve, reject }));
  }
  start = (): Promise<T> => {
    this.started = true;
    return this.promise;
  };
  resolve(value: T): void {
    this.finish.resolve(value);
  }
  reject(error: unknown): void {
    this.finish.reject(error);
  }
}

describe('connect limiter', () => {
  it('never runs more than its limit, and starts the waiting ones in the order they asked', async () => {
    const clock = new ManualClock(0);
    const limiter = new ConnectLimiter(3, clock);
    const gates = Array.from({ length: 10 }, () => new Gate<number>());
    const order: number[] = [];
    const results = gates.map((gate, i) =>
      limiter.run({
        host: `h${i}`,
        deadlineMs: 10_000,
        start: () => {
          order.push(i);
          assert.ok(limiter.stats().active <= 3, `job ${i} started with ${limiter.stats().active} running`);
          return gate.start();
        },
      }),
    );
    await settle();
    assert.deepEqual(order, [0, 1, 2]);
    assert.deepEqual(limiter.stats(), { limit: 3, active: 3, queued: 7, peak: 3 });
    // Finish the newest running one each time: every freed slot still goes to the next in line.
    const finished = new Set<number>();
    while (finished.size < gates.length) {
      const running = gates.map((g, i) => i).filter((i) => gates[i].started && !finished.has(i));
      assert.ok(running.length <= 3 && running.length > 0, `running: ${running.join(', ')}`);
      const last = running[running.length - 1];
      gates[last].resolve(last);
      finished.add(last);
      await settle();
    }
    await Promise.all(results);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(limiter.stats().peak, 3);
    assert.equal(limiter.stats().active, 0);
  });

  it('a failed connect frees its slot for the next one', async () => {
    const clock = new ManualClock(0);
    const limiter = new ConnectLimiter(1, clock);
    const first = new Gate<string>();
    const second = new Gate<string>();
    const a = limiter.run({ host: 'a', deadlineMs: 10_000, start: first.start });
    const b = limiter.run({ host: 'b', deadlineMs: 10_000, start: second.start });
    await settle();
    assert.equal(second.started, false);
    first.reject(new Error('connection refused'));
    await assert.rejects(a, /connection refused/);
    await settle();
    assert.equal(second.started, true);
    second.resolve('b up');
    assert.equal(await b, 'b up');
  });

  it('a connect cancelled while it waits leaves the queue at once and never starts', async () => {
    const clock = new ManualClock(0);
    const limiter = new ConnectLimiter(1, clock);
    const first = new Gate<string>();
    const cancelled = new Gate<string>();
    const third = new Gate<string>();
    const stop = new AbortController();
    const a = limiter.run({ host: 'a', deadlineMs: 10_000, start: first.start });
    const b = limiter.run({ host: 'b', deadlineMs: 10_000, start: cancelled.start, signal: stop.signal });
    const c = limiter.run({ host: 'c', deadlineMs: 10_000, start: third.start });
    await settle();
    stop.abort();
    await assert.rejects(b, (error: unknown) => error instanceof ConnectCancelled && error.host === 'b');
    assert.equal(limiter.stats().queued, 1);
    first.resolve('a');
    await a;
    await settle();
    assert.equal(cancelled.started, false);
    assert.equal(third.started, true);
    third.resolve('c');
    await c;
    // Already cancelled: refused before it queues.
    await assert.rejects(limiter.run({ host: 'd', deadlineMs: 1, start: () => Promise.resolve('d'), signal: stop.signal }), ConnectCancelled);
  });

  it('a connect that never answers holds its slot for its own deadline, counted from its start, not from its wait', async () => {
    const clock = new ManualClock(0);
    const limiter = new ConnectLimiter(1, clock);
    const dead = new Gate<string>();
    const queued = new Gate<string>();
    const closedLate: string[] = [];
    const a = limiter.run({ host: 'dead', deadlineMs: 5000, start: dead.start, late: (v) => closedLate.push(v) });
    const b = limiter.run({ host: 'slow', deadlineMs: 3000, start: queued.start });
    const failedA = assert.rejects(a, (error: unknown) => error instanceof ConnectDeadline && error.ms === 5000);
    await clock.advanceAsync(4999);
    assert.equal(queued.started, false);
    await clock.advanceAsync(1);
    await failedA;
    assert.equal(queued.started, true);
    // b waited 5 s, longer than its own 3 s deadline, and still has all 3 s now that it runs.
    await clock.advanceAsync(2999);
    queued.resolve('slow up');
    assert.equal(await b, 'slow up');
    // The dead host's connection that comes after all is handed back to be closed.
    dead.resolve('late connection');
    await settle();
    assert.deepEqual(closedLate, ['late connection']);
    assert.equal(limiter.stats().active, 0);
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    assert.throws(() => new ConnectLimiter(0), /at least 1/);
    assert.throws(() => new ConnectLimiter(2.5), /at least 1/);
  });
});

// ---------------------------------------------------------------------------------------
// The pool with a stand-in connector

const range = { line: 1, col: 1, endLine: 1, endCol: 1 };
function labOf(names: string[]): Lab {
  const hosts: LabHost[] = names.map((name, i) => ({ name, ssh: { host: `10.0.0.${i + 1}`, user: 'root' }, sudo: false, interfaces: [], bridges: [], range }));
  return { file: 'x.lab.yaml', version: 1, name: 'x', defaults: { ssh: {} }, hosts, segments: [], scripts: [], tunnels: [], routes: {} };
}

/** Looks enough like an SshConnection for the pool: exec answers at once. */
class FakeConnection extends EventEmitter {
  closed = false;
  sessions = 0;
  pendingSessions = 0;
  constructor(readonly endpoint: SshEndpoint) {
    super();
  }
  exec(): Promise<ExecResult> {
    return Promise.resolve({ code: 0, stdout: `${this.endpoint.label}\n`, stderr: '' });
  }
  close(): void {
    this.closed = true;
  }
}

function poolWith(names: string[], limit: number) {
  const clock = new ManualClock(0);
  const noConfig = new SshConfigReader({ userFile: '/nonexistent', systemFile: '/nonexistent', home: '/nonexistent' });
  const gates = new Map<string, Gate<SshConnection>>();
  /** Every connect's gate, in the order they started (a host may connect twice). */
  const allGates: { host: string; gate: Gate<SshConnection> }[] = [];
  let active = 0;
  let peak = 0;
  const started: string[] = [];
  const pool = new SshPool(new EndpointTable(labOf(names), noConfig, { connectTimeoutMs: 5000 }, '/nonexistent'), {
    parallelConnects: limit,
    timers: clock,
    reconnect: false,
    connector: (endpoint) => {
      started.push(endpoint.label);
      active++;
      peak = Math.max(peak, active);
      const gate = new Gate<SshConnection>();
      gates.set(endpoint.label, gate);
      allGates.push({ host: endpoint.label, gate });
      return gate.start().finally(() => active--);
    },
  });
  const answer = (host: string) => gates.get(host)!.resolve(new FakeConnection(pool.endpoints.get(host)) as unknown as SshConnection);
  return { pool, clock, gates, allGates, started, answer, peak: () => peak };
}

describe('pool: bounded parallel connects', () => {
  const names = Array.from({ length: 12 }, (_, i) => `h${i + 1}`);

  it('connects to many hosts at most `parallelConnects` at once, in the order asked', async () => {
    const { pool, started, answer, peak } = poolWith(names, 4);
    const reads = names.map((h) => pool.exec(h, ['hostname']));
    await settle();
    assert.deepEqual(started, ['h1', 'h2', 'h3', 'h4']);
    for (;;) {
      const unanswered = started.filter((h) => pool.state(h).state === 'connecting');
      if (!unanswered.length) break;
      answer(unanswered[unanswered.length - 1]); // the newest first: order of starts must still hold
      await settle();
    }
    const results = await Promise.all(reads);
    assert.deepEqual(
      results.map((r) => r.stdout.trim()),
      names,
    );
    assert.deepEqual(started, names);
    assert.equal(peak(), 4);
    assert.equal(pool.connectStats().peak, 4);
    pool.dispose();
  });

  it('a read cancelled while its connect waits for a slot ends as cancelled and never connects', async () => {
    const { pool, started, answer } = poolWith(['a', 'b', 'c'], 1);
    const stop = new AbortController();
    const a = pool.exec('a', ['true']);
    const b = pool.exec('b', ['true'], { signal: stop.signal });
    const c = pool.exec('c', ['true']);
    await settle();
    stop.abort();
    assert.deepEqual(await b, { code: null, stdout: '', stderr: '', cancelled: 'aborted' });
    await settle();
    assert.equal(pool.state('b').state, 'idle');
    answer('a');
    await a;
    await settle();
    answer('c');
    await c;
    assert.deepEqual(started, ['a', 'c']);
    pool.dispose();
  });

  it('a connect abandoned by its only caller is forgotten at once: a caller right after gets a connect of its own, not the cancellation', async () => {
    const { pool, started, answer } = poolWith(['a', 'b'], 1);
    const a = pool.exec('a', ['true']);
    const stop = new AbortController();
    const abandoned = pool.exec('b', ['true'], { signal: stop.signal });
    await settle();
    stop.abort();
    // In the same tick, before the abandoned connect has left the limiter's queue.
    const again = pool.exec('b', ['true']);
    assert.equal((await abandoned).cancelled, 'aborted');
    answer('a');
    await a;
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(pool.state('b').state, 'connecting', 'the cancelled connect does not call the host idle while the new one runs');
    answer('b');
    assert.deepEqual(await again, { code: 0, stdout: 'b\n', stderr: '' });
    pool.dispose();
  });

  it('a connect abandoned after it started, then asked for again: the first to connect is kept, the other closed', async () => {
    const { pool, allGates } = poolWith(['b'], 2);
    const stop = new AbortController();
    const abandoned = pool.exec('b', ['true'], { signal: stop.signal });
    await settle();
    stop.abort();
    assert.equal((await abandoned).cancelled, 'aborted');
    const again = pool.connect('b');
    await settle();
    assert.deepEqual(
      allGates.map((g) => g.host),
      ['b', 'b'],
    );
    const first = new FakeConnection(pool.endpoints.get('b'));
    const second = new FakeConnection(pool.endpoints.get('b'));
    allGates[0].gate.resolve(first as unknown as SshConnection);
    await settle();
    allGates[1].gate.resolve(second as unknown as SshConnection);
    assert.equal(await again, first as unknown as SshConnection);
    assert.deepEqual([first.closed, second.closed], [false, true]);
    assert.equal(pool.state('b').state, 'connected');
    pool.dispose();
  });

  it('dispose ends the connects still waiting for a slot, with "the pool is closed", and starts none of them', async () => {
    const { pool, started } = poolWith(['a', 'b', 'c'], 1);
    const a = pool.connect('a');
    const b = pool.connect('b');
    const c = pool.exec('c', ['true']);
    await settle();
    pool.dispose();
    await assert.rejects(b, (error: unknown) => error instanceof SshError && /b: the connection pool is closed/.test(error.message));
    await assert.rejects(c, /c: the connection pool is closed/);
    assert.deepEqual(started, ['a']);
    a.catch(() => undefined);
  });

  it('a connect shared by two callers goes on when only one of them cancels', async () => {
    const { pool, started, answer } = poolWith(['a', 'b'], 1);
    const first = pool.exec('a', ['true']);
    const stop = new AbortController();
    const cancelled = pool.exec('b', ['true'], { signal: stop.signal });
    const other = new AbortController();
    const kept = pool.exec('b', ['true'], { signal: other.signal });
    await settle();
    stop.abort();
    assert.equal((await cancelled).cancelled, 'aborted');
    answer('a');
    await first;
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    answer('b');
    assert.equal((await kept).stdout, 'b\n');
    pool.dispose();
  });

  it('a host that does not answer frees its slot after its connect timeout, and the hosts queued behind it get their full timeout', async () => {
    const { pool, clock, started, answer } = poolWith(['down', 'next'], 1);
    const down = pool.connect('down');
    const next = pool.connect('next');
    const failed = assert.rejects(down, (error: unknown) => error instanceof SshError && error.kind === 'timeout' && /down: timed out after 5 s/.test(error.message));
    await clock.advanceAsync(4999);
    assert.deepEqual(started, ['down']);
    await clock.advanceAsync(1);
    await failed;
    assert.equal(pool.state('down').state, 'failed');
    assert.deepEqual(started, ['down', 'next']);
    // `next` waited 5 s in the queue; its own 5 s start now.
    await clock.advanceAsync(4999);
    answer('next');
    await next;
    assert.equal(pool.state('next').state, 'connected');
    pool.dispose();
  });

  it('a refused connect frees its slot and the next host connects', async () => {
    const { pool, gates, started, answer } = poolWith(['refused', 'ok'], 1);
    const refused = pool.connect('refused');
    const ok = pool.connect('ok');
    await settle();
    gates.get('refused')!.reject(new SshError('connection-refused', 'refused', 'refused: connection refused by 10.0.0.1:22.'));
    await assert.rejects(refused, /connection refused/);
    await settle();
    assert.deepEqual(started, ['refused', 'ok']);
    answer('ok');
    await ok;
    pool.dispose();
  });
});
