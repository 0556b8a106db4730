// Resolution: defaults, tunnel ends, and the helpers the rest of the product uses.

import { strict as assert } from 'node:assert';
import {
  addressesOf,
  findHost,
  hostOwningAddress,
  interfaceOwner,
  portsOf,
  routeTo,
  underlayAddress,
} from '../../../src/lab/resolve';
import { loadClean, yaml } from './helpers';

const lab = loadClean(yaml`
  version: 1
  name: t
  defaults:
    ssh: { user: root, port: 2222, jump: "ops@bastion" }
  hosts:
    a:
      ssh: { host: 192.0.2.10, port: 22 }
      interfaces:
        eth0: {}
        eth1: { address: [10.0.0.1/24, "2001:db8::1/64"] }
      bridges:
        br-phy: { address: 10.1.0.1/24, underlay: true, ports: [eth0] }
        br0:
          ports:
            - eth2
            - { name: gnv0, type: geneve, remote: b }
            - { name: gre0, type: gre, remote: 10.1.0.2, vni: 7 }
            - { name: vx0, type: vxlan, remote: 10.1.0.2, dstport: 8472 }
    b:
      interfaces: { eth0: { address: 10.1.0.2/24, underlay: true } }
      bridges:
        br0:
          ports:
            - { name: gnv0, type: geneve, remote: a }
            - { name: gre0, type: gre, remote: a, vni: 7 }
            - { name: vx0, type: vxlan, remote: a, dstport: 8472 }
`);

describe('lab resolution', () => {
  it('lets a host inherit defaults.ssh, its own values winning, its name as ssh host', () => {
    const [a, b] = lab.hosts;
    assert.deepEqual(a.ssh, { user: 'root', port: 22, jump: 'ops@bastion', host: '192.0.2.10' });
    assert.deepEqual(b.ssh, { user: 'root', port: 2222, jump: 'ops@bastion', host: 'b' });
    assert.equal(a.sshRanges?.port?.line, 7, "a's port was written on its own line");
    assert.equal(b.sshRanges?.port?.line, 4, "b's port comes from defaults.ssh");
    assert.deepEqual(lab.defaults.ssh, { user: 'root', port: 2222, jump: 'ops@bastion' });
  });

  it('fills tunnel defaults: geneve 6081, GRE no UDP port, vni 0; and the given dstport', () => {
    assert.deepEqual(
      lab.tunnels.filter((t) => t.host === 'a').map((t) => [t.port, t.type, t.vni, t.dstport, t.localAddress, t.remoteAddress, t.remoteHost]),
      [
        ['gnv0', 'geneve', 0, 6081, '10.1.0.1', '10.1.0.2', 'b'],
        ['gre0', 'gre', 7, 0, '10.1.0.1', '10.1.0.2', 'b'],
        ['vx0', 'vxlan', 0, 8472, '10.1.0.1', '10.1.0.2', 'b'],
      ],
    );
    assert.deepEqual(lab.tunnels[0].bridge, 'br0');
    assert.deepEqual(lab.tunnels[0].bridgeKind, 'ovs');
  });

  it('routes through the jump inherited from defaults', () => {
    assert.deepEqual(lab.routes.a, { host: 'a', jumps: ['ops@bastion'] });
    assert.deepEqual(routeTo(lab, 'b'), { host: 'b', jumps: ['ops@bastion'] });
  });

  it('finds hosts, underlay addresses and the owners of addresses', () => {
    assert.equal(findHost(lab, 'b')?.name, 'b');
    assert.equal(findHost(lab, 'c'), undefined);
    assert.equal(underlayAddress(lab, 'a'), '10.1.0.1', 'the underlay is on br-phy, not on the first interface with an address');
    assert.equal(underlayAddress(lab, 'nope'), undefined);
    assert.equal(hostOwningAddress(lab, '10.0.0.1')?.name, 'a');
    assert.equal(hostOwningAddress(lab, '2001:DB8:0::1')?.name, 'a', 'any spelling of an IPv6 address');
    assert.equal(hostOwningAddress(lab, '10.9.9.9'), undefined);
    assert.deepEqual(
      addressesOf(lab.hosts[0]).map((h) => [h.holderKind, h.holder.name, h.cidr]),
      [
        ['interface', 'eth1', '10.0.0.1/24'],
        ['interface', 'eth1', '2001:db8::1/64'],
        ['bridge', 'br-phy', '10.1.0.1/24'],
      ],
    );
  });

  it('tells which bridge enslaves an interface, and lists a host’s ports', () => {
    const a = lab.hosts[0];
    assert.equal(interfaceOwner(a, 'eth0')?.name, 'br-phy');
    assert.equal(interfaceOwner(a, 'eth2')?.name, 'br0');
    assert.equal(interfaceOwner(a, 'eth1'), undefined);
    assert.equal(interfaceOwner(a, 'vx0'), undefined, 'a tunnel port enslaves no interface');
    assert.deepEqual(
      portsOf(a).map(({ bridge, port }) => `${bridge.name}:${port.name}`),
      ['br-phy:eth0', 'br0:eth2', 'br0:gnv0', 'br0:gre0', 'br0:vx0'],
    );
  });
});
