// Issue 5's figures: a bounded ping flood inside the test lab, captured through the product's
// whole pipeline (pooled connection, wrapper, line splitting, frame parsing, the pane's batcher
// with its default limits) into a sink that counts the lines that would reach the pane; against
// `ssh host tcpdump -l -n -e -i IF | wc -l` with OpenSSH on the same flood. Lines per second
// of flood for each and their ratio; the product's own CPU and peak memory while capturing.
// Figures are reported, never asserted.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startCapture } from '../src/capture/captureSession';
import { FrameBatcher } from '../src/capture/frameBatcher';
import { tcpdumpArgs } from '../src/capture/tcpdumpCommand';
import { loadLabFile } from '../src/lab/load';
import { SshPool } from '../src/ssh/pool';
import { shellCommand } from '../src/util/shell';
import { waitFor, type TestLab } from '../test/lab';
import { configureDemoLab } from '../test/lab/configureDemo';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import { compared, type Figure, median, nowMs, round } from './measure';

const PINGS = 20_000;
const RUNS = 5;
/** After the flood, how long both captures get to deliver what is still on its way. */
const DRAIN_MS = 1000;
const TEST_B = '10.213.50.12';

interface Scenario {
  label: string;
  host: string;
  iface: string;
  filter: string;
}

// The same flood seen twice: as plain frames on ovs-b's access port, and VXLAN-encapsulated
// (two lines per frame) on its underlay port.
const SCENARIOS: Scenario[] = [
  { label: 'plain ICMP on ovs-b eth2', host: 'ovs-b', iface: 'eth2', filter: 'icmp' },
  { label: 'VXLAN on ovs-b eth0 (2 lines per frame)', host: 'ovs-b', iface: 'eth0', filter: 'udp port 4789' },
];

interface Run {
  lines: number;
  floodMs: number;
  cpuMs?: number;
  peakRssMb?: number;
  rssGrowthMb?: number;
  skippedLines?: number;
  droppedByKernel?: number;
}

/** `ping -f` from test-a to test-b, bounded in count and time; its wall time in ms. */
async function flood(lab: TestLab): Promise<number> {
  lab.assertNamespaces();
  const start = nowMs();
  const result = await lab.nsExec('test-a', ['ping', '-n', '-q', '-f', '-c', String(PINGS), '-w', '10', TEST_B], { timeoutMs: 20_000 });
  if (result.code !== 0) throw new Error(`the flood failed: ${result.stdout}${result.stderr}`);
  return nowMs() - start;
}

async function ours(lab: TestLab, pool: SshPool, scenario: Scenario): Promise<Run> {
  let lines = 0;
  let skippedLines = 0;
  const batcher = new FrameBatcher((batch) => {
    for (const frame of batch.frames) lines += frame.lines;
    skippedLines += batch.skippedLines;
  });
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = process.cpuUsage();
  const session = startCapture(pool, { host: scenario.host, interface: scenario.iface, filter: scenario.filter, onFrame: (frame) => batcher.push(frame) });
  try {
    await session.listening;
    const floodMs = await flood(lab);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    const end = await session.stop();
    batcher.flush();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      lines,
      floodMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: peakRss / 1024 / 1024,
      rssGrowthMb: (peakRss - rssBefore) / 1024 / 1024,
      skippedLines,
      droppedByKernel: end.stats?.droppedByKernel,
    };
  } finally {
    clearInterval(sampler);
    batcher.dispose();
    await session.close();
  }
}

/** CPU time of a process so far, from /proc (utime + stime), in ms. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function openssh(lab: TestLab, scenario: Scenario): Promise<Run & { sshCpuMs?: number }> {
  const wc = spawn('wc', ['-l'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let counted = '';
  wc.stdout.on('data', (chunk) => (counted += chunk));
  const wcDone = new Promise((resolve) => wc.on('close', resolve));
  const remote = shellCommand([...tcpdumpArgs({ interface: scenario.iface }).filter((arg) => arg !== '-tt'), scenario.filter]);
  const ssh = spawn('ssh', [...lab.sshArgs(scenario.host), remote], { stdio: ['ignore', wc.stdin, 'pipe'] });
  wc.stdin.destroy(); // ssh holds the pipe now
  let stderr = '';
  ssh.stderr.on('data', (chunk) => (stderr += chunk));
  const sshDone = new Promise((resolve) => ssh.on('close', resolve));
  try {
    await waitFor(`tcpdump over OpenSSH on ${scenario.host} to listen`, 10_000, async () => (/listening on/.test(stderr) ? true : undefined));
    const floodMs = await flood(lab);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    const sshCpuMs = processCpuMs(ssh.pid!);
    ssh.kill('SIGTERM');
    await sshDone;
    await wcDone;
    return { lines: Number(counted.trim()), floodMs, sshCpuMs };
  } finally {
    ssh.kill('SIGKILL');
    // Without a pty, the remote tcpdump outlives ssh until it next writes: end the one we started.
    for (const leftover of await lab.processes(scenario.host, /^tcpdump -l -n -e -i /)) {
      try {
        process.kill(leftover.pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
  }
}

const SOAK_SECONDS = 60;
/** A flood bounded in time (SOAK_SECONDS) and in count, whichever ends first. */
const SOAK_PINGS = 2_000_000;

/**
 * A 60 s capture of a flood through the whole pipeline, RSS sampled every second: memory must
 * stay flat however long a capture runs, because the batcher skips (and counts) what it cannot
 * hand on instead of queueing it.
 */
async function soak(lab: TestLab, pool: SshPool): Promise<Figure[]> {
  let lines = 0;
  let skipped = 0;
  const batcher = new FrameBatcher((batch) => {
    for (const frame of batch.frames) lines += frame.lines;
    skipped += batch.skippedLines;
  });
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage().rss), 1000);
  const session = startCapture(pool, { host: 'ovs-b', interface: 'eth2', filter: 'icmp', onFrame: (frame) => batcher.push(frame) });
  try {
    await session.listening;
    lab.assertNamespaces();
    const start = nowMs();
    await lab.nsExec('test-a', ['ping', '-n', '-q', '-f', '-c', String(SOAK_PINGS), '-w', String(SOAK_SECONDS), TEST_B], { timeoutMs: (SOAK_SECONDS + 15) * 1000 });
    const seconds = (nowMs() - start) / 1000;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    await session.stop();
    batcher.flush();
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    const tenth = samples[Math.min(9, samples.length - 1)];
    return [
      { name: `soak: a ${Math.round(seconds)} s flood captured on ovs-b eth2, lines reaching the pane per second`, value: round(lines / seconds), unit: 'lines/s' },
      { name: 'soak: peak RSS over the capture (the bench process with its TypeScript loader)', value: mb(Math.max(...samples)), unit: 'MB' },
      { name: 'soak: RSS growth from the 10th second to the peak (flat means bounded)', value: mb(Math.max(...samples) - tenth), unit: 'MB' },
      { name: 'soak: lines the batcher skipped (default limits)', value: skipped, unit: 'lines' },
    ];
  } finally {
    clearInterval(sampler);
    batcher.dispose();
    await session.close();
  }
}

export async function captureBench(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys();
  const file = writeDemoLabFile(lab, 'bench-capture', (doc) => doc.setIn(['defaults', 'ssh', 'strictHostKeyChecking'], 'yes'));
  const { lab: model } = await loadLabFile(file);
  if (!model) throw new Error(`${file} does not load`);
  await configureDemoLab(lab); // the tunnel, checked to carry a ping
  const pool = labPool(model);
  const figures: Figure[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const mine: Run[] = [];
      const theirs: (Run & { sshCpuMs?: number })[] = [];
      // Alternating which goes first: the flood's own speed drifts (OVS's userspace datapath
      // shares two cores with everything else), and neither side should always get the warm slot.
      for (let run = 0; run < RUNS; run++) {
        if (run % 2 === 0) {
          mine.push(await ours(lab, pool, scenario));
          theirs.push(await openssh(lab, scenario));
        } else {
          theirs.push(await openssh(lab, scenario));
          mine.push(await ours(lab, pool, scenario));
        }
      }
      const rate = (r: Run) => (r.lines / r.floodMs) * 1000;
      const ourRate = median(mine.map(rate));
      const theirRate = median(theirs.map(rate));
      const name = `${scenario.label}: lines per second of a ${PINGS}-ping flood reaching the pane, median of ${RUNS}`;
      // Higher is better here, so the ratio is ours over OpenSSH's: the median of each pair's
      // ratio (the two runs of a pair are back to back, so a drifting flood speed cancels out).
      const pairRatio = median(mine.map((r, i) => rate(r) / rate(theirs[i])));
      figures.push({ ...compared(name, ourRate, 'lines/s', 'ssh host tcpdump -l -n -e | wc -l (OpenSSH)', theirRate), ratio: round(pairRatio), goal: 'ratio at least 0.9' });
      // Ratios below are ours over OpenSSH's (for CPU, lower is better).
      const ourLines = median(mine.map((r) => r.lines));
      const theirLines = median(theirs.map((r) => r.lines));
      figures.push({ name: `${scenario.label}: lines delivered per run (of ${PINGS * 2 * (scenario.iface === 'eth0' ? 2 : 1)}), ours / OpenSSH (medians)`, value: ourLines, unit: 'lines', baseline: { name: 'OpenSSH', value: theirLines }, ratio: round(ourLines / theirLines) });
      const ourCpu = median(mine.map((r) => r.cpuMs ?? 0));
      const sshCpu = median(theirs.map((r) => r.sshCpuMs ?? 0));
      figures.push({ name: `${scenario.label}: our process CPU over the capture, ours / the ssh client's (medians)`, value: round(ourCpu), unit: 'ms', baseline: { name: 'the ssh client process, same flood', value: round(sshCpu) }, ratio: round(ourCpu / sshCpu) });
      figures.push({ name: `${scenario.label}: our peak RSS while capturing (max; the bench process with its TypeScript loader)`, value: round(Math.max(...mine.map((r) => r.peakRssMb ?? 0))), unit: 'MB' });
      figures.push({ name: `${scenario.label}: our RSS growth over a capture (max)`, value: round(Math.max(...mine.map((r) => r.rssGrowthMb ?? 0))), unit: 'MB' });
      figures.push({ name: `${scenario.label}: lines the batcher skipped (default limits), max of runs`, value: Math.max(...mine.map((r) => r.skippedLines ?? 0)), unit: 'lines' });
      figures.push({ name: `${scenario.label}: tcpdump's "dropped by kernel" under our capture, max of runs`, value: Math.max(...mine.map((r) => r.droppedByKernel ?? 0)), unit: 'packets' });
    }
    figures.push(...(await soak(lab, pool)));
  } finally {
    pool.dispose();
  }
  return figures;
}
