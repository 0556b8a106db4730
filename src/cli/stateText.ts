// The human form of `overlay-lab state`: per host, its bridges and ports, the interfaces the lab
// cares about, and the drift, in the lab file's order. Pure, so it is tested on recorded states.

import type { HostState, LabState, LinkState, OvsInterface } from '../hosts/types';
import type { Lab } from '../lab/types';
import { isNotReached } from '../ssh/errors';

function ovsSummary(state: HostState): string {
  if (state.ovs.state === 'running') return `Open vSwitch ${state.ovs.version ?? '(version unknown)'}`;
  if (state.ovs.state === 'stopped') return 'Open vSwitch stopped';
  if (state.ovs.state === 'unreadable') return `Open vSwitch running but not readable`;
  return 'no Open vSwitch';
}

function tunnelOptions(iface: OvsInterface): string {
  const keys = ['remote_ip', 'local_ip', 'key', 'dst_port', 'peer'];
  return keys.filter((key) => iface.options[key] !== undefined).map((key) => `${key}=${iface.options[key]}`).join(' ');
}

function linkLine(link: LinkState): string {
  const addresses = link.addresses.filter((a) => a.scope !== 'link').map((a) => a.cidr);
  const parts = [link.name.padEnd(12), link.operState.padEnd(8), `mtu ${link.mtu}`, link.mac ?? ''];
  if (link.master) parts.push(`(port of ${link.master})`);
  if (addresses.length) parts.push(addresses.join(' '));
  return parts.filter(Boolean).join('  ');
}

/** The interfaces worth showing for a host: the ones the lab names, in the lab's order. */
function declaredLinks(lab: Lab, host: string, state: HostState): LinkState[] {
  const labHost = lab.hosts.find((h) => h.name === host);
  const names = new Set<string>([...(labHost?.interfaces.map((i) => i.name) ?? []), ...(labHost?.bridges.map((b) => b.name) ?? [])]);
  return state.links.filter((link) => names.has(link.name));
}

export function renderLabStateText(lab: Lab, labState: LabState): string {
  const out: string[] = [];
  for (const host of lab.hosts) {
    const reading = labState.hosts[host.name];
    if (!reading) continue;
    if (!reading.ok) {
      // A host that answered is not unreachable: its state could not be read, for the reason given.
      out.push(`${host.name}  ${isNotReached(reading.failure.kind) ? 'UNREACHABLE' : 'REACHED, NOT READ'}  ${reading.failure.message}`, '');
      continue;
    }
    const state = reading.state;
    const system = [state.system.distribution, state.system.kernel && `kernel ${state.system.kernel}`, ovsSummary(state), `read in ${Math.round(state.elapsedMs)} ms`];
    out.push(`${host.name}  ${system.filter(Boolean).join(' · ')}`);
    for (const bridge of state.bridges) {
      out.push(`  bridge ${bridge.name} (ovs, ${bridge.datapathType || 'system'})`);
      for (const port of bridge.ports) {
        for (const iface of port.interfaces) {
          const tag = port.tag !== undefined ? ` tag=${port.tag}` : '';
          out.push(`    ${iface.name.padEnd(12)} ${(iface.type || 'system').padEnd(8)} ${iface.linkState ?? ''}${tag} ${tunnelOptions(iface)}${iface.error ? `  error: ${iface.error}` : ''}`.trimEnd());
        }
      }
    }
    const links = declaredLinks(lab, host.name, state);
    if (links.length) {
      out.push('  interfaces');
      for (const link of links) out.push(`    ${linkLine(link)}`);
    }
    for (const note of state.notes) out.push(`  note: ${note}`);
    const drift = labState.drift.filter((item) => item.subject.host === host.name);
    if (drift.length) {
      out.push('  drift');
      for (const item of drift) out.push(`    ! ${item.message}${item.range ? `  (${lab.file}:${item.range.line})` : ''}`);
    }
    out.push('');
  }
  const failed = Object.values(labState.hosts).filter((reading) => !reading.ok).length;
  const total = Object.keys(labState.hosts).length;
  out.push(`${total - failed}/${total} hosts reachable, ${labState.drift.length} drift item${labState.drift.length === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
