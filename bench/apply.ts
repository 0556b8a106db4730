// Issue 4's figures: apply of the 4-host demo lab from blank (plan included), and the
// no-change plan that follows, against OpenSSH running the same commands host after host.

import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { loadLabFile } from '../src/lab/load';
import type { TestLab } from '../test/lab';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import { shellCommand } from '../src/util/shell';
import { compared, type Figure, median, nowMs, runProgram, timeRuns } from './measure';

const RUNS = 3;

export async function applyBench(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const { lab: model } = await loadLabFile(writeDemoLabFile(lab, 'bench-apply'));
  if (!model) throw new Error('the demo lab file does not load');
  const newPool = () => labPool(model);

  // Start from blank whatever ran before.
  const first = newPool();
  await runPlans(first, (await planLab(first, model, { mode: 'destroy' })).plans);
  first.dispose();

  const applyTimes: number[] = [];
  const opensshTimes: number[] = [];
  const noChange: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // From blank, cold: connections, state, plan and every step.
    const pool = newPool();
    const start = nowMs();
    const plan = await planLab(pool, model);
    const results = await runPlans(pool, plan.plans);
    applyTimes.push(nowMs() - start);
    if (results.some((r) => r.status !== 'changed' && r.status !== 'unchanged')) throw new Error(`apply failed: ${results.map((r) => r.message).join('; ')}`);
    noChange.push(median(await timeRuns(10, () => planLab(pool, model))));

    // Back to blank, then the same commands by hand with OpenSSH, host after host.
    await runPlans(pool, (await planLab(pool, model, { mode: 'destroy' })).plans);
    const commands = plan.plans.map((host) => ({ host: host.host, lines: host.steps.map((step) => shellCommand(step.argv)) }));
    const byHand = nowMs();
    for (const { host, lines } of commands) for (const line of lines) await runProgram(['ssh', ...lab.sshArgs(host), line]);
    opensshTimes.push(nowMs() - byHand);
    await runPlans(pool, (await planLab(pool, model, { mode: 'destroy' })).plans);
    pool.dispose();
  }
  return [
    compared(`apply of the 4-host demo lab from blank, cold, median of ${RUNS}`, median(applyTimes), 'ms', 'OpenSSH running the same commands host after host', median(opensshTimes), 'under 3 s'),
    { name: 'no-change plan after apply, warm, median of 10', value: Math.round(median(noChange) * 100) / 100, unit: 'ms', goal: 'under 500 ms' },
  ];
}
