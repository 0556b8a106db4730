// The lines above each host in the lab file (CodeLens): reachable or not, its drift, and Apply,
// Terminal and Trace from this host, each a command the extension already has.

import type { SourceRange } from '../lab/types';
import type { LabText } from './labText';
import { namesOf } from './labPlaces';
import { hostDriftItems, reachability, type LiveFacts } from './liveFacts';

export type HostLensCommand = 'overlayLab.refreshHost' | 'overlayLab.plan' | 'overlayLab.apply' | 'overlayLab.openTerminal' | 'overlayLab.tracePath';

export interface HostLens {
  host: string;
  range: SourceRange;
  title: string;
  command: HostLensCommand;
  tooltip?: string;
}

/** From the tree alone (the hosts' keys), so that the lenses follow the text without a read of the model. */
export function hostLenses(text: LabText, facts: LiveFacts): HostLens[] {
  const lenses: HostLens[] = [];
  for (const host of namesOf(text).definitions.filter((d) => d.kind === 'host')) {
    const at = { host: host.name, range: text.rangeAt(host.start, host.end) };
    const { reachable, why } = reachability(facts, host.name);
    const status = facts.reading.has(host.name) ? '$(sync~spin) reading' : reachable === undefined ? '$(circle-outline) not read yet' : reachable ? '$(pass) reachable' : '$(error) unreachable';
    lenses.push({ ...at, title: status, command: 'overlayLab.refreshHost', tooltip: why ?? 'Read this host again' });
    const read = facts.readings[host.name]?.ok;
    if (read) {
      const drift = hostDriftItems(facts, host.name).length;
      lenses.push({ ...at, title: drift === 0 ? '$(check) no drift' : `$(warning) ${drift} drifted`, command: 'overlayLab.plan', tooltip: `Plan ${host.name}: what apply would change` });
    }
    lenses.push({ ...at, title: 'Apply', command: 'overlayLab.apply', tooltip: `Make ${host.name} as the file says` });
    lenses.push({ ...at, title: 'Terminal', command: 'overlayLab.openTerminal', tooltip: `Open a shell on ${host.name}` });
    lenses.push({ ...at, title: 'Trace', command: 'overlayLab.tracePath', tooltip: `Trace a path from ${host.name}` });
  }
  return lenses;
}
