// The run of a lab's tests, with the hosts played by recorded ping output and the trace by a
// recorded-shape result: a pass costs one ping, a failed reach is traced and says where, a
// correct isolation is never traced, a broken host fails only its own tests, and no host ever
// carries more pings at once than its budget.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandTests } from '../../../src/labtests/expand';
import { runLabTests } from '../../../src/labtests/runLabTests';
import type { LabTestCase } from '../../../src/labtests/types';
import type { SshPool } from '../../../src/ssh/pool';
import { SshError } from '../../../src/ssh/errors';
import type { ExecResult } from '../../../src/ssh/types';
import type { TraceResultV2 } from '../../../src/trace/traceResultV2';
import { loadClean, yaml } from '../lab/helpers';

const recorded = (name: string): ExecResult => {
  const file = (ext: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'ping', `${name}.${ext}`), 'utf8');
  return { code: Number(file('code')), stdout: file('stdout'), stderr: file('stderr') };
};

const lab = loadClean(yaml`
  version: 1
  name: t
  hosts:
    a: { interfaces: { eth2: { address: 10.0.0.11/24 }, eth0: { address: 192.0.2.11/24, underlay: true } } }
    b: { interfaces: { eth2: { address: 10.0.0.12/24 }, eth0: { address: 192.0.2.12/24, underlay: true } } }
    c: { interfaces: { eth2: { address: 10.0.0.13/24 } } }
  tests:
    reach-b: { from: a, to: b }
    reach-c: { from: a, to: c }
    apart: { from: a, to: 192.0.2.12, expect: isolated }
    leaky: { from: b, to: 192.0.2.11, expect: isolated }
    from-c: { from: c, to: a }
    all: { mesh: true }
`);

const lostTrace = (test: LabTestCase): TraceResultV2 => ({
  version: 2,
  from: { host: test.from.host, interface: test.from.interface, address: test.from.address },
  to: test.to,
  delivered: false,
  probes: ['arp'],
  hops: [],
  lostBetween: { direction: 'request', probe: 'arp', from: { host: test.from.host, interface: 'eth2' }, to: { host: 'c', interface: 'eth2' }, segment: 'lan' },
  cause: { kind: 'link-down', confidence: 'proved', evidence: ['c:eth2 is down (operstate DOWN)'] },
  hints: ['ip link set eth2 up on c'],
  elapsedMs: 2000,
});

/** Pings to c go unanswered, pings from c cannot be sent (c's SSH is down); b reaches a's underlay (a leak). */
function fakeHosts() {
  const calls: { host: string; argv: string[] }[] = [];
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const pool = {
    exec: async (host: string, argv: readonly string[]): Promise<ExecResult> => {
      calls.push({ host, argv: [...argv] });
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      peak.set(host, Math.max(peak.get(host) ?? 0, inFlight.get(host) ?? 0));
      await new Promise((resolve) => setImmediate(resolve));
      inFlight.set(host, (inFlight.get(host) ?? 0) - 1);
      if (host === 'c') throw new SshError('connection-refused', 'c', 'c: connection refused (is sshd running?)');
      const to = argv[argv.length - 1];
      if (to === '10.0.0.13') return recorded('no-answer');
      if (to === '192.0.2.12') return recorded('no-answer');
      return recorded('answered');
    },
  };
  return { pool: pool as unknown as SshPool, calls, peak };
}

describe('running a lab’s tests', () => {
  const cases = expandTests(lab).map((c) => ({ ...c, count: 2 }));

  it('passes with one ping, traces a failed reach, and never traces an isolation', async () => {
    const hosts = fakeHosts();
    const traced: string[] = [];
    let clock = 0;
    const run = await runLabTests(hosts.pool, lab, cases, {
      trace: async (test) => (traced.push(test.name), lostTrace(test)),
      now: () => (clock += 5),
    });
    const byName = new Map(run.results.map((r) => [r.name, r]));
    assert.equal(run.results.length, cases.length);

    const pass = byName.get('reach-b');
    assert.deepEqual([pass?.passed, pass?.trace, pass?.message, pass?.ping], [true, null, undefined, { sent: 2, received: 2 }]);
    assert.equal(hosts.calls.filter((c) => c.argv.at(-1) === '10.0.0.12' && c.host === 'a').length, 2, 'one ping for reach-b and one for the mesh pair a -> b');

    const fail = byName.get('reach-c');
    assert.equal(fail?.passed, false);
    assert.equal(fail?.trace?.lostBetween?.to.host, 'c');
    assert.equal(fail?.message, '0 of 2 pings answered; lost between a:eth2 and c:eth2 (lan), request leg, arp: link-down (proved): c:eth2 is down (operstate DOWN)');
    assert.deepEqual(fail?.details, ['measured: c:eth2 is down (operstate DOWN)', 'hint: ip link set eth2 up on c']);

    assert.deepEqual([byName.get('apart')?.passed, byName.get('apart')?.trace], [true, null], 'no answer from the underlay: isolated');
    const leaky = byName.get('leaky');
    assert.deepEqual([leaky?.passed, leaky?.trace, leaky?.message], [false, null, 'expected isolated, but 2 of 2 pings answered: traffic passes']);

    const fromC = byName.get('from-c');
    assert.deepEqual([fromC?.passed, fromC?.trace], [false, null]);
    assert.equal(fromC?.message, 'the ping could not be sent: c: connection refused (is sshd running?)');

    // Traced: every reach whose ping went out unanswered (those towards c), nothing else.
    assert.deepEqual(traced.sort(), ['all: a:eth2 -> c:eth2', 'all: b:eth2 -> c:eth2', 'reach-c']);
  });

  it('keeps each host within its budget of channels', async () => {
    const hosts = fakeHosts();
    const many = Array.from({ length: 30 }, (_, i) => ({ ...cases[0], name: `t${i}`, to: `10.0.1.${i + 1}`, count: 1 }));
    await runLabTests(hosts.pool, lab, many, { channelsPerHost: 3, trace: async (test) => lostTrace(test) });
    assert.equal(hosts.peak.get('a'), 3);
  });

  it('reports each test as it ends, and a cancelled run’s tests as cancelled, not passed', async () => {
    const hosts = fakeHosts();
    const abort = new AbortController();
    abort.abort();
    const seen: string[] = [];
    const run = await runLabTests(hosts.pool, lab, cases, { signal: abort.signal, onResult: (_t, r) => seen.push(r.name) });
    assert.equal(seen.length, cases.length);
    assert.ok(run.results.every((r) => r.cancelled && !r.passed));
    assert.equal(hosts.calls.length, 0, 'nothing was sent');
  });
});
