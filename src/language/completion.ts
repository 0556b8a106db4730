// Completion in a lab file: the keys each object takes (with the format page's words on each),
// and the values the lab knows: host names, `host:interface` pairs, the interfaces a host
// really has (from its last known state), port types, bridge kinds and the other enums.
//
// Where the cursor is, is found as language servers do: a placeholder word is put at the cursor
// so that the line parses (a half-typed `  rem` becomes the key `remXX:`, an empty `remote: `
// gets a value), and the placeholder's place in the tree says what is being written.

import { isMap, isScalar } from 'yaml';
import { DATAPATHS, BRIDGE_KINDS, KNOWN_KEYS, PORT_TYPES, STRICT_HOST_KEY_CHECKING } from '../lab/fields';
import type { Lab } from '../lab/types';
import { keyDocId, keyDocMarkdown, type KeyDocs } from './keyDocs';
import { objectKindAt, type PlaceKind } from './labPlaces';
import { LabText, pathMatches, type YamlPath } from './labText';
import type { LiveFacts } from './liveFacts';

export type CompletionKind = 'key' | 'host' | 'endpoint' | 'interface' | 'enum' | 'value';

export interface LabCompletion {
  label: string;
  kind: CompletionKind;
  /** What is put in; the label when absent. */
  insertText?: string;
  detail?: string;
  documentation?: string;
}

export interface CompletionAnswer {
  items: LabCompletion[];
  /** The offsets of what the user has typed of the word, which an item replaces. */
  replaceStart: number;
  replaceEnd: number;
}

const PLACEHOLDER = 'OVERLAYLABCURSOR';

export function keysOf(kind: PlaceKind): readonly string[] {
  return KNOWN_KEYS[kind];
}

interface CursorPlace {
  path: YamlPath;
  role: 'key' | 'value';
  /** What is typed of the word before the cursor. */
  typed: string;
  start: number;
  /** The keys already written in the map being completed (for a key). */
  present: Set<string>;
}

/** Where the cursor is in the tree, with the file as it would read once the word is written. */
export function cursorPlace(text: string, offset: number): CursorPlace | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const typed = /[A-Za-z0-9_.:@/~-]*$/.exec(before)?.[0] ?? '';
  const start = offset - typed.length;
  const head = before.slice(0, before.length - typed.length);
  let rest = text.slice(offset);
  const restOfLine = rest.split('\n', 1)[0];
  // A word after the cursor is the rest of the word being written; the placeholder replaces it.
  const tail = /^[A-Za-z0-9_.:@/~-]*/.exec(restOfLine)?.[0] ?? '';
  rest = rest.slice(tail.length);
  const blockKey = /^\s*$/.test(head) && !/^\s*:/.test(rest);
  const insert = blockKey ? `${PLACEHOLDER}: ` : PLACEHOLDER;
  const written = text.slice(0, start) + typed + insert + rest;
  // Only the block around the cursor is parsed again, so that a keystroke in a large file costs
  // the parse of one host, not of the file; the whole file when its layout is not plain blocks.
  const block = enclosingBlock(written, start);
  const probe = new LabText(block ? block.text : written, '');
  const at = probe.scalars().find((s) => s.text.includes(PLACEHOLDER));
  if (!at) return undefined;
  const map = probe.nodeAt(at.path);
  const present = new Set(isMap(map) ? map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')).filter((key) => !key.includes(PLACEHOLDER)) : []);
  return { path: at.path, role: at.role, typed, start, present };
}

/**
 * The cursor's top-level key line and its second-level entry (`hosts:` and the lines of
 * `  ovs-a:`), when both are written as block keys; the paths in it are the paths in the file.
 */
function enclosingBlock(text: string, offset: number): { text: string } | undefined {
  const lines = text.split('\n');
  const at = text.slice(0, offset).split('\n').length - 1;
  const indentOf = (line: string) => (/^\s*(#.*)?$/.test(line) ? -1 : line.length - line.trimStart().length);
  let entry = -1;
  for (let i = at; i >= 0; i--) {
    const indent = indentOf(lines[i]);
    if (indent === 2 && entry < 0) entry = i;
    if (indent === 0) {
      if (entry < 0 || !/^[A-Za-z][\w-]*:\s*(#.*)?$/.test(lines[i]) || !/^  [^\s{[&*!|>'"-][^:]*:(\s|$)/.test(lines[entry])) return undefined;
      let end = entry + 1;
      while (end < lines.length && (indentOf(lines[end]) < 0 || indentOf(lines[end]) > 2)) end++;
      if (at >= end) return undefined;
      return { text: `${lines[i]}\n${lines.slice(entry, end).join('\n')}\n` };
    }
  }
  return undefined;
}

/**
 * Completion at `offset` of `text`, the document as it is now. `lab` is the model of the file
 * as last read, which may be a keystroke or two older than `text`: the names it offers do not
 * change while the user types a value, and a large file is not read again on each key.
 */
export function completeAt(text: string, offset: number, lab: Lab | undefined, facts: LiveFacts, docs: KeyDocs): CompletionAnswer {
  const place = cursorPlace(text, offset);
  const answer: CompletionAnswer = { items: [], replaceStart: place?.start ?? offset, replaceEnd: offset };
  if (!place) return answer;
  if (place.role === 'key') {
    const kind = objectKindAt(place.path);
    if (kind) answer.items.push(...keyItems(place.present, kind, docs));
    // A port may be a plain name: `- eth` offers the host's interfaces as well as the port's keys.
    if (pathMatches(place.path, ['hosts', '*', 'bridges', '*', 'ports', '#'])) answer.items.push(...interfaceItems(lab, facts, String(place.path[1])));
    if (pathMatches(place.path, ['hosts', '*', 'interfaces'])) answer.items.push(...interfaceItems(lab, facts, String(place.path[1]), true));
    return answer;
  }
  answer.items.push(...valueItems(place.path, lab, facts));
  return answer;
}

function keyItems(present: Set<string>, kind: PlaceKind, docs: KeyDocs): LabCompletion[] {
  return keysOf(kind)
    .filter((key) => !present.has(key))
    .map((key) => {
      const doc = docs.get(keyDocId(kind, key));
      return { label: key, kind: 'key', insertText: `${key}: `, detail: doc?.meaning, documentation: doc && keyDocMarkdown(doc) };
    });
}

function valueItems(path: YamlPath, lab: Lab | undefined, facts: LiveFacts): LabCompletion[] {
  const host = typeof path[1] === 'string' && path[0] === 'hosts' ? path[1] : undefined;
  const enumItems = (values: readonly string[], detail: string): LabCompletion[] => values.map((value) => ({ label: value, kind: 'enum', detail }));
  const last = path[path.length - 1];
  if (pathMatches(path, ['hosts', '*', 'ssh', 'jump']) || pathMatches(path, ['defaults', 'ssh', 'jump'])) return hostItems(lab, facts, host);
  if (last === 'strictHostKeyChecking') return enumItems(STRICT_HOST_KEY_CHECKING, 'host key checking, as in OpenSSH');
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'kind'])) return enumItems(BRIDGE_KINDS, 'bridge kind');
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'datapath'])) return enumItems(DATAPATHS, 'OVS datapath_type');
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#', 'type'])) return enumItems(PORT_TYPES, 'port type');
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#', 'remote'])) return hostItems(lab, facts, host);
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#', 'peer'])) return patchPeers(lab, host!);
  if (pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#']) || pathMatches(path, ['hosts', '*', 'bridges', '*', 'ports', '#', 'name'])) {
    return interfaceItems(lab, facts, host!);
  }
  if (pathMatches(path, ['scripts', '*', 'hosts', '#'])) return hostItems(lab, facts);
  if (pathMatches(path, ['segments', '*', 'members', '#'])) return endpointItems(lab, facts);
  if (pathMatches(path, ['tests', '*', 'from']) || pathMatches(path, ['tests', '*', 'to'])) return [...hostItems(lab, facts), ...endpointItems(lab, facts)];
  if (pathMatches(path, ['tests', '*', 'expect'])) return enumItems(['reach', 'isolated'], 'what the test expects');
  if (last === 'underlay' || last === 'sudo' || last === 'mesh') return enumItems(['true', 'false'], 'yes or no');
  return [];
}

function hostItems(lab: Lab | undefined, facts: LiveFacts, except?: string): LabCompletion[] {
  return (lab?.hosts ?? [])
    .filter((host) => host.name !== except)
    .map((host) => {
      const reading = facts.readings[host.name];
      const state = reading ? (reading.ok ? 'reachable' : 'unreachable') : 'not read yet';
      return { label: host.name, kind: 'host', detail: `host ${host.ssh.host ?? host.name} (${state})` };
    });
}

/** Every `host:device` the lab declares, and those the hosts were last seen to have. */
function endpointItems(lab: Lab | undefined, facts: LiveFacts): LabCompletion[] {
  const items: LabCompletion[] = [];
  for (const host of lab?.hosts ?? []) {
    for (const device of devicesOf(lab, facts, host.name)) items.push({ label: `${host.name}:${device.name}`, kind: 'endpoint', detail: device.detail });
  }
  return items;
}

/** The interfaces of a host: declared ones first, then those only its last reading shows. */
function interfaceItems(lab: Lab | undefined, facts: LiveFacts, host: string, liveOnly = false): LabCompletion[] {
  return devicesOf(lab, facts, host)
    .filter((device) => !liveOnly || !device.declared)
    .map((device) => ({ label: device.name, kind: 'interface', detail: device.detail }));
}

function devicesOf(lab: Lab | undefined, facts: LiveFacts, hostName: string): { name: string; detail: string; declared: boolean }[] {
  const host = lab?.hosts.find((h) => h.name === hostName);
  const found = new Map<string, { name: string; detail: string; declared: boolean }>();
  for (const iface of host?.interfaces ?? []) found.set(iface.name, { name: iface.name, detail: `interface of ${hostName} (declared)`, declared: true });
  for (const bridge of host?.bridges ?? []) found.set(bridge.name, { name: bridge.name, detail: `bridge of ${hostName} (declared)`, declared: true });
  const reading = facts.readings[hostName];
  if (reading?.ok) {
    for (const link of reading.state.links) {
      if (link.name === 'lo' || found.has(link.name)) continue;
      const addresses = link.addresses.map((a) => a.cidr).join(', ');
      found.set(link.name, { name: link.name, detail: `on ${hostName}: ${link.up ? 'up' : 'down'}, mtu ${link.mtu}${addresses ? `, ${addresses}` : ''}`, declared: false });
    }
  }
  return [...found.values()];
}

function patchPeers(lab: Lab | undefined, hostName: string): LabCompletion[] {
  const host = lab?.hosts.find((h) => h.name === hostName);
  return (host?.bridges ?? []).flatMap((bridge) =>
    bridge.ports.filter((port) => port.type === 'patch').map((port): LabCompletion => ({ label: port.name, kind: 'interface', detail: `patch port of ${bridge.name}` })),
  );
}
