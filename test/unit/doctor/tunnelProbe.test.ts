import { strict as assert } from 'node:assert';
import { probeTunnel } from '../../../src/doctor/measure/tunnelProbe';
import { FakeHosts } from './fakeHosts';

const target = { host: 'ovs-a', sudo: false, bridge: 'br0', port: 'vx0', local: '10.213.100.1', remote: '10.213.100.2', wanted: 1550 };

describe('doctor: probing one tunnel end', () => {
  it('pings from the tunnel’s source address, then searches the path MTU, ending refused pings at once', async () => {
    const hosts = new FakeHosts({ pathMtu: 1500, localMtu: 1400, answering: new Set(['10.213.100.2']) });
    const probe = await probeTunnel(hosts, target);
    assert.deepEqual(probe.reach, { ok: true, rttMs: 0.5 });
    assert.deepEqual(probe.pathMtu, { largestPassed: 1400, smallestFailed: 1401, reportedMtu: { mtu: 1400, by: 'local' }, probes: 3 });
    assert.deepEqual(hosts.commands[0].argv, ['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', '-I', '10.213.100.1', '10.213.100.2']);
    assert.deepEqual(
      hosts.commands.slice(1).map((c) => c.argv[c.argv.indexOf('-s') + 1]),
      ['1522', '1372', '1373'],
    );
    assert.equal(hosts.running, 0);
  });

  it('searches nothing when the far end does not answer', async () => {
    const hosts = new FakeHosts({ pathMtu: 1500, answering: new Set() });
    const probe = await probeTunnel(hosts, target);
    assert.equal(probe.reach.ok, false);
    assert.equal(probe.pathMtu, undefined);
    assert.equal(hosts.commands.length, 1);
  });

  it('stops when cancelled, leaving nothing running', async () => {
    const hosts = new FakeHosts({ pathMtu: 1400, answering: new Set(['10.213.100.2']) });
    const abort = new AbortController();
    const probing = probeTunnel(hosts, target, abort.signal);
    setTimeout(() => abort.abort(), 5);
    const probe = await probing;
    assert.equal(hosts.running, 0);
    assert.ok(hosts.commands.length < 4, `${hosts.commands.length} pings after cancelling`);
    assert.ok(probe.pathMtu === undefined || probe.pathMtu.probes < 4);
  });
});
