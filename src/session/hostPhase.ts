// Where a host is in being read, for every face that shows it (tree, status bar, topology):
// not read yet, connecting, reading, read, unreachable, or reached but its state unreadable.

import type { HostReading } from '../hosts/types';
import { isNotReached } from '../ssh/errors';
import type { HostLive } from './liveLabs';

export type HostPhase = 'unknown' | 'connecting' | 'reading' | 'reachable' | 'unreachable' | 'readError';

export function hostPhase(reading: HostReading | undefined, live: HostLive | undefined): HostPhase {
  if (live?.reading) return 'reading';
  if (live?.connection === 'connecting') return 'connecting';
  if (!reading) return 'unknown';
  if (reading.ok) return 'reachable';
  // A host that answered but could not be read is not unreachable (ssh/errors decides which kinds are which).
  return isNotReached(reading.failure.kind) ? 'unreachable' : 'readError';
}
