// `overlay-lab plan|apply|destroy LAB [--host H]` (cli.md): plan changes nothing and prints the
// commands apply would run; apply and destroy run them on every host at once, stream each step,
// and end with a per-host summary. Exit 1 when a host failed, was blocked or unreachable.

import { planLab, type PlanMode } from '../apply/labPlan';
import { runPlans, type HostApplyResult } from '../apply/runPlan';
import { withDrift } from '../compare/drift';
import { readLabState } from '../hosts/readLabState';
import type { LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import { isNotReached } from '../ssh/errors';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';
import { renderApplySummary, renderPlan } from '../apply/planText';

export interface ApplyCliOptions extends SshCliOptions {
  host?: string;
  json?: boolean;
}

async function withLab<T>(labFile: string, options: ApplyCliOptions, work: (lab: Lab, context: { pool: ReturnType<typeof createPool>; signal: AbortSignal; hosts?: string[] }) => Promise<T>): Promise<T> {
  const lab = await loadLabOrExit(labFile);
  if (options.host) requireHost(lab, options.host);
  const pool = createPool(lab, options);
  try {
    return await withCancellation(
      (signal) => work(lab, { pool, signal, hosts: options.host ? [options.host] : undefined }),
      () => process.stderr.write('cancelling: stopping what runs on the hosts...\n'),
    );
  } finally {
    pool.dispose();
  }
}

export function planCommand(labFile: string, options: ApplyCliOptions, mode: PlanMode = 'apply'): Promise<number> {
  return withLab(labFile, options, async (lab, { pool, signal, hosts }) => {
    const plan = await planLab(pool, lab, { mode, hosts, signal });
    process.stdout.write(options.json ? `${JSON.stringify({ mode, plans: plan.plans, failures: plan.failures }, null, 2)}\n` : renderPlan(plan));
    return plan.failures.length || plan.plans.some((p) => p.problems.length) ? EXIT_NOT_AS_ASKED : EXIT_OK;
  });
}

export function applyCommand(labFile: string, options: ApplyCliOptions, mode: PlanMode = 'apply'): Promise<number> {
  return withLab(labFile, options, async (lab, { pool, signal, hosts }) => {
    const plan = await planLab(pool, lab, { mode, hosts, signal });
    const sudo = (host: string) => lab.hosts.find((h) => h.name === host)?.sudo ?? false;
    const results: HostApplyResult[] = await runPlans(pool, plan.plans, {
      sudo,
      signal,
      onEvent: (event) => {
        if (options.json) return;
        if (event.type === 'step-start') process.stdout.write(`${event.host} [${event.index + 1}/${event.total}] ${event.step.changes.join('; ')}\n    $ ${event.command}\n`);
        if (event.type === 'step-output') for (const line of event.text.trimEnd().split('\n')) process.stdout.write(`${event.host}     ${line}\n`);
      },
    });
    // Read back what apply did: the summary says whether any drift is left.
    const after = mode === 'apply' && !signal.aborted ? withDrift(lab, await readLabState(pool, lab, { hosts, signal })) : undefined;
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ mode, results, failures: plan.failures, drift: after?.drift }, null, 2)}\n`);
    } else {
      process.stdout.write(renderApplySummary(results));
      for (const failure of plan.failures) process.stdout.write(`${failure.host}: ${isNotReached(failure.kind) ? 'UNREACHABLE' : 'REACHED, NOT READ'}: ${failure.message}\n`);
      if (after) process.stdout.write(afterText(after));
    }
    const unread = after ? Object.values(after.hosts).filter((reading) => !reading.ok).length : 0;
    const bad = results.some((r) => r.status === 'failed' || r.status === 'blocked' || r.status === 'cancelled') || plan.failures.length > 0 || unread > 0;
    return bad ? EXIT_NOT_AS_ASKED : EXIT_OK;
  });
}

/** What the read-back says: the drift left, and never "as the file says" of a host that was not read. */
export function afterText(after: LabState): string {
  const readings = Object.values(after.hosts);
  const unread = readings.filter((reading) => !reading.ok).map((reading) => (reading.ok ? '' : reading.failure.host));
  if (readings.length === 0 || unread.length === readings.length) return 'no host could be read, so nothing was compared with the lab file\n';
  const lines: string[] = [];
  if (after.drift.length) lines.push(`${after.drift.length} drift item(s) remain:`, ...after.drift.map((d) => `  ! ${d.message}`));
  else lines.push(unread.length ? `the hosts that were read are as the lab file says; not read: ${unread.join(', ')}` : 'every host is as the lab file says');
  return `${lines.join('\n')}\n`;
}
