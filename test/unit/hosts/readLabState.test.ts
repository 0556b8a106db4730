// Reading hosts through a stand-in for the pool: each host answers with a recorded probe, an
// SSH error or silence, after a delay of its own. The delays run on a manual clock, moved by
// `drive` one millisecond at a time, so that order and timing do not depend on a busy machine.

import { strict as assert } from 'node:assert';
import { probeHost, refusalLine, type ProbeTransport } from '../../../src/hosts/probe';
import { PROBE_SCRIPT } from '../../../src/hosts/probeScript';
import { withDrift } from '../../../src/compare/drift';
import { readLabState } from '../../../src/hosts/readLabState';
import type { HostReading } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { SshError } from '../../../src/ssh/errors';
import type { ExecOptions, ExecResult } from '../../../src/ssh/types';
import { ManualClock } from '../../support/manualClock';
import { demoLab, probeText } from './fixtures';

type Answer = { delayMs: number } & ({ stdout: string; stderr?: string; code?: number } | { error: SshError } | { hang: true });

interface Call {
  host: string;
  argv: readonly string[];
  options: ExecOptions;
}

class FakePool implements ProbeTransport {
  readonly calls: Call[] = [];
  active = 0;
  maxActive = 0;
  readonly clock = new ManualClock(0);
  constructor(private readonly answers: Record<string, Answer>) {}

  async exec(host: string, command: readonly string[] | { script: string }, options: ExecOptions = {}): Promise<ExecResult> {
    assert.ok(Array.isArray(command), 'the probe is an argument list');
    this.calls.push({ host, argv: command as readonly string[], options });
    const answer = this.answers[host];
    assert.ok(answer, `no answer for ${host}`);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const cancelled = await new Promise<'aborted' | 'timeout' | undefined>((resolve) => {
        const timeoutMs = (options.timeoutSeconds ?? 1e6) * 1000;
        const until = 'hang' in answer ? timeoutMs : Math.min(answer.delayMs, timeoutMs);
        const timer = this.clock.setTimeout(() => resolve(until < answer.delayMs || 'hang' in answer ? 'timeout' : undefined), until);
        options.signal?.addEventListener('abort', () => {
          this.clock.clearTimeout(timer);
          resolve('aborted');
        });
      });
      if (cancelled) return { code: null, stdout: '', stderr: '', cancelled };
      if ('error' in answer) throw answer.error;
      if ('hang' in answer) throw new Error('unreachable');
      return { code: answer.code ?? 0, stdout: answer.stdout, stderr: answer.stderr ?? '' };
    } finally {
      this.active--;
    }
  }
}

/** Moves the pool's clock on, a millisecond at a time, until `work` settles (at most a minute of it). */
async function drive<T>(pool: FakePool, work: Promise<T>): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  for (let ms = 0; !settled && ms < 60_000; ms++) await pool.clock.advanceAsync(1);
  return watched;
}

const recorded = (name: string, delayMs: number): Answer => ({ delayMs, stdout: probeText(name) });

describe('reading one host', () => {
  const host = { name: 'ovs-a', sudo: false };

  it('runs the fixed probe script as one argument list, with a timeout', async () => {
    const pool = new FakePool({ 'ovs-a': recorded('configured-ovs-a', 1) });
    const reading = await drive(pool, probeHost(pool, host));
    assert.ok(reading.ok);
    assert.equal(reading.state.bridges.length, 2);
    assert.ok(reading.state.elapsedMs >= 0);
    assert.deepEqual(pool.calls.map((c) => ({ host: c.host, argv: c.argv, sudo: c.options.sudo, timeout: c.options.timeoutSeconds })), [
      { host: 'ovs-a', argv: ['sh', '-c', PROBE_SCRIPT], sudo: false, timeout: 10 },
    ]);
  });

  it('asks for sudo when the lab says so, and explains a sudo that wants a password', async () => {
    const pool = new FakePool({ 'ovs-a': { delayMs: 1, code: 1, stdout: '', stderr: 'sudo: a password is required\n' } });
    const reading = await drive(pool, probeHost(pool, { name: 'ovs-a', sudo: true }));
    assert.equal(pool.calls[0].options.sudo, true);
    assert.ok(!reading.ok);
    assert.equal(reading.failure.kind, 'probe-failed');
    assert.equal(
      reading.failure.message,
      'ovs-a: reached, but sudo asks for a password (sudo: a password is required); allow this user passwordless sudo on ovs-a (NOPASSWD in sudoers for the commands Overlay Lab runs), or log in as root',
    );
  });

  it('looks past sudo’s harmless "unable to resolve host" warning to the error that matters', async () => {
    // What sudo prints on a host whose /etc/hosts lacks its own name (as the test lab's hosts do).
    const stderr = 'sudo: unable to resolve host gw-lon: Name or service not known\nsudo: a password is required\n';
    const pool = new FakePool({ 'ovs-a': { delayMs: 1, code: 1, stdout: '', stderr } });
    const reading = await drive(pool, probeHost(pool, { name: 'ovs-a', sudo: true }));
    assert.ok(!reading.ok);
    assert.match(reading.failure.message, /^ovs-a: reached, but sudo asks for a password \(sudo: a password is required\); .*NOPASSWD.*or log in as root$/);
    assert.doesNotMatch(reading.failure.message, /resolve/);
    assert.equal(refusalLine('sudo: unable to resolve host x: Name or service not known\n'), 'sudo: unable to resolve host x: Name or service not known', 'alone, the warning is still said');
  });

  it('turns an SSH error into a failure of its kind, and a probe that runs too long into a timeout', async () => {
    const refused = new SshError('connection-refused', 'ovs-a', 'ovs-a: connection refused by 10.0.0.1:22. Is sshd running there and listening on port 22?');
    const refusing = new FakePool({ 'ovs-a': { delayMs: 1, error: refused } });
    const failed = await drive(refusing, probeHost(refusing, host));
    assert.deepEqual(!failed.ok && { kind: failed.failure.kind, message: failed.failure.message, host: failed.failure.host }, {
      kind: 'connection-refused',
      message: refused.message,
      host: 'ovs-a',
    });
    const hanging = new FakePool({ 'ovs-a': { delayMs: 1, hang: true } });
    const slow = await drive(hanging, probeHost(hanging, host, { timeoutSeconds: 0.02 }));
    assert.equal(hanging.clock.now(), 20, 'given up after its timeout');
    assert.deepEqual(!slow.ok && [slow.failure.kind, slow.failure.message], [
      'probe-timeout',
      'ovs-a: the state probe did not finish within 0.02 s; the host is overloaded, or a command hangs there',
    ]);
  });
});

describe('reading a whole lab', () => {
  let lab: Lab;
  before(() => {
    lab = demoLab();
  });

  it('reports each host as it answers, in parallel, and returns them in lab order with the drift', async () => {
    const pool = new FakePool({
      'ovs-a': recorded('configured-ovs-a', 30),
      'ovs-b': recorded('configured-ovs-b', 10),
      'test-a': recorded('configured-test-a', 20),
      'test-b': recorded('blank-test-b', 5),
    });
    const order: string[] = [];
    const state = await drive(pool, readLabState(pool, lab, { onHost: (r) => order.push(r.ok ? r.state.host : r.failure.host) }));
    assert.equal(pool.clock.now(), 30, 'in parallel: done when the slowest host answered, not after the sum of them');
    assert.equal(pool.maxActive, 4);
    assert.deepEqual(order, ['test-b', 'ovs-b', 'test-a', 'ovs-a']);
    assert.deepEqual(Object.keys(state.hosts), ['ovs-a', 'ovs-b', 'test-a', 'test-b']);
    assert.equal(state.lab, 'demo');
    assert.equal(state.file, lab.file);
    assert.equal('drift' in state, false, 'reading compares nothing');
    assert.deepEqual(withDrift(lab, state).drift.map((d) => `${d.subject.host}: ${d.message}`), ['test-b: address 10.213.50.12/24 is missing on eth2']);
  });

  it('never lets a dead or slow host delay the others, and makes failures of them', async () => {
    const pool = new FakePool({
      'ovs-a': recorded('configured-ovs-a', 5),
      'ovs-b': { delayMs: 80, error: new SshError('timeout', 'ovs-b', 'ovs-b: timed out after 5 s connecting to 10.213.30.12:22. The host is down, or a firewall drops SSH.') },
      'test-a': recorded('configured-test-a', 5),
      'test-b': { delayMs: 40, error: new SshError('jump', 'test-b', 'test-b: cannot reach its jump host ovs-b.') },
    });
    const seen: { host: string; ok: boolean; at: number }[] = [];
    const state = await drive(
      pool,
      readLabState(pool, lab, {
        onHost: (r: HostReading) => seen.push({ host: r.ok ? r.state.host : r.failure.host, ok: r.ok, at: pool.clock.now() }),
      }),
    );
    assert.deepEqual(seen.map((s) => `${s.host}:${s.ok}`), ['ovs-a:true', 'test-a:true', 'test-b:false', 'ovs-b:false']);
    assert.deepEqual(seen.map((s) => s.at), [5, 5, 40, 80], 'each host reported as it answered, the live ones at once');
    const failure = state.hosts['ovs-b'];
    assert.ok(!failure.ok);
    assert.equal(failure.failure.kind, 'timeout');
    assert.match(failure.failure.message, /^ovs-b: timed out after 5 s/);
    // Drift only for the hosts that answered.
    assert.deepEqual([...new Set(withDrift(lab, state).drift.map((d) => d.subject.host))], []);
  });

  it('reads only the hosts asked for, at most `concurrency` at once', async () => {
    const pool = new FakePool({
      'ovs-a': recorded('blank-ovs-a', 5),
      'ovs-b': recorded('blank-ovs-b', 5),
      'test-a': recorded('blank-test-a', 5),
      'test-b': recorded('blank-test-b', 5),
    });
    const some = await drive(pool, readLabState(pool, lab, { hosts: ['test-a', 'ovs-a'] }));
    assert.deepEqual(Object.keys(some.hosts), ['ovs-a', 'test-a']);
    assert.deepEqual([...new Set(withDrift(lab, some).drift.map((d) => d.subject.host))], ['ovs-a', 'test-a']);
    await drive(pool, readLabState(pool, lab, { concurrency: 2 }));
    assert.equal(pool.maxActive, 2);
  });

  it('makes cancelled hosts failures of kind cancelled, and survives a listener that throws', async () => {
    const pool = new FakePool({
      'ovs-a': recorded('blank-ovs-a', 1),
      'ovs-b': { delayMs: 1, hang: true },
      'test-a': { delayMs: 1, hang: true },
      'test-b': { delayMs: 1, hang: true },
    });
    const abort = new AbortController();
    const reading = readLabState(pool, lab, {
      signal: abort.signal,
      onHost: () => {
        abort.abort();
        throw new Error('a listener bug');
      },
    });
    const state = await drive(pool, reading);
    assert.equal(state.hosts['ovs-a'].ok, true);
    for (const host of ['ovs-b', 'test-a', 'test-b']) {
      const r = state.hosts[host];
      assert.deepEqual(!r.ok && [r.failure.kind, r.failure.message], ['cancelled', `${host}: reading its state was cancelled`]);
    }
  });
});
