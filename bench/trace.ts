// Issue 11's figures: a trace across the 4-host lab, from command to verdict with its cause
// (the CLI, as a user runs it: node start, connections, state, captures, ping, following both
// legs, the measurements), healthy and for each fault kind the lab can produce; median of 5.
// Beside the healthy one, the same trace with --pcapng (each point's frames kept in a pcap on its
// host, fetched and written as one pcapng), run in turn with it, against it as the baseline.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { loadLabFile } from '../src/lab/load';
import { run, type TestLab } from '../test/lab';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import { BIN } from '../test/lab/productCli';
import { TRACE_FAULTS } from '../test/lab/traceFaults';
import { type Figure, median, nowMs } from './measure';

const RUNS = 5;

async function timedTrace(file: string, lab: TestLab, size?: number, pcapng?: string): Promise<{ ms: number; delivered: boolean; kind?: string }> {
  lab.assertNamespaces();
  await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2']);
  const start = nowMs();
  const result = await run([BIN, 'trace', file, '--from', 'test-a:eth2', '--to', '10.213.50.12', '--json', ...(size ? ['--size', String(size)] : []), ...(pcapng ? ['--pcapng', pcapng] : [])], { check: false });
  const ms = nowMs() - start;
  const parsed = JSON.parse(result.stdout);
  return { ms, delivered: parsed.delivered, kind: parsed.cause?.kind };
}

export async function traceBench(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const file = writeDemoLabFile(lab, 'bench-trace');
  const { lab: model } = await loadLabFile(file);
  if (!model) throw new Error('the demo lab file does not load');
  const pool = labPool(model);
  await runPlans(pool, (await planLab(pool, model)).plans);
  pool.dispose();
  // Right after apply the first ARP request can go unanswered (test/fixtures/trace/healthy.json shows it), and ping -W 1 then fails: ping until the overlay answers (at most 10 tries).
  for (let i = 0; i < 10; i++) {
    lab.assertNamespaces();
    if ((await lab.nsExec('test-a', ['ping', '-n', '-c', '1', '-W', '1', '10.213.50.12'])).code === 0) break;
  }

  const figures: Figure[] = [];
  const healthy: number[] = [];
  const withFrames: number[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'bench-trace-'));
  try {
    for (let i = 0; i < RUNS; i++) {
      const trace = await timedTrace(file, lab);
      if (!trace.delivered) throw new Error('the healthy lab did not trace as delivered');
      healthy.push(trace.ms);
      const kept = await timedTrace(file, lab, undefined, join(scratch, `trace-${i}.pcapng`));
      if (!kept.delivered) throw new Error('the healthy lab did not trace as delivered with --pcapng');
      withFrames.push(kept.ms);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  figures.push({ name: `trace test-a -> test-b, healthy (delivered), command to verdict, median of ${RUNS}`, value: Math.round(median(healthy)), unit: 'ms', goal: 'under 1 s' });
  const plain = Math.round(median(healthy));
  const kept = Math.round(median(withFrames));
  figures.push({ name: `the same trace with --pcapng (every point's frames kept, fetched and written as one pcapng), median of ${RUNS}`, value: kept, unit: 'ms', baseline: { name: 'without --pcapng, run in turn with it', value: plain }, ratio: plain / kept });
  for (const fault of TRACE_FAULTS) {
    await fault.inject(lab);
    const times: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        const trace = await timedTrace(file, lab, fault.size);
        if (trace.delivered) throw new Error(`${fault.kind}: the broken lab traced as delivered`);
        if (trace.kind !== fault.kind) throw new Error(`${fault.kind}: the trace found ${trace.kind}`);
        times.push(trace.ms);
      }
    } finally {
      await fault.restore(lab);
    }
    figures.push({ name: `trace test-a -> test-b, ${fault.kind} (cause proved), command to verdict, median of ${RUNS}`, value: Math.round(median(times)), unit: 'ms', goal: 'under 3 s' });
  }
  return figures;
}
