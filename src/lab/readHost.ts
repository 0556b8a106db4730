// Reading one host: its SSH settings, interfaces, bridges and their ports. Only what one value
// says on its own is checked here (type, pattern, range); what values say about each other
// (tunnel peers, patch peers, a port in two bridges) is for the validate* files.

import { isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { parseCidr, parseIp } from './addresses';
import { noteUnreadablePortType } from './draftNotes';
import { BRIDGE_KINDS, DATAPATHS, LIMITS, PORT_TYPES } from './fields';
import { MapReader, namedObjects, type LocatedNode, type MapEntry, type ReadContext } from './mapReader';
import { nameProblem, parseRemote, type NamedThing } from './names';
import { readSsh } from './readSsh';
import type { FieldRanges, LabBridge, LabHost, LabInterface, LabPort, SourceRange } from './types';
import { describeNode } from './yamlSource';

/** Report a name that breaks its pattern; the name is kept either way. */
export function checkName(ctx: ReadContext, thing: NamedThing, name: string, range: SourceRange): void {
  const problem = nameProblem(thing, name);
  if (problem) ctx.sink.error(range, `${thing} name ${JSON.stringify(name)} ${problem}`);
}

export function readHost(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabHost {
  const name = entry.key;
  checkName(ctx, 'host', name, entry.keyRange);
  const r = new MapReader(ctx, map, 'host', `host ${name}`);
  const ssh = r.map('ssh');
  const { settings, ranges } = ssh ? readSsh(ctx, ssh.map, `the ssh settings of host ${name}`, false) : { settings: {}, ranges: {} };
  const interfaces = r.map('interfaces');
  const bridges = r.map('bridges');
  const sudo = r.boolean('sudo');
  return {
    name,
    ssh: settings,
    sshRanges: ranges,
    sudo: sudo?.value ?? false,
    interfaces: interfaces ? namedObjects(ctx, interfaces, 'interface').map((o) => readInterface(ctx, o.entry, o.map)) : [],
    bridges: bridges ? namedObjects(ctx, bridges, 'bridge').map((o) => readBridge(ctx, o.entry, o.map)) : [],
    range: entry.keyRange,
    fieldRanges: {
      ssh: r.rangeOf('ssh'),
      sudo: sudo?.range,
      interfaces: r.rangeOf('interfaces'),
      bridges: r.rangeOf('bridges'),
    },
  };
}

/** `address:` as one CIDR string or a list of them. */
function readAddresses(r: MapReader): { addresses: string[]; addressRanges: SourceRange[] } {
  const e = r.entry('address');
  const addresses: string[] = [];
  const addressRanges: SourceRange[] = [];
  if (!e) return { addresses, addressRanges };
  const written: LocatedNode[] = isScalar(e.node) || e.node === null ? [e] : (r.list('address')?.items ?? []);
  for (const at of written) {
    const text = r.ctx.text(at, 'address');
    if (!text) continue;
    const parsed = parseCidr(text.value);
    if (!parsed.ok) r.sink.error(text.range, `address ${JSON.stringify(text.value)} ${parsed.problem}`);
    addresses.push(text.value);
    addressRanges.push(text.range);
  }
  return { addresses, addressRanges };
}

function readInterface(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabInterface {
  const name = entry.key;
  checkName(ctx, 'interface', name, entry.keyRange);
  const r = new MapReader(ctx, map, 'interface', `interface ${name}`);
  const mtu = r.integer('mtu', LIMITS.mtu);
  const underlay = r.boolean('underlay');
  return {
    name,
    ...readAddresses(r),
    mtu: mtu?.value,
    underlay: underlay?.value ?? false,
    range: entry.keyRange,
    fieldRanges: { address: r.rangeOf('address'), mtu: mtu?.range, underlay: underlay?.range },
  };
}

function readBridge(ctx: ReadContext, entry: MapEntry, map: YAMLMap | null): LabBridge {
  const name = entry.key;
  checkName(ctx, 'bridge', name, entry.keyRange);
  const r = new MapReader(ctx, map, 'bridge', `bridge ${name}`);
  const kind = r.choice('kind', BRIDGE_KINDS);
  const datapath = r.choice('datapath', DATAPATHS);
  const mtu = r.integer('mtu', LIMITS.mtu);
  const underlay = r.boolean('underlay');
  const ports = r.list('ports');
  return {
    name,
    kind: kind?.value ?? 'ovs',
    datapath: datapath?.value ?? 'system',
    ...readAddresses(r),
    mtu: mtu?.value,
    underlay: underlay?.value ?? false,
    ports: (ports?.items ?? []).map((item) => readPort(ctx, item)).filter((p): p is LabPort => p !== undefined),
    range: entry.keyRange,
    fieldRanges: {
      kind: kind?.range,
      datapath: datapath?.range,
      address: r.rangeOf('address'),
      mtu: mtu?.range,
      underlay: underlay?.range,
      ports: ports?.entry.range,
    },
  };
}

/** A port: a plain name (an interface to enslave) or a port object. */
function readPort(ctx: ReadContext, item: LocatedNode): LabPort | undefined {
  if (isScalar(item.node) && item.node.value !== null) {
    const name = ctx.text(item, 'port')!;
    checkName(ctx, 'port', name.value, name.range);
    return { name: name.value, type: 'system', short: true, range: name.range, fieldRanges: { name: name.range } };
  }
  if (!isMap(item.node)) {
    ctx.sink.error(
      item.range,
      `a port is the name of an interface to enslave or a map such as { name: vx0, type: vxlan, remote: ovs-b }, not ${describeNode(item.node)}`,
    );
    return undefined;
  }
  // The name goes into every other message about this port, so it is looked up first.
  const nameEntry = ctx.entries(item.node).find((e) => e.key === 'name');
  const label = nameEntry && isScalar(nameEntry.node) && nameEntry.node.value !== null ? `port ${String(nameEntry.node.value)}` : 'this port';
  const r = new MapReader(ctx, item.node, 'port', label);
  const name = r.text('name');
  if (!name) {
    if (!r.entry('name')) ctx.sink.error(item.range, 'this port has no name; add one, e.g. { name: vx0, type: vxlan, remote: ovs-b }');
    return undefined;
  }
  checkName(ctx, 'port', name.value, name.range);
  const type = r.choice('type', PORT_TYPES);
  const remote = r.text('remote');
  const remoteSyntax = remote && parseRemote(remote.value);
  if (remote && remoteSyntax?.kind === 'invalid') ctx.sink.error(remote.range, `remote ${JSON.stringify(remote.value)} ${remoteSyntax.problem}`);
  const local = r.text('local');
  if (local && !parseIp(local.value)) {
    ctx.sink.error(local.range, `local ${JSON.stringify(local.value)} must be an IP address without prefix length, e.g. 203.0.113.10`);
  }
  const peer = r.text('peer');
  if (peer) checkName(ctx, 'port', peer.value, peer.range);
  // The widest bound (a 32-bit GRE key); vxlan and geneve are held to 24 bits once the type is known.
  const vni = r.integer('vni', LIMITS.greKey);
  const dstport = r.integer('dstport', LIMITS.dstport);
  const vlan = r.integer('vlan', LIMITS.vlan);
  const fieldRanges: FieldRanges<'name' | 'type' | 'remote' | 'vni' | 'dstport' | 'local' | 'peer' | 'vlan'> = {
    name: name.range,
    type: type?.range,
    remote: remote?.range,
    vni: vni?.range,
    dstport: dstport?.range,
    local: local?.range,
    peer: peer?.range,
    vlan: vlan?.range,
  };
  const port: LabPort = {
    name: name.value,
    type: type?.value ?? 'system',
    remote: remote?.value,
    vni: vni?.value,
    dstport: dstport?.value,
    local: local?.value,
    peer: peer?.value,
    vlan: vlan?.value,
    short: false,
    range: name.range,
    fieldRanges,
  };
  if (r.entry('type') && !type) noteUnreadablePortType(port);
  return port;
}
