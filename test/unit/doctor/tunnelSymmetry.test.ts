import { strict as assert } from 'node:assert';
import { checkTunnelSymmetry } from '../../../src/doctor/checks/tunnelSymmetry';
import { brief, configured, demoLab, input, link, only, ovsInterface } from './support';
import { kernelLab, kernelStates } from './kernelLab';

describe('doctor check 3: tunnels symmetric on the hosts', () => {
  it('finds nothing when both ends agree', () => {
    assert.deepEqual(checkTunnelSymmetry(input(demoLab(), configured())), []);
    assert.deepEqual(checkTunnelSymmetry(input(kernelLab(), kernelStates())), []);
  });

  it('puts a VNI changed by hand on the host that differs from the file, with the command to set it back', () => {
    const states = configured();
    ovsInterface(states['ovs-b'], 'vx0').options.key = '99';
    const finding = only(checkTunnelSymmetry(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-vni-mismatch ovs-b br0/vx0']);
    assert.deepEqual(finding.hosts, ['ovs-b', 'ovs-a']);
    assert.equal(finding.message, 'vx0 on ovs-b uses VNI 99 but its peer vx0 on ovs-a uses VNI 0; each end drops what the other sends. The lab file says 0.');
    assert.equal(finding.fix, 'ovs-vsctl set interface vx0 options:key=0 on ovs-b (or overlay-lab apply)');
    assert.equal(finding.range?.line, demoLab().tunnels[1].range.line);
    assert.deepEqual(finding.values, { 'ovs-b': '99', 'ovs-a': '0', lab: 0 });
  });

  it('does not compare a key taken from the flow', () => {
    const states = configured();
    ovsInterface(states['ovs-b'], 'vx0').options.key = 'flow';
    assert.deepEqual(checkTunnelSymmetry(input(demoLab(), states)), []);
  });

  it('reports a kernel device with another VNI, with the way to re-create it', () => {
    const states = kernelStates();
    link(states['test-b'], 'vxk0').tunnel!.id = 43;
    const finding = only(checkTunnelSymmetry(input(kernelLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-vni-mismatch test-b br1/vxk0']);
    assert.match(finding.fix ?? '', /^re-create vxk0 on test-b with id 42/);
  });

  it('reports a remote_ip that is not the far host’s, on the host that sends there', () => {
    const states = configured();
    ovsInterface(states['ovs-a'], 'vx0').options.remote_ip = '10.213.100.9';
    const finding = only(checkTunnelSymmetry(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-remote-mismatch ovs-a br0/vx0']);
    assert.equal(finding.message, 'vx0 on ovs-a sends to 10.213.100.9, which is not an address of ovs-b; the lab file says 10.213.100.2, which ovs-b holds on br-phy.');
    assert.equal(finding.fix, 'ovs-vsctl set interface vx0 options:remote_ip=10.213.100.2 on ovs-a (or overlay-lab apply)');
  });

  it('blames the far host when it lost the address the tunnel rightly points at', () => {
    const states = configured();
    link(states['ovs-b'], 'br-phy').addresses = [];
    const finding = only(checkTunnelSymmetry(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-remote-address-missing ovs-b br-phy']);
    assert.equal(finding.range?.line, demoLab().hosts[1].bridges[0].addressRanges?.[0].line, 'points at the address in the file');
    assert.equal(finding.fix, 'put 10.213.100.2 back on ovs-b (overlay-lab apply)');
  });

  it('reports a missing tunnel end, and says nothing when the far host could not be read', () => {
    const states = configured();
    const br0 = states['ovs-b'].bridges.find((b) => b.name === 'br0')!;
    br0.ports = br0.ports.filter((p) => p.name !== 'vx0');
    const finding = only(checkTunnelSymmetry(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-end-missing ovs-b br0/vx0']);
    assert.match(finding.message, /^ovs-b has no vxlan tunnel vx0, so what vx0 on ovs-a sends to it is dropped\.$/);
    assert.deepEqual(checkTunnelSymmetry(input(demoLab(), states, undefined, { 'ovs-b': 'ovs-b: connection refused' })), []);
  });

  it('reports a type mismatch once, on the end that differs from the file', () => {
    const states = configured();
    ovsInterface(states['ovs-a'], 'vx0').type = 'geneve';
    const finding = only(checkTunnelSymmetry(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error tunnel-type-mismatch ovs-a br0/vx0']);
  });
});
