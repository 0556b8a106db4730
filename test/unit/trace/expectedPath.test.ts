import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import { expectedPath } from '../../../src/trace/expectedPath';

function example(name: string): Lab {
  const file = join(__dirname, '..', '..', '..', 'examples', name);
  const lab = loadLabText(readFileSync(file, 'utf8'), file).lab;
  assert.ok(lab);
  return lab;
}

const describePoints = (path: ReturnType<typeof expectedPath>) => path.points.map((p) => `${p.host}:${p.interface}${p.encapsulated ? ' (encapsulated)' : ''}`);
const describeLinks = (path: ReturnType<typeof expectedPath>) => path.links.map((l) => `${l.kind} ${l.name}`);

describe('the expected path of a trace', () => {
  it('crosses the two data centres as cli.md shows: provider network, tunnel, WAN, tunnel, provider network', () => {
    const path = expectedPath(example('dfw-ord.lab.yaml'), { host: 'test-dfw', interface: 'eth2' }, '192.168.1.12');
    assert.deepEqual(path.problems, []);
    assert.deepEqual(path.from, { host: 'test-dfw', interface: 'eth2', address: '192.168.1.11' });
    assert.equal(path.toHost, 'test-ord');
    assert.deepEqual(describePoints(path), ['test-dfw:eth2', 'ovs-dfw:eth2', 'ovs-dfw:eth0 (encapsulated)', 'ovs-ord:eth0 (encapsulated)', 'ovs-ord:eth2', 'test-ord:eth2']);
    assert.deepEqual(describeLinks(path), ['segment cn-dfw', 'encapsulation vx0', 'segment wan', 'decapsulation vx0', 'segment cn-ord']);
    assert.deepEqual(path.points[2].tunnel, { type: 'vxlan', dstport: 4789, vni: 0 });
  });

  it('watches br-phy’s physical port, where the userspace tunnel leaves the host', () => {
    const path = expectedPath(example('demo.lab.yaml'), { host: 'test-a' }, '10.213.50.12');
    assert.deepEqual(describePoints(path), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0 (encapsulated)', 'ovs-b:eth0 (encapsulated)', 'ovs-b:eth2', 'test-b:eth2']);
  });

  it('ends on a bridge that holds the destination address', () => {
    const path = expectedPath(example('demo.lab.yaml'), { host: 'test-a', interface: 'eth2' }, '10.213.50.2');
    assert.deepEqual(describePoints(path), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0 (encapsulated)', 'ovs-b:eth0 (encapsulated)', 'ovs-b:br0']);
    assert.deepEqual(describeLinks(path), ['segment cn-a', 'encapsulation vx0', 'segment wan', 'decapsulation vx0']);
  });

  it('stays on one site without a tunnel, through the provider network', () => {
    const path = expectedPath(example('demo.lab.yaml'), { host: 'test-a' }, '10.213.50.1');
    assert.deepEqual(describePoints(path), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:br0']);
    assert.deepEqual(describeLinks(path), ['segment cn-a', 'bridge br0']);
  });

  it('works for Linux bridges with the underlay address on eth0 itself', () => {
    const path = expectedPath(example('demo-linux.lab.yaml'), { host: 'test-b' }, '10.213.50.11');
    assert.deepEqual(describePoints(path), ['test-b:eth2', 'ovs-b:eth2', 'ovs-b:eth0 (encapsulated)', 'ovs-a:eth0 (encapsulated)', 'ovs-a:eth2', 'test-a:eth2']);
    assert.deepEqual(path.points[2].tunnel, { type: 'vxlan', dstport: 4789, vni: 42 });
  });

  it('says why when the destination is outside the lab or the source has no address', () => {
    const outside = expectedPath(example('demo.lab.yaml'), { host: 'test-a' }, '10.213.99.9');
    assert.match(outside.problems[0], /10\.213\.99\.9 is not an address of any host in the lab/);
    assert.deepEqual(describePoints(outside), ['test-a:eth2']);
    const noAddress = expectedPath(example('demo.lab.yaml'), { host: 'ovs-a', interface: 'eth2' }, '10.213.50.12');
    assert.equal(noAddress.from.address, undefined);
  });
});
