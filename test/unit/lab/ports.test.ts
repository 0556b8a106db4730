// Each port against its type and its bridge's kind.

import { strict as assert } from 'node:assert';
import { expectExactly, expectOne, loadClean } from './helpers';
import { oneHost, twoHosts } from './labs';

// In twoHosts, a's port is on line 10 and b's on line 17, both from column 13; in a port
// written `{ name: vx0, type: vxlan, remote: b, …` the name is at column 21, the type at 32,
// the remote at 47.

describe('lab ports', () => {
  it('requires a remote on a tunnel port, at the port name', () => {
    expectOne(twoHosts('{ name: vx0, type: vxlan }', 'eth1'), '10:21', 'error', 'vxlan port vx0 needs a remote: a host of the lab or an IP address, e.g. remote: ovs-b');
  });

  it('holds vxlan and geneve VNIs to 24 bits, GRE keys to 32', () => {
    expectOne(
      twoHosts('{ name: vx0, type: vxlan, remote: 10.9.9.9, vni: 16777216 }', 'eth1'),
      '10:62',
      'error',
      'vni must be from 0 to 16777215 for vxlan (a 24-bit VNI), not 16777216',
    );
    loadClean(twoHosts('{ name: gre0, type: gre, remote: b, vni: 4294967295 }', '{ name: gre0, type: gre, remote: a, vni: 4294967295 }'));
  });

  it('requires a vni for vxlan and geneve on a linux bridge, not for gre', () => {
    expectExactly(twoHosts('{ name: vx0, type: vxlan, remote: b }', '{ name: vx0, type: vxlan, remote: a }', 'linux'), [
      ['10:21', 'error', 'vxlan port vx0 is on linux bridge br0, and a Linux vxlan device needs a vni; add e.g. vni: 100, the same on both ends'],
      ['17:21', 'error', 'vxlan port vx0 is on linux bridge br0'],
    ]);
    // Only the missing vni: with no default on Linux, there is no vni to compare with b's.
    expectExactly(twoHosts('{ name: gnv0, type: geneve, remote: b }', '{ name: gnv0, type: geneve, remote: a, vni: 7 }', 'linux'), [
      ['10:21', 'error', 'geneve port gnv0 is on linux bridge br0, and a Linux geneve device needs a vni'],
    ]);
    loadClean(twoHosts('{ name: gre0, type: gre, remote: b }', '{ name: gre0, type: gre, remote: a }', 'linux'));
    loadClean(twoHosts('{ name: vx0, type: vxlan, remote: b, vni: 5 }', '{ name: vx0, type: vxlan, remote: a, vni: 5 }', 'linux'));
  });

  it('warns that dstport does nothing on gre', () => {
    expectExactly(twoHosts('{ name: gre0, type: gre, remote: b, dstport: 4789 }', '{ name: gre0, type: gre, remote: a }'), [
      ['10:58', 'warning', 'dstport has no effect on a gre port: GRE has no UDP port'],
    ]);
  });

  it('takes tunnel fields on a non-tunnel port as a forgotten type', () => {
    expectOne(oneHost('br0: { ports: [{ name: vx0, remote: 10.9.9.9 }] }'), '7:43', 'error', 'remote applies only to tunnel ports, and vx0 is a system port (the default type); add type: vxlan, geneve or gre if it is a tunnel');
    expectOne(oneHost('br0: { ports: [{ name: i0, type: internal, vni: 5 }] }'), '7:55', 'error', 'vni applies only to tunnel ports, and i0 is an internal port; add type: vxlan');
    expectOne(oneHost('br0: { ports: [{ name: i0, type: internal, peer: x }] }'), '7:56', 'error', 'peer applies only to patch ports, and i0 is an internal port; add type: patch if it is one');
  });

  it('reports a misspelt type once, and nothing that the default type would imply', () => {
    expectExactly(twoHosts('{ name: vx0, type: vxlam, remote: b }', '{ name: vx0, type: vxlan, remote: a }'), [
      ['10:32', 'error', 'type must be one of system, internal, vxlan, geneve, gre, patch, not "vxlam"; did you mean vxlan?'],
    ]);
  });

  describe('patch ports', () => {
    const patch = (a: string, b: string) => oneHost(`br0: { ports: [${a}] }\nbr1: { ports: [${b}] }`);
    // br0's first port starts at column 22 of line 7, br1's at column 22 of line 8: a peer value at column 53.

    it('connects two bridges when each names the other', () => {
      const lab = loadClean(patch('{ name: p0, type: patch, peer: p1 }', '{ name: p1, type: patch, peer: p0 }'));
      assert.deepEqual(lab.hosts[0].bridges.map((b) => b.ports[0].peer), ['p1', 'p0']);
    });

    it('requires a peer', () => {
      expectExactly(patch('{ name: p0, type: patch }', 'eth0'), [['7:30', 'error', 'patch port p0 needs a peer: the name of the patch port it connects to, e.g. peer: patch-br1']]);
    });

    it('refuses a port that is its own peer', () => {
      expectOne(patch('{ name: p0, type: patch, peer: p0 }', 'eth0'), '7:53', 'error', 'patch port p0 cannot be its own peer');
    });

    it('says what to add when the peer does not exist', () => {
      expectOne(patch('{ name: p0, type: patch, peer: p1 }', 'eth0'), '7:53', 'error', 'peer p1 names no port of host a; add { name: p1, type: patch, peer: p0 } to the bridge to connect');
    });

    it('requires the peer to be a patch port that names this one back', () => {
      expectOne(patch('{ name: p0, type: patch, peer: eth0 }', 'eth0'), '7:53', 'error', 'peer eth0 is a system port of bridge br1, not a patch port; give it type: patch');
      expectExactly(patch('{ name: p0, type: patch, peer: p1 }', '{ name: p1, type: patch, peer: p2 }, { name: p2, type: patch, peer: p1 }'), [
        ['7:53', 'error', 'patch port p0 has peer p1, but p1 has peer p2; the two must name each other'],
        ['8:53', 'warning', 'patch ports p1 and p2 are both on bridge br1, which only loops it back to itself'],
        ['8:90', 'warning', 'patch ports p2 and p1 are both on bridge br1'],
      ]);
    });
  });

  describe('linux bridges', () => {
    const linux = (ports: string) => oneHost(`br0: { kind: linux, ports: [${ports}] }`);
    // The first port starts at column 35 of line 7.

    it('have no internal or patch ports', () => {
      expectOne(linux('{ name: i0, type: internal }'), '7:53', 'error', 'internal ports exist only on ovs bridges; on linux bridge br0, put the address on the bridge itself (bridges.br0.address)');
      expectExactly(oneHost('br0: { kind: linux, ports: [{ name: p0, type: patch, peer: p1 }] }\nbr1: { ports: [{ name: p1, type: patch, peer: p0 }] }'), [
        ['7:53', 'error', 'patch ports exist only on ovs bridges, and br0 is a linux bridge; use kind: ovs'],
      ]);
    });

    it('refuse vlan tags, which they would not apply', () => {
      expectOne(linux('{ name: eth0, vlan: 10 }'), '7:55', 'error', "vlan applies only to ovs bridges: linux bridge br0 would carry eth0's traffic untagged; remove vlan or use kind: ovs");
      loadClean(oneHost('br0: { ports: [{ name: eth0, vlan: 10 }] }'));
    });

    it('ignore datapath, with a warning', () => {
      expectOne(oneHost('br0: { kind: linux, datapath: netdev }'), '7:37', 'warning', 'datapath applies only to ovs bridges; linux bridge br0 ignores it');
    });
  });
});
