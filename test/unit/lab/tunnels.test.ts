// Where tunnels lead, and whether both ends agree.

import { strict as assert } from 'node:assert';
import { expectExactly, expectOne, loadClean, yaml } from './helpers';
import { twoHosts } from './labs';

// In twoHosts, a (10.0.0.1) has its port on line 10, b (10.0.0.2) on line 17, from column 13;
// `{ name: vx0, type: vxlan, remote: b` puts the remote at column 47.
const vx = (remote: string, extra = '') => `{ name: vx0, type: vxlan, remote: ${remote}${extra} }`;

describe('lab tunnels', () => {
  it('resolves both ends whether remote names a host or gives its underlay IP', () => {
    for (const [a, b] of [
      ['b', 'a'],
      ['10.0.0.2', '10.0.0.1'],
      ['b', '10.0.0.1'],
    ]) {
      const lab = loadClean(twoHosts(vx(a), vx(b)));
      assert.deepEqual(
        lab.tunnels.map((t) => [t.host, t.remoteHost, t.localAddress, t.remoteAddress]),
        [
          ['a', 'b', '10.0.0.1', '10.0.0.2'],
          ['b', 'a', '10.0.0.2', '10.0.0.1'],
        ],
        `remotes ${a} and ${b}`,
      );
    }
  });

  it('accepts a tunnel to an IP outside the lab, with no far-end host', () => {
    const lab = loadClean(twoHosts(vx('192.0.2.99'), 'eth1'));
    assert.equal(lab.tunnels[0].remoteHost, undefined);
    assert.equal(lab.tunnels[0].remoteAddress, '192.0.2.99');
  });

  it('reports a remote that names no host, with the likely one', () => {
    expectOne(twoHosts(vx('c'), vx('a')), '10:47', 'error', 'remote c names no host of the lab (did you mean b?); write a host name of the lab or an IP address');
  });

  it('reports a tunnel to its own host, by name or by address', () => {
    expectOne(twoHosts(vx('a'), 'eth1'), '10:47', 'error', 'tunnel vx0 leads back to its own host a; remote must be another host or an IP address');
    expectOne(twoHosts(vx('10.0.0.1'), 'eth1'), '10:47', 'error', 'remote 10.0.0.1 is an address of a itself; a tunnel must lead to another host');
  });

  it('reports vni, dstport and type that differ, on both ends, at the value', () => {
    expectExactly(twoHosts(vx('b', ', vni: 42'), vx('a', ', vni: 43')), [
      ['10:55', 'error', 'vx0 on a has vni 42 but its peer vx0 on b has vni 43; both ends must use the same vni'],
      ['17:55', 'error', 'vx0 on b has vni 43 but its peer vx0 on a has vni 42'],
    ]);
    expectExactly(twoHosts(vx('b', ', vni: 42'), vx('a')), [
      ['10:55', 'error', 'vx0 on a has vni 42 but its peer vx0 on b has vni 0 (the default)'],
      ['17:21', 'error', 'vx0 on b has vni 0 (the default) but its peer vx0 on a has vni 42'],
    ]);
    expectExactly(twoHosts(vx('b', ', dstport: 8472'), vx('a')), [
      ['10:59', 'error', 'vx0 on a has dstport 8472 but its peer vx0 on b has dstport 4789 (the default); both ends must use the same dstport'],
      ['17:21', 'error', 'vx0 on b has dstport 4789 (the default) but its peer vx0 on a has dstport 8472'],
    ]);
    expectExactly(twoHosts(vx('b'), '{ name: vx0, type: geneve, remote: a }'), [
      ['10:32', 'error', 'vx0 on a is a vxlan tunnel but its peer vx0 on b is a geneve tunnel; both ends must use the same type'],
      ['17:32', 'error', 'vx0 on b is a geneve tunnel but its peer vx0 on a is a vxlan tunnel'],
    ]);
  });

  it('says what to add on a host that has no tunnel back', () => {
    expectOne(twoHosts(vx('b', ', vni: 42, dstport: 8472'), 'eth1'), '10:47', 'error', 'vx0 on a leads to b, but b has no tunnel back to a; add { name: vx0, type: vxlan, remote: a, vni: 42, dstport: 8472 } to a bridge of b');
  });

  it('pairs several tunnels between two hosts by vni', () => {
    const text = yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
          bridges:
            br0: { ports: [{ name: vx1, type: vxlan, remote: b, vni: 1 }, { name: vx2, type: vxlan, remote: b, vni: 2 }] }
        b:
          interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
          bridges:
            br0: { ports: [{ name: vxa, type: vxlan, remote: a, vni: 2 }, { name: vxb, type: vxlan, remote: a, vni: 1 }] }
    `;
    assert.deepEqual(loadClean(text).tunnels.map((t) => `${t.host}/${t.port}/${t.vni}`), ['a/vx1/1', 'a/vx2/2', 'b/vxa/2', 'b/vxb/1']);
  });

  it('refuses two tunnels of one host that OVS and Linux cannot tell apart', () => {
    const text = yaml`
      version: 1
      name: t
      hosts:
        a:
          bridges:
            br0: { ports: [{ name: vx0, type: vxlan, remote: 192.0.2.9 }] }
            br1: { ports: [{ name: vx1, type: vxlan, remote: 192.0.2.9 }] }
    `;
    expectExactly(text, [
      ['7:30', 'error', 'vx1 repeats tunnel vx0 of a (line 6): same type, remote, vni and dstport, which OVS and Linux refuse to create twice; give it another vni or remove it'],
    ]);
  });

  it('uses local when given, and warns when the host does not hold it', () => {
    const lab = loadClean(twoHosts(vx('192.0.2.9', ', local: 10.0.0.1'), 'eth1'));
    assert.equal(lab.tunnels[0].localAddress, '10.0.0.1');
    expectOne(twoHosts(vx('192.0.2.9', ', local: 10.0.0.7'), 'eth1'), '10:65', 'warning', 'local 10.0.0.7 is not an address of a in this lab; the tunnel comes up only if the host has it');
  });

  it('refuses a tunnel between an IPv4 and an IPv6 address', () => {
    expectOne(twoHosts(vx('"2001:db8::9"'), 'eth1'), '10:47', 'error', 'vx0 on a would run from IPv4 10.0.0.1 to IPv6 2001:db8::9; both ends of a tunnel must use the same IP version');
  });
});
