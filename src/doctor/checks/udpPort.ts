// Check 6: both ends of a VXLAN or Geneve tunnel send to, and listen on, the same UDP port. The
// usual trap: a kernel vxlan device created without `dstport` uses 8472 (the Linux default from
// before IANA assigned 4789), while OVS and everything else use 4789.

import { TUNNEL_KINDS } from '../../lab/tunnelKinds';
import { stateOf, type Check } from '../input';
import { actualTunnel, tunnelPairs } from '../tunnelEnds';
import type { Finding } from '../types';

const KERNEL_VXLAN_DEFAULT = TUNNEL_KINDS.vxlan.kernelDefaultDstport;

export const checkUdpPorts: Check = (input) => {
  const findings: Finding[] = [];
  for (const { a, b } of tunnelPairs(input.lab)) {
    if (a.type === 'gre') continue;
    const stateA = stateOf(input, a.host);
    const stateB = stateOf(input, b.host);
    if (!stateA || !stateB) continue;
    const ends = [
      { tunnel: a, actual: actualTunnel(stateA, a.port) },
      { tunnel: b, actual: actualTunnel(stateB, b.port) },
    ];
    const [x, y] = ends;
    if (!x.actual || !y.actual || x.actual.type !== y.actual.type) continue; // the symmetry check says why
    const px = x.actual.dstPort;
    const py = y.actual.dstPort;
    if (px === undefined || py === undefined || px === py) continue;
    const wrong = px !== x.tunnel.dstport ? x : y;
    const right = wrong === x ? y : x;
    const wrongPort = wrong.actual!.dstPort!;
    const kernelDefault =
      wrong.actual!.where === 'kernel' && wrong.actual!.type === 'vxlan' && wrongPort === KERNEL_VXLAN_DEFAULT
        ? ` ${KERNEL_VXLAN_DEFAULT} is what the Linux kernel uses for a vxlan device created without dstport.`
        : '';
    const fix =
      wrong.actual!.where === 'kernel'
        ? `re-create ${wrong.tunnel.port} on ${wrong.tunnel.host} with dstport ${wrong.tunnel.dstport} (ip link add … dstport ${wrong.tunnel.dstport}, or overlay-lab apply)`
        : `ovs-vsctl set interface ${wrong.tunnel.port} options:dst_port=${wrong.tunnel.dstport} on ${wrong.tunnel.host} (or overlay-lab apply)`;
    findings.push({
      id: 'tunnel-udp-port-mismatch',
      check: 'udp-port',
      severity: 'error',
      host: wrong.tunnel.host,
      hosts: [wrong.tunnel.host, right.tunnel.host],
      subject: { kind: 'port', name: wrong.tunnel.port, bridge: wrong.actual!.bridge ?? wrong.tunnel.bridge },
      message: `${wrong.tunnel.port} on ${wrong.tunnel.host} uses UDP port ${wrongPort} but its peer ${right.tunnel.port} on ${right.tunnel.host} uses ${right.actual!.dstPort}, so neither hears the other.${kernelDefault} The lab file says ${wrong.tunnel.dstport}.`,
      fix,
      range: wrong.tunnel.range,
      values: { [wrong.tunnel.host]: wrongPort, [right.tunnel.host]: right.actual!.dstPort!, lab: wrong.tunnel.dstport },
    });
  }
  return findings;
};
