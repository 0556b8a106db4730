// Issue 3's figures: reading the whole lab's state (cold, connections included; and warm, on
// pooled connections) against OpenSSH running the same probe on each host one after another.
// Then the same on a 32-host lab, to show how the time grows with the number of hosts.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { PROBE_SCRIPT } from '../src/hosts/probeScript';
import { readLabState } from '../src/hosts/readLabState';
import { loadLabFile } from '../src/lab/load';
import type { Lab } from '../src/lab/types';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import { scaleLabSpec, TestLab } from '../test/lab';
import { noSshConfig, writeDemoLabFile } from '../test/lab/labFiles';
import { compared, type Figure, median, runProgram, timeRuns } from './measure';


async function loadOrThrow(file: string): Promise<Lab> {
  const { lab, diagnostics } = await loadLabFile(file);
  if (!lab) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return lab;
}

/** Reads of one lab: cold and warm through the product, sequential OpenSSH as the baseline. */
async function measureLab(lab: TestLab, model: Lab, label: string, hosts?: string[]): Promise<{ cold: number; warm: number; openssh: number; clientCpuMs: number }> {
  const targets = hosts ?? model.hosts.map((h) => h.name);
  const cold = median(
    await timeRuns(5, async () => {
      const pool = new SshPool(new EndpointTable(model, noSshConfig()));
      const state = await readLabState(pool, model, { hosts: targets });
      pool.dispose();
      const failed = Object.values(state.hosts).filter((r) => !r.ok);
      if (failed.length) throw new Error(`${label}: ${failed.length} hosts not read`);
    }),
  );
  const pool = new SshPool(new EndpointTable(model, noSshConfig()));
  await readLabState(pool, model, { hosts: targets });
  const cpuBefore = process.cpuUsage();
  const warm = median(await timeRuns(20, () => readLabState(pool, model, { hosts: targets })));
  const cpu = process.cpuUsage(cpuBefore);
  // Our own CPU per read: on one 2-core machine the hosts' probes share the CPUs with us, so
  // wall time grows with the host count; this shows how much of it is the product's.
  const clientCpuMs = (cpu.user + cpu.system) / 1000 / 20;
  pool.dispose();
  const openssh = median(
    await timeRuns(3, async () => {
      for (const host of targets) await runProgram(['ssh', ...lab.sshArgs(host), 'sh', '-c', `'${PROBE_SCRIPT.replace(/'/g, `'\\''`)}'`]);
    }),
  );
  return { cold, warm, openssh, clientCpuMs };
}

export async function stateRead(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const model = await loadOrThrow(writeDemoLabFile(lab, 'bench-state'));
  // A configured lab has the most to read: apply it first, with the product itself.
  const setupPool = new SshPool(new EndpointTable(model, noSshConfig()));
  await runPlans(setupPool, (await planLab(setupPool, model)).plans);
  setupPool.dispose();

  const four = await measureLab(lab, model, '4 hosts');
  const figures: Figure[] = [
    compared('state of the 4-host demo lab, warm (pooled connections), median of 20', four.warm, 'ms', 'OpenSSH, the same probe host after host', four.openssh, 'under 100 ms'),
    compared('state of the 4-host demo lab, cold (connections included), median of 5', four.cold, 'ms', 'OpenSSH, the same probe host after host', four.openssh, 'at most half the OpenSSH time'),
  ];

  // 32 hosts with Open vSwitch each, on a management network of their own.
  const spec = scaleLabSpec(32, { prefix: 'olbscale', mgmtSubnet: '10.213.90.1/24', ovs: true });
  const big = await TestLab.up(spec, { trustHostKeys: true });
  try {
    const yaml = [
      'version: 1',
      'name: scale',
      'defaults:',
      '  ssh:',
      '    user: root',
      `    identityFile: ${big.paths.clientKey}`,
      `    knownHostsFile: ${big.paths.knownHosts}`,
      'hosts:',
      ...big.hosts().flatMap((host) => [`  ${host.name}:`, `    ssh: { host: ${host.sshHost} }`, '    bridges:', '      br0: { kind: ovs, datapath: netdev }']),
      '',
    ].join('\n');
    const file = join(big.paths.workDir, 'scale.lab.yaml');
    writeFileSync(file, yaml);
    const scaleModel = await loadOrThrow(file);
    for (const count of [4, 8, 16, 32]) {
      const hosts = scaleModel.hosts.slice(0, count).map((h) => h.name);
      const result = await measureLab(big, scaleModel, `${count} hosts`, hosts);
      figures.push(compared(`state of ${count} hosts, warm, median of 20`, result.warm, 'ms', 'OpenSSH host after host', result.openssh));
      figures.push(compared(`state of ${count} hosts, cold, median of 5`, result.cold, 'ms', 'OpenSSH host after host', result.openssh));
      figures.push({ name: `state of ${count} hosts, warm: Overlay Lab's own CPU per read (the rest is the hosts' probes on the same 2 cores)`, value: Math.round(result.clientCpuMs * 10) / 10, unit: 'ms' });
    }
  } finally {
    await big.down();
  }
  return figures;
}
