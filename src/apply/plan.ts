// The plan: from what a host should be (DesiredHost) and what it is (HostState), the ordered
// steps that make it so, each an argument list for the one quoting function. Steps are
// idempotent, and a host already as the file says gets none: a second plan says "no changes".
// All of a host's Open vSwitch changes go in one `ovs-vsctl` transaction, so OVS changes all
// at once or not at all.

import { ipKey, parseCidr } from '../lab/addresses';
import type { HostState, LinkState, OvsBridge, OvsInterface, OvsPort } from '../hosts/types';
import type { DesiredHost, DesiredKernelTunnel, DesiredOvsPort } from './desired';

export interface PlanStep {
  /** What the step changes, one sentence per change ("add OVS bridge br0 (netdev)"). */
  changes: string[];
  argv: string[];
}

export interface HostPlan {
  host: string;
  steps: PlanStep[];
  /** Why the host cannot be brought to the file's state (nothing runs on it then). */
  problems: string[];
}

export function changeCount(plan: HostPlan): number {
  return plan.steps.reduce((count, step) => count + step.changes.length, 0);
}

/** OVS stores a key of 0 and the protocol's default port as absent options. */
const OPTION_DEFAULTS: Record<string, Record<string, string>> = {
  vxlan: { key: '0', dst_port: '4789' },
  geneve: { key: '0', dst_port: '6081' },
  gre: { key: '0' },
};

function optionValue(type: string, options: Record<string, string>, key: string): string | undefined {
  return options[key] ?? OPTION_DEFAULTS[type]?.[key];
}

function findPort(state: HostState, name: string): { bridge: OvsBridge; port: OvsPort; iface?: OvsInterface } | undefined {
  for (const bridge of state.bridges) {
    const port = bridge.ports.find((p) => p.name === name);
    if (port) return { bridge, port, iface: port.interfaces.find((i) => i.name === name) ?? port.interfaces[0] };
  }
  return undefined;
}

function linkOf(state: HostState, name: string): LinkState | undefined {
  return state.links.find((link) => link.name === name);
}

/** `set interface` arguments for what differs between a desired port and its interface. */
function interfaceDifferences(port: DesiredOvsPort, iface: OvsInterface | undefined): { settings: string[]; changes: string[] } {
  const settings: string[] = [];
  const changes: string[] = [];
  const actualType = iface?.type === 'system' ? '' : (iface?.type ?? '');
  if (actualType !== port.type) {
    settings.push(`type=${port.type}`);
    changes.push(`make ${port.name} a ${port.type || 'system'} port (is ${actualType || 'system'})`);
  }
  for (const [key, value] of Object.entries(port.options)) {
    const actual = iface ? optionValue(iface.type, iface.options, key) : undefined;
    if (actual === value) continue;
    settings.push(`options:${key}=${value}`);
    changes.push(`set ${key} of ${port.name} to ${value}${actual !== undefined ? ` (is ${actual})` : ''}`);
  }
  return { settings, changes };
}

function planOvs(desired: DesiredHost, state: HostState, problems: string[]): PlanStep | undefined {
  if (desired.ovsBridges.length === 0) return undefined;
  if (state.ovs.state !== 'running') {
    problems.push(`${state.host}: ${state.ovs.state === 'missing' ? 'Open vSwitch is not installed' : 'Open vSwitch is not running'}, and the lab puts OVS bridges on it. ${state.ovs.state === 'missing' ? 'Install it (a lab script can: see "Add Script from Template")' : 'Start it (systemctl start openvswitch-switch)'} and apply again.`);
    return undefined;
  }
  const ops: string[][] = [];
  const changes: string[] = [];
  for (const bridge of desired.ovsBridges) {
    const actual = state.bridges.find((b) => b.name === bridge.name);
    const actualDatapath = actual?.datapathType || 'system';
    if (!actual) {
      ops.push(['--may-exist', 'add-br', bridge.name], ['set', 'bridge', bridge.name, `datapath_type=${bridge.datapath}`]);
      changes.push(`add OVS bridge ${bridge.name} (${bridge.datapath})`);
    } else if (actualDatapath !== bridge.datapath) {
      ops.push(['set', 'bridge', bridge.name, `datapath_type=${bridge.datapath}`]);
      changes.push(`set datapath of ${bridge.name} to ${bridge.datapath} (is ${actualDatapath})`);
    }
    for (const port of bridge.ports) {
      const found = findPort(state, port.name);
      if (port.type === '' && !linkOf(state, port.name) && !found) {
        problems.push(`${state.host}: interface ${port.name} does not exist, so bridge ${bridge.name} cannot take it as a port. Check the interface name (ip link) or create it first.`);
        continue;
      }
      if (found && found.bridge.name !== bridge.name) {
        ops.push(['del-port', found.bridge.name, port.name]);
        changes.push(`move port ${port.name} from ${found.bridge.name} to ${bridge.name}`);
      }
      const differences = interfaceDifferences(port, found && found.bridge.name === bridge.name ? found.iface : undefined);
      if (!found || found.bridge.name !== bridge.name) {
        ops.push(['--may-exist', 'add-port', bridge.name, port.name]);
        if (differences.settings.length) ops.push(['set', 'interface', port.name, ...differences.settings]);
        changes.push(`add ${port.type || 'system'} port ${port.name} to ${bridge.name}${Object.keys(port.options).length ? ` (${Object.entries(port.options).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`);
      } else if (differences.settings.length) {
        ops.push(['set', 'interface', port.name, ...differences.settings]);
        changes.push(...differences.changes);
      }
      if (port.tag !== undefined && found?.port.tag !== port.tag) {
        ops.push(['set', 'port', port.name, `tag=${port.tag}`]);
        changes.push(`tag port ${port.name} with VLAN ${port.tag}`);
      }
    }
  }
  for (const mtu of desired.mtus.filter((m) => m.viaOvs)) {
    if (linkOf(state, mtu.device)?.mtu === mtu.mtu) continue;
    ops.push(['set', 'interface', mtu.device, `mtu_request=${mtu.mtu}`]);
    changes.push(`set MTU of ${mtu.device} to ${mtu.mtu}`);
  }
  if (ops.length === 0) return undefined;
  // One invocation, `--`-chained: one OVSDB transaction. It waits for ovs-vswitchd to apply it.
  return { changes, argv: ['ovs-vsctl', '--timeout=30', ...ops.flatMap((op) => ['--', ...op])] };
}

function addTunnelArgv(tunnel: DesiredKernelTunnel): string[] {
  if (tunnel.type === 'vxlan') {
    return ['ip', 'link', 'add', 'name', tunnel.name, 'type', 'vxlan', 'id', String(tunnel.vni), 'remote', tunnel.remote, ...(tunnel.local ? ['local', tunnel.local] : []), 'dstport', String(tunnel.dstport)];
  }
  if (tunnel.type === 'geneve') return ['ip', 'link', 'add', 'name', tunnel.name, 'type', 'geneve', 'id', String(tunnel.vni), 'remote', tunnel.remote, 'dstport', String(tunnel.dstport)];
  return ['ip', 'link', 'add', 'name', tunnel.name, 'type', 'gretap', 'remote', tunnel.remote, ...(tunnel.local ? ['local', tunnel.local] : []), ...(tunnel.vni ? ['key', String(tunnel.vni)] : [])];
}

const KERNEL_KIND: Record<DesiredKernelTunnel['type'], string> = { vxlan: 'vxlan', geneve: 'geneve', gre: 'gretap' };

function tunnelDiffers(tunnel: DesiredKernelTunnel, link: LinkState): string | undefined {
  if (link.kind !== KERNEL_KIND[tunnel.type]) return `${tunnel.name} is a ${link.kind ?? 'plain'} device, not ${KERNEL_KIND[tunnel.type]}`;
  const actual = link.tunnel ?? {};
  if (tunnel.type !== 'gre' && actual.id !== tunnel.vni) return `${tunnel.name} has id ${actual.id}, not ${tunnel.vni}`;
  if (actual.remote !== tunnel.remote) return `${tunnel.name} has remote ${actual.remote ?? 'none'}, not ${tunnel.remote}`;
  if (tunnel.local && actual.local !== tunnel.local) return `${tunnel.name} has local ${actual.local ?? 'none'}, not ${tunnel.local}`;
  if (tunnel.type !== 'gre' && actual.dstport !== tunnel.dstport) return `${tunnel.name} has dstport ${actual.dstport}, not ${tunnel.dstport}`;
  return undefined;
}

function planLinux(desired: DesiredHost, state: HostState, problems: string[]): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const bridge of desired.linuxBridges) {
    const link = linkOf(state, bridge.name);
    if (link && link.kind !== 'bridge') {
      problems.push(`${state.host}: ${bridge.name} exists as a ${link.kind ?? 'plain'} device, not a Linux bridge; remove it (ip link del ${bridge.name}) or rename the bridge in the lab file.`);
      continue;
    }
    if (!link) steps.push({ changes: [`add Linux bridge ${bridge.name}`], argv: ['ip', 'link', 'add', 'name', bridge.name, 'type', 'bridge'] });
    for (const tunnel of bridge.tunnels) {
      const existing = linkOf(state, tunnel.name);
      const differs = existing && tunnelDiffers(tunnel, existing);
      if (differs) steps.push({ changes: [`replace ${tunnel.name}: ${differs}`], argv: ['ip', 'link', 'del', 'dev', tunnel.name] });
      if (!existing || differs) {
        steps.push({ changes: [`add ${tunnel.type} device ${tunnel.name} (vni ${tunnel.vni}, remote ${tunnel.remote})`], argv: addTunnelArgv(tunnel) });
      }
      if (!existing || differs || existing.master !== bridge.name) {
        steps.push({ changes: [`enslave ${tunnel.name} to ${bridge.name}`], argv: ['ip', 'link', 'set', 'dev', tunnel.name, 'master', bridge.name] });
      }
    }
    for (const member of bridge.members) {
      const memberLink = linkOf(state, member);
      if (!memberLink) {
        problems.push(`${state.host}: interface ${member} does not exist, so bridge ${bridge.name} cannot take it. Check the interface name (ip link).`);
        continue;
      }
      if (memberLink.master !== bridge.name) steps.push({ changes: [`enslave ${member} to ${bridge.name}`], argv: ['ip', 'link', 'set', 'dev', member, 'master', bridge.name] });
    }
  }
  return steps;
}

/** The same address and prefix, however it is spelled (IPv6 has many spellings). */
function sameAddress(a: string, b: string): boolean {
  const left = parseCidr(a);
  const right = parseCidr(b);
  if (!left.ok || !right.ok) return a === b;
  return ipKey(left.cidr.ip) === ipKey(right.cidr.ip) && left.cidr.prefix === right.cidr.prefix;
}

/** Devices the plan itself creates: absent from the state, yet not a problem. */
function createdDevices(desired: DesiredHost): Set<string> {
  return new Set([
    ...desired.ovsBridges.flatMap((b) => [b.name, ...b.ports.filter((p) => p.type === 'internal').map((p) => p.name)]),
    ...desired.linuxBridges.flatMap((b) => [b.name, ...b.tunnels.map((t) => t.name)]),
  ]);
}

function planAddresses(desired: DesiredHost, state: HostState, problems: string[]): PlanStep[] {
  const steps: PlanStep[] = [];
  const created = createdDevices(desired);
  const wanted = (device: string) => desired.addresses.filter((a) => a.device === device).map((a) => a.cidr);
  // An interface a bridge takes over loses its address's use: flush it, as `ip addr flush dev eth2` would.
  for (const device of desired.bridged) {
    for (const address of linkOf(state, device)?.addresses ?? []) {
      if (address.scope === 'link' || wanted(device).some((cidr) => sameAddress(cidr, address.cidr))) continue;
      steps.push({ changes: [`remove ${address.cidr} from ${device}, now a bridge port`], argv: ['ip', 'addr', 'del', address.cidr, 'dev', device] });
    }
  }
  for (const mtu of desired.mtus.filter((m) => !m.viaOvs)) {
    const link = linkOf(state, mtu.device);
    if (link?.mtu === mtu.mtu) continue;
    steps.push({ changes: [`set MTU of ${mtu.device} to ${mtu.mtu}${link ? ` (is ${link.mtu})` : ''}`], argv: ['ip', 'link', 'set', 'dev', mtu.device, 'mtu', String(mtu.mtu)] });
  }
  for (const device of desired.up) {
    const link = linkOf(state, device);
    if (!link && !created.has(device)) {
      // Tunnel ports on OVS bridges are OVS's own and have no kernel device; only real ones must exist.
      if (desired.ovsBridges.some((b) => b.ports.some((p) => p.name === device && p.type !== '' && p.type !== 'internal'))) continue;
      if (!problems.some((p) => p.includes(` ${device} does not exist`))) problems.push(`${state.host}: interface ${device} does not exist. Check its name in the lab file against ip link on the host.`);
      continue;
    }
    if (link?.up) continue;
    steps.push({ changes: [`bring ${device} up`], argv: ['ip', 'link', 'set', 'dev', device, 'up'] });
  }
  for (const address of desired.addresses) {
    const link = linkOf(state, address.device);
    if (link?.addresses.some((a) => sameAddress(a.cidr, address.cidr))) continue;
    steps.push({ changes: [`add address ${address.cidr} to ${address.device}`], argv: ['ip', 'addr', 'replace', address.cidr, 'dev', address.device] });
  }
  return steps;
}

/** The steps that bring a host from `state` to `desired`. */
export function planHost(desired: DesiredHost, state: HostState): HostPlan {
  const problems: string[] = [];
  const steps: PlanStep[] = [];
  const ovs = planOvs(desired, state, problems);
  if (ovs) steps.push(ovs);
  steps.push(...planLinux(desired, state, problems));
  steps.push(...planAddresses(desired, state, problems));
  return { host: desired.host, steps, problems };
}

/** The steps that remove what the lab declares, and nothing else. */
export function planDestroy(desired: DesiredHost, state: HostState): HostPlan {
  const steps: PlanStep[] = [];
  const ovsBridges = desired.ovsBridges.filter((b) => state.bridges.some((actual) => actual.name === b.name));
  if (ovsBridges.length) {
    steps.push({
      changes: ovsBridges.map((b) => `delete OVS bridge ${b.name} and its ports`),
      argv: ['ovs-vsctl', '--timeout=30', ...ovsBridges.flatMap((b) => ['--', '--if-exists', 'del-br', b.name])],
    });
  }
  for (const bridge of desired.linuxBridges) {
    for (const tunnel of bridge.tunnels) {
      if (linkOf(state, tunnel.name)) steps.push({ changes: [`delete ${tunnel.type} device ${tunnel.name}`], argv: ['ip', 'link', 'del', 'dev', tunnel.name] });
    }
    if (linkOf(state, bridge.name)?.kind === 'bridge') steps.push({ changes: [`delete Linux bridge ${bridge.name}`], argv: ['ip', 'link', 'del', 'dev', bridge.name] });
  }
  const bridgeNames = new Set([...desired.ovsBridges, ...desired.linuxBridges].map((b) => b.name));
  for (const address of desired.addresses) {
    if (bridgeNames.has(address.device)) continue; // gone with its bridge
    if (!linkOf(state, address.device)?.addresses.some((a) => sameAddress(a.cidr, address.cidr))) continue;
    steps.push({ changes: [`remove address ${address.cidr} from ${address.device}`], argv: ['ip', 'addr', 'del', address.cidr, 'dev', address.device] });
  }
  return { host: desired.host, steps, problems: [] };
}
