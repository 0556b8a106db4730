// By hand: node --import tsx test/lab/cli.ts up|down|status [demo|scale N] [--prefix P] [--mgmt CIDR] [--ovs]
// `up` leaves the lab running and prints how to reach it; `down` removes it by prefix.

import { demoLabSpec, scaleLabSpec } from './demo';
import { canBuildTestLab, TestLab } from './testlab';
import type { TestLabSpec } from './spec';

const USAGE = `usage: node --import tsx test/lab/cli.ts <command> [lab] [options]
  commands: up, down, status
  lab:      demo (default) | scale N
  options:  --prefix P     name prefix (default: olt for demo, oltb for scale)
            --mgmt CIDR    management bridge address, e.g. 10.213.10.1/24
            --ovs          scale lab: run OVS on every host
            --trust        up: fill known_hosts with the host keys`;

interface Args {
  command: string;
  lab: string;
  count: number;
  prefix?: string;
  mgmt?: string;
  ovs: boolean;
  trust: boolean;
}

function parseArgs(argv: string[]): Args {
  const rest = [...argv];
  const a: Args = { command: rest.shift() ?? '', lab: 'demo', count: 0, ovs: false, trust: false };
  const positional: string[] = [];
  while (rest.length) {
    const x = rest.shift()!;
    if (x === '--prefix') a.prefix = rest.shift();
    else if (x === '--mgmt') a.mgmt = rest.shift();
    else if (x === '--ovs') a.ovs = true;
    else if (x === '--trust') a.trust = true;
    else if (x === '-h' || x === '--help') a.command = 'help';
    else if (x.startsWith('-')) throw new Error(`unknown option ${x}\n${USAGE}`);
    else positional.push(x);
  }
  if (positional[0]) a.lab = positional[0];
  if (a.lab === 'scale') {
    a.count = Number(positional[1] ?? 32);
    if (!Number.isInteger(a.count) || a.count < 1) throw new Error(`scale needs a host count\n${USAGE}`);
  } else if (a.lab !== 'demo') {
    throw new Error(`unknown lab ${a.lab}\n${USAGE}`);
  }
  return a;
}

function specOf(a: Args): TestLabSpec {
  return a.lab === 'scale'
    ? scaleLabSpec(a.count, { prefix: a.prefix, mgmtSubnet: a.mgmt, ovs: a.ovs })
    : demoLabSpec({ prefix: a.prefix, mgmtSubnet: a.mgmt });
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  switch (a.command) {
    case 'up': {
      const spec = specOf(a);
      const can = await canBuildTestLab(spec);
      if (!can.ok) {
        console.error(`cannot build the lab: ${can.reason}`);
        return 1;
      }
      const lab = await TestLab.up(spec, {
        registerExitHooks: false,
        trustHostKeys: a.trust,
        log: (l) => console.error(`  ${l}`),
      });
      console.log(`lab ${lab.prefix} is up (${lab.timings.total} ms); tear it down with: node --import tsx test/lab/cli.ts down --prefix ${lab.prefix}`);
      for (const [k, v] of Object.entries(lab.paths)) console.log(`  ${k.padEnd(24)} ${v}`);
      for (const h of lab.hosts()) {
        const where = h.jump ? `${h.sshHost} via ${h.jump}` : (h.sshHost ?? 'no sshd');
        console.log(`  ${h.name.padEnd(10)} ${h.namespace.padEnd(16)} ${where}${h.ovs ? ', ovs' : ''}`);
      }
      console.log(`  try: ssh -F ${lab.paths.sshConfig} ${lab.hosts()[0].name} hostname`);
      return 0;
    }
    case 'down': {
      const prefix = a.prefix ?? specOf(a).prefix;
      const t = Date.now();
      await TestLab.teardown(prefix);
      console.log(`lab ${prefix} is down (${Date.now() - t} ms)`);
      return 0;
    }
    case 'status': {
      const prefix = a.prefix ?? specOf(a).prefix;
      const s = await TestLab.status(prefix);
      if (!s.namespaces.length && !s.links.length && !s.workDirs.length) {
        console.log(`no lab with prefix ${prefix}`);
        return 0;
      }
      console.log(`namespaces: ${s.namespaces.join(' ') || '-'}`);
      console.log(`root links: ${s.links.join(' ') || '-'}`);
      console.log(`work dirs:  ${s.workDirs.join(' ') || '-'}`);
      for (const p of s.processes) console.log(`  ${String(p.pid).padStart(7)} ${p.argv.join(' ')}`);
      return 0;
    }
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
