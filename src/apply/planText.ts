// How plans and apply results read as text: the CLI prints it, the editor shows it in its
// confirmation and report. Pure, so the wording is tested.

import type { LabPlan } from './labPlan';
import { changeCount } from './plan';
import type { HostApplyResult } from './runPlan';
import { shellCommand } from '../util/shell';

export function renderPlan(plan: LabPlan): string {
  const out: string[] = [];
  for (const host of plan.plans) {
    const count = changeCount(host);
    if (host.problems.length) {
      out.push(`${host.host}: cannot be ${plan.mode === 'apply' ? 'applied' : 'destroyed'}`);
      for (const problem of host.problems) out.push(`  ! ${problem}`);
    } else if (count === 0) {
      out.push(`${host.host}: no changes`);
    } else {
      out.push(`${host.host}: ${count} change${count === 1 ? '' : 's'}`);
      for (const step of host.steps) {
        for (const change of step.changes) out.push(`  ${plan.mode === 'apply' ? '+' : '-'} ${change}`);
        out.push(`    $ ${shellCommand(step.argv)}`);
      }
    }
    for (const note of host.notes) out.push(`  ~ ${note}`);
  }
  for (const failure of plan.failures) out.push(`${failure.host}: not read: ${failure.message}`);
  const total = plan.plans.reduce((sum, host) => sum + changeCount(host), 0);
  const blocked = plan.plans.filter((host) => host.problems.length).length;
  if (total === 0 && blocked === 0 && plan.failures.length === 0) out.push('no changes');
  else out.push(`${total} change${total === 1 ? '' : 's'} on ${plan.plans.filter((h) => changeCount(h) > 0).length} host(s)${blocked ? `, ${blocked} blocked` : ''}${plan.failures.length ? `, ${plan.failures.length} unreachable` : ''}`);
  return `${out.join('\n')}\n`;
}

export function renderApplySummary(results: HostApplyResult[]): string {
  const out = results.map((result) => {
    switch (result.status) {
      case 'changed':
        return `${result.host}: done, ${result.stepsRun} step${result.stepsRun === 1 ? '' : 's'} in ${result.elapsedMs} ms`;
      case 'unchanged':
        return `${result.host}: already as the lab file says`;
      default:
        return `${result.host}: ${result.status.toUpperCase()}: ${result.message ?? ''}${result.failedStep ? `\n    $ ${result.failedStep.command}` : ''}`;
    }
  });
  return `${out.join('\n')}\n`;
}
