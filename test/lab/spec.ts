// What a test lab is made of, and the checks that turn a description into a plan
// the builder can follow without further thought. Everything that ends up in a
// command line (names, addresses) is checked here against strict patterns, so the
// builder never has to wonder what a value contains.

import { createHash } from 'node:crypto';

export interface TestLabSpec {
  /**
   * Every namespace, root-namespace link, bridge and work folder the lab makes starts
   * with `${prefix}-`, and teardown removes exactly those: lower-case letters and digits,
   * no dash, so that `olt` never matches `oltl-…`.
   */
  prefix: string;
  /**
   * Address (with length) of the management bridge `${prefix}-mgmt` in the root
   * namespace; hosts with `mgmtAddress` sit on it. Default `10.213.0.1/24`.
   */
  mgmtSubnet?: string;
  /** IPv6 stays on in the lab's namespaces and links when true. Default false: less noise in captures. */
  ipv6?: boolean;
  hosts: TestHostSpec[];
  segments: TestSegmentSpec[];
}

export interface TestHostSpec {
  name: string;
  /** Run this host's own ovsdb-server and ovs-vswitchd (userspace datapath only). */
  ovs?: boolean;
  /** Address on the management bridge, reachable from the test process. */
  mgmtAddress?: string;
  /** Reachable only through `host`, over a veth between the two (a jump host). */
  behind?: TestHiddenLink;
  /** Default true. */
  sshd?: boolean;
  /** Default 22. */
  sshPort?: number;
}

export interface TestHiddenLink {
  /** The jump host. */
  host: string;
  /** This host's address on the link, with length, e.g. `10.213.1.2/30`; sshd listens on it. */
  address: string;
  /** The jump host's address on the link, with length, e.g. `10.213.1.1/30`. */
  gatewayAddress: string;
}

export interface TestSegmentSpec {
  name: string;
  members: TestSegmentMember[];
}

export interface TestSegmentMember {
  host: string;
  /** Name of the interface inside the host, e.g. `eth0`. */
  iface: string;
}

/** The only addresses a lab may use. */
export const LAB_RANGE = '10.213.0.0/16';
export const DEFAULT_MGMT_SUBNET = '10.213.0.1/24';
/** Inside every host, the link that carries its SSH traffic (to the mgmt bridge or to its jump host). */
export const MGMT_IFACE = 'mgmt0';
/** Inside every segment namespace, the Linux bridge that is the segment. */
export const SEGMENT_BRIDGE = 'br';

const PREFIX_RE = /^[a-z][a-z0-9]{0,7}$/;
const NAME_RE = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$|^[a-z]$/;
const IFACE_RE = /^[a-z][a-z0-9._-]{0,14}$/;
const IFNAMSIZ = 15;

// ---------------------------------------------------------------------------------------
// IPv4 arithmetic, just enough for subnets.

export interface Cidr {
  address: string;
  length: number;
}

export function parseIpv4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) throw new Error(`not an IPv4 address: ${JSON.stringify(text)}`);
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) throw new Error(`not an IPv4 address: ${JSON.stringify(text)}`);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function parseCidr(text: string): Cidr {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 32) throw new Error(`not an IPv4 address with length: ${JSON.stringify(text)}`);
  parseIpv4(m[1]);
  return { address: m[1], length: Number(m[2]) };
}

function mask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function networkOf(c: Cidr): number {
  return (parseIpv4(c.address) & mask(c.length)) >>> 0;
}

export function cidrContains(c: Cidr, address: string): boolean {
  return ((parseIpv4(address) & mask(c.length)) >>> 0) === networkOf(c);
}

function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const len = Math.min(a.length, b.length);
  return ((parseIpv4(a.address) & mask(len)) >>> 0) === ((parseIpv4(b.address) & mask(len)) >>> 0);
}

/** True when `address` is one of the lab's own (10.213.0.0/16). */
export function inLabRange(address: string): boolean {
  return cidrContains(parseCidr(LAB_RANGE), address);
}

// ---------------------------------------------------------------------------------------
// Stable MAC addresses: the same host and interface get the same MAC in every run, so
// captures and recorded outputs from one run compare with the next.

export function stableMac(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest();
  // Locally administered (bit 1 set), unicast (bit 0 clear).
  const bytes = [(h[0] & 0xfc) | 0x02, h[1], h[2], h[3], h[4], h[5]];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

// ---------------------------------------------------------------------------------------
// The resolved plan.

export interface ResolvedHost {
  name: string;
  index: number;
  namespace: string;
  ovs: boolean;
  sshd: boolean;
  sshPort: number;
  /** Where sshd listens: the mgmt address or the hidden address; undefined without either. */
  sshHost?: string;
  mgmtAddress?: string;
  /** Root-namespace end of the mgmt veth. */
  mgmtRootLink?: string;
  mgmtMac?: string;
  mgmtRootMac?: string;
  behind?: {
    host: string;
    address: Cidr;
    gatewayAddress: Cidr;
    /** Name of the link's end inside the jump host. */
    gatewayIface: string;
    gatewayMac: string;
    mac: string;
  };
  /** Segment member interfaces inside this host. */
  ifaces: { name: string; mac: string; segment: string }[];
}

export interface ResolvedSegment {
  name: string;
  namespace: string;
  bridgeMac: string;
  members: { host: string; hostNamespace: string; iface: string; mac: string; port: string; portMac: string }[];
}

export interface ResolvedLab {
  prefix: string;
  ipv6: boolean;
  mgmt: Cidr;
  mgmtBridge: string;
  /** Needed only when some host has a mgmt address. */
  needsMgmt: boolean;
  hosts: ResolvedHost[];
  segments: ResolvedSegment[];
}

function fail(msg: string): never {
  throw new Error(`test lab spec: ${msg}`);
}

/** Check a description and compute every name, address and MAC the builder will use. */
export function resolveSpec(spec: TestLabSpec): ResolvedLab {
  if (!PREFIX_RE.test(spec.prefix)) {
    fail(`prefix ${JSON.stringify(spec.prefix)} must be 1-8 lower-case letters or digits, starting with a letter, no dash`);
  }
  const prefix = spec.prefix;
  const labRange = parseCidr(LAB_RANGE);
  const mgmt = parseCidr(spec.mgmtSubnet ?? DEFAULT_MGMT_SUBNET);
  if (mgmt.length < 16 || mgmt.length > 30 || !cidrContains(labRange, mgmt.address)) {
    fail(`mgmtSubnet ${spec.mgmtSubnet} must be a /16../30 inside ${LAB_RANGE}`);
  }
  const mgmtBridge = `${prefix}-mgmt`;

  const names = new Set<string>();
  for (const h of spec.hosts) {
    if (!NAME_RE.test(h.name)) fail(`host name ${JSON.stringify(h.name)} must be lower-case letters, digits and dashes`);
    if (h.name.startsWith('seg-')) fail(`host name ${h.name}: "seg-" is reserved for segment namespaces`);
    if (h.name === 'mgmt') fail(`host name "mgmt" is reserved for the management bridge`);
    if (names.has(h.name)) fail(`host ${h.name} is listed twice`);
    names.add(h.name);
  }
  if (spec.hosts.length === 0) fail('no hosts');

  const usedAddresses = new Map<string, string>();
  const claimAddress = (address: string, who: string) => {
    if (!inLabRange(address)) fail(`${who}: address ${address} is outside ${LAB_RANGE}`);
    const prev = usedAddresses.get(address);
    if (prev) fail(`${who}: address ${address} is already used by ${prev}`);
    usedAddresses.set(address, who);
  };
  claimAddress(mgmt.address, 'the management bridge');

  const hiddenNets: Cidr[] = [];
  const hosts: ResolvedHost[] = spec.hosts.map((h, index) => {
    const sshd = h.sshd ?? true;
    const sshPort = h.sshPort ?? 22;
    if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535) fail(`host ${h.name}: bad sshPort ${sshPort}`);
    const r: ResolvedHost = {
      name: h.name,
      index,
      namespace: `${prefix}-${h.name}`,
      ovs: h.ovs ?? false,
      sshd,
      sshPort,
      ifaces: [],
    };
    if (h.mgmtAddress !== undefined && h.behind !== undefined) {
      fail(`host ${h.name}: give mgmtAddress or behind, not both (a hidden host is reached only through its jump host)`);
    }
    if (h.mgmtAddress !== undefined) {
      parseIpv4(h.mgmtAddress);
      if (!cidrContains(mgmt, h.mgmtAddress)) fail(`host ${h.name}: mgmtAddress ${h.mgmtAddress} is not in ${mgmt.address}/${mgmt.length}`);
      const n = parseIpv4(h.mgmtAddress);
      const net = networkOf(mgmt);
      const bcast = (net | ~mask(mgmt.length)) >>> 0;
      if (n === net || n === bcast) fail(`host ${h.name}: mgmtAddress ${h.mgmtAddress} is the network or broadcast address`);
      claimAddress(h.mgmtAddress, `host ${h.name}`);
      r.mgmtAddress = h.mgmtAddress;
      r.sshHost = h.mgmtAddress;
      r.mgmtRootLink = `${prefix}-m${index}`;
      r.mgmtMac = stableMac(h.name, MGMT_IFACE);
      r.mgmtRootMac = stableMac('root', h.name, MGMT_IFACE);
    }
    if (h.behind !== undefined) {
      const address = parseCidr(h.behind.address);
      const gatewayAddress = parseCidr(h.behind.gatewayAddress);
      if (address.length !== gatewayAddress.length || networkOf(address) !== networkOf(gatewayAddress)) {
        fail(`host ${h.name}: behind.address ${h.behind.address} and behind.gatewayAddress ${h.behind.gatewayAddress} must be in one subnet`);
      }
      if (cidrsOverlap(address, mgmt)) fail(`host ${h.name}: hidden subnet ${h.behind.address} overlaps the management subnet`);
      for (const other of hiddenNets) {
        if (cidrsOverlap(address, other)) fail(`host ${h.name}: hidden subnet ${h.behind.address} overlaps ${other.address}/${other.length}`);
      }
      hiddenNets.push(address);
      claimAddress(address.address, `host ${h.name}`);
      claimAddress(gatewayAddress.address, `host ${h.behind.host} (towards ${h.name})`);
      if (!names.has(h.behind.host)) fail(`host ${h.name}: behind.host ${h.behind.host} is not a host of this lab`);
      if (h.behind.host === h.name) fail(`host ${h.name} cannot be behind itself`);
      const longName = `to-${h.name}`;
      r.behind = {
        host: h.behind.host,
        address,
        gatewayAddress,
        gatewayIface: longName.length <= IFNAMSIZ ? longName : `to-h${index}`,
        gatewayMac: stableMac(h.behind.host, 'to', h.name),
        mac: stableMac(h.name, MGMT_IFACE),
      };
      r.sshHost = address.address;
    }
    return r;
  });

  const byName = new Map(hosts.map((h) => [h.name, h]));
  for (const h of hosts) {
    if (!h.behind) continue;
    const gw = byName.get(h.behind.host)!;
    if (!gw.sshd) fail(`host ${h.name} is behind ${gw.name}, which has no sshd to jump through`);
    // A chain of jump hosts is fine; a loop is not.
    const seen = new Set([h.name]);
    for (let cur: ResolvedHost | undefined = gw; cur?.behind; cur = byName.get(cur.behind.host)) {
      if (seen.has(cur.name)) fail(`host ${h.name}: jump hosts form a loop`);
      seen.add(cur.name);
    }
  }
  for (const h of hosts) {
    if (h.sshd && h.sshHost === undefined) fail(`host ${h.name} runs sshd but has neither mgmtAddress nor behind`);
  }

  // Interface names per host, to catch clashes with the lab's own links.
  const ifaceOwners = new Map<string, Set<string>>(hosts.map((h) => [h.name, new Set(['lo'])]));
  const claimIface = (host: string, iface: string, who: string) => {
    const set = ifaceOwners.get(host)!;
    if (set.has(iface)) fail(`${who}: interface ${iface} on host ${host} is already used`);
    set.add(iface);
  };
  for (const h of hosts) {
    if (h.mgmtAddress || h.behind) claimIface(h.name, MGMT_IFACE, `host ${h.name}`);
    if (h.behind) claimIface(h.behind.host, h.behind.gatewayIface, `host ${h.name}`);
  }

  const segNames = new Set<string>();
  const segments: ResolvedSegment[] = spec.segments.map((s) => {
    if (!NAME_RE.test(s.name)) fail(`segment name ${JSON.stringify(s.name)} must be lower-case letters, digits and dashes`);
    if (segNames.has(s.name)) fail(`segment ${s.name} is listed twice`);
    segNames.add(s.name);
    if (s.members.length === 0) fail(`segment ${s.name} has no members`);
    const namespace = `${prefix}-seg-${s.name}`;
    return {
      name: s.name,
      namespace,
      bridgeMac: stableMac('segment', s.name),
      members: s.members.map((m, i) => {
        const host = byName.get(m.host);
        if (!host) fail(`segment ${s.name}: ${m.host} is not a host of this lab`);
        if (!IFACE_RE.test(m.iface)) fail(`segment ${s.name}: interface name ${JSON.stringify(m.iface)} is not a valid Linux interface name`);
        claimIface(m.host, m.iface, `segment ${s.name}`);
        const mac = stableMac(m.host, m.iface);
        host.ifaces.push({ name: m.iface, mac, segment: s.name });
        return { host: m.host, hostNamespace: host.namespace, iface: m.iface, mac, port: `p${i}`, portMac: stableMac('segment', s.name, String(i)) };
      }),
    };
  });

  return {
    prefix,
    ipv6: spec.ipv6 ?? false,
    mgmt,
    mgmtBridge,
    needsMgmt: hosts.some((h) => h.mgmtAddress !== undefined),
    hosts,
    segments,
  };
}
