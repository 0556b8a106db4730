import { strict as assert } from 'node:assert';
import { formatRelative, formatWallClock } from '../../../src/webview/timeFormat';

describe('capture times', () => {
  // 1796322944.232286 is 2026-12-03T18:35:44.232286Z.
  const us = 1_796_322_944_232_286;
  it('shows the wall clock as HH:MM:SS.micro, in the given zone', () => {
    assert.equal(formatWallClock(us, 0), '18:35:44.232286');
    assert.equal(formatWallClock(us, 60), '19:35:44.232286');
    assert.equal(formatWallClock(us, -120), '16:35:44.232286');
    assert.equal(formatWallClock(1_796_322_944_000_007, 0), '18:35:44.000007');
  });

  it('shows time since the first frame, signed', () => {
    assert.equal(formatRelative(us, us), '+0.000000');
    assert.equal(formatRelative(us + 12_345_678, us), '+12.345678');
    assert.equal(formatRelative(us - 5, us), '-0.000005');
  });
});
