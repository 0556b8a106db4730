import { strict as assert } from 'node:assert';
import { IpJsonError, parseIpLinks } from '../../../src/hosts/ipLinks';
import { splitProbeOutput } from '../../../src/hosts/probeSections';
import type { LinkState } from '../../../src/hosts/types';
import { stableMac } from '../../lab/spec';
import { probeText } from './fixtures';

function linksOf(name: string): LinkState[] {
  const { sections } = splitProbeOutput(probeText(name));
  return parseIpLinks(sections.get('ip_link')!.stdout, sections.get('ip_addr')!.stdout);
}

function find(links: LinkState[], name: string): LinkState {
  const link = links.find((l) => l.name === name);
  assert.ok(link, `no link ${name} in ${links.map((l) => l.name).join(', ')}`);
  return link;
}

describe('ip -j link and addr', () => {
  it('reads a blank test host: names, kinds, MACs, MTUs, addresses, in index order', () => {
    const links = linksOf('blank-test-a');
    assert.deepEqual(links.map((l) => `${l.index}:${l.name}:${l.kind ?? '-'}`), ['1:lo:-', '2:eth2:veth', '3:mgmt0:veth']);
    const eth2 = find(links, 'eth2');
    assert.equal(eth2.mac, stableMac('test-a', 'eth2'));
    assert.equal(eth2.mtu, 1500);
    assert.equal(eth2.up, true);
    assert.equal(eth2.operState, 'UP');
    assert.equal(eth2.master, undefined);
    assert.deepEqual(eth2.addresses, []);
    assert.deepEqual(find(links, 'mgmt0').addresses, [{ cidr: '10.213.1.2/30', family: 'inet', scope: 'global' }]);
    assert.deepEqual(find(links, 'lo').addresses, [{ cidr: '127.0.0.1/8', family: 'inet', scope: 'host' }]);
  });

  it('reads the configured OVS host: the bridges’ tap devices with their addresses, and counters that moved', () => {
    const links = linksOf('configured-ovs-a');
    const brPhy = find(links, 'br-phy');
    assert.equal(brPhy.kind, 'tun', 'a netdev bridge’s own port is a tap device');
    assert.equal(brPhy.mac, stableMac('ovs-a', 'eth0'));
    assert.deepEqual(brPhy.addresses.map((a) => a.cidr), ['10.213.100.1/24']);
    assert.deepEqual(find(links, 'br0').addresses.map((a) => a.cidr), ['10.213.50.1/24']);
    const eth0 = find(links, 'eth0');
    assert.deepEqual(eth0.addresses, [], 'the underlay address moved from eth0 to br-phy');
    assert.ok(eth0.stats.rxPackets > 0 && eth0.stats.txPackets > 0 && eth0.stats.rxBytes > eth0.stats.rxPackets, JSON.stringify(eth0.stats));
    assert.equal(eth0.stats.rxErrors + eth0.stats.txErrors, 0);
    assert.equal(find(links, 'ovs-netdev').up, false);
  });

  it('reads a Linux bridge with a kernel VXLAN device: kind, master, VNI, remote, local, port, underlay device', () => {
    const links = linksOf('linux-bridge-test-a');
    const br1 = find(links, 'br1');
    assert.equal(br1.kind, 'bridge');
    assert.equal(br1.mtu, 1450, 'a bridge takes the smallest MTU of its ports');
    assert.deepEqual(br1.addresses.map((a) => a.cidr), ['10.213.60.11/24']);
    const vxk0 = find(links, 'vxk0');
    assert.equal(vxk0.kind, 'vxlan');
    assert.equal(vxk0.master, 'br1');
    assert.equal(vxk0.mtu, 1450);
    assert.deepEqual(vxk0.tunnel, { id: 42, remote: '10.213.50.12', local: '10.213.50.11', dstport: 4789, dev: 'eth2' });
    assert.ok(vxk0.stats.rxPackets > 0 && vxk0.stats.txPackets > 0, JSON.stringify(vxk0.stats));
    assert.equal(find(links, 'eth2').tunnel, undefined, 'a veth has no tunnel details');
  });

  it('tolerates missing fields, filtered-out devices, older stats and GRE keys as dotted quads', () => {
    const links = parseIpLinks(
      JSON.stringify([
        {},
        { ifindex: 7, ifname: 'gt0', flags: ['UP'], linkinfo: { info_kind: 'gretap', info_data: { remote: '192.0.2.2', local: '192.0.2.1', ikey: '0.0.1.2' } }, address: '0.0.0.0' },
        { ifindex: 3, ifname: 'old0', stats: { rx: { packets: 5 }, tx: {} } },
        { ifname: 'no-index' },
      ]),
      '[{"ifindex":3,"addr_info":[{"family":"inet6","local":"2001:db8::1","prefixlen":64,"scope":"global"},{"family":"inet"}]}]',
    );
    assert.deepEqual(links.map((l) => l.name), ['old0', 'gt0']);
    const [old0, gt0] = links;
    assert.equal(old0.mtu, 0);
    assert.equal(old0.operState, 'UNKNOWN');
    assert.equal(old0.stats.rxPackets, 5);
    assert.deepEqual(old0.addresses, [{ cidr: '2001:db8::1/64', family: 'inet6', scope: 'global' }]);
    assert.equal(gt0.mac, undefined, 'a GRE device’s "address" is not a MAC');
    assert.deepEqual(gt0.tunnel, { id: 258, remote: '192.0.2.2', local: '192.0.2.1', dstport: undefined, dev: undefined });
  });

  it('keeps the links when the addresses cannot be read, and refuses links that are not JSON', () => {
    assert.equal(parseIpLinks('[{"ifindex":1,"ifname":"lo"}]', 'Option "-j" is unknown').length, 1);
    assert.throws(() => parseIpLinks('Option "-j" is unknown, try "ip -help".'), IpJsonError);
    assert.throws(() => parseIpLinks('{"ifname":"lo"}'), /not a JSON list/);
  });
});
