// What Copy Address offers: an address as people paste it (into ping, ssh) first, then as CIDR.

/** `10.0.0.1/24` → `10.0.0.1`. */
export function bareAddress(cidr: string): string {
  return cidr.split('/')[0];
}

/** One address: copied bare, no question. Several: each bare, then with its prefix length. */
export function addressChoices(addresses: readonly string[]): string[] {
  return [...new Set(addresses.flatMap((cidr) => (cidr.includes('/') ? [bareAddress(cidr), cidr] : [cidr])))];
}
