// `overlay-lab capture LAB HOST:IFACE HOST:IFACE … [--filter BPF] [--count N] [--seconds S]
// [--pcapng FILE]`: one timeline over several interfaces on any hosts. Each host's clock offset
// against this machine is measured first and said on stderr, with its bound; then every line
// is printed as tcpdump prints it, prefixed by its `host:iface`, its time moved onto this
// machine's clock, the lines of all interfaces interleaved by that time. --pcapng writes what
// every interface caught as one pcapng, an interface per `host:iface`. It ends at --count
// (each interface's), --seconds, or Ctrl-C; nothing is left on any host, however it ends.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeOffset } from '../capture/clockOffset';
import { splitTimestamp } from '../capture/frameTime';
import { startMergedCapture, targetLabel, type MergedCapture, type MergedFrame, type MergedTarget } from '../capture/mergedCapture';
import { tcpdumpOptionsProblem } from '../capture/tcpdumpCommand';
import type { CaptureCliOptions } from './captureCommand';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost } from './labContext';
import { stopOnSignals } from './cancellation';

export interface MergedCliOptions extends CaptureCliOptions {
  pcapng?: string;
}

/** `host:iface` words as targets: each once, each naming a host and an interface. */
export function parseTargetWords(words: readonly string[]): { host: string; interface: string }[] {
  const seen = new Set<string>();
  const targets: { host: string; interface: string }[] = [];
  for (const word of words) {
    const at = word.indexOf(':');
    if (at <= 0 || at === word.length - 1) throw new UsageError(`"${word}" is not HOST:IFACE (e.g. ovs-a:eth0)`);
    const target = { host: word.slice(0, at), interface: word.slice(at + 1) };
    const problem = tcpdumpOptionsProblem({ interface: target.interface });
    if (problem) throw new UsageError(`${word}: ${problem}`);
    if (seen.has(word)) continue;
    seen.add(word);
    targets.push(target);
  }
  return targets;
}

/** A line as the merged CLI prints it: `host:iface` padded, the corrected time as `-tt` would print it, tcpdump's text. */
export function mergedLine(frame: MergedFrame, labels: readonly string[], width: number): string {
  const [first, ...rest] = frame.frame.raw.split('\n');
  const text = splitTimestamp(first)?.text ?? first;
  const seconds = Math.floor(frame.timeUs / 1_000_000);
  const micros = String(frame.timeUs - seconds * 1_000_000).padStart(6, '0');
  const label = labels[frame.source].padEnd(width);
  return [`${label} ${seconds}.${micros} ${text}`, ...rest.map((line) => `${' '.repeat(width)} ${line}`)].join('\n');
}

function positiveNumber(flag: string, text: string | undefined, whole: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (whole && !Number.isSafeInteger(value))) {
    throw new UsageError(`${flag} takes ${whole ? 'a whole number' : 'a number of seconds'} above 0, not "${text}"`);
  }
  return value;
}

/** The file a flag names, resolved, once its folder is writable and it is not a folder itself. */
export async function checkWritable(flag: string, file: string): Promise<string> {
  const path = resolve(file);
  try {
    await access(dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: cannot write in ${dirname(path)}`);
  }
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new UsageError(`${flag} ${file} is a folder`);
  return path;
}

export async function mergedCaptureCommand(labFile: string, words: readonly string[], options: MergedCliOptions): Promise<number> {
  if (options.pcap !== undefined) throw new UsageError('--pcap writes one interface; over several, use --pcapng FILE');
  const count = positiveNumber('--count', options.count, true);
  const seconds = positiveNumber('--seconds', options.seconds, false);
  const parsed = parseTargetWords(words);
  const problem = tcpdumpOptionsProblem({ interface: parsed[0].interface, filter: options.filter });
  if (problem) throw new UsageError(problem);
  const pcapngFile = options.pcapng !== undefined ? await checkWritable('--pcapng', options.pcapng) : undefined;
  const lab = await loadLabOrExit(labFile);
  for (const target of parsed) requireHost(lab, target.host);
  const targets: MergedTarget[] = parsed.map((target) => ({ ...target, sudo: lab.hosts.find((h) => h.name === target.host)?.sudo ?? false }));
  const labels = targets.map(targetLabel);
  const width = Math.max(...labels.map((label) => label.length));

  const pool = createPool(lab, options);
  let capture: MergedCapture | undefined;
  const removeSignals = stopOnSignals(() => capture);
  try {
    capture = startMergedCapture(pool, {
      targets,
      filter: options.filter,
      count,
      seconds,
      pcap: pcapngFile !== undefined,
      onClocks: (readings) => {
        for (const reading of readings) process.stderr.write(`${reading.host}: ${describeOffset(reading)} against this machine${'samples' in reading ? ` (shortest of ${reading.samples} round trips over ssh)` : ''}\n`);
      },
      onFrames: (frames) => {
        for (const frame of frames) process.stdout.write(`${mergedLine(frame, labels, width)}\n`);
      },
      onMessage: (line) => process.stderr.write(`${line}\n`),
    });
    capture.listening.then(
      () => process.stderr.write(`listening on ${labels.join(', ')}\n`),
      () => undefined, // the ends say why
    );
    const ends = await capture.ended;
    let failed = false;
    ends.forEach((end, index) => {
      if (end.reason === 'error' || end.reason === 'connection-lost') {
        failed = true;
        process.stderr.write(`${end.message ?? `${labels[index]}: the capture failed.`}\n`);
      } else {
        process.stderr.write(`${labels[index]}: ${end.stats?.captured ?? end.frames} packets captured${end.reason === 'cancelled' ? ' (cancelled)' : ''}\n`);
      }
    });
    if (capture.late > 0) process.stderr.write(`${capture.late} lines came later than the merge could wait for, and are out of order by that much\n`);
    if (failed) return EXIT_NOT_AS_ASKED;
    if (ends.some((end) => end.reason === 'cancelled')) return EXIT_NOT_AS_ASKED;
    if (pcapngFile !== undefined) {
      try {
        const saved = await capture.savePcapng(pcapngFile);
        process.stderr.write(`wrote ${saved.packets} packets of ${saved.interfaces} interfaces (${saved.bytes} bytes) to ${pcapngFile}\n`);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return EXIT_NOT_AS_ASKED;
      }
    }
    return EXIT_OK;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT_NOT_AS_ASKED;
  } finally {
    await capture?.close();
    removeSignals();
    pool.dispose();
  }
}
