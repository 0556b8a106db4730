// IP addresses and CIDR notation, parsed strictly. Addresses reach `ip addr add` and
// `ovs-vsctl set interface … options:remote_ip=…`, so only canonical, unambiguous forms are
// accepted: no IPv4 octets with leading zeros (some tools read them as octal), no IPv6 zone
// ids, no host names. Two spellings of one IPv6 address compare equal through `ipKey`.

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

export interface Cidr {
  ip: IpAddress;
  prefix: number;
  /** The address as written, without `/prefix`. */
  address: string;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return { family: 4, bytes };
}

export function parseIpv6(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // Only the very end of the address may be dotted IPv4, so only the last half may hold it.
  const groupsOf = (half: string, mayEndInIpv4: boolean): number[] | undefined => {
    if (half === '') return [];
    const words: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      // The last 32 bits may be written as dotted IPv4 (`::ffff:192.0.2.1`).
      if (mayEndInIpv4 && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        words.push((v4.bytes[0] << 8) | v4.bytes[1], (v4.bytes[2] << 8) | v4.bytes[3]);
        continue;
      }
      if (!IPV6_GROUP.test(part)) return undefined;
      words.push(parseInt(part, 16));
    }
    return words;
  };
  const head = groupsOf(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1], true) : [];
  if (!head || !tail) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    words = head;
  }
  if (words.length !== 8) return undefined;
  return { family: 6, bytes: words.flatMap((w) => [w >> 8, w & 0xff]) };
}

/** An IPv4 or IPv6 address without prefix length. */
export function parseIp(text: string): IpAddress | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** A key under which two spellings of one address are equal (`2001:db8::1` and `2001:DB8:0::1`). */
export function ipKey(ip: IpAddress): string {
  return `${ip.family}/${ip.bytes.join('.')}`;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; problem: string };

/** Parse `address/prefix`; on failure, say what is wrong in words a message can use. */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (parseIp(text)) {
      const example = text.includes(':') ? `${text}/64` : `${text}/24`;
      return { ok: false, problem: `has no prefix length; write it as CIDR, e.g. ${example}` };
    }
    return { ok: false, problem: 'is not an IP address in CIDR notation, e.g. 192.168.1.1/24 or 2001:db8::1/64' };
  }
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const ip = parseIp(address);
  if (!ip) {
    const family = address.includes(':') ? 'IPv6' : 'IPv4';
    return { ok: false, problem: `has an invalid ${family} address "${address}"` };
  }
  const maxPrefix = ip.family === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    return { ok: false, problem: `has an invalid prefix length "/${prefixText}": IPv${ip.family} takes 0 to ${maxPrefix}` };
  }
  return { ok: true, cidr: { ip, prefix: Number(prefixText), address } };
}

/** The address part of a CIDR string (`192.168.1.1/24` → `192.168.1.1`). */
export function withoutPrefix(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash < 0 ? cidr : cidr.slice(0, slash);
}

/**
 * For IPv4 subnets of /30 and wider: is this the subnet's network or broadcast address, which
 * a host cannot use? (/31 and /32 have no such addresses; IPv6 has no broadcast.)
 */
export function reservedIpv4HostPart(cidr: Cidr): 'network' | 'broadcast' | undefined {
  if (cidr.ip.family !== 4 || cidr.prefix > 30) return undefined;
  const value = cidr.ip.bytes.reduce((acc, b) => acc * 256 + b, 0);
  const hostBits = 32 - cidr.prefix;
  const hostPart = value % 2 ** hostBits;
  if (hostPart === 0) return 'network';
  if (hostPart === 2 ** hostBits - 1) return 'broadcast';
  return undefined;
}
