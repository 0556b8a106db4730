// What each place of a lab file is: which object a map is (a host, a bridge, a port...), which
// scalars define a host or a device, and which name one. Read from the YAML paths alone, so it
// holds in a file with errors, in flow and block style alike.

import type { ObjectKind } from '../lab/fields';
import { pathMatches, type LabText, type PlacedScalar, type YamlPath } from './labText';

/** The objects of the format. */
export type PlaceKind = ObjectKind;

const OBJECT_PATHS: [PlaceKind, string[]][] = [
  ['lab', []],
  ['defaults', ['defaults']],
  ['defaultsSsh', ['defaults', 'ssh']],
  ['host', ['hosts', '*']],
  ['ssh', ['hosts', '*', 'ssh']],
  ['interface', ['hosts', '*', 'interfaces', '*']],
  ['bridge', ['hosts', '*', 'bridges', '*']],
  ['port', ['hosts', '*', 'bridges', '*', 'ports', '#']],
  ['segment', ['segments', '*']],
  ['script', ['scripts', '*']],
  ['test', ['tests', '*']],
];

/** Which object the map at `path` is; undefined for a place the format does not know. */
export function objectKindAt(path: YamlPath): PlaceKind | undefined {
  return OBJECT_PATHS.find(([, pattern]) => pathMatches(path, pattern))?.[0];
}

/** A name in the file: a host, or a device (interface, bridge or port) of a host. */
export interface NameRef {
  kind: 'host' | 'device';
  /** For a device: its host. */
  host?: string;
  name: string;
  start: number;
  end: number;
}

/** Where a host's name is the whole value. */
const HOST_VALUE_PATHS = [
  ['hosts', '*', 'ssh', 'jump'],
  ['defaults', 'ssh', 'jump'],
  ['hosts', '*', 'bridges', '*', 'ports', '#', 'remote'],
  ['scripts', '*', 'hosts', '#'],
];

/** Where the value is `host` or `host:interface`. */
const ENDPOINT_PATHS = [
  ['segments', '*', 'members', '#'],
  ['tests', '*', 'from'],
  ['tests', '*', 'to'],
];

/** The names a scalar refers to (not defines): a jump or remote names a host, a member a host and an interface. */
export function referencesIn(scalar: PlacedScalar): NameRef[] {
  if (scalar.role !== 'value') return [];
  const { path } = scalar;
  const textStart = scalar.start + quoteWidth(scalar);
  if (HOST_VALUE_PATHS.some((p) => pathMatches(path, p))) {
    // A jump written `user@host:port` names no lab host; a remote may be an address: those stay
    // names, and references to them find no definition.
    return [{ kind: 'host', name: scalar.text, start: textStart, end: textStart + scalar.text.length }];
  }
  if (ENDPOINT_PATHS.some((p) => pathMatches(path, p))) {
    const colon = scalar.text.indexOf(':');
    if (colon < 0) return [{ kind: 'host', name: scalar.text, start: textStart, end: textStart + scalar.text.length }];
    const host = scalar.text.slice(0, colon);
    const device = scalar.text.slice(colon + 1);
    return [
      { kind: 'host', name: host, start: textStart, end: textStart + colon },
      { kind: 'device', host, name: device, start: textStart + colon + 1, end: textStart + scalar.text.length },
    ];
  }
  return [];
}

/** The name a scalar defines: a host's key, an interface's or bridge's key, a port's name. */
export function definitionIn(scalar: PlacedScalar): NameRef | undefined {
  const { path } = scalar;
  const textStart = scalar.start + quoteWidth(scalar);
  const at = (ref: Omit<NameRef, 'start' | 'end'>): NameRef => ({ ...ref, start: textStart, end: textStart + scalar.text.length });
  if (scalar.role === 'key') {
    if (pathMatches(path, ['hosts'])) return at({ kind: 'host', name: scalar.text });
    if (pathMatches(path, ['hosts', '*', 'interfaces']) || pathMatches(path, ['hosts', '*', 'bridges'])) {
      return at({ kind: 'device', host: String(path[1]), name: scalar.text });
    }
    return undefined;
  }
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#']) || pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#', 'name'])) {
    return at({ kind: 'device', host: String(path[1]), name: scalar.text });
  }
  return undefined;
}

function quoteWidth(scalar: PlacedScalar): number {
  return openingQuoteWidth(scalar.node);
}

/** Where a scalar's text starts past its opening quote: the one rule for every place that points at a name. */
export function openingQuoteWidth(node: { type?: string | null }): number {
  return node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
}

export function sameName(a: NameRef, b: NameRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.kind === 'host' || a.host === b.host);
}

/** Every definition and reference of the file, in file order. */
export function namesOf(text: LabText): { definitions: NameRef[]; references: NameRef[] } {
  const definitions: NameRef[] = [];
  const references: NameRef[] = [];
  for (const scalar of text.scalars()) {
    const definition = definitionIn(scalar);
    if (definition) definitions.push(definition);
    references.push(...referencesIn(scalar));
  }
  return { definitions, references };
}

/** The name under an offset, defined or referred to. */
export function nameAt(text: LabText, offset: number): { ref: NameRef; defines: boolean } | undefined {
  const scalar = text.scalarAt(offset);
  if (!scalar) return undefined;
  const definition = definitionIn(scalar);
  if (definition && definition.start <= offset && offset <= definition.end) return { ref: definition, defines: true };
  const ref = referencesIn(scalar).find((r) => r.start <= offset && offset <= r.end);
  return ref && { ref, defines: false };
}
