// How far a host's clock is from this machine's, measured over the host's pooled SSH connection
// (the way NTP does it, with ssh for the packet): read the local clock, ask the host for its
// `date +%s.%N`, read the local clock again. The host read its clock somewhere inside that
// round trip, so its offset is its answer minus the round trip's midpoint, give or take half
// the round trip. Of several samples the one with the shortest round trip has the tightest
// bound, and that is the one kept. The frames of a merged capture are moved onto this
// machine's clock by it; the offset and the bound are shown with them.

import type { CaptureExec } from './captureSession';

/** This machine's clock in microseconds since the epoch (finer than Date.now()'s milliseconds). */
export type MicroClock = () => number;

export const localMicroClock: MicroClock = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

export interface ClockSample {
  /** Local clock before the request and after the answer, µs. */
  sentUs: number;
  receivedUs: number;
  /** The host's clock as it answered, µs. */
  remoteUs: number;
}

export interface ClockOffset {
  host: string;
  /** The host's clock minus this machine's, µs; a frame's time minus this is this machine's time. */
  offsetUs: number;
  /** The offset is right to within this many µs (half the shortest round trip). */
  boundUs: number;
  /** Round trips taken, and the shortest, µs. */
  samples: number;
  rttUs: number;
  /** What the frames are corrected by: the offset when it exceeds its bound, else 0. */
  correctionUs: number;
}

/** The host's clock could not be read: the merged pane shows its frames uncorrected and says why. */
export interface ClockProblem {
  host: string;
  problem: string;
}

export type ClockReading = ClockOffset | ClockProblem;

export function isClockOffset(reading: ClockReading): reading is ClockOffset {
  return (reading as ClockOffset).offsetUs !== undefined;
}

/** The estimate from samples: the one with the shortest round trip. */
export function offsetFromSamples(host: string, samples: readonly ClockSample[]): ClockOffset {
  if (samples.length === 0) throw new Error('offsetFromSamples: no samples');
  let best = samples[0];
  for (const sample of samples) if (sample.receivedUs - sample.sentUs < best.receivedUs - best.sentUs) best = sample;
  const rttUs = Math.max(0, best.receivedUs - best.sentUs);
  const midpoint = best.sentUs + rttUs / 2;
  const offsetUs = Math.round(best.remoteUs - midpoint);
  const boundUs = Math.ceil(rttUs / 2);
  return { host, offsetUs, boundUs, samples: samples.length, rttUs, correctionUs: Math.abs(offsetUs) > boundUs ? offsetUs : 0 };
}

/** `date +%s.%N`'s answer in µs, or undefined when it is not one (a `date` without %N prints `N`). */
export function parseRemoteClock(text: string): number | undefined {
  const match = /^(\d{9,12})\.(\d{9})$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 1_000_000 + Math.floor(Number(match[2]) / 1000);
}

export const CLOCK_COMMAND = ['date', '+%s.%N'] as const;
export const DEFAULT_CLOCK_SAMPLES = 8;

/** Measures one host's offset with `samples` round trips, one after the other (one channel at a time). */
export async function measureClockOffset(pool: CaptureExec, host: string, options: { samples?: number; clock?: MicroClock; signal?: AbortSignal } = {}): Promise<ClockReading> {
  const clock = options.clock ?? localMicroClock;
  const samples: ClockSample[] = [];
  const wanted = Math.max(1, options.samples ?? DEFAULT_CLOCK_SAMPLES);
  for (let i = 0; i < wanted; i++) {
    if (options.signal?.aborted) break;
    const sentUs = clock();
    let result;
    try {
      // No timeout or signal: those run the command under the supervisor, three forks more
      // inside the round trip. `date` ends at once by itself.
      result = await pool.exec(host, CLOCK_COMMAND);
    } catch (error) {
      return { host, problem: `cannot read the clock of ${host}: ${(error as Error).message}` };
    }
    const receivedUs = clock();
    const remoteUs = result.code === 0 ? parseRemoteClock(result.stdout) : undefined;
    if (remoteUs === undefined) {
      const said = (result.stderr || result.stdout).trim().slice(0, 200);
      return { host, problem: `cannot read the clock of ${host}: \`date +%s.%N\` answered ${result.code === 0 ? `"${said}"` : `exit ${result.code}${said ? `: ${said}` : ''}`} (it needs a date that knows %N)` };
    }
    samples.push({ sentUs, receivedUs, remoteUs });
  }
  if (samples.length === 0) return { host, problem: `cannot read the clock of ${host}: cancelled` };
  return offsetFromSamples(host, samples);
}

/** `+0.012 ms ± 0.310 ms`: an offset as the pane and the CLI show it. */
export function describeOffset(reading: ClockReading): string {
  if (!isClockOffset(reading)) return `clock unknown (${reading.problem})`;
  const ms = (us: number) => (us / 1000).toFixed(3);
  const said = `clock ${reading.offsetUs >= 0 ? '+' : '−'}${ms(Math.abs(reading.offsetUs))} ms ± ${ms(reading.boundUs)} ms`;
  return reading.correctionUs === 0 ? `${said} (agrees within its bound: not corrected)` : `${said} (corrected)`;
}

/** How a bounded reading waits: setTimeout by default, a test's own clock in tests. */
export interface ClockTimer {
  start(ms: number, fire: () => void): () => void;
}

const realTimer: ClockTimer = {
  start(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * A clock reading, or an unknown one once `signal` aborts or `limitMs` have passed: a host that
 * stops answering costs the merge its offset for that host (said so), never the caller's wait.
 */
export function boundedClockReading(reading: Promise<ClockReading>, host: string, options: { signal: AbortSignal; limitMs: number; timer?: ClockTimer }): Promise<ClockReading> {
  const { signal, limitMs } = options;
  return new Promise<ClockReading>((resolve) => {
    let stopTimer = () => {};
    const give = (answer: ClockReading) => {
      stopTimer();
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const onAbort = () => give({ host, problem: `cannot read the clock of ${host}: cancelled` });
    if (signal.aborted) return onAbort();
    stopTimer = (options.timer ?? realTimer).start(limitMs, () => give({ host, problem: `cannot read the clock of ${host}: no answer within ${limitMs / 1000} s` }));
    signal.addEventListener('abort', onAbort, { once: true });
    reading.then(give, (error: Error) => give({ host, problem: `cannot read the clock of ${host}: ${error.message}` }));
  });
}
