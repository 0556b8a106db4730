// The MTUs a tunnel lives between, read from a host's state: the largest frame its overlay
// bridge may hand it, and the device its encapsulated packets leave by.

import type { HostState, LinkState } from '../hosts/types';
import { isKernelTunnelKind, isOvsTunnelOrPatch } from '../lab/tunnelKinds';
import { linkHolding } from './tunnelEnds';

export interface MtuHolder {
  name: string;
  mtu: number;
}

function linkMtu(state: HostState, name: string): number | undefined {
  return state.links.find((l) => l.name === name)?.mtu;
}

/**
 * The overlay MTU of a bridge: the largest MTU among the bridge's own interface and its ports
 * that are not tunnels. A frame that size may enter the bridge, so the tunnel must carry it.
 */
export function overlayMtu(state: HostState, bridgeName: string): { mtu: number; holders: MtuHolder[] } | undefined {
  const holders: MtuHolder[] = [];
  const ovs = state.bridges.find((b) => b.name === bridgeName);
  if (ovs) {
    for (const port of ovs.ports) {
      for (const iface of port.interfaces) {
        if (isOvsTunnelOrPatch(iface.type)) continue;
        const mtu = linkMtu(state, iface.name) ?? iface.mtu;
        if (mtu !== undefined && mtu > 0) holders.push({ name: iface.name, mtu });
      }
    }
  } else {
    const bridge = state.links.find((l) => l.name === bridgeName);
    if (!bridge) return undefined;
    holders.push({ name: bridge.name, mtu: bridge.mtu });
    for (const link of state.links) {
      if (link.master === bridgeName && !isKernelTunnelKind(link.kind)) holders.push({ name: link.name, mtu: link.mtu });
    }
  }
  if (holders.length === 0) return undefined;
  return { mtu: Math.max(...holders.map((h) => h.mtu)), holders };
}

export interface Egress {
  /** The device whose MTU limits the encapsulated packets. */
  device: string;
  mtu: number;
  /** The device that holds the local underlay address, when that is another one (an OVS bridge). */
  holder: string;
  holderMtu: number;
  /**
   * True when the host's own packets (ping) go through `holder` but the tunnel's do not: OVS's
   * userspace datapath builds tunnel packets itself and sends them straight out of the bridge's
   * physical port, so the MTU of the bridge's own (tap) interface does not limit them.
   */
  holderBypassed: boolean;
}

/**
 * The device the tunnel's packets leave by, from the local underlay address: the interface that
 * holds it, or, when an OVS bridge holds it, the bridge's physical ports (the smallest MTU wins).
 */
export function tunnelEgress(state: HostState, localAddress: string | undefined): Egress | undefined {
  if (localAddress === undefined) return undefined;
  const holder = linkHolding(state, localAddress);
  if (!holder) return undefined;
  const bridge = state.bridges.find((b) => b.name === holder.name);
  if (!bridge) return { device: holder.name, mtu: holder.mtu, holder: holder.name, holderMtu: holder.mtu, holderBypassed: false };
  const physical: LinkState[] = bridge.ports
    .flatMap((p) => p.interfaces)
    .filter((i) => i.type === 'system' && i.name !== bridge.name)
    .map((i) => state.links.find((l) => l.name === i.name))
    .filter((l): l is LinkState => l !== undefined);
  const narrowest = physical.reduce<LinkState | undefined>((min, l) => (min === undefined || l.mtu < min.mtu ? l : min), undefined);
  const userspace = bridge.datapathType === 'netdev';
  if (!narrowest) return { device: holder.name, mtu: holder.mtu, holder: holder.name, holderMtu: holder.mtu, holderBypassed: false };
  if (!userspace && holder.mtu < narrowest.mtu) return { device: holder.name, mtu: holder.mtu, holder: holder.name, holderMtu: holder.mtu, holderBypassed: false };
  return { device: narrowest.name, mtu: narrowest.mtu, holder: holder.name, holderMtu: holder.mtu, holderBypassed: userspace };
}
