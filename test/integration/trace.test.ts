// Path trace on real hosts, with the faults the tests inject themselves: a provider network that
// drops foreign source MACs (nftables in the segment's namespace), an underlay MTU too small for
// the overlay, a VNI mismatch, a stopped ovs-vswitchd. Each is located and explained; the
// healthy lab traces as delivered; no capture is left running on any host.

import { strict as assert } from 'node:assert';
import { planLab } from '../../src/apply/labPlan';
import { runPlans } from '../../src/apply/runPlan';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshPool } from '../../src/ssh/pool';
import { runTrace } from '../../src/trace/runTrace';
import { demoLabSpec, run, TestLab, waitFor } from '../lab';
import { buildCli, cli } from '../lab/productCli';
import { labPool, requireRoot, writeDemoLabFile } from '../lab/labFiles';

describe('path trace on the test lab', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let model: Lab;
  let labFile: string;
  let pool: SshPool;

  async function noCaptureLeft(): Promise<void> {
    for (const host of ['ovs-a', 'ovs-b', 'test-a', 'test-b']) {
      assert.deepEqual(await lab.processes(host, /tcpdump|ping/), [], `${host} still runs a capture or ping`);
    }
  }

  async function freshTrace(size?: number) {
    await lab.assertNamespaces();
    await lab.nsExec('test-a', ['ip', 'neigh', 'flush', 'dev', 'eth2']);
    return runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: '10.213.50.12', size });
  }

  before(async function () {
    requireRoot(this);
    buildCli();
    lab = await TestLab.up(demoLabSpec({ prefix: 'oltr', mgmtSubnet: '10.213.154.1/24' }));
    labFile = writeDemoLabFile(lab, 'trace');
    const loaded = await loadLabFile(labFile);
    assert.ok(loaded.lab);
    model = loaded.lab;
    pool = labPool(model);
    const results = await runPlans(pool, (await planLab(pool, model)).plans);
    assert.ok(results.every((r) => r.status === 'changed'), results.map((r) => r.message).join('\n'));
  });
  after(async () => {
    pool?.dispose();
    await lab?.down();
  });

  it('traces the healthy lab as delivered, through all six points', async () => {
    const { result } = await freshTrace();
    assert.equal(result.delivered, true, JSON.stringify(result, null, 2));
    assert.deepEqual(result.hops.map((h) => [h.host, h.interface, h.seen, h.encapsulated]), [
      ['test-a', 'eth2', true, false],
      ['ovs-a', 'eth2', true, false],
      ['ovs-a', 'eth0', true, true],
      ['ovs-b', 'eth0', true, true],
      ['ovs-b', 'eth2', true, false],
      ['test-b', 'eth2', true, false],
    ]);
    assert.equal(result.lostBetween, null);
    await noCaptureLeft();
  });

  it('follows the ICMP echo itself once the neighbour is known, and exits 0 from the CLI', async () => {
    await lab.nsExec('test-a', ['ping', '-c', '1', '-W', '2', '10.213.50.12'], { check: false });
    const run = await cli(['trace', labFile, '--from', 'test-a:eth2', '--to', '10.213.50.12', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(result), ['from', 'to', 'probe', 'delivered', 'hops', 'lostBetween', 'hints']);
    assert.equal(result.probe, 'icmp');
    assert.ok(result.hops.every((hop: { count: number }) => hop.count >= 1));
    await noCaptureLeft();
  });

  it('finds the provider network dropping frames whose source MAC is not the gateway port’s own', async () => {
    const ownMac = (await lab.nsExec('ovs-b', ['cat', '/sys/class/net/eth2/address'])).stdout.trim();
    // The provider network is a Linux bridge in its own namespace; ovs-b's eth2 is its port p0.
    const segment = ['ip', 'netns', 'exec', lab.segmentNamespace('cn-b')];
    const ports = await run([...segment, 'ip', '-j', 'link', 'show', 'master', 'br']);
    const gatewayPort = (JSON.parse(ports.stdout) as { ifname: string; link_netnsid?: number; link_index?: number }[])[0]?.ifname;
    assert.equal(gatewayPort, 'p0');
    const rule = `table bridge antispoof { chain forward { type filter hook forward priority 0; policy accept; iifname "p0" ether saddr != ${ownMac} drop; }; }`;
    await run([...segment, 'nft', rule]);
    try {
      const run = await cli(['trace', labFile, '--from', 'test-a:eth2', '--to', '10.213.50.12', '--json']);
      assert.equal(run.status, 1);
      const result = JSON.parse(run.stdout);
      assert.equal(result.delivered, false);
      assert.deepEqual(result.lostBetween, { from: { host: 'ovs-b', interface: 'eth2' }, to: { host: 'test-b', interface: 'eth2' }, segment: 'cn-b' });
      assert.match(result.hints[0], /with source MAC [0-9a-f:]{17} \(test-a:eth2\), which is not ovs-b:eth2's own MAC/);
      assert.match(result.hints.join(' '), /anti-spoofing or port security/);
    } finally {
      await run(['ip', 'netns', 'exec', lab.segmentNamespace('cn-b'), 'nft', 'delete table bridge antispoof']);
    }
    await noCaptureLeft();
  });

  it('finds an underlay MTU too small for the overlay with a large probe', async () => {
    await lab.nsExec('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400']);
    try {
      await lab.nsExec('test-a', ['ping', '-c', '1', '-W', '2', '10.213.50.12'], { check: false });
      const small = await runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: '10.213.50.12' });
      assert.equal(small.result.delivered, true, 'a small probe still gets through');
      const large = await runTrace(pool, model, { from: { host: 'test-a', interface: 'eth2' }, to: '10.213.50.12', size: 1400 });
      assert.equal(large.result.delivered, false);
      assert.equal(large.result.lostBetween?.from.host, 'ovs-a');
      assert.match(large.result.hints.join(' '), /underlay's MTU is too small for the overlay/);
    } finally {
      await lab.nsExec('ovs-a', ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']);
    }
    await noCaptureLeft();
  });

  it('finds a VNI mismatch at the far tunnel end', async () => {
    await lab.nsExec('ovs-b', ['ovs-vsctl', 'set', 'interface', 'vx0', 'options:key=99']);
    try {
      const { result } = await freshTrace();
      assert.equal(result.delivered, false);
      assert.deepEqual(result.lostBetween, { from: { host: 'ovs-b', interface: 'eth0' }, to: { host: 'ovs-b', interface: 'eth2' }, segment: 'vx0' });
      assert.match(result.hints.join(' '), /VNI \(key\) differs between the two ends/);
    } finally {
      await lab.nsExec('ovs-b', ['ovs-vsctl', 'remove', 'interface', 'vx0', 'options', 'key']);
    }
    await noCaptureLeft();
  });

  it('finds a stopped ovs-vswitchd and says so', async () => {
    await lab.nsExec('ovs-b', ['ovs-appctl', '-t', 'ovs-vswitchd', 'exit'], { check: true });
    await waitFor('ovs-vswitchd to exit on ovs-b', 5000, async () => ((await lab.processes('ovs-b', /^ovs-vswitchd/)).length === 0 ? true : undefined));
    try {
      const { result } = await freshTrace();
      assert.equal(result.delivered, false);
      assert.deepEqual(result.lostBetween?.from, { host: 'ovs-b', interface: 'eth0' });
      assert.match(result.hints.join(' '), /ovs-vswitchd is not running on ovs-b/);
    } finally {
      await lab.nsExec('ovs-b', ['ovs-vswitchd', '--pidfile', '--detach', '--disable-system', '--log-file', '-vconsole:err'], { check: true });
    }
    await noCaptureLeft();
  });
});
