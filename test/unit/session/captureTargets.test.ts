// Where a capture on a declared port runs: on the device itself, or for an OVS tunnel port on
// the tunnel's resolved underlay device with a filter for its outer packets.

import { strict as assert } from 'node:assert';
import { findHost } from '../../../src/lab/resolve';
import type { Lab } from '../../../src/lab/types';
import { deviceCaptureSpot, outerPacketFilter, portCaptureSpot } from '../../../src/session/captureTargets';
import { demoLab } from '../hosts/fixtures';
import { loadClean, yaml } from '../lab/helpers';

function spot(lab: Lab, host: string, bridge: string, port: string) {
  const labBridge = findHost(lab, host)!.bridges.find((b) => b.name === bridge)!;
  const labPort = labBridge.ports.find((p) => p.name === port)!;
  return portCaptureSpot(host, labBridge, labPort, lab.tunnels.find((t) => t.host === host && t.port === port));
}

describe('capture targets of declared ports', () => {
  it('captures an OVS tunnel port on its underlay wire, filtered to the far end’s outer packets', () => {
    const lab = demoLab();
    assert.deepEqual(spot(lab, 'ovs-a', 'br0', 'vx0'), { host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789 and host 10.213.100.2' });
    assert.deepEqual(spot(lab, 'ovs-a', 'br0', 'eth2'), { host: 'ovs-a', iface: 'eth2' });
  });

  it('places a capture asked for by device name (the tree’s Capture command) as the diagram does', () => {
    const lab = demoLab();
    assert.deepEqual(deviceCaptureSpot(lab, 'ovs-b', 'vx0'), { host: 'ovs-b', iface: 'eth0', filter: 'udp port 4789 and host 10.213.100.1' });
    assert.deepEqual(deviceCaptureSpot(lab, 'test-a', 'eth2'), { host: 'test-a', iface: 'eth2' });
    assert.deepEqual(deviceCaptureSpot(lab, 'ovs-b', 'br0'), { host: 'ovs-b', iface: 'br0' });
  });

  it('captures a Linux bridge’s tunnel device on itself, and no patch port at all', () => {
    const lab = loadClean(yaml`
      version: 1
      name: t
      hosts:
        a:
          interfaces: { eth0: { address: 10.0.0.1/24, underlay: true } }
          bridges:
            br1: { kind: linux, ports: [{ name: vxk0, type: vxlan, remote: 192.0.2.9, vni: 4 }] }
            br2: { ports: [{ name: p0, type: patch, peer: p1 }] }
            br3: { ports: [{ name: p1, type: patch, peer: p0 }] }
    `);
    assert.deepEqual(spot(lab, 'a', 'br1', 'vxk0'), { host: 'a', iface: 'vxk0' });
    assert.equal(spot(lab, 'a', 'br2', 'p0'), undefined);
  });

  it('filters GRE by protocol 47, over IPv4 or IPv6', () => {
    assert.equal(outerPacketFilter({ type: 'gre', dstport: 0, remoteAddress: '10.0.0.2' }), 'ip proto 47 and host 10.0.0.2');
    assert.equal(outerPacketFilter({ type: 'gre', dstport: 0, remoteAddress: '2001:db8::2' }), 'ip6 proto 47 and host 2001:db8::2');
    assert.equal(outerPacketFilter({ type: 'geneve', dstport: 6081, remoteAddress: '10.0.0.2' }), 'udp port 6081 and host 10.0.0.2');
  });
});
