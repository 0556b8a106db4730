// `overlay-lab capture LAB HOST IFACE [--filter BPF] [--count N] [--seconds S] [--pcap FILE]`
// (cli.md): tcpdump on one host, its lines on stdout as they come, exactly as tcpdump prints
// them (a VXLAN frame stays two lines: outer, then inner), so the output reads and greps like
// tcpdump's own. It ends at --count, at --seconds, or at Ctrl-C (a normal end, exit 0; a second
// Ctrl-C gives up at once, exit 1). tcpdump's summary goes to stderr; --pcap writes what was
// captured to FILE. Nothing is left on the host, however it ends.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { startCapture, type CaptureSession } from '../capture/captureSession';
import { tcpdumpOptionsProblem } from '../capture/tcpdumpCommand';
import type { CaptureEnd } from '../capture/types';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';
import { stopOnSignals } from './cancellation';

export interface CaptureCliOptions extends SshCliOptions {
  filter?: string;
  count?: string;
  seconds?: string;
  pcap?: string;
}

function positiveNumber(flag: string, text: string | undefined, whole: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (whole && !Number.isSafeInteger(value))) {
    throw new UsageError(`${flag} takes ${whole ? 'a whole number' : 'a number of seconds'} above 0, not "${text}"`);
  }
  return value;
}

async function checkWritable(file: string): Promise<string> {
  const path = resolve(file);
  const folder = dirname(path);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--pcap ${file}: cannot write in ${folder}`);
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--pcap ${file} is a folder`);
  return path;
}

function summaryLines(end: CaptureEnd): string {
  const stats = end.stats;
  if (!stats) return '';
  const plural = (n: number) => (n === 1 ? 'packet' : 'packets');
  const lines = [`${stats.captured} ${plural(stats.captured)} captured`];
  if (stats.receivedByFilter !== undefined) lines.push(`${stats.receivedByFilter} ${plural(stats.receivedByFilter)} received by filter`);
  if (stats.droppedByKernel !== undefined) lines.push(`${stats.droppedByKernel} ${plural(stats.droppedByKernel)} dropped by kernel`);
  if (stats.droppedByInterface !== undefined) lines.push(`${stats.droppedByInterface} ${plural(stats.droppedByInterface)} dropped by interface`);
  return `${lines.join('\n')}\n`;
}

export async function captureCommand(labFile: string, host: string, iface: string, options: CaptureCliOptions): Promise<number> {
  const count = positiveNumber('--count', options.count, true);
  const seconds = positiveNumber('--seconds', options.seconds, false);
  const problem = tcpdumpOptionsProblem({ interface: iface, filter: options.filter });
  if (problem) throw new UsageError(problem);
  const pcapFile = options.pcap !== undefined ? await checkWritable(options.pcap) : undefined;
  const lab = await loadLabOrExit(labFile);
  requireHost(lab, host);
  const sudo = lab.hosts.find((candidate) => candidate.name === host)?.sudo ?? false;

  const pool = createPool(lab, options);
  let session: CaptureSession | undefined;
  const removeSignals = stopOnSignals(() => session);
  try {
    session = startCapture(pool, {
      host,
      interface: iface,
      filter: options.filter,
      count,
      seconds,
      sudo,
      pcap: pcapFile !== undefined,
      onFrame: (frame) => process.stdout.write(`${frame.raw}\n`),
      onMessage: (line) => process.stderr.write(`${line}\n`),
    });
    session.listening.then(
      (listening) => process.stderr.write(`${host}: listening on ${listening.interface}, link-type ${listening.linkType}\n`),
      () => undefined, // the end says why
    );
    const end = await session.ended;
    if (end.reason === 'error' || end.reason === 'connection-lost') {
      process.stderr.write(`${end.message ?? `${host}: the capture on ${iface} failed.`}\n`);
      return EXIT_NOT_AS_ASKED;
    }
    process.stderr.write(summaryLines(end));
    if (end.reason === 'cancelled') {
      process.stderr.write(`${host}: cancelled; tcpdump was stopped on the host.\n`);
      return EXIT_NOT_AS_ASKED;
    }
    if (pcapFile !== undefined) {
      if (!session.pcapAvailable) {
        process.stderr.write(`${host}: no pcap written: ${session.pcapProblem ?? 'the host no longer holds it'}\n`);
        return EXIT_NOT_AS_ASKED;
      }
      try {
        const saved = await session.savePcap(pcapFile);
        process.stderr.write(`${host}: wrote ${saved.packets} ${saved.packets === 1 ? 'packet' : 'packets'} (${saved.bytes} bytes) to ${pcapFile}\n`);
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
    await session?.close();
    removeSignals();
    pool.dispose();
  }
}
