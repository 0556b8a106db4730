// Finds the largest IP packet the underlay carries between two tunnel ends, with few probes.
// The size the overlay needs is tried first: when it passes, that is all the doctor needs to
// know (one probe on a healthy lab). Otherwise a binary search between the largest size known
// to pass and the smallest known to fail, jumping straight to any MTU a refusal names (the local
// kernel and routers say it), bounded by a probe count; each silent drop costs a probe's wait.
// A path that drops silently is nearly always at least 1280 bytes (IPv6's minimum, and what
// tunnelled IPv4 paths keep too), so that is tried before searching all the way down from 84.
//
// A probe that passes costs milliseconds; one that is dropped costs ping's whole wait (1 s).
// So the search is not a plain bisection but the one of the egg-drop puzzle: with the probes
// left, it allows as few failures as can still pin the answer down, and probes low enough that
// a failure leaves an interval the remaining failures can finish. A silent 1404-byte hop: 4
// dropped probes (about 4 s) where bisection from 1280 drops 6.

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
    const size: number | undefined = next ?? guess ?? (high !== undefined && high - low > 1 ? fewestFailuresStep(low, high, max - probes) : undefined);
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

/** How many answers `probes` probes tell apart when at most `failures` of them may fail: Σ C(probes, i) for i ≤ failures. */
function answersWithin(probes: number, failures: number): number {
  let total = 0;
  let choose = 1;
  for (let i = 0; i <= Math.min(failures, probes); i++) {
    total += choose;
    choose = (choose * (probes - i)) / (i + 1);
  }
  return total;
}

/**
 * The next size to probe when the largest passing size is one of `low … high - 1`: the fewest
 * failures `f` that `probesLeft` probes can settle it with, and a probe placed so that if it
 * fails, `f - 1` failures still settle what is below it. Bisection when no budget suffices.
 */
export function fewestFailuresStep(low: number, high: number, probesLeft: number): number {
  const answers = high - low;
  for (let failures = 1; failures <= probesLeft; failures++) {
    if (answersWithin(probesLeft, failures) >= answers) {
      return low + Math.min(high - low - 1, Math.max(1, answersWithin(probesLeft - 1, failures - 1)));
    }
  }
  return Math.floor((low + high) / 2);
}
