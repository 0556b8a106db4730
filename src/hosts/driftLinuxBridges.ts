// Drift of the Linux bridges a host declares, from the kernel's view (`ip -j -d link`): the
// bridge device, each port enslaved to it, and each kernel tunnel device's VNI, remote, local
// address and UDP port. Only run when the links could be read (HostState.linksKnown).

import type { Lab, LabBridge, LabHost, LabPort, ResolvedTunnel } from '../lab/types';
import { isTunnelType } from '../lab/resolve';
import { different, missing } from './driftItems';
import { sameIp } from './sameAddress';
import type { DriftItem, DriftSubject, HostState, LinkState } from './types';

/** The `ip link` kind that carries each tunnel type on a Linux bridge (an L2 tunnel: GRE is gretap). */
const KERNEL_KIND = { vxlan: 'vxlan', geneve: 'geneve', gre: 'gretap' } as const;

export function linuxBridgeDrift(lab: Lab, host: LabHost, state: HostState): DriftItem[] {
  const items: DriftItem[] = [];
  for (const bridge of host.bridges) {
    if (bridge.kind !== 'linux') continue;
    const subject: DriftSubject = { host: host.name, kind: 'bridge', name: bridge.name };
    const device = state.links.find((l) => l.name === bridge.name);
    if (!device) {
      const ovsBridge = state.bridges.find((b) => b.name === bridge.name);
      items.push(
        ovsBridge
          ? different(subject, `${bridge.name} is an Open vSwitch bridge; the lab says linux`, bridge.fieldRanges?.kind ?? bridge.range, { expected: 'linux', actual: 'ovs' })
          : missing(subject, `bridge ${bridge.name} is missing`, bridge.range),
      );
    } else if (device.kind !== 'bridge') {
      items.push(different(subject, `${bridge.name} is ${kindPhrase(device)}, not a Linux bridge`, bridge.range, { expected: 'bridge', actual: device.kind ?? 'device' }));
    }
    for (const port of bridge.ports) items.push(...portDrift(lab, host, bridge, port, state.links));
  }
  return items;
}

function kindPhrase(link: LinkState): string {
  if (!link.kind) return 'a plain device';
  return `a${/^[aeiou]/.test(link.kind) ? 'n' : ''} ${link.kind} device`;
}

function portDrift(lab: Lab, host: LabHost, bridge: LabBridge, port: LabPort, links: LinkState[]): DriftItem[] {
  const subject: DriftSubject = { host: host.name, kind: 'port', name: port.name, bridge: bridge.name };
  const device = links.find((l) => l.name === port.name);
  if (!device) return [missing(subject, `port ${port.name} is missing from bridge ${bridge.name}`, port.range)];
  const items: DriftItem[] = [];
  if (device.master !== bridge.name) {
    items.push(
      device.master
        ? different(subject, `${port.name} is a port of ${device.master}; the lab says ${bridge.name}`, port.range, { expected: bridge.name, actual: device.master })
        : different(subject, `${port.name} is not a port of bridge ${bridge.name}`, port.range, { expected: bridge.name, actual: 'none' }),
    );
  }
  if (isTunnelType(port.type)) {
    const wanted = KERNEL_KIND[port.type];
    if (device.kind !== wanted) {
      items.push(different(subject, `${port.name} is ${kindPhrase(device)}; the lab says ${port.type}`, port.fieldRanges?.type ?? port.range, { expected: wanted, actual: device.kind ?? 'device' }));
      return items;
    }
    const tunnel = lab.tunnels.find((t) => t.host === host.name && t.bridge === bridge.name && t.port === port.name);
    if (tunnel) items.push(...kernelTunnelDrift(subject, port, tunnel, device));
  }
  return items;
}

/** Compared with what apply gives the device: the resolved VNI, remote, local address and port. */
function kernelTunnelDrift(subject: DriftSubject, port: LabPort, tunnel: ResolvedTunnel, device: LinkState): DriftItem[] {
  const items: DriftItem[] = [];
  const actual = device.tunnel ?? {};
  const name = tunnel.type === 'gre' ? 'key' : 'VNI';
  const differs = (what: string, has: string | number | undefined, says: string | number, range = port.range) =>
    different(subject, `${port.name} has ${has === undefined ? `no ${what}` : `${what} ${has}`}; the lab says ${says}`, range, { expected: String(says), actual: has === undefined ? 'none' : String(has) });

  if ((actual.id ?? 0) !== tunnel.vni) items.push(differs(name, actual.id, tunnel.vni, port.fieldRanges?.vni));
  if (!sameIp(actual.remote, tunnel.remoteAddress)) items.push(differs('remote', actual.remote, tunnel.remoteAddress, port.fieldRanges?.remote));
  if (tunnel.localAddress !== undefined && !sameIp(actual.local, tunnel.localAddress)) {
    items.push(differs('local', actual.local, tunnel.localAddress, port.fieldRanges?.local));
  }
  if (tunnel.type !== 'gre' && actual.dstport !== tunnel.dstport) items.push(differs('dstport', actual.dstport, tunnel.dstport, port.fieldRanges?.dstport));
  return items;
}
