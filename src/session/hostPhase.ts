// Where a host is in being read, for every face that shows it (tree, status bar, topology):
// not read yet, connecting, reading, read, unreachable, or reached but its state unreadable.

import type { HostReading } from '../hosts/types';
import type { HostLive } from './liveLabs';

export type HostPhase = 'unknown' | 'connecting' | 'reading' | 'reachable' | 'unreachable' | 'readError';

/**
 * Failures that mean the host could not be reached or logged into: every SSH error kind but a
 * refused channel. The rest (`probe-timeout`, `probe-failed`, `channel`, `cancelled`, ...) mean it
 * answered but its state could not be read.
 */
const UNREACHABLE_KINDS = new Set([
  'name-not-resolved',
  'connection-refused',
  'timeout',
  'unreachable',
  'authentication',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'key-file',
  'passphrase',
  'jump',
  'connection-lost',
  'config',
]);

export function hostPhase(reading: HostReading | undefined, live: HostLive | undefined): HostPhase {
  if (live?.reading) return 'reading';
  if (live?.connection === 'connecting') return 'connecting';
  if (!reading) return 'unknown';
  if (reading.ok) return 'reachable';
  return UNREACHABLE_KINDS.has(reading.failure.kind) ? 'unreachable' : 'readError';
}
