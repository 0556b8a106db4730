// The Labs tree's node objects and what to re-render, without the editor. VS Code re-renders a
// node only when handed the very object it was given, so node objects are kept by id and given
// each new model; a change then names the few nodes it touched (one host's reading: that host),
// and the tree re-renders those and what is under them.

import type { Lab, LabDiagnostic } from '../lab/types';
import type { LabWorkspace } from '../session/labWorkspace';
import type { LiveLabs } from '../session/liveLabs';
import { HostNodeCache } from './hostNodeCache';
import { buildLabTree, diffTrees, indexTree, type TreeNodeModel } from './liveTreeModel';

export interface LabNode {
  kind: 'lab';
  key: string;
}

export interface DiagnosticNode {
  kind: 'diagnostic';
  key: string;
  diagnostic: LabDiagnostic;
  index: number;
}

/** A node under a valid lab; `model` is replaced with each re-render, the object stays. */
export interface ItemNode {
  kind: 'item';
  key: string;
  model: TreeNodeModel;
  parent: LabNode | ItemNode;
}

export type LabsTreeNode = LabNode | DiagnosticNode | ItemNode;

/** What changed: a lab file's snapshot (`file`), a lab's live state (`state`), or the list of labs (`root`). */
export type TreeChange = { kind: 'root' } | { kind: 'file' | 'state'; key: string };

export function changeId(change: TreeChange): string {
  return change.kind === 'root' ? 'root' : `${change.kind}:${change.key}`;
}

function parseChange(id: string): TreeChange {
  if (id === 'root') return { kind: 'root' };
  const colon = id.indexOf(':');
  return { kind: id.slice(0, colon) as 'file' | 'state', key: id.slice(colon + 1) };
}

interface LabView {
  lab: Lab;
  tree: TreeNodeModel[];
  /** The node objects handed out so far, by model id. */
  nodes: Map<string, ItemNode>;
  /** Host nodes by their inputs: a burst of readings rebuilds the hosts it touched, not all of them. */
  hosts: HostNodeCache<TreeNodeModel>;
}

export class LabsTreeNodes {
  private readonly labNodes = new Map<string, LabNode>();
  private readonly views = new Map<string, LabView>();

  constructor(
    private readonly workspace: LabWorkspace,
    private readonly live: Pick<LiveLabs, 'get' | 'hostsOf' | 'findingsOf'>,
  ) {}

  labNode(key: string): LabNode {
    let node = this.labNodes.get(key);
    if (!node) {
      node = { kind: 'lab', key };
      this.labNodes.set(key, node);
    }
    return node;
  }

  children(node: LabsTreeNode): LabsTreeNode[] {
    if (node.kind === 'diagnostic') return [];
    if (node.kind === 'item') return node.model.children.map((model) => this.itemNode(node.key, model, node));
    const snapshot = this.workspace.get(node.key);
    if (!snapshot) return [];
    const view = this.viewOf(node.key);
    if (view) return view.tree.map((model) => this.itemNode(node.key, model, node));
    return snapshot.result.diagnostics.map((diagnostic, index) => ({ kind: 'diagnostic', key: node.key, diagnostic, index }));
  }

  parent(node: LabsTreeNode): LabsTreeNode | undefined {
    if (node.kind === 'lab') return undefined;
    if (node.kind === 'item') return node.parent;
    return this.labNode(node.key);
  }

  /** The whole tree re-renders: every lab's tree is built anew; node objects are kept. */
  reset(): void {
    for (const [key, view] of this.views) view.tree = this.build(key, view);
  }

  /**
   * The nodes to re-render for a batch of changes (change ids), or `'all'`. A lab's new model
   * re-renders the lab; new live state re-renders the highest nodes whose look changed, in labs
   * the tree has shown (the others are built when first asked for).
   */
  changes(ids: readonly string[]): LabsTreeNode[] | 'all' {
    const changes = ids.map(parseChange);
    if (changes.some((change) => change.kind === 'root')) return 'all';
    const fileChanged = new Set(changes.flatMap((change) => (change.kind === 'file' ? [change.key] : [])));
    const fired: LabsTreeNode[] = [...fileChanged].map((key) => this.labNode(key));
    for (const change of changes) {
      if (change.kind !== 'state' || fileChanged.has(change.key)) continue;
      const view = this.views.get(change.key);
      if (!view) continue;
      if (view.lab !== this.workspace.get(change.key)?.result.lab) {
        fired.push(this.labNode(change.key));
        continue;
      }
      const tree = this.build(change.key, view);
      const diff = diffTrees(view.tree, tree);
      view.tree = tree;
      if (diff.top) {
        fired.push(this.labNode(change.key));
        continue;
      }
      // The objects the tree holds get their new models, so that a fired node renders anew.
      const index = indexTree(tree);
      for (const [id, node] of view.nodes) {
        const entry = index.get(id);
        if (entry) node.model = entry.node;
        else view.nodes.delete(id);
      }
      for (const id of diff.changed) {
        const node = view.nodes.get(id);
        if (node) fired.push(node);
      }
    }
    return fired;
  }

  private itemNode(key: string, model: TreeNodeModel, parent: LabNode | ItemNode): ItemNode {
    const nodes = this.viewOf(key)?.nodes;
    let node = nodes?.get(model.id);
    if (!node) {
      node = { kind: 'item', key, model, parent };
      nodes?.set(model.id, node);
    }
    node.model = model;
    node.parent = parent;
    return node;
  }

  /** The lab's tree as last built; built anew when its model changed. */
  private viewOf(key: string): LabView | undefined {
    const lab = this.workspace.get(key)?.result.lab;
    if (!lab) {
      this.views.delete(key);
      return undefined;
    }
    let view = this.views.get(key);
    if (!view || view.lab !== lab) {
      const hosts = view?.hosts ?? new HostNodeCache<TreeNodeModel>();
      view = { lab, tree: [], nodes: view?.nodes ?? new Map(), hosts };
      view.tree = this.build(key, view);
      this.views.set(key, view);
    }
    return view;
  }

  private build(key: string, view: Pick<LabView, 'lab' | 'hosts'>): TreeNodeModel[] {
    return buildLabTree(view.lab, this.live.get(key)?.state, this.live.hostsOf(key, view.lab), this.live.findingsOf(key), view.hosts);
  }
}
