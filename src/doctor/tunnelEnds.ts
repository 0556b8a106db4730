// A tunnel as it really is on a host (an OVS tunnel port, or a kernel VXLAN/Geneve/GRE device),
// and the two ends of each tunnel of the lab as the resolved model pairs them. The validator
// already checks that the file is symmetric; the doctor compares what the hosts hold.

import { findTunnel } from '../lab/tunnelPairing';
import { kindOfKernelKind, kindOfOvsType } from '../lab/tunnelKinds';
import type { Lab, ResolvedTunnel } from '../lab/types';
import type { HostState, LinkState, OvsInterface } from '../hosts/types';
import { addressKey } from '../hosts/sameAddress';

export interface ActualTunnel {
  where: 'ovs' | 'kernel';
  /** `vxlan`, `geneve` or `gre` (a kernel `gretap` is `gre`). */
  type: string;
  remoteIp?: string;
  localIp?: string;
  /** The VNI or GRE key as text: a number (`0` when none is set), or `flow` (OVS takes it from the flow). */
  key: string;
  /** The UDP port it sends to and listens on; undefined for GRE, or when a kernel device does not say. */
  dstPort?: number;
  /** The OVS bridge holding the port, or the Linux bridge the device is enslaved to. */
  bridge?: string;
  ovsInterface?: OvsInterface;
  link?: LinkState;
}

/** The tunnel named `port` on a host: an OVS tunnel interface first, else a kernel tunnel device. */
export function actualTunnel(state: HostState, port: string): ActualTunnel | undefined {
  for (const bridge of state.bridges) {
    for (const p of bridge.ports) {
      const iface = p.interfaces.find((i) => i.name === port);
      if (!iface) continue;
      const kind = kindOfOvsType(iface.type);
      if (!kind) return undefined;
      const type = kind.type;
      const dst = iface.options.dst_port;
      return {
        where: 'ovs',
        type,
        remoteIp: iface.options.remote_ip,
        localIp: iface.options.local_ip,
        key: iface.options.key ?? '0',
        dstPort: !kind.udp ? undefined : dst !== undefined && /^\d+$/.test(dst) ? Number(dst) : kind.defaultDstport,
        bridge: bridge.name,
        ovsInterface: iface,
      };
    }
  }
  const link = state.links.find((l) => l.name === port);
  const type = kindOfKernelKind(link?.kind)?.type;
  if (!link || !type) return undefined;
  return {
    where: 'kernel',
    type,
    remoteIp: link.tunnel?.remote,
    localIp: link.tunnel?.local,
    key: String(link.tunnel?.id ?? 0),
    dstPort: type === 'gre' ? undefined : link.tunnel?.dstport,
    bridge: link.master,
    link,
  };
}

/** The tunnel on the far host that leads back: the peer the resolved model gives it. */
export function peerTunnel(lab: Lab, tunnel: ResolvedTunnel): ResolvedTunnel | undefined {
  return tunnel.peer && findTunnel(lab, tunnel.peer);
}

export interface TunnelPair {
  a: ResolvedTunnel;
  b: ResolvedTunnel;
}

/** Every tunnel between two hosts of the lab, once, its first end in file order. */
export function tunnelPairs(lab: Lab): TunnelPair[] {
  const seen = new Set<ResolvedTunnel>();
  const pairs: TunnelPair[] = [];
  for (const a of lab.tunnels) {
    if (seen.has(a)) continue;
    const b = peerTunnel(lab, a);
    if (!b || seen.has(b)) continue;
    seen.add(a);
    seen.add(b);
    pairs.push({ a, b });
  }
  return pairs;
}

/** Where a host holds IP address `ip` (no prefix), if anywhere. */
export function linkHolding(state: HostState, ip: string): LinkState | undefined {
  const key = addressKey(ip);
  return state.links.find((l) => l.addresses.some((a) => addressKey(a.cidr.split('/')[0]) === key));
}
