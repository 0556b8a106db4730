// Issue 6's figure: a trace across the 4-host lab, from command to verdict (the CLI, as a user
// runs it: node start, connections, state, captures, probe, verdict), healthy and broken.

import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { loadLabFile } from '../src/lab/load';
import { run, type TestLab } from '../test/lab';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import { BIN } from '../test/lab/productCli';
import { type Figure, median, nowMs } from './measure';

async function timedTrace(file: string, lab: TestLab): Promise<{ ms: number; delivered: boolean }> {
  await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2']);
  const start = nowMs();
  const result = await run([BIN, 'trace', file, '--from', 'test-a:eth2', '--to', '10.213.50.12', '--json'], { check: false });
  return { ms: nowMs() - start, delivered: JSON.parse(result.stdout).delivered };
}

export async function traceBench(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const file = writeDemoLabFile(lab, 'bench-trace');
  const { lab: model } = await loadLabFile(file);
  if (!model) throw new Error('the demo lab file does not load');
  const pool = labPool(model);
  await runPlans(pool, (await planLab(pool, model)).plans);
  pool.dispose();

  const healthy: number[] = [];
  for (let i = 0; i < 5; i++) {
    const trace = await timedTrace(file, lab);
    if (!trace.delivered) throw new Error('the healthy lab did not trace as delivered');
    healthy.push(trace.ms);
  }
  // Broken: the provider network on site B drops frames whose source MAC is not ovs-b's own.
  const ownMac = (await lab.nsExec('ovs-b', ['cat', '/sys/class/net/eth2/address'])).stdout.trim();
  const segment = ['ip', 'netns', 'exec', lab.segmentNamespace('cn-b')];
  await run([...segment, 'nft', `table bridge antispoof { chain forward { type filter hook forward priority 0; policy accept; iifname "p0" ether saddr != ${ownMac} drop; }; }`]);
  const broken: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const trace = await timedTrace(file, lab);
      if (trace.delivered) throw new Error('the broken lab traced as delivered');
      broken.push(trace.ms);
    }
  } finally {
    await run([...segment, 'nft', 'delete table bridge antispoof']);
  }
  return [
    { name: 'trace test-a -> test-b, healthy (delivered), command to verdict, median of 5', value: Math.round(median(healthy)), unit: 'ms', goal: 'under 3 s' },
    { name: 'trace test-a -> test-b, broken (provider drops foreign MACs), command to verdict, median of 3', value: Math.round(median(broken)), unit: 'ms', goal: 'under 3 s' },
  ];
}
