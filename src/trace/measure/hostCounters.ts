// One round trip per host for the counters a trace compares before and after its probe: the
// interfaces' packet and drop counters, each bridge's OpenFlow rules with their n_packets, and
// the firewall's rule counters (nftables, iptables). Bridge names come from the lab file (strict
// names) and reach the script as positional arguments, never as script text.

import { PROBE_MARKER, SECTION_PRELUDE } from '../../hosts/probeScript';
import { splitProbeOutput, succeeded } from '../../hosts/probeSections';
import { parseIpLinks } from '../../hosts/ipLinks';
import type { ProbeTransport } from '../../hosts/probe';
import type { LinkState } from '../../hosts/types';
import { parseFlows, type FlowRule } from './openflowRules';
import { parseIptablesSave, parseNftRuleset, type FirewallRule } from './firewallRules';

export const HOST_COUNTERS_SCRIPT = `M='${PROBE_MARKER}'
printf '%s format 1\\n' "$M"
${SECTION_PRELUDE}section links ip -s -j link show
section addrs ip -j addr show
for b in "$@"; do
  command -v ovs-ofctl >/dev/null 2>&1 && section "flows:$b" ovs-ofctl dump-flows "$b"
done
command -v nft >/dev/null 2>&1 && section nft nft -j list ruleset
command -v iptables-save >/dev/null 2>&1 && section iptables iptables-save -c
section echo_ignore cat /proc/sys/net/ipv4/icmp_echo_ignore_all
`;

export interface HostCounters {
  host: string;
  links?: LinkState[];
  /** Per OVS bridge: its rules, when ovs-ofctl answered. */
  flows: Record<string, FlowRule[]>;
  /** Why a bridge's rules could not be read. */
  flowProblems: Record<string, string>;
  firewall?: FirewallRule[];
  /** net.ipv4.icmp_echo_ignore_all. */
  echoIgnoreAll?: boolean;
  problem?: string;
}

export function hostCountersArgv(bridges: readonly string[]): string[] {
  return ['sh', '-c', HOST_COUNTERS_SCRIPT, 'sh', ...bridges];
}

export function parseHostCounters(host: string, stdout: string): HostCounters {
  const { sections } = splitProbeOutput(stdout);
  const counters: HostCounters = { host, flows: {}, flowProblems: {} };
  const links = sections.get('links');
  if (succeeded(links)) {
    try {
      const addrs = sections.get('addrs');
      counters.links = parseIpLinks(links.stdout, succeeded(addrs) ? addrs.stdout : undefined);
    } catch {
      // Without links, the interface counters are unknown; the rest still counts.
    }
  }
  for (const [name, section] of sections) {
    if (!name.startsWith('flows:')) continue;
    const bridge = name.slice('flows:'.length);
    if (succeeded(section)) counters.flows[bridge] = parseFlows(section.stdout);
    else counters.flowProblems[bridge] = section.stderr.split('\n')[0] || `ovs-ofctl exited with ${section.status}`;
  }
  const rules: FirewallRule[] = [];
  const nft = sections.get('nft');
  if (succeeded(nft)) rules.push(...parseNftRuleset(nft.stdout));
  const iptables = sections.get('iptables');
  if (succeeded(iptables)) rules.push(...parseIptablesSave(iptables.stdout));
  if (succeeded(nft) || succeeded(iptables)) counters.firewall = rules;
  const ignore = sections.get('echo_ignore');
  if (succeeded(ignore)) counters.echoIgnoreAll = ignore.stdout.trim() === '1';
  return counters;
}

/** Never throws: a host that cannot be read gets counters that say why. */
export async function readHostCounters(pool: ProbeTransport, host: { name: string; sudo: boolean }, bridges: readonly string[], signal?: AbortSignal): Promise<HostCounters> {
  try {
    const result = await pool.exec(host.name, hostCountersArgv(bridges), { sudo: host.sudo, signal, timeoutSeconds: 8 });
    if (result.cancelled) return { host: host.name, flows: {}, flowProblems: {}, problem: result.cancelled === 'timeout' ? 'reading its counters timed out' : 'cancelled' };
    return parseHostCounters(host.name, result.stdout);
  } catch (error) {
    return { host: host.name, flows: {}, flowProblems: {}, problem: (error as Error).message };
  }
}
