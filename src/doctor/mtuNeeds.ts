// What one tunnel end needs of the underlay: the largest frame its overlay bridge may hand it,
// plus the encapsulation, is the IP packet size the path to the far end must carry. Shared by
// the path MTU check and the measurement that searches for the path MTU.

import { parseIp, type IpFamily } from '../lab/addresses';
import type { ResolvedTunnel } from '../lab/types';
import type { HostState } from '../hosts/types';
import { encapsulationOverhead, type Overhead } from './encapsulation';
import { overlayMtu, tunnelEgress, type Egress, type MtuHolder } from './mtu';
import { actualTunnel, type ActualTunnel } from './tunnelEnds';

export interface TunnelMtuNeeds {
  tunnel: ResolvedTunnel;
  actual: ActualTunnel;
  family: IpFamily;
  /** The bridge's largest MTU and who has it. */
  overlay: { mtu: number; holders: MtuHolder[] };
  /** The largest inner IP MTU the tunnel is handed: the overlay MTU, or a kernel tunnel device's own MTU when smaller. */
  inner: number;
  overhead: Overhead;
  /** The IP packet size the underlay must carry: `inner + overhead`. */
  required: number;
  /** The local source address of the encapsulated packets. */
  local?: string;
  egress?: Egress;
}

export function tunnelMtuNeeds(state: HostState, tunnel: ResolvedTunnel): TunnelMtuNeeds | undefined {
  const actual = actualTunnel(state, tunnel.port);
  if (!actual) return undefined;
  const remote = actual.remoteIp !== undefined && actual.remoteIp !== 'flow' ? actual.remoteIp : tunnel.remoteAddress;
  const family = parseIp(remote)?.family;
  if (family === undefined) return undefined;
  const overlay = overlayMtu(state, actual.bridge ?? tunnel.bridge);
  if (!overlay) return undefined;
  const inner = actual.where === 'kernel' && actual.link ? Math.min(overlay.mtu, actual.link.mtu) : overlay.mtu;
  const overhead = encapsulationOverhead(actual.type, family, actual.key === 'flow' ? '1' : actual.key);
  const local = actual.localIp ?? tunnel.localAddress;
  return { tunnel, actual, family, overlay, inner, overhead, required: inner + overhead.bytes, local, egress: tunnelEgress(state, local) };
}
