// Check 9: what ovs-vswitchd's log says about tunnels and devices (read by measure/hostFacts.ts,
// grouped by measure/vswitchdLog.ts). The log is history: a message from the last ten minutes
// is a warning (something is dropping now, or was just now), an older one is information. The
// live checks (tunnel symmetry, path MTU) say what is wrong today; the log says what it did.

import { sameIp } from '../../hosts/sameAddress';
import { plural, readHosts, stateOf, type Check, type DoctorInput } from '../input';
import { actualTunnel, linkHolding } from '../tunnelEnds';
import type { Finding, FindingSubject, HostFacts, VswitchdLogEvent } from '../types';

/** Newer than this is "now" enough to warn about. */
export const RECENT_SECONDS = 600;

interface Reading {
  message: string;
  fix: string;
  subject?: FindingSubject;
  hosts?: string[];
}

function ageSeconds(facts: HostFacts, time: string | undefined): number | undefined {
  if (!facts.now || !time) return undefined;
  const age = (Date.parse(facts.now) - Date.parse(time)) / 1000;
  return Number.isFinite(age) ? Math.max(0, Math.round(age)) : undefined;
}

function whenText(facts: HostFacts, event: VswitchdLogEvent): string {
  const age = ageSeconds(facts, event.last);
  const at = event.last ? `last at ${event.last.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}` : 'time unknown';
  if (age === undefined) return at;
  const ago = age < 120 ? `${age} s ago` : age < 7200 ? `${Math.round(age / 60)} min ago` : `${Math.round(age / 3600)} h ago`;
  return `${at}, ${ago}`;
}

/** The OVS port (or kernel device) of this host named `name`, as a subject. */
function portSubject(input: DoctorInput, host: string, name: string | undefined): FindingSubject | undefined {
  const state = stateOf(input, host);
  if (!state || !name) return undefined;
  const bridge = state.bridges.find((b) => b.ports.some((p) => p.name === name));
  if (bridge) return bridge.name === name ? { kind: 'bridge', name } : { kind: 'port', name, bridge: bridge.name };
  return state.links.some((l) => l.name === name) ? { kind: 'interface', name } : undefined;
}

/** The lab host that holds `ip`, from the states that were read. */
function hostHolding(input: DoctorInput, ip: string): string | undefined {
  return readHosts(input).find(({ state }) => linkHolding(state, ip))?.host.name;
}

function read(input: DoctorInput, host: string, event: VswitchdLogEvent): Reading | undefined {
  const d = event.detail;
  const times = plural(event.count, 'time');
  switch (event.kind) {
    case 'tunnel-port-not-found': {
      const from = d.source ? hostHolding(input, d.source) : undefined;
      const state = stateOf(input, host);
      // The tunnel port meant to receive them: the one whose remote_ip is the sender.
      const port = d.source && state ? input.lab.tunnels.find((t) => t.host === host && sameIp(actualTunnel(state, t.port)?.remoteIp, d.source)) : undefined;
      const key = d.key !== undefined ? ` with key (VNI) ${d.key}` : '';
      const sender = d.source ? ` from ${d.source}${from ? ` (${from})` : ''}` : '';
      return {
        message: `ovs-vswitchd on ${host} logged "receive tunnel port not found" ${times}: tunnel packets${sender}${key} matched no tunnel port and were dropped.`,
        fix: `make both ends agree on remote_ip, key (VNI) and dst_port${port ? ` (${port.port} on ${host} and its peer${from ? ` on ${from}` : ''})` : ''}; the tunnel checks name the difference`,
        subject: port ? portSubject(input, host, port.port) : undefined,
        hosts: from ? [host, from] : [host],
      };
    }
    case 'device-open-failed':
      return {
        message: `ovs-vswitchd on ${host} could not open network device ${d.device} (${d.reason}), ${times}.`,
        fix: /no such device/i.test(d.reason ?? '') ? `create ${d.device} on ${host}, or remove its port (ovs-vsctl del-port ${d.device})` : `check ${d.device} on ${host}`,
        subject: portSubject(input, host, d.device),
      };
    case 'message-too-long':
      return {
        message: `ovs-vswitchd on ${host} could not send frames out of ${d.device} because they were larger than its MTU ("Message too long", ${times}): encapsulated overlay frames do not fit the underlay.`,
        fix: `lower the overlay MTU or raise ${d.device}'s; the path MTU check gives the numbers`,
        subject: portSubject(input, host, d.device),
      };
    case 'send-failed':
      return {
        message: `ovs-vswitchd on ${host} failed to send on ${d.device}: ${d.reason} (${times}).`,
        fix: `check ${d.device} on ${host} (ip -s link show ${d.device})`,
        subject: portSubject(input, host, d.device),
      };
    case 'tunnel-routing-failed':
      return {
        message: `ovs-vswitchd on ${host} found no route for tunnel packets (${times}).`,
        fix: `give ${host} a route to the far underlay addresses (ovs-appctl ovs/route/show lists what OVS knows)`,
      };
    case 'duplicate-tunnel':
      return {
        message: `ovs-vswitchd on ${host} refused a tunnel port on ${d.bridge} with the same configuration as ${d.existing} (${times}).`,
        fix: `give the new port another key (VNI), remote_ip or dst_port, or remove it`,
        subject: portSubject(input, host, d.existing),
      };
    case 'datapath-unavailable':
      return {
        message: `ovs-vswitchd on ${host} could not create the datapath of bridge ${d.bridge}: type ${d.type} is not available there (${times}).`,
        fix: `use datapath: netdev for ${d.bridge}, or load the openvswitch kernel module`,
        subject: { kind: 'bridge', name: d.bridge },
      };
    case 'bridge-create-failed':
      return {
        message: `ovs-vswitchd on ${host} failed to create bridge ${d.bridge}: ${d.reason} (${times}).`,
        fix: `see the lines before it in the log; a system bridge without the kernel module fails like this`,
        subject: { kind: 'bridge', name: d.bridge },
      };
    case 'mtu-set-failed':
      return {
        message: `ovs-vswitchd on ${host} could not set the MTU of ${d.device}: ${d.reason} (${times}).`,
        fix: `check the MTU ${d.device} accepts on ${host} (ip -d link show ${d.device} shows minmtu and maxmtu)`,
        subject: portSubject(input, host, d.device),
      };
    default:
      return undefined;
  }
}

export const checkVswitchdLog: Check = (input) => {
  const findings: Finding[] = [];
  for (const host of input.lab.hosts) {
    const facts = input.measurements?.hosts[host.name];
    if (facts?.logProblem && host.bridges.some((b) => b.kind === 'ovs')) {
      findings.push({
        id: 'log-unreadable',
        check: 'vswitchd-log',
        severity: 'info',
        host: host.name,
        hosts: [host.name],
        message: `The doctor could not read ovs-vswitchd's log on ${host.name}: ${facts.logProblem}.`,
        fix: host.sudo ? `check where ovs-vswitchd logs on ${host.name} (ovs-appctl vlog/list)` : `set sudo: true for ${host.name} if the log is readable only by root`,
      });
    }
    if (!facts?.log) continue;
    for (const event of facts.log.events) {
      const reading = read(input, host.name, event);
      if (!reading) continue;
      const age = ageSeconds(facts, event.last);
      findings.push({
        id: `log-${event.kind}`,
        check: 'vswitchd-log',
        severity: age === undefined || age <= RECENT_SECONDS ? 'warning' : 'info',
        host: host.name,
        hosts: reading.hosts ?? [host.name],
        ...(reading.subject ? { subject: reading.subject } : {}),
        message: `${reading.message} ${whenText(facts, event)[0].toUpperCase()}${whenText(facts, event).slice(1)} (${facts.log.file}).`,
        fix: reading.fix,
        values: { count: event.count, ...(event.last ? { last: event.last } : {}), ...event.detail },
      });
    }
  }
  return findings;
};
