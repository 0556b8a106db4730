import { strict as assert } from 'node:assert';
import { LastTestResults } from '../../../src/labtests/lastResults';
import type { LabTestResult } from '../../../src/labtests/types';

const result = (over: Partial<LabTestResult> = {}): LabTestResult => ({ name: 'reach', from: 'a:eth2', to: '10.0.0.2', expect: 'reach', passed: true, ms: 120, trace: null, ping: { sent: 1, received: 1 }, details: [], ...over });

describe('lab tests: the last results store', () => {
  let now = 1_000;
  const clock = { now: () => now };

  it('keeps the last result of each test with when it came, and a cancelled run leaves it', () => {
    const store = new LastTestResults(clock);
    now = 5_000;
    assert.equal(store.record('lab', { name: 'reach', declared: 'reach' }, result())?.status, 'passed');
    now = 9_000;
    assert.equal(store.record('lab', { name: 'reach', declared: 'reach' }, result({ passed: false, cancelled: true })), undefined);
    assert.deepEqual({ status: store.get('lab', 'reach')?.status, at: store.get('lab', 'reach')?.at, ms: store.get('lab', 'reach')?.ms }, { status: 'passed', at: 5_000, ms: 120 });
    store.record('lab', { name: 'reach', declared: 'reach' }, result({ passed: false, ms: 2_300, message: '0 of 1 ping answered' }));
    assert.deepEqual({ status: store.get('lab', 'reach')?.status, at: store.get('lab', 'reach')?.at }, { status: 'failed', at: 9_000 });
    assert.equal(store.get('other', 'reach'), undefined, 'another lab has its own results');
  });

  it('records a test that could not run as errored, gathers a mesh by its declared name, and marks changed tests out of date', () => {
    const store = new LastTestResults(clock);
    store.recordError('lab', { name: 'all: a -> b', declared: 'all' }, 'The lab file has errors');
    store.record('lab', { name: 'all: b -> a', declared: 'all' }, result({ name: 'all: b -> a' }));
    store.record('lab', { name: 'alone', declared: 'alone' }, result({ name: 'alone' }));
    assert.deepEqual(store.ofDeclared('lab', 'all').map((e) => [e.name, e.status, e.error]), [
      ['all: a -> b', 'errored', 'The lab file has errors'],
      ['all: b -> a', 'passed', undefined],
    ]);
    store.markOutdated('lab', ['alone']);
    assert.equal(store.get('lab', 'alone')?.outdated, true);
    assert.equal(store.get('lab', 'all: b -> a')?.outdated, undefined);
  });
});
