// Shared by the language tests: the recorded demo lab and its hosts' recorded states, a cursor
// marked in a lab text, and live facts built the way the editor builds them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostDrift } from '../../../src/compare/drift';
import type { HostReading, HostState } from '../../../src/hosts/types';
import { parseKeyDocs } from '../../../src/language/keyDocs';
import { LabText } from '../../../src/language/labText';
import { NO_LIVE_FACTS, type LiveFacts } from '../../../src/language/liveFacts';
import { DEMO_LAB_FILE, demoStates } from '../hosts/fixtures';

const ROOT = join(__dirname, '..', '..', '..');
export const DOCS = parseKeyDocs(readFileSync(join(ROOT, 'docs', 'lab-format.md'), 'utf8'));
export const DEMO_TEXT = readFileSync(DEMO_LAB_FILE, 'utf8');
export const FIXTURE_LABS = join(ROOT, 'test', 'fixtures', 'labs');

/** `text` with its one `¦` taken out: the text and the cursor's offset there. */
export function withCursor(marked: string): { text: LabText; offset: number } {
  const offset = marked.indexOf('¦');
  if (offset < 0 || marked.indexOf('¦', offset + 1) >= 0) throw new Error('mark the cursor with one ¦');
  return { text: new LabText(marked.slice(0, offset) + marked.slice(offset + 1), 'test.lab.yaml'), offset };
}

/** The demo text with `find` replaced by `replace` (which must be there). */
export function demoWith(find: string, replace: string): string {
  if (!DEMO_TEXT.includes(find)) throw new Error(`the demo lab has no ${JSON.stringify(find)}`);
  return DEMO_TEXT.replace(find, replace);
}

/** What the editor would know after reading every host of the demo in the configured phase (each state edited by `edit`). */
export function configuredFacts(text: LabText, edit: (host: string, state: HostState) => void = () => {}): LiveFacts {
  const states = demoStates('configured');
  const readings: Record<string, HostReading> = {};
  const drift = [];
  for (const [host, state] of Object.entries(states)) {
    edit(host, state);
    readings[host] = { ok: true, state };
    const declared = text.lab!.hosts.find((h) => h.name === host)!;
    drift.push(...hostDrift(text.lab!, declared, state));
  }
  return { ...NO_LIVE_FACTS, readings, drift, connections: Object.fromEntries(Object.keys(states).map((h) => [h, 'connected' as const])) };
}
