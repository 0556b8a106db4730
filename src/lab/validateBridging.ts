// What a host's bridges do to its interfaces: one name is one device, an interface joins one
// bridge at most, and an interface that joins a bridge stops holding addresses (apply flushes
// them, as `ip addr flush dev eth2` would; an address on a bridged port never worked anyway).
// Also: which interface or bridge carries the host's tunnels (`underlay: true`).

import { lineOf, type DiagnosticSink } from './diagnostics';
import { interfaceOwner, portsOf, type HostPort } from './resolve';
import type { Lab, LabBridge, LabHost, LabInterface } from './types';

export function validateBridging(lab: Lab, sink: DiagnosticSink): void {
  for (const host of lab.hosts) {
    checkBridgeInterfaceNames(sink, host);
    checkPortNames(sink, host);
    checkBridgedAddresses(sink, host);
    checkUnderlayMarks(sink, host);
  }
}

function checkBridgeInterfaceNames(sink: DiagnosticSink, host: LabHost): void {
  for (const iface of host.interfaces) {
    const bridge = host.bridges.find((b) => b.name === iface.name);
    if (!bridge) continue;
    sink.error(
      iface.range,
      `${iface.name} is declared both as a bridge (${lineOf(bridge.range)}) and as an interface of ${host.name}; put its address, mtu and underlay under bridges.${iface.name}`,
    );
  }
}

/** On one host a name is one device: a port appears once, in one bridge, and is not a bridge. */
function checkPortNames(sink: DiagnosticSink, host: LabHost): void {
  const first = new Map<string, HostPort>();
  for (const current of portsOf(host)) {
    const { bridge, port } = current;
    if (host.bridges.some((b) => b.name === port.name)) {
      sink.error(port.range, `port ${port.name} has the name of a bridge of ${host.name}; to connect two OVS bridges, use a pair of patch ports`);
      continue;
    }
    const earlier = first.get(port.name);
    if (!earlier) {
      first.set(port.name, current);
      continue;
    }
    const where = `${lineOf(earlier.port.range)}`;
    if (earlier.bridge === bridge) {
      sink.error(port.range, `port ${port.name} is listed twice in bridge ${bridge.name} (first at ${where}); list it once`);
    } else if (earlier.port.type === 'system' && port.type === 'system') {
      sink.error(
        port.range,
        `interface ${port.name} is already a port of bridge ${earlier.bridge.name} (${where}); an interface can be enslaved to one bridge only`,
      );
    } else {
      sink.error(
        port.range,
        `port name ${port.name} is already used on ${host.name} by bridge ${earlier.bridge.name} (${where}); port names must be unique on a host`,
      );
    }
  }
}

function checkBridgedAddresses(sink: DiagnosticSink, host: LabHost): void {
  for (const iface of host.interfaces) {
    if (iface.addresses.length === 0) continue;
    const owner = interfaceOwner(host, iface.name);
    if (!owner) continue;
    const alsoUnderlay = iface.underlay ? ' (and underlay: true)' : '';
    sink.warning(
      iface.addressRanges?.[0] ?? iface.range,
      `${iface.name} holds ${iface.addresses.join(', ')} but is a port of bridge ${owner.name}: once bridged it loses its addresses, as after ip addr flush dev ${iface.name}; move the address${alsoUnderlay} to the bridge (bridges.${owner.name}.address)`,
    );
  }
}

function checkUnderlayMarks(sink: DiagnosticSink, host: LabHost): void {
  const marked: { holder: LabInterface | LabBridge; kind: 'interface' | 'bridge' }[] = [
    ...host.interfaces.filter((i) => i.underlay).map((holder) => ({ holder, kind: 'interface' as const })),
    ...host.bridges.filter((b) => b.underlay).map((holder) => ({ holder, kind: 'bridge' as const })),
  ];
  let carrier: (typeof marked)[number] | undefined;
  for (const mark of marked) {
    const at = mark.holder.fieldRanges?.underlay ?? mark.holder.range;
    if (mark.holder.addresses.length === 0) {
      sink.warning(at, `${mark.kind} ${mark.holder.name} is marked underlay but has no address; tunnels to ${host.name} need an address here`);
    } else if (!carrier) {
      carrier = mark;
    } else {
      sink.warning(
        at,
        `${host.name} already carries its tunnels on ${carrier.kind} ${carrier.holder.name} (${lineOf(carrier.holder.range)}), so this underlay: true has no effect; mark one underlay per host`,
      );
    }
  }
}
