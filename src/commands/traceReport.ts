// The words and shapes of a trace in the editor: the choices offered for its ends, the report
// (Markdown, to read and to copy into a ticket), and the overlay drawn on the topology. Pure.

import { addressesOf } from '../lab/resolve';
import type { Lab } from '../lab/types';
import type { TraceResultV2 as TraceResult } from '../trace/traceResultV2';
import type { TraceOverlay } from '../webview/protocol';

export interface AddressChoice {
  label: string;
  description: string;
  address: string;
}

/** The devices of a host that hold an address: where a probe can start. */
export function sourceChoices(lab: Lab, host: string): AddressChoice[] {
  const labHost = lab.hosts.find((h) => h.name === host);
  if (!labHost) return [];
  return addressesOf(labHost).map((held) => ({ label: held.holder.name, description: held.cidr, address: held.cidr.split('/')[0] }));
}

/** Every address of the other hosts: where a probe can go. */
export function destinationChoices(lab: Lab, fromHost: string): AddressChoice[] {
  return lab.hosts
    .filter((host) => host.name !== fromHost)
    .flatMap((host) => addressesOf(host).map((held) => ({ label: held.cidr.split('/')[0], description: `${host.name} ${held.holder.name}${held.holder.underlay ? ' (underlay)' : ''}`, address: held.cidr.split('/')[0] })));
}

export function traceSummary(result: TraceResult): string {
  const route = `${result.from.host}:${result.from.interface} → ${result.to}`;
  if (result.delivered) return `${route}: delivered.`;
  if (result.lostBetween) {
    const { from, to, segment } = result.lostBetween;
    return `${route}: lost between ${from.host}:${from.interface} and ${to.host}:${to.interface}${segment ? ` (${segment})` : ''}.`;
  }
  return `${route}: not delivered.`;
}

export function traceOverlay(result: TraceResult): TraceOverlay {
  return {
    delivered: result.delivered,
    summary: traceSummary(result),
    points: result.hops.map((hop) => ({ host: hop.host, iface: hop.interface, seen: hop.seen, count: hop.count, encapsulated: hop.encapsulated })),
    lostBetween: result.lostBetween ? { from: { host: result.lostBetween.from.host, iface: result.lostBetween.from.interface }, to: { host: result.lostBetween.to.host, iface: result.lostBetween.to.interface } } : undefined,
    hint: result.hints[0],
  };
}

export function traceMarkdown(lab: string, result: TraceResult, elapsedMs: number): string {
  const lines = [
    `# Trace: ${result.from.host}:${result.from.interface}${result.from.address ? ` (${result.from.address})` : ''} → ${result.to}`,
    '',
    `Lab **${lab}**, probe **${result.probes[result.probes.length - 1] === 'arp' ? 'ARP request' : 'ICMP echo request'}**, ${result.delivered ? '**delivered**' : '**not delivered**'} (${(elapsedMs / 1000).toFixed(1)} s).`,
    '',
    '| | host | interface | encapsulated | frames |',
    '|---|---|---|---|---|',
    ...result.hops.map((hop) => `| ${hop.seen ? '✔' : '✘'} | ${hop.host} | ${hop.interface} | ${hop.encapsulated ? 'yes' : ''} | ${hop.count} |`),
    '',
  ];
  if (result.lostBetween) {
    const { from, to, segment } = result.lostBetween;
    lines.push(`**Lost between ${from.host}:${from.interface} and ${to.host}:${to.interface}** (${segment}).`, '');
  }
  if (result.hints.length) lines.push('## Why', '', ...result.hints.map((hint) => `- ${hint}`), '');
  return lines.join('\n');
}
