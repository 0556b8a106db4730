// `overlay-lab trace LAB --from HOST[:IFACE] --to ADDRESS [--json] [--seconds S]` (cli.md):
// where a packet stops, and why. Exit 0 when the probe was delivered, 1 when it was lost.

import { runTrace } from '../trace/runTrace';
import type { TraceResult } from '../trace/traceResult';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';

export interface TraceCliOptions extends SshCliOptions {
  from: string;
  to: string;
  json?: boolean;
  seconds?: string;
  size?: string;
}

export function renderTrace(result: TraceResult, elapsedMs: number): string {
  const out = [
    `trace ${result.from.host}:${result.from.interface}${result.from.address ? ` (${result.from.address})` : ''} -> ${result.to}, probe ${result.probe}: ${result.delivered ? 'delivered' : 'NOT DELIVERED'} (${(elapsedMs / 1000).toFixed(1)} s)`,
  ];
  const width = Math.max(...result.hops.map((hop) => `${hop.host}:${hop.interface}`.length));
  for (const hop of result.hops) out.push(`  ${hop.seen ? '✔' : '✘'} ${`${hop.host}:${hop.interface}`.padEnd(width)}  ${hop.encapsulated ? 'encapsulated' : '            '}  ${hop.count}`);
  if (result.lostBetween) out.push(`lost between ${result.lostBetween.from.host}:${result.lostBetween.from.interface} and ${result.lostBetween.to.host}:${result.lostBetween.to.interface} (${result.lostBetween.segment})`);
  for (const hint of result.hints) out.push(`  - ${hint}`);
  return `${out.join('\n')}\n`;
}

export async function traceCommand(labFile: string, options: TraceCliOptions): Promise<number> {
  const [host, iface] = options.from.split(':');
  const seconds = options.seconds !== undefined ? Number(options.seconds) : undefined;
  if (seconds !== undefined && !(seconds > 0 && seconds <= 60)) throw new UsageError(`--seconds takes a number from 0 to 60, not "${options.seconds}"`);
  const size = options.size !== undefined ? Number(options.size) : undefined;
  if (size !== undefined && !(Number.isInteger(size) && size >= 0 && size <= 65000)) throw new UsageError(`--size takes a whole number of bytes, not "${options.size}"`);
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
        onProgress: options.json ? undefined : (message) => process.stderr.write(`${message}...\n`),
      }),
    );
    process.stdout.write(options.json ? `${JSON.stringify(run.result, null, 2)}\n` : renderTrace(run.result, run.elapsedMs));
    return run.result.delivered ? EXIT_OK : EXIT_NOT_AS_ASKED;
  } finally {
    pool.dispose();
  }
}
