import { strict as assert } from 'node:assert';
import { checkBridgedAddresses } from '../../../src/doctor/checks/bridgedAddresses';
import { brief, configured, demoLab, input, link, only } from './support';
import { kernelLab, kernelStates } from './kernelLab';

describe('doctor check 8: bridge ports holding addresses', () => {
  it('finds nothing when only the bridges hold addresses', () => {
    assert.deepEqual(checkBridgedAddresses(input(demoLab(), configured())), []);
    assert.deepEqual(checkBridgedAddresses(input(kernelLab(), kernelStates())), []);
  });

  it('reports an OVS port still holding its address: the `ip addr flush` gotcha', () => {
    const states = configured();
    link(states['ovs-a'], 'eth0').addresses.push({ cidr: '10.213.100.1/24', family: 'inet', scope: 'global' }, { cidr: 'fe80::1/64', family: 'inet6', scope: 'link' });
    const finding = only(checkBridgedAddresses(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error bridged-port-address ovs-a br-phy/eth0']);
    assert.equal(
      finding.message,
      "eth0 on ovs-a holds 10.213.100.1/24 but is a port of bridge br-phy: the bridge takes the frames eth0 receives, so that address stops answering, and ovs-a's route through eth0 bypasses the bridge.",
    );
    assert.equal(finding.fix, 'ip addr flush dev eth0 on ovs-a; if ovs-a needs the address on that network, put it on br-phy (address: under bridges.br-phy in the lab file)');
    assert.equal(finding.range?.line, demoLab().hosts[0].bridges[0].ports[0].range.line);
  });

  it('reports a Linux bridge port holding an address, declared or not', () => {
    const states = kernelStates();
    states['test-a'].links.push({ ...link(states['test-a'], 'eth2'), name: 'eth3', index: 99, master: 'br1', addresses: [{ cidr: '192.0.2.5/24', family: 'inet', scope: 'global' }] });
    const finding = only(checkBridgedAddresses(input(kernelLab(), states)));
    assert.deepEqual(brief([finding]), ['error bridged-port-address test-a br1/eth3']);
    assert.equal(finding.range, undefined);
  });
});
