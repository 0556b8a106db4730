// From a graph snapshot to cytoscape element definitions, and what a new snapshot changes in
// the diagram drawn from the last one: elements to add, remove, or update in place (data and
// classes), so that positions, zoom and selection survive. Pure: the webview applies the plan.

import type { GraphEdge, GraphNode, GraphSnapshot, NodeStatus, Positions } from './protocol';

export interface NodeData {
  id: string;
  parent?: string;
  label: string;
  display: string;
  kind: GraphNode['kind'];
  status: NodeStatus;
  host?: string;
  captureHost?: string;
  captureIface?: string;
  captureFilter?: string;
  info: string;
  source?: string;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: GraphEdge['kind'];
  status: NodeStatus;
  info: string;
  underlay?: string;
}

export type ElementDef = { group: 'nodes'; data: NodeData; classes: string } | { group: 'edges'; data: EdgeData; classes: string };

/** Words added to a label for a status that is not plain "up". */
const STATUS_WORD: Partial<Record<NodeStatus, string>> = { down: 'down', disabled: 'admin down', drifted: 'drifted', missing: 'missing', unreachable: 'unreachable' };

export function displayLabel(node: GraphNode): string {
  const word = STATUS_WORD[node.status];
  if (node.kind === 'host' || node.kind === 'bridge') {
    // A compound's label sits above its box on one line.
    return [node.label, node.detail, word && `(${word})`].filter(Boolean).join(' · ');
  }
  return [node.label, node.detail, word && `(${word})`].filter(Boolean).join('\n');
}

export function toElements(graph: GraphSnapshot): ElementDef[] {
  const nodes: ElementDef[] = graph.nodes.map((node) => ({
    group: 'nodes',
    data: {
      id: node.id,
      ...(node.parent ? { parent: node.parent } : {}),
      label: node.label,
      display: displayLabel(node),
      kind: node.kind,
      status: node.status,
      ...(node.host ? { host: node.host } : {}),
      ...(node.capture ? { captureHost: node.capture.host, captureIface: node.capture.iface, ...(node.capture.filter ? { captureFilter: node.capture.filter } : {}) } : {}),
      info: node.info.join('\n'),
      ...(node.source ? { source: `${node.source.line}:${node.source.col}` } : {}),
    },
    classes: node.classes.join(' '),
  }));
  const known = new Set(graph.nodes.map((node) => node.id));
  const edges: ElementDef[] = graph.edges
    .filter((edge) => known.has(edge.source) && known.has(edge.target))
    .map((edge) => ({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label ?? '', kind: edge.kind, status: edge.status, info: edge.info.join('\n'), ...(edge.underlay ? { underlay: edge.underlay } : {}) },
      classes: edge.classes.join(' '),
    }));
  return [...nodes, ...edges];
}

/** What the diagram holds of an element: enough to tell whether it can be updated in place. */
export interface Existing {
  id: string;
  parent?: string;
  source?: string;
  target?: string;
}

export interface UpdatePlan {
  /** New elements, parents before children. */
  add: ElementDef[];
  /** Ids to remove (an element whose parent or ends changed is removed and added again). */
  remove: string[];
  /** Elements kept, with their new data and classes. */
  update: ElementDef[];
}

export function planUpdate(existing: readonly Existing[], next: readonly ElementDef[]): UpdatePlan {
  const before = new Map(existing.map((element) => [element.id, element]));
  const nextIds = new Set(next.map((element) => element.data.id));
  const remove = existing.filter((element) => !nextIds.has(element.id)).map((element) => element.id);
  const add: ElementDef[] = [];
  const update: ElementDef[] = [];
  for (const element of next) {
    const old = before.get(element.data.id);
    if (!old) {
      add.push(element);
      continue;
    }
    const moved =
      element.group === 'nodes' ? (old.parent ?? undefined) !== (element.data.parent ?? undefined) : old.source !== element.data.source || old.target !== element.data.target;
    if (moved) {
      remove.push(old.id);
      add.push(element);
    } else {
      update.push(element);
    }
  }
  return { add: parentsFirst(add), remove, update };
}

/** Nodes ordered so that a compound comes before what it holds; edges last. */
function parentsFirst(elements: ElementDef[]): ElementDef[] {
  const nodes = elements.filter((element) => element.group === 'nodes');
  const depth = new Map<string, number>();
  const parentOf = new Map(nodes.map((element) => [element.data.id, element.group === 'nodes' ? element.data.parent : undefined]));
  const depthOf = (id: string, seen = new Set<string>()): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const value = parent && parentOf.has(parent) && !seen.has(parent) ? depthOf(parent, seen.add(id)) + 1 : 0;
    depth.set(id, value);
    return value;
  };
  const sorted = [...nodes].sort((a, b) => depthOf(a.data.id) - depthOf(b.data.id));
  return [...sorted, ...elements.filter((element) => element.group === 'edges')];
}

export type LayoutNeed = 'all' | 'new' | 'none';

/**
 * Leaf nodes are what positions are kept for (a compound's box follows what it holds). With no
 * kept position for any leaf, everything is laid out; with some leaves new, only those are placed.
 */
export function layoutNeed(graph: GraphSnapshot, positions: Positions, placed: ReadonlySet<string> = new Set()): LayoutNeed {
  const leaves = leafIds(graph);
  if (leaves.length === 0) return 'none';
  const known = (id: string) => positions[id] !== undefined || placed.has(id);
  const count = leaves.filter(known).length;
  if (count === 0) return 'all';
  return count === leaves.length ? 'none' : 'new';
}

export function leafIds(graph: GraphSnapshot): string[] {
  const parents = new Set(graph.nodes.map((node) => node.parent).filter((parent): parent is string => parent !== undefined));
  return graph.nodes.filter((node) => !parents.has(node.id)).map((node) => node.id);
}
