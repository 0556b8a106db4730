// Typed reading of YAML maps with positions. Each object of the lab file is read through a
// MapReader: it reports unknown keys (with the likely intended one), follows aliases and `<<`
// merges, and gives each field only when its YAML type is right; a field of the wrong type is
// reported where it was written and then treated as absent.

import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { DiagnosticSink } from './diagnostics';
import { KNOWN_KEYS, type Bounds, type ObjectKind } from './fields';
import { closest } from './suggest';
import type { SourceRange } from './types';
import { describeNode, scalarText, type YamlSource } from './yamlSource';

export interface Located<T> {
  value: T;
  range: SourceRange;
}

/** A value node of the tree with where it was written. */
export interface LocatedNode {
  /** The node with aliases followed; null when nothing was written. */
  node: Node | null;
  range: SourceRange;
}

export interface MapEntry extends LocatedNode {
  key: string;
  keyRange: SourceRange;
}

/** Alias expansion stops here: a lab is small, and a file of aliases within aliases would otherwise expand without end. */
const MAX_ALIAS_FOLLOWS = 10000;

/** What every reader of one file shares: the tree, where diagnostics go, and the alias budget. */
export class ReadContext {
  private aliasFollows = 0;

  constructor(
    readonly source: YamlSource,
    readonly sink: DiagnosticSink,
  ) {}

  /**
   * A node as written at `node`: aliases followed, but the range stays at the alias for a
   * scalar, so that a reused value is reported where it is used.
   */
  locate(node: unknown, fallback: SourceRange): LocatedNode {
    if (node == null) return { node: null, range: fallback };
    const written = node as Node;
    const range = this.nonEmptyRange(written, fallback);
    let target: Node | null = written;
    while (target && isAlias(target)) {
      if (++this.aliasFollows > MAX_ALIAS_FOLLOWS) {
        if (this.aliasFollows === MAX_ALIAS_FOLLOWS + 1) {
          this.sink.error(range, `more than ${MAX_ALIAS_FOLLOWS} aliases to expand; the file nests aliases too deeply to read`);
        }
        return { node: null, range };
      }
      const resolved = target.resolve(this.source.doc) as Node | undefined;
      if (!resolved) {
        this.sink.error(range, `alias *${target.source} has no anchor &${target.source} before it`);
        return { node: null, range };
      }
      target = resolved;
    }
    return { node: target, range: target && !isScalar(target) ? this.nonEmptyRange(target, range) : range };
  }

  private nonEmptyRange(node: Node, fallback: SourceRange): SourceRange {
    if (!node.range || node.range[0] === node.range[1]) return fallback;
    return this.source.rangeOf(node);
  }

  /** The entries of a map, with `<<` merges applied: the map's own keys win, then earlier merges. */
  entries(map: YAMLMap, seen = new Set<YAMLMap>()): MapEntry[] {
    if (seen.has(map)) return [];
    seen.add(map);
    const own: MapEntry[] = [];
    const merged: MapEntry[] = [];
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const keyRange = keyNode?.range ? this.source.rangeOf(keyNode) : this.source.rangeOf(map);
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        merged.push(...this.mergeSources(pair.value, keyRange).flatMap((source) => this.entries(source, seen)));
        continue;
      }
      if (!isScalar(keyNode) || keyNode.value === null) {
        this.sink.error(keyRange, `a key must be a plain name, not ${describeNode(keyNode)}`);
        continue;
      }
      const key = scalarText(keyNode);
      own.push({ key, keyRange, ...this.locate(pair.value, keyRange) });
    }
    const result = [...own];
    const present = new Set(own.map((e) => e.key));
    for (const entry of merged) {
      if (present.has(entry.key)) continue;
      present.add(entry.key);
      result.push(entry);
    }
    return result;
  }

  private mergeSources(value: unknown, keyRange: SourceRange): YAMLMap[] {
    const { node, range } = this.locate(value, keyRange);
    const candidates = isSeq(node) ? node.items.map((item) => this.locate(item, range)) : [{ node, range }];
    const maps: YAMLMap[] = [];
    for (const candidate of candidates) {
      if (isMap(candidate.node)) maps.push(candidate.node);
      else this.sink.error(candidate.range, `"<<" merges maps, not ${describeNode(candidate.node)}; write <<: *anchor or <<: [*a, *b]`);
    }
    return maps;
  }

  /** The items of a list, aliases followed. */
  items(seq: YAMLSeq, listRange: SourceRange): LocatedNode[] {
    return seq.items.map((item) => this.locate(item, listRange));
  }

  /** A scalar as text (a plain `1e3` stays "1e3"); anything else is reported. */
  text(at: LocatedNode, what: string): Located<string> | undefined {
    if (isScalar(at.node) && at.node.value !== null) return { value: scalarText(at.node), range: at.range };
    this.sink.error(at.range, `${what} must be text, not ${describeNode(at.node)}`);
    return undefined;
  }
}

/** A number as the file wrote it (`1e3`, `.inf`), for messages. */
function numberAsWritten(at: LocatedNode): string {
  return isScalar(at.node) ? scalarText(at.node) : describeNode(at.node);
}

/** Why a key is wrong here, beyond "unknown": keys that belong one level down or elsewhere. */
function misplacedKeyHint(kind: ObjectKind, key: string): string | undefined {
  const sshKeys: readonly string[] = KNOWN_KEYS.ssh;
  if (kind === 'host' && sshKeys.includes(key)) return `SSH settings go under ssh: write ssh: { ${key}: … }`;
  if (kind === 'defaults' && sshKeys.includes(key)) return `SSH settings go under defaults.ssh: write ssh: { ${key}: … }`;
  if (kind === 'lab' && key === 'ssh') return 'SSH settings for every host go under defaults.ssh';
  if (kind === 'defaultsSsh' && key === 'host') return 'each host has its own address: set ssh.host on each host instead';
  if (kind === 'interface' && (key === 'ports' || key === 'kind' || key === 'datapath')) {
    return `${key} is a bridge setting: declare this under bridges: instead of interfaces:`;
  }
  if (kind === 'port' && (key === 'address' || key === 'mtu')) {
    return `a port has no ${key} of its own here: declare the port's name under interfaces: with its ${key}`;
  }
  return undefined;
}

export interface MapReaderOptions {
  /** Keys to pass over silently (the top level's `x-…` keys). */
  ignoreKey?: (key: string) => boolean;
}

/** One object of the lab file: its known keys, typed. `label` names it in messages ("interface eth0"). */
export class MapReader {
  private readonly byKey = new Map<string, MapEntry>();

  constructor(
    readonly ctx: ReadContext,
    /** Null for an object written as `key:` with nothing after it, which reads as `{}`. */
    map: YAMLMap | null,
    readonly kind: ObjectKind,
    readonly label: string,
    options: MapReaderOptions = {},
  ) {
    const known: readonly string[] = KNOWN_KEYS[kind];
    for (const entry of map ? ctx.entries(map) : []) {
      if (known.includes(entry.key)) this.byKey.set(entry.key, entry);
      else if (!options.ignoreKey?.(entry.key)) this.reportUnknownKey(entry, known);
    }
  }

  private reportUnknownKey(entry: MapEntry, known: readonly string[]): void {
    const start = `unknown key "${entry.key}" in ${this.label}`;
    const hint = misplacedKeyHint(this.kind, entry.key);
    if (hint) return this.ctx.sink.error(entry.keyRange, `${start}: ${hint}`);
    const guess = closest(entry.key, known);
    if (guess) return this.ctx.sink.error(entry.keyRange, `${start}; did you mean "${guess}"?`);
    this.ctx.sink.error(entry.keyRange, `${start}; known keys are ${known.join(', ')}`);
  }

  get sink(): DiagnosticSink {
    return this.ctx.sink;
  }

  entry(key: string): MapEntry | undefined {
    return this.byKey.get(key);
  }

  /** Where `key` was written (its value), for the model's fieldRanges. */
  rangeOf(key: string): SourceRange | undefined {
    return this.byKey.get(key)?.range;
  }

  text(key: string): Located<string> | undefined {
    const e = this.entry(key);
    return e && this.ctx.text(e, key);
  }

  integer(key: string, bounds: Bounds): Located<number> | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    const expected = `a whole number from ${bounds.min} to ${bounds.max}`;
    const value = this.numberOf(e, key, expected);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
      this.sink.error(e.range, `${key} must be ${expected}, not ${numberAsWritten(e)}`);
      return undefined;
    }
    return { value, range: e.range };
  }

  /** A number of seconds or the like: any finite number above zero. */
  positiveNumber(key: string, unit: string): Located<number> | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    const expected = `a number of ${unit} above 0`;
    const value = this.numberOf(e, key, expected);
    if (value === undefined) return undefined;
    if (!Number.isFinite(value) || value <= 0) {
      this.sink.error(e.range, `${key} must be ${expected}, not ${numberAsWritten(e)}`);
      return undefined;
    }
    return { value, range: e.range };
  }

  private numberOf(e: MapEntry, key: string, expected: string): number | undefined {
    if (isScalar(e.node) && typeof e.node.value === 'number') return e.node.value;
    const quoted = isScalar(e.node) && typeof e.node.value === 'string' && /^\s*-?[0-9][0-9.e+]*\s*$/i.test(e.node.value);
    const hint = quoted ? '; remove the quotes' : '';
    this.sink.error(e.range, `${key} must be ${expected}, not ${describeNode(e.node)}${hint}`);
    return undefined;
  }

  boolean(key: string): Located<boolean> | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    if (isScalar(e.node) && typeof e.node.value === 'boolean') return { value: e.node.value, range: e.range };
    const yesNo = isScalar(e.node) && typeof e.node.value === 'string' && /^(yes|no|on|off|y|n)$/i.test(e.node.value);
    const hint = yesNo ? ' (in YAML 1.2, yes and no are text)' : '';
    this.sink.error(e.range, `${key} must be true or false, not ${describeNode(e.node)}${hint}`);
    return undefined;
  }

  choice<T extends string>(key: string, values: readonly T[]): Located<T> | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    const text = isScalar(e.node) && e.node.value !== null ? scalarText(e.node) : undefined;
    const found = values.find((v) => v === text);
    if (found !== undefined) return { value: found, range: e.range };
    const written = isScalar(e.node) && typeof e.node.value === 'string' ? JSON.stringify(text) : describeNode(e.node);
    const guess = text !== undefined ? closest(text, values) : undefined;
    this.sink.error(e.range, `${key} must be one of ${values.join(', ')}, not ${written}${guess ? `; did you mean ${guess}?` : ''}`);
    return undefined;
  }

  /**
   * A nested object. `null` (written as `key:` with nothing after it) is an empty object:
   * `eth2:` reads like `eth2: {}`.
   */
  map(key: string): { map: YAMLMap | null; entry: MapEntry } | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    if (isMap(e.node)) return { map: e.node, entry: e };
    if (e.node === null || (isScalar(e.node) && e.node.value === null)) return { map: null, entry: e };
    this.sink.error(e.range, `${key} must be a map of keys and values, not ${describeNode(e.node)}`);
    return undefined;
  }

  list(key: string, allowEmpty = true): { items: LocatedNode[]; entry: MapEntry } | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    if (isSeq(e.node)) return { items: this.ctx.items(e.node, e.range), entry: e };
    if (allowEmpty && (e.node === null || (isScalar(e.node) && e.node.value === null))) return { items: [], entry: e };
    this.sink.error(e.range, `${key} must be a list, e.g. [a, b], not ${describeNode(e.node)}`);
    return undefined;
  }
}

/** Each entry of a map of named objects (`hosts:`, `interfaces:` …), with the object's own map or null. */
export function namedObjects(ctx: ReadContext, at: { map: YAMLMap | null }, what: string): { entry: MapEntry; map: YAMLMap | null }[] {
  if (!at.map) return [];
  const result: { entry: MapEntry; map: YAMLMap | null }[] = [];
  for (const entry of ctx.entries(at.map)) {
    if (isMap(entry.node)) result.push({ entry, map: entry.node });
    else if (entry.node === null || (isScalar(entry.node) && entry.node.value === null)) result.push({ entry, map: null });
    else ctx.sink.error(entry.range, `${what} ${entry.key} must be a map of keys and values (or {}), not ${describeNode(entry.node)}`);
  }
  return result;
}
