import { strict as assert } from 'node:assert';
import { checkOpenflowDrops } from '../../../src/doctor/checks/openflowDrops';
import type { DoctorMeasurements } from '../../../src/doctor/types';
import { parseFlows } from '../../../src/trace/measure/openflowRules';
import { brief, configured, demoLab, input } from './support';

// As `ovs-ofctl dump-flows br0` printed it on the test lab (OVS 3.1), with a drop rule added by hand.
const DUMP = ` cookie=0x0, duration=2.191s, table=0, n_packets=3, n_bytes=294, priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8 actions=drop
 cookie=0x0, duration=41.702s, table=0, n_packets=52, n_bytes=4592, priority=0 actions=NORMAL
`;

function measured(flows: string): DoctorMeasurements {
  return { hosts: {}, tunnels: [], counters: { 'ovs-b': { host: 'ovs-b', flows: { br0: parseFlows(flows) }, flowProblems: {} } } };
}

describe('doctor check: OpenFlow rules that drop on a lab bridge', () => {
  it('finds a drop rule that already dropped frames, on its bridge, with its match and count', () => {
    const findings = checkOpenflowDrops(input(demoLab(), configured(), measured(DUMP)));
    assert.deepEqual(brief(findings), ['error openflow-drop-rule ovs-b br0']);
    assert.match(findings[0].message, /^br0 on ovs-b has an OpenFlow rule that drops what it matches: table=0 priority=100,icmp,nw_dst=10\.213\.50\.12,icmp_type=8 actions=drop \(n_packets 3: it has dropped frames\)\.$/);
    assert.equal(findings[0].fix, "remove it if it is not meant to be there: ovs-ofctl --strict del-flows br0 'priority=100,icmp,nw_dst=10.213.50.12,icmp_type=8' on ovs-b");
  });

  it('says nothing of a bridge that only switches (NORMAL)', () => {
    assert.deepEqual(checkOpenflowDrops(input(demoLab(), configured(), measured(DUMP.split('\n')[1]))), []);
  });
});
