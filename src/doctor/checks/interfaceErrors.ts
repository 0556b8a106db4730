// Check 10: what Open vSwitch itself says is wrong with an interface (the Interface table's
// `error` column: a device that does not exist, a tunnel it refused), and declared ports whose
// link is down. Only while ovs-vswitchd runs: it writes these columns, and a stopped one leaves
// them stale (the daemon check reports that).

import { portsOf } from '../../lab/resolve';
import { readHosts, type Check } from '../input';
import type { Finding } from '../types';

function fixFor(host: string, bridge: string, name: string, error: string): string {
  if (/could not open network device/i.test(error) && /no such device/i.test(error)) {
    return `create ${name} on ${host}, or remove the port: ovs-vsctl del-port ${bridge} ${name}`;
  }
  if (/same config as port/i.test(error)) return `give ${name} on ${host} a different remote_ip, key or dst_port from the port it repeats, or remove it`;
  if (/unknown .*type|unsupported/i.test(error)) return `check that ${name}'s type is available on ${host} (ovs-vsctl get Open_vSwitch . iface_types)`;
  return `see /var/log/openvswitch/ovs-vswitchd.log on ${host} for ${name}`;
}

export const checkInterfaceErrors: Check = (input) => {
  const findings: Finding[] = [];
  for (const { host, state } of readHosts(input)) {
    if (state.ovs.state !== 'running') continue;
    const declared = new Map(portsOf(host).map(({ port }) => [port.name, port]));
    for (const bridge of state.bridges) {
      for (const port of bridge.ports) {
        for (const iface of port.interfaces) {
          const subject = { kind: 'port' as const, name: iface.name, bridge: bridge.name };
          const range = declared.get(iface.name)?.range;
          if (iface.error) {
            findings.push({
              id: 'ovs-interface-error',
              check: 'interface-errors',
              severity: 'error',
              host: host.name,
              hosts: [host.name],
              subject,
              message: `Open vSwitch on ${host.name} reports an error for ${iface.name} on bridge ${bridge.name}: ${iface.error}.`,
              fix: fixFor(host.name, bridge.name, iface.name, iface.error),
              range,
              values: { error: iface.error },
            });
          } else if (declared.has(iface.name) && iface.type === 'system' && iface.linkState === 'down') {
            findings.push({
              id: 'ovs-interface-down',
              check: 'interface-errors',
              severity: 'warning',
              host: host.name,
              hosts: [host.name],
              subject,
              message: `${iface.name} on bridge ${bridge.name} of ${host.name} has no link${iface.adminState === 'down' ? ' (it is administratively down)' : ''}, so nothing crosses it.`,
              fix: iface.adminState === 'down' ? `ip link set dev ${iface.name} up on ${host.name}` : `check ${iface.name}'s cable or virtual link on ${host.name}`,
              range,
            });
          }
        }
      }
    }
  }
  return findings;
};
