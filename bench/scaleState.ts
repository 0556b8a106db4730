// Issue 14's figures for 128 hosts: reading the state of 32, 64 and 128 light hosts (netns,
// sshd at its defaults, `ip`; no OVS), cold (connections included) and warm (pooled), side by
// side with OpenSSH running the same probe host after host and with `xargs -P 16 ssh`, on the
// same hosts with the same key and known_hosts. Every read must reach every host, and no
// sshd may log MaxStartups throttling. Builds (and tears down) its own lab.

import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { PROBE_SCRIPT } from '../src/hosts/probeScript';
import { readLabState } from '../src/hosts/readLabState';
import { loadLabFile } from '../src/lab/load';
import type { Lab } from '../src/lab/types';
import { EndpointTable } from '../src/ssh/endpoints';
import { DEFAULT_PARALLEL_CONNECTS, SshPool, type PoolOptions } from '../src/ssh/pool';
import { scaleLabSpec, TestLab } from '../test/lab';
import { MAX_STARTUPS_LINE, noSshConfig, writeScaleLabFile } from '../test/lab/labFiles';
import { compared, type Figure, median, nowMs, round, runProgram, timeRuns } from './measure';

const COUNTS = [32, 64, 128];
/** What OpenSSH users reach for to read many hosts at once. */
const XARGS_PARALLEL = 16;
const WARM_RUNS = 5;

/** The probe as one shell word, as `ssh HOST sh -c '…'` sends it. */
const QUOTED_PROBE = `'${PROBE_SCRIPT.replace(/'/g, `'\\''`)}'`;

async function loadOrThrow(file: string): Promise<Lab> {
  const { lab, diagnostics } = await loadLabFile(file);
  if (!lab) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return lab;
}

function newPool(model: Lab, options: PoolOptions = {}): SshPool {
  return new SshPool(new EndpointTable(model, noSshConfig()), { reconnect: false, ...options });
}

/** Host reads through the product over the whole bench, and how many of them failed. */
const tally = { reads: 0, failed: 0 };

/** One read of `hosts` through the product; throws unless every host was read. */
async function readAll(pool: SshPool, model: Lab, hosts: string[]): Promise<void> {
  const state = await readLabState(pool, model, { hosts });
  const failed = Object.values(state.hosts).filter((r) => !r.ok);
  tally.reads += hosts.length;
  tally.failed += failed.length;
  if (failed.length) {
    const first = failed[0];
    throw new Error(`${failed.length} of ${hosts.length} hosts not read (first: ${first.ok ? '' : first.failure.message})`);
  }
}

/** Milliseconds of this process's CPU (user + system) that `work` took. */
async function withCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}

/** Milliseconds each `ssh HOST sh -c PROBE` took, one host after the other. */
async function opensshSequential(lab: TestLab, hosts: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const host of hosts) times.push((await timeRuns(1, () => runProgram(['ssh', ...lab.sshArgs(host), 'sh', '-c', QUOTED_PROBE])))[0]);
  return times;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * CPU the hosts spent, in ms, over all of them: each sshd listener's own and that of its
 * children once reaped (the connection's sshd, the session, the shell, the probe's commands).
 * A connection's processes count only after it closed.
 */
async function hostsCpuMs(lab: TestLab): Promise<number> {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const host of lab.hosts()) {
    const pid = await lab.sshdPid(host.name);
    if (pid === undefined) throw new Error(`${host.name}: its sshd is not running`);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14-17 of stat; fields[0] here is field 3.
    total += [11, 12, 13, 14].reduce((acc, i) => acc + Number(fields[i]), 0);
  }
  return (total * 1000) / ticks;
}

/** Waits until every host's sshd has no child left, so closed connections' CPU is counted. */
async function sshdSessionsGone(lab: TestLab): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const host of lab.hosts()) {
    while ((await lab.processes(host.name, 'sshd')).length > 1) {
      if (Date.now() > deadline) throw new Error(`${host.name}: sshd sessions still running 10 s after the pool closed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** `printf 'h01\nh02…' | xargs -P 16 -n 1 sh -c 'ssh -F CONFIG "$HOST" sh -c PROBE'`: exits non-zero if any ssh failed. */
function opensshXargs(lab: TestLab, hosts: string[]): Promise<string> {
  const [dashF, config] = lab.sshArgs(hosts[0]);
  if (dashF !== '-F') throw new Error(`sshArgs no longer starts with -F: ${lab.sshArgs(hosts[0]).join(' ')}`);
  return runProgram(['sh', '-c', 'printf "%s\\n" "$@" | xargs -P "$0" -n 1 sh -c \'exec ssh -F "$0" "$2" sh -c "$1"\' "$CONFIG" "$PROBE"', String(XARGS_PARALLEL), ...hosts], {
    CONFIG: config,
    PROBE: QUOTED_PROBE,
  });
}

/** sshd log lines about MaxStartups (throttling begun, connections dropped), over every host. */
async function maxStartupsLines(lab: TestLab): Promise<string[]> {
  const lines: string[] = [];
  for (const host of lab.hosts()) {
    const text = await readFile(lab.sshdLogPath(host.name), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (MAX_STARTUPS_LINE.test(line)) lines.push(`${host.name}: ${line}`);
  }
  return lines;
}

export async function scaleStateBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const spec = scaleLabSpec(Math.max(...COUNTS), { prefix: 'olbsc', mgmtSubnet: '10.213.91.1/24' });
  const upStart = nowMs();
  const lab = await TestLab.up(spec, { trustHostKeys: true });
  const upMs = nowMs() - upStart;
  try {
    figures.push({ name: `test lab of ${spec.hosts.length} light hosts: up (namespaces, sshd, host keys trusted)`, value: round(upMs), unit: 'ms' });
    const model = await loadOrThrow(writeScaleLabFile(lab, 'scale'));

    // OpenSSH host after host, once over all the hosts: the first N hosts' times are what a
    // run over N hosts takes.
    const sequentialTimes = await opensshSequential(lab, model.hosts.map((h) => h.name));
    for (const count of COUNTS) {
      const hosts = model.hosts.slice(0, count).map((h) => h.name);
      let coldCpuMs = 0;
      const cold = median(
        await timeRuns(3, async () => {
          const pool = newPool(model);
          try {
            coldCpuMs += (await withCpu(() => readAll(pool, model, hosts))).cpuMs / 3;
          } finally {
            pool.dispose();
          }
        }),
      );
      const pool = newPool(model);
      let warm: number;
      let warmCpuMs: number;
      try {
        await readAll(pool, model, hosts);
        const measured = await withCpu(() => timeRuns(WARM_RUNS, () => readAll(pool, model, hosts)));
        warm = median(measured.value);
        warmCpuMs = measured.cpuMs / WARM_RUNS;
      } finally {
        pool.dispose();
      }
      const sequential = sum(sequentialTimes.slice(0, count));
      const xargs = median(await timeRuns(count === 128 ? 3 : 1, () => opensshXargs(lab, hosts)));
      const goal = count === 128 ? { cold: 'under 3 s at 128 hosts', warm: 'under 1 s at 128 hosts' } : { cold: undefined, warm: undefined };
      figures.push(
        compared(`state of ${count} light hosts, cold (connections included), median of 3`, cold, 'ms', 'OpenSSH, the same probe host after host (one run)', sequential, goal.cold),
        compared(`state of ${count} light hosts, cold, median of 3`, cold, 'ms', `xargs -P ${XARGS_PARALLEL} ssh, the same probe (${count === 128 ? 'median of 3' : 'one run'})`, xargs, goal.cold),
        compared(`state of ${count} light hosts, warm (pooled connections), median of ${WARM_RUNS}`, warm, 'ms', 'OpenSSH, the same probe host after host (one run)', sequential, goal.warm),
        compared(`state of ${count} light hosts, warm, median of ${WARM_RUNS}`, warm, 'ms', `xargs -P ${XARGS_PARALLEL} ssh, the same probe (${count === 128 ? 'median of 3' : 'one run'})`, xargs, goal.warm),
        { name: `state of ${count} light hosts, cold: Overlay Lab's own CPU per host`, value: round(coldCpuMs / count), unit: 'ms' },
        { name: `state of ${count} light hosts, warm: Overlay Lab's own CPU per host`, value: round(warmCpuMs / count), unit: 'ms' },
      );
    }

    // Where a cold read's time goes at 128 hosts: the connects alone, then the probes alone on
    // those connections, and the probe's own time on a host (its round trip, parsed per host).
    const all = model.hosts.map((h) => h.name);
    // The hosts' CPU and ours per host, cold and warm: with every sshd on the same 2 cores as
    // the client, (ours + theirs) × hosts / cores is the least time a read can take here.
    const cores = cpus().length;
    await sshdSessionsGone(lab);
    const cpuBeforeCold = await hostsCpuMs(lab);
    const coldPool = newPool(model);
    const coldOurs = await withCpu(() => readAll(coldPool, model, all));
    coldPool.dispose();
    await sshdSessionsGone(lab);
    const coldTheirs = ((await hostsCpuMs(lab)) - cpuBeforeCold) / all.length;
    const warmPool = newPool(model);
    await readAll(warmPool, model, all);
    const warmOurs = await withCpu(() => timeRuns(WARM_RUNS, () => readAll(warmPool, model, all)));
    const cpuBeforeWarmClose = await hostsCpuMs(lab);
    warmPool.dispose();
    await sshdSessionsGone(lab);
    // That pool's connections: one cold read plus WARM_RUNS warm ones; the cold part as measured above.
    const warmTheirs = ((await hostsCpuMs(lab)) - cpuBeforeWarmClose - coldTheirs * all.length) / WARM_RUNS / all.length;
    const coldFloor = ((coldOurs.cpuMs / all.length + coldTheirs) * all.length) / cores;
    const warmFloor = ((warmOurs.cpuMs / WARM_RUNS / all.length + warmTheirs) * all.length) / cores;
    figures.push(
      { name: `cold read of ${all.length} hosts: the hosts' CPU per host (sshd, session, shell, probe)`, value: round(coldTheirs), unit: 'ms' },
      { name: `warm read of ${all.length} hosts: the hosts' CPU per host (session, shell, probe)`, value: round(warmTheirs), unit: 'ms' },
      { name: `cold read of ${all.length} hosts: least time on ${cores} cores, (Overlay Lab's CPU + the hosts') / cores`, value: round(coldFloor), unit: 'ms' },
      { name: `warm read of ${all.length} hosts: least time on ${cores} cores, (Overlay Lab's CPU + the hosts') / cores`, value: round(warmFloor), unit: 'ms' },
    );

    const pool = newPool(model);
    try {
      const connectStart = nowMs();
      const connected = await withCpu(() => Promise.all(all.map((h) => pool.connect(h))));
      const connectMs = nowMs() - connectStart;
      figures.push({ name: `connects alone (TCP, handshake, authentication) to ${all.length} hosts, ${DEFAULT_PARALLEL_CONNECTS} at once`, value: round(connectMs), unit: 'ms' });
      figures.push({ name: `connects alone: Overlay Lab's own CPU per connect`, value: round(connected.cpuMs / all.length), unit: 'ms' });
      const state = await readLabState(pool, model, {});
      const probeMs = Object.values(state.hosts).map((r) => (r.ok ? r.state.elapsedMs : NaN));
      figures.push({ name: `probe round trip per host on a pooled connection, all ${all.length} at once, median`, value: round(median(probeMs)), unit: 'ms' });
      const single = await readLabState(pool, model, { hosts: [all[0]] });
      const one = single.hosts[all[0]];
      figures.push({ name: 'probe round trip of one host alone on a pooled connection', value: round(one.ok ? one.state.elapsedMs : NaN), unit: 'ms' });
    } finally {
      pool.dispose();
    }

    // The default bound, chosen from these: cold reads of 128 hosts by connects at once.
    for (const parallel of [4, 8, 16, 32, 64]) {
      const time = median(
        await timeRuns(1, async () => {
          const bounded = newPool(model, { parallelConnects: parallel });
          try {
            await readAll(bounded, model, all);
          } finally {
            bounded.dispose();
          }
        }),
      );
      figures.push({ name: `state of ${all.length} light hosts, cold, ${parallel} connects at once${parallel === DEFAULT_PARALLEL_CONNECTS ? ' (the default)' : ''}, one run`, value: round(time), unit: 'ms' });
    }

    // A failed read stops the bench (its times would mean nothing), so this is 0 when it prints.
    figures.push({ name: `host reads that failed (refused or otherwise), of the ${tally.reads} above`, value: tally.failed, unit: 'hosts', goal: '0' });
    const throttled = await maxStartupsLines(lab);
    if (throttled.length) process.stderr.write(`MaxStartups lines:\n${throttled.slice(0, 10).join('\n')}\n`);
    figures.push({ name: `sshd log lines of MaxStartups throttling or dropped connections, over all ${all.length} hosts`, value: throttled.length, unit: 'lines', goal: '0' });
  } finally {
    const downStart = nowMs();
    await lab.down();
    figures.push({ name: `test lab of ${spec.hosts.length} light hosts: down`, value: round(nowMs() - downStart), unit: 'ms' });
  }
  return figures;
}
