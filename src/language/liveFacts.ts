// What the language features know of the hosts: the last known state, never a fresh read (they
// answer while the user types, so they never reach a host). One snapshot per question, built
// from LiveLabs by `liveFactsOf`; the drift comes from `driftItemsOf`, the one place to point at
// the comparison the rest of the product reads. A test's last result comes from the one store
// the Testing view records into (src/labtests/lastResults.ts).

import type { Finding } from '../doctor/types';
import type { DriftItem, HostReading, LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { LastTestResult, LastTestResults } from '../labtests/lastResults';
import type { HostConnectionState } from '../ssh/pool';
import type { LiveLabs } from '../session/liveLabs';

export interface LiveFacts {
  /** Each host's latest reading, when it has been read. */
  readings: Readonly<Record<string, HostReading>>;
  /** Each host's connection, as the lab's pool has it. */
  connections: Readonly<Record<string, HostConnectionState>>;
  /** Declared-versus-actual differences of the hosts read. */
  drift: readonly DriftItem[];
  /** The last doctor run's findings. */
  findings: readonly Finding[];
  /** Hosts being read right now. */
  reading: ReadonlySet<string>;
  /** The last results of a test of the file (one per pair of a mesh), as the Testing view recorded them. */
  testResults(declared: string): readonly LastTestResult[];
}

export const NO_LIVE_FACTS: LiveFacts = { readings: {}, connections: {}, drift: [], findings: [], reading: new Set(), testResults: () => [] };

/** The differences between the file and the hosts, as the tree and the drift diagnostics show them. */
export function driftItemsOf(state: LabState | undefined): readonly DriftItem[] {
  return state?.drift ?? [];
}

export function liveFactsOf(live: LiveLabs, key: string, lab: Lab | undefined, tests?: LastTestResults): LiveFacts {
  const labLive = live.get(key);
  const connections: Record<string, HostConnectionState> = {};
  if (lab) for (const [host, facts] of Object.entries(live.hostsOf(key, lab))) connections[host] = facts.connection;
  return {
    readings: labLive?.state.hosts ?? {},
    connections,
    drift: driftItemsOf(labLive?.state),
    findings: live.findingsOf(key),
    reading: labLive?.reading ?? new Set(),
    testResults: (declared) => tests?.ofDeclared(key, declared) ?? [],
  };
}

/** The drift of each host, sorted out once per list of drift (the lenses ask for every host of a large lab). */
const driftByHost = new WeakMap<readonly DriftItem[], Map<string, DriftItem[]>>();

export function hostDriftItems(facts: LiveFacts, host: string): readonly DriftItem[] {
  let byHost = driftByHost.get(facts.drift);
  if (!byHost) {
    byHost = new Map();
    for (const item of facts.drift) {
      const list = byHost.get(item.subject.host);
      if (list) list.push(item);
      else byHost.set(item.subject.host, [item]);
    }
    driftByHost.set(facts.drift, byHost);
  }
  return byHost.get(host) ?? [];
}

/** Reachable as last known: a reading that succeeded, or a live connection; unknown before either. */
export function reachability(facts: LiveFacts, host: string): { reachable: boolean | undefined; why?: string } {
  const reading = facts.readings[host];
  const connection = facts.connections[host];
  if (reading && !reading.ok) return { reachable: false, why: reading.failure.message };
  if (connection === 'failed') return { reachable: false, why: 'its connection failed' };
  if (reading?.ok || connection === 'connected') return { reachable: true };
  return { reachable: undefined };
}
