// Check 8: an interface that is a bridge port but still holds an IP address (`ip addr flush dev
// eth2` forgotten after enslaving it). The bridge takes the frames the port receives, so the
// address stops answering, and the host's route through the port bypasses the bridge: the host
// loses its own traffic in ways that look like a broken overlay. Read from what the host
// really has, so ports the lab does not declare count too.

import { portsOf } from '../../lab/resolve';
import { readHosts, type Check } from '../input';
import type { Finding } from '../types';

export const checkBridgedAddresses: Check = (input) => {
  const findings: Finding[] = [];
  for (const { host, state } of readHosts(input)) {
    const ports = new Map<string, string>(); // port → bridge
    for (const bridge of state.bridges) {
      for (const iface of bridge.ports.flatMap((p) => p.interfaces)) {
        if (iface.type === 'system' && iface.name !== bridge.name) ports.set(iface.name, bridge.name);
      }
    }
    for (const link of state.links) {
      const master = link.master && state.links.find((l) => l.name === link.master);
      if (master && master.kind === 'bridge') ports.set(link.name, master.name);
    }
    for (const [port, bridge] of ports) {
      const link = state.links.find((l) => l.name === port);
      const held = (link?.addresses ?? []).filter((a) => a.scope === 'global' || a.scope === undefined).map((a) => a.cidr);
      if (held.length === 0) continue;
      const declared = portsOf(host).find(({ port: p }) => p.name === port);
      const one = held.length === 1;
      findings.push({
        id: 'bridged-port-address',
        check: 'bridged-addresses',
        severity: 'error',
        host: host.name,
        hosts: [host.name],
        subject: { kind: 'port', name: port, bridge },
        message: `${port} on ${host.name} holds ${held.join(', ')} but is a port of bridge ${bridge}: the bridge takes the frames ${port} receives, so ${one ? 'that address stops' : 'those addresses stop'} answering, and ${host.name}'s route through ${port} bypasses the bridge.`,
        fix: `ip addr flush dev ${port} on ${host.name}; if ${host.name} needs ${one ? 'the address' : 'an address'} on that network, put it on ${bridge} (address: under bridges.${bridge} in the lab file)`,
        range: declared?.port.range,
        values: { addresses: held.join(',') },
      });
    }
  }
  return findings;
};
