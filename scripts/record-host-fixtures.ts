// Records the state probe's raw output on real hosts, for the parser and drift unit tests:
// builds a demo lab of its own (prefix `olh`, management network 10.213.30.0/24, so it runs
// beside a CI lab on the default one), puts its hosts through the states the tests need, and
// writes the probe's exact stdout of each to test/fixtures/hosts/*.txt. Also prints how long
// the probe takes on warm connections. Needs root; tears the lab down whatever happens.
//
//   node --import tsx scripts/record-host-fixtures.ts

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROBE_SCRIPT } from '../src/hosts/probeScript';
import { runProbe } from '../src/hosts/probe';
import { loadLabFile } from '../src/lab/load';
import type { Lab } from '../src/lab/types';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import { canBuildTestLab, demoLabSpec, TestLab } from '../test/lab';
import { assertTunnelCarries, configureDemoLab } from '../test/lab/configureDemo';
import { noSshConfig, writeDemoLabFile } from '../test/lab/labFiles';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'hosts');
const SPEC = demoLabSpec({ prefix: 'olh', mgmtSubnet: '10.213.30.1/24' });

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function labModel(lab: TestLab): Promise<Lab> {
  // ssh.host of every host is the address this lab gave it (10.213.30.11/.12; the hidden hosts
  // keep theirs, inside their namespaces).
  const file = writeDemoLabFile(lab, 'record', (doc) => {
    for (const host of lab.hosts()) if (host.sshHost) doc.setIn(['hosts', host.name, 'ssh', 'host'], host.sshHost);
  });
  const { lab: model, diagnostics } = await loadLabFile(file);
  if (!model) throw new Error(`the recording lab file does not validate: ${diagnostics.map((d) => d.message).join('; ')}`);
  return model;
}

async function record(pool: SshPool, host: string, name: string): Promise<void> {
  const raw = await runProbe(pool, { name: host, sudo: false });
  if (raw.code !== 0 || raw.cancelled) throw new Error(`probe of ${host} for ${name}: exit ${raw.code} ${raw.cancelled ?? ''} ${raw.stderr}`);
  writeFileSync(join(FIXTURES, `${name}.txt`), raw.stdout);
  say(`  ${name}.txt  (${host}, ${raw.stdout.length} bytes, ${raw.elapsedMs.toFixed(1)} ms)`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(pool: SshPool, hosts: string[]): Promise<void> {
  const once = async (host: string) => (await runProbe(pool, { name: host, sudo: false })).elapsedMs;
  for (const host of hosts) await once(host); // warm: connections open, caches filled
  const single: number[] = [];
  for (let i = 0; i < 20; i++) single.push(await once('ovs-a'));
  const parallel: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await Promise.all(hosts.map(once));
    parallel.push(performance.now() - t);
  }
  say(`probe on warm connections: one host (ovs-a) median ${median(single).toFixed(1)} ms, min ${Math.min(...single).toFixed(1)} ms; ` +
    `four hosts in parallel median ${median(parallel).toFixed(1)} ms, max ${Math.max(...parallel).toFixed(1)} ms (20 runs each)`);
}

/** test-a and test-b join a Linux bridge br1 each, with a kernel VXLAN device between them over eth2. */
async function addLinuxBridgeOverlay(lab: TestLab): Promise<void> {
  const sides = [
    { host: 'test-a', local: '10.213.50.11', remote: '10.213.50.12', address: '10.213.60.11/24' },
    { host: 'test-b', local: '10.213.50.12', remote: '10.213.50.11', address: '10.213.60.12/24' },
  ];
  for (const s of sides) {
    for (const argv of [
      ['ip', 'link', 'add', 'br1', 'type', 'bridge'],
      ['ip', 'link', 'add', 'vxk0', 'type', 'vxlan', 'id', '42', 'remote', s.remote, 'local', s.local, 'dstport', '4789', 'dev', 'eth2'],
      ['ip', 'link', 'set', 'vxk0', 'master', 'br1'],
      ['ip', 'addr', 'add', s.address, 'dev', 'br1'],
      ['ip', 'link', 'set', 'vxk0', 'up'],
      ['ip', 'link', 'set', 'br1', 'up'],
    ]) {
      await lab.nsExec(s.host, argv, { check: true });
    }
  }
  lab.assertNamespaces();
  const ping = await lab.nsExec('test-a', ['ping', '-n', '-c', '3', '-W', '2', '10.213.60.12'], { timeoutMs: 15_000 });
  if (ping.code !== 0) throw new Error(`test-a cannot reach test-b over the kernel VXLAN: ${ping.stdout}${ping.stderr}`);
}

/** Stops an OVS daemon of a host the way `kill` does (SIGTERM: it removes its pid file). */
async function stopDaemon(lab: TestLab, host: string, daemon: 'ovs-vswitchd' | 'ovsdb-server'): Promise<void> {
  await lab.nsExec(host, ['sh', '-c', 'kill -TERM "$(cat "/run/openvswitch/$1.pid")"', 'sh', daemon], { check: true });
  for (let i = 0; i < 100; i++) {
    const left = await lab.processes(host, daemon);
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${daemon} on ${host} did not stop`);
}

async function main(): Promise<void> {
  const can = await canBuildTestLab(SPEC);
  if (!can.ok) throw new Error(`cannot build the recording lab: ${can.reason}`);
  mkdirSync(FIXTURES, { recursive: true });
  const lab = await TestLab.up(SPEC, { trustHostKeys: true });
  let pool: SshPool | undefined;
  try {
    const model = await labModel(lab);
    const config = noSshConfig();
    pool = new SshPool(new EndpointTable(model, config, { connectTimeoutMs: 5000 }));
    const hosts = model.hosts.map((h) => h.name);

    say('blank lab:');
    for (const host of hosts) await record(pool, host, `blank-${host}`);

    await configureDemoLab(lab);
    // More traffic both ways, so every counter on the path has moved; then wait for
    // ovs-vswitchd to copy its counters into the database, which it does every 5 s.
    await assertTunnelCarries(lab);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    say('configured lab (test-a pinged test-b through the VXLAN tunnel):');
    for (const host of hosts) await record(pool, host, `configured-${host}`);
    await measure(pool, hosts);

    await addLinuxBridgeOverlay(lab);
    say('Linux bridge br1 with kernel VXLAN vxk0 on test-a and test-b (pinged 10.213.60.12):');
    await record(pool, 'test-a', 'linux-bridge-test-a');

    // The probe with a PATH of the sbin folders only, which hold ip but not ovs-vsctl (it lives
    // in /usr/bin), as a host whose PATH lacks it would run it.
    const sbinOnly = 'PATH=/usr/sbin:/sbin';
    const raw = await pool.exec('ovs-a', ['env', sbinOnly, '/bin/sh', '-c', PROBE_SCRIPT]);
    if (raw.code !== 0) throw new Error(`probe without ovs-vsctl: exit ${raw.code} ${raw.stderr}`);
    writeFileSync(join(FIXTURES, 'ovs-vsctl-not-found-ovs-a.txt'), raw.stdout);
    say(`  ovs-vsctl-not-found-ovs-a.txt  (ovs-a, ${sbinOnly})`);

    await stopDaemon(lab, 'ovs-b', 'ovs-vswitchd');
    say('ovs-vswitchd stopped on ovs-b:');
    await record(pool, 'ovs-b', 'vswitchd-stopped-ovs-b');

    await stopDaemon(lab, 'ovs-b', 'ovsdb-server');
    say('ovsdb-server stopped too on ovs-b:');
    await record(pool, 'ovs-b', 'ovs-stopped-ovs-b');
  } finally {
    pool?.dispose();
    await lab.down();
  }
}

main().catch((error) => {
  process.stderr.write(`record-host-fixtures: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
