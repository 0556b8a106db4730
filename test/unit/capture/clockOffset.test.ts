import { strict as assert } from 'node:assert';
import { boundedClockReading, describeOffset, measureClockOffset, offsetFromSamples, parseRemoteClock } from '../../../src/capture/clockOffset';
import type { CaptureExec } from '../../../src/capture/captureSession';
import type { ExecResult } from '../../../src/ssh/types';

describe('clock offset over ssh', () => {
  it('keeps the sample with the shortest round trip: its midpoint against the host’s answer, ± half the round trip', () => {
    const offset = offsetFromSamples('ovs-a', [
      { sentUs: 1_000, receivedUs: 9_000, remoteUs: 5_500_000 }, // rtt 8 ms
      { sentUs: 20_000, receivedUs: 21_000, remoteUs: 5_520_700 }, // rtt 1 ms: kept
      { sentUs: 30_000, receivedUs: 34_000, remoteUs: 5_532_000 },
    ]);
    assert.deepEqual(offset, { host: 'ovs-a', offsetUs: 5_520_700 - 20_500, boundUs: 500, samples: 3, rttUs: 1_000, correctionUs: 5_500_200 });
    assert.equal(describeOffset(offset), 'clock +5500.200 ms ± 0.500 ms (corrected)');
  });

  it('corrects nothing when the offset is within its own bound (the clocks may agree)', () => {
    const offset = offsetFromSamples('test-b', [{ sentUs: 0, receivedUs: 8_000, remoteUs: 6_500 }]);
    assert.deepEqual([offset.offsetUs, offset.boundUs, offset.correctionUs], [2_500, 4_000, 0]);
    assert.equal(describeOffset(offset), 'clock +2.500 ms ± 4.000 ms (agrees within its bound: not corrected)');
    assert.equal(offsetFromSamples('x', [{ sentUs: 0, receivedUs: 8_000, remoteUs: -1 }]).correctionUs, -4_001);
  });

  it('reads date +%s.%N exactly, and refuses a date without %N', () => {
    assert.equal(parseRemoteClock('1796322944.232286123\n'), 1_796_322_944_232_286);
    assert.equal(parseRemoteClock('1796322944.N'), undefined);
    assert.equal(parseRemoteClock(''), undefined);
  });

  it('measures over the pool, one round trip after another, on the injected clock', async () => {
    let local = 1_000_000_000_000_000;
    const rtts = [4_000, 600, 2_000];
    const calls: string[][] = [];
    const pool: CaptureExec = {
      async exec(host, command): Promise<ExecResult> {
        calls.push([host, ...(command as string[])]);
        const rtt = rtts[calls.length - 1];
        // The host runs 2.5 s ahead and answers at the round trip's middle.
        const remote = local + rtt / 2 + 2_500_000;
        local += rtt;
        return { code: 0, stdout: `${Math.floor(remote / 1e6)}.${String((remote % 1e6) * 1000).padStart(9, '0')}\n`, stderr: '' };
      },
    };
    const reading = await measureClockOffset(pool, 'test-b', { samples: 3, clock: () => local });
    assert.deepEqual(calls, [['test-b', 'date', '+%s.%N'], ['test-b', 'date', '+%s.%N'], ['test-b', 'date', '+%s.%N']]);
    assert.deepEqual(reading, { host: 'test-b', offsetUs: 2_500_000, boundUs: 300, samples: 3, rttUs: 600, correctionUs: 2_500_000 });
  });

  it('says why when the host cannot tell its time to the microsecond', async () => {
    const pool: CaptureExec = { exec: async () => ({ code: 0, stdout: '1796322944.N\n', stderr: '' }) };
    const reading = await measureClockOffset(pool, 'tiny', { samples: 2 });
    assert.ok('problem' in reading);
    assert.match(reading.problem, /^cannot read the clock of tiny: `date \+%s\.%N` answered "1796322944\.N" \(it needs a date that knows %N\)$/);
    assert.match(describeOffset(reading), /^clock unknown/);
  });
});

describe('a clock reading bounded in time and by cancel', () => {
  /** A timer the test fires by hand: no waiting on the real clock. */
  function handTimer() {
    const armed: { ms: number; fire: () => void; stopped: boolean }[] = [];
    return {
      armed,
      timer: { start: (ms: number, fire: () => void) => { const entry = { ms, fire, stopped: false }; armed.push(entry); return () => void (entry.stopped = true); } },
    };
  }
  const never = new Promise<never>(() => {});

  it('a host that never answers gives an unknown offset once the limit passes, and the merge says why', async () => {
    const { armed, timer } = handTimer();
    const reading = boundedClockReading(never, 'ovs-b', { signal: new AbortController().signal, limitMs: 5000, timer });
    assert.equal(armed.length, 1);
    assert.equal(armed[0].ms, 5000);
    armed[0].fire();
    const answer = await reading;
    assert.deepEqual(answer, { host: 'ovs-b', problem: 'cannot read the clock of ovs-b: no answer within 5 s' });
    assert.equal(describeOffset(answer), 'clock unknown (cannot read the clock of ovs-b: no answer within 5 s)');
  });

  it('a cancel ends the wait at once, as unknown, and stops the timer', async () => {
    const { armed, timer } = handTimer();
    const abort = new AbortController();
    const reading = boundedClockReading(never, 'test-a', { signal: abort.signal, limitMs: 5000, timer });
    abort.abort();
    assert.deepEqual(await reading, { host: 'test-a', problem: 'cannot read the clock of test-a: cancelled' });
    assert.equal(armed[0].stopped, true);
  });

  it('a reading in time is passed on as it is, and the timer stopped', async () => {
    const { armed, timer } = handTimer();
    const offset = offsetFromSamples('ovs-a', [{ sentUs: 0, receivedUs: 1_000, remoteUs: 9_000_500 }]);
    const answer = await boundedClockReading(Promise.resolve(offset), 'ovs-a', { signal: new AbortController().signal, limitMs: 5000, timer });
    assert.equal(answer, offset);
    assert.equal(armed[0].stopped, true);
  });
});
