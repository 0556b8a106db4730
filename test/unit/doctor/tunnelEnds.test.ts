import { strict as assert } from 'node:assert';
import { actualTunnel, linkHolding, peerTunnel, tunnelPairs } from '../../../src/doctor/tunnelEnds';
import { configured, demoLab, ovsInterface, recordedState } from './support';

describe('doctor: tunnel ends as the hosts hold them', () => {
  it('reads an OVS tunnel port with the defaults OVS applies (key 0, dst_port 4789)', () => {
    const states = configured();
    const vx0 = actualTunnel(states['ovs-a'], 'vx0');
    assert.ok(vx0);
    assert.deepEqual(
      { where: vx0.where, type: vx0.type, remoteIp: vx0.remoteIp, key: vx0.key, dstPort: vx0.dstPort, bridge: vx0.bridge },
      { where: 'ovs', type: 'vxlan', remoteIp: '10.213.100.2', key: '0', dstPort: 4789, bridge: 'br0' },
    );
  });

  it('reads options a user set by hand', () => {
    const states = configured();
    Object.assign(ovsInterface(states['ovs-b'], 'vx0').options, { key: '99', dst_port: '8472' });
    const vx0 = actualTunnel(states['ovs-b'], 'vx0');
    assert.equal(vx0?.key, '99');
    assert.equal(vx0?.dstPort, 8472);
  });

  it('reads a kernel VXLAN device enslaved to a Linux bridge', () => {
    const vxk0 = actualTunnel(recordedState('linux-bridge-test-a'), 'vxk0');
    assert.ok(vxk0);
    assert.deepEqual(
      { where: vxk0.where, type: vxk0.type, remoteIp: vxk0.remoteIp, localIp: vxk0.localIp, key: vxk0.key, dstPort: vxk0.dstPort, bridge: vxk0.bridge },
      { where: 'kernel', type: 'vxlan', remoteIp: '10.213.50.12', localIp: '10.213.50.11', key: '42', dstPort: 4789, bridge: 'br1' },
    );
  });

  it('finds nothing for a port that is not a tunnel, or not there', () => {
    const states = configured();
    assert.equal(actualTunnel(states['ovs-a'], 'eth2'), undefined);
    assert.equal(actualTunnel(states['ovs-a'], 'vx9'), undefined);
  });

  it('pairs the demo lab’s two vx0 ports once', () => {
    const lab = demoLab();
    const pairs = tunnelPairs(lab);
    assert.deepEqual(pairs.map(({ a, b }) => [`${a.host}:${a.port}`, `${b.host}:${b.port}`]), [['ovs-a:vx0', 'ovs-b:vx0']]);
    assert.equal(peerTunnel(lab, pairs[0].b), pairs[0].a);
  });

  it('finds where a host holds an address', () => {
    assert.equal(linkHolding(configured()['ovs-a'], '10.213.100.1')?.name, 'br-phy');
    assert.equal(linkHolding(configured()['ovs-a'], '10.213.100.2'), undefined);
  });
});
