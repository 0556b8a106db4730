// Which captured frames are the trace's probe, read from tcpdump's own text (`-n -e`): the ARP
// request for the destination, or the ICMP echo request from the source with the trace's id.
// An encapsulated frame's text holds its inner frame on the next line, so the same test finds
// the probe inside a tunnel.

export type ProbeKind = 'arp' | 'icmp';

export interface ProbeSignature {
  kind: ProbeKind;
  from: string;
  to: string;
  /** The ICMP id, once learned from the source's own capture; any id matches until then. */
  icmpId?: number;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function probeLine(signature: ProbeSignature, frameText: string): string | undefined {
  const from = escape(signature.from);
  const to = escape(signature.to);
  const pattern =
    signature.kind === 'arp'
      ? new RegExp(`Request who-has ${to}(?: \\([0-9a-f:]+\\))? tell ${from},`)
      : new RegExp(`${from} > ${to}: ICMP echo request, id ${signature.icmpId ?? '\\d+'},`);
  return frameText.split('\n').find((line) => pattern.test(line));
}

/** The source MAC of the line that carries the probe (the inner frame's, inside a tunnel). */
export function sourceMacOf(line: string): string | undefined {
  return /^(?:\d+\.\d+ )?([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > /.exec(line)?.[1];
}

/** The ICMP id of an echo request line, to follow this very ping at the other points. */
export function icmpIdOf(line: string): number | undefined {
  const match = /ICMP echo request, id (\d+),/.exec(line);
  return match ? Number(match[1]) : undefined;
}
