// What one host should look like, in the terms the host itself uses: OVS bridges with their
// ports and Interface options, Linux bridges and kernel tunnel devices, addresses, MTUs and
// links to bring up. Worked out once from the lab model; the comparison (compareHost.ts) sets it
// against the HostState the probe read, and the plan makes the differences go away.

import type { Datapath, Lab, LabBridge, LabHost, LabPort, PortType, ResolvedTunnel, SourceRange, TunnelType } from '../lab/types';

export interface DesiredOvsPort {
  name: string;
  /** OVS Interface type; '' for a system port, as the database stores it. */
  type: '' | 'internal' | TunnelType | 'patch';
  /** The type as the lab file writes it. */
  labType: PortType;
  /** The Interface options the lab asks for (only the ones it sets). */
  options: Record<string, string>;
  tag?: number;
  range: SourceRange;
  fieldRanges?: LabPort['fieldRanges'];
}

export interface DesiredOvsBridge {
  name: string;
  datapath: Datapath;
  ports: DesiredOvsPort[];
  range: SourceRange;
  fieldRanges?: LabBridge['fieldRanges'];
}

export interface DesiredKernelTunnel {
  name: string;
  type: TunnelType;
  vni: number;
  remote: string;
  local?: string;
  dstport: number;
  range: SourceRange;
  fieldRanges?: LabPort['fieldRanges'];
}

export interface DesiredMember {
  name: string;
  range: SourceRange;
}

export interface DesiredLinuxBridge {
  name: string;
  /** Existing interfaces to enslave. */
  members: DesiredMember[];
  tunnels: DesiredKernelTunnel[];
  /** Tunnel ports whose far end cannot be worked out (the validator says why): only their kind is compared. */
  unresolved: { name: string; type: TunnelType; range: SourceRange; fieldRanges?: LabPort['fieldRanges'] }[];
  range: SourceRange;
  fieldRanges?: LabBridge['fieldRanges'];
}

export interface DesiredAddress {
  device: string;
  /** What declares it: an interface, or a bridge (an OVS bridge's address lives on its internal port). */
  holder: 'interface' | 'bridge';
  cidr: string;
  range: SourceRange;
}

export interface DesiredMtu {
  device: string;
  holder: 'interface' | 'bridge';
  mtu: number;
  /** Set through OVS (`mtu_request`) because OVS owns the device. */
  viaOvs: boolean;
  range: SourceRange;
}

export interface DesiredInterface {
  name: string;
  range: SourceRange;
}

/** A device that must be administratively up, and what declares it (the first place that does). */
export interface DesiredUp {
  device: string;
  owner: 'bridge' | 'port' | 'interface';
  bridge?: string;
  range: SourceRange;
}

export interface DesiredHost {
  host: string;
  ovsBridges: DesiredOvsBridge[];
  linuxBridges: DesiredLinuxBridge[];
  /** The host's `interfaces`, which must exist. */
  interfaces: DesiredInterface[];
  addresses: DesiredAddress[];
  mtus: DesiredMtu[];
  /** Interfaces a bridge takes over: any address they hold is lost once bridged, so it is flushed. */
  bridged: { name: string; bridge: string; range: SourceRange }[];
  /** Devices that must be administratively up: declared interfaces, bridges and their ports. */
  up: DesiredUp[];
  /** Devices OVS makes and owns (its bridges and internal ports): only OVS can create them. */
  ovsDevices: string[];
}

function tunnelOf(lab: Pick<Lab, 'tunnels'>, host: string, bridge: string, port: string): ResolvedTunnel | undefined {
  return lab.tunnels.find((t) => t.host === host && t.bridge === bridge && t.port === port);
}

function ovsPort(lab: Pick<Lab, 'tunnels'>, host: LabHost, bridge: LabBridge, port: LabPort): DesiredOvsPort {
  const base = { name: port.name, labType: port.type, tag: port.vlan, range: port.range, fieldRanges: port.fieldRanges };
  if (port.type === 'system') return { ...base, type: '', options: {} };
  if (port.type === 'internal') return { ...base, type: 'internal', options: {} };
  if (port.type === 'patch') return { ...base, type: 'patch', options: port.peer ? { peer: port.peer } : {} };
  const tunnel = tunnelOf(lab, host.name, bridge.name, port.name);
  const options: Record<string, string> = {};
  if (tunnel) options.remote_ip = tunnel.remoteAddress;
  if (port.vni !== undefined) options.key = String(port.vni);
  if (port.dstport !== undefined && port.type !== 'gre') options.dst_port = String(port.dstport);
  if (port.local !== undefined) options.local_ip = port.local;
  return { ...base, type: port.type, options };
}

function kernelTunnel(lab: Pick<Lab, 'tunnels'>, host: LabHost, bridge: LabBridge, port: LabPort): DesiredKernelTunnel | undefined {
  const tunnel = tunnelOf(lab, host.name, bridge.name, port.name);
  if (!tunnel) return undefined;
  return { name: port.name, type: tunnel.type, vni: tunnel.vni, remote: tunnel.remoteAddress, local: tunnel.localAddress, dstport: tunnel.dstport, range: port.range, fieldRanges: port.fieldRanges };
}

export function desiredHost(lab: Pick<Lab, 'hosts' | 'tunnels'>, hostName: string): DesiredHost {
  const host = lab.hosts.find((h) => h.name === hostName);
  if (!host) throw new Error(`${hostName} is not a host of the lab`);
  const ovsDevices = new Set<string>();
  const desired: DesiredHost = { host: hostName, ovsBridges: [], linuxBridges: [], interfaces: [], addresses: [], mtus: [], bridged: [], up: [], ovsDevices: [] };
  const up = (entry: DesiredUp) => {
    if (!desired.up.some((u) => u.device === entry.device)) desired.up.push(entry);
  };

  for (const bridge of host.bridges) {
    if (bridge.kind === 'ovs') {
      desired.ovsBridges.push({ name: bridge.name, datapath: bridge.datapath, ports: bridge.ports.map((port) => ovsPort(lab, host, bridge, port)), range: bridge.range, fieldRanges: bridge.fieldRanges });
      ovsDevices.add(bridge.name);
      for (const port of bridge.ports) if (port.type === 'internal') ovsDevices.add(port.name);
    } else {
      const tunnels: DesiredKernelTunnel[] = [];
      const unresolved: DesiredLinuxBridge['unresolved'] = [];
      for (const port of bridge.ports) {
        if (port.type !== 'vxlan' && port.type !== 'geneve' && port.type !== 'gre') continue;
        const tunnel = kernelTunnel(lab, host, bridge, port);
        if (tunnel) tunnels.push(tunnel);
        else unresolved.push({ name: port.name, type: port.type, range: port.range, fieldRanges: port.fieldRanges });
      }
      desired.linuxBridges.push({
        name: bridge.name,
        members: bridge.ports.filter((p) => p.type === 'system').map((p) => ({ name: p.name, range: p.range })),
        tunnels,
        unresolved,
        range: bridge.range,
        fieldRanges: bridge.fieldRanges,
      });
    }
    up({ device: bridge.name, owner: 'bridge', range: bridge.range });
    for (const port of bridge.ports) {
      if (port.type === 'system') desired.bridged.push({ name: port.name, bridge: bridge.name, range: port.range });
      if (port.type === 'system' || port.type === 'internal' || bridge.kind === 'linux') up({ device: port.name, owner: 'port', bridge: bridge.name, range: port.range });
    }
    bridge.addresses.forEach((cidr, i) => desired.addresses.push({ device: bridge.name, holder: 'bridge', cidr, range: bridge.addressRanges?.[i] ?? bridge.range }));
    if (bridge.mtu !== undefined) desired.mtus.push({ device: bridge.name, holder: 'bridge', mtu: bridge.mtu, viaOvs: bridge.kind === 'ovs', range: bridge.fieldRanges?.mtu ?? bridge.range });
  }
  for (const iface of host.interfaces) {
    desired.interfaces.push({ name: iface.name, range: iface.range });
    up({ device: iface.name, owner: 'interface', range: iface.range });
    iface.addresses.forEach((cidr, i) => desired.addresses.push({ device: iface.name, holder: 'interface', cidr, range: iface.addressRanges?.[i] ?? iface.range }));
    if (iface.mtu !== undefined) desired.mtus.push({ device: iface.name, holder: 'interface', mtu: iface.mtu, viaOvs: ovsDevices.has(iface.name), range: iface.fieldRanges?.mtu ?? iface.range });
  }
  desired.ovsDevices = [...ovsDevices];
  return desired;
}
