import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { labDrift } from '../../../src/compare/drift';
import type { HostReading, HostState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { LabSession } from '../../../src/session/labSession';
import { LiveLabs, type LiveChange, type ReadLabState, type ReadOptions } from '../../../src/session/liveLabs';
import { SshError } from '../../../src/ssh/errors';
import type { HostConnectionState, SshPool } from '../../../src/ssh/pool';
import { blankStates, configuredStates, DEMO_FILE, failed, ok } from '../views/hostStates';

class FakePool extends EventEmitter {
  readonly states = new Map<string, HostConnectionState>();
  constructor(readonly lab: Lab) {
    super();
  }
  get endpoints() {
    return { labels: () => this.lab.hosts.map((host) => host.name) };
  }
  state(host: string) {
    return { host, state: this.states.get(host) ?? 'idle' };
  }
  fail(host: string, error: SshError) {
    this.states.set(host, 'failed');
    this.emit('state', { host, state: 'failed', error, lost: true });
  }
  /** Connected again after a loss, by the pool's own retries. */
  regain(host: string) {
    this.states.set(host, 'connected');
    this.emit('state', { host, state: 'connected', reconnected: true });
  }
  dispose() {}
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A readLabState stand-in: each host answers when the test says so. */
class FakeReader {
  readonly calls: (string[] | undefined)[] = [];
  readonly signals: AbortSignal[] = [];
  readonly pending = new Map<string, ReturnType<typeof deferred<HostReading>>>();
  running = 0;
  most = 0;

  readonly read: ReadLabState = async (_pool, lab, options: ReadOptions = {}) => {
    this.calls.push(options.hosts);
    this.signals.push(options.signal!);
    this.running++;
    this.most = Math.max(this.most, this.running);
    const hosts = lab.hosts.filter((host) => !options.hosts || options.hosts.includes(host.name));
    const readings = await Promise.all(
      hosts.map(async (host) => {
        const answer = deferred<HostReading>();
        this.pending.set(host.name, answer);
        const reading = await answer.promise;
        options.onHost?.(reading);
        return [host.name, reading] as const;
      }),
    );
    this.running--;
    const states = Object.fromEntries(readings.flatMap(([host, reading]) => (reading.ok ? [[host, reading.state]] : [])));
    return { lab: lab.name, file: lab.file, hosts: Object.fromEntries(readings), drift: labDrift(lab, states) };
  };

  answer(host: string, reading: HostReading): void {
    const waiting = this.pending.get(host);
    assert.ok(waiting, `${host} is not being read`);
    this.pending.delete(host);
    waiting.resolve(reading);
  }

  answerAll(states: Record<string, HostState>): void {
    for (const host of [...this.pending.keys()]) this.answer(host, ok(states[host]));
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const demoText = readFileSync(DEMO_FILE, 'utf8');

function setup() {
  const pools: FakePool[] = [];
  const session = new LabSession((lab) => {
    const pool = new FakePool(lab);
    pools.push(pool);
    return pool as unknown as SshPool;
  });
  const reader = new FakeReader();
  const live = new LiveLabs(session, reader.read, () => Date.parse('2026-01-01T00:00:00Z'));
  const changes: LiveChange[] = [];
  live.onDidChange((change) => changes.push(change));
  session.workspace.update('k', DEMO_FILE, demoText);
  return { session, live, reader, pools, changes };
}

describe('LiveLabs', () => {
  it('shows each host as it answers, with its drift, while slower hosts are still read', async () => {
    const { live, reader, session } = setup();
    const done = live.refresh('k');
    await tick();
    assert.deepEqual([...live.get('k')!.reading].sort(), ['ovs-a', 'ovs-b', 'test-a', 'test-b']);
    assert.deepEqual(live.hostsOf('k', session.workspace.get('k')!.result.lab!)['ovs-a'], { connection: 'idle', reading: true });

    reader.answer('ovs-a', ok(blankStates()['ovs-a']));
    await tick();
    const partial = live.get('k')!;
    assert.equal(partial.state.hosts['ovs-a']?.ok, true);
    assert.ok(!partial.reading.has('ovs-a'));
    assert.ok(partial.reading.has('ovs-b'));
    assert.equal(partial.state.drift.filter((item) => item.subject.host === 'ovs-a').length, 7, 'drift of the host that answered');
    assert.equal(partial.readAt, undefined);

    reader.answerAll(blankStates());
    await done;
    const whole = live.get('k')!;
    assert.equal(whole.reading.size, 0);
    assert.equal(whole.readAt, Date.parse('2026-01-01T00:00:00Z'));
    assert.deepEqual(Object.keys(whole.state.hosts), ['ovs-a', 'ovs-b', 'test-a', 'test-b']);
    assert.deepEqual(
      [...new Set(whole.state.drift.map((item) => item.subject.host))],
      ['ovs-a', 'ovs-b', 'test-a', 'test-b'],
    );
  });

  it('never reads a lab twice at once: requests made meanwhile become one follow-up', async () => {
    const { live, reader } = setup();
    const first = live.refresh('k');
    await tick();
    const again = live.refresh('k', ['ovs-a']);
    const andAgain = live.refresh('k', ['ovs-b']);
    reader.answerAll(configuredStates());
    await first;
    await tick();
    assert.deepEqual(reader.calls, [undefined, ['ovs-a', 'ovs-b']]);
    reader.answerAll(configuredStates());
    await Promise.all([again, andAgain]);
    assert.equal(reader.most, 1);
  });

  it('keeps the other hosts readings and drift when one host is read again', async () => {
    const { live, reader } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answerAll(blankStates());
    await first;
    const second = live.refresh('k', ['ovs-a']);
    await tick();
    assert.deepEqual([...live.get('k')!.reading], ['ovs-a']);
    reader.answer('ovs-a', ok(configuredStates()['ovs-a']));
    await second;
    const state = live.get('k')!.state;
    assert.equal(state.drift.filter((item) => item.subject.host === 'ovs-a').length, 0);
    assert.equal(state.drift.filter((item) => item.subject.host === 'ovs-b').length, 7);
  });

  it('marks a host unreachable as soon as its connection is lost, dropping what was known of it', async () => {
    const { live, reader, pools, changes, session } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answerAll(blankStates());
    await first;
    changes.length = 0;
    pools[0].fail('ovs-b', new SshError('connection-lost', 'ovs-b', 'ovs-b: connection lost: read ECONNRESET'));
    const reading = live.get('k')!.state.hosts['ovs-b'];
    assert.deepEqual(reading, failed('ovs-b', 'connection-lost', 'ovs-b: connection lost: read ECONNRESET'));
    assert.equal(live.get('k')!.state.drift.filter((item) => item.subject.host === 'ovs-b').length, 0);
    assert.deepEqual(changes, [{ key: 'k', hosts: ['ovs-b'] }]);
    assert.equal(live.hostsOf('k', session.workspace.get('k')!.result.lab!)['ovs-b'].connection, 'failed');
  });

  it('reads a host again as soon as the pool has its lost connection back', async () => {
    const { live, reader, pools } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answerAll(blankStates());
    await first;
    pools[0].fail('ovs-b', new SshError('connection-lost', 'ovs-b', 'ovs-b: stopped answering'));
    assert.equal(reader.calls.length, 1);
    pools[0].regain('ovs-b');
    await tick();
    assert.deepEqual(reader.calls.slice(1), [['ovs-b']], 'only the host that came back is read');
    reader.answer('ovs-b', ok(blankStates()['ovs-b']));
    await tick();
    assert.ok(live.get('k')!.state.hosts['ovs-b']?.ok, 'shown reachable again once read');
  });

  it('keeps a connection lost after a host answered, though the read of the others ends later', async () => {
    const { live, reader, pools } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answer('ovs-b', ok(blankStates()['ovs-b']));
    await tick();
    pools[0].fail('ovs-b', new SshError('connection-lost', 'ovs-b', 'ovs-b: connection lost'));
    reader.answerAll(blankStates());
    await first;
    const state = live.get('k')!.state;
    assert.equal(state.hosts['ovs-b']?.ok, false);
    assert.equal(state.drift.filter((item) => item.subject.host === 'ovs-b').length, 0);
    assert.equal(state.drift.filter((item) => item.subject.host === 'ovs-a').length, 7);
  });

  it('leaves a failure during a read to the read', async () => {
    const { live, reader, pools } = setup();
    const first = live.refresh('k');
    await tick();
    pools[0].fail('ovs-b', new SshError('timeout', 'ovs-b', 'ovs-b: timed out'));
    assert.equal(live.get('k')!.state.hosts['ovs-b'], undefined);
    reader.answerAll(configuredStates());
    await first;
    assert.equal(live.get('k')!.state.hosts['ovs-b']?.ok, true);
  });

  it('drops what an aborted read reports', async () => {
    const { live, reader } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answer('ovs-a', ok(configuredStates()['ovs-a']));
    await tick();
    live.abort('k');
    assert.ok(reader.signals[0].aborted);
    reader.answerAll(blankStates());
    await first;
    const state = live.get('k')!.state;
    assert.deepEqual(Object.keys(state.hosts), ['ovs-a'], 'only what arrived before the abort');
    assert.equal(live.get('k')!.reading.size, 0);
  });

  it('forgets a lab whose file goes, and hosts the lab no longer has', async () => {
    const { live, reader, session } = setup();
    const first = live.refresh('k');
    await tick();
    reader.answerAll(configuredStates());
    await first;
    session.workspace.update('k', DEMO_FILE, demoText.replace(/ {2}test-b:\n(.*\n){3}/, '').replace(', test-b:eth2', ''));
    assert.ok(session.workspace.get('k')?.result.lab, JSON.stringify(session.workspace.get('k')?.result.diagnostics));
    assert.deepEqual(Object.keys(live.get('k')!.state.hosts), ['ovs-a', 'ovs-b', 'test-a']);
    session.workspace.remove('k');
    assert.equal(live.get('k'), undefined);
  });

  it('reads nothing for a lab with errors', async () => {
    const { live, reader, session } = setup();
    session.workspace.update('k', DEMO_FILE, 'version: 1\nname: [oops');
    await live.refresh('k');
    assert.deepEqual(reader.calls, []);
  });
});
