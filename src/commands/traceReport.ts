// The words and shapes of a trace in the editor: the choices offered for its ends, the one-line
// summary, the report (Markdown, both legs, the cause with its evidence, the hints), and what the
// topology draws (both legs, the place of loss, the banner). Pure: all of it comes from the
// version 2 result the trace core returns, and says no more than that result measured.

import { addressesOf } from '../lab/resolve';
import type { Lab } from '../lab/types';
import type { CauseConfidence, CauseKind, LostBetween, TraceCause, TraceDirection, TraceEndpoint, TraceHopV2, TraceProbe, TraceResultV2 } from '../trace/traceResultV2';
import type { TraceBanner, TraceOverlay, TracePoint } from '../webview/protocol';

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

// ---------------------------------------------------------------------------------------------
// Words.

/** What each cause kind means, in the words of the contract's table (every kind has its line). */
export const CAUSE_MEANING: Record<CauseKind, string> = {
  'mac-filter': "a segment the lab does not manage drops frames whose source MAC is not the port's own",
  'segment-filter': 'a segment the lab does not manage drops this kind of frame while it carries others from the same port and source MAC',
  'link-down': 'an interface on the path is administratively down or has no carrier',
  'missing-port': 'an interface or tunnel port the path needs is absent or not on its bridge',
  mtu: 'the frame is larger than a hop of the path carries',
  'vni-mismatch': 'the two tunnel ends use different keys (VNIs)',
  'remote-ip-mismatch': "a tunnel end's remote_ip is not the other end's underlay address",
  'dstport-mismatch': 'the two tunnel ends use different UDP ports',
  'underlay-filtered': "the underlay carries ICMP between the tunnel ends but not the tunnel's UDP (or GRE)",
  'underlay-unreachable': "the tunnel ends cannot reach each other's underlay address at all",
  'openflow-drop': 'an OpenFlow rule on the bridge drops the frame',
  'vswitchd-down': 'ovs-vswitchd does not run on the host where the frame stopped',
  'address-absent': "no host on the destination's segment holds the destination address",
  'host-firewall': 'the host received the frame and its firewall dropped it',
  'no-answer': 'the destination received the request and sent nothing, for no reason found',
  'no-route': 'the source cannot send towards the destination (no route, no address in the subnet)',
  unknown: 'the place of loss is known, its cause is not',
};

const CONFIDENCE_WORDS: Record<CauseConfidence, string> = {
  proved: 'proved',
  likely: 'likely, by elimination',
  unknown: 'not found',
};

const PROBE_NAME: Record<TraceProbe, string> = { arp: 'ARP', icmp: 'ICMP echo' };
const FRAME_NAME: Record<TraceProbe, Record<TraceDirection, string>> = {
  arp: { request: 'ARP request', reply: 'ARP reply' },
  icmp: { request: 'ICMP echo request', reply: 'ICMP echo reply' },
};

const at = (point: TraceEndpoint) => `${point.host}:${point.interface}`;
const sameEndpoint = (a: TraceEndpoint, b: TraceEndpoint) => a.host === b.host && a.interface === b.interface;

/** Where the frame was lost: "at test-a:eth2" when both ends are one point, else "between … and … (segment)". */
export function placeOfLoss(lost: LostBetween): string {
  if (sameEndpoint(lost.from, lost.to)) return `at ${at(lost.to)}`;
  return `between ${at(lost.from)} and ${at(lost.to)}${lost.segment ? ` (${lost.segment})` : ''}`;
}

/** "host-firewall, proved", or "cause unknown". */
function causeInShort(cause: TraceCause): string {
  return cause.kind === 'unknown' ? 'cause unknown' : `${cause.kind}, ${CONFIDENCE_WORDS[cause.confidence]}`;
}

/** "host-firewall, proved: the host received the frame and its firewall dropped it." */
export function causeLine(cause: TraceCause): string {
  return `${causeInShort(cause)}: ${CAUSE_MEANING[cause.kind] ?? cause.kind}.`;
}

/** One line: the verdict, the leg, the probe and place of loss, the cause. The notification says it. */
export function traceSummary(result: TraceResultV2): string {
  const route = `${at(result.from)} → ${result.to}`;
  if (result.delivered) return `${route}: delivered.`;
  const cause = result.cause ? `: ${causeInShort(result.cause)}` : '';
  const lost = result.lostBetween;
  if (lost) return `${route}: lost on the ${lost.direction} leg (${PROBE_NAME[lost.probe]}) ${placeOfLoss(lost)}${cause}.`;
  return `${route}: not delivered${cause}.`;
}

// ---------------------------------------------------------------------------------------------
// Legs.

/** The probes in the order ping sent them, with those the hops name but `probes` forgot. */
function probesOf(result: TraceResultV2): TraceProbe[] {
  const order = [...result.probes];
  for (const hop of result.hops) if (!order.includes(hop.probe)) order.push(hop.probe);
  return order;
}

function legHops(result: TraceResultV2, direction: TraceDirection, probe: TraceProbe): TraceHopV2[] {
  return result.hops.filter((hop) => hop.direction === direction && hop.probe === probe);
}

/** The probe the diagram draws: the one lost, else the last ping sent (the echo once the ARP was answered). */
export function drawnProbe(result: TraceResultV2): TraceProbe {
  return result.lostBetween?.probe ?? probesOf(result).at(-1) ?? 'icmp';
}

const isLostHere = (lost: LostBetween | null, direction: TraceDirection, probe: TraceProbe, hop: TraceEndpoint) => lost !== null && lost.direction === direction && lost.probe === probe && sameEndpoint(lost.to, hop);

function legInWords(hops: TraceHopV2[], lost: LostBetween | null): string {
  return hops
    .map((hop) => {
      const mark = hop.error ? '⚠ not watched' : hop.seen ? `✔ ${hop.count}` : '✘';
      return `${at(hop)} ${mark}${isLostHere(lost, hop.direction, hop.probe, hop) ? ' (lost here)' : ''}`;
    })
    .join(' · ');
}

// ---------------------------------------------------------------------------------------------
// The topology: the overlay and its banner.

export function traceBanner(result: TraceResultV2): TraceBanner {
  const legs: string[] = [];
  for (const probe of probesOf(result)) {
    for (const direction of ['request', 'reply'] as const) {
      const hops = legHops(result, direction, probe);
      if (hops.length) legs.push(`${FRAME_NAME[probe][direction]}: ${legInWords(hops, result.lostBetween)}`);
    }
  }
  return {
    delivered: result.delivered,
    summary: traceSummary(result),
    ...(result.cause ? { cause: causeLine(result.cause) } : {}),
    evidence: result.cause?.evidence ?? [],
    ...(result.hints[0] ? { hint: result.hints[0] } : {}),
    legs,
  };
}

function pointOf(hop: TraceHopV2): TracePoint {
  return { host: hop.host, iface: hop.interface, seen: hop.seen, count: hop.count, encapsulated: hop.encapsulated, ...(hop.error ? { error: hop.error } : {}) };
}

/** What the topology draws: both legs of the probe drawn, the place of loss with its leg, the banner. */
export function traceOverlay(result: TraceResultV2): TraceOverlay {
  const probe = drawnProbe(result);
  const lost = result.lostBetween;
  return {
    probe,
    request: legHops(result, 'request', probe).map(pointOf),
    reply: legHops(result, 'reply', probe).map(pointOf),
    ...(lost
      ? {
          lostBetween: {
            leg: lost.direction,
            from: { host: lost.from.host, iface: lost.from.interface },
            to: { host: lost.to.host, iface: lost.to.interface },
            ...(lost.segment ? { segment: lost.segment } : {}),
          },
        }
      : {}),
    banner: traceBanner(result),
  };
}

// ---------------------------------------------------------------------------------------------
// The report.

/** A table cell holds text as written: a `|` would end the cell, a newline the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function legTable(hops: TraceHopV2[], lost: LostBetween | null): string[] {
  return [
    '| | host | interface | encapsulated | frames | note |',
    '|---|---|---|---|---|---|',
    ...hops.map((hop) => {
      // Lost at a point that saw it: the frame got there and went no further (a firewall, no answer).
      const lostHere = isLostHere(lost, hop.direction, hop.probe, hop) ? (hop.seen ? '**← lost here**, after this point saw it' : '**← lost here**') : '';
      const notes = [hop.error ? `⚠ could not be watched: ${hop.error}` : '', lostHere].filter(Boolean).join(' ');
      return `| ${hop.error ? '⚠' : hop.seen ? '✔' : '✘'} | ${hop.host} | ${hop.interface} | ${hop.encapsulated ? 'yes' : ''} | ${hop.count} | ${cell(notes)} |`;
    }),
  ];
}

function legSection(result: TraceResultV2, direction: TraceDirection): string[] {
  const title = direction === 'request' ? `## Request leg: ${at(result.from)} → ${result.to}` : `## Reply leg: ${result.to} → ${at(result.from)}`;
  const probes = probesOf(result).filter((probe) => legHops(result, direction, probe).length > 0);
  if (probes.length === 0) {
    const why = direction === 'reply' && result.lostBetween?.direction === 'request' ? ' The request did not arrive, so no answer was sent.' : '';
    return [title, '', `Not followed.${why}`, ''];
  }
  return [title, '', ...probes.flatMap((probe) => [`### ${FRAME_NAME[probe][direction]}`, '', ...legTable(legHops(result, direction, probe), result.lostBetween), ''])];
}

/** The report's document path: one per lab and route, its name the route (the tab's title), `.md` for Markdown. */
export function traceReportPath(lab: string, from: TraceEndpoint, to: string): string {
  const part = (text: string) => text.replace(/[/\\]/g, '-');
  return `/${part(lab)}/Trace ${part(from.host)}:${part(from.interface)} → ${part(to)}.md`;
}

export function traceMarkdown(lab: string, result: TraceResultV2): string {
  const probes = probesOf(result);
  const lost = result.lostBetween;
  const verdict = result.delivered
    ? '**Delivered**: the answer came back to the source.'
    : lost
      ? `**Not delivered**: lost on the **${lost.direction} leg** (${FRAME_NAME[lost.probe][lost.direction]}) ${placeOfLoss(lost)}.`
      : '**Not delivered**.';
  const lines = [
    `# Trace: ${at(result.from)}${result.from.address ? ` (${result.from.address})` : ''} → ${result.to}`,
    '',
    `Lab **${lab}**. ${verdict}`,
    '',
    `Probes followed, as \`ping -c 1\` sends them: ${probes.map((probe) => PROBE_NAME[probe]).join(', then ') || 'none'}. ${(result.elapsedMs / 1000).toFixed(1)} s.`,
    '',
  ];
  if (result.cause) {
    const cause = result.cause;
    lines.push(`## Cause: ${cause.kind} (${CONFIDENCE_WORDS[cause.confidence]})`, '', `${capitalised(CAUSE_MEANING[cause.kind] ?? cause.kind)}.`, '');
    if (cause.evidence.length) lines.push('What was measured:', '', ...cause.evidence.map((line) => `- ${line.replace(/\r?\n/g, ' ')}`), '');
    else lines.push('Nothing was measured that shows a cause.', '');
  }
  lines.push(...legSection(result, 'request'), ...legSection(result, 'reply'));
  if (result.hints.length) lines.push('## What to do', '', ...result.hints.map((hint) => `- ${hint.replace(/\r?\n/g, ' ')}`), '');
  return lines.join('\n');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
