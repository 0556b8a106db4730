// `overlay-lab trace LAB --from HOST[:IFACE] --to ADDRESS [--json] [--seconds S] [--pcapng FILE]`
// (cli.md): where a packet stops, and why. Exit 0 when the probe was delivered, 1 when it was
// lost. --pcapng also writes the frames every capture point saw, an interface per host:iface;
// it says so on stderr and leaves stdout (the --json result) as it is.

import { describeSaved, saveTracePcapng } from '../trace/traceFrames';
import { runTrace } from '../trace/runTrace';
import type { TraceDirection, TraceProbe, TraceResultV2 } from '../trace/traceResultV2';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';
import { checkWritable } from './mergedCaptureCommand';

export interface TraceCliOptions extends SshCliOptions {
  from: string;
  to: string;
  json?: boolean;
  seconds?: string;
  size?: string;
  pcapng?: string;
}

const PROBE_NAMES: Record<TraceProbe, Record<TraceDirection, string>> = {
  arp: { request: 'ARP request', reply: 'ARP reply' },
  icmp: { request: 'echo request', reply: 'echo reply' },
};

/** The same as --json, for a reader: both legs per probe, the place, the cause with its evidence, the hints. */
export function renderTrace(result: TraceResultV2): string {
  const out = [
    `trace ${result.from.host}:${result.from.interface}${result.from.address ? ` (${result.from.address})` : ''} -> ${result.to}: ${result.delivered ? 'delivered' : 'NOT DELIVERED'} (${(result.elapsedMs / 1000).toFixed(1)} s)`,
    `probes sent: ${result.probes.length ? result.probes.map((p) => (p === 'arp' ? 'ARP' : 'ICMP echo')).join(', then ') : 'none'}`,
  ];
  const width = Math.max(0, ...result.hops.map((hop) => `${hop.host}:${hop.interface}`.length));
  let group = '';
  for (const hop of result.hops) {
    const name = `${hop.direction} leg, ${PROBE_NAMES[hop.probe][hop.direction]}`;
    if (name !== group) {
      out.push(`${name}:`);
      group = name;
    }
    out.push(`  ${hop.seen ? '✔' : '✘'} ${`${hop.host}:${hop.interface}`.padEnd(width)}  ${hop.encapsulated ? 'encapsulated' : '            '}  ${hop.count}${hop.error ? `  (not watched: ${hop.error})` : ''}`);
  }
  const lost = result.lostBetween;
  if (lost) {
    const place = lost.from.host === lost.to.host && lost.from.interface === lost.to.interface ? `at ${lost.from.host}:${lost.from.interface}` : `between ${lost.from.host}:${lost.from.interface} and ${lost.to.host}:${lost.to.interface}`;
    out.push(`lost ${place} on the ${lost.direction} leg (${PROBE_NAMES[lost.probe][lost.direction]}${lost.segment ? `, ${lost.segment}` : ''})`);
  }
  if (result.cause) {
    out.push(`cause: ${result.cause.kind} (${result.cause.confidence})`);
    for (const line of result.cause.evidence) out.push(`  - ${line}`);
  }
  if (result.hints.length) {
    out.push('what to do:');
    for (const hint of result.hints) out.push(`  - ${hint}`);
  }
  return `${out.join('\n')}\n`;
}

export async function traceCommand(labFile: string, options: TraceCliOptions): Promise<number> {
  const [host, iface] = options.from.split(':');
  const seconds = options.seconds !== undefined ? Number(options.seconds) : undefined;
  if (seconds !== undefined && !(seconds > 0 && seconds <= 60)) throw new UsageError(`--seconds takes a number from 0 to 60, not "${options.seconds}"`);
  const size = options.size !== undefined ? Number(options.size) : undefined;
  if (size !== undefined && !(Number.isInteger(size) && size >= 0 && size <= 65000)) throw new UsageError(`--size takes a whole number of bytes, not "${options.size}"`);
  const pcapngFile = options.pcapng !== undefined ? await checkWritable('--pcapng', options.pcapng) : undefined;
  const lab = await loadLabOrExit(labFile);
  requireHost(lab, host);
  const pool = createPool(lab, options);
  try {
    const run = await withCancellation((signal) =>
      runTrace(pool, lab, {
        from: { host, interface: iface || undefined },
        to: options.to,
        seconds,
        size,
        signal,
        keepFrames: pcapngFile !== undefined,
        onProgress: options.json ? undefined : (message) => process.stderr.write(`${message}...\n`),
      }),
    );
    process.stdout.write(options.json ? `${JSON.stringify(run.result, null, 2)}\n` : renderTrace(run.result));
    if (pcapngFile !== undefined && run.frames) {
      try {
        process.stderr.write(`${describeSaved(await saveTracePcapng(run.frames, pcapngFile), pcapngFile)}\n`);
      } catch (error) {
        process.stderr.write(`cannot write ${pcapngFile}: ${(error as Error).message}\n`);
        return EXIT_NOT_AS_ASKED;
      }
    }
    return run.result.delivered ? EXIT_OK : EXIT_NOT_AS_ASKED;
  } finally {
    pool.dispose();
  }
}
