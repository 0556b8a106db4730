import { strict as assert } from 'node:assert';
import { checkVswitchdLog } from '../../../src/doctor/checks/vswitchdLog';
import { parseVswitchdLog } from '../../../src/doctor/measure/vswitchdLog';
import { parseHostFacts } from '../../../src/doctor/measure/hostFacts';
import type { DoctorMeasurements, HostFacts } from '../../../src/doctor/types';
import { brief, configured, demoLab, doctorFixture, input, only } from './support';

function measured(...facts: HostFacts[]): DoctorMeasurements {
  return { hosts: Object.fromEntries(facts.map((f) => [f.host, f])), tunnels: [] };
}

describe('doctor check 9: what ovs-vswitchd logged', () => {
  it('parses the messages it knows and skips the rest', () => {
    const log = parseVswitchdLog(
      [
        '2026-11-25T10:00:00.000Z|00001|bridge|WARN|could not open network device eth9 (No such device)',
        '2026-11-25T10:00:01.000Z|00002|bridge|WARN|could not open network device eth9 (No such device)',
        '2026-11-25T10:00:02.000Z|00003|memory|WARN|something else',
        '2026-11-25T10:00:03.000Z|00004|tunnel|WARN|receive tunnel port not found (udp,tun_id=0x63,tun_src=0.0.0.0,tun_dst=0.0.0.0,tun_ipv6_src=2001:db8::1,tun_ipv6_dst=2001:db8::2,tp_dst=4789',
        '2026-11-25T10:00:04.000Z|00005|bridge|WARN|br0: attempting to add tunnel port with same config as port \'vx0\' (vxlan)',
        'not a log line',
      ].join('\n'),
      '/var/log/openvswitch/ovs-vswitchd.log',
      6,
    );
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.detail, e.count]),
      [
        ['device-open-failed', { device: 'eth9', reason: 'No such device' }, 2],
        ['tunnel-port-not-found', { source: '2001:db8::1', destination: '2001:db8::2', key: '99', udpPort: '4789' }, 1],
        ['duplicate-tunnel', { bridge: 'br0', existing: 'vx0' }, 1],
      ],
    );
  });

  it('reports dropped tunnel packets on the receiving host, naming the sender and the port meant to take them', () => {
    const facts = parseHostFacts('ovs-b', doctorFixture('facts-ovs-b.txt'));
    facts.now = '2026-11-25T18:50:45Z';
    const finding = only(checkVswitchdLog(input(demoLab(), configured(), measured(facts))));
    assert.deepEqual(brief([finding]), ['warning log-tunnel-port-not-found ovs-b br0/vx0']);
    assert.deepEqual(finding.hosts, ['ovs-b', 'ovs-a']);
    assert.equal(
      finding.message,
      'ovs-vswitchd on ovs-b logged "receive tunnel port not found" 5 times: tunnel packets from 10.213.100.1 (ovs-a) with key (VNI) 0 matched no tunnel port and were dropped. Last at 2026-11-25 18:50:33 UTC, 11 s ago (/var/log/openvswitch/ovs-vswitchd.log).',
    );
  });

  it('makes old messages information, recent ones warnings', () => {
    const facts = parseHostFacts('ovs-a', doctorFixture('facts-ovs-a.txt'));
    const findings = checkVswitchdLog(input(demoLab(), configured(), measured(facts)));
    // now is 19:00:57: the MTU messages are 11 minutes old, the brsys ones 10.
    assert.deepEqual(brief(findings), ['info log-message-too-long ovs-a br-phy/eth0', 'warning log-datapath-unavailable ovs-a brsys', 'warning log-bridge-create-failed ovs-a brsys']);
    assert.match(findings[0].message, /could not send frames out of eth0 because they were larger than its MTU \("Message too long", 3 times\)/);
    assert.match(findings[0].message, /11 min ago/);
  });

  it('notes a log it could not read on a host with OVS bridges only', () => {
    const findings = checkVswitchdLog(
      input(demoLab(), configured(), measured({ host: 'ovs-a', logProblem: 'cannot read /var/log/openvswitch/ovs-vswitchd.log' }, parseHostFacts('test-a', doctorFixture('facts-test-a.txt')))),
    );
    assert.deepEqual(brief(findings), ['info log-unreadable ovs-a']);
  });
});
