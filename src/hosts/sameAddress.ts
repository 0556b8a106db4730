// Comparing addresses the way the kernel does: `2001:db8::1` and `2001:DB8:0::1` are one address,
// so text comparison would report drift that is not there.

import { ipKey, parseCidr, parseIp } from '../lab/addresses';

/** A comparable key of an address without prefix, or the text itself when it does not parse. */
export function addressKey(ip: string): string {
  const parsed = parseIp(ip);
  return parsed ? ipKey(parsed) : ip;
}

/** Key of a CIDR's address part, and its prefix length. */
export function cidrParts(cidr: string): { key: string; prefix?: number } {
  const parsed = parseCidr(cidr);
  if (parsed.ok) return { key: ipKey(parsed.cidr.ip), prefix: parsed.cidr.prefix };
  const slash = cidr.indexOf('/');
  return { key: addressKey(slash < 0 ? cidr : cidr.slice(0, slash)) };
}

export function sameIp(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return addressKey(a) === addressKey(b);
}
