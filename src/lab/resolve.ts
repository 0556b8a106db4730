// Resolution: from what the file says to what the product needs. Hosts inherit
// `defaults.ssh`, scripts without `hosts` target every host, each tunnel gets both of its
// addresses, its far-end host, its underlay (device and segment) and its peer, each host its
// chain of jumps.
//
// Resolution never fails: it runs on drafts that still have errors, and the validator checks
// the resolved model, so that what is checked (tunnel symmetry, jump cycles) is exactly what
// the rest of the product will use.

import { ipKey, parseCidr, parseIp, withoutPrefix } from './addresses';
import { TUNNEL_TYPES } from './fields';
import { pairTunnels } from './tunnelPairing';
import { TUNNEL_KINDS } from './tunnelKinds';
import { tunnelUnderlay } from './tunnelUnderlay';
import type { Lab, LabBridge, LabHost, LabInterface, LabPort, LabSshSettings, ResolvedTunnel, SourceRange, SshRoute, TunnelType } from './types';

export function resolveLab(draft: Lab): Lab {
  const hosts = draft.hosts.map((host) => inheritSshDefaults(host, draft.defaults));
  const allHostNames = hosts.map((h) => h.name);
  const lab: Lab = {
    ...draft,
    hosts,
    scripts: draft.scripts.map((s) => (s.fieldRanges?.hosts ? s : { ...s, hosts: [...allHostNames] })),
    tunnels: [],
    routes: {},
  };
  lab.tunnels = resolveTunnels(lab);
  lab.routes = resolveRoutes(lab);
  return lab;
}

/** The host's own SSH settings win; `defaults.ssh` fills what they leave out; `host` falls back to the host's name. */
function inheritSshDefaults(host: LabHost, defaults: Lab['defaults']): LabHost {
  const ssh: LabSshSettings = { ...defaults.ssh, ...host.ssh };
  const sshRanges = { ...defaults.sshRanges, ...host.sshRanges };
  if (ssh.host === undefined) ssh.host = host.name;
  return { ...host, ssh, sshRanges };
}

export function findHost(lab: Pick<Lab, 'hosts'>, name: string): LabHost | undefined {
  return lab.hosts.find((h) => h.name === name);
}

export function isTunnelType(type: string): type is TunnelType {
  return (TUNNEL_TYPES as readonly string[]).includes(type);
}

/** A port with the bridge that holds it. */
export interface HostPort {
  bridge: LabBridge;
  port: LabPort;
}

/** Every port of every bridge of a host, in file order. */
export function portsOf(host: LabHost): HostPort[] {
  return host.bridges.flatMap((bridge) => bridge.ports.map((port) => ({ bridge, port })));
}

/** The bridge that enslaves interface `name` (a `system` port of that name), if any. */
export function interfaceOwner(host: LabHost, name: string): LabBridge | undefined {
  return portsOf(host).find(({ port }) => port.name === name && port.type === 'system')?.bridge;
}

/** An address held by an interface or bridge of a host. */
export interface HeldAddress {
  host: LabHost;
  holder: LabInterface | LabBridge;
  holderKind: 'interface' | 'bridge';
  /** As written, with prefix length. */
  cidr: string;
  range: SourceRange;
}

export function addressesOf(host: LabHost): HeldAddress[] {
  const held = (holder: LabInterface | LabBridge, holderKind: 'interface' | 'bridge'): HeldAddress[] =>
    holder.addresses.map((cidr, i) => ({ host, holder, holderKind, cidr, range: holder.addressRanges?.[i] ?? holder.range }));
  return [...host.interfaces.flatMap((i) => held(i, 'interface')), ...host.bridges.flatMap((b) => held(b, 'bridge'))];
}

/**
 * The address a host's tunnels run over: the first address of the first interface, else bridge,
 * marked `underlay: true` (file order). Undefined when the host has none.
 */
export function hostUnderlay(host: LabHost): HeldAddress | undefined {
  return addressesOf(host).find((a) => a.holder.underlay);
}

/** The underlay address of a host of the lab, without prefix length. */
export function underlayAddress(lab: Pick<Lab, 'hosts'>, hostName: string): string | undefined {
  const host = findHost(lab, hostName);
  const underlay = host && hostUnderlay(host);
  return underlay && withoutPrefix(underlay.cidr);
}

/** The host that holds IP address `ip` (no prefix) on any interface or bridge: a tunnel to that IP reaches it. */
export function hostOwningAddress(lab: Pick<Lab, 'hosts'>, ip: string): LabHost | undefined {
  const wanted = parseIp(ip);
  if (!wanted) return undefined;
  const key = ipKey(wanted);
  return lab.hosts.find((host) =>
    addressesOf(host).some((a) => {
      const parsed = parseCidr(a.cidr);
      return parsed.ok && ipKey(parsed.cidr.ip) === key;
    }),
  );
}

/** Both ends of one tunnel port; undefined when its far end cannot be worked out (the validator says why). */
export function resolveTunnel(lab: Pick<Lab, 'hosts' | 'segments'>, host: LabHost, bridge: LabBridge, port: LabPort): ResolvedTunnel | undefined {
  if (!isTunnelType(port.type) || port.remote === undefined) return undefined;
  const remoteIsIp = parseIp(port.remote) !== undefined;
  const remoteHost = remoteIsIp ? hostOwningAddress(lab, port.remote) : findHost(lab, port.remote);
  const remoteAddress = remoteIsIp ? port.remote : underlayAddress(lab, port.remote);
  if (remoteAddress === undefined) return undefined;
  const localAddress = port.local ?? underlayAddress(lab, host.name);
  const underlay = tunnelUnderlay(lab, host, localAddress);
  const kind = TUNNEL_KINDS[port.type];
  return {
    host: host.name,
    bridge: bridge.name,
    bridgeKind: bridge.kind,
    port: port.name,
    type: port.type,
    remote: port.remote,
    remoteHost: remoteHost?.name,
    remoteAddress,
    localAddress,
    vni: port.vni ?? 0,
    dstport: kind.udp ? (port.dstport ?? kind.defaultDstport) : kind.defaultDstport,
    ...(underlay.holder !== undefined ? { underlayHolder: underlay.holder } : {}),
    ...(underlay.device !== undefined ? { underlayDevice: underlay.device } : {}),
    ...(underlay.segment !== undefined ? { segment: underlay.segment } : {}),
    range: port.range,
  };
}

function resolveTunnels(lab: Lab): ResolvedTunnel[] {
  const tunnels = lab.hosts.flatMap((host) =>
    portsOf(host)
      .map(({ bridge, port }) => resolveTunnel(lab, host, bridge, port))
      .filter((t): t is ResolvedTunnel => t !== undefined),
  );
  return pairTunnels(tunnels);
}

/**
 * Follow `jump` from host to host, nearest first, and return the chain outermost first. A jump
 * that is not a host of the lab (`user@host:port`) ends the chain; so does a cycle, which the
 * validator reports.
 */
export function routeTo(lab: Pick<Lab, 'hosts'>, hostName: string): SshRoute {
  const jumps: string[] = [];
  const visited = new Set([hostName]);
  let current = findHost(lab, hostName);
  while (current?.ssh.jump !== undefined) {
    const jump = current.ssh.jump;
    if (visited.has(jump)) break;
    jumps.unshift(jump);
    visited.add(jump);
    current = findHost(lab, jump);
  }
  return { host: hostName, jumps };
}

function resolveRoutes(lab: Lab): Record<string, SshRoute> {
  return Object.fromEntries(lab.hosts.map((h) => [h.name, routeTo(lab, h.name)]));
}
