// Runs plans: every host at once (bounded), each host's steps in order, a host stopped at its
// first failing step while the others finish. Every step and its output is an event, so the
// CLI prints them and the editor shows them in its log. Cancelling stops what runs on the hosts.

import type { SshPool } from '../ssh/pool';
import { SshError } from '../ssh/errors';
import { shellCommand } from '../util/shell';
import { changeCount, type HostPlan, type PlanStep } from './plan';

export type HostApplyStatus = 'changed' | 'unchanged' | 'failed' | 'blocked' | 'cancelled';

export interface HostApplyResult {
  host: string;
  status: HostApplyStatus;
  stepsRun: number;
  stepsTotal: number;
  /** For a failure: the step, its command and the host's own error text. */
  failedStep?: { index: number; changes: string[]; command: string; error: string };
  message?: string;
  elapsedMs: number;
}

export type ApplyEvent =
  | { type: 'step-start'; host: string; index: number; total: number; step: PlanStep; command: string }
  | { type: 'step-output'; host: string; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'step-done'; host: string; index: number; ok: boolean }
  | { type: 'host-done'; result: HostApplyResult };

export interface RunOptions {
  sudo?: (host: string) => boolean;
  signal?: AbortSignal;
  concurrency?: number;
  onEvent?: (event: ApplyEvent) => void;
}

async function runHost(pool: SshPool, plan: HostPlan, options: RunOptions): Promise<HostApplyResult> {
  const started = Date.now();
  const base = { host: plan.host, stepsTotal: plan.steps.length };
  if (plan.problems.length) return { ...base, status: 'blocked', stepsRun: 0, message: plan.problems.join(' '), elapsedMs: 0 };
  if (changeCount(plan) === 0) return { ...base, status: 'unchanged', stepsRun: 0, elapsedMs: 0 };
  for (const [index, step] of plan.steps.entries()) {
    if (options.signal?.aborted) return { ...base, status: 'cancelled', stepsRun: index, message: `${plan.host}: cancelled before step ${index + 1} of ${plan.steps.length}.`, elapsedMs: Date.now() - started };
    const command = shellCommand(step.argv);
    options.onEvent?.({ type: 'step-start', host: plan.host, index, total: plan.steps.length, step, command });
    let error: string | undefined;
    try {
      const result = await pool.exec(plan.host, step.argv, {
        sudo: options.sudo?.(plan.host),
        signal: options.signal,
        onStdout: (chunk) => options.onEvent?.({ type: 'step-output', host: plan.host, stream: 'stdout', text: chunk.toString('utf8') }),
        onStderr: (chunk) => options.onEvent?.({ type: 'step-output', host: plan.host, stream: 'stderr', text: chunk.toString('utf8') }),
      });
      if (result.cancelled) {
        options.onEvent?.({ type: 'step-done', host: plan.host, index, ok: false });
        return { ...base, status: 'cancelled', stepsRun: index, message: `${plan.host}: cancelled during step ${index + 1} (${step.changes[0]}); it was stopped on the host.`, elapsedMs: Date.now() - started };
      }
      if (result.code !== 0) error = (result.stderr.trim() || result.stdout.trim() || `exit status ${result.code ?? result.signal}`).split('\n').slice(-5).join('\n');
    } catch (caught) {
      error = caught instanceof SshError ? caught.message : String(caught);
    }
    options.onEvent?.({ type: 'step-done', host: plan.host, index, ok: error === undefined });
    if (error !== undefined) {
      return {
        ...base,
        status: 'failed',
        stepsRun: index,
        failedStep: { index, changes: step.changes, command, error },
        message: `${plan.host}: step ${index + 1} of ${plan.steps.length} (${step.changes.join('; ')}) failed: ${error}`,
        elapsedMs: Date.now() - started,
      };
    }
  }
  return { ...base, status: 'changed', stepsRun: plan.steps.length, elapsedMs: Date.now() - started };
}

export async function runPlans(pool: SshPool, plans: HostPlan[], options: RunOptions = {}): Promise<HostApplyResult[]> {
  const results: HostApplyResult[] = new Array(plans.length);
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const index = next++;
      results[index] = await runHost(pool, plans[index], options);
      options.onEvent?.({ type: 'host-done', result: results[index] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, plans.length) }, worker));
  return results;
}
