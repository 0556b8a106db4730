import { strict as assert } from 'node:assert';
import { checkUdpPorts } from '../../../src/doctor/checks/udpPort';
import { brief, configured, demoLab, input, link, only, ovsInterface } from './support';
import { kernelLab, kernelStates } from './kernelLab';

describe('doctor check 6: UDP port agreement', () => {
  it('finds nothing when both ends use one port (OVS’s default 4789 unset on both)', () => {
    assert.deepEqual(checkUdpPorts(input(demoLab(), configured())), []);
    assert.deepEqual(checkUdpPorts(input(kernelLab(), kernelStates())), []);
  });

  it('explains a kernel vxlan device made without dstport (8472) against 4789', () => {
    const states = kernelStates();
    link(states['test-b'], 'vxk0').tunnel!.dstport = 8472;
    const finding = only(checkUdpPorts(input(kernelLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-udp-port-mismatch test-b br1/vxk0']);
    assert.equal(
      finding.message,
      'vxk0 on test-b uses UDP port 8472 but its peer vxk0 on test-a uses 4789, so neither hears the other. 8472 is what the Linux kernel uses for a vxlan device created without dstport. The lab file says 4789.',
    );
    assert.equal(finding.fix, 're-create vxk0 on test-b with dstport 4789 (ip link add … dstport 4789, or overlay-lab apply)');
  });

  it('reports an OVS dst_port set by hand, with the command', () => {
    const states = configured();
    ovsInterface(states['ovs-a'], 'vx0').options.dst_port = '4790';
    const finding = only(checkUdpPorts(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-udp-port-mismatch ovs-a br0/vx0']);
    assert.equal(finding.fix, 'ovs-vsctl set interface vx0 options:dst_port=4789 on ovs-a (or overlay-lab apply)');
    assert.deepEqual(finding.values, { 'ovs-a': 4790, 'ovs-b': 4789, lab: 4789 });
  });
});
