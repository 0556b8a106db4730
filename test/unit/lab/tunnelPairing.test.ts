// The one rule that pairs tunnels, and the underlay each tunnel is given, on the resolved model.
// Labs with errors are resolved too (the validator reads the same fields to say what is wrong),
// so some of these labs are resolved without validation.

import { strict as assert } from 'node:assert';
import { DiagnosticSink } from '../../../src/lab/diagnostics';
import { ReadContext } from '../../../src/lab/mapReader';
import { readLab } from '../../../src/lab/readLab';
import { resolveLab } from '../../../src/lab/resolve';
import { findTunnel } from '../../../src/lab/tunnelPairing';
import type { Lab, ResolvedTunnel } from '../../../src/lab/types';
import { YamlSource } from '../../../src/lab/yamlSource';
import { demoLab } from '../hosts/fixtures';
import { expectExactly, loadClean, yaml } from './helpers';
import { twoHosts } from './labs';

/** The resolved model of a lab file, errors or not. */
function resolved(text: string): Lab {
  const sink = new DiagnosticSink('test.lab.yaml');
  const draft = readLab(new ReadContext(new YamlSource(text), sink), 'test.lab.yaml');
  assert.ok(draft, 'the file reads into a draft');
  return resolveLab(draft);
}

function tunnel(lab: Lab, host: string, port: string): ResolvedTunnel {
  const found = lab.tunnels.find((t) => t.host === host && t.port === port);
  assert.ok(found, `no tunnel ${host}/${port}`);
  return found;
}

/** `host/port ↔ host/port` or `host/port: reason`, for every tunnel in file order. */
function pairing(lab: Lab): string[] {
  return lab.tunnels.map((t) => (t.peer ? `${t.host}/${t.port} ↔ ${t.peer.host}/${t.peer.port}` : `${t.host}/${t.port}: ${t.unpaired?.reason}`));
}

const vx = (remote: string, extra = '') => `{ name: vx0, type: vxlan, remote: ${remote}${extra} }`;

describe('tunnel pairing and underlay, resolved once', () => {
  it('pairs the demo lab’s two vx0 ports with each other, over br-phy’s wire eth0 on segment wan', () => {
    const lab = demoLab();
    assert.deepEqual(pairing(lab), ['ovs-a/vx0 ↔ ovs-b/vx0', 'ovs-b/vx0 ↔ ovs-a/vx0']);
    const a = tunnel(lab, 'ovs-a', 'vx0');
    assert.deepEqual([a.underlayHolder, a.underlayDevice, a.segment, a.localAddress, a.remoteAddress], ['br-phy', 'eth0', 'wan', '10.213.100.1', '10.213.100.2']);
    assert.equal(a.unpaired, undefined);
    assert.equal(findTunnel(lab, a.peer!), tunnel(lab, 'ovs-b', 'vx0'));
  });

  it('pairs mutually: the peer’s peer is the tunnel itself, in every example lab', () => {
    for (const lab of [demoLab(), loadClean(twoHosts(vx('b'), vx('a')))]) {
      for (const t of lab.tunnels) {
        if (!t.peer) continue;
        const peer = findTunnel(lab, t.peer)!;
        assert.deepEqual(peer.peer, { host: t.host, bridge: t.bridge, port: t.port });
      }
    }
  });

  it('says why a one-sided tunnel has no peer: no tunnel back, and the validator says it from that', () => {
    const text = twoHosts(vx('b'), 'eth1');
    const lab = resolved(text);
    assert.deepEqual(pairing(lab), ['a/vx0: no-tunnel-back']);
    assert.match(lab.tunnels[0].unpaired!.message, /vx0 on a leads to b, but b has no tunnel back to a/);
    expectExactly(text, [['10:47', 'error', 'vx0 on a leads to b, but b has no tunnel back to a']]);
  });

  it('says a tunnel to an address outside the lab is outside it', () => {
    const lab = loadClean(twoHosts(vx('192.0.2.99'), 'eth1'));
    assert.deepEqual(pairing(lab), ['a/vx0: outside-lab']);
    assert.match(lab.tunnels[0].unpaired!.message, /leads to 192\.0\.2\.99, which is no host of the lab/);
  });

  it('pairs no tunnels that differ in type, VNI or UDP port, and names what differs and with which', () => {
    const vni = resolved(twoHosts(vx('b', ', vni: 42'), vx('a', ', vni: 43')));
    assert.deepEqual(pairing(vni), ['a/vx0: mismatch', 'b/vx0: mismatch']);
    assert.deepEqual(vni.tunnels[0].unpaired?.differs, ['vni']);
    assert.deepEqual(vni.tunnels[0].unpaired?.nearest, { host: 'b', bridge: 'br0', port: 'vx0' });
    assert.match(vni.tunnels[0].unpaired!.message, /vx0 on a has vni 42 but vx0 on b, its tunnel back, has vni 43/);

    const type = resolved(twoHosts(vx('b'), '{ name: vx0, type: geneve, remote: a }'));
    assert.deepEqual(type.tunnels.map((t) => t.unpaired?.differs), [['type', 'dstport'], ['type', 'dstport']]);

    const port = resolved(twoHosts(vx('b', ', dstport: 8472'), vx('a')));
    assert.deepEqual(port.tunnels.map((t) => t.unpaired?.differs), [['dstport'], ['dstport']]);
  });

  it('pairs by VNI when a host has several tunnels to the same host, whatever the names and order', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
          bridges:
            br0:
              ports:
                - { name: vx1, type: vxlan, remote: b, vni: 1 }
                - { name: vx2, type: vxlan, remote: b, vni: 2 }
        b:
          interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
          bridges:
            br0:
              ports:
                - { name: vxa, type: vxlan, remote: a, vni: 2 }
                - { name: vxb, type: vxlan, remote: a, vni: 1 }
    `);
    assert.deepEqual(pairing(lab), ['a/vx1 ↔ b/vxb', 'a/vx2 ↔ b/vxa', 'b/vxa ↔ a/vx2', 'b/vxb ↔ a/vx1']);
  });

  it('prefers the tunnel back whose addresses cross this one’s, so a looser match never takes it; a second tunnel with no answer is peer-taken', () => {
    // a reaches b from two local addresses; b answers only the second (its remote is 10.0.0.5).
    const text = yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces: { eth0: { address: 10.0.0.1/24, underlay: true }, eth1: { address: 10.0.0.5/24 } }
          bridges:
            br0:
              ports:
                - { name: vx0, type: vxlan, remote: b }
                - { name: vx1, type: vxlan, remote: b, local: 10.0.0.5 }
        b:
          interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
          bridges:
            br0:
              ports:
                - { name: vx0, type: vxlan, remote: 10.0.0.5 }
    `;
    const lab = resolved(text);
    assert.deepEqual(pairing(lab), ['a/vx0: peer-taken', 'a/vx1 ↔ b/vx0', 'b/vx0 ↔ a/vx1']);
    assert.deepEqual(tunnel(lab, 'a', 'vx1').underlayDevice, 'eth1');
    assert.match(tunnel(lab, 'a', 'vx0').unpaired!.message, /vx0, the tunnel of b that would answer it, pairs with vx1 on a/);
    expectExactly(text, [['9:47', 'warning', 'vx0 on a leads to b, but vx0, the tunnel of b that would answer it, answers vx1 on a; add a tunnel back for it to a bridge of b (remote: 10.0.0.1), or remove vx0']]);
  });

  it('pairs over an IPv6 underlay written in two spellings, and finds the device that holds it', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces:
            eth0: { address: "2001:DB8:0::1/64", underlay: true }
          bridges:
            br0:
              ports:
                - { name: gre0, type: gre, remote: "2001:db8::2", vni: 7 }
        b:
          interfaces:
            eth0: { address: "2001:db8::2/64", underlay: true }
          bridges:
            br0:
              ports:
                - { name: gre0, type: gre, remote: "2001:db8:0:0::1", vni: 7 }
      segments:
        wan: { members: [a:eth0, b:eth0], underlay: true }
    `);
    assert.deepEqual(pairing(lab), ['a/gre0 ↔ b/gre0', 'b/gre0 ↔ a/gre0']);
    const b = tunnel(lab, 'b', 'gre0');
    assert.deepEqual([b.remoteHost, b.underlayHolder, b.underlayDevice, b.segment, b.dstport], ['a', 'eth0', 'eth0', 'wan', 0]);
  });

  it('pairs hosts reached through a jump host by their underlay, not by their SSH addresses', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        gw:
          ssh: { host: 192.0.2.1 }
          interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
          bridges:
            br0:
              ports: [{ name: vx0, type: vxlan, remote: inner, vni: 5 }]
        inner:
          ssh: { host: 172.16.0.9, jump: gw }
          interfaces: { eth0: { address: 10.0.0.2/24, underlay: true } }
          bridges:
            br0:
              ports: [{ name: vx0, type: vxlan, remote: 10.0.0.1, vni: 5 }]
    `);
    assert.deepEqual(pairing(lab), ['gw/vx0 ↔ inner/vx0', 'inner/vx0 ↔ gw/vx0']);
    assert.equal(tunnel(lab, 'gw', 'vx0').remoteAddress, '10.0.0.2');
    assert.deepEqual(lab.routes.inner.jumps, ['gw']);
  });

  it('gives a Linux bridge’s kernel vxlan its underlay interface, and a bridge holding the address its wire on the underlay segment', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces: { eth1: { address: 10.0.0.1/24, underlay: true } }
          bridges:
            br1:
              kind: linux
              ports: [{ name: vxk0, type: vxlan, remote: b, vni: 42 }]
        b:
          bridges:
            br-phy: { address: 10.0.0.2/24, underlay: true, ports: [eth9, eth0] }
            br1:
              kind: linux
              ports: [{ name: vxk0, type: vxlan, remote: a, vni: 42 }]
      segments:
        mgmt: { members: [b:eth9] }
        wan: { members: [a:eth1, b:eth0], underlay: true }
    `);
    const a = tunnel(lab, 'a', 'vxk0');
    const b = tunnel(lab, 'b', 'vxk0');
    assert.deepEqual([a.bridgeKind, a.peer?.port, a.underlayDevice, a.segment], ['linux', 'vxk0', 'eth1', 'wan']);
    // eth9 comes first in the bridge but is on a segment that is no underlay.
    assert.deepEqual([b.underlayHolder, b.underlayDevice, b.segment], ['br-phy', 'eth0', 'wan']);
  });

  it('leaves the underlay unnamed when no device of the lab holds the local address', () => {
    const lab = resolved(twoHosts(vx('b', ', local: 10.0.0.77'), vx('a')));
    const a = tunnel(lab, 'a', 'vx0');
    assert.equal(a.localAddress, '10.0.0.77');
    assert.deepEqual([a.underlayHolder, a.underlayDevice, a.segment], [undefined, undefined, undefined]);
  });
});
