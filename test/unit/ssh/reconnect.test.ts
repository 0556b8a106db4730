// The pool's backoff between attempts to get a lost connection back.

import { strict as assert } from 'node:assert';
import { reconnectDelayMs } from '../../../src/ssh/pool';

describe('reconnect backoff', () => {
  it('doubles from 1 s and stays at 30 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelayMs),
      [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000],
    );
  });
});
