import { strict as assert } from 'node:assert';
import { checkUnderlayReach } from '../../../src/doctor/checks/underlayReach';
import type { DoctorMeasurements, ReachResult, TunnelProbe } from '../../../src/doctor/types';
import { brief, configured, demoLab, input, only, ovsInterface, recordedState } from './support';

function probe(host: string, reach: ReachResult): TunnelProbe {
  const [local, remote] = host === 'ovs-a' ? ['10.213.100.1', '10.213.100.2'] : ['10.213.100.2', '10.213.100.1'];
  return { host, bridge: 'br0', port: 'vx0', local, remote, reach };
}

function measured(...tunnels: TunnelProbe[]): DoctorMeasurements {
  return { hosts: {}, tunnels };
}

const noReply: ReachResult = { ok: false, reason: 'no-reply', output: '2 packets transmitted, 0 received, 100% packet loss' };

describe('doctor check 4: underlay reachability', () => {
  it('finds nothing when both ends answer', () => {
    assert.deepEqual(checkUnderlayReach(input(demoLab(), configured(), measured(probe('ovs-a', { ok: true }), probe('ovs-b', { ok: true })))), []);
  });

  it('reports a far end that does not answer, from the tunnel end that asked', () => {
    const finding = only(checkUnderlayReach(input(demoLab(), configured(), measured(probe('ovs-a', noReply), probe('ovs-b', { ok: true })))));
    assert.deepEqual(brief([finding]), ['error underlay-unreachable ovs-a br0/vx0']);
    assert.equal(finding.message, "vx0 on ovs-a cannot reach ovs-b's underlay address 10.213.100.2 from 10.213.100.1: no reply to 2 pings.");
    assert.match(finding.fix ?? '', /^check the underlay between ovs-a and ovs-b/);
  });

  it('does not call a wrong remote_ip the far host\'s underlay address, and names both values', () => {
    const wrong = { ...probe('ovs-a', noReply), remote: '10.213.100.9' };
    const finding = only(checkUnderlayReach(input(demoLab(), configured(), measured(wrong, probe('ovs-b', { ok: true })))));
    assert.equal(finding.message, 'vx0 on ovs-a cannot reach 10.213.100.9, its remote_ip, which is not an address of ovs-b (ovs-b\'s underlay address is 10.213.100.2) from 10.213.100.1: no reply to 2 pings.');
    assert.equal(finding.fix, "set vx0's remote_ip on ovs-a to 10.213.100.2 (overlay-lab apply)");
    assert.equal(finding.values?.farUnderlay, '10.213.100.2');
  });

  it('names a stopped ovs-vswitchd that holds the far underlay address as the likely cause', () => {
    const states = configured();
    states['ovs-b'] = recordedState('vswitchd-stopped-ovs-b');
    const finding = only(checkUnderlayReach(input(demoLab(), states, measured(probe('ovs-a', noReply)))));
    assert.match(finding.message, /\(ovs-vswitchd is not running on ovs-b, and ovs-b holds 10\.213\.100\.2 on its OVS bridge br-phy\)\.$/);
    assert.equal(finding.fix, 'start ovs-vswitchd again, then run the doctor again');
  });

  it('tells a missing source address, a missing route and a missing ping apart', () => {
    const findings = checkUnderlayReach(
      input(
        demoLab(),
        configured(),
        measured(
          probe('ovs-a', { ok: false, reason: 'no-source', output: 'ping: bind: Cannot assign requested address' }),
          probe('ovs-b', { ok: false, reason: 'no-route', output: 'ping: connect: Network is unreachable' }),
        ),
      ),
    );
    assert.deepEqual(brief(findings), ['error underlay-source-missing ovs-a br0/vx0', 'error underlay-no-route ovs-b br0/vx0']);
    assert.match(findings[0].message, /sends from 10\.213\.100\.1, but ovs-a does not hold that address \(ping: bind: Cannot assign requested address\)/);
    const noPing = only(checkUnderlayReach(input(demoLab(), configured(), measured(probe('ovs-a', { ok: false, reason: 'no-ping', output: 'sh: ping: not found' })))));
    assert.deepEqual(brief([noPing]), ['warning underlay-not-checked ovs-a br0/vx0']);
  });

  it('reads OVS’s own view: a tunnel without egress interface has no route', () => {
    const states = configured();
    const vx0 = ovsInterface(states['ovs-a'], 'vx0');
    vx0.status = {}; // what OVS 3.1 leaves when it has no route
    assert.deepEqual(brief(checkUnderlayReach(input(demoLab(), states))), ['warning tunnel-no-egress ovs-a br0/vx0']);
    const down = configured();
    ovsInterface(down['ovs-b'], 'vx0').status.tunnel_egress_iface_carrier = 'down';
    assert.deepEqual(brief(checkUnderlayReach(input(demoLab(), down))), ['error tunnel-egress-down ovs-b br0/vx0']);
  });
});
