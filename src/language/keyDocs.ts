// The documentation of each key, read from the field tables of docs/lab-format.md, so that
// completion and hover say what the format's page says and never drift from it. Pure: the
// editor reads the page from the installed extension and hands its text in.

import type { PlaceKind } from './labPlaces';

export interface KeyDoc {
  /** The path as the page writes it: `hosts.<h>.ssh.jump`. */
  path: string;
  meaning: string;
  default?: string;
}

export type KeyDocs = Map<string, KeyDoc>;

export function keyDocId(kind: PlaceKind, key: string): string {
  return `${kind}.${key}`;
}

/** The object a path's last placeholder stands for: `hosts.<h>` is a host, `…interfaces.<if>` an interface. */
const PLACEHOLDER_OWNER: Record<string, PlaceKind> = {
  hosts: 'host',
  interfaces: 'interface',
  bridges: 'bridge',
  segments: 'segment',
  scripts: 'script',
  tests: 'test',
};

/** The rows of every `| path | meaning | default |` table of the page, by object kind and key. */
export function parseKeyDocs(markdown: string): KeyDocs {
  const docs: KeyDocs = new Map();
  for (const line of markdown.split(/\r?\n/)) {
    const cells = /^\|(.*)\|\s*$/.exec(line)?.[1].split('|').map((c) => c.trim());
    if (!cells || cells.length < 2 || !cells[0].includes('`')) continue;
    const [pathCell, meaning, fallback] = cells;
    const names = [...pathCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (names.length === 0) continue;
    const doc: KeyDoc = { path: pathCell.replace(/`/g, ''), meaning, default: fallback || undefined };
    const isPort = /^port\b/.test(pathCell);
    const first = keyOf(names[0], isPort);
    if (!first) continue;
    for (const [i, name] of names.entries()) {
      const key = i === 0 ? first.key : name;
      for (const kind of first.kinds) if (!docs.has(keyDocId(kind, key))) docs.set(keyDocId(kind, key), doc);
    }
  }
  return docs;
}

function keyOf(path: string, isPort: boolean): { kinds: PlaceKind[]; key: string } | undefined {
  if (isPort) return { kinds: ['port'], key: path };
  const steps = path.replace(/^…/, '').replace(/\[\]$/, '').split('.');
  if (steps.length > 1 && /^<.*>$/.test(steps[steps.length - 1])) steps.pop();
  const key = steps.pop();
  if (!key || !/^[A-Za-z]+$/.test(key)) return undefined;
  const parent = steps.pop();
  if (parent === undefined) return { kinds: ['lab'], key };
  if (parent === 'defaults') return { kinds: ['defaults'], key };
  // SSH settings read the same under a host and under defaults.ssh.
  if (parent === 'ssh') return { kinds: ['ssh', 'defaultsSsh'], key };
  if (/^<.*>$/.test(parent)) {
    const owner = PLACEHOLDER_OWNER[steps.pop() ?? ''];
    return owner ? { kinds: [owner], key } : undefined;
  }
  return undefined;
}

/** Markdown for a completion item's or hover's documentation. */
export function keyDocMarkdown(doc: KeyDoc): string {
  const fallback = doc.default ? `\n\nDefault: ${doc.default}` : '';
  return `**${doc.path}**: ${doc.meaning}${fallback}`;
}
