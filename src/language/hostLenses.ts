// The lines above each host in the lab file (CodeLens): reachable or not, its drift, and Apply,
// Terminal and Trace from this host, each a command the extension already has.

import { isMap, isScalar } from 'yaml';
import type { SourceRange } from '../lab/types';
import { scalarText } from '../lab/yamlSource';
import { openingQuoteWidth } from './labPlaces';
import type { LabText } from './labText';
import { hostDriftItems, reachability, type LiveFacts } from './liveFacts';

export type HostLensCommand = 'overlayLab.refreshHost' | 'overlayLab.plan' | 'overlayLab.apply' | 'overlayLab.openTerminal' | 'overlayLab.tracePath';

export interface HostLens {
  host: string;
  range: SourceRange;
  title: string;
  command: HostLensCommand;
  tooltip?: string;
}

/** The hosts' keys as written: the keys of the top-level `hosts` map. */
function hostKeys(text: LabText): { name: string; start: number; end: number }[] {
  const hosts = text.nodeAt(['hosts']);
  if (!isMap(hosts)) return [];
  return hosts.items.flatMap(({ key }) => {
    if (!isScalar(key) || !key.range || key.value === null || typeof key.value === 'symbol') return [];
    const quote = openingQuoteWidth(key);
    const name = scalarText(key);
    return [{ name, start: key.range[0] + quote, end: key.range[0] + quote + name.length }];
  });
}

/**
 * From the tree alone (the hosts' keys), so that the lenses follow the text without a read of
 * the model, and without a walk of the whole file: one pass over the `hosts` map.
 */
export function hostLenses(text: LabText, facts: LiveFacts): HostLens[] {
  const lenses: HostLens[] = [];
  for (const host of hostKeys(text)) {
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
