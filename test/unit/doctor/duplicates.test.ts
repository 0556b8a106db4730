import { strict as assert } from 'node:assert';
import { checkDuplicates } from '../../../src/doctor/checks/duplicates';
import { l2Domains } from '../../../src/doctor/l2Domains';
import { brief, configured, demoLab, input, link, only } from './support';

describe('doctor check 7: duplicate addresses and MACs', () => {
  it('finds nothing on the demo lab, where br-phy shares eth0’s MAC on purpose (one host)', () => {
    const states = configured();
    assert.equal(link(states['ovs-a'], 'br-phy').mac, link(states['ovs-a'], 'eth0').mac);
    assert.deepEqual(checkDuplicates(input(demoLab(), states)), []);
  });

  it('joins bridges, tunnels and segments into L2 domains', () => {
    const domains = l2Domains(demoLab(), configured());
    const overlay = domains.domainOf('test-a', 'eth2');
    assert.ok(overlay);
    assert.equal(domains.domainOf('ovs-a', 'br0'), overlay);
    assert.equal(domains.domainOf('ovs-b', 'eth2'), overlay, 'across the tunnel');
    assert.equal(domains.domainOf('test-b', 'eth2'), overlay, 'and the far segment');
    assert.equal(domains.domainOf('ovs-b', 'eth0'), domains.domainOf('ovs-a', 'br-phy'), 'the underlay is one domain');
    assert.notEqual(domains.domainOf('ovs-a', 'eth0'), overlay);
    assert.equal(domains.domainOf('ovs-a', 'mgmt0'), undefined, 'management is no business of the lab');
  });

  it('reports one MAC on two hosts of one L2 domain', () => {
    const states = configured();
    link(states['test-b'], 'eth2').mac = link(states['test-a'], 'eth2').mac;
    const finding = only(checkDuplicates(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error duplicate-mac test-b eth2']);
    assert.match(finding.message, /^MAC address [0-9a-f:]{17} is used by eth2 on test-a and eth2 on test-b, which are on one L2 network/);
  });

  it('ignores one MAC on two hosts on unrelated networks', () => {
    const states = configured();
    link(states['test-b'], 'mgmt0').mac = link(states['test-a'], 'mgmt0').mac;
    link(states['ovs-b'], 'eth0').mac = link(states['test-a'], 'eth2').mac;
    assert.deepEqual(checkDuplicates(input(demoLab(), states)), []);
  });

  it('reports an address the lab declares showing up on another host, blaming the host where the lab does not put it', () => {
    const states = configured();
    link(states['ovs-b'], 'br0').addresses.push({ cidr: '10.213.50.11/24', family: 'inet', scope: 'global' });
    const finding = only(checkDuplicates(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error duplicate-address test-a eth2']);
    assert.equal(finding.hosts.length, 2);
    assert.match(finding.message, /^10\.213\.50\.11 is held by br0 on ovs-b and eth2 on test-a/);
  });

  it('ignores addresses every host has on links the lab does not know (docker0)', () => {
    const states = configured();
    for (const host of ['ovs-a', 'ovs-b']) {
      states[host].links.push({ ...link(states[host], 'eth2'), name: 'docker0', index: 50, kind: 'bridge', master: undefined, mac: host === 'ovs-a' ? '02:42:00:00:00:01' : '02:42:00:00:00:02', addresses: [{ cidr: '172.17.0.1/16', family: 'inet', scope: 'global' }] });
    }
    assert.deepEqual(checkDuplicates(input(demoLab(), states)), []);
  });
});
