// What bridges do to a host's interfaces, and which one carries its tunnels.

import { expectExactly, expectOne, loadClean, yaml } from './helpers';
import { oneHost } from './labs';

describe('lab bridging', () => {
  it('refuses a name declared both as a bridge and as an interface', () => {
    expectOne(oneHost('br0: {}', '{ br0: { address: 10.0.0.1/24 } }'), '5:19', 'error', 'br0 is declared both as a bridge (line 7) and as an interface of a; put its address, mtu and underlay under bridges.br0');
  });

  it('refuses an interface enslaved to two bridges, at the second', () => {
    expectOne(oneHost('br0: { ports: [eth2] }\nbr1: { ports: [eth2] }'), '8:22', 'error', 'interface eth2 is already a port of bridge br0 (line 7); an interface can be enslaved to one bridge only');
  });

  it('refuses a port listed twice in one bridge', () => {
    expectOne(oneHost('br0: { ports: [eth2, eth2] }'), '7:28', 'error', 'port eth2 is listed twice in bridge br0 (first at line 7); list it once');
  });

  it('refuses a port name used twice on a host', () => {
    expectOne(
      oneHost('br0: { ports: [{ name: p0, type: internal }] }\nbr1: { ports: [{ name: p0, type: internal }] }'),
      '8:30',
      'error',
      'port name p0 is already used on a by bridge br0 (line 7); port names must be unique on a host',
    );
  });

  it('refuses a port named like a bridge', () => {
    expectOne(oneHost('br0: { ports: [br1] }\nbr1: {}'), '7:22', 'error', 'port br1 has the name of a bridge of a; to connect two OVS bridges, use a pair of patch ports');
  });

  it('warns that an enslaved interface loses its address, at the address (the ip addr flush gotcha)', () => {
    expectOne(
      oneHost('br0: { ports: [eth2] }', '{ eth2: { address: 192.168.1.5/24, underlay: true } }'),
      '5:36',
      'warning',
      'eth2 holds 192.168.1.5/24 but is a port of bridge br0: once bridged it loses its addresses, as after ip addr flush dev eth2; move the address (and underlay: true) to the bridge (bridges.br0.address)',
    );
  });

  it('lets an internal port hold an address declared under interfaces', () => {
    loadClean(oneHost('br0: { ports: [{ name: mgmt0, type: internal }] }', '{ mgmt0: { address: 10.1.0.1/24 } }'));
  });

  it('warns about an underlay mark with no address, and a second underlay', () => {
    expectExactly(
      yaml`
        version: 1
        name: t
        hosts:
          a:
            interfaces:
              eth0: { underlay: true }
              eth1: { address: 10.0.0.1/24, underlay: true }
              eth2: { address: 10.0.1.1/24, underlay: true }
      `,
      [
        ['6:25', 'warning', 'interface eth0 is marked underlay but has no address; tunnels to a need an address here'],
        ['8:47', 'warning', 'a already carries its tunnels on interface eth1 (line 7), so this underlay: true has no effect; mark one underlay per host'],
      ],
    );
  });
});

describe('lab addresses across hosts', () => {
  const twoAddresses = (first: string, second: string) => yaml`
    version: 1
    name: t
    hosts:
      a: { interfaces: { eth0: { address: ${first} } } }
      b: { bridges: { br0: { address: ${second} } } }
  `;
  // The first address is at column 39 of line 4, the second at column 35 of line 5.

  it('refuses an address held twice, whatever the prefix length, at the second', () => {
    expectOne(twoAddresses('10.0.0.1/24', '10.0.0.1/16'), '5:35', 'error', 'address 10.0.0.1 is already held by interface eth0 of a (line 4); each address must be unique in the lab');
  });

  it('sees two spellings of one IPv6 address as one', () => {
    expectOne(twoAddresses('"2001:db8::1/64"', '"2001:DB8:0:0::1/64"'), '5:35', 'error', 'address 2001:DB8:0:0::1 is already held by interface eth0 of a');
  });

  it('refuses an address held twice on one interface', () => {
    expectOne(twoAddresses('[10.0.0.1/24, 10.0.0.1/24]', '10.0.0.2/24'), '4:53', 'error', 'address 10.0.0.1 is already held by interface eth0 of a (line 4)');
  });

  it('warns about the network and broadcast address of an IPv4 subnet', () => {
    expectExactly(twoAddresses('192.168.1.0/24', '192.168.1.255/24'), [
      ['4:39', 'warning', '192.168.1.0/24 is the network address of its /24 subnet, which a host cannot use; pick a host address such as 192.168.1.1/24'],
      ['5:35', 'warning', '192.168.1.255/24 is the broadcast address of its /24 subnet'],
    ]);
    loadClean(twoAddresses('10.0.0.0/31', '10.0.0.1/31'));
    loadClean(twoAddresses('10.0.0.0/32', '"2001:db8::/64"'));
  });
});
