// Every way a host spells what the lab file says, brought to one form so that the comparison
// compares meanings, not text: OVS leaves options at their defaults unset and stores a system
// port's type as '' (the probe gives `system`), the kernel names an L2 GRE tunnel `gretap`, and
// one address has many spellings (`2001:DB8:0::12` is `2001:db8::12`). Nothing else in the
// product normalises these; the comparison calls here, and so drift and plan agree.

import { addressKey, cidrParts } from '../hosts/sameAddress';
import { kindOfOvsType, TUNNEL_KINDS } from '../lab/tunnelKinds';
import type { TunnelType } from '../lab/types';

/** OVS stores a key of 0 and the protocol's default port as absent options. */
function optionDefault(type: string, key: string): string | undefined {
  const kind = kindOfOvsType(type);
  if (!kind) return undefined;
  if (key === 'key') return '0';
  if (key === 'dst_port' && kind.udp) return String(kind.defaultDstport);
  return undefined;
}

/** Options whose values are addresses, compared by meaning. */
const ADDRESS_OPTIONS = new Set(['remote_ip', 'local_ip']);

/** An Interface option as OVS means it: the stored value, else the type's default; undefined when neither. */
export function ovsOption(type: string, options: Readonly<Record<string, string>>, key: string): string | undefined {
  return options[key] ?? optionDefault(type, key);
}

/** Whether two values of one OVS option mean the same. */
export function sameOption(key: string, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return ADDRESS_OPTIONS.has(key) ? addressKey(a) === addressKey(b) : a === b;
}

/** An OVS Interface type as the lab writes it: the database's '' and the probe's `system` are both `system`. */
export function ovsType(type: string | undefined): string {
  return !type ? 'system' : type;
}

/** The `ip -d link` kind that carries a tunnel type on a Linux bridge to `remote` (an L2 tunnel: GRE is gretap, over IPv6 ip6gretap). */
export function kernelTunnelKind(type: TunnelType, remote: string): string {
  return TUNNEL_KINDS[type].kernelKind[remote.includes(':') ? 6 : 4];
}

/** The same IP address, however it is spelled; undefined only equals undefined. */
export function sameIp(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return addressKey(a) === addressKey(b);
}

/** The address part of a CIDR, comparable across spellings, and its prefix length. */
export function addressOf(cidr: string): { key: string; prefix?: number } {
  return cidrParts(cidr);
}

/** The same address with the same prefix length, however it is spelled. */
export function sameCidr(a: string, b: string): boolean {
  const left = cidrParts(a);
  const right = cidrParts(b);
  return left.key === right.key && left.prefix === right.prefix;
}

/** Addresses that come with a device (IPv6 link-local) or the host (loopback): never the lab's to manage. */
export function isAutomaticScope(scope: string | undefined): boolean {
  return scope === 'link' || scope === 'host';
}

/** A kernel tunnel's id (VNI or GRE key) as the lab means it: no key is key 0. */
export function kernelTunnelId(id: number | undefined): number {
  return id ?? 0;
}

/** A VLAN tag for words and comparison: none is `none`. */
export function tagText(tag: number | undefined): string {
  return tag === undefined ? 'none' : String(tag);
}
