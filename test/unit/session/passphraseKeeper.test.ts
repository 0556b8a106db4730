import { strict as assert } from 'node:assert';
import { setImmediate as tick } from 'node:timers/promises';
import { PassphraseKeeper, type PassphraseRequest } from '../../../src/session/passphraseKeeper';
import { PassphraseStore, passphraseSecretKey } from '../../../src/session/passphraseStore';

class MemorySecrets {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

function setup(options: { typed?: (string | undefined)[]; remember?: boolean } = {}) {
  const secrets = new MemorySecrets();
  let list: readonly string[] = [];
  const store = new PassphraseStore(secrets, { get: () => list, set: async (next) => void (list = next) });
  const asked: PassphraseRequest[] = [];
  const offered: string[] = [];
  const typed = [...(options.typed ?? [])];
  const keeper = new PassphraseKeeper(store, {
    ask: async (request) => {
      asked.push(request);
      return typed.shift();
    },
    offerToRemember: async (keyFile) => {
      offered.push(keyFile);
      return options.remember ?? false;
    },
  });
  return { keeper, store, secrets, asked, offered, list: () => list };
}

const KEY = '/home/me/.ssh/id_ed25519';
const request = (attempt = 1, host = 'ovs-a'): PassphraseRequest => ({ host, keyFile: KEY, attempt });

describe('PassphraseKeeper', () => {
  it('asks the user, and offers once to remember what proved right', async () => {
    const { keeper, asked, offered, secrets } = setup({ typed: ['right'], remember: true });
    assert.equal(await keeper.prompt(request()), 'right');
    keeper.accepted(KEY, 'right');
    await tick();
    assert.equal(asked.length, 1);
    assert.deepEqual(offered, [KEY]);
    assert.equal(secrets.values.get(passphraseSecretKey(KEY)), 'right');
  });

  it('stores nothing on "Not now", and offers only once per key file', async () => {
    const { keeper, offered, secrets } = setup({ typed: ['right', 'changed'], remember: false });
    await keeper.prompt(request(1, 'ovs-a'));
    keeper.accepted(KEY, 'right');
    await tick();
    assert.equal(secrets.values.size, 0);
    // The key file changed: the session's passphrase fails on another host, the user types the new one.
    assert.equal(await keeper.prompt(request(1, 'ovs-b')), 'right');
    assert.equal(await keeper.prompt(request(2, 'ovs-b')), 'changed');
    keeper.accepted(KEY, 'changed');
    await tick();
    assert.deepEqual(offered, [KEY]);
  });

  it('uses a stored passphrase first, without asking or offering', async () => {
    const { keeper, store, asked, offered } = setup();
    await store.set(KEY, 'stored');
    assert.equal(await keeper.prompt(request()), 'stored');
    keeper.accepted(KEY, 'stored');
    await tick();
    assert.equal(asked.length, 0);
    assert.equal(offered.length, 0);
  });

  it('deletes a stored passphrase that proves wrong, then asks', async () => {
    const { keeper, store, secrets, asked, list } = setup({ typed: ['new'] });
    await store.set(KEY, 'old');
    assert.equal(await keeper.prompt(request(1)), 'old');
    assert.equal(await keeper.prompt(request(2)), 'new');
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(list(), []);
    assert.equal(asked.length, 1);
  });

  it('does not ask other hosts again for a key already opened this session', async () => {
    const { keeper, asked } = setup({ typed: ['right'] });
    const first = keeper.prompt(request(1, 'ovs-a'));
    const second = keeper.prompt(request(1, 'ovs-b')); // queued behind the first question
    assert.equal(await first, 'right');
    keeper.accepted(KEY, 'right');
    assert.equal(await second, 'right');
    assert.equal(asked.length, 1);
  });

  it('asks again when the typed passphrase was wrong, and passes a refusal on', async () => {
    const { keeper, asked } = setup({ typed: ['typo', undefined] });
    assert.equal(await keeper.prompt(request(1)), 'typo');
    assert.equal(await keeper.prompt(request(2)), undefined);
    assert.deepEqual(
      asked.map((r) => r.attempt),
      [1, 2],
    );
  });

  it('keeps going when secret storage fails', async () => {
    const failing = {
      get: async () => {
        throw new Error('no keychain');
      },
      store: async () => undefined,
      delete: async () => undefined,
    };
    const store = new PassphraseStore(failing, { get: () => [], set: async () => undefined });
    const logged: string[] = [];
    const keeper = new PassphraseKeeper(store, { ask: async () => 'typed', offerToRemember: async () => false }, (message) => logged.push(message));
    assert.equal(await keeper.prompt(request()), 'typed');
    assert.match(logged[0], /no keychain/);
    assert.ok(logged.every((line) => !line.includes('typed')), 'never logs a passphrase');
  });

  it('forgets every stored passphrase', async () => {
    const { keeper, store, secrets } = setup();
    await store.set(KEY, 'one');
    await store.set('/home/me/.ssh/id_rsa', 'two');
    assert.equal(await keeper.forget(), 2);
    assert.equal(secrets.values.size, 0);
  });
});
