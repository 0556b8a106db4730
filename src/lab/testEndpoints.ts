// Where a test's ping starts and where it goes, worked out from the lab model: `host` means the
// host's overlay interface (the first device holding an address that is not the underlay),
// `host:interface` that device, and an address stands for itself. The validator reports what
// cannot be worked out (at the line), and the test runner and the mesh expansion read the same
// answers here, so the two never disagree.

import { withoutPrefix } from './addresses';
import { addressesOf, findHost, interfaceOwner, type HeldAddress } from './resolve';
import { parseIp } from './addresses';
import type { Lab, LabHost } from './types';

/** A device of a host of the lab with the address a ping uses there. */
export interface TestEndpoint {
  host: string;
  interface: string;
  /** Without prefix length. */
  address: string;
}

export type EndpointResult = { ok: true; endpoint: TestEndpoint } | { ok: false; problem: string };
export type DestinationResult = { ok: true; address: string; endpoint?: TestEndpoint } | { ok: false; problem: string };

const endpointOf = (held: HeldAddress): TestEndpoint => ({ host: held.host.name, interface: held.holder.name, address: withoutPrefix(held.cidr) });

/**
 * Every overlay address the lab declares, in file order: addresses on interfaces and bridges
 * not marked `underlay`, and not on an interface a bridge enslaves (its address would not be used).
 */
export function overlayAddresses(lab: Pick<Lab, 'hosts'>): TestEndpoint[] {
  return lab.hosts.flatMap((host) =>
    addressesOf(host)
      .filter((held) => !held.holder.underlay && !(held.holderKind === 'interface' && interfaceOwner(host, held.holder.name)))
      .map(endpointOf),
  );
}

function deviceEndpoint(host: LabHost, device: string): EndpointResult {
  const held = addressesOf(host).find((a) => a.holder.name === device);
  if (held) return { ok: true, endpoint: endpointOf(held) };
  const declared = host.interfaces.some((i) => i.name === device) || host.bridges.some((b) => b.name === device);
  if (!declared) return { ok: false, problem: `${host.name} declares no interface or bridge ${device}` };
  return { ok: false, problem: `${host.name}:${device} holds no address in the lab file` };
}

/** `host` or `host:interface` as written in a test. */
export function resolveTestSource(lab: Pick<Lab, 'hosts'>, written: string): EndpointResult {
  const colon = written.indexOf(':');
  const hostName = colon < 0 ? written : written.slice(0, colon);
  const host = findHost(lab, hostName);
  if (!host) return { ok: false, problem: `${hostName} is not a host of the lab` };
  if (colon >= 0) return deviceEndpoint(host, written.slice(colon + 1));
  const overlay = overlayAddresses({ hosts: [host] })[0];
  if (overlay) return { ok: true, endpoint: overlay };
  return { ok: false, problem: `${host.name} holds no overlay address (one not marked underlay); name its interface as ${host.name}:IFACE` };
}

/** `host`, `host:interface` or an IP address as written in a test's `to`. */
export function resolveTestDestination(lab: Pick<Lab, 'hosts'>, written: string): DestinationResult {
  if (parseIp(written)) return { ok: true, address: written };
  const source = resolveTestSource(lab, written);
  return source.ok ? { ok: true, address: source.endpoint.address, endpoint: source.endpoint } : source;
}

/** 4 or 6, for pairing only addresses of one family. */
export function familyOf(address: string): 4 | 6 | undefined {
  return parseIp(address)?.family;
}
