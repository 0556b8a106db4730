import { strict as assert } from 'node:assert';
import { parseReach, parseSizeProbe, reachArgv, sizeProbeArgv } from '../../../src/doctor/measure/ping';
import { recordedPing } from './support';

describe('doctor: pings and what they say', () => {
  it('builds bounded argument lists, from the tunnel’s source address when it has one', () => {
    assert.deepEqual(reachArgv('10.213.100.2', '10.213.100.1'), ['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', '-I', '10.213.100.1', '10.213.100.2']);
    assert.deepEqual(reachArgv('10.213.100.2', undefined, 1), ['ping', '-n', '-c', '1', '-W', '1', '10.213.100.2']);
    assert.deepEqual(sizeProbeArgv('2001:db8::2', 1452), ['ping', '-n', '-c', '1', '-W', '1', '-M', 'do', '-s', '1452', '2001:db8::2']);
  });

  it('reads recorded reachability pings', () => {
    const ok = recordedPing('reach-ok');
    const reached = parseReach(ok.code, ok.output);
    assert.equal(reached.ok, true);
    assert.ok(reached.ok && reached.rttMs !== undefined && reached.rttMs > 0);
    const cases: [string, string][] = [
      ['reach-no-reply', 'no-reply'],
      ['reach-no-source', 'no-source'],
      ['reach-no-route', 'no-route'],
    ];
    for (const [name, reason] of cases) {
      const recorded = recordedPing(name);
      const result = parseReach(recorded.code, recorded.output);
      assert.equal(result.ok ? 'ok' : result.reason, reason, name);
    }
    assert.deepEqual(parseReach(127, 'sh: 1: ping: not found'), { ok: false, reason: 'no-ping', output: 'sh: 1: ping: not found' });
  });

  it('reads recorded size probes: passed, refused locally with the MTU', () => {
    const passed = recordedPing('size-passed');
    assert.deepEqual(parseSizeProbe(passed.code, passed.output), { passed: true });
    const refused = recordedPing('size-local-error');
    assert.deepEqual(parseSizeProbe(refused.code, refused.output), { passed: false, reportedMtu: { mtu: 1500, by: 'local' } });
  });

  it('reads what routers say, and silence', () => {
    assert.deepEqual(parseSizeProbe(1, 'From 10.0.0.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)'), { passed: false, reportedMtu: { mtu: 1400, by: 'router' } });
    assert.deepEqual(parseSizeProbe(1, 'From 2001:db8::1 icmp_seq=1 Packet too big: mtu=1280'), { passed: false, reportedMtu: { mtu: 1280, by: 'router' } });
    assert.deepEqual(parseSizeProbe(1, '1 packets transmitted, 0 received, 100% packet loss'), { passed: false });
    assert.deepEqual(parseSizeProbe(2, 'ping: unknown iputils option'), { passed: false, error: 'ping: unknown iputils option' });
  });
});
