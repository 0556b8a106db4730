// Finds the largest IP packet the underlay carries between two tunnel ends, with few probes.
// The size the overlay needs is tried first: when it passes, that is all the doctor needs to
// know (one probe on a healthy lab). Otherwise a binary search between the largest size known
// to pass and the smallest known to fail, jumping straight to any MTU a refusal names (the local
// kernel and routers say it), bounded by a probe count; each silent drop costs a probe's wait.
// A path that drops silently is nearly always at least 1280 bytes (IPv6's minimum, and what
// tunnelled IPv4 paths keep too), so that is tried before bisecting all the way down from 84:
// 1 + 1 + 8 probes find a silent 1400-byte hop exactly, where plain bisection needs 12.

import type { PathMtuResult } from '../types';
import type { SizeProbeResult } from './ping';

export const MAX_SIZE_PROBES = 12;

export interface PathMtuSearch {
  /** The IP packet size the overlay needs; tried first. */
  wanted: number;
  /** A size known to pass (the reachability ping's 84 bytes for IPv4, 104 for IPv6). */
  knownGood: number;
  maxProbes?: number;
  /** Sizes worth trying, in order, before bisecting (default: 1280). */
  likely?: number[];
  /** Sends one probe of an IP packet size. */
  probe(size: number): Promise<SizeProbeResult>;
}

export async function searchPathMtu(search: PathMtuSearch): Promise<PathMtuResult | undefined> {
  const max = search.maxProbes ?? MAX_SIZE_PROBES;
  let low = search.knownGood;
  let high: number | undefined;
  let probes = 0;
  let reportedMtu: PathMtuResult['reportedMtu'];
  let next: number | undefined = search.wanted;
  const likely = [...(search.likely ?? [1280])];
  const inRange = (size: number) => size > low && (high === undefined || size < high);
  const found = (): PathMtuResult => ({ largestPassed: low, ...(high !== undefined ? { smallestFailed: high } : {}), ...(reportedMtu ? { reportedMtu } : {}), probes });
  while (probes < max) {
    const guess: number | undefined = next === undefined && reportedMtu === undefined ? likely.find(inRange) : undefined;
    if (guess !== undefined) likely.splice(likely.indexOf(guess), 1);
    const size: number | undefined = next ?? guess ?? (high !== undefined && high - low > 1 ? Math.floor((low + high) / 2) : undefined);
    if (size === undefined) break;
    next = undefined;
    probes += 1;
    const result = await search.probe(size);
    if ('error' in result) return probes > 1 ? { ...found(), probes: probes - 1 } : undefined;
    if (result.passed) {
      low = Math.max(low, size);
      if (size === search.wanted) break;
      // A named MTU that passes: confirm the next size fails, and the answer is exact.
      if (reportedMtu?.mtu === size && (high === undefined || high > size + 1)) next = size + 1;
    } else {
      high = high === undefined ? size : Math.min(high, size);
      if (result.reportedMtu) {
        reportedMtu = result.reportedMtu;
        const named = result.reportedMtu.mtu;
        if (named > low && named < high) next = named;
      }
    }
  }
  return found();
}
