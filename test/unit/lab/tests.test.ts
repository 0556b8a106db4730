// `tests:` in the lab file: read with positions, each value checked on its own, then against
// the lab (hosts, interfaces, addresses).

import { strict as assert } from 'node:assert';
import { expectExactly, expectOne, loadClean, yaml } from './helpers';

/** Two sites' hosts; the tests start on line 14 at column 3. */
const withTests = (...tests: string[]) => yaml`
  version: 1
  name: t
  hosts:
    gw:
      interfaces: { eth0: { address: 192.0.2.1/24, underlay: true } }
      bridges: { br0: { address: 10.0.0.1/24, ports: [eth2] } }
    a:
      interfaces: { eth2: { address: 10.0.0.11/24 } }
    b:
      interfaces: { eth2: { address: 10.0.0.12/24 }, eth3: {} }
    v6:
      interfaces: { eth2: { address: 2001:db8::1/64 } }
  tests:
    ${tests.join('\n    ')}
`;

describe('lab tests (the tests: section)', () => {
  it('reads each test with its defaults and where it was written', () => {
    const lab = loadClean(withTests('reach: { from: a, to: b }', 'big: { from: a:eth2, to: 10.0.0.12, size: 1422, count: 3, group: mtu }', 'apart: { from: a, to: 192.0.2.1, expect: isolated }', 'all: { mesh: true }'));
    assert.deepEqual(
      lab.tests?.map(({ name, from, to, expect, size, count, mesh, group }) => ({ name, from, to, expect, size, count, mesh, group })),
      [
        { name: 'reach', from: 'a', to: 'b', expect: 'reach', size: undefined, count: 1, mesh: false, group: undefined },
        { name: 'big', from: 'a:eth2', to: '10.0.0.12', expect: 'reach', size: 1422, count: 3, mesh: false, group: 'mtu' },
        { name: 'apart', from: 'a', to: '192.0.2.1', expect: 'isolated', size: undefined, count: 1, mesh: false, group: undefined },
        { name: 'all', from: undefined, to: undefined, expect: 'reach', size: undefined, count: 1, mesh: true, group: undefined },
      ],
    );
    assert.deepEqual([lab.tests?.[1].range.line, lab.tests?.[1].range.col], [15, 3]);
    assert.equal(lab.tests?.[1].fieldRanges?.size?.line, 15);
  });

  it('reports unknown keys, bad values and names at the value', () => {
    expectOne(withTests('reach: { from: a, to: b, exepct: isolated }'), '14:28', 'error', 'unknown key "exepct" in test reach; did you mean "expect"?');
    expectOne(withTests('reach: { from: a, to: b, expect: blocked }'), '14:36', 'error', 'expect must be one of reach, isolated, not "blocked"');
    expectOne(withTests('reach: { from: a, to: b, size: 70000 }'), '14:34', 'error', 'size must be a whole number from 0 to 65507, not 70000');
    expectOne(withTests('reach: { from: a, to: b, count: 0 }'), '14:35', 'error', 'count must be a whole number from 1 to 100, not 0');
    expectOne(withTests('Reach: { from: a, to: b }'), '14:3', 'error', 'test name "Reach" is not allowed');
    expectOne(withTests('reach: { from: "a;rm", to: b }'), '14:18', 'error', 'from "a;rm" must be a host or host:interface');
    expectOne(withTests('reach: { from: a, to: 10.0.0.12/24 }'), '14:25', 'error', 'has a prefix length; write the address alone: 10.0.0.12');
  });

  it('wants from and to, or mesh alone', () => {
    expectOne(withTests('reach: { from: a }'), '14:3', 'error', 'test reach has no to;');
    expectOne(withTests('all: { mesh: true, from: a }'), '14:22', 'error', 'test all is a mesh (every pair of overlay addresses); it takes no from');
  });

  it('checks the hosts, devices and addresses a test names against the lab', () => {
    expectOne(withTests('reach: { from: c, to: b }'), '14:18', 'error', 'test reach: from "c": c is not a host of the lab');
    expectOne(withTests('reach: { from: a:eth9, to: b }'), '14:18', 'error', 'a declares no interface or bridge eth9');
    expectOne(withTests('reach: { from: a, to: b:eth3 }'), '14:25', 'error', 'b:eth3 holds no address in the lab file');
    expectOne(withTests('reach: { from: a, to: v6 }'), '14:25', 'error', 'holds 10.0.0.11, which cannot ping 2001:db8::1 (another IP family)');
    expectOne(withTests('reach: { from: a, to: 10.0.0.99 }'), '14:25', 'warning', 'no host of the lab holds 10.0.0.99, so a failure can be traced no further than a');
    // Traffic that must not pass may go anywhere.
    loadClean(withTests('apart: { from: a, to: 198.51.100.7, expect: isolated }'));
  });

  it('takes a host alone as its overlay interface, never its underlay', () => {
    const lab = loadClean(withTests('reach: { from: gw, to: a }'));
    assert.equal(lab.tests?.[0].from, 'gw');
    expectExactly(
      yaml`
        version: 1
        name: t
        hosts:
          u: { interfaces: { eth0: { address: 192.0.2.1/24, underlay: true } } }
          a: { interfaces: { eth2: { address: 10.0.0.11/24 } } }
        tests:
          reach: { from: u, to: a }
      `,
      [['7:18', 'error', 'u holds no overlay address (one not marked underlay); name its interface as u:IFACE']],
    );
  });
});
