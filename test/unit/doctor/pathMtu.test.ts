import { strict as assert } from 'node:assert';
import { checkPathMtu } from '../../../src/doctor/checks/pathMtu';
import type { DoctorMeasurements, PathMtuResult, TunnelProbe } from '../../../src/doctor/types';
import { brief, configured, demoLab, healthy, input, link, only } from './support';
import { kernelLab, kernelStates } from './kernelLab';

function probe(host: string, pathMtu: PathMtuResult): TunnelProbe {
  const [local, remote] = host === 'ovs-a' ? ['10.213.100.1', '10.213.100.2'] : ['10.213.100.2', '10.213.100.1'];
  return { host, bridge: 'br0', port: 'vx0', local, remote, reach: { ok: true }, pathMtu, wanted: 1500 };
}

function measured(...tunnels: TunnelProbe[]): DoctorMeasurements {
  return { hosts: {}, tunnels };
}

describe('doctor check 5: path MTU', () => {
  it('finds nothing when the overlay MTU plus VXLAN fits the underlay (1450 + 50 = 1500)', () => {
    const fits: PathMtuResult = { largestPassed: 1500, probes: 1 };
    assert.deepEqual(checkPathMtu(input(demoLab(), healthy(), measured(probe('ovs-a', fits), probe('ovs-b', fits)))), []);
  });

  it('reports the recorded demo as it is: a 1500 overlay over a 1500 underlay drops full-size frames', () => {
    const findings = checkPathMtu(input(demoLab(), configured()));
    assert.deepEqual(brief(findings), ['error mtu-underlay-too-small ovs-a br-phy/eth0', 'error mtu-underlay-too-small ovs-b br-phy/eth0']);
    assert.equal(
      findings[0].message,
      'eth0 on ovs-a, the port of br-phy its packets leave by, has MTU 1500, but tunnel vx0 to ovs-b needs 1550 bytes: an overlay MTU of 1500 (the MTU of br0 and eth2 on ovs-a) + 50 for VXLAN over IPv4 (14 Ethernet + 8 VXLAN + 8 UDP + 20 IPv4). Larger frames are dropped.',
    );
    assert.equal(
      findings[0].fix,
      "lower the overlay MTU to 1450: mtu: 1450 on br0 and eth2 of ovs-a, the hosts on its segments (test-a:eth2) and the same on ovs-b's side; or raise the MTU of eth0 (and br-phy) on ovs-a and of every underlay hop to ovs-b to 1550",
    );
    assert.deepEqual(findings[0].values, { overlayMtu: 1500, overhead: 50, required: 1550, egressMtu: 1500, device: 'eth0' });
    assert.equal(findings[0].range?.line, demoLab().tunnels[0].range.line);
  });

  it('reports an underlay port lowered to 1400, with what ping measured', () => {
    const states = healthy();
    for (const host of ['ovs-a', 'ovs-b']) {
      link(states[host], 'eth0').mtu = 1400;
      link(states[host], 'br-phy').mtu = 1400;
    }
    const measuredPath: PathMtuResult = { largestPassed: 1400, smallestFailed: 1401, reportedMtu: { mtu: 1400, by: 'local' }, probes: 3 };
    const findings = checkPathMtu(input(demoLab(), states, measured(probe('ovs-a', measuredPath))));
    assert.deepEqual(brief(findings), ['error mtu-underlay-too-small ovs-a br-phy/eth0', 'error mtu-underlay-too-small ovs-b br-phy/eth0']);
    assert.match(findings[0].message, /has MTU 1400, but tunnel vx0 to ovs-b needs 1500 bytes: an overlay MTU of 1450 .* ping -M do to 10\.213\.100\.2 agrees: the path carries IP packets of up to 1400 bytes; the local kernel said mtu 1400\.$/);
    assert.match(findings[0].fix ?? '', /^lower the overlay MTU to 1350: /);
  });

  it('reports a narrower hop on the way that only the measurement sees', () => {
    const path: PathMtuResult = { largestPassed: 1400, smallestFailed: 1401, probes: 11 };
    const finding = only(checkPathMtu(input(demoLab(), healthy(), measured(probe('ovs-a', path)))));
    assert.deepEqual(brief([finding]), ['error mtu-path-too-small ovs-a br0/vx0']);
    assert.match(finding.message, /^Between ovs-a \(10\.213\.100\.1\) and ovs-b \(10\.213\.100\.2\) the path carries IP packets of up to 1400 bytes \(measured with ping -M do\), but tunnel vx0 needs 1500 bytes/);
    assert.equal(finding.values?.pathMtu, 1400);
  });

  it('says a bridge interface below its port’s MTU limits only what ping can measure, not the userspace tunnel', () => {
    const states = healthy();
    link(states['ovs-a'], 'br-phy').mtu = 1400;
    const path: PathMtuResult = { largestPassed: 1400, smallestFailed: 1401, reportedMtu: { mtu: 1400, by: 'local' }, probes: 3 };
    const finding = only(checkPathMtu(input(demoLab(), states, measured(probe('ovs-a', path)))));
    assert.deepEqual(brief([finding]), ['info mtu-underlay-bridge-smaller ovs-a br-phy']);
    assert.match(finding.message, /Tunnel vx0 is not limited by it/);
    assert.equal(finding.fix, 'give br-phy the MTU of eth0: ovs-vsctl set interface br-phy mtu_request=1500 on ovs-a');
  });

  it('lets a kernel tunnel device’s own MTU bound the overlay, and warns when it is below the bridge’s other ports', () => {
    // The recording's vxk0 (MTU 1450, bound to eth2) is alone on br1: 1450 + 50 fits eth2's 1500.
    assert.deepEqual(checkPathMtu(input(kernelLab(), kernelStates())), []);
    const states = kernelStates();
    states['test-a'].links.push({ ...link(states['test-a'], 'eth2'), name: 'eth3', index: 99, master: 'br1', addresses: [], mtu: 1500, mac: '02:00:00:00:0a:33' });
    const finding = only(checkPathMtu(input(kernelLab(), states)));
    assert.deepEqual(brief([finding]), ['warning mtu-tunnel-device-smaller test-a vxk0']);
    assert.match(finding.message, /^vxk0 on test-a has MTU 1450, less than eth3 on test-a \(1500\) on the same bridge/);
  });
});
