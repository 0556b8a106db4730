// The tcpdump command line of a capture, built as an argument list: the interface name is
// checked against the lab's strict pattern and the BPF filter is ONE argument after "--"
// (tcpdump joins its remaining words into the expression, so one word is a whole filter, and
// after "--" a filter such as "-w /etc/x" cannot be read as an option). Nothing here is ever
// pasted into shell text; util/shell.ts quotes each word.

import { INTERFACE_NAME_PATTERN } from '../lab/names';

export interface TcpdumpOptions {
  /** The interface to listen on, e.g. `eth0`; `any` is tcpdump's all-interfaces pseudo-device. */
  interface: string;
  /** A BPF expression, e.g. `icmp or arp`. */
  filter?: string;
  /** Stop after this many frames. */
  count?: number;
  /** Read every frame the filter passes as this protocol (`-T vxlan`): VXLAN on a port other than 4789. */
  decodeAs?: 'vxlan';
}

/** A capture that cannot be started as asked: the caller's mistake, said in a sentence. */
export class CaptureArgumentError extends Error {
  override readonly name = 'CaptureArgumentError';
}

// Control characters have no place in a filter and would garble the lines we print.
const CONTROL = /[\x00-\x1f\x7f]/;
export const MAX_FILTER_LENGTH = 4096;

/** Why the options cannot make a capture, or undefined when they can. */
export function tcpdumpOptionsProblem(options: TcpdumpOptions): string | undefined {
  if (!INTERFACE_NAME_PATTERN.test(options.interface)) {
    return `interface "${options.interface}" is not a valid interface name: use up to 15 letters, digits, "_", "." and "-", starting with a letter or digit`;
  }
  if (options.filter !== undefined) {
    if (CONTROL.test(options.filter)) return 'the filter contains a control character (a newline?); write it on one line';
    if (options.filter.length > MAX_FILTER_LENGTH) return `the filter is longer than ${MAX_FILTER_LENGTH} characters`;
  }
  if (options.count !== undefined && !(Number.isSafeInteger(options.count) && options.count > 0)) {
    return `count must be a whole number above 0, not ${options.count}`;
  }
  return undefined;
}

/**
 * `tcpdump -l -n -e -tt -i IF [-c N] [-- FILTER]`: line-buffered, no name lookups, link-level
 * headers (MACs, ethertype, length), epoch timestamps.
 */
export function tcpdumpArgs(options: TcpdumpOptions): string[] {
  const problem = tcpdumpOptionsProblem(options);
  if (problem) throw new CaptureArgumentError(problem);
  const argv = ['tcpdump', '-l', '-n', '-e', '-tt', '-i', options.interface];
  if (options.count !== undefined) argv.push('-c', String(options.count));
  if (options.decodeAs === 'vxlan') argv.push('-T', 'vxlan');
  const filter = options.filter?.trim();
  if (filter) argv.push('--', filter);
  return argv;
}
