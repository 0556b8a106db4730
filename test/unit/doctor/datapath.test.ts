import { strict as assert } from 'node:assert';
import { checkDatapath } from '../../../src/doctor/checks/datapath';
import type { DoctorMeasurements, HostFacts } from '../../../src/doctor/types';
import { brief, configured, demoLab, input, only } from './support';

function facts(host: string, extra: Partial<HostFacts>): DoctorMeasurements {
  return { hosts: { [host]: { host, ...extra } }, tunnels: [] };
}

/** The demo lab with br0 of ovs-a on the kernel datapath. */
function systemLab() {
  return demoLab((text) => text.replace(/(br0:\n        kind: ovs\n        datapath: )netdev/, '$1system'));
}

describe('doctor check 2: datapath', () => {
  it('finds nothing for netdev bridges, whatever the module', () => {
    assert.deepEqual(checkDatapath(input(demoLab(), configured(), facts('ovs-a', { ovsModule: 'absent', datapathTypes: ['netdev'] }))), []);
  });

  it('reports a system bridge on a host without the openvswitch module, pointing at the datapath line', () => {
    const lab = systemLab();
    const finding = only(checkDatapath(input(lab, configured(), facts('ovs-a', { ovsModule: 'absent', datapathTypes: ['netdev'] }))));
    assert.deepEqual(brief([finding]), ['error datapath-system-unavailable ovs-a br0']);
    assert.equal(
      finding.message,
      'Bridge br0 on ovs-a uses the kernel (system) datapath, but the openvswitch kernel module is neither loaded nor installed on ovs-a and ovs-vswitchd there offers only the netdev datapath, so it forwards nothing.',
    );
    assert.equal(finding.fix, 'use datapath: netdev (the userspace datapath) for br0, or install a kernel with the openvswitch module on ovs-a');
    assert.equal(finding.range?.line, lab.hosts[0].bridges[1].fieldRanges?.datapath?.line);
  });

  it('suggests modprobe when the module is installed but not loaded', () => {
    const finding = only(checkDatapath(input(systemLab(), configured(), facts('ovs-a', { ovsModule: 'loadable', datapathTypes: ['netdev', 'system'] }))));
    assert.match(finding.fix ?? '', /use datapath: netdev .* or load the module \(modprobe openvswitch\)/);
  });

  it('finds nothing when the module is loaded, or nothing was measured', () => {
    assert.deepEqual(checkDatapath(input(systemLab(), configured(), facts('ovs-a', { ovsModule: 'loaded', datapathTypes: ['netdev', 'system'] }))), []);
    assert.deepEqual(checkDatapath(input(systemLab(), configured())), []);
  });

  it('also reports a system bridge the lab does not declare', () => {
    const states = configured();
    states['ovs-b'].bridges.push({ name: 'br-extra', datapathType: 'system', ports: [], otherConfig: {} });
    const finding = only(checkDatapath(input(demoLab(), states, facts('ovs-b', { ovsModule: 'absent' }))));
    assert.deepEqual(brief([finding]), ['error datapath-system-unavailable ovs-b br-extra']);
    assert.equal(finding.range, undefined);
  });
});
