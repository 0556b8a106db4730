// Records the state probe's raw output on one light host of the scale lab (sshd and ip, no Open
// vSwitch daemon ever started; `ovs-vsctl` is installed because the hosts share the machine's
// files): test/fixtures/hosts/light-h01.txt. The probe leaves `ovs-vsctl` out there (format 2),
// and the parser must still say why Open vSwitch cannot be read. Needs root; tears its lab down.
//
//   node --import tsx scripts/record-light-host-fixture.ts

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProbe } from '../src/hosts/probe';
import { loadLabFile } from '../src/lab/load';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import { canBuildTestLab, scaleLabSpec, TestLab } from '../test/lab';
import { noSshConfig, writeScaleLabFile } from '../test/lab/labFiles';

const FIXTURE = join(__dirname, '..', 'test', 'fixtures', 'hosts', 'light-h01.txt');
const SPEC = scaleLabSpec(1, { prefix: 'olhl', mgmtSubnet: '10.213.31.1/24' });

async function main(): Promise<void> {
  const can = await canBuildTestLab(SPEC);
  if (!can.ok) throw new Error(`cannot build the recording lab: ${can.reason}`);
  const lab = await TestLab.up(SPEC, { trustHostKeys: true });
  let pool: SshPool | undefined;
  try {
    const { lab: model, diagnostics } = await loadLabFile(writeScaleLabFile(lab, 'record-light'));
    if (!model) throw new Error(`the recording lab file does not validate: ${diagnostics.map((d) => d.message).join('; ')}`);
    pool = new SshPool(new EndpointTable(model, noSshConfig(), { connectTimeoutMs: 5000 }));
    const host = model.hosts[0].name;
    const raw = await runProbe(pool, { name: host, sudo: false });
    if (raw.code !== 0 || raw.cancelled) throw new Error(`probe of ${host}: exit ${raw.code} ${raw.cancelled ?? ''} ${raw.stderr}`);
    writeFileSync(FIXTURE, raw.stdout);
    process.stdout.write(`light-h01.txt (${host}, ${raw.stdout.length} bytes, ${raw.elapsedMs.toFixed(1)} ms)\n`);
  } finally {
    pool?.dispose();
    await lab.down();
  }
}

main().catch((error) => {
  process.stderr.write(`record-light-host-fixture: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
