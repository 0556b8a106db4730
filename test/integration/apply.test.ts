// The apply engine on real hosts: from blank to a working VXLAN overlay (OVS userspace with
// br-phy, and Linux bridges with kernel VXLAN), idempotent, destroyed again; and its faults:
// a step failing on one host, a cancelled apply leaving nothing running.

import { strict as assert } from 'node:assert';
import { planLab, totalChanges } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { demoLabSpec, TestLab, waitFor } from '../lab';
import { DEMO_LAB, DEMO_LINUX_LAB, labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

async function readLab(file: string): Promise<Lab> {
  const loaded = await loadLabFile(file);
  assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
  return loaded.lab;
}

/** One bounded ping between two hosts the lab built, after checking their namespaces exist. */
async function pings(lab: TestLab, from: string, to: string, size?: number): Promise<boolean> {
  await lab.assertNamespaces();
  const large = size ? ['-s', String(size), '-M', 'do'] : [];
  const result = await lab.nsExec(from, ['ping', '-c', '2', '-W', '2', '-i', '0.3', ...large, to], { check: false, timeoutMs: 10_000 });
  return result.code === 0;
}

for (const flavour of [
  { name: 'Open vSwitch (userspace, br-phy)', source: DEMO_LAB, prefix: 'olapo', subnet: '10.213.151.1/24' },
  { name: 'Linux bridges with kernel VXLAN', source: DEMO_LINUX_LAB, prefix: 'olapl', subnet: '10.213.152.1/24' },
]) {
  describe(`apply, plan and destroy: ${flavour.name}`, function () {
    this.timeout(120_000);
    let lab: TestLab;
    let model: Lab;
    let pool: SshPool;

    before(async function () {
      requireRoot(this);
      lab = await TestLab.up(demoLabSpec({ prefix: flavour.prefix, mgmtSubnet: flavour.subnet }));
      model = await readLab(writeDemoLabFile(lab, 'apply', undefined, flavour.source));
      pool = labPool(model);
    });
    after(async () => {
      pool?.dispose();
      await lab?.down();
    });

    it('plans every declared item on a blank lab, and changes nothing by planning', async () => {
      const plan = await planLab(pool, model);
      assert.equal(plan.failures.length, 0);
      assert.ok(totalChanges(plan) > 10, `${totalChanges(plan)} changes`);
      const again = await planLab(pool, model);
      assert.equal(totalChanges(again), totalChanges(plan), 'planning changed nothing');
      assert.equal(await pings(lab, 'test-a', '10.213.50.12'), false, 'no overlay yet');
    });

    it('applies: the test hosts then reach each other through the tunnel', async () => {
      const plan = await planLab(pool, model);
      const results = await runPlans(pool, plan.plans);
      for (const result of results) assert.ok(['changed', 'unchanged'].includes(result.status), `${result.host}: ${result.message}`);
      assert.equal(await pings(lab, 'test-a', '10.213.50.12'), true, 'test-a reaches test-b across the VXLAN tunnel');
      assert.equal(await pings(lab, 'test-b', '10.213.50.1'), true, 'test-b reaches the far bridge address');
      // A full-size overlay frame (1450 bytes of IP, not fragmented) fits the underlay once encapsulated.
      assert.equal(await pings(lab, 'test-a', '10.213.50.12', 1422), true, 'full-size frames cross the tunnel');
    });

    it('plans no changes afterwards, and shows no drift', async () => {
      const plan = await planLab(pool, model);
      assert.deepEqual(plan.plans.map((p) => [p.host, p.steps.map((s) => s.changes).flat(), p.problems]), model.hosts.map((h) => [h.name, [], []]));
      assert.deepEqual(plan.state.drift, []);
    });

    it('destroys what it declared and nothing else; the overlay is gone', async () => {
      // Something the lab does not declare must survive destroy.
      await lab.nsExec('ovs-a', ['ip', 'link', 'add', 'name', 'keepme0', 'type', 'bridge']);
      const plan = await planLab(pool, model, { mode: 'destroy' });
      const results = await runPlans(pool, plan.plans);
      for (const result of results) assert.ok(['changed', 'unchanged'].includes(result.status), `${result.host}: ${result.message}`);
      assert.equal(await pings(lab, 'test-a', '10.213.50.12'), false);
      const links = await lab.nsExec('ovs-a', ['ip', '-br', 'link']);
      assert.match(links.stdout, /^keepme0 /m);
      assert.doesNotMatch(links.stdout, /^(br0|vx0|br-phy)\b/m);
      const after = await planLab(pool, model, { mode: 'destroy' });
      assert.equal(totalChanges(after), 0, 'a second destroy has nothing to do');
    });
  });
}

describe('apply faults', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let model: Lab;
  let pool: SshPool;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoLabSpec({ prefix: 'olapf', mgmtSubnet: '10.213.153.1/24' }));
    model = await readLab(writeDemoLabFile(lab, 'faults'));
    pool = labPool(model);
  });
  after(async () => {
    pool?.dispose();
    await lab?.down();
  });

  it('cancelling stops the running step on the host and leaves nothing running', async () => {
    const plan = await planLab(pool, model, { hosts: ['ovs-a'] });
    // A frozen ovs-vswitchd makes ovs-vsctl wait for it: the step hangs until cancelled.
    const vswitchd = (await lab.processes('ovs-a', /^ovs-vswitchd/))[0];
    assert.ok(vswitchd, 'ovs-vswitchd runs on ovs-a');
    process.kill(vswitchd.pid, 'SIGSTOP');
    try {
      const abort = new AbortController();
      const running = runPlans(pool, plan.plans, {
        signal: abort.signal,
        onEvent: (event) => event.type === 'step-start' && setTimeout(() => abort.abort(), 300),
      });
      const [result] = await running;
      assert.equal(result.status, 'cancelled');
      assert.match(result.message ?? '', /ovs-a: cancelled during step 1/);
      await waitFor('ovs-vsctl to be gone from ovs-a', 5000, async () => ((await lab.processes('ovs-a', /ovs-vsctl/)).length === 0 ? true : undefined));
    } finally {
      process.kill(vswitchd.pid, 'SIGCONT');
    }
  });

  it('stops a host at its failing step, with the command and the host’s error, while the others finish', async () => {
    const plan = await planLab(pool, model);
    // The database goes away between plan and apply: ovs-b's OVS transaction fails.
    const ovsdb = (await lab.processes('ovs-b', /^ovsdb-server/))[0];
    process.kill(ovsdb.pid, 'SIGKILL');
    const results = await runPlans(pool, plan.plans);
    const byHost = Object.fromEntries(results.map((r) => [r.host, r]));
    assert.equal(byHost['ovs-b'].status, 'failed');
    assert.equal(byHost['ovs-b'].failedStep?.index, 0);
    assert.match(byHost['ovs-b'].failedStep?.command ?? '', /^ovs-vsctl --timeout=30 -- --may-exist add-br br-phy/);
    assert.match(byHost['ovs-b'].failedStep?.error ?? '', /database connection failed/);
    assert.equal(byHost['ovs-b'].stepsRun, 0, 'nothing after the failing step ran');
    for (const host of ['ovs-a', 'test-a', 'test-b']) assert.equal(byHost[host].status, 'changed', `${host}: ${byHost[host].message}`);
  });
});
