// Issue 12's figures: the demo lab's mesh (every ordered pair of its four overlay addresses,
// 12 pings) run with `overlay-lab test`, as CI runs it (node start, connections, pings, verdict),
// all passing; then with one fault that fails a quarter of the pairs (an OpenFlow rule on ovs-b
// dropping echo requests to test-b: 3 of 12), traces included. Each against a shell loop of
// `ssh host ping` over the same pairs with OpenSSH (no traces: it only says which pairs failed).

import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { loadLabFile } from '../src/lab/load';
import { expandTests } from '../src/labtests/expand';
import { pingArgv } from '../src/labtests/ping';
import { shellCommand } from '../src/util/shell';
import { run, type TestLab } from '../test/lab';
import { BIN } from '../test/lab/productCli';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import { compared, type Figure, median, nowMs } from './measure';

const RUNS = 3;
const TEST_B = '10.213.50.12';

interface Timed {
  ms: number;
  failed: number;
}

async function timedTests(file: string): Promise<Timed> {
  const start = nowMs();
  const result = await run([BIN, 'test', file, '--name', 'all-pairs', '--json'], { check: false });
  const ms = nowMs() - start;
  const report = JSON.parse(result.stdout) as { failed: number; tests: { passed: boolean; trace: unknown }[] };
  if (report.tests.some((t) => !t.passed && !t.trace)) throw new Error(`a failed test carries no trace:\n${result.stdout}`);
  return { ms, failed: report.failed };
}

export async function labTestsBench(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const file = writeDemoLabFile(lab, 'bench-labtests');
  const { lab: model } = await loadLabFile(file);
  if (!model) throw new Error('the demo lab file does not load');
  const pool = labPool(model);
  await runPlans(pool, (await planLab(pool, model)).plans);
  pool.dispose();
  const pairs = expandTests(model).filter((c) => c.declared === 'all-pairs');
  if (pairs.length !== 12) throw new Error(`the demo lab's mesh has ${pairs.length} pairs, not 12`);
  // The same pings, one `ssh host ping` after another, as a shell loop would run them.
  const loop = pairs.map((c) => `${shellCommand(['ssh', ...lab.sshArgs(c.from.host), shellCommand(pingArgv(c))])} >/dev/null || failed=$((failed+1))`).join('\n');
  const shellLoop = async (): Promise<Timed> => {
    lab.assertNamespaces();
    const start = nowMs();
    const out = await run(['sh', '-c', `failed=0\n${loop}\necho $failed`], { check: false, timeoutMs: 120_000 });
    return { ms: nowMs() - start, failed: Number(out.stdout.trim()) };
  };
  // Userspace OVS drops the first packets while it resolves the tunnel's next hop.
  await lab.nsExec('test-a', ['ping', '-n', '-c', '3', '-W', '2', TEST_B], { check: false });

  const healthy: number[] = [];
  const healthyLoop: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ours = await timedTests(file);
    if (ours.failed) throw new Error(`the healthy lab failed ${ours.failed} pairs`);
    healthy.push(ours.ms);
    const theirs = await shellLoop();
    if (theirs.failed) throw new Error(`the shell loop failed ${theirs.failed} pairs on the healthy lab`);
    healthyLoop.push(theirs.ms);
  }

  await lab.nsExec('ovs-b', ['ovs-ofctl', 'add-flow', 'br0', `priority=100,icmp,nw_dst=${TEST_B},icmp_type=8,actions=drop`], { check: true });
  const broken: number[] = [];
  const brokenLoop: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const ours = await timedTests(file);
      if (ours.failed !== 3) throw new Error(`the fault failed ${ours.failed} pairs, not 3`);
      broken.push(ours.ms);
      const theirs = await shellLoop();
      if (theirs.failed !== 3) throw new Error(`the shell loop failed ${theirs.failed} pairs, not 3`);
      brokenLoop.push(theirs.ms);
    }
  } finally {
    await lab.nsExec('ovs-b', ['ovs-ofctl', 'del-flows', 'br0', `icmp,nw_dst=${TEST_B}`], { check: true });
  }
  return [
    compared(`overlay-lab test, mesh of 12 pairs, all passing, command to verdict, median of ${RUNS}`, median(healthy), 'ms', 'shell loop of ssh host ping over the 12 pairs (OpenSSH)', median(healthyLoop), 'under 2 s'),
    compared(`overlay-lab test, mesh of 12 pairs, 3 failing and traced (OpenFlow drop on ovs-b), command to verdict, median of ${RUNS}`, median(broken), 'ms', 'the same shell loop (pings only, no trace)', median(brokenLoop), 'under 5 s'),
  ];
}
