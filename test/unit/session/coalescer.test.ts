import { strict as assert } from 'node:assert';
import { Coalescer, mergeScopes, scopeOf, type ReadScope } from '../../../src/session/coalescer';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const show = (scope: ReadScope) => (scope === 'all' ? 'all' : [...scope].sort().join(','));

describe('Coalescer', () => {
  it('never runs two tasks for a key at once, and merges what is asked meanwhile into one follow-up', async () => {
    const runs: { key: string; scope: string; done: ReturnType<typeof deferred> }[] = [];
    let running = 0;
    let most = 0;
    const coalescer = new Coalescer<string>(async (key, scope) => {
      const done = deferred();
      runs.push({ key, scope: show(scope), done });
      running++;
      most = Math.max(most, running);
      await done.promise;
      running--;
    });
    const first = coalescer.request('lab', scopeOf(['a']));
    const second = coalescer.request('lab', scopeOf(['b']));
    const third = coalescer.request('lab', scopeOf(['c']));
    const other = coalescer.request('other', 'all');
    assert.deepEqual(
      runs.map((run) => `${run.key}:${run.scope}`),
      ['lab:a', 'other:all'],
    );
    assert.ok(coalescer.isRunning('lab'));
    runs[0].done.resolve();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      runs.map((run) => `${run.key}:${run.scope}`),
      ['lab:a', 'other:all', 'lab:b,c'],
    );
    runs[2].done.resolve();
    runs[1].done.resolve();
    await Promise.all([second, third, other]);
    assert.equal(runs.length, 3);
    assert.equal(coalescer.isRunning('lab'), false);
    assert.equal(most, 2); // one per key
  });

  it('aborts the running task; cancel also drops its follow-up', async () => {
    const signals: AbortSignal[] = [];
    const coalescer = new Coalescer<string>(
      (_key, _scope, signal) =>
        new Promise<void>((resolve) => {
          signals.push(signal);
          signal.addEventListener('abort', () => resolve());
        }),
    );
    const first = coalescer.request('k', 'all');
    const followUp = coalescer.request('k', 'all');
    coalescer.abort('k');
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(signals.length, 2, 'the follow-up ran after the abort');
    coalescer.cancel('k');
    await followUp;
    const third = coalescer.request('k', 'all');
    const dropped = coalescer.request('k', 'all');
    coalescer.cancel('k');
    await Promise.all([third, dropped]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(signals.length, 3, 'a cancelled follow-up never runs');
  });

  it('survives a task that throws', async () => {
    let calls = 0;
    const coalescer = new Coalescer<string>(async () => {
      calls++;
      throw new Error('boom');
    });
    await coalescer.request('k', 'all');
    await coalescer.request('k', 'all');
    assert.equal(calls, 2);
  });

  it('merges scopes: any "all" wins', () => {
    assert.equal(mergeScopes(undefined, 'all'), 'all');
    assert.equal(mergeScopes(new Set(['a']), 'all'), 'all');
    assert.equal(show(mergeScopes(new Set(['a']), new Set(['b', 'a']))), 'a,b');
  });
});
