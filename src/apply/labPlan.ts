// Plans a whole lab: every host's state read at once, then each host's plan from it. A host
// that cannot be read has no plan, only its failure; the others are planned all the same.

import { readLabState } from '../hosts/readLabState';
import type { HostReadFailure, LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
import { desiredHost } from './desired';
import { changeCount, planDestroy, planHost, type HostPlan } from './plan';

export type PlanMode = 'apply' | 'destroy';

export interface LabPlan {
  mode: PlanMode;
  plans: HostPlan[];
  failures: HostReadFailure[];
  state: LabState;
}

export async function planLab(pool: SshPool, lab: Lab, options: { mode?: PlanMode; hosts?: string[]; signal?: AbortSignal } = {}): Promise<LabPlan> {
  const mode = options.mode ?? 'apply';
  const state = await readLabState(pool, lab, { hosts: options.hosts, signal: options.signal });
  const plans: HostPlan[] = [];
  const failures: HostReadFailure[] = [];
  for (const host of lab.hosts) {
    const reading = state.hosts[host.name];
    if (!reading) continue;
    if (!reading.ok) {
      failures.push(reading.failure);
      continue;
    }
    const desired = desiredHost(lab, host.name);
    plans.push(mode === 'apply' ? planHost(desired, reading.state) : planDestroy(desired, reading.state));
  }
  return { mode, plans, failures, state };
}

export function totalChanges(plan: LabPlan): number {
  return plan.plans.reduce((sum, host) => sum + changeCount(host), 0);
}
