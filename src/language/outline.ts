// The outline of a lab file (document symbols): hosts with their interfaces, bridges and ports,
// segments, scripts and tests, nested as in the file. Breadcrumbs and Go to Symbol follow it.
// Read from the YAML tree, so a file with errors still has an outline.

import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SourceRange } from '../lab/types';
import { scalarText } from '../lab/yamlSource';
import type { LabText } from './labText';

export type LabSymbolKind = 'host' | 'interface' | 'bridge' | 'port' | 'segment' | 'script' | 'test' | 'section';

export interface LabSymbol {
  name: string;
  kind: LabSymbolKind;
  /** A word or two beside the name: `ovs` for a bridge, `vxlan → ovs-ord` for a tunnel. */
  detail?: string;
  /** All of it, from its name to the end of its value. */
  range: SourceRange;
  /** Its name. */
  selectionRange: SourceRange;
  children: LabSymbol[];
}

const SECTIONS: Record<string, LabSymbolKind> = { hosts: 'host', segments: 'segment', scripts: 'script', tests: 'test' };

export function labOutline(text: LabText): LabSymbol[] {
  const root = text.root;
  if (!isMap(root)) return [];
  const symbols: LabSymbol[] = [];
  for (const pair of root.items) {
    const key = keyText(pair);
    const kind = key !== undefined ? SECTIONS[key] : undefined;
    if (!kind) continue;
    const section = symbol(text, pair, key!, 'section');
    if (!section) continue;
    section.children = entries(pair.value).flatMap((entry) => {
      const name = keyText(entry);
      const item = name !== undefined ? symbol(text, entry, name, kind) : undefined;
      if (!item) return [];
      if (kind === 'host') item.children = hostChildren(text, entry.value as Node | null);
      if (kind === 'segment') item.detail = membersDetail(entry.value as Node | null);
      return [item];
    });
    symbols.push(section);
  }
  return symbols;
}

function hostChildren(text: LabText, host: Node | null): LabSymbol[] {
  const children: LabSymbol[] = [];
  const interfaces = valueOf(host, 'interfaces');
  for (const entry of entries(interfaces)) {
    const name = keyText(entry);
    const item = name !== undefined ? symbol(text, entry, name, 'interface') : undefined;
    if (item) children.push(item);
  }
  for (const entry of entries(valueOf(host, 'bridges'))) {
    const name = keyText(entry);
    const bridge = name !== undefined ? symbol(text, entry, name, 'bridge') : undefined;
    if (!bridge) continue;
    const kind = valueOf(entry.value as Node | null, 'kind');
    bridge.detail = isScalar(kind) ? scalarText(kind) : 'ovs';
    const ports = valueOf(entry.value as Node | null, 'ports');
    if (isSeq(ports)) {
      for (const item of ports.items as (Node | null)[]) {
        const port = portSymbol(text, item);
        if (port) bridge.children.push(port);
      }
    }
    children.push(bridge);
  }
  return children;
}

function portSymbol(text: LabText, item: Node | null): LabSymbol | undefined {
  if (isScalar(item) && item.range && item.value !== null) {
    const range = text.rangeAt(item.range[0], item.range[1]);
    return { name: scalarText(item), kind: 'port', range, selectionRange: range, children: [] };
  }
  if (!isMap(item) || !item.range) return undefined;
  const name = valueOf(item, 'name');
  if (!isScalar(name) || !name.range) return undefined;
  const type = valueOf(item, 'type');
  const remote = valueOf(item, 'remote');
  const detail = [isScalar(type) ? scalarText(type) : undefined, isScalar(remote) ? `→ ${scalarText(remote)}` : undefined].filter(Boolean).join(' ');
  return {
    name: scalarText(name),
    kind: 'port',
    detail: detail || undefined,
    range: text.rangeAt(item.range[0], item.range[1]),
    selectionRange: text.rangeAt(name.range[0], name.range[1]),
    children: [],
  };
}

function membersDetail(segment: Node | null): string | undefined {
  const members = valueOf(segment, 'members');
  if (!isSeq(members)) return undefined;
  return (members.items as Node[]).filter(isScalar).map((m) => scalarText(m)).join(', ') || undefined;
}

function symbol(text: LabText, pair: Pair, name: string, kind: LabSymbolKind): LabSymbol | undefined {
  const key = pair.key as Node;
  if (!key?.range) return undefined;
  const value = pair.value as Node | null;
  const end = value?.range ? Math.max(value.range[1], key.range[1]) : key.range[1];
  return { name, kind, range: text.rangeAt(key.range[0], end), selectionRange: text.rangeAt(key.range[0], key.range[1]), children: [] };
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null && typeof pair.key.value !== 'symbol' ? scalarText(pair.key) : undefined;
}

function entries(node: unknown): Pair[] {
  return isMap(node) ? node.items : [];
}

function valueOf(node: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => keyText(pair) === key)?.value as Node | null | undefined;
}
