import { strict as assert } from 'node:assert';
import { parseOvsDatabase } from '../../../src/hosts/ovsDatabase';
import { numberMapOf, numberOf, OvsdbFormatError, parseOvsdbTables, setOf, stringOf, textMapOf, uuidsOf } from '../../../src/hosts/ovsdbJson';
import { splitProbeOutput } from '../../../src/hosts/probeSections';
import { stableMac } from '../../lab/spec';
import { probeText } from './fixtures';

function ovsdbOutput(name: string): string {
  const section = splitProbeOutput(probeText(name)).sections.get('ovsdb');
  assert.ok(section, `${name} has no ovsdb section`);
  return section.stdout;
}

describe('OVSDB JSON values', () => {
  it('reads atoms, one-element sets written as the atom, empty optional columns, and maps', () => {
    assert.deepEqual(setOf(['set', [1, 2]]), [1, 2]);
    assert.deepEqual(setOf(7), [7]);
    assert.deepEqual(setOf(['set', []]), []);
    assert.deepEqual(uuidsOf(['uuid', 'u1']), ['u1']);
    assert.deepEqual(uuidsOf(['set', [['uuid', 'u1'], ['uuid', 'u2']]]), ['u1', 'u2']);
    assert.equal(stringOf(['set', []]), undefined);
    assert.equal(stringOf('netdev'), 'netdev');
    assert.equal(numberOf(['set', [10]]), 10);
    assert.equal(numberOf(['set', []]), undefined);
    assert.deepEqual(textMapOf(['map', [['remote_ip', '10.0.0.2'], ['key', 5], ['csum', true]]]), { remote_ip: '10.0.0.2', key: '5', csum: 'true' });
    assert.deepEqual(numberMapOf(['map', [['rx_packets', 3], ['odd', 'x']]]), { rx_packets: 3 });
    assert.deepEqual(textMapOf('not a map'), {});
  });

  it('reads one table per line, and says what is wrong with anything else', () => {
    const tables = parseOvsdbTables('{"headings":["name","tag"],"data":[["eth2",["set",[]]],["vx0",10]]}\n\n{"headings":[],"data":[]}\n');
    assert.equal(tables.length, 2);
    assert.deepEqual(tables[0].rows, [
      { name: 'eth2', tag: ['set', []] },
      { name: 'vx0', tag: 10 },
    ]);
    assert.throws(() => parseOvsdbTables('ovs-vsctl: no bridge named br9'), OvsdbFormatError);
    assert.throws(() => parseOvsdbTables('{"rows":[]}'), /without "headings" and "data"/);
  });
});

describe('the Open vSwitch database, joined into bridges', () => {
  it('finds a blank switch with its versions and no bridge', () => {
    const db = parseOvsDatabase(ovsdbOutput('blank-ovs-a'));
    assert.deepEqual(db, { ovsVersion: '3.1.0', dbVersion: '8.3.1', bridges: [] });
  });

  it('joins the configured demo host into bridges, ports and interfaces, sorted by name', () => {
    const db = parseOvsDatabase(ovsdbOutput('configured-ovs-a'));
    const shape = db.bridges.map((b) => ({ bridge: b.name, datapath: b.datapathType, ports: b.ports.map((p) => `${p.name}:${p.interfaces.map((i) => i.type).join()}`) }));
    assert.deepEqual(shape, [
      { bridge: 'br-phy', datapath: 'netdev', ports: ['br-phy:internal', 'eth0:system'] },
      { bridge: 'br0', datapath: 'netdev', ports: ['br0:internal', 'eth2:system', 'vx0:vxlan'] },
    ]);
    const [brPhy, br0] = db.bridges;
    const eth0Mac = stableMac('ovs-a', 'eth0');
    // br-phy takes eth0's MAC (other_config:hwaddr), so the underlay's ARP answers match.
    assert.deepEqual(brPhy.otherConfig, { hwaddr: eth0Mac });
    const [brPhyInternal, eth0] = brPhy.ports.map((p) => p.interfaces[0]);
    assert.equal(brPhyInternal.mac, eth0Mac);
    assert.equal(eth0.mac, eth0Mac);
    assert.equal(eth0.mtu, 1500);
    assert.equal(eth0.ofport, 1);
    assert.equal(brPhyInternal.ofport, 65534);
    assert.equal(eth0.linkState, 'up');
    assert.equal(eth0.adminState, 'up');
    assert.equal(eth0.status.driver_name, 'veth');
    assert.ok(eth0.statistics.rx_packets > 0 && eth0.statistics.tx_packets > 0, JSON.stringify(eth0.statistics));

    const vx0 = br0.ports.find((p) => p.name === 'vx0')!;
    assert.equal(vx0.tag, undefined);
    const tunnel = vx0.interfaces[0];
    assert.deepEqual(tunnel.options, { remote_ip: '10.213.100.2' });
    assert.equal(tunnel.mtu, undefined, 'a tunnel port has no MTU of its own');
    assert.equal(tunnel.error, undefined);
    assert.equal(tunnel.status.tunnel_egress_iface, 'br-phy');
    assert.equal(tunnel.status.tunnel_egress_iface_carrier, 'up');
    assert.ok(tunnel.statistics.rx_packets > 0 && tunnel.statistics.tx_packets > 0, JSON.stringify(tunnel.statistics));
    const eth2 = br0.ports.find((p) => p.name === 'eth2')!.interfaces[0];
    assert.equal(eth2.mac, stableMac('ovs-a', 'eth2'));
  });

  it('points each side’s tunnel at the other', () => {
    const vx0 = (name: string) => parseOvsDatabase(ovsdbOutput(name)).bridges.find((b) => b.name === 'br0')!.ports.find((p) => p.name === 'vx0')!.interfaces[0];
    assert.equal(vx0('configured-ovs-a').options.remote_ip, '10.213.100.2');
    assert.equal(vx0('configured-ovs-b').options.remote_ip, '10.213.100.1');
  });

  it('still lists the bridges while ovs-vswitchd is stopped', () => {
    const db = parseOvsDatabase(ovsdbOutput('vswitchd-stopped-ovs-b'));
    assert.deepEqual(db.bridges.map((b) => b.name), ['br-phy', 'br0']);
  });

  it('refuses output that is not the four tables', () => {
    assert.throws(() => parseOvsDatabase('{"headings":[],"data":[]}\n'), /expected 4 tables/);
  });
});
