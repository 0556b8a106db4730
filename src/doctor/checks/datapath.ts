// Check 2: an OVS bridge with the `system` datapath is the kernel's: it needs the openvswitch
// kernel module. `netdev` bridges run in ovs-vswitchd and need no module. Containers and some
// cloud kernels have no module, and then a system bridge is created in the database and never
// forwards (ovs-vswitchd logs "could not create datapath … of unknown type system").

import { listText, readHosts, type Check } from '../input';
import type { Finding } from '../types';

export const checkDatapath: Check = (input) => {
  const findings: Finding[] = [];
  for (const { host, state } of readHosts(input)) {
    const facts = input.measurements?.hosts[host.name];
    // Declared system bridges, and system bridges the host has that the lab does not declare.
    const declared = host.bridges.filter((b) => b.kind === 'ovs' && b.datapath === 'system');
    const declaredNames = new Set(host.bridges.map((b) => b.name));
    const extra = state.bridges.filter((b) => b.datapathType === 'system' && !declaredNames.has(b.name));
    const bridges = [...declared.map((b) => b.name), ...extra.map((b) => b.name)];
    if (bridges.length === 0) continue;
    const module = facts?.ovsModule;
    const typesKnown = facts?.datapathTypes !== undefined && state.ovs.state === 'running';
    const ovsRefuses = typesKnown && !facts!.datapathTypes!.includes('system');
    const moduleMissing = module === 'absent' || module === 'loadable';
    if (!ovsRefuses && !moduleMissing) continue;
    const which = `bridge${bridges.length === 1 ? '' : 's'} ${listText(bridges)}`;
    const why: string[] = [];
    if (module === 'absent') why.push(`the openvswitch kernel module is neither loaded nor installed on ${host.name}`);
    else if (module === 'loadable') why.push(`the openvswitch kernel module is installed on ${host.name} but not loaded`);
    if (ovsRefuses) why.push(`ovs-vswitchd there offers only the ${listText(facts!.datapathTypes!)} datapath${facts!.datapathTypes!.length === 1 ? '' : 's'}`);
    const load = module === 'loadable' ? `load the module (modprobe openvswitch) and restart Open vSwitch on ${host.name}` : `install a kernel with the openvswitch module on ${host.name}`;
    findings.push({
      id: 'datapath-system-unavailable',
      check: 'datapath',
      severity: 'error',
      host: host.name,
      hosts: [host.name],
      subject: { kind: 'bridge', name: bridges[0] },
      message: `${which[0].toUpperCase()}${which.slice(1)} on ${host.name} use${bridges.length === 1 ? 's' : ''} the kernel (system) datapath, but ${listText(why)}, so ${bridges.length === 1 ? 'it forwards' : 'they forward'} nothing.`,
      fix: `use datapath: netdev (the userspace datapath) for ${listText(bridges)}, or ${load}`,
      range: declared[0]?.fieldRanges?.datapath ?? declared[0]?.range,
      values: { module: module ?? 'unknown', datapathTypes: facts?.datapathTypes?.join(',') ?? 'unknown' },
    });
  }
  return findings;
};
