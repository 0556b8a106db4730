import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { Lab } from '../../../src/lab/types';
import { LabSession } from '../../../src/session/labSession';
import type { HostConnectionState, SshPool } from '../../../src/ssh/pool';
import { sshFingerprint } from '../../../src/session/sshFingerprint';

/** Enough of a pool for the session: states, events, dispose. */
class FakePool extends EventEmitter {
  disposed = false;
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
  setState(host: string, state: HostConnectionState) {
    this.states.set(host, state);
    this.emit('state', { host, state });
  }
  dispose() {
    this.disposed = true;
  }
}

const labText = (hostLine = '  a: { ssh: { host: 10.0.0.1 } }', name = 'x') => `version: 1\nname: ${name}\nhosts:\n${hostLine}\n`;

function sessionWithFakes() {
  const built: FakePool[] = [];
  const session = new LabSession((lab) => {
    const pool = new FakePool(lab);
    built.push(pool);
    return pool as unknown as SshPool;
  });
  return { session, built };
}

describe('LabSession pools', () => {
  it('builds one pool per lab file, on first use, and reuses it', () => {
    const { session, built } = sessionWithFakes();
    const snapshot = session.workspace.update('k', 'f', labText());
    assert.equal(session.pools.existing('k'), undefined);
    const pool = session.pools.poolFor('k', snapshot.result.lab!);
    assert.equal(session.pools.poolFor('k', snapshot.result.lab!), pool);
    assert.equal(built.length, 1);
  });

  it('keeps the pool through edits that leave SSH alone, and through errors', () => {
    const { session, built } = sessionWithFakes();
    const snapshot = session.workspace.update('k', 'f', labText());
    session.pools.poolFor('k', snapshot.result.lab!);
    session.workspace.update('k', 'f', labText(undefined, 'renamed'));
    session.workspace.update('k', 'f', 'version: 1\nname: [oops');
    assert.equal(built[0].disposed, false);
    assert.ok(session.pools.existing('k'));
  });

  it('closes the pool when the SSH settings change or the file goes', () => {
    const { session, built } = sessionWithFakes();
    const closed: string[] = [];
    session.pools.onDidChange((change) => {
      if (!change.event) closed.push(change.key);
    });
    session.pools.poolFor('k', session.workspace.update('k', 'f', labText()).result.lab!);
    session.workspace.update('k', 'f', labText('  a: { ssh: { host: 10.0.0.2 } }'));
    assert.equal(built[0].disposed, true);
    assert.equal(session.pools.existing('k'), undefined);

    session.pools.poolFor('k', session.workspace.get('k')!.result.lab!);
    session.workspace.remove('k');
    assert.equal(built[1].disposed, true);
    assert.deepEqual(closed, ['k', 'k']);
  });

  it('passes host states on, and stops once a pool is closed', () => {
    const { session, built } = sessionWithFakes();
    const heard: string[] = [];
    session.pools.onDidChange((change) => heard.push(`${change.key}:${change.event?.host ?? '-'}:${change.event?.state ?? 'closed'}`));
    session.pools.poolFor('k', session.workspace.update('k', 'f', labText()).result.lab!);
    built[0].setState('a', 'connecting');
    session.pools.close('k');
    built[0].setState('a', 'failed');
    assert.deepEqual(heard, ['k:a:connecting', 'k:-:closed']);
  });

  it('closes only unused pools when asked, and every pool on dispose', () => {
    const { session, built } = sessionWithFakes();
    session.pools.poolFor('busy', session.workspace.update('busy', 'f1', labText()).result.lab!);
    session.pools.poolFor('idle', session.workspace.update('idle', 'f2', labText()).result.lab!);
    built[0].setState('a', 'connected');
    built[1].setState('a', 'failed');
    session.pools.closeUnused();
    assert.deepEqual(
      built.map((pool) => pool.disposed),
      [false, true],
    );
    session.dispose();
    assert.equal(built[0].disposed, true);
  });
});

describe('sshFingerprint', () => {
  const lab = (hosts: Lab['hosts'], defaults = {}) => ({ defaults: { ssh: defaults }, hosts }) as unknown as Lab;
  const host = (name: string, ssh: object) => ({ name, ssh }) as Lab['hosts'][number];

  it('ignores the order of keys and of hosts', () => {
    assert.equal(
      sshFingerprint(lab([host('a', { host: 'h', user: 'u' }), host('b', {})])),
      sshFingerprint(lab([host('b', {}), host('a', { user: 'u', host: 'h' })])),
    );
  });

  it('changes with any SSH setting, host list or default', () => {
    const base = sshFingerprint(lab([host('a', { host: 'h' })]));
    assert.notEqual(sshFingerprint(lab([host('a', { host: 'h', port: 2222 })])), base);
    assert.notEqual(sshFingerprint(lab([host('a', { host: 'h' }), host('b', {})])), base);
    assert.notEqual(sshFingerprint(lab([host('a', { host: 'h' })], { user: 'root' })), base);
  });
});
