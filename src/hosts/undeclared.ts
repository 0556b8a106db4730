// Bridges a host has that its lab does not declare. Not drift (the lab touches only what it
// declares), but worth showing in the tree, dimmed, so that a user who sees "no drift" still sees
// the bridge someone else made.

import type { LabHost } from '../lab/types';
import type { HostState } from './types';

export interface UndeclaredBridge {
  name: string;
  kind: 'ovs' | 'linux';
}

export function undeclaredBridges(host: LabHost, state: HostState): UndeclaredBridge[] {
  const declared = new Set(host.bridges.map((b) => b.name));
  return [
    ...state.bridges.filter((b) => !declared.has(b.name)).map((b) => ({ name: b.name, kind: 'ovs' as const })),
    ...state.links.filter((l) => l.kind === 'bridge' && !declared.has(l.name)).map((l) => ({ name: l.name, kind: 'linux' as const })),
  ];
}
