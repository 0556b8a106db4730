// A test's ping as an argument list, and what its output says. Every ping is bounded: a count, a
// wait for each answer, and the remote command's own timeout besides.

import type { LabTestCase, PingCount } from './types';

/** Seconds to wait for each answer: a healthy overlay answers in milliseconds. */
const ANSWER_WAIT_SECONDS = 1;
/** Between pings of one test: the smallest interval ping lets an unprivileged user set. */
const INTERVAL_SECONDS = 0.2;

/**
 * The source is the address, not the device: the kernel then routes as it does for any program
 * on the host. Bound to a device (`-I eth2`), Linux treats every destination as on that link and
 * ARPs for it, so a test host would "reach" a gateway's underlay address over the overlay (the
 * gateway answers ARP for any of its addresses), where no program on it could.
 */
export function pingArgv(test: Pick<LabTestCase, 'from' | 'to' | 'size' | 'count'>): string[] {
  return [
    'ping', '-n', '-c', String(test.count), '-i', String(INTERVAL_SECONDS), '-W', String(ANSWER_WAIT_SECONDS),
    ...(test.size !== undefined ? ['-s', String(test.size), '-M', 'do'] : []),
    '-I', test.from.address, test.to,
  ];
}

/** How long the remote ping may take at most before it is stopped. */
export function pingTimeoutSeconds(count: number): number {
  return count * INTERVAL_SECONDS + ANSWER_WAIT_SECONDS + 3;
}

export type PingOutcome =
  /** The pings went out; `counted` says how many came back. `noRoute`: the kernel refused to send (no route): nothing can pass. */
  | { ran: true; counted: PingCount; noRoute: boolean; note?: string }
  /** ping could not do its work (no such device, no ping, a bad option): nothing was measured. */
  | { ran: false; problem: string };

/** ping's own complaint first (`ping: …`), else an ICMP error it was told of (`Destination Host Unreachable`, `Frag needed`). */
function meaningfulLine(output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.trim());
  return lines.find((line) => line.startsWith('ping: ')) ?? lines.find((line) => /unreachable|mtu|frag/i.test(line) && !/packets transmitted/.test(line));
}

/**
 * iputils ping: exit 0 when some answer came, 1 when none did (its summary says how many went
 * out), 2 on an error, printed as `ping: …`. `connect: Network is unreachable` is an error that
 * still measures something: the host cannot send there at all.
 */
export function readPing(code: number | null, stdout: string, stderr: string, count: number): PingOutcome {
  const output = `${stdout}\n${stderr}`;
  const summary = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  const note = meaningfulLine(output);
  if (/Network is unreachable|No route to host/i.test(output) && !summary) {
    return { ran: true, counted: { sent: 0, received: 0 }, noRoute: true, note };
  }
  if (summary && (code === 0 || code === 1)) {
    return { ran: true, counted: { sent: Number(summary[1]), received: Number(summary[2]) }, noRoute: false, note: code === 0 && Number(summary[2]) === count ? undefined : note };
  }
  if (code === 127 || /ping: (command )?not found/.test(output)) return { ran: false, problem: 'ping is not installed on the host' };
  return { ran: false, problem: note ?? (output.trim().split('\n').pop() || `ping exited with ${code ?? 'no status (the connection was lost)'}`) };
}
