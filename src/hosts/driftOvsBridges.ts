// Drift of the Open vSwitch bridges a host declares: each bridge and its datapath, each port,
// where it sits, its type, its tunnel options as OVS stores them, its VLAN tag, and any error
// OVS reports for it. Only run when the OVS database answered (HostState.bridgesKnown).

import { DEFAULT_DSTPORT } from '../lab/fields';
import { isTunnelType } from '../lab/resolve';
import type { Lab, LabBridge, LabHost, LabPort, ResolvedTunnel, TunnelType } from '../lab/types';
import { different, missing } from './driftItems';
import { sameIp } from './sameAddress';
import type { DriftItem, DriftSubject, HostState, OvsBridge, OvsInterface, OvsPort } from './types';

export function ovsBridgeDrift(lab: Lab, host: LabHost, state: HostState): DriftItem[] {
  const items: DriftItem[] = [];
  for (const bridge of host.bridges) {
    if (bridge.kind !== 'ovs') continue;
    const subject: DriftSubject = { host: host.name, kind: 'bridge', name: bridge.name };
    const actual = state.bridges.find((b) => b.name === bridge.name);
    if (!actual) {
      const linuxBridge = state.links.find((l) => l.name === bridge.name && l.kind === 'bridge');
      items.push(
        linuxBridge
          ? different(subject, `${bridge.name} is a Linux bridge; the lab says ovs`, bridge.fieldRanges?.kind ?? bridge.range, { expected: 'ovs', actual: 'linux' })
          : missing(subject, `bridge ${bridge.name} is missing`, bridge.range),
      );
    } else if (actual.datapathType !== bridge.datapath) {
      items.push(
        different(subject, `bridge ${bridge.name} has datapath ${actual.datapathType}; the lab says ${bridge.datapath}`, bridge.fieldRanges?.datapath ?? bridge.range, {
          expected: bridge.datapath,
          actual: actual.datapathType,
        }),
      );
    }
    for (const port of bridge.ports) items.push(...portDrift(lab, host, bridge, port, state.bridges));
  }
  return items;
}

function findPort(bridges: OvsBridge[], name: string): { bridge: OvsBridge; port: OvsPort } | undefined {
  for (const bridge of bridges) {
    const port = bridge.ports.find((p) => p.name === name);
    if (port) return { bridge, port };
  }
  return undefined;
}

function portDrift(lab: Lab, host: LabHost, bridge: LabBridge, port: LabPort, bridges: OvsBridge[]): DriftItem[] {
  const subject: DriftSubject = { host: host.name, kind: 'port', name: port.name, bridge: bridge.name };
  const found = findPort(bridges, port.name);
  if (!found) return [missing(subject, `port ${port.name} is missing from bridge ${bridge.name}`, port.range)];
  if (found.bridge.name !== bridge.name) {
    return [different(subject, `port ${port.name} is on bridge ${found.bridge.name}; the lab says ${bridge.name}`, port.range, { expected: bridge.name, actual: found.bridge.name })];
  }
  const iface = found.port.interfaces.find((i) => i.name === port.name) ?? found.port.interfaces[0];
  if (!iface) return [missing(subject, `port ${port.name} on bridge ${bridge.name} has no interface`, port.range)];

  if (iface.type !== port.type) {
    // Other options mean something else for another type: the type is the one difference to fix.
    return [different(subject, `${port.name} is a${/^[aeiou]/.test(iface.type) ? 'n' : ''} ${iface.type} port; the lab says ${port.type}`, port.fieldRanges?.type ?? port.range, { expected: port.type, actual: iface.type })];
  }
  const items: DriftItem[] = [];
  if (isTunnelType(port.type)) {
    const tunnel = lab.tunnels.find((t) => t.host === host.name && t.bridge === bridge.name && t.port === port.name);
    if (tunnel) items.push(...tunnelOptionDrift(subject, port, port.type, tunnel, iface));
  }
  if (port.type === 'patch' && port.peer !== undefined && iface.options.peer !== port.peer) {
    items.push(optionDiffers(subject, port, 'peer', iface.options.peer, port.peer, port.fieldRanges?.peer));
  }
  const tag = found.port.tag;
  if (tag !== port.vlan) {
    const has = tag === undefined ? 'no VLAN tag' : `VLAN tag ${tag}`;
    const says = port.vlan === undefined ? 'none' : String(port.vlan);
    items.push(different(subject, `${port.name} has ${has}; the lab says ${says}`, port.fieldRanges?.vlan ?? port.range, { expected: says, actual: tag === undefined ? 'none' : String(tag) }));
  }
  if (iface.error) {
    items.push(different(subject, `${port.name} on bridge ${bridge.name} has an error: ${iface.error}`, port.range, { expected: 'no error', actual: iface.error }));
  }
  return items;
}

/**
 * OVS stores what `ovs-vsctl set interface … options:…` was given: no `key` means key 0, no
 * `dst_port` the type's IANA port. `local_ip` is compared only when the lab gives `local`:
 * otherwise OVS picks the source address by route, which is what the lab means.
 */
function tunnelOptionDrift(subject: DriftSubject, port: LabPort, type: TunnelType, tunnel: ResolvedTunnel, iface: OvsInterface): DriftItem[] {
  const items: DriftItem[] = [];
  const options = iface.options;
  if (!sameIp(options.remote_ip, tunnel.remoteAddress)) {
    items.push(optionDiffers(subject, port, 'remote_ip', options.remote_ip, tunnel.remoteAddress, port.fieldRanges?.remote));
  }
  const key = options.key ?? '0';
  if (key !== String(tunnel.vni)) items.push(optionDiffers(subject, port, 'key', key, String(tunnel.vni), port.fieldRanges?.vni));
  if (type !== 'gre') {
    const dstPort = options.dst_port ?? String(DEFAULT_DSTPORT[type]);
    if (dstPort !== String(tunnel.dstport)) items.push(optionDiffers(subject, port, 'dst_port', dstPort, String(tunnel.dstport), port.fieldRanges?.dstport));
  }
  if (port.local !== undefined && !sameIp(options.local_ip, port.local)) {
    items.push(optionDiffers(subject, port, 'local_ip', options.local_ip, port.local, port.fieldRanges?.local));
  }
  return items;
}

function optionDiffers(subject: DriftSubject, port: LabPort, option: string, actual: string | undefined, expected: string, range = port.range): DriftItem {
  const has = actual === undefined ? `no ${option}` : `${option} ${actual}`;
  return different(subject, `${port.name} has ${has}; the lab says ${expected}`, range, { expected, actual: actual ?? 'none' });
}
