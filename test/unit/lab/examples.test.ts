import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/lab/diagnostics';
import { loadLabFile } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import { EXAMPLES } from './helpers';

async function loadExample(name: string): Promise<Lab> {
  const result = await loadLabFile(join(EXAMPLES, name));
  assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], `${name} should load with no error and no warning`);
  assert.ok(result.lab);
  return result.lab;
}

const tunnelEnds = (lab: Lab) =>
  lab.tunnels.map((t) => ({
    at: `${t.host}/${t.bridge}/${t.port}`,
    type: t.type,
    remoteHost: t.remoteHost,
    local: t.localAddress,
    remote: t.remoteAddress,
    vni: t.vni,
    dstport: t.dstport,
  }));

describe('lab examples', () => {
  describe('dfw-ord.lab.yaml (the contract example)', () => {
    let lab: Lab;
    before(async () => {
      lab = await loadExample('dfw-ord.lab.yaml');
    });

    it('reads the lab and its hosts', () => {
      assert.equal(lab.name, 'dfw-ord');
      assert.equal(lab.version, 1);
      assert.deepEqual(lab.hosts.map((h) => h.name), ['ovs-dfw', 'ovs-ord', 'test-dfw', 'test-ord']);
      assert.ok(lab.file.endsWith('dfw-ord.lab.yaml'));
    });

    it('joins the two OVS servers with one VXLAN tunnel each way, over their underlay addresses', () => {
      assert.deepEqual(tunnelEnds(lab), [
        { at: 'ovs-dfw/br0/vx0', type: 'vxlan', remoteHost: 'ovs-ord', local: '203.0.113.10', remote: '198.51.100.20', vni: 0, dstport: 4789 },
        { at: 'ovs-ord/br0/vx0', type: 'vxlan', remoteHost: 'ovs-dfw', local: '198.51.100.20', remote: '203.0.113.10', vni: 0, dstport: 4789 },
      ]);
    });

    it('reaches each test host through its OVS server', () => {
      assert.deepEqual(lab.routes, {
        'ovs-dfw': { host: 'ovs-dfw', jumps: [] },
        'ovs-ord': { host: 'ovs-ord', jumps: [] },
        'test-dfw': { host: 'test-dfw', jumps: ['ovs-dfw'] },
        'test-ord': { host: 'test-ord', jumps: ['ovs-ord'] },
      });
    });

    it('gives every host the default SSH settings, with its own host address', () => {
      const dfw = lab.hosts[0];
      assert.deepEqual(dfw.ssh, { user: 'root', identityFile: '~/.ssh/id_ed25519', strictHostKeyChecking: 'accept-new', host: '203.0.113.10' });
      assert.equal(lab.hosts[2].ssh.host, 'test-dfw');
      assert.equal(lab.hosts[2].ssh.jump, 'ovs-dfw');
    });

    it('reads the bridge, its ports and addresses', () => {
      const br0 = lab.hosts[0].bridges[0];
      assert.equal(br0.kind, 'ovs');
      assert.equal(br0.datapath, 'system');
      assert.deepEqual(br0.addresses, ['192.168.1.1/24']);
      assert.deepEqual(
        br0.ports.map((p) => [p.name, p.type, p.short, p.remote]),
        [
          ['eth2', 'system', true, undefined],
          ['vx0', 'vxlan', false, 'ovs-ord'],
        ],
      );
      assert.deepEqual(lab.hosts[0].interfaces.map((i) => [i.name, i.addresses, i.underlay]), [
        ['eth0', ['203.0.113.10/24'], true],
        ['eth2', [], false],
      ]);
    });

    it('reads the segments', () => {
      assert.deepEqual(
        lab.segments.map((s) => [s.name, s.members.map((m) => `${m.host}:${m.interface}`), s.underlay, s.note]),
        [
          ['cn-dfw', ['ovs-dfw:eth2', 'test-dfw:eth2'], false, 'provider private network (DFW)'],
          ['cn-ord', ['ovs-ord:eth2', 'test-ord:eth2'], false, 'provider private network (ORD)'],
          ['wan', ['ovs-dfw:eth0', 'ovs-ord:eth0'], true, undefined],
        ],
      );
    });

    it('keeps the install-ovs script for the two OVS servers', () => {
      assert.equal(lab.scripts.length, 1);
      const script = lab.scripts[0];
      assert.equal(script.name, 'install-ovs');
      assert.deepEqual(script.hosts, ['ovs-dfw', 'ovs-ord']);
      assert.match(script.run, /^if command -v apt-get/);
      assert.match(script.run, /ovs-vsctl show\n$/);
    });

    it('points each object at its name in the file', () => {
      const vx0 = lab.hosts[0].bridges[0].ports[1];
      // Line 24: `          - { name: vx0, type: vxlan, remote: ovs-ord }`; ends are exclusive.
      assert.deepEqual(vx0.range, { line: 24, col: 21, endLine: 24, endCol: 24 });
      assert.deepEqual(vx0.fieldRanges?.remote, { line: 24, col: 47, endLine: 24, endCol: 54 });
      assert.deepEqual(lab.hosts[1].range, { line: 25, col: 3, endLine: 25, endCol: 10 });
    });
  });

  describe('demo.lab.yaml (the local demo)', () => {
    let lab: Lab;
    before(async () => {
      lab = await loadExample('demo.lab.yaml');
    });

    it('runs its VXLAN tunnels over the br-phy bridges, where the underlay address lives', () => {
      assert.deepEqual(tunnelEnds(lab), [
        { at: 'ovs-a/br0/vx0', type: 'vxlan', remoteHost: 'ovs-b', local: '10.213.100.1', remote: '10.213.100.2', vni: 0, dstport: 4789 },
        { at: 'ovs-b/br0/vx0', type: 'vxlan', remoteHost: 'ovs-a', local: '10.213.100.2', remote: '10.213.100.1', vni: 0, dstport: 4789 },
      ]);
      assert.deepEqual(lab.hosts[0].bridges.map((b) => [b.name, b.datapath]), [
        ['br-phy', 'netdev'],
        ['br0', 'netdev'],
      ]);
    });

    it('reaches the test hosts through the OVS servers', () => {
      assert.deepEqual(lab.routes['test-a'], { host: 'test-a', jumps: ['ovs-a'] });
      assert.deepEqual(lab.routes['test-b'], { host: 'test-b', jumps: ['ovs-b'] });
      assert.deepEqual(lab.routes['ovs-a'], { host: 'ovs-a', jumps: [] });
    });

    it('reads the segments, and runs a script without hosts on every host', () => {
      assert.deepEqual(lab.segments.map((s) => s.name), ['cn-a', 'cn-b', 'wan']);
      assert.deepEqual(lab.segments[2].members.map((m) => `${m.host}:${m.interface}`), ['ovs-a:eth0', 'ovs-b:eth0']);
      assert.deepEqual(lab.scripts.map((s) => [s.name, s.hosts]), [
        ['versions', ['ovs-a', 'ovs-b', 'test-a', 'test-b']],
        ['show-ovs', ['ovs-a', 'ovs-b']],
      ]);
    });
  });
});
