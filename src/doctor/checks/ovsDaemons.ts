// Check 1: a host that declares OVS bridges needs both Open vSwitch daemons: ovsdb-server holds
// the configuration, ovs-vswitchd forwards. With ovs-vswitchd down the bridges are still listed
// but nothing crosses them, which looks like a network fault from everywhere else.

import type { LabHost } from '../../lab/types';
import type { HostState } from '../../hosts/types';
import { listText, readHosts, type Check } from '../input';
import type { Finding } from '../types';

/** The systemd unit to start, from the distribution's name. */
export function ovsService(state: HostState): string {
  const distribution = state.system.distribution ?? '';
  if (/debian|ubuntu|mint|raspbian/i.test(distribution)) return 'openvswitch-switch';
  if (/red hat|fedora|centos|rocky|alma|suse|oracle/i.test(distribution)) return 'openvswitch';
  return 'openvswitch-switch (Debian, Ubuntu) or openvswitch (Red Hat, Fedora)';
}

function ovsBridges(host: LabHost): string[] {
  return host.bridges.filter((b) => b.kind === 'ovs').map((b) => b.name);
}

export const checkOvsDaemons: Check = (input) => {
  const findings: Finding[] = [];
  for (const { host, state } of readHosts(input)) {
    const bridges = ovsBridges(host);
    if (bridges.length === 0) continue;
    const declares = `${host.name}, which declares OVS bridge${bridges.length === 1 ? '' : 's'} ${listText(bridges)}`;
    const range = host.bridges.find((b) => b.kind === 'ovs')?.range ?? host.range;
    const base = { check: 'ovs-daemons' as const, host: host.name, hosts: [host.name], range };
    const ovs = state.ovs;
    const service = ovsService(state);
    if (ovs.state === 'missing') {
      findings.push({
        ...base,
        id: 'ovs-missing',
        severity: 'error',
        message: `Open vSwitch is not installed on ${declares}.`,
        fix: `install Open vSwitch on ${host.name} (apt-get install openvswitch-switch, or dnf install openvswitch) and start it`,
      });
    } else if (ovs.state === 'stopped') {
      const both = ovs.stopped.length === 2;
      const what = both
        ? `Neither ovsdb-server nor ovs-vswitchd is running on ${declares}`
        : ovs.stopped[0] === 'ovs-vswitchd'
          ? `ovs-vswitchd is not running on ${declares}: the bridges are configured but forward nothing`
          : `ovsdb-server is not running on ${declares}: its configuration cannot be read or changed (ovs-vswitchd forwards as last configured)`;
      findings.push({
        ...base,
        id: 'ovs-daemon-stopped',
        severity: 'error',
        message: `${what}.`,
        fix: `start Open vSwitch on ${host.name}: systemctl ${both || ovs.stopped[0] === 'ovs-vswitchd' ? 'start' : 'restart'} ${service}`,
        values: { stopped: ovs.stopped.join(',') },
      });
    } else if (ovs.state === 'unreadable') {
      findings.push({
        ...base,
        id: 'ovs-unreadable',
        severity: 'warning',
        message: `${ovs.message}; the doctor cannot check the OVS bridges of ${host.name}.`,
        fix: /sudo/.test(ovs.message) ? `set sudo: true for ${host.name} in the lab file` : `check Open vSwitch on ${host.name} (ovs-vsctl show)`,
      });
    }
  }
  return findings;
};
