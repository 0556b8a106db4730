// Check 5: the underlay carries the overlay's largest frame once encapsulated. Too small a path
// is the classic overlay fault: pings work, SSH logs in, and then anything that sends a full
// frame (scp, a web page) stalls, because the tunnel drops what it cannot fit (OVS logs
// "error sending Ethernet packet on eth0: Message too long"; a kernel tunnel fragments or drops).
//
// Two sources, the first that shows the fault wins, one finding per tunnel end:
//   1. the state: the device the tunnel's packets leave by has too small an MTU;
//   2. the measurement: `ping -M do` from the tunnel's source address finds a smaller path MTU
//      on the way (a router or a provider network between the hosts).
// With OVS's userspace datapath the packets bypass the bridge's own (tap) interface that holds
// the underlay address, but the host's pings do not: a bridge MTU below its port's then limits
// what ping can measure, not the tunnel, and is said as such.

import type { Lab, ResolvedTunnel } from '../../lab/types';
import { listText, stateOf, type Check, type DoctorInput } from '../input';
import { tunnelMtuNeeds, type TunnelMtuNeeds } from '../mtuNeeds';
import type { Finding, TunnelProbe } from '../types';

export const checkPathMtu: Check = (input) => {
  const findings: Finding[] = [];
  for (const tunnel of input.lab.tunnels) {
    const state = stateOf(input, tunnel.host);
    if (!state) continue;
    const needs = tunnelMtuNeeds(state, tunnel);
    if (!needs) continue;
    const probe = input.measurements?.tunnels.find((p) => p.host === tunnel.host && p.port === tunnel.port);
    const finding = egressTooSmall(input.lab, needs, probe) ?? pathTooSmall(input, needs, probe);
    if (finding) findings.push(finding);
    const holder = holderTooSmall(needs, probe);
    if (holder) findings.push(holder);
    const device = kernelDeviceTooSmall(input.lab, needs);
    if (device) findings.push(device);
  }
  return findings;
};

function farName(tunnel: ResolvedTunnel): string {
  return tunnel.remoteHost ?? tunnel.remoteAddress;
}

/** The overlay's largest-MTU holders (`br0 and eth2 on ovs-a`), and the far members of segments its ports are on (`test-a:eth2`). */
function overlayText(lab: Lab, needs: TunnelMtuNeeds): { holders: string; segmentPeers: string[] } {
  const host = needs.tunnel.host;
  const top = needs.overlay.holders.filter((h) => h.mtu === needs.overlay.mtu).map((h) => h.name);
  const peers = lab.segments.flatMap((segment) =>
    segment.members.some((m) => m.host === host && needs.overlay.holders.some((h) => h.name === m.interface))
      ? segment.members.filter((m) => m.host !== host).map((m) => `${m.host}:${m.interface}`)
      : [],
  );
  return { holders: `${listText(top)} on ${host}`, segmentPeers: peers };
}

function overlayFix(lab: Lab, needs: TunnelMtuNeeds, fits: number): string {
  const { segmentPeers } = overlayText(lab, needs);
  const names = listText(needs.overlay.holders.map((h) => h.name));
  const also = segmentPeers.length ? `, the hosts on its segments (${listText(segmentPeers)})` : '';
  return `lower the overlay MTU to ${fits}: mtu: ${fits} on ${names} of ${needs.tunnel.host}${also} and the same on ${farName(needs.tunnel)}'s side`;
}

function needsText(needs: TunnelMtuNeeds, lab: Lab): string {
  const { holders } = overlayText(lab, needs);
  const kernel = needs.inner < needs.overlay.mtu ? ` (${needs.tunnel.port}'s own MTU, ${needs.inner}, is less than ${holders}'s ${needs.overlay.mtu})` : ` (the MTU of ${holders})`;
  return `${needs.required} bytes: an overlay MTU of ${needs.inner}${kernel} + ${needs.overhead.bytes} for ${needs.actual.type.toUpperCase()} over IPv${needs.family} (${needs.overhead.parts})`;
}

function base(needs: TunnelMtuNeeds): Pick<Finding, 'check' | 'host' | 'hosts' | 'range'> {
  const t = needs.tunnel;
  return { check: 'path-mtu', host: t.host, hosts: t.remoteHost ? [t.host, t.remoteHost] : [t.host], range: t.range };
}

function values(needs: TunnelMtuNeeds, extra: Record<string, number | string>): Record<string, number | string> {
  return { overlayMtu: needs.inner, overhead: needs.overhead.bytes, required: needs.required, ...extra };
}

function egressTooSmall(lab: Lab, needs: TunnelMtuNeeds, probe: TunnelProbe | undefined): Finding | undefined {
  const egress = needs.egress;
  if (!egress || egress.mtu >= needs.required) return undefined;
  const fits = egress.mtu - needs.overhead.bytes;
  const t = needs.tunnel;
  const via = egress.device !== egress.holder ? `, the port of ${egress.holder} its packets leave by,` : ', which its packets leave by,';
  const measured = probe?.pathMtu && !limitedByBypassedHolder(needs, probe) && refuses(probe, needs.required) ? ` ping -M do to ${probe.remote} agrees: ${pathText(probe)}.` : '';
  return {
    ...base(needs),
    id: 'mtu-underlay-too-small',
    severity: 'error',
    subject: egress.device !== egress.holder ? { kind: 'port', name: egress.device, bridge: egress.holder } : { kind: 'interface', name: egress.device },
    message: `${egress.device} on ${t.host}${via} has MTU ${egress.mtu}, but tunnel ${t.port} to ${farName(t)} needs ${needsText(needs, lab)}. Larger frames are dropped.${measured}`,
    fix: `${overlayFix(lab, needs, fits)}; or raise the MTU of ${egress.device}${egress.device !== egress.holder ? ` (and ${egress.holder})` : ''} on ${t.host} and of every underlay hop to ${farName(t)} to ${needs.required}`,
    values: values(needs, { egressMtu: egress.mtu, device: egress.device }),
  };
}

/** `1400 bytes`, or `at most 1400 bytes` when the search was cut short. */
function pathText(probe: TunnelProbe): string {
  const p = probe.pathMtu!;
  const exact = p.smallestFailed === p.largestPassed + 1;
  const said = p.reportedMtu ? `; ${p.reportedMtu.by === 'local' ? 'the local kernel' : 'a router'} said mtu ${p.reportedMtu.mtu}` : '';
  return exact ? `the path carries IP packets of up to ${p.largestPassed} bytes${said}` : `the path carries ${p.largestPassed} bytes but not ${p.smallestFailed}${said}`;
}

/** The largest packet known to cross, and whether the path is known to refuse `size`. */
function refuses(probe: TunnelProbe | undefined, size: number): boolean {
  const p = probe?.pathMtu;
  return p?.smallestFailed !== undefined && p.smallestFailed <= size;
}

function limitedByBypassedHolder(needs: TunnelMtuNeeds, probe: TunnelProbe): boolean {
  const p = probe.pathMtu;
  const egress = needs.egress;
  return Boolean(p && egress?.holderBypassed && p.reportedMtu?.by === 'local' && p.reportedMtu.mtu === egress.holderMtu && egress.holderMtu < egress.mtu);
}

function pathTooSmall(input: DoctorInput, needs: TunnelMtuNeeds, probe: TunnelProbe | undefined): Finding | undefined {
  if (!probe?.pathMtu || !refuses(probe, needs.required) || limitedByBypassedHolder(needs, probe)) return undefined;
  const t = needs.tunnel;
  const largest = probe.pathMtu.largestPassed;
  const fits = largest - needs.overhead.bytes;
  const from = probe.local ? `${t.host} (${probe.local})` : t.host;
  return {
    ...base(needs),
    id: 'mtu-path-too-small',
    severity: 'error',
    subject: { kind: 'port', name: t.port, bridge: needs.actual.bridge ?? t.bridge },
    message: `Between ${from} and ${farName(t)} (${probe.remote}) ${pathText(probe)} (measured with ping -M do), but tunnel ${t.port} needs ${needsText(needs, input.lab)}. Larger frames are dropped.`,
    fix: `${overlayFix(input.lab, needs, fits)}; or raise the MTU of every underlay hop between ${t.host} and ${farName(t)} to ${needs.required}`,
    values: values(needs, { pathMtu: largest }),
  };
}

function holderTooSmall(needs: TunnelMtuNeeds, probe: TunnelProbe | undefined): Finding | undefined {
  if (!probe || !limitedByBypassedHolder(needs, probe) || !refuses(probe, needs.required)) return undefined;
  const egress = needs.egress!;
  const t = needs.tunnel;
  return {
    ...base(needs),
    id: 'mtu-underlay-bridge-smaller',
    severity: 'info',
    subject: { kind: 'bridge', name: egress.holder },
    message: `${egress.holder} on ${t.host} has MTU ${egress.holderMtu}, less than its port ${egress.device} (${egress.mtu}). Tunnel ${t.port} is not limited by it (Open vSwitch's userspace datapath sends tunnel packets straight out of ${egress.device}), but ${t.host}'s own traffic over ${needs.local ?? 'the underlay'} is, and the doctor could measure the path to ${farName(t)} only up to ${egress.holderMtu} bytes.`,
    fix: `give ${egress.holder} the MTU of ${egress.device}: ovs-vsctl set interface ${egress.holder} mtu_request=${egress.mtu} on ${t.host}`,
    values: { holderMtu: egress.holderMtu, egressMtu: egress.mtu },
  };
}

/** A kernel tunnel device with a smaller MTU than the bridge's other ports: the bridge drops larger frames before they reach it. */
function kernelDeviceTooSmall(lab: Lab, needs: TunnelMtuNeeds): Finding | undefined {
  if (needs.actual.where !== 'kernel' || needs.inner >= needs.overlay.mtu) return undefined;
  const t = needs.tunnel;
  const { holders } = overlayText(lab, needs);
  return {
    ...base(needs),
    id: 'mtu-tunnel-device-smaller',
    severity: 'warning',
    subject: { kind: 'interface', name: t.port },
    message: `${t.port} on ${t.host} has MTU ${needs.inner}, less than ${holders} (${needs.overlay.mtu}) on the same bridge, so the bridge drops frames larger than ${needs.inner} instead of sending them through the tunnel.`,
    fix: overlayFix(lab, needs, needs.inner),
    values: { tunnelMtu: needs.inner, overlayMtu: needs.overlay.mtu },
  };
}
