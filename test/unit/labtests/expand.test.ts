// A lab's tests as the pings to run: ends worked out, a mesh as every ordered pair of overlay
// addresses (one family, two hosts), and --name's choice among them.

import { strict as assert } from 'node:assert';
import { expandTests, selectTests } from '../../../src/labtests/expand';
import { loadClean, yaml } from '../lab/helpers';

const lab = loadClean(yaml`
  version: 1
  name: t
  hosts:
    gw:
      interfaces: { eth0: { address: 192.0.2.1/24, underlay: true }, eth2: {} }
      bridges: { br0: { address: [10.0.0.1/24, 2001:db8::1/64], ports: [eth2] } }
    a:
      interfaces: { eth2: { address: [10.0.0.11/24, 10.0.0.21/24] } }
    b:
      interfaces: { eth2: { address: 10.0.0.12/24 } }
    c:
      interfaces: { eth2: { address: 2001:db8::3/64 } }
  tests:
    reach: { from: a, to: b:eth2, size: 1422, count: 2 }
    apart: { from: b, to: 192.0.2.1, expect: isolated }
    all: { mesh: true, group: overlay }
`);

describe('lab test expansion', () => {
  const cases = expandTests(lab);

  it('works out each end: a host alone is its overlay address, a device its first address', () => {
    const [reach, apart] = cases;
    assert.deepEqual(
      { name: reach.name, from: reach.from, to: reach.to, toHost: reach.toHost, size: reach.size, count: reach.count, line: reach.range.line },
      { name: 'reach', from: { host: 'a', interface: 'eth2', address: '10.0.0.11' }, to: '10.0.0.12', toHost: 'b', size: 1422, count: 2, line: 14 },
    );
    assert.deepEqual([apart.from.address, apart.to, apart.toHost, apart.expect], ['10.0.0.12', '192.0.2.1', 'gw', 'isolated']);
  });

  it('expands a mesh into every ordered pair of overlay addresses of one family on two hosts, never the underlay', () => {
    const mesh = cases.filter((c) => c.declared === 'all');
    const pairs = mesh.map((c) => `${c.from.address}>${c.to}`);
    // IPv4 overlay: gw 10.0.0.1, a 10.0.0.11 and 10.0.0.21, b 10.0.0.12; IPv6: gw and c.
    const v4 = ['10.0.0.1', '10.0.0.11', '10.0.0.21', '10.0.0.12'];
    const host = (ip: string) => ({ '10.0.0.1': 'gw', '10.0.0.11': 'a', '10.0.0.21': 'a', '10.0.0.12': 'b' })[ip];
    const expected = [
      ...v4.flatMap((x) => v4.filter((y) => host(x) !== host(y)).map((y) => `${x}>${y}`)),
      '2001:db8::1>2001:db8::3',
      '2001:db8::3>2001:db8::1',
    ];
    assert.deepEqual([...pairs].sort(), [...expected].sort());
    assert.equal(mesh.length, 12);
    assert.ok(!pairs.some((p) => p.includes('192.0.2.1')), 'the underlay is no overlay address');
    assert.ok(mesh.every((c) => c.group === 'overlay' && c.range.line === 16));
  });

  it('names each pair, with the address where a device holds several', () => {
    const names = cases.filter((c) => c.declared === 'all').map((c) => c.name);
    assert.ok(names.includes('all: gw:br0 (10.0.0.1) -> b:eth2'));
    assert.ok(names.includes('all: a:eth2 (10.0.0.21) -> b:eth2'));
    assert.ok(names.includes('all: c:eth2 -> gw:br0 (2001:db8::1)'));
    assert.equal(new Set(names).size, names.length, 'names are unique');
  });

  it('selects by a test’s name, a mesh’s name or one pair’s, and lists names that match nothing', () => {
    assert.deepEqual(selectTests(cases, ['reach']).cases.map((c) => c.name), ['reach']);
    assert.equal(selectTests(cases, ['all']).cases.length, 12);
    assert.deepEqual(selectTests(cases, ['all: a:eth2 (10.0.0.21) -> b:eth2', 'nope']), { cases: cases.filter((c) => c.name === 'all: a:eth2 (10.0.0.21) -> b:eth2'), unknown: ['nope'] });
    assert.equal(selectTests(cases, []).cases.length, cases.length);
  });
});
