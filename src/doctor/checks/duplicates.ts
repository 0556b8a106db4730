// Check 7: duplicate addresses and MACs across the lab, where they are real faults:
//   - one IP address on two hosts, when at least one of them holds it on an interface or bridge
//     the lab declares or wires (docker0's 172.17.0.1 on every host is nobody's business);
//   - one MAC address on two hosts inside one L2 domain the lab builds (see l2Domains.ts).
// Left alone on purpose: a MAC shared on one host (OVS's br-phy takes eth0's MAC by design),
// 00:00:00:00:00:00, tunnel devices (their MACs never reach the wire), link-local and loopback
// addresses (IPv6 link-local ones follow from the MAC, so the MAC finding covers them).

import { addressKey } from '../../hosts/sameAddress';
import type { HostState } from '../../hosts/types';
import { listText, readHosts, type Check } from '../input';
import { l2Domains } from '../l2Domains';
import { isKernelTunnelKind } from '../../lab/tunnelKinds';
import type { Finding } from '../types';

interface Holder {
  host: string;
  link: string;
  declared: boolean;
  cidr?: string;
}

const IGNORED_LINKS = new Set(['lo', 'ovs-netdev', 'ovs-system']);

export const checkDuplicates: Check = (input) => {
  const read = readHosts(input);
  const states: Record<string, HostState> = Object.fromEntries(read.map(({ host, state }) => [host.name, state]));
  const domains = l2Domains(input.lab, states);
  const declaredLinks = read.flatMap(({ host }) => [...host.interfaces, ...host.bridges].map((holder) => ({ host: host.name, link: holder.name })));
  const declared = new Set(declaredLinks.map(({ host, link }) => `${host}:${link}`));
  // The domains the lab is part of: those holding a link it declares or a segment member.
  const segmentMembers = input.lab.segments.flatMap((s) => s.members.map((m) => ({ host: m.host, link: m.interface })));
  const labDomains = new Set([...declaredLinks, ...segmentMembers].map(({ host, link }) => domains.domainOf(host, link)).filter((d): d is string => d !== undefined));
  const wired = new Set(domains.members().filter(({ host, link }) => labDomains.has(domains.domainOf(host, link) ?? '')).map(({ host, link }) => `${host}:${link}`));

  const byIp = new Map<string, { ip: string; holders: Holder[] }>();
  const byMac = new Map<string, { mac: string; holders: Holder[] }>();
  for (const { host, state } of read) {
    for (const link of state.links) {
      if (IGNORED_LINKS.has(link.name)) continue;
      const id = `${host.name}:${link.name}`;
      const holder = { host: host.name, link: link.name, declared: declared.has(id) };
      for (const address of link.addresses) {
        if (address.scope !== 'global' && address.scope !== undefined) continue;
        const ip = address.cidr.split('/')[0];
        const key = addressKey(ip);
        const entry = byIp.get(key) ?? { ip, holders: [] };
        entry.holders.push({ ...holder, cidr: address.cidr });
        byIp.set(key, entry);
      }
      if (!link.mac || link.mac === '00:00:00:00:00:00' || isKernelTunnelKind(link.kind) || link.kind === 'openvswitch') continue;
      const domain = domains.domainOf(host.name, link.name);
      if (domain === undefined) continue;
      const key = `${domain}|${link.mac}`;
      const entry = byMac.get(key) ?? { mac: link.mac, holders: [] };
      entry.holders.push(holder);
      byMac.set(key, entry);
    }
  }

  const findings: Finding[] = [];
  for (const { ip, holders } of byIp.values()) {
    const hosts = [...new Set(holders.map((h) => h.host))];
    if (hosts.length < 2 || !holders.some((h) => h.declared || wired.has(`${h.host}:${h.link}`))) continue;
    // The one holding it where the lab does not say so is the likelier mistake.
    const culprit = holders.find((h) => !h.declared) ?? holders[holders.length - 1];
    findings.push({
      id: 'duplicate-address',
      check: 'duplicates',
      severity: 'error',
      host: culprit.host,
      hosts: [culprit.host, ...hosts.filter((h) => h !== culprit.host)],
      subject: subjectOf(states[culprit.host], culprit.link),
      message: `${ip} is held by ${listText(holders.map((h) => `${h.link} on ${h.host}`))}: neighbours' ARP caches flip between them, and traffic for one reaches the other.`,
      fix: `remove ${ip} from ${culprit.link} on ${culprit.host} (ip addr del ${culprit.cidr ?? ip} dev ${culprit.link}), or give it another address`,
      range: input.lab.hosts.find((h) => h.name === culprit.host)?.range,
      values: { address: ip },
    });
  }
  for (const { mac, holders } of byMac.values()) {
    const hosts = [...new Set(holders.map((h) => h.host))];
    if (hosts.length < 2) continue;
    const culprit = holders.find((h) => !h.declared) ?? holders[holders.length - 1];
    findings.push({
      id: 'duplicate-mac',
      check: 'duplicates',
      severity: 'error',
      host: culprit.host,
      hosts: [culprit.host, ...hosts.filter((h) => h !== culprit.host)],
      subject: subjectOf(states[culprit.host], culprit.link),
      message: `MAC address ${mac} is used by ${listText(holders.map((h) => `${h.link} on ${h.host}`))}, which are on one L2 network: bridges learn it on the wrong port and deliver one host's frames to the other.`,
      fix: `give ${culprit.link} on ${culprit.host} its own MAC address (ip link set dev ${culprit.link} address …; for an OVS bridge, ovs-vsctl set bridge ${culprit.link} other_config:hwaddr=…); cloned virtual machines often share MACs`,
      values: { mac },
    });
  }
  return findings;
};

function subjectOf(state: HostState | undefined, link: string): Finding['subject'] {
  const bridge = state?.bridges.find((b) => b.name === link || b.ports.some((p) => p.name === link));
  if (bridge?.name === link) return { kind: 'bridge', name: link };
  if (bridge) return { kind: 'port', name: link, bridge: bridge.name };
  if (state?.links.find((l) => l.name === link)?.kind === 'bridge') return { kind: 'bridge', name: link };
  return { kind: 'interface', name: link };
}
