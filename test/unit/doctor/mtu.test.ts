import { strict as assert } from 'node:assert';
import { overlayMtu, tunnelEgress } from '../../../src/doctor/mtu';
import { tunnelMtuNeeds } from '../../../src/doctor/mtuNeeds';
import { configured, demoLab, link, ovsInterface, recordedState } from './support';

describe('doctor: the MTUs around a tunnel', () => {
  it('takes the overlay MTU of an OVS bridge from its own interface and its ports, not its tunnels', () => {
    const states = configured();
    link(states['ovs-a'], 'eth2').mtu = 1450;
    const overlay = overlayMtu(states['ovs-a'], 'br0');
    assert.deepEqual(overlay, { mtu: 1500, holders: [{ name: 'br0', mtu: 1500 }, { name: 'eth2', mtu: 1450 }] });
  });

  it('takes the overlay MTU of a Linux bridge from the bridge and its non-tunnel ports', () => {
    const overlay = overlayMtu(recordedState('linux-bridge-test-a'), 'br1');
    assert.deepEqual(overlay, { mtu: 1450, holders: [{ name: 'br1', mtu: 1450 }] });
  });

  it('finds that OVS userspace tunnels leave by the physical port of the bridge holding the underlay address', () => {
    const states = configured();
    const egress = tunnelEgress(states['ovs-a'], '10.213.100.1');
    assert.deepEqual(egress, { device: 'eth0', mtu: 1500, holder: 'br-phy', holderMtu: 1500, holderBypassed: true });
  });

  it('names the narrower device with the kernel datapath, where the bridge interface is on the path', () => {
    const states = configured();
    states['ovs-a'].bridges.find((b) => b.name === 'br-phy')!.datapathType = 'system';
    link(states['ovs-a'], 'br-phy').mtu = 1400;
    assert.equal(tunnelEgress(states['ovs-a'], '10.213.100.1')?.device, 'br-phy');
  });

  it('uses the interface itself when it holds the underlay address', () => {
    const egress = tunnelEgress(recordedState('linux-bridge-test-a'), '10.213.50.11');
    assert.deepEqual(egress, { device: 'eth2', mtu: 1500, holder: 'eth2', holderMtu: 1500, holderBypassed: false });
  });

  it('works out what a demo tunnel needs: 1500 + 50 = 1550 bytes', () => {
    const lab = demoLab();
    const needs = tunnelMtuNeeds(configured()['ovs-a'], lab.tunnels[0]);
    assert.ok(needs);
    assert.equal(needs.required, 1550);
    assert.equal(needs.family, 4);
    assert.equal(needs.local, '10.213.100.1');
    assert.equal(needs.egress?.device, 'eth0');
  });

  it('counts a GRE key in the overhead', () => {
    const lab = demoLab();
    const states = configured();
    const vx0 = ovsInterface(states['ovs-a'], 'vx0');
    vx0.type = 'gre';
    vx0.options.key = '7';
    assert.equal(tunnelMtuNeeds(states['ovs-a'], lab.tunnels[0])?.required, 1542);
  });
});
