// Check 4: each tunnel end reaches the far end's underlay address. Measured with a bounded ping
// from the tunnel's own source address (see measure/ping.ts); OVS's own view adds to it: a
// tunnel port whose status has no `tunnel_egress_iface` has no route to its remote_ip.

import type { HostState } from '../../hosts/types';
import { stateOf, type Check, type DoctorInput } from '../input';
import { underlayAddress } from '../../lab/resolve';
import { actualTunnel, linkHolding } from '../tunnelEnds';
import type { Finding, TunnelProbe } from '../types';

/** Why a host might not forward underlay traffic: its underlay address lives on an OVS bridge whose ovs-vswitchd is down. */
export function stoppedSwitchHint(input: DoctorInput, host: string, address: string | undefined): string | undefined {
  const state = stateOf(input, host);
  if (!state || address === undefined) return undefined;
  if (state.ovs.state !== 'stopped' || !state.ovs.stopped.includes('ovs-vswitchd')) return undefined;
  const holder = linkHolding(state, address);
  if (!holder || !state.bridges.some((b) => b.name === holder.name)) return undefined;
  return `ovs-vswitchd is not running on ${host}, and ${host} holds ${address} on its OVS bridge ${holder.name}`;
}

export const checkUnderlayReach: Check = (input) => {
  const findings: Finding[] = [];
  for (const probe of input.measurements?.tunnels ?? []) {
    const finding = fromProbe(input, probe);
    if (finding) findings.push(finding);
  }
  findings.push(...noRouteInOvs(input));
  return findings;
};

function fromProbe(input: DoctorInput, probe: TunnelProbe): Finding | undefined {
  if (probe.reach.ok) return undefined;
  const tunnel = input.lab.tunnels.find((t) => t.host === probe.host && t.port === probe.port);
  const far = tunnel?.remoteHost;
  // The address pinged is the tunnel's live remote_ip; it is the far host's underlay address only if that host holds it.
  const farState = far ? stateOf(input, far) : undefined;
  const farHolds = farState?.linksKnown ? linkHolding(farState, probe.remote) !== undefined : undefined;
  const farAddress = far ? underlayAddress(input.lab, far) : undefined;
  const farText = !far
    ? `underlay address ${probe.remote}`
    : farHolds === false
      ? `${probe.remote}, its remote_ip, which is not an address of ${far}${farAddress ? ` (${far}'s underlay address is ${farAddress})` : ''}`
      : `${far}'s underlay address ${probe.remote}`;
  const from = probe.local ? ` from ${probe.local}` : '';
  const base = {
    check: 'underlay-reachability' as const,
    host: probe.host,
    hosts: far ? [probe.host, far] : [probe.host],
    subject: { kind: 'port' as const, name: probe.port, bridge: probe.bridge },
    range: tunnel?.range,
    values: { remote: probe.remote, ...(farHolds === false && farAddress ? { farUnderlay: farAddress } : {}), ...(probe.local ? { local: probe.local } : {}), reason: probe.reach.reason },
  };
  const said = probe.reach.output.split('\n').map((l) => l.trim()).find((l) => /^ping:|unreachable|error/i.test(l));
  switch (probe.reach.reason) {
    case 'no-reply': {
      const hints = [stoppedSwitchHint(input, probe.host, probe.local), far ? stoppedSwitchHint(input, far, probe.remote) : undefined].filter(Boolean);
      return {
        ...base,
        id: 'underlay-unreachable',
        severity: 'error',
        message: `${probe.port} on ${probe.host} cannot reach ${farText}${from}: no reply to 2 pings${hints.length ? ` (${hints.join('; ')})` : ''}.`,
        fix: hints.length
          ? 'start ovs-vswitchd again, then run the doctor again'
          : farHolds === false && far
            ? `set ${probe.port}'s remote_ip on ${probe.host} to ${farAddress ?? `an address of ${far}`} (overlay-lab apply)`
          : `check the underlay between ${probe.host} and ${far ?? probe.remote}: that both addresses are up, the routes, and firewalls (if ICMP is filtered on the way, check that UDP reaches ${probe.remote} instead)`,
      };
    }
    case 'no-route':
      return {
        ...base,
        id: 'underlay-no-route',
        severity: 'error',
        message: `${probe.host} has no route to ${farText}, so ${probe.port} cannot send anything${said ? ` (${said})` : ''}.`,
        fix: `give ${probe.host} an underlay address in ${probe.remote}'s network, or a route to it`,
      };
    case 'no-source':
      return {
        ...base,
        id: 'underlay-source-missing',
        severity: 'error',
        message: `${probe.port} on ${probe.host} sends from ${probe.local}, but ${probe.host} does not hold that address${said ? ` (${said})` : ''}.`,
        fix: `put ${probe.local} back on ${probe.host}'s underlay interface (overlay-lab apply)`,
      };
    case 'no-ping':
      return {
        ...base,
        id: 'underlay-not-checked',
        severity: 'warning',
        message: `ping is not installed on ${probe.host}, so the doctor could not check that ${probe.port} reaches ${farText}, nor the path MTU.`,
        fix: `install ping on ${probe.host} (apt-get install iputils-ping, or dnf install iputils)`,
      };
    default:
      return {
        ...base,
        id: 'underlay-not-checked',
        severity: 'warning',
        message: `The doctor could not check that ${probe.port} on ${probe.host} reaches ${farText}: ${said ?? (probe.reach.output.trim() || 'ping failed')}.`,
        fix: `run ping ${probe.remote} on ${probe.host} to see why`,
      };
  }
}

/** OVS fills `tunnel_egress_iface` in a tunnel's status once it has a route to remote_ip. */
function noRouteInOvs(input: DoctorInput): Finding[] {
  const findings: Finding[] = [];
  for (const tunnel of input.lab.tunnels) {
    if (tunnel.bridgeKind !== 'ovs') continue;
    const state: HostState | undefined = stateOf(input, tunnel.host);
    if (!state || state.ovs.state !== 'running') continue;
    const actual = actualTunnel(state, tunnel.port);
    const iface = actual?.ovsInterface;
    if (!iface || actual.remoteIp === undefined || actual.remoteIp === 'flow') continue;
    const measured = input.measurements?.tunnels.find((p) => p.host === tunnel.host && p.port === tunnel.port);
    if (measured && !measured.reach.ok) continue; // said above, with the measurement
    const egress = iface.status.tunnel_egress_iface;
    const carrier = iface.status.tunnel_egress_iface_carrier;
    const base = {
      check: 'underlay-reachability' as const,
      host: tunnel.host,
      hosts: tunnel.remoteHost ? [tunnel.host, tunnel.remoteHost] : [tunnel.host],
      subject: { kind: 'port' as const, name: tunnel.port, bridge: actual.bridge },
      range: tunnel.range,
    };
    // OVS clears the whole status of a tunnel it has no route for (seen with 3.1: `{}`).
    if (egress === undefined) {
      findings.push({
        ...base,
        id: 'tunnel-no-egress',
        severity: 'warning',
        message: `Open vSwitch on ${tunnel.host} finds no route to ${actual.remoteIp} for ${tunnel.port} (its status has no tunnel_egress_iface).`,
        fix: `give ${tunnel.host} an underlay address in ${actual.remoteIp}'s network, or a route to it (ovs-appctl ovs/route/show lists what OVS knows)`,
        values: { remote: actual.remoteIp },
      });
    } else if (egress !== undefined && carrier === 'down') {
      findings.push({
        ...base,
        id: 'tunnel-egress-down',
        severity: 'error',
        message: `${tunnel.port} on ${tunnel.host} leaves by ${egress}, whose carrier is down.`,
        fix: `bring ${egress} up on ${tunnel.host} (ip link set dev ${egress} up) and check its cable or link`,
        values: { egress },
      });
    }
  }
  return findings;
}
