// What one host should look like, in the terms the host itself uses: OVS bridges with their
// ports and Interface options, Linux bridges and kernel tunnel devices, addresses, MTUs and
// links to bring up. Worked out once from the lab model; the planner compares it with the
// HostState the probe read.

import { portsOf } from '../lab/resolve';
import type { Datapath, Lab, LabBridge, LabHost, LabPort, ResolvedTunnel, SourceRange, TunnelType } from '../lab/types';

export interface DesiredOvsPort {
  name: string;
  /** OVS Interface type; '' for a system port, as the database stores it. */
  type: '' | 'internal' | TunnelType | 'patch';
  /** The Interface options the lab asks for (only the ones it sets). */
  options: Record<string, string>;
  tag?: number;
  range: SourceRange;
}

export interface DesiredOvsBridge {
  name: string;
  datapath: Datapath;
  ports: DesiredOvsPort[];
  range: SourceRange;
}

export interface DesiredKernelTunnel {
  name: string;
  type: TunnelType;
  vni: number;
  remote: string;
  local?: string;
  dstport: number;
  range: SourceRange;
}

export interface DesiredLinuxBridge {
  name: string;
  /** Existing interfaces to enslave. */
  members: string[];
  tunnels: DesiredKernelTunnel[];
  range: SourceRange;
}

export interface DesiredAddress {
  device: string;
  cidr: string;
  range: SourceRange;
}

export interface DesiredMtu {
  device: string;
  mtu: number;
  /** Set through OVS (`mtu_request`) because OVS owns the device. */
  viaOvs: boolean;
  range: SourceRange;
}

export interface DesiredHost {
  host: string;
  ovsBridges: DesiredOvsBridge[];
  linuxBridges: DesiredLinuxBridge[];
  addresses: DesiredAddress[];
  mtus: DesiredMtu[];
  /** Interfaces a bridge takes over: any address they hold is lost once bridged, so it is flushed. */
  bridged: string[];
  /** Devices that must be administratively up: declared interfaces, bridges and their ports. */
  up: string[];
}

function tunnelOf(lab: Lab, host: string, bridge: string, port: string): ResolvedTunnel | undefined {
  return lab.tunnels.find((t) => t.host === host && t.bridge === bridge && t.port === port);
}

function ovsPort(lab: Lab, host: LabHost, bridge: LabBridge, port: LabPort): DesiredOvsPort {
  const base = { name: port.name, tag: port.vlan, range: port.range };
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

function kernelTunnel(lab: Lab, host: LabHost, bridge: LabBridge, port: LabPort): DesiredKernelTunnel | undefined {
  const tunnel = tunnelOf(lab, host.name, bridge.name, port.name);
  if (!tunnel) return undefined;
  return { name: port.name, type: tunnel.type, vni: tunnel.vni, remote: tunnel.remoteAddress, local: tunnel.localAddress, dstport: tunnel.dstport, range: port.range };
}

export function desiredHost(lab: Lab, hostName: string): DesiredHost {
  const host = lab.hosts.find((h) => h.name === hostName);
  if (!host) throw new Error(`${hostName} is not a host of the lab`);
  const ovsDevices = new Set<string>();
  const desired: DesiredHost = { host: hostName, ovsBridges: [], linuxBridges: [], addresses: [], mtus: [], bridged: [], up: [] };

  for (const bridge of host.bridges) {
    if (bridge.kind === 'ovs') {
      desired.ovsBridges.push({ name: bridge.name, datapath: bridge.datapath, ports: bridge.ports.map((port) => ovsPort(lab, host, bridge, port)), range: bridge.range });
      ovsDevices.add(bridge.name);
      for (const port of bridge.ports) if (port.type === 'internal') ovsDevices.add(port.name);
    } else {
      desired.linuxBridges.push({
        name: bridge.name,
        members: bridge.ports.filter((p) => p.type === 'system').map((p) => p.name),
        tunnels: bridge.ports.map((port) => kernelTunnel(lab, host, bridge, port)).filter((t): t is DesiredKernelTunnel => t !== undefined),
        range: bridge.range,
      });
    }
    desired.up.push(bridge.name);
    for (const port of bridge.ports) {
      if (port.type === 'system') desired.bridged.push(port.name);
      if (port.type === 'system' || port.type === 'internal' || bridge.kind === 'linux') desired.up.push(port.name);
    }
    bridge.addresses.forEach((cidr, i) => desired.addresses.push({ device: bridge.name, cidr, range: bridge.addressRanges?.[i] ?? bridge.range }));
    if (bridge.mtu !== undefined) desired.mtus.push({ device: bridge.name, mtu: bridge.mtu, viaOvs: bridge.kind === 'ovs', range: bridge.fieldRanges?.mtu ?? bridge.range });
  }
  for (const iface of host.interfaces) {
    if (!desired.up.includes(iface.name)) desired.up.push(iface.name);
    iface.addresses.forEach((cidr, i) => desired.addresses.push({ device: iface.name, cidr, range: iface.addressRanges?.[i] ?? iface.range }));
    if (iface.mtu !== undefined) desired.mtus.push({ device: iface.name, mtu: iface.mtu, viaOvs: ovsDevices.has(iface.name), range: iface.fieldRanges?.mtu ?? iface.range });
  }
  return desired;
}

/** Every port name of a host that lives on an OVS bridge, for telling OVS-owned devices apart. */
export function ovsPortNames(lab: Lab, hostName: string): Set<string> {
  const host = lab.hosts.find((h) => h.name === hostName);
  return new Set(host ? portsOf(host).filter(({ bridge }) => bridge.kind === 'ovs').map(({ port }) => port.name) : []);
}
