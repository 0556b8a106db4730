// Where a capture on a declared device of the lab runs. A kernel device (a Linux bridge's VXLAN
// device included) is captured on itself. An OVS tunnel port is no device: its traffic is seen
// on the underlay, as the outer packets to and from the far end, so the capture runs on the
// tunnel's underlay device with a filter for them. A patch port is no device at all.

import { parseIp } from '../lab/addresses';
import { isTunnelType } from '../lab/resolve';
import { TUNNEL_KINDS } from '../lab/tunnelKinds';
import type { Lab, LabBridge, LabPort, ResolvedTunnel } from '../lab/types';

export interface CaptureSpot {
  host: string;
  iface: string;
  /** A tcpdump filter to start with. */
  filter?: string;
}

/** The tcpdump filter for a tunnel's outer packets: its UDP port (or GRE) to and from the far end's underlay address. */
export function outerPacketFilter(tunnel: Pick<ResolvedTunnel, 'type' | 'dstport' | 'remoteAddress'>): string {
  const kind = TUNNEL_KINDS[tunnel.type];
  if (kind.udp) return `udp port ${tunnel.dstport} and host ${tunnel.remoteAddress}`;
  return `${parseIp(tunnel.remoteAddress)?.family === 6 ? 'ip6' : 'ip'} proto 47 and host ${tunnel.remoteAddress}`;
}

/** Where a capture on port `port` of `bridge` runs; undefined when nothing can capture it. */
export function portCaptureSpot(host: string, bridge: LabBridge, port: LabPort, tunnel: ResolvedTunnel | undefined): CaptureSpot | undefined {
  if (port.type === 'patch') return undefined;
  if (!isTunnelType(port.type) || bridge.kind === 'linux') return { host, iface: port.name };
  if (!tunnel?.underlayDevice) return undefined;
  return { host, iface: tunnel.underlayDevice, filter: outerPacketFilter(tunnel) };
}

/**
 * Where a capture on device `name` of host `host` runs, whoever asks (the topology, the tree's
 * Capture command): a declared port's place, else the device itself. Undefined for a patch port.
 */
export function deviceCaptureSpot(lab: Lab, host: string, name: string): CaptureSpot | undefined {
  const labHost = lab.hosts.find((candidate) => candidate.name === host);
  for (const bridge of labHost?.bridges ?? []) {
    const port = bridge.ports.find((candidate) => candidate.name === name);
    if (port) return portCaptureSpot(host, bridge, port, lab.tunnels.find((tunnel) => tunnel.host === host && tunnel.bridge === bridge.name && tunnel.port === name));
  }
  return { host, iface: name };
}
