// Where a tunnel's outer packets run on its own host: the device that holds its local underlay
// address, the wire they leave by, and the segment that wire is on. Worked out once, from the
// lab file alone, for the capture, the trace and the topology to read.

import { ipKey, parseCidr, parseIp } from './addresses';
import type { Lab, LabBridge, LabHost } from './types';

export interface TunnelUnderlay {
  holder?: string;
  device?: string;
  segment?: string;
}

/** The addresses compare as IP addresses (so `2001:DB8:0::1` is `2001:db8::1`), prefix lengths ignored. */
function holdsAddress(cidrs: readonly string[], key: string): boolean {
  return cidrs.some((cidr) => {
    const parsed = parseCidr(cidr);
    return parsed.ok && ipKey(parsed.cidr.ip) === key;
  });
}

function isMember(lab: Pick<Lab, 'segments'>, host: string, device: string, underlayOnly: boolean): boolean {
  return lab.segments.some((segment) => (!underlayOnly || segment.underlay) && segment.members.some((member) => member.host === host && member.interface === device));
}

/** A bridge's wire: its physical port on an underlay segment, else on any segment, else its first physical port, else the bridge. */
function bridgeWire(lab: Pick<Lab, 'segments'>, host: LabHost, bridge: LabBridge): string {
  const physical = bridge.ports.filter((port) => port.type === 'system').map((port) => port.name);
  return physical.find((name) => isMember(lab, host.name, name, true)) ?? physical.find((name) => isMember(lab, host.name, name, false)) ?? physical[0] ?? bridge.name;
}

/** The underlay of a tunnel of `host` whose local address is `localAddress` (no prefix). */
export function tunnelUnderlay(lab: Pick<Lab, 'segments'>, host: LabHost, localAddress: string | undefined): TunnelUnderlay {
  const ip = localAddress === undefined ? undefined : parseIp(localAddress);
  if (!ip) return {};
  const key = ipKey(ip);
  const iface = host.interfaces.find((candidate) => holdsAddress(candidate.addresses, key));
  const bridge = iface ? undefined : host.bridges.find((candidate) => holdsAddress(candidate.addresses, key));
  if (!iface && !bridge) return {};
  const holder = (iface ?? bridge)!.name;
  const device = iface ? iface.name : bridgeWire(lab, host, bridge!);
  // The segment may name the wire, the bridge, or any physical port of the bridge.
  const devices = new Set([device, holder, ...(bridge?.ports.filter((port) => port.type === 'system').map((port) => port.name) ?? [])]);
  const carrying = lab.segments.filter((segment) => segment.members.some((member) => member.host === host.name && devices.has(member.interface)));
  const segment = (carrying.find((candidate) => candidate.underlay) ?? carrying[0])?.name;
  return { holder, device, ...(segment !== undefined ? { segment } : {}) };
}
