// Check 3: both ends of each tunnel agree ON THE HOSTS, not just in the file: each end's
// remote_ip is an address of the other host, both use the same type and the same VNI (or GRE
// key). A VNI changed by hand on one side is silent: the receiver drops what it cannot match
// (OVS logs "receive tunnel port not found"). The UDP port has its own check (udpPort.ts).
//
// When the two ends disagree, the one that differs from the lab file is the one to blame: the
// finding sits on that host, and the fix names the value the file asks for.

import { withoutPrefix } from '../../lab/addresses';
import { addressesOf, findHost } from '../../lab/resolve';
import type { Lab, ResolvedTunnel } from '../../lab/types';
import type { HostState } from '../../hosts/types';
import { sameIp } from '../../hosts/sameAddress';
import { stateOf, type Check } from '../input';
import { actualTunnel, linkHolding, tunnelPairs, type ActualTunnel } from '../tunnelEnds';
import type { Finding } from '../types';

interface End {
  tunnel: ResolvedTunnel;
  state: HostState;
  actual?: ActualTunnel;
}

/** Where the lab file puts an address of a host, as a subject and a range. */
function declaredHolder(lab: Lab, host: string, ip: string): Pick<Finding, 'subject' | 'range'> {
  const labHost = findHost(lab, host);
  const held = labHost && addressesOf(labHost).find((a) => sameIp(withoutPrefix(a.cidr), ip));
  if (!held) return {};
  return { subject: { kind: held.holderKind === 'bridge' ? 'bridge' : 'interface', name: held.holder.name }, range: held.range };
}

function subjectOf(end: End): Finding['subject'] {
  return { kind: 'port', name: end.tunnel.port, bridge: end.actual?.bridge ?? end.tunnel.bridge };
}

function where(end: End): string {
  return `${end.tunnel.port} on ${end.tunnel.host}`;
}

function setCommand(end: End, option: string, value: string): string {
  return end.actual?.where === 'kernel' ? `re-create ${end.tunnel.port} on ${end.tunnel.host} with ${option} ${value} (overlay-lab apply does it)` : `ovs-vsctl set interface ${end.tunnel.port} options:${option}=${value} on ${end.tunnel.host} (or overlay-lab apply)`;
}

/** An error that blames one end of a tunnel, on its port and its declaration, with its peer involved. */
function blame(id: string, wrong: End, right: End, details: Pick<Finding, 'message' | 'fix' | 'values'>): Finding {
  return {
    id,
    check: 'tunnel-symmetry',
    severity: 'error',
    host: wrong.tunnel.host,
    hosts: [wrong.tunnel.host, right.tunnel.host],
    subject: subjectOf(wrong),
    ...details,
    range: wrong.tunnel.range,
  };
}

export const checkTunnelSymmetry: Check = (input) => {
  const findings: Finding[] = [];
  for (const { a, b } of tunnelPairs(input.lab)) {
    const stateA = stateOf(input, a.host);
    const stateB = stateOf(input, b.host);
    if (!stateA || !stateB) continue;
    const ends: [End, End] = [
      { tunnel: a, state: stateA, actual: actualTunnel(stateA, a.port) },
      { tunnel: b, state: stateB, actual: actualTunnel(stateB, b.port) },
    ];
    findings.push(...missingEnds(ends));
    if (!ends[0].actual || !ends[1].actual) continue;
    findings.push(...typeMismatch(ends), ...keyMismatch(ends), ...remoteMismatch(input.lab, ends[0], ends[1]), ...remoteMismatch(input.lab, ends[1], ends[0]));
  }
  return findings;
};

/** A tunnel end the host does not have (or cannot show: its OVS database did not answer). */
function missingEnds(ends: [End, End]): Finding[] {
  const findings: Finding[] = [];
  for (const [end, other] of [ends, [ends[1], ends[0]]] as [End, End][]) {
    if (end.actual) continue;
    const onOvs = end.tunnel.bridgeKind === 'ovs';
    if (onOvs && !end.state.bridgesKnown) continue; // the OVS check says why
    if (!onOvs && !end.state.linksKnown) continue;
    findings.push({
      id: 'tunnel-end-missing',
      check: 'tunnel-symmetry',
      severity: 'error',
      host: end.tunnel.host,
      hosts: [end.tunnel.host, other.tunnel.host],
      subject: { kind: 'port', name: end.tunnel.port, bridge: end.tunnel.bridge },
      message: other.actual
        ? `${end.tunnel.host} has no ${end.tunnel.type} tunnel ${end.tunnel.port}, so what ${other.tunnel.port} on ${other.tunnel.host} sends to it is dropped.`
        : `${end.tunnel.host} has no ${end.tunnel.type} tunnel ${end.tunnel.port}, nor ${other.tunnel.host} its end ${other.tunnel.port}: the tunnel between them does not exist.`,
      fix: `create it with overlay-lab apply (host ${end.tunnel.host})`,
      range: end.tunnel.range,
    });
  }
  return findings;
}

function typeMismatch([x, y]: [End, End]): Finding[] {
  if (x.actual!.type === y.actual!.type) return [];
  const wrong = x.actual!.type !== x.tunnel.type ? x : y;
  const right = wrong === x ? y : x;
  return [
    blame('tunnel-type-mismatch', wrong, right, {
      message: `${where(wrong)} is a ${wrong.actual!.type} tunnel but its peer ${where(right)} is a ${right.actual!.type} tunnel; neither end understands the other's packets.`,
      fix: `make ${wrong.tunnel.port} on ${wrong.tunnel.host} a ${wrong.tunnel.type} tunnel, as the lab file says (overlay-lab apply)`,
      values: { [wrong.tunnel.host]: wrong.actual!.type, [right.tunnel.host]: right.actual!.type },
    }),
  ];
}

function keyMismatch([x, y]: [End, End]): Finding[] {
  const kx = x.actual!.key;
  const ky = y.actual!.key;
  // `flow` takes the key from the flow table: it matches whatever the other end sends.
  if (kx === ky || kx === 'flow' || ky === 'flow') return [];
  const wrong = kx !== String(x.tunnel.vni) ? x : y;
  const right = wrong === x ? y : x;
  const word = x.tunnel.type === 'gre' ? 'key' : 'VNI';
  const option = wrong.actual!.where === 'kernel' ? (wrong.tunnel.type === 'gre' ? 'key' : 'id') : 'key';
  return [
    blame('tunnel-vni-mismatch', wrong, right, {
      message: `${where(wrong)} uses ${word} ${wrong.actual!.key} but its peer ${where(right)} uses ${word} ${right.actual!.key}; each end drops what the other sends. The lab file says ${wrong.tunnel.vni}.`,
      fix: setCommand(wrong, option, String(wrong.tunnel.vni)),
      values: { [wrong.tunnel.host]: wrong.actual!.key, [right.tunnel.host]: right.actual!.key, lab: wrong.tunnel.vni },
    }),
  ];
}

/** `from` must send to an address `to` holds: OVS and Linux accept tunnel packets only on the address they are sent to. */
function remoteMismatch(lab: Lab, from: End, to: End): Finding[] {
  const remote = from.actual!.remoteIp;
  if (remote === undefined || remote === 'flow' || !to.state.linksKnown) return [];
  if (linkHolding(to.state, remote)) return [];
  if (sameIp(remote, from.tunnel.remoteAddress)) {
    // As the file says: the far host has lost the address.
    return [
      {
        id: 'tunnel-remote-address-missing',
        check: 'tunnel-symmetry',
        severity: 'error',
        host: to.tunnel.host,
        hosts: [to.tunnel.host, from.tunnel.host],
        message: `${where(from)} sends to ${remote}, as the lab file says, but ${to.tunnel.host} does not hold that address, so ${to.tunnel.port} on ${to.tunnel.host} never receives what it sends.`,
        fix: `put ${remote} back on ${to.tunnel.host} (overlay-lab apply)`,
        range: to.tunnel.range,
        ...declaredHolder(lab, to.tunnel.host, remote),
        values: { remote },
      },
    ];
  }
  const held = linkHolding(to.state, from.tunnel.remoteAddress);
  return [
    blame('tunnel-remote-mismatch', from, to, {
      message: `${where(from)} sends to ${remote}, which is not an address of ${to.tunnel.host}; the lab file says ${from.tunnel.remoteAddress}${held ? `, which ${to.tunnel.host} holds on ${held.name}` : ''}.`,
      fix: setCommand(from, from.actual!.where === 'kernel' ? 'remote' : 'remote_ip', from.tunnel.remoteAddress),
      values: { remote, lab: from.tunnel.remoteAddress },
    }),
  ];
}
