// The plan: the comparison's differences (compare/compareHost.ts), each turned into its fix by
// the table below, as ordered steps; each step an argument list for the one quoting function,
// and the actions it is made of, so that what a step does can be read (and modelled) without
// parsing its command. Steps are idempotent, and a host the comparison finds as the file says
// gets none: a second plan says "no changes". All of a host's Open vSwitch changes go in one
// `ovs-vsctl` transaction, so OVS changes all at once or not at all.

import { compareHost, comparedOptions, findOvsPort } from '../compare/compareHost';
import type { DesiredHost, DesiredKernelTunnel, DesiredOvsPort } from '../compare/desired';
import { kernelTunnelKind, ovsOption, sameCidr } from '../compare/normalise';
import type { ComparedObject, Difference, HostComparison } from '../compare/types';
import type { HostState, LinkState } from '../hosts/types';

/** One change a step makes, in terms a model of the host can follow. */
export type PlanAction =
  | { op: 'ovs-add-bridge'; bridge: string; datapath: string }
  | { op: 'ovs-set-datapath'; bridge: string; datapath: string }
  | { op: 'ovs-del-bridge'; bridge: string }
  | { op: 'ovs-add-port'; bridge: string; port: string }
  | { op: 'ovs-del-port'; bridge: string; port: string }
  /** `type` '' makes it a system port; options are set, others kept. */
  | { op: 'ovs-set-interface'; name: string; type?: string; options: Record<string, string> }
  /** No tag clears it. */
  | { op: 'ovs-set-tag'; port: string; tag?: number }
  | { op: 'ovs-set-mtu'; name: string; mtu: number }
  | { op: 'link-add-bridge'; name: string }
  | { op: 'link-add-tunnel'; tunnel: DesiredKernelTunnel }
  | { op: 'link-del'; name: string }
  | { op: 'link-set-master'; name: string; master: string }
  | { op: 'link-set-mtu'; name: string; mtu: number }
  | { op: 'link-set-up'; name: string }
  | { op: 'addr-add'; device: string; cidr: string }
  | { op: 'addr-del'; device: string; cidr: string };

export interface PlanStep {
  /** What the step changes, one sentence per change ("add OVS bridge br0 (netdev)"). */
  changes: string[];
  argv: string[];
  actions: PlanAction[];
}

export interface HostPlan {
  host: string;
  steps: PlanStep[];
  /** Why the host cannot be brought to the file's state (nothing runs on it then). */
  problems: string[];
  /** Differences apply does not change (an error OVS reports): said, so that "no changes" never hides drift. */
  notes: string[];
}

export function changeCount(plan: HostPlan): number {
  return plan.steps.reduce((count, step) => count + step.changes.length, 0);
}

/** Whether the plan leaves the host as it is and has nothing to say: exactly when the comparison finds no drift. */
export function planIsEmpty(plan: HostPlan): boolean {
  return plan.steps.length === 0 && plan.problems.length === 0 && plan.notes.length === 0;
}

function ovsOperation(action: PlanAction): string[][] {
  switch (action.op) {
    case 'ovs-add-bridge':
      return [['--may-exist', 'add-br', action.bridge], ['set', 'bridge', action.bridge, `datapath_type=${action.datapath}`]];
    case 'ovs-set-datapath':
      return [['set', 'bridge', action.bridge, `datapath_type=${action.datapath}`]];
    case 'ovs-del-bridge':
      return [['--if-exists', 'del-br', action.bridge]];
    case 'ovs-add-port':
      return [['--may-exist', 'add-port', action.bridge, action.port]];
    case 'ovs-del-port':
      return [['del-port', action.bridge, action.port]];
    case 'ovs-set-interface':
      return [['set', 'interface', action.name, ...(action.type !== undefined ? [`type=${action.type}`] : []), ...Object.entries(action.options).map(([key, value]) => `options:${key}=${value}`)]];
    case 'ovs-set-tag':
      return [action.tag === undefined ? ['clear', 'port', action.port, 'tag'] : ['set', 'port', action.port, `tag=${action.tag}`]];
    case 'ovs-set-mtu':
      return [['set', 'interface', action.name, `mtu_request=${action.mtu}`]];
    default:
      throw new Error(`${action.op} is not an Open vSwitch action`);
  }
}

/** One invocation, `--`-chained: one OVSDB transaction. It waits for ovs-vswitchd to apply it. */
function ovsStep(actions: PlanAction[], changes: string[]): PlanStep {
  return { changes, actions, argv: ['ovs-vsctl', '--timeout=30', ...actions.flatMap(ovsOperation).flatMap((op) => ['--', ...op])] };
}

function addTunnelArgv(tunnel: DesiredKernelTunnel): string[] {
  if (tunnel.type === 'vxlan') {
    return ['ip', 'link', 'add', 'name', tunnel.name, 'type', 'vxlan', 'id', String(tunnel.vni), 'remote', tunnel.remote, ...(tunnel.local ? ['local', tunnel.local] : []), 'dstport', String(tunnel.dstport)];
  }
  if (tunnel.type === 'geneve') return ['ip', 'link', 'add', 'name', tunnel.name, 'type', 'geneve', 'id', String(tunnel.vni), 'remote', tunnel.remote, 'dstport', String(tunnel.dstport)];
  return ['ip', 'link', 'add', 'name', tunnel.name, 'type', kernelTunnelKind(tunnel.type, tunnel.remote), 'remote', tunnel.remote, ...(tunnel.local ? ['local', tunnel.local] : []), ...(tunnel.vni ? ['key', String(tunnel.vni)] : [])];
}

function ipArgv(action: PlanAction): string[] {
  switch (action.op) {
    case 'link-add-bridge':
      return ['ip', 'link', 'add', 'name', action.name, 'type', 'bridge'];
    case 'link-add-tunnel':
      return addTunnelArgv(action.tunnel);
    case 'link-del':
      return ['ip', 'link', 'del', 'dev', action.name];
    case 'link-set-master':
      return ['ip', 'link', 'set', 'dev', action.name, 'master', action.master];
    case 'link-set-mtu':
      return ['ip', 'link', 'set', 'dev', action.name, 'mtu', String(action.mtu)];
    case 'link-set-up':
      return ['ip', 'link', 'set', 'dev', action.name, 'up'];
    case 'addr-add':
      return ['ip', 'addr', 'replace', action.cidr, 'dev', action.device];
    case 'addr-del':
      return ['ip', 'addr', 'del', action.cidr, 'dev', action.device];
    default:
      throw new Error(`${action.op} is not an ip action`);
  }
}

function ipStep(action: PlanAction, change: string): PlanStep {
  return { changes: [change], argv: ipArgv(action), actions: [action] };
}

/** Devices the plan itself creates: absent from the state, yet not a problem. */
function createdDevices(desired: DesiredHost): Set<string> {
  return new Set([
    ...desired.ovsBridges.flatMap((b) => [b.name, ...b.ports.filter((p) => p.type === 'internal').map((p) => p.name)]),
    ...desired.linuxBridges.flatMap((b) => [b.name, ...b.tunnels.map((t) => t.name)]),
  ]);
}

/** Everything the plan works from: the comparison, and lookups into it. */
class Planning {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  readonly links: Map<string, LinkState>;
  readonly created: Set<string>;
  /** Devices the plan deletes and makes again: they come back down. */
  readonly recreated = new Set<string>();

  constructor(
    readonly desired: DesiredHost,
    readonly state: HostState,
    readonly comparison: HostComparison,
  ) {
    this.links = new Map(state.linksKnown ? state.links.map((link) => [link.name, link]) : []);
    this.created = createdDevices(desired);
  }

  get host(): string {
    return this.state.host;
  }

  object(kind: ComparedObject['kind'], name: string, bridge?: string): ComparedObject | undefined {
    return this.comparison.objects.find((o) => o.kind === kind && o.name === name && (bridge === undefined || o.bridge === bridge));
  }

  /** The object that declares a device (the first that does), for its own fields. */
  deviceOwner(device: string): ComparedObject | undefined {
    const up = this.desired.up.find((u) => u.device === device);
    if (!up) return undefined;
    return this.comparison.objects.find((o) =>
      up.owner === 'bridge' ? (o.kind === 'ovs-bridge' || o.kind === 'linux-bridge') && o.name === device : up.owner === 'port' ? (o.kind === 'ovs-port' || o.kind === 'linux-port') && o.name === device && o.bridge === up.bridge : o.kind === 'interface' && o.name === device,
    );
  }

  problem(text: string): void {
    if (!this.problems.includes(text)) this.problems.push(text);
  }
}

function diff(object: ComparedObject | undefined, field: Difference['field']): Difference | undefined {
  return object?.differences.find((d) => d.field === field);
}

function hasDiff(object: ComparedObject | undefined, field: Difference['field']): boolean {
  return diff(object, field) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// The table, part by part: what each difference takes to fix.

function blockerProblems(planning: Planning): void {
  const host = planning.host;
  for (const blocker of planning.comparison.blockers) {
    if (blocker.kind === 'ovs-missing') planning.problem(`${host}: Open vSwitch is not installed, and the lab puts OVS bridges on it. Install it (a lab script can: see "Add Script from Template") and apply again.`);
    else if (blocker.kind === 'ovs-stopped') planning.problem(`${host}: Open vSwitch is not running, and the lab puts OVS bridges on it. Start it (systemctl start openvswitch-switch) and apply again.`);
    else if (blocker.kind === 'ovs-unreadable') planning.problem(`${host}: its Open vSwitch cannot be read (${blocker.message}), and the lab puts OVS bridges on it; apply again once it can.`);
    else planning.problem(`${host}: ${blocker.message}; apply again once they can be read.`);
  }
}

function optionsSummary(port: DesiredOvsPort): string {
  const entries = Object.entries(port.options);
  return entries.length ? ` (${entries.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
}

/** A port made anew (absent, or moving from another bridge): added with its type, options and tag. */
function addPort(planning: Planning, bridge: string, port: DesiredOvsPort, actions: PlanAction[], changes: string[]): void {
  const found = findOvsPort(planning.state.bridges, port.name);
  if (found) {
    actions.push({ op: 'ovs-del-port', bridge: found.bridge.name, port: port.name });
    changes.push(found.bridge.name === bridge ? `remove port ${port.name} of ${bridge}, which has no interface` : `move port ${port.name} from ${found.bridge.name} to ${bridge}`);
  }
  actions.push({ op: 'ovs-add-port', bridge, port: port.name });
  if (port.type !== '' || Object.keys(port.options).length) actions.push({ op: 'ovs-set-interface', name: port.name, ...(port.type !== '' ? { type: port.type } : {}), options: { ...port.options } });
  changes.push(`add ${port.type || 'system'} port ${port.name} to ${bridge}${optionsSummary(port)}`);
  if (port.tag !== undefined) {
    actions.push({ op: 'ovs-set-tag', port: port.name, tag: port.tag });
    changes.push(`tag port ${port.name} with VLAN ${port.tag}`);
  }
}

/** A port on its bridge whose type, options or tag differ. */
function fixPort(planning: Planning, port: DesiredOvsPort, object: ComparedObject, actions: PlanAction[], changes: string[]): void {
  const type = diff(object, 'type');
  if (type) {
    // Every compared option at its value for the new type, defaults included: the old type's may differ.
    const options = Object.fromEntries(comparedOptions(port).map((key) => [key, ovsOption(port.type, port.options, key) as string]));
    actions.push({ op: 'ovs-set-interface', name: port.name, type: port.type, options: { ...port.options, ...options } });
    changes.push(`make ${port.name} a ${port.type || 'system'} port (is ${type.actual})`);
  } else {
    const options: Record<string, string> = {};
    for (const d of object.differences) {
      if (d.field !== 'remote_ip' && d.field !== 'key' && d.field !== 'dst_port' && d.field !== 'local_ip' && d.field !== 'peer') continue;
      options[d.field] = d.expected;
      changes.push(`set ${d.field} of ${port.name} to ${d.expected}${d.actual !== 'none' ? ` (is ${d.actual})` : ''}`);
    }
    if (Object.keys(options).length) actions.push({ op: 'ovs-set-interface', name: port.name, options });
  }
  const tag = diff(object, 'tag');
  if (tag) {
    actions.push({ op: 'ovs-set-tag', port: port.name, tag: port.tag });
    changes.push(port.tag === undefined ? `remove VLAN tag ${tag.actual} from port ${port.name}` : `tag port ${port.name} with VLAN ${port.tag}${tag.actual !== 'none' ? ` (is ${tag.actual})` : ''}`);
  }
  const error = diff(object, 'error');
  if (error) planning.notes.push(`${planning.host}: OVS reports an error on ${port.name} (bridge ${object.bridge}): ${error.actual}. Apply does not change that; Doctor may say why.`);
}

function planOvs(planning: Planning): PlanStep | undefined {
  const { desired, state, host } = planning;
  if (desired.ovsBridges.length === 0 || state.ovs.state !== 'running' || !state.bridgesKnown) return undefined;
  const actions: PlanAction[] = [];
  const changes: string[] = [];
  for (const bridge of desired.ovsBridges) {
    const object = planning.object('ovs-bridge', bridge.name);
    if (hasDiff(object, 'kind')) {
      planning.problem(`${host}: ${bridge.name} exists as a Linux bridge, not an Open vSwitch bridge; remove it (ip link del ${bridge.name}) or make it kind: linux in the lab file.`);
      continue;
    }
    if (object?.presence === 'missing') {
      actions.push({ op: 'ovs-add-bridge', bridge: bridge.name, datapath: bridge.datapath });
      changes.push(`add OVS bridge ${bridge.name} (${bridge.datapath})`);
    }
    const datapath = diff(object, 'datapath');
    if (datapath) {
      actions.push({ op: 'ovs-set-datapath', bridge: bridge.name, datapath: bridge.datapath });
      changes.push(`set datapath of ${bridge.name} to ${bridge.datapath} (is ${datapath.actual})`);
    }
    for (const port of bridge.ports) {
      const compared = planning.object('ovs-port', port.name, bridge.name);
      if (!compared) continue;
      if (compared.absent) {
        planning.problem(`${host}: interface ${port.name} does not exist, so bridge ${bridge.name} cannot take it as a port. Check the interface name (ip link) or create it first.`);
        continue;
      }
      if (compared.presence === 'missing' || hasDiff(compared, 'bridge')) addPort(planning, bridge.name, port, actions, changes);
      else fixPort(planning, port, compared, actions, changes);
    }
  }
  for (const mtu of desired.mtus.filter((m) => m.viaOvs)) {
    if (!mtuWanted(planning, mtu.device, mtu.holder)) continue;
    actions.push({ op: 'ovs-set-mtu', name: mtu.device, mtu: mtu.mtu });
    changes.push(`set MTU of ${mtu.device} to ${mtu.mtu}`);
  }
  return actions.length ? ovsStep(actions, changes) : undefined;
}

/** An MTU to set: the device has another, or the plan creates it. */
function mtuWanted(planning: Planning, device: string, holder: 'bridge' | 'interface'): boolean {
  if (!planning.links.has(device)) return planning.created.has(device);
  const owner = holder === 'bridge' ? (planning.object('ovs-bridge', device) ?? planning.object('linux-bridge', device)) : planning.object('interface', device);
  return hasDiff(owner, 'mtu');
}

const TUNNEL_FIELDS = new Set<Difference['field']>(['kind', 'vni', 'remote', 'local', 'dstport']);

function tunnelPhrase(name: string, d: Difference): string {
  return d.field === 'kind' ? `${name} is a ${d.actual === 'device' ? 'plain' : d.actual} device, not ${d.expected}` : `${name} has ${d.field === 'vni' ? 'id' : d.field} ${d.actual}, not ${d.expected}`;
}

function planLinux(planning: Planning): PlanStep[] {
  const { desired, host } = planning;
  const steps: PlanStep[] = [];
  if (!planning.state.linksKnown) return steps;
  for (const bridge of desired.linuxBridges) {
    const object = planning.object('linux-bridge', bridge.name);
    const kind = diff(object, 'kind');
    if (kind) {
      planning.problem(
        kind.actual === 'ovs'
          ? `${host}: ${bridge.name} is an Open vSwitch bridge, not a Linux bridge; delete it (ovs-vsctl del-br ${bridge.name}) or make it kind: ovs in the lab file.`
          : `${host}: ${bridge.name} exists as a ${kind.actual === 'device' ? 'plain' : kind.actual} device, not a Linux bridge; remove it (ip link del ${bridge.name}) or rename the bridge in the lab file.`,
      );
      continue;
    }
    if (object?.presence === 'missing') steps.push(ipStep({ op: 'link-add-bridge', name: bridge.name }, `add Linux bridge ${bridge.name}`));
    for (const tunnel of bridge.tunnels) {
      const compared = planning.object('linux-port', tunnel.name, bridge.name);
      if (!compared) continue;
      const replace = compared.differences.find((d) => TUNNEL_FIELDS.has(d.field));
      if (replace) {
        steps.push(ipStep({ op: 'link-del', name: tunnel.name }, `replace ${tunnel.name}: ${tunnelPhrase(tunnel.name, replace)}`));
        planning.recreated.add(tunnel.name);
      }
      if (compared.presence === 'missing' || replace) steps.push(ipStep({ op: 'link-add-tunnel', tunnel }, `add ${tunnel.type} device ${tunnel.name} (vni ${tunnel.vni}, remote ${tunnel.remote})`));
      if (compared.presence === 'missing' || replace || hasDiff(compared, 'master')) steps.push(ipStep({ op: 'link-set-master', name: tunnel.name, master: bridge.name }, `enslave ${tunnel.name} to ${bridge.name}`));
    }
    for (const member of bridge.members) {
      const compared = planning.object('linux-port', member.name, bridge.name);
      if (compared?.absent) {
        planning.problem(`${host}: interface ${member.name} does not exist, so bridge ${bridge.name} cannot take it. Check the interface name (ip link).`);
        continue;
      }
      if (hasDiff(compared, 'master')) steps.push(ipStep({ op: 'link-set-master', name: member.name, master: bridge.name }, `enslave ${member.name} to ${bridge.name}`));
    }
  }
  return steps;
}

function planAddresses(planning: Planning): PlanStep[] {
  const { desired, host } = planning;
  const steps: PlanStep[] = [];
  if (!planning.state.linksKnown) return steps;
  // An interface a bridge takes over loses its address's use: flush it, as `ip addr flush dev eth2` would.
  for (const bridged of desired.bridged) {
    const port = planning.object('ovs-port', bridged.name, bridged.bridge) ?? planning.object('linux-port', bridged.name, bridged.bridge);
    for (const d of port?.differences.filter((candidate) => candidate.field === 'bridged-address') ?? []) {
      steps.push(ipStep({ op: 'addr-del', device: bridged.name, cidr: d.actual }, `remove ${d.actual} from ${bridged.name}, now a bridge port`));
    }
  }
  for (const mtu of desired.mtus.filter((m) => !m.viaOvs)) {
    if (!mtuWanted(planning, mtu.device, mtu.holder)) continue;
    const link = planning.links.get(mtu.device);
    steps.push(ipStep({ op: 'link-set-mtu', name: mtu.device, mtu: mtu.mtu }, `set MTU of ${mtu.device} to ${mtu.mtu}${link ? ` (is ${link.mtu})` : ''}`));
  }
  for (const iface of desired.interfaces) {
    const compared = planning.object('interface', iface.name);
    if (compared?.absent && !planning.problems.some((p) => p.includes(` ${iface.name} does not exist`))) {
      planning.problem(`${host}: interface ${iface.name} does not exist. Check its name in the lab file against ip link on the host.`);
    }
  }
  for (const up of desired.up) {
    const created = (!planning.links.has(up.device) && planning.created.has(up.device)) || planning.recreated.has(up.device);
    if (created || hasDiff(planning.deviceOwner(up.device), 'admin')) steps.push(ipStep({ op: 'link-set-up', name: up.device }, `bring ${up.device} up`));
  }
  for (const address of desired.addresses) {
    const object = planning.comparison.objects.find((o) => o.kind === 'address' && o.name === address.cidr && o.device === address.device);
    const prefix = diff(object, 'prefix');
    if (prefix) steps.push(ipStep({ op: 'addr-del', device: address.device, cidr: prefix.actual }, `remove ${prefix.actual} from ${address.device} (the lab says ${address.cidr})`));
    if (object?.presence === 'missing' || prefix) steps.push(ipStep({ op: 'addr-add', device: address.device, cidr: address.cidr }, `add address ${address.cidr} to ${address.device}`));
  }
  return steps;
}

/** The steps that bring a host from `state` to `desired`, from their comparison. */
export function planHost(desired: DesiredHost, state: HostState, comparison: HostComparison = compareHost(desired, state)): HostPlan {
  const planning = new Planning(desired, state, comparison);
  blockerProblems(planning);
  const steps: PlanStep[] = [];
  const ovs = planOvs(planning);
  if (ovs) steps.push(ovs);
  steps.push(...planLinux(planning));
  steps.push(...planAddresses(planning));
  return { host: desired.host, steps, problems: planning.problems, notes: planning.notes };
}

/** The steps that remove what the lab declares, and nothing else. */
export function planDestroy(desired: DesiredHost, state: HostState): HostPlan {
  const steps: PlanStep[] = [];
  const linkOf = (name: string) => state.links.find((link) => link.name === name);
  const ovsBridges = desired.ovsBridges.filter((b) => state.bridges.some((actual) => actual.name === b.name));
  if (ovsBridges.length) {
    steps.push(
      ovsStep(
        ovsBridges.map((b) => ({ op: 'ovs-del-bridge', bridge: b.name })),
        ovsBridges.map((b) => `delete OVS bridge ${b.name} and its ports`),
      ),
    );
  }
  for (const bridge of desired.linuxBridges) {
    for (const tunnel of bridge.tunnels) {
      if (linkOf(tunnel.name)) steps.push(ipStep({ op: 'link-del', name: tunnel.name }, `delete ${tunnel.type} device ${tunnel.name}`));
    }
    if (linkOf(bridge.name)?.kind === 'bridge') steps.push(ipStep({ op: 'link-del', name: bridge.name }, `delete Linux bridge ${bridge.name}`));
  }
  const bridgeNames = new Set([...desired.ovsBridges, ...desired.linuxBridges].map((b) => b.name));
  for (const address of desired.addresses) {
    if (bridgeNames.has(address.device)) continue; // gone with its bridge
    if (!linkOf(address.device)?.addresses.some((a) => sameCidr(a.cidr, address.cidr))) continue;
    steps.push(ipStep({ op: 'addr-del', device: address.device, cidr: address.cidr }, `remove address ${address.cidr} from ${address.device}`));
  }
  return { host: desired.host, steps, problems: [], notes: [] };
}
