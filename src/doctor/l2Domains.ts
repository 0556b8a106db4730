// The L2 broadcast domains the lab builds, as the hosts really wire them: each bridge with its
// ports, bridges joined across hosts by tunnels, and interfaces joined by the lab's segments.
// A duplicate MAC address is a fault only inside one such domain: switches then send one
// host's frames to the other. Two hosts on unrelated networks may share a MAC harmlessly.

import type { HostState } from '../hosts/types';
import type { Lab } from '../lab/types';
import { isKernelTunnelKind, isOvsTunnelOrPatch } from '../lab/tunnelKinds';
import { actualTunnel, tunnelPairs } from './tunnelEnds';

export interface L2Domains {
  /** The domain (a representative `host:link`) of `host:link`, or undefined when it is in none. */
  domainOf(host: string, link: string): string | undefined;
  /** Every interface or bridge in some domain. */
  members(): { host: string; link: string }[];
}

export function l2Domains(lab: Lab, states: Record<string, HostState>): L2Domains {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const join = (a: string, b: string) => {
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  // Host names cannot hold a colon (lab format), nor can Linux interface names.
  const node = (host: string, link: string) => `${host}:${link}`;

  for (const [host, state] of Object.entries(states)) {
    for (const bridge of state.bridges) {
      add(node(host, bridge.name));
      for (const iface of bridge.ports.flatMap((p) => p.interfaces)) {
        if (!isOvsTunnelOrPatch(iface.type)) join(node(host, bridge.name), node(host, iface.name));
      }
    }
    for (const link of state.links) {
      if (link.kind === 'bridge') add(node(host, link.name));
      const master = state.links.find((l) => l.name === link.master);
      if (master?.kind === 'bridge' && !isKernelTunnelKind(link.kind)) join(node(host, master.name), node(host, link.name));
    }
  }
  for (const { a, b } of tunnelPairs(lab)) {
    const sa = states[a.host];
    const sb = states[b.host];
    if (!sa || !sb) continue;
    const ba = actualTunnel(sa, a.port)?.bridge;
    const bb = actualTunnel(sb, b.port)?.bridge;
    if (ba && bb) join(node(a.host, ba), node(b.host, bb));
  }
  for (const segment of lab.segments) {
    const [first, ...rest] = segment.members;
    if (!first) continue;
    add(node(first.host, first.interface));
    for (const m of rest) join(node(first.host, first.interface), node(m.host, m.interface));
  }
  return {
    domainOf: (host, link) => (parent.has(node(host, link)) ? find(node(host, link)) : undefined),
    members: () => [...parent.keys()].map((id) => ({ host: id.slice(0, id.indexOf(':')), link: id.slice(id.indexOf(':') + 1) })),
  };
}
