// `ovs-appctl ofproto/trace BRIDGE FLOW` with the fields of the very frame that stopped: OVS
// walks its flow tables as it would for that frame and says which rules it met and what the
// datapath would do. When the answer is "drop", the last rule met names the drop. The flow is
// built from values checked here (MACs, addresses, port names), one argument to ovs-appctl.

import { INTERFACE_NAME_PATTERN } from '../../lab/names';
import { parseIp } from '../../lab/addresses';
import type { FrameHeader } from '../../capture/types';
import type { ProbeTransport } from '../../hosts/probe';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export interface TraceFlow {
  inPort: string;
  frame: FrameHeader;
  /** For a frame that arrived in a tunnel: its key and outer addresses. */
  tunnel?: { key: number; src?: string; dst?: string };
}

/** The flow text for ofproto/trace, or undefined when the frame lacks what it needs. */
export function traceFlowText(flow: TraceFlow): string | undefined {
  const { frame } = flow;
  if (!INTERFACE_NAME_PATTERN.test(flow.inPort)) return undefined;
  if (!frame.srcMac || !frame.dstMac || !MAC.test(frame.srcMac) || !MAC.test(frame.dstMac)) return undefined;
  const ip = (value: string | undefined) => (value && parseIp(value)?.family === 4 ? value : undefined);
  const fields = [`in_port=${flow.inPort}`];
  if (flow.tunnel) {
    fields.push(`tun_id=${flow.tunnel.key}`);
    if (ip(flow.tunnel.src)) fields.push(`tun_src=${flow.tunnel.src}`);
    if (ip(flow.tunnel.dst)) fields.push(`tun_dst=${flow.tunnel.dst}`);
  }
  fields.push(`dl_src=${frame.srcMac}`, `dl_dst=${frame.dstMac}`);
  if (frame.arp) {
    const src = ip(frame.src);
    const dst = frame.arp === 'request' ? ip(frame.dst) : undefined;
    fields.unshift('arp');
    fields.push(`arp_op=${frame.arp === 'request' ? 1 : 2}`);
    if (src) fields.push(`arp_spa=${src}`);
    if (dst) fields.push(`arp_tpa=${dst}`);
    return fields.join(',');
  }
  if (frame.icmp && ip(frame.src) && ip(frame.dst)) {
    fields.unshift('icmp');
    fields.push(`nw_src=${frame.src}`, `nw_dst=${frame.dst}`, `icmp_type=${frame.icmp.message === 'echo reply' ? 0 : 8}`, 'icmp_code=0');
    return fields.join(',');
  }
  return undefined;
}

export interface OfprotoVerdict {
  /** What the datapath would do: `drop`, `2`, `tnl_push(...)`. */
  datapathActions?: string;
  dropped: boolean;
  /** The rules met, in order: `table 0: priority=100,icmp,nw_dst=10.213.50.12 -> drop`. */
  rules: { table: number; match: string; actions: string }[];
  /** OVS's own error, when it could not trace. */
  error?: string;
}

export function parseOfprotoTrace(text: string): OfprotoVerdict {
  const rules: OfprotoVerdict['rules'] = [];
  const lines = text.split('\n');
  let current: OfprotoVerdict['rules'][number] | undefined;
  for (const line of lines) {
    const rule = /^\s*(\d+)\.\s+(.*)$/.exec(line);
    if (rule) {
      current = { table: Number(rule[1]), match: rule[2].replace(/, cookie \S+$/, '').trim(), actions: '' };
      rules.push(current);
      continue;
    }
    const action = /^ {4,}(\S.*)$/.exec(line);
    if (action && current && !/^(->|>>|Resubmitted|bridge\()/.test(action[1].trim())) current.actions = current.actions ? `${current.actions}, ${action[1].trim()}` : action[1].trim();
    if (/^\S/.test(line)) current = undefined;
  }
  const datapath = /^Datapath actions: (.*)$/m.exec(text)?.[1]?.trim();
  return { datapathActions: datapath, dropped: datapath === 'drop', rules };
}

export async function ofprotoTrace(pool: ProbeTransport, host: { name: string; sudo: boolean }, bridge: string, flow: string, signal?: AbortSignal): Promise<OfprotoVerdict> {
  try {
    const result = await pool.exec(host.name, ['ovs-appctl', 'ofproto/trace', bridge, flow], { sudo: host.sudo, signal, timeoutSeconds: 5 });
    if (result.code !== 0) return { dropped: false, rules: [], error: (result.stderr.trim() || result.stdout.trim()).split('\n')[0] || `ovs-appctl exited with ${result.code}` };
    return parseOfprotoTrace(result.stdout);
  } catch (error) {
    return { dropped: false, rules: [], error: (error as Error).message };
  }
}

/**
 * The rule that decided a drop: the last rule met whose action is to drop (or a table miss,
 * `No match`). Undefined when the datapath drops after a rule that forwards (NORMAL dropping a
 * frame of the wrong VLAN, say): then no OpenFlow rule drops it.
 */
export function droppingRule(verdict: OfprotoVerdict): OfprotoVerdict['rules'][number] | undefined {
  if (!verdict.dropped) return undefined;
  const last = verdict.rules[verdict.rules.length - 1];
  return last && (/^drop$|^$/.test(last.actions) || last.match.startsWith('No match')) ? last : undefined;
}
