// A two-host lab of Linux bridges joined by kernel VXLAN devices, with the states of both hosts:
// test-a's is the recording `linux-bridge-test-a`; test-b's is its mirror image (what the
// recording lab gave test-b, rebuilt here because only test-a was recorded).

import type { HostState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { copy, link, loadCleanLab, recordedState } from './support';

const host = (me: string, other: string, n: number) => `  ${me}:
    interfaces:
      eth2: { address: 10.213.50.${n}/24, underlay: true }
    bridges:
      br1:
        kind: linux
        address: 10.213.60.${n}/24
        ports:
          - { name: vxk0, type: vxlan, remote: ${other}, vni: 42 }
`;

export function kernelLab(): Lab {
  return loadCleanLab(`version: 1\nname: kernel\nhosts:\n${host('test-a', 'test-b', 11)}${host('test-b', 'test-a', 12)}`);
}

export function kernelStates(): Record<string, HostState> {
  const a = recordedState('linux-bridge-test-a');
  const b = copy(a);
  b.host = 'test-b';
  link(b, 'eth2').addresses = [{ cidr: '10.213.50.12/24', family: 'inet', scope: 'global' }];
  link(b, 'eth2').mac = '02:00:00:00:0b:02';
  link(b, 'br1').addresses = [{ cidr: '10.213.60.12/24', family: 'inet', scope: 'global' }];
  link(b, 'br1').mac = '02:00:00:00:0b:01';
  link(b, 'vxk0').mac = '02:00:00:00:0b:03';
  link(b, 'vxk0').tunnel = { id: 42, remote: '10.213.50.11', local: '10.213.50.12', dstport: 4789, dev: 'eth2' };
  link(b, 'mgmt0').mac = '02:00:00:00:0b:04';
  link(b, 'mgmt0').addresses = [{ cidr: '10.213.2.2/30', family: 'inet', scope: 'global' }];
  return { 'test-a': a, 'test-b': b };
}
