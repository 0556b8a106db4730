// What tcpdump and the remote wrapper say on stderr, one line at a time (pure): "listening on",
// the summary at the end, the wrapper's markers, and anything else (warnings, errors), which is
// kept word for word for the user.

import { MARKER } from './remoteWrapper';
import type { CaptureStats } from './types';

export type StderrEvent =
  | { kind: 'listening'; interface: string; linkType: string }
  | { kind: 'stat'; field: keyof CaptureStats; value: number }
  | { kind: 'pcap'; folder: string }
  | { kind: 'nopcap'; reason: string }
  | { kind: 'pid'; pid: number }
  | { kind: 'exit'; status: number }
  | { kind: 'noise' }
  | { kind: 'message'; text: string };

// Without -w tcpdump prints "listening on …"; with -w, "tcpdump: listening on …".
const LISTENING = /^(?:tcpdump: )?listening on (\S+), link-type (.+?)(?:, snapshot length \d+ bytes)?$/;
const STAT = /^(\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)$/;
const FIELDS: Record<string, keyof CaptureStats> = {
  captured: 'captured',
  'received by filter': 'receivedByFilter',
  'dropped by kernel': 'droppedByKernel',
  'dropped by interface': 'droppedByInterface',
};
const NOISE = /^tcpdump: verbose output suppressed, use -v\[v\]\.\.\. for full protocol decode$/;

export function parseStderrLine(line: string): StderrEvent {
  if (line.startsWith(`${MARKER} `)) {
    const [word, ...rest] = line.slice(MARKER.length + 1).split(' ');
    const value = rest.join(' ');
    if (word === 'pcap' && value) return { kind: 'pcap', folder: value };
    if (word === 'nopcap') return { kind: 'nopcap', reason: value };
    if (word === 'pid' && /^\d+$/.test(value)) return { kind: 'pid', pid: Number(value) };
    if (word === 'exit' && /^\d+$/.test(value)) return { kind: 'exit', status: Number(value) };
  }
  const listening = LISTENING.exec(line);
  if (listening) return { kind: 'listening', interface: listening[1], linkType: listening[2] };
  const stat = STAT.exec(line);
  if (stat) return { kind: 'stat', field: FIELDS[stat[2]], value: Number(stat[1]) };
  if (NOISE.test(line) || line.trim() === '') return { kind: 'noise' };
  return { kind: 'message', text: line };
}
