// The one rule that pairs the tunnels of a lab end to end. A tunnel's peer is a tunnel port on
// its far host that leads back to its host and is alike in type, VNI (key) and UDP port, the
// three things both ends must share for a frame to get across. When a host has several such
// tunnels back, the one whose addresses cross this one's (its local is our remote, its remote
// our local) wins, then the one of the same port name, then the first in file order. Pairing is
// mutual: a tunnel is the peer of its peer, and of nothing else.
//
// The validator, the doctor, the trace and the topology read `peer` and `unpaired`; none of
// them pairs tunnels of its own.

import { ipKey, parseIp } from './addresses';
import type { Lab, ResolvedTunnel, TunnelRef, TunnelUnpaired } from './types';

export function sameTunnel(a: TunnelRef, b: TunnelRef): boolean {
  return a.host === b.host && a.bridge === b.bridge && a.port === b.port;
}

/** The resolved tunnel that `ref` names. */
export function findTunnel(lab: Pick<Lab, 'tunnels'>, ref: TunnelRef): ResolvedTunnel | undefined {
  return lab.tunnels.find((tunnel) => sameTunnel(tunnel, ref));
}

function refOf(tunnel: ResolvedTunnel): TunnelRef {
  return { host: tunnel.host, bridge: tunnel.bridge, port: tunnel.port };
}

/** Each address's key, kept: pairing compares the same few addresses many times over. */
const ipKeys = new Map<string, string | undefined>();

function keyOfIp(text: string): string | undefined {
  if (ipKeys.has(text)) return ipKeys.get(text);
  // Bounded: the editor pairs every version of a file as it is typed.
  if (ipKeys.size > 10_000) ipKeys.clear();
  const ip = parseIp(text);
  const key = ip === undefined ? undefined : ipKey(ip);
  ipKeys.set(text, key);
  return key;
}

function sameIp(a: string | undefined, b: string | undefined): boolean {
  const x = a === undefined ? undefined : keyOfIp(a);
  const y = b === undefined ? undefined : keyOfIp(b);
  return x !== undefined && y !== undefined && x === y;
}

/** `back` is on the host `tunnel` leads to, and leads to `tunnel`'s host. */
function leadsBack(tunnel: ResolvedTunnel, back: ResolvedTunnel): boolean {
  return tunnel.remoteHost !== undefined && tunnel.remoteHost !== tunnel.host && back.host === tunnel.remoteHost && back.remoteHost === tunnel.host;
}

function differences(a: ResolvedTunnel, b: ResolvedTunnel): NonNullable<TunnelUnpaired['differs']> {
  const differs: NonNullable<TunnelUnpaired['differs']> = [];
  if (a.type !== b.type) differs.push('type');
  if (a.vni !== b.vni) differs.push('vni');
  if (a.dstport !== b.dstport) differs.push('dstport');
  return differs;
}

const crosses = (a: ResolvedTunnel, b: ResolvedTunnel) => sameIp(a.localAddress, b.remoteAddress) && sameIp(a.remoteAddress, b.localAddress);
const sameName = (a: ResolvedTunnel, b: ResolvedTunnel) => a.port === b.port;

/**
 * Rounds of pairing, strictest first, each in file order: a tunnel pairs in the first round in
 * which it has a free candidate, so a looser match never takes a tunnel a stricter one wants.
 */
const ROUNDS: ((a: ResolvedTunnel, b: ResolvedTunnel) => boolean)[] = [(a, b) => crosses(a, b) && sameName(a, b), crosses, sameName, () => true];

/** Each tunnel with its `peer`, or with `unpaired` saying why it has none. Order is kept. */
export function pairTunnels(tunnels: readonly ResolvedTunnel[]): ResolvedTunnel[] {
  const peerOf = new Map<ResolvedTunnel, ResolvedTunnel>();
  // A tunnel back is on the far host: only that host's tunnels are looked at (in file order), so
  // a lab of hundreds of hosts pairs in the time of a few.
  const onHost = new Map<string, ResolvedTunnel[]>();
  for (const tunnel of tunnels) {
    const list = onHost.get(tunnel.host);
    if (list) list.push(tunnel);
    else onHost.set(tunnel.host, [tunnel]);
  }
  const backsOf = (tunnel: ResolvedTunnel) => (tunnel.remoteHost === undefined ? [] : (onHost.get(tunnel.remoteHost) ?? [])).filter((back) => leadsBack(tunnel, back));
  for (const round of ROUNDS) {
    for (const tunnel of tunnels) {
      if (peerOf.has(tunnel)) continue;
      const peer = backsOf(tunnel).find((back) => back !== tunnel && !peerOf.has(back) && differences(tunnel, back).length === 0 && round(tunnel, back));
      if (!peer) continue;
      peerOf.set(tunnel, peer);
      peerOf.set(peer, tunnel);
    }
  }
  return tunnels.map((tunnel) => {
    const peer = peerOf.get(tunnel);
    const paired: ResolvedTunnel = { ...tunnel, peer: peer && refOf(peer), unpaired: peer ? undefined : whyUnpaired(tunnel, backsOf(tunnel), peerOf) };
    if (!paired.peer) delete paired.peer;
    if (!paired.unpaired) delete paired.unpaired;
    return paired;
  });
}

/** `candidates`: the tunnels that may lead back (at least every one that does). */
function whyUnpaired(tunnel: ResolvedTunnel, candidates: readonly ResolvedTunnel[], peerOf: Map<ResolvedTunnel, ResolvedTunnel>): TunnelUnpaired {
  const name = `${tunnel.port} on ${tunnel.host}`;
  const far = tunnel.remoteHost;
  if (far === undefined) {
    return { reason: 'outside-lab', message: `${name} leads to ${tunnel.remoteAddress}, which is no host of the lab.` };
  }
  if (far === tunnel.host) return { reason: 'leads-to-itself', message: `${name} leads back to its own host.` };
  const backs = candidates.filter((back) => leadsBack(tunnel, back));
  if (backs.length === 0) return { reason: 'no-tunnel-back', message: `${name} leads to ${far}, but ${far} has no tunnel back to ${tunnel.host}.` };
  const alike = backs.filter((back) => differences(tunnel, back).length === 0);
  if (alike.length > 0) {
    const taken = alike.find((back) => crosses(tunnel, back)) ?? alike.find((back) => sameName(tunnel, back)) ?? alike[0];
    const rival = peerOf.get(taken)!;
    return {
      reason: 'peer-taken',
      message: `${name} leads to ${far}, but ${taken.port}, the tunnel of ${far} that would answer it, pairs with ${rival.port} on ${rival.host}.`,
      nearest: refOf(taken),
    };
  }
  // The likeliest intended peer: one still free, of the same port name, else the same type.
  const free = backs.filter((back) => !peerOf.has(back));
  const pool = free.length ? free : backs;
  const nearest = pool.find((back) => sameName(tunnel, back)) ?? pool.find((back) => back.type === tunnel.type) ?? pool[0];
  const differs = differences(tunnel, nearest);
  const values = (t: ResolvedTunnel) => differs.map((field) => `${field} ${t[field]}`).join(', ');
  return {
    reason: 'mismatch',
    message: `${name} has ${values(tunnel)} but ${nearest.port} on ${far}, its tunnel back, has ${values(nearest)}; both ends must agree.`,
    nearest: refOf(nearest),
    differs,
  };
}
