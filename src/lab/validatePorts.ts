// Each port against its own type and its bridge's kind: tunnels need a remote (and, on Linux,
// a VNI), tunnel fields on a non-tunnel port mean a forgotten `type`, patch ports need a peer
// that names them back, and Linux bridges have no internal ports, patch ports or VLAN tags.

import type { DiagnosticSink } from './diagnostics';
import { hasUnreadableType } from './draftNotes';
import { LIMITS } from './fields';
import { isTunnelType, portsOf } from './resolve';
import type { Lab, LabBridge, LabHost, LabPort } from './types';

export function validatePorts(lab: Lab, sink: DiagnosticSink): void {
  for (const host of lab.hosts) {
    for (const bridge of host.bridges) {
      if (bridge.kind === 'linux' && bridge.fieldRanges?.datapath) {
        sink.warning(bridge.fieldRanges?.datapath, `datapath applies only to ovs bridges; linux bridge ${bridge.name} ignores it`);
      }
      for (const port of bridge.ports) {
        if (hasUnreadableType(port)) continue;
        if (isTunnelType(port.type)) checkTunnelPort(sink, bridge, port);
        else checkTunnelFieldsAbsent(sink, port);
        if (port.type === 'patch') checkPatchPort(sink, host, bridge, port);
        else if (port.peer !== undefined) {
          sink.error(port.fieldRanges?.peer ?? port.range, `peer applies only to patch ports, and ${port.name} is ${aPortOf(port.type)}; add type: patch if it is one`);
        }
        if (bridge.kind === 'linux') checkLinuxBridgePort(sink, bridge, port);
      }
    }
  }
}

function checkTunnelPort(sink: DiagnosticSink, bridge: LabBridge, port: LabPort): void {
  if (port.remote === undefined) {
    sink.error(port.range, `${port.type} port ${port.name} needs a remote: a host of the lab or an IP address, e.g. remote: ovs-b`);
  }
  if (port.type !== 'gre' && port.vni !== undefined && port.vni > LIMITS.vni.max) {
    sink.error(
      port.fieldRanges?.vni ?? port.range,
      `vni must be from ${LIMITS.vni.min} to ${LIMITS.vni.max} for ${port.type} (a 24-bit VNI), not ${port.vni}`,
    );
  }
  if (bridge.kind === 'linux' && port.type !== 'gre' && port.vni === undefined) {
    sink.error(
      port.range,
      `${port.type} port ${port.name} is on linux bridge ${bridge.name}, and a Linux ${port.type} device needs a vni; add e.g. vni: 100, the same on both ends`,
    );
  }
  if (port.type === 'gre' && port.dstport !== undefined) {
    sink.warning(port.fieldRanges?.dstport ?? port.range, 'dstport has no effect on a gre port: GRE has no UDP port');
  }
}

/** "a system port", "an internal port". */
function aPortOf(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} port`;
}

const TUNNEL_FIELDS = ['remote', 'vni', 'dstport', 'local'] as const;

function checkTunnelFieldsAbsent(sink: DiagnosticSink, port: LabPort): void {
  for (const field of TUNNEL_FIELDS) {
    if (port[field] === undefined) continue;
    sink.error(
      port.fieldRanges?.[field] ?? port.range,
      `${field} applies only to tunnel ports, and ${port.name} is ${aPortOf(port.type)}${port.fieldRanges?.type ? '' : ' (the default type)'}; add type: vxlan, geneve or gre if it is a tunnel`,
    );
  }
}

function checkPatchPort(sink: DiagnosticSink, host: LabHost, bridge: LabBridge, port: LabPort): void {
  if (port.peer === undefined) {
    sink.error(port.range, `patch port ${port.name} needs a peer: the name of the patch port it connects to, e.g. peer: patch-br1`);
    return;
  }
  const at = port.fieldRanges?.peer ?? port.range;
  if (port.peer === port.name) {
    sink.error(at, `patch port ${port.name} cannot be its own peer; name the patch port on the other bridge`);
    return;
  }
  const other = portsOf(host).find(({ port: p }) => p.name === port.peer);
  if (!other) {
    sink.error(
      at,
      `peer ${port.peer} names no port of host ${host.name}; add { name: ${port.peer}, type: patch, peer: ${port.name} } to the bridge to connect`,
    );
    return;
  }
  if (other.port.type !== 'patch') {
    sink.error(at, `peer ${port.peer} is ${aPortOf(other.port.type)} of bridge ${other.bridge.name}, not a patch port; give it type: patch`);
    return;
  }
  if (other.port.peer !== port.name) {
    const theirs = other.port.peer === undefined ? 'no peer' : `peer ${other.port.peer}`;
    sink.error(at, `patch port ${port.name} has peer ${port.peer}, but ${port.peer} has ${theirs}; the two must name each other`);
    return;
  }
  if (other.bridge === bridge) {
    sink.warning(at, `patch ports ${port.name} and ${port.peer} are both on bridge ${bridge.name}, which only loops it back to itself; put ${port.peer} on the other bridge`);
  }
}

function checkLinuxBridgePort(sink: DiagnosticSink, bridge: LabBridge, port: LabPort): void {
  if (port.type === 'internal') {
    sink.error(
      port.fieldRanges?.type ?? port.range,
      `internal ports exist only on ovs bridges; on linux bridge ${bridge.name}, put the address on the bridge itself (bridges.${bridge.name}.address)`,
    );
  }
  if (port.type === 'patch') {
    sink.error(port.fieldRanges?.type ?? port.range, `patch ports exist only on ovs bridges, and ${bridge.name} is a linux bridge; use kind: ovs`);
  }
  // An error, not a warning: a Linux bridge without VLAN filtering would carry the port's traffic
  // untagged, and a lab that applies cleanly while mixing networks is worse than one that refuses.
  if (port.vlan !== undefined) {
    sink.error(
      port.fieldRanges?.vlan ?? port.range,
      `vlan applies only to ovs bridges: linux bridge ${bridge.name} would carry ${port.name}'s traffic untagged; remove vlan or use kind: ovs`,
    );
  }
}
