// `ovs-vsctl --format=json list TABLE` output: `{"headings":[...],"data":[[...], ...]}`, one
// document per command, with OVSDB's JSON values (RFC 7047 §5.1): a plain atom (string, number,
// boolean), `["uuid", "…"]`, `["set", [atoms]]` or `["map", [[key, value], …]]`. A set of one
// element is written as that element alone, and an empty optional column as `["set", []]`, so
// the readers below take either form wherever a column may hold several values.

export type OvsdbRow = Record<string, unknown>;

export interface OvsdbTable {
  headings: string[];
  rows: OvsdbRow[];
}

export class OvsdbFormatError extends Error {
  override name = 'OvsdbFormatError';
}

/** Every JSON document in the text, one table each, in order. */
export function parseOvsdbTables(text: string): OvsdbTable[] {
  const tables: OvsdbTable[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (error) {
      throw new OvsdbFormatError(`not JSON: ${(error as Error).message}`);
    }
    if (!isObject(doc) || !Array.isArray(doc.headings) || !Array.isArray(doc.data)) {
      throw new OvsdbFormatError('a JSON document without "headings" and "data"');
    }
    const headings = doc.headings.map(String);
    const rows = doc.data.filter(Array.isArray).map((cells: unknown[]) => Object.fromEntries(headings.map((h, i) => [h, cells[i]])));
    tables.push({ headings, rows });
  }
  return tables;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTagged(value: unknown, tag: string): value is [string, unknown] {
  return Array.isArray(value) && value.length === 2 && value[0] === tag;
}

/** The elements of a set column (an atom alone is a set of one). */
export function setOf(value: unknown): unknown[] {
  if (isTagged(value, 'set')) return Array.isArray(value[1]) ? value[1] : [];
  if (value === undefined || value === null) return [];
  return [value];
}

/** The UUID of a `["uuid", "…"]` value. */
export function uuidOf(value: unknown): string | undefined {
  return isTagged(value, 'uuid') && typeof value[1] === 'string' ? value[1] : undefined;
}

/** The UUIDs a reference column holds, in the database's order. */
export function uuidsOf(value: unknown): string[] {
  return setOf(value)
    .map(uuidOf)
    .filter((u): u is string => u !== undefined);
}

function atomText(atom: unknown): string | undefined {
  if (typeof atom === 'string') return atom;
  if (typeof atom === 'number' || typeof atom === 'boolean') return String(atom);
  return uuidOf(atom);
}

/** A string column, or an optional one (`["set", []]` when empty). */
export function stringOf(value: unknown): string | undefined {
  const [first] = setOf(value);
  return typeof first === 'string' ? first : undefined;
}

/** An integer column, or an optional one. */
export function numberOf(value: unknown): number | undefined {
  const [first] = setOf(value);
  return typeof first === 'number' && Number.isFinite(first) ? first : undefined;
}

/** A map column's pairs, values as text (`options`, `other_config`, `status`). */
export function textMapOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, val] of pairsOf(value)) {
    const text = atomText(val);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/** A map column of numbers (`statistics`); other values are left out. */
export function numberMapOf(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, val] of pairsOf(value)) if (typeof val === 'number' && Number.isFinite(val)) out[key] = val;
  return out;
}

function pairsOf(value: unknown): [string, unknown][] {
  if (!isTagged(value, 'map') || !Array.isArray(value[1])) return [];
  return value[1].filter((pair): pair is [string, unknown] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string');
}
