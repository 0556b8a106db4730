// Running a lab's tests: every ping at once, bounded per host (slots.ts); a passing test costs
// one ping; a failed `reach` test is traced right away and carries the trace's place and cause;
// an `isolated` test fails when an answer comes, and a correct isolation is never traced.
// Never rejects: a host that cannot be reached fails its tests with its own message, and the
// other hosts' tests go on.

import { performance } from 'node:perf_hooks';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import type { TraceResultV2 } from '../trace/traceResultV2';
import { answered, pingFailure, traceLines, traceVerdict } from './describe';
import { doctorResults } from './doctorTests';
import { pingArgv, pingTimeoutSeconds, readPing } from './ping';
import { Slots, type Needs } from './slots';
import { traceNeeds, traceTest } from './traceAdapter';
import type { LabTestCase, LabTestResult, LabTestRun } from './types';

/** SSH channels a run may hold on one host at once: below sshd's default MaxSessions (10), with room for the editor's own reads. */
export const CHANNELS_PER_HOST = 8;

export interface RunLabTestsOptions {
  signal?: AbortSignal;
  channelsPerHost?: number;
  /** Also run the doctor, its errors as failed tests (`test --doctor`). */
  doctor?: boolean;
  onStart?: (test: LabTestCase) => void;
  onResult?: (test: LabTestCase | undefined, result: LabTestResult) => void;
  /** Lines to show as a test runs (ping's output, the trace). */
  onOutput?: (test: LabTestCase, text: string) => void;
  /** The trace of a failed test; the product's own by default (tests of this module hand in theirs). */
  trace?: (test: LabTestCase, signal?: AbortSignal) => Promise<TraceResultV2>;
  now?: () => number;
}

const PAIR = (test: LabTestCase) => `pair ${test.from.address} ${test.to}`;

function base(test: LabTestCase): Omit<LabTestResult, 'passed' | 'ms'> {
  return { name: test.name, from: `${test.from.host}:${test.from.interface}`, to: test.to, expect: test.expect, trace: null, ping: null, details: [], range: test.range };
}

export async function runLabTests(pool: SshPool, lab: Lab, tests: readonly LabTestCase[], options: RunLabTestsOptions = {}): Promise<LabTestRun> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const perHost = options.channelsPerHost ?? CHANNELS_PER_HOST;
  const slots = new Slots((key) => (key.startsWith('pair ') ? 1 : perHost));
  const trace = options.trace ?? ((test: LabTestCase, signal?: AbortSignal) => traceTest(pool, lab, test, signal));
  const sudo = (host: string) => lab.hosts.find((h) => h.name === host)?.sudo ?? false;

  async function one(test: LabTestCase): Promise<LabTestResult> {
    const begun = now();
    const finish = (result: Omit<LabTestResult, 'ms'>): LabTestResult => ({ ...result, ms: Math.round(now() - begun) });
    const cancelled = () => finish({ ...base(test), passed: false, cancelled: true, message: 'cancelled before it had its answer' });
    // The pair is held from the ping to the end of its trace.
    let releasePair: (() => void) | undefined;
    try {
      releasePair = await slots.acquire({ [PAIR(test)]: 1 }, options.signal);
      const release = await slots.acquire({ [test.from.host]: 1 }, options.signal);
      options.onStart?.(test);
      let exec;
      try {
        exec = await pool.exec(test.from.host, pingArgv(test), { sudo: sudo(test.from.host), signal: options.signal, timeoutSeconds: pingTimeoutSeconds(test.count) });
      } catch (error) {
        return finish({ ...base(test), passed: false, message: `the ping could not be sent: ${(error as Error).message}`, details: [] });
      } finally {
        release();
      }
      if (exec.cancelled === 'aborted' || options.signal?.aborted) return cancelled();
      const output = `${exec.stdout}${exec.stderr}`.trim();
      if (output) options.onOutput?.(test, `$ ${pingArgv(test).join(' ')}  (on ${test.from.host})\n${output}\n`);
      const ping = readPing(exec.code, exec.stdout, exec.stderr, test.count);
      if (!ping.ran) return finish({ ...base(test), passed: false, message: `ping could not run on ${test.from.host}: ${ping.problem}`, details: output ? [output] : [] });
      const counted = ping.counted;
      const details = ping.note ? [`ping: ${ping.note}`] : [];
      if (test.expect === 'isolated') {
        const passed = counted.received === 0;
        return finish({ ...base(test), passed, ping: counted, details, ...(passed ? {} : { message: pingFailure(test, counted, ping.noRoute) }) });
      }
      if (!ping.noRoute && counted.sent === test.count && counted.received === test.count) return finish({ ...base(test), passed: true, ping: counted, details });

      // Failed: follow the same ping through the lab.
      let traced: TraceResultV2;
      const releaseTrace = await slots.acquire(traceNeeds(lab, test) as Needs, options.signal);
      try {
        traced = await trace(test, options.signal);
      } catch (error) {
        if (options.signal?.aborted) return cancelled();
        return finish({ ...base(test), passed: false, ping: counted, message: `${pingFailure(test, counted, ping.noRoute)}; the trace could not run: ${(error as Error).message}`, details });
      } finally {
        releaseTrace();
      }
      options.onOutput?.(test, `${traceLines(traced).join('\n')}\n`);
      const message = ping.noRoute
        ? `${pingFailure(test, counted, true)} (${ping.note ?? 'no route'})${traced.delivered ? '' : `; ${traceVerdict(traced)}`}`
        : traced.delivered
          ? `${pingFailure(test, counted, false)}, yet the trace right after was delivered: the loss comes and goes`
          : `${answered(counted)}; ${traceVerdict(traced)}`;
      return finish({ ...base(test), passed: false, ping: counted, trace: traced, message, details: [...details, ...(traced.cause?.evidence ?? []).map((e) => `measured: ${e}`), ...traced.hints.map((h) => `hint: ${h}`)] });
    } catch (error) {
      if (options.signal?.aborted) return cancelled();
      return finish({ ...base(test), passed: false, message: (error as Error).message });
    } finally {
      releasePair?.();
    }
  }

  const doctor = options.doctor ? doctorResults(pool, lab, { signal: options.signal, now }) : Promise.resolve([]);
  const results = await Promise.all(
    tests.map(async (test) => {
      const result = await one(test);
      options.onResult?.(test, result);
      return result;
    }),
  );
  const found = await doctor;
  for (const result of found) options.onResult?.(undefined, result);
  return { results: [...results, ...found], ms: Math.round(now() - started) };
}
