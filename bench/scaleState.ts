// Issue 14's figures for 128 hosts: reading the state of 32, 64 and 128 light hosts (netns,
// sshd at its defaults, `ip`; no OVS), cold (connections included) and warm (pooled), side by
// side with OpenSSH running the same probe host after host and with `xargs -P 16 ssh`, on the
// same hosts with the same key and known_hosts. Every read must reach every host, and no
// sshd may log MaxStartups throttling. Builds (and tears down) its own lab.

import { readFile } from 'node:fs/promises';
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

/** One read of `hosts` through the product; throws unless every host was read. */
async function readAll(pool: SshPool, model: Lab, hosts: string[]): Promise<void> {
  const state = await readLabState(pool, model, { hosts });
  const failed = Object.values(state.hosts).filter((r) => !r.ok);
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

async function opensshSequential(lab: TestLab, hosts: string[]): Promise<void> {
  for (const host of hosts) await runProgram(['ssh', ...lab.sshArgs(host), 'sh', '-c', QUOTED_PROBE]);
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
        const measured = await withCpu(() => timeRuns(10, () => readAll(pool, model, hosts)));
        warm = median(measured.value);
        warmCpuMs = measured.cpuMs / 10;
      } finally {
        pool.dispose();
      }
      const sequential = median(await timeRuns(1, () => opensshSequential(lab, hosts)));
      const xargs = median(await timeRuns(3, () => opensshXargs(lab, hosts)));
      const goal = count === 128 ? { cold: 'under 3 s at 128 hosts', warm: 'under 1 s at 128 hosts' } : { cold: undefined, warm: undefined };
      figures.push(
        compared(`state of ${count} light hosts, cold (connections included), median of 3`, cold, 'ms', 'OpenSSH, the same probe host after host', sequential, goal.cold),
        compared(`state of ${count} light hosts, cold, median of 3`, cold, 'ms', `xargs -P ${XARGS_PARALLEL} ssh, the same probe`, xargs, goal.cold),
        compared(`state of ${count} light hosts, warm (pooled connections), median of 10`, warm, 'ms', 'OpenSSH, the same probe host after host', sequential, goal.warm),
        compared(`state of ${count} light hosts, warm, median of 10`, warm, 'ms', `xargs -P ${XARGS_PARALLEL} ssh, the same probe`, xargs, goal.warm),
        { name: `state of ${count} light hosts, cold: Overlay Lab's own CPU per host`, value: round(coldCpuMs / count), unit: 'ms' },
        { name: `state of ${count} light hosts, warm: Overlay Lab's own CPU per host`, value: round(warmCpuMs / count), unit: 'ms' },
      );
    }

    // Where a cold read's time goes at 128 hosts: the connects alone, then the probes alone on
    // those connections, and the probe's own time on a host (its round trip, parsed per host).
    const all = model.hosts.map((h) => h.name);
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
        await timeRuns(3, async () => {
          const bounded = newPool(model, { parallelConnects: parallel });
          try {
            await readAll(bounded, model, all);
          } finally {
            bounded.dispose();
          }
        }),
      );
      figures.push({ name: `state of ${all.length} light hosts, cold, ${parallel} connects at once${parallel === DEFAULT_PARALLEL_CONNECTS ? ' (the default)' : ''}, median of 3`, value: round(time), unit: 'ms' });
    }

    // Every read above reached every host, or the bench would have stopped: none was refused.
    figures.push({ name: 'host reads that failed (refused or otherwise), over every read above', value: 0, unit: 'hosts', goal: '0' });
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
