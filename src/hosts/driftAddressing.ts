// Drift of what the kernel holds for a host: each declared interface, each declared address (on
// its interface, or on its bridge: an OVS bridge's address lives on the bridge's internal
// interface of the same name), MTUs, and addresses left on interfaces the lab bridges (a bridge
// port carries no address; the bridge does). Only run when the links could be read.

import { portsOf } from '../lab/resolve';
import type { LabBridge, LabHost, LabInterface, SourceRange } from '../lab/types';
import { different, missing, unexpected } from './driftItems';
import { cidrParts } from './sameAddress';
import type { DriftItem, DriftSubject, HostState, LinkState } from './types';

export function addressingDrift(host: LabHost, state: HostState): DriftItem[] {
  const items: DriftItem[] = [];
  for (const iface of host.interfaces) {
    const link = state.links.find((l) => l.name === iface.name);
    if (!link) items.push(missing({ host: host.name, kind: 'interface', name: iface.name }, `interface ${iface.name} is missing`, iface.range));
    items.push(...holderDrift(host, iface, link, state.links));
  }
  for (const bridge of host.bridges) {
    items.push(...holderDrift(host, bridge, state.links.find((l) => l.name === bridge.name), state.links));
  }
  items.push(...bridgedPortAddresses(host, state.links));
  return items;
}

/** Addresses and MTU of an interface or a bridge. */
function holderDrift(host: LabHost, holder: LabInterface | LabBridge, link: LinkState | undefined, links: LinkState[]): DriftItem[] {
  const items: DriftItem[] = [];
  const isBridge = 'ports' in holder;
  if (link && holder.mtu !== undefined && link.mtu !== holder.mtu) {
    items.push(
      different({ host: host.name, kind: isBridge ? 'bridge' : 'interface', name: holder.name }, `${holder.name} has MTU ${link.mtu}; the lab says ${holder.mtu}`, holder.fieldRanges?.mtu ?? holder.range, {
        expected: String(holder.mtu),
        actual: String(link.mtu),
      }),
    );
  }
  holder.addresses.forEach((cidr, i) => {
    const range = holder.addressRanges?.[i] ?? holder.range;
    const item = addressDrift({ host: host.name, kind: 'address', name: holder.name }, cidr, link, links, range);
    if (item) items.push(item);
  });
  return items;
}

function addressDrift(subject: DriftSubject, cidr: string, link: LinkState | undefined, links: LinkState[], range: SourceRange): DriftItem | undefined {
  const wanted = cidrParts(cidr);
  const held = (l: LinkState) => l.addresses.find((a) => cidrParts(a.cidr).key === wanted.key);
  const here = link && held(link);
  if (here) {
    if (cidrParts(here.cidr).prefix === wanted.prefix) return undefined;
    return different(subject, `${subject.name} holds ${here.cidr}; the lab says ${cidr}`, range, { expected: cidr, actual: here.cidr });
  }
  // Held elsewhere on the host: say where, which tells more than "missing".
  const elsewhere = links.find((l) => l !== link && held(l));
  if (elsewhere) {
    return different(subject, `address ${cidr} is on ${elsewhere.name}; the lab says ${subject.name}`, range, { expected: subject.name, actual: elsewhere.name });
  }
  return missing(subject, `address ${cidr} is missing on ${subject.name}`, range);
}

/** Global addresses on interfaces the lab makes bridge ports. Link-local ones come with the device. */
function bridgedPortAddresses(host: LabHost, links: LinkState[]): DriftItem[] {
  const items: DriftItem[] = [];
  for (const { bridge, port } of portsOf(host)) {
    if (port.type !== 'system') continue;
    const link = links.find((l) => l.name === port.name);
    for (const address of link?.addresses ?? []) {
      if (address.scope === 'link' || address.scope === 'host') continue;
      items.push(
        unexpected(
          { host: host.name, kind: 'address', name: port.name, bridge: bridge.name },
          `${port.name} holds ${address.cidr} but is a port of bridge ${bridge.name}, so it should hold no address`,
          port.range,
        ),
      );
    }
  }
  return items;
}
