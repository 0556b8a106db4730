// Plans a whole lab: every host's state read at once, compared once, then each host's plan and
// drift from that one comparison. A host
// that cannot be read has no plan, only its failure; the others are planned all the same.

import { compareHost } from '../compare/compareHost';
import { desiredHost } from '../compare/desired';
import { driftOf } from '../compare/drift';
import { readLabState } from '../hosts/readLabState';
import type { DriftItem, HostReadFailure, LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { SshPool } from '../ssh/pool';
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
  const readings = await readLabState(pool, lab, { hosts: options.hosts, signal: options.signal });
  const plans: HostPlan[] = [];
  const failures: HostReadFailure[] = [];
  const drift: DriftItem[] = [];
  for (const host of lab.hosts) {
    const reading = readings.hosts[host.name];
    if (!reading) continue;
    if (!reading.ok) {
      failures.push(reading.failure);
      continue;
    }
    const desired = desiredHost(lab, host.name);
    const comparison = compareHost(desired, reading.state);
    drift.push(...driftOf(comparison));
    plans.push(mode === 'apply' ? planHost(desired, reading.state, comparison) : planDestroy(desired, reading.state));
  }
  return { mode, plans, failures, state: { ...readings, drift } };
}

export function totalChanges(plan: LabPlan): number {
  return plan.plans.reduce((sum, host) => sum + changeCount(host), 0);
}
