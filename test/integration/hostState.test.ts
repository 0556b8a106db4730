// Reading the state of real hosts: the demo lab's four hosts, blank, configured by hand
// (support/configureDemo.ts), partly drifted, partly unreachable, and with a daemon down.

import { strict as assert } from 'node:assert';
import { probeHost } from '../../src/hosts/probe';
import { withDrift } from '../../src/compare/drift';
import { readLabState } from '../../src/hosts/readLabState';
import type { HostReading, HostState, LabState } from '../../src/hosts/types';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { EndpointTable, type EndpointOverrides } from '../../src/ssh/endpoints';
import { SshPool } from '../../src/ssh/pool';
import { demoSpec, TestLab, waitFor } from '../lab';
import { configureDemoLab } from '../lab/configureDemo';
import { noSshConfig, requireRoot, writeDemoLabFile } from '../lab/labFiles';


async function readLab(file: string): Promise<Lab> {
  const result = await loadLabFile(file);
  assert.ok(result.lab, result.diagnostics.map((d) => d.message).join('\n'));
  return result.lab;
}

function stateOf(labState: LabState, host: string): HostState {
  const reading = labState.hosts[host];
  assert.ok(reading?.ok, `${host} was not read: ${reading && !reading.ok ? reading.failure.message : 'no reading'}`);
  return reading.state;
}

/** What the tree shows: the readings, and the comparison's drift of them. */
const readAndCompare = async (...args: Parameters<typeof readLabState>): Promise<LabState> => withDrift(args[1], await readLabState(...args));
const driftLines = (labState: LabState) => labState.drift.map((d) => `${d.subject.host} ${d.status} ${d.message}`);

describe('host state against the test lab', function () {
  this.timeout(60_000);
  let lab: TestLab;
  let model: Lab;
  const pools: SshPool[] = [];

  function pool(overrides: EndpointOverrides = {}, labModel = model): SshPool {
    const created = new SshPool(new EndpointTable(labModel, noSshConfig(), { connectTimeoutMs: 5000, ...overrides }));
    pools.push(created);
    return created;
  }

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(demoSpec);
    model = await readLab(writeDemoLabFile(lab, 'host-state'));
  });
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });
  after(async () => {
    await lab?.down();
  });

  it('finds every declared bridge, port and address of the blank lab missing', async () => {
    const state = await readAndCompare(pool(), model);
    assert.deepEqual(driftLines(state), [
      'ovs-a different eth2 has MTU 1500; the lab says 1450',
      'ovs-a missing bridge br-phy is missing',
      'ovs-a missing address 10.213.100.1/24 is missing on br-phy',
      'ovs-a missing port eth0 is missing from bridge br-phy',
      'ovs-a missing bridge br0 is missing',
      'ovs-a missing address 10.213.50.1/24 is missing on br0',
      'ovs-a missing port eth2 is missing from bridge br0',
      'ovs-a missing port vx0 is missing from bridge br0',
      'ovs-b different eth2 has MTU 1500; the lab says 1450',
      'ovs-b missing bridge br-phy is missing',
      'ovs-b missing address 10.213.100.2/24 is missing on br-phy',
      'ovs-b missing port eth0 is missing from bridge br-phy',
      'ovs-b missing bridge br0 is missing',
      'ovs-b missing address 10.213.50.2/24 is missing on br0',
      'ovs-b missing port eth2 is missing from bridge br0',
      'ovs-b missing port vx0 is missing from bridge br0',
      'test-a different eth2 has MTU 1500; the lab says 1450',
      'test-a missing address 10.213.50.11/24 is missing on eth2',
      'test-b different eth2 has MTU 1500; the lab says 1450',
      'test-b missing address 10.213.50.12/24 is missing on eth2',
    ]);
    for (const host of ['ovs-a', 'ovs-b']) {
      const s = stateOf(state, host);
      assert.equal(s.system.hostname, host);
      assert.equal(s.ovs.state, 'running');
      assert.deepEqual(s.notes, []);
    }
    // The test hosts have the OVS tools (they share this machine's files) but never ran OVS; the
    // lab gives them no OVS bridge, so nothing tells the user to start it there.
    for (const host of ['test-a', 'test-b']) {
      const s = stateOf(state, host);
      assert.equal(s.system.hostname, host);
      assert.equal(s.ovs.state, 'stopped');
      assert.deepEqual(s.notes, []);
    }
  });

  it('finds no drift once the lab is configured as declared, and shows the tunnels', async () => {
    await configureDemoLab(lab); // also checks that test-a pings test-b through the tunnel
    const state = await readAndCompare(pool(), model);
    assert.deepEqual(driftLines(state), []);
    for (const [host, remote, underlay] of [
      ['ovs-a', '10.213.100.2', '10.213.100.1/24'],
      ['ovs-b', '10.213.100.1', '10.213.100.2/24'],
    ]) {
      const s = stateOf(state, host);
      const br0 = s.bridges.find((b) => b.name === 'br0');
      assert.ok(br0, `${host} has br0`);
      assert.equal(br0.datapathType, 'netdev');
      const vx0 = br0.ports.find((p) => p.name === 'vx0')?.interfaces[0];
      assert.equal(vx0?.type, 'vxlan');
      assert.equal(vx0?.options.remote_ip, remote);
      assert.deepEqual(s.links.find((l) => l.name === 'br-phy')?.addresses.map((a) => a.cidr), [underlay]);
    }
    assert.deepEqual(stateOf(state, 'test-a').links.find((l) => l.name === 'eth2')?.addresses.map((a) => a.cidr), ['10.213.50.11/24']);
  });

  it('reports exactly what was changed behind its back', async () => {
    await lab.nsExec('ovs-b', ['ovs-vsctl', 'del-port', 'br0', 'vx0'], { check: true });
    await lab.nsExec('test-a', ['ip', 'addr', 'del', '10.213.50.11/24', 'dev', 'eth2'], { check: true });
    try {
      const state = await readAndCompare(pool(), model);
      assert.deepEqual(driftLines(state), ['ovs-b missing port vx0 is missing from bridge br0', 'test-a missing address 10.213.50.11/24 is missing on eth2']);
      const [port, address] = state.drift;
      assert.deepEqual(port.subject, { host: 'ovs-b', kind: 'port', name: 'vx0', bridge: 'br0' });
      const ovsB = model.hosts.find((h) => h.name === 'ovs-b')!;
      assert.deepEqual(port.range, ovsB.bridges.find((b) => b.name === 'br0')!.ports.find((p) => p.name === 'vx0')!.range);
      assert.deepEqual(address.subject, { host: 'test-a', kind: 'address', name: 'eth2' });
      assert.deepEqual(address.range, model.hosts.find((h) => h.name === 'test-a')!.interfaces[0].addressRanges?.[0]);
    } finally {
      await configureDemoLab(lab);
    }
  });

  it('reads the live hosts at once while one is down and one does not exist, and says why for each', async () => {
    await lab.stopSshd('test-b');
    try {
      const ghostLab = await readLab(
        writeDemoLabFile(lab, 'host-state-ghost', (doc) => doc.setIn(['hosts', 'ghost'], doc.createNode({ ssh: { host: '10.213.0.99' }, interfaces: { eth0: { address: '10.213.77.1/24' } } }))),
      );
      const reported: { host: string; ok: boolean; at: number }[] = [];
      const started = Date.now();
      const state = await readAndCompare(pool({ connectTimeoutMs: 3000 }, ghostLab), ghostLab, {
        onHost: (r: HostReading) => reported.push({ host: r.ok ? r.state.host : r.failure.host, ok: r.ok, at: Date.now() - started }),
      });
      const live = ['ovs-a', 'ovs-b', 'test-a'];
      for (const host of live) assert.equal(stateOf(state, host).system.hostname, host);
      assert.deepEqual(driftLines(state), [], 'the hosts that answered are as declared, and the others have no drift');

      const testB = state.hosts['test-b'];
      assert.ok(!testB.ok);
      assert.equal(testB.failure.kind, 'jump');
      assert.match(testB.failure.message, /^test-b: jump host ovs-b could not open a connection to 10\.213\.2\.2:22/);
      const ghost = state.hosts.ghost;
      assert.ok(!ghost.ok);
      assert.ok(['timeout', 'unreachable'].includes(ghost.failure.kind), ghost.failure.message);
      assert.match(ghost.failure.message, /^ghost: /);

      const ghostAt = reported.find((r) => r.host === 'ghost')!.at;
      assert.equal(reported[reported.length - 1].host, 'ghost', 'the dead host settles last');
      for (const host of live) {
        const at = reported.find((r) => r.host === host)!.at;
        assert.ok(at < 1500 && at < ghostAt, `${host} reported after ${at} ms, the ghost after ${ghostAt} ms`);
      }
    } finally {
      await lab.startSshd('test-b');
    }
  });

  it('says ovs-vswitchd is not running when it was killed, and that the bridges forward nothing', async () => {
    await lab.nsExec('ovs-b', ['sh', '-c', 'kill -KILL "$(cat /run/openvswitch/ovs-vswitchd.pid)"'], { check: true });
    const p = pool();
    const host = model.hosts.find((h) => h.name === 'ovs-b')!;
    // A killed daemon leaves its pid file; the probe checks the process, which dies at once.
    const state = await waitFor('ovs-b to read as stopped', 5000, async () => {
      const reading = await probeHost(p, host);
      return reading.ok && reading.state.ovs.state === 'stopped' ? reading.state : undefined;
    });
    const note = 'ovs-vswitchd is not running on ovs-b: bridges are configured but forward nothing; start it with systemctl start openvswitch-switch';
    assert.deepEqual(state.notes, [note]);
    assert.deepEqual(state.bridges.map((b) => b.name), ['br-phy', 'br0'], 'ovsdb-server still answers');
    const labState = await readAndCompare(p, model, { hosts: ['ovs-b'] });
    assert.deepEqual(driftLines(labState), [`ovs-b missing ${note}`]);
  });
});
