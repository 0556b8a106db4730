// A model of what each plan action does to a host, on its HostState: enough of Open vSwitch and
// the kernel to check that a plan's steps, applied, leave nothing for the comparison to find.
// It follows the real tools where it matters to the comparison: `add-port` of a system device
// enslaves it to ovs-system, OVS creates the devices of its bridges and internal ports (down),
// `del-port` drops the Port and Interface rows with their tag and options, `ip addr replace`
// with another prefix adds a second address. An action the real tool would refuse throws.

import type { PlanAction, PlanStep } from '../../../src/apply/plan';
import type { HostState, LinkState, OvsBridge, OvsInterface, OvsPort } from '../../../src/hosts/types';
import { sameCidr } from '../../../src/compare/normalise';

const STATS = { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0 };

function newLink(state: HostState, name: string, kind: string | undefined): LinkState {
  const link: LinkState = { name, index: Math.max(0, ...state.links.map((l) => l.index)) + 1, kind, mtu: 1500, up: false, operState: 'DOWN', addresses: [], stats: { ...STATS } };
  state.links.push(link);
  return link;
}

function linkOf(state: HostState, name: string): LinkState {
  const link = state.links.find((l) => l.name === name);
  if (!link) throw new Error(`Cannot find device "${name}"`);
  return link;
}

function portOf(state: HostState, name: string): { bridge: OvsBridge; port: OvsPort } | undefined {
  for (const bridge of state.bridges) {
    const port = bridge.ports.find((p) => p.name === name);
    if (port) return { bridge, port };
  }
  return undefined;
}

function ifaceOf(state: HostState, name: string): OvsInterface {
  const found = portOf(state, name);
  const iface = found?.port.interfaces.find((i) => i.name === name);
  if (!iface) throw new Error(`ovs-vsctl: no row "${name}" in table Interface`);
  return iface;
}

/** OVS makes a device for each bridge and internal interface. */
function ensureOvsDevice(state: HostState, name: string, datapath: string): void {
  if (!state.links.some((l) => l.name === name)) newLink(state, name, datapath === 'netdev' ? 'tun' : 'openvswitch');
}

export function applyAction(state: HostState, action: PlanAction): void {
  switch (action.op) {
    case 'ovs-add-bridge': {
      if (!state.bridges.some((b) => b.name === action.bridge)) {
        state.bridges.push({ name: action.bridge, datapathType: action.datapath, otherConfig: {}, ports: [{ name: action.bridge, interfaces: [{ name: action.bridge, type: 'internal', options: {}, statistics: {}, status: {} }] }] });
      }
      ensureOvsDevice(state, action.bridge, action.datapath);
      return;
    }
    case 'ovs-set-datapath': {
      const bridge = state.bridges.find((b) => b.name === action.bridge);
      if (!bridge) throw new Error(`ovs-vsctl: no row "${action.bridge}" in table Bridge`);
      bridge.datapathType = action.datapath;
      return;
    }
    case 'ovs-del-bridge': {
      const bridge = state.bridges.find((b) => b.name === action.bridge);
      if (!bridge) return;
      state.bridges = state.bridges.filter((b) => b !== bridge);
      for (const port of bridge.ports) applyAction(state, { op: 'ovs-del-port', bridge: '', port: port.name });
      state.links = state.links.filter((l) => l.name !== action.bridge);
      return;
    }
    case 'ovs-add-port': {
      const bridge = state.bridges.find((b) => b.name === action.bridge);
      if (!bridge) throw new Error(`ovs-vsctl: no bridge named ${action.bridge}`);
      if (portOf(state, action.port)) return; // --may-exist
      bridge.ports.push({ name: action.port, interfaces: [{ name: action.port, type: 'system', options: {}, statistics: {}, status: {} }] });
      const link = state.links.find((l) => l.name === action.port);
      if (link) link.master = 'ovs-system';
      return;
    }
    case 'ovs-del-port': {
      const found = portOf(state, action.port);
      if (!found) throw new Error(`ovs-vsctl: no port named ${action.port}`);
      found.bridge.ports = found.bridge.ports.filter((p) => p !== found.port);
      const iface = found.port.interfaces[0];
      if (iface?.type === 'internal') state.links = state.links.filter((l) => l.name !== action.port);
      const link = state.links.find((l) => l.name === action.port);
      if (link?.master === 'ovs-system') link.master = undefined;
      return;
    }
    case 'ovs-set-interface': {
      const iface = ifaceOf(state, action.name);
      if (action.type !== undefined) iface.type = action.type === '' ? 'system' : action.type;
      iface.options = { ...iface.options, ...action.options };
      if (iface.type === 'internal') ensureOvsDevice(state, action.name, portOf(state, action.name)!.bridge.datapathType);
      return;
    }
    case 'ovs-set-tag': {
      const found = portOf(state, action.port);
      if (!found) throw new Error(`ovs-vsctl: no row "${action.port}" in table Port`);
      found.port.tag = action.tag;
      return;
    }
    case 'ovs-set-mtu':
      linkOf(state, action.name).mtu = action.mtu;
      return;
    case 'link-add-bridge':
      if (state.links.some((l) => l.name === action.name)) throw new Error('RTNETLINK answers: File exists');
      newLink(state, action.name, 'bridge');
      return;
    case 'link-add-tunnel': {
      if (state.links.some((l) => l.name === action.tunnel.name)) throw new Error('RTNETLINK answers: File exists');
      const t = action.tunnel;
      const link = newLink(state, t.name, t.type !== 'gre' ? t.type : t.remote.includes(':') ? 'ip6gretap' : 'gretap');
      link.tunnel = { id: t.type === 'gre' && !t.vni ? undefined : t.vni, remote: t.remote, local: t.local, ...(t.type === 'gre' ? {} : { dstport: t.dstport }) };
      return;
    }
    case 'link-del':
      linkOf(state, action.name);
      state.links = state.links.filter((l) => l.name !== action.name);
      for (const link of state.links) if (link.master === action.name) link.master = undefined;
      return;
    case 'link-set-master': {
      const master = linkOf(state, action.master);
      if (master.kind !== 'bridge') throw new Error(`${action.master} is not a bridge`);
      linkOf(state, action.name).master = action.master;
      return;
    }
    case 'link-set-mtu':
      linkOf(state, action.name).mtu = action.mtu;
      return;
    case 'link-set-up': {
      const link = linkOf(state, action.name);
      link.up = true;
      link.operState = 'UP';
      return;
    }
    case 'addr-add': {
      const link = linkOf(state, action.device);
      if (!link.addresses.some((a) => sameCidr(a.cidr, action.cidr))) link.addresses.push({ cidr: action.cidr, family: action.cidr.includes(':') ? 'inet6' : 'inet', scope: 'global' });
      return;
    }
    case 'addr-del': {
      const link = linkOf(state, action.device);
      const before = link.addresses.length;
      link.addresses = link.addresses.filter((a) => !sameCidr(a.cidr, action.cidr));
      if (link.addresses.length === before) throw new Error('RTNETLINK answers: Cannot assign requested address');
      return;
    }
  }
}

/** The state after the steps, run in order (the input is not changed). */
export function applySteps(state: HostState, steps: readonly PlanStep[]): HostState {
  const next = JSON.parse(JSON.stringify(state)) as HostState;
  for (const step of steps) for (const action of step.actions) applyAction(next, action);
  return next;
}
