// Tunnels: where each one leads, and whether the far end agrees. A VXLAN, Geneve or GRE link
// only works when both ends exist and use the same type, VNI (or key) and UDP port; a mismatch
// is silent on the wire (packets are dropped by the receiver), so it is caught here, on both
// ends, each pointing at its own value.

import { ipKey, parseIp } from './addresses';
import { lineOf, type DiagnosticSink } from './diagnostics';
import { hasUnreadableType } from './draftNotes';
import { parseRemote } from './names';
import { findHost, hostOwningAddress, hostUnderlay, isTunnelType, portsOf } from './resolve';
import { findTunnel } from './tunnelPairing';
import { didYouMean } from './suggest';
import type { Lab, LabHost, LabPort, ResolvedTunnel } from './types';

export function validateTunnels(lab: Lab, sink: DiagnosticSink): void {
  const portOf = new Map<ResolvedTunnel, LabPort>();
  for (const t of lab.tunnels) {
    const port = portsOf(findHost(lab, t.host)!).find(({ port: p }) => p.name === t.port)?.port;
    if (port) portOf.set(t, port);
  }
  for (const host of lab.hosts) {
    for (const { port } of portsOf(host)) {
      if (isTunnelType(port.type) && port.remote !== undefined) checkRemote(lab, sink, host, port);
    }
  }
  for (const t of lab.tunnels) checkAddressFamilies(sink, t, portOf.get(t));
  checkSymmetry(lab, sink, portOf);
  checkDuplicates(lab, sink, portOf);
}

function checkRemote(lab: Lab, sink: DiagnosticSink, host: LabHost, port: LabPort): void {
  const remote = port.remote!;
  const at = port.fieldRanges?.remote ?? port.range;
  const syntax = parseRemote(remote).kind;
  if (syntax === 'ip') {
    if (hostOwningAddress(lab, remote) === host) {
      sink.error(at, `remote ${remote} is an address of ${host.name} itself; a tunnel must lead to another host`);
    }
  } else if (syntax === 'name') {
    const target = findHost(lab, remote);
    const others = lab.hosts.filter((h) => h !== host).map((h) => h.name);
    if (!target) {
      sink.error(at, `remote ${remote} names no host of the lab${didYouMean(remote, others)}; write a host name of the lab or an IP address`);
    } else if (target === host) {
      sink.error(at, `tunnel ${port.name} leads back to its own host ${host.name}; remote must be another host or an IP address`);
    } else if (!hostUnderlay(target)) {
      sink.error(
        at,
        `remote ${remote} has no underlay address for the tunnel to reach; give an interface or bridge of ${remote} an address and underlay: true, or write the remote as an IP address`,
      );
    }
  }
  if (port.local !== undefined && parseIp(port.local) && hostOwningAddress(lab, port.local) !== host) {
    sink.warning(
      port.fieldRanges?.local ?? port.range,
      `local ${port.local} is not an address of ${host.name} in this lab; the tunnel comes up only if the host has it`,
    );
  }
}

function checkAddressFamilies(sink: DiagnosticSink, t: ResolvedTunnel, port: LabPort | undefined): void {
  const local = t.localAddress === undefined ? undefined : parseIp(t.localAddress);
  const remote = parseIp(t.remoteAddress);
  if (!local || !remote || local.family === remote.family) return;
  sink.error(
    port?.fieldRanges?.remote ?? t.range,
    `${t.port} on ${t.host} would run from IPv${local.family} ${t.localAddress} to IPv${remote.family} ${t.remoteAddress}; both ends of a tunnel must use the same IP version`,
  );
}

/**
 * Every tunnel to a host of the lab needs one back from that host, alike in type, vni and
 * dstport: the resolved model's `unpaired` says which have none, and why.
 */
function checkSymmetry(lab: Lab, sink: DiagnosticSink, portOf: Map<ResolvedTunnel, LabPort>): void {
  // A Linux vxlan/geneve port without vni has its own error; its 0 is no value to compare.
  const vniMissing = (x: ResolvedTunnel) => x.bridgeKind === 'linux' && x.type !== 'gre' && portOf.get(x)?.vni === undefined;
  for (const t of lab.tunnels) {
    const why = t.unpaired;
    const far = t.remoteHost;
    // Tunnels outside the lab, or back to their own host, are checkRemote's.
    if (!why || far === undefined || far === t.host || vniMissing(t)) continue;
    const port = portOf.get(t);
    if (lab.tunnels.some((b) => b.host === far && b.remoteHost === t.host && vniMissing(b))) continue;
    if (why.reason === 'no-tunnel-back') {
      // A tunnel back that exists but could not be resolved has its own error already.
      if (hasUnresolvedTunnelTo(lab, far, t.host)) continue;
      const vni = t.vni !== 0 ? `, vni: ${t.vni}` : '';
      const dstport = port?.dstport !== undefined && t.type !== 'gre' ? `, dstport: ${t.dstport}` : '';
      sink.error(
        port?.fieldRanges?.remote ?? t.range,
        `${t.port} on ${t.host} leads to ${far}, but ${far} has no tunnel back to ${t.host}; add { name: ${t.port}, type: ${t.type}, remote: ${t.host}${vni}${dstport} } to a bridge of ${far}`,
      );
      continue;
    }
    const peer = why.nearest && findTunnel(lab, why.nearest);
    if (!peer) continue;
    const ours = `${t.port} on ${t.host}`;
    if (why.reason === 'peer-taken') {
      const rival = peer.peer && findTunnel(lab, peer.peer);
      sink.warning(
        port?.fieldRanges?.remote ?? t.range,
        `${ours} leads to ${far}, but ${peer.port}, the tunnel of ${far} that would answer it, answers ${rival?.port ?? 'another tunnel'} on ${t.host}; add a tunnel back for it to a bridge of ${far} (remote: ${t.localAddress ?? t.host}), or remove ${t.port}`,
      );
      continue;
    }
    const peerPort = portOf.get(peer);
    const theirs = `its peer ${peer.port} on ${peer.host}`;
    const differs = why.differs ?? [];
    if (differs.includes('type')) {
      sink.error(port?.fieldRanges?.type ?? t.range, `${ours} is a ${t.type} tunnel but ${theirs} is a ${peer.type} tunnel; both ends must use the same type`);
      continue;
    }
    const defaulted = (p: LabPort | undefined, field: 'vni' | 'dstport') => (p && p[field] === undefined ? ' (the default)' : '');
    if (differs.includes('vni')) {
      sink.error(
        port?.fieldRanges?.vni ?? t.range,
        `${ours} has vni ${t.vni}${defaulted(port, 'vni')} but ${theirs} has vni ${peer.vni}${defaulted(peerPort, 'vni')}; both ends must use the same vni`,
      );
    }
    if (differs.includes('dstport')) {
      sink.error(
        port?.fieldRanges?.dstport ?? t.range,
        `${ours} has dstport ${t.dstport}${defaulted(port, 'dstport')} but ${theirs} has dstport ${peer.dstport}${defaulted(peerPort, 'dstport')}; both ends must use the same dstport`,
      );
    }
  }
}

/**
 * Whether `from` has a tunnel port that may be the way back to `to` but has an error of its own:
 * it leads to `to` and could not be resolved (or its type is misspelt), or its remote is
 * misspelt, so where it leads is unknown.
 */
function hasUnresolvedTunnelTo(lab: Lab, from: string, to: string): boolean {
  const host = findHost(lab, from);
  if (!host) return false;
  return portsOf(host).some(({ port }) => {
    if (port.remote === undefined || !(isTunnelType(port.type) || hasUnreadableType(port))) return false;
    const syntax = parseRemote(port.remote).kind;
    if (syntax === 'invalid' || (syntax === 'name' && !findHost(lab, port.remote))) return true;
    const leadsTo = syntax === 'ip' ? hostOwningAddress(lab, port.remote)?.name : port.remote;
    return leadsTo === to && !lab.tunnels.some((t) => t.host === from && t.port === port.name);
  });
}

/** Two tunnels of one host that differ in nothing the kernel or OVS tells apart: the second is refused. */
function checkDuplicates(lab: Lab, sink: DiagnosticSink, portOf: Map<ResolvedTunnel, LabPort>): void {
  const first = new Map<string, ResolvedTunnel>();
  for (const t of lab.tunnels) {
    const remote = parseIp(t.remoteAddress);
    const local = t.localAddress === undefined ? undefined : parseIp(t.localAddress);
    if (!remote) continue;
    const key = [t.host, t.type, ipKey(remote), local ? ipKey(local) : '', t.vni, t.dstport].join('|');
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, t);
      continue;
    }
    sink.error(
      portOf.get(t)?.range ?? t.range,
      `${t.port} repeats tunnel ${earlier.port} of ${t.host} (${lineOf(earlier.range)}): same type, remote, vni and dstport, which OVS and Linux refuse to create twice; give it another vni or remove it`,
    );
  }
}
