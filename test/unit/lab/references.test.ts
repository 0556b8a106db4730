// Names that point at hosts and interfaces: segment members and script targets.

import { strict as assert } from 'node:assert';
import { expectExactly, expectOne, loadClean, yaml } from './helpers';

/** Each segment on its own line (joined at the template's own indentation, which yaml`` then removes). */
const withSegments = (...segments: string[]) => yaml`
  version: 1
  name: t
  hosts:
    ovs-a:
      interfaces: { eth0: {} }
      bridges: { br0: { ports: [eth2, { name: vx0, type: vxlan, remote: 192.0.2.1 }] } }
    vm: { interfaces: { eth0: {} } }
  segments:
    ${segments.join('\n    ')}
`;
// The first segment is on line 9, from column 3.

describe('lab references', () => {
  describe('segment members', () => {
    it('count interfaces, bridges and bridge ports as declared', () => {
      const lab = loadClean(withSegments('s: { members: [ovs-a:eth0, ovs-a:eth2, ovs-a:br0, ovs-a:vx0, vm:eth0] }'));
      assert.equal(lab.segments[0].members.length, 5);
    });

    it('must name a host of the lab', () => {
      expectOne(withSegments('s: { members: [ovs-b:eth0] }'), '9:18', 'error', 'segment s names host ovs-b, which is not a host of the lab (did you mean ovs-a?)');
    });

    it('should name an interface the host declares', () => {
      expectOne(withSegments('s: { members: [vm:eth1] }'), '9:18', 'warning', 'vm declares no interface eth1 (did you mean eth0?); add it under hosts.vm.interfaces so the lab knows it');
    });

    it('are listed once, in one segment', () => {
      expectOne(withSegments('s: { members: [vm:eth0, vm:eth0] }'), '9:27', 'error', 'vm:eth0 is listed twice in segment s (first at line 9); list it once');
      expectExactly(withSegments('s: { members: [vm:eth0] }', 't: { members: [vm:eth0] }'), [
        ['10:18', 'warning', 'vm:eth0 is already a member of segment s (line 9); an interface sits on one L2 network, so merge the two segments or fix the member'],
      ]);
    });
  });

  describe('script hosts', () => {
    const script = (hosts: string) => `version: 1\nname: t\nhosts: { ovs-a: {}, vm: {} }\nscripts:\n  s: { run: "true", hosts: ${hosts} }\n`;
    // The hosts list starts at column 28 of line 5.

    it('default to every host', () => {
      assert.deepEqual(loadClean(`version: 1\nname: t\nhosts: { ovs-a: {}, vm: {} }\nscripts:\n  s: { run: "true" }\n`).scripts[0].hosts, ['ovs-a', 'vm']);
    });

    it('must be hosts of the lab', () => {
      expectOne(script('[vm, ovs-b]'), '5:33', 'error', 'script s names host ovs-b, which is not a host of the lab (did you mean ovs-a?)');
    });

    it('warn when a host is listed twice, or when none is', () => {
      expectOne(script('[vm, vm]'), '5:33', 'warning', 'host vm is listed twice for script s; it runs there once');
      expectOne(script('[]'), '5:28', 'warning', 'hosts of script s is empty, so it runs nowhere; remove hosts to run it on every host');
    });
  });
});
