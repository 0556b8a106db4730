// `ip -j -d -s link show` and `ip -j addr show` into LinkState, joined by interface index.
// iproute2's JSON varies by version and device type, so every field is optional here: a device
// with fields missing still shows up, with what could be read.

import { isKernelTunnelKind } from '../lab/tunnelKinds';
import type { LinkAddress, LinkState } from './types';

type Json = Record<string, unknown>;

export class IpJsonError extends Error {
  override name = 'IpJsonError';
}

/** Throws IpJsonError when `linkJson` is not ip's JSON list; a bad `addrJson` only loses the addresses. */
export function parseIpLinks(linkJson: string, addrJson?: string): LinkState[] {
  const links = jsonList(linkJson)
    .map(toLink)
    .filter((l): l is LinkState => l !== undefined);
  let addressed: Json[] = [];
  try {
    if (addrJson !== undefined) addressed = jsonList(addrJson);
  } catch {
    // Links without addresses beat no links at all; the caller notes the failure.
  }
  const byIndex = new Map(links.map((l) => [l.index, l]));
  const byName = new Map(links.map((l) => [l.name, l]));
  for (const entry of addressed) {
    const index = numberField(entry, 'ifindex');
    const name = stringField(entry, 'ifname');
    const link = (index !== undefined ? byIndex.get(index) : undefined) ?? (name !== undefined ? byName.get(name) : undefined);
    if (link) link.addresses = addressesOf(entry);
  }
  return links.sort((a, b) => a.index - b.index);
}

function jsonList(text: string): Json[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IpJsonError(`not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new IpJsonError('not a JSON list');
  // Some iproute2 versions print `{}` for devices a filter left out.
  return value.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v));
}

function stringField(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

function numberField(o: Json | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function objectField(o: Json | undefined, key: string): Json | undefined {
  const v = o?.[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function toLink(entry: Json): LinkState | undefined {
  const name = stringField(entry, 'ifname');
  const index = numberField(entry, 'ifindex');
  if (name === undefined || index === undefined) return undefined;
  const flags = Array.isArray(entry.flags) ? entry.flags.filter((f): f is string => typeof f === 'string') : [];
  const linkinfo = objectField(entry, 'linkinfo');
  const kind = stringField(linkinfo, 'info_kind');
  const mac = stringField(entry, 'address');
  return {
    name,
    index,
    kind,
    // Tunnel devices and the like report an IP (GRE) or nothing as their "address".
    mac: mac !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac) ? mac.toLowerCase() : undefined,
    mtu: numberField(entry, 'mtu') ?? 0,
    up: flags.includes('UP'),
    operState: stringField(entry, 'operstate') ?? 'UNKNOWN',
    master: stringField(entry, 'master'),
    addresses: [],
    tunnel: kind !== undefined ? tunnelOf(kind, objectField(linkinfo, 'info_data')) : undefined,
    stats: statsOf(entry),
  };
}

function tunnelOf(kind: string, data: Json | undefined): LinkState['tunnel'] {
  if (!isKernelTunnelKind(kind) || !data) return undefined;
  // VXLAN and Geneve name the VNI `id`; GRE prints its key as a dotted quad (`0.0.0.42`) or a number.
  const id = numberField(data, 'id') ?? greKey(data.ikey ?? data.key);
  return {
    id,
    remote: stringField(data, 'remote') ?? stringField(data, 'remote6'),
    local: stringField(data, 'local') ?? stringField(data, 'local6'),
    dstport: numberField(data, 'port'),
    dev: stringField(data, 'link'),
  };
}

function greKey(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const quad = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(value);
  if (quad) return quad.slice(1).reduce((acc, part) => acc * 256 + Number(part), 0);
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

function statsOf(entry: Json): LinkState['stats'] {
  // `stats64` since iproute2 4.x; `stats` on older ones.
  const stats = objectField(entry, 'stats64') ?? objectField(entry, 'stats');
  const rx = objectField(stats, 'rx');
  const tx = objectField(stats, 'tx');
  const n = (o: Json | undefined, key: string) => numberField(o, key) ?? 0;
  return {
    rxPackets: n(rx, 'packets'),
    txPackets: n(tx, 'packets'),
    rxBytes: n(rx, 'bytes'),
    txBytes: n(tx, 'bytes'),
    rxDropped: n(rx, 'dropped'),
    txDropped: n(tx, 'dropped'),
    rxErrors: n(rx, 'errors'),
    txErrors: n(tx, 'errors'),
  };
}

function addressesOf(entry: Json): LinkAddress[] {
  const info = Array.isArray(entry.addr_info) ? entry.addr_info : [];
  const out: LinkAddress[] = [];
  for (const a of info) {
    if (typeof a !== 'object' || a === null) continue;
    const family = stringField(a as Json, 'family');
    const local = stringField(a as Json, 'local');
    const prefix = numberField(a as Json, 'prefixlen');
    if ((family !== 'inet' && family !== 'inet6') || local === undefined || prefix === undefined) continue;
    out.push({ cidr: `${local}/${prefix}`, family, scope: stringField(a as Json, 'scope') });
  }
  return out;
}
