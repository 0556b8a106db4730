// Addresses across the whole lab: one IP belongs to one interface (the prefix length does not
// make `10.0.0.1/24` and `10.0.0.1/16` different hosts), and an IPv4 subnet's network and
// broadcast addresses are not host addresses.

import { ipKey, parseCidr, reservedIpv4HostPart, type Cidr } from './addresses';
import { lineOf, type DiagnosticSink } from './diagnostics';
import { addressesOf, type HeldAddress } from './resolve';
import type { Lab } from './types';

export function validateAddresses(lab: Lab, sink: DiagnosticSink): void {
  const firstHolder = new Map<string, HeldAddress>();
  for (const held of lab.hosts.flatMap(addressesOf)) {
    const parsed = parseCidr(held.cidr);
    if (!parsed.ok) continue; // reported where it was read
    const reserved = reservedIpv4HostPart(parsed.cidr);
    if (reserved) {
      sink.warning(
        held.range,
        `${held.cidr} is the ${reserved} address of its /${parsed.cidr.prefix} subnet, which a host cannot use; pick a host address such as ${firstHostAddress(parsed.cidr)}`,
      );
    }
    const key = ipKey(parsed.cidr.ip);
    const earlier = firstHolder.get(key);
    if (!earlier) {
      firstHolder.set(key, held);
      continue;
    }
    sink.error(
      held.range,
      `address ${parsed.cidr.address} is already held by ${earlier.holderKind} ${earlier.holder.name} of ${earlier.host.name} (${lineOf(earlier.range)}); each address must be unique in the lab`,
    );
  }
}

function firstHostAddress(cidr: Cidr): string {
  const value = cidr.ip.bytes.reduce((acc, b) => acc * 256 + b, 0);
  const size = 2 ** (32 - cidr.prefix);
  const first = value - (value % size) + 1;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join('.')}/${cidr.prefix}`;
}
