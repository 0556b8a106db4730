// The Labs tree: the workspace's lab files; under a valid lab its hosts with what was read of them,
// and its segments (liveTreeModel.ts works those out); under a lab with errors its problems.
// It re-renders from snapshots (the lab file's, the hosts' readings, the pools' states) and never
// patches items. Node objects are kept by id, so a change re-renders only the nodes it touched:
// one host's reading fires that host's node, not the whole tree.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabSnapshot, Unsubscribe } from '../session/labWorkspace';
import type { LiveLabs } from '../session/liveLabs';
import { systemClock, type Clock } from '../util/clock';
import { ChangeBatcher } from './changeBatcher';
import { toVscodeRange } from './labDiagnostics';
import { LabFileSync } from './labFileSync';
import { diagnosticView, labFileView, type ItemView } from './labsTreeModel';
import { changeId, LabsTreeNodes, type LabsTreeNode } from './labsTreeNodes';
import type { Collapsible } from './liveTreeModel';

export type { DiagnosticNode, ItemNode, LabNode, LabsTreeNode } from './labsTreeNodes';

/** Host readings of a big lab arrive in bursts: the tree re-renders at most once per this many ms. */
const RENDER_DELAY_MS = 50;

export class LabsTreeProvider implements vscode.TreeDataProvider<LabsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabsTreeNode | LabsTreeNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly shown = new vscode.EventEmitter<string>();
  /**
   * A lab's hosts were handed to the tree for the first time (its rows are going on screen). Fired
   * once the tree has its answer: what listens (the first read) never holds up the rows.
   */
  readonly onDidShowLab = this.shown.event;
  private readonly shownLabs = new Set<string>();
  private readonly nodes: LabsTreeNodes;
  private readonly batch: ChangeBatcher<string>;
  private readonly following: Unsubscribe[];

  constructor(
    private readonly session: LabSession,
    live: LiveLabs,
    private readonly clock: Clock = systemClock,
  ) {
    this.batch = new ChangeBatcher<string>(RENDER_DELAY_MS, (ids) => this.render(ids), clock);
    this.nodes = new LabsTreeNodes(session.workspace, live);
    this.following = [
      // A file that comes or goes changes the list of labs; another snapshot changes its lab.
      session.workspace.onDidChange(({ key, snapshot, previous }) => {
        if (!snapshot) this.shownLabs.delete(key);
        this.batch.add(changeId(!snapshot || !previous ? { kind: 'root' } : { kind: 'file', key }));
      }),
      live.onDidChange(({ key }) => this.batch.add(changeId({ kind: 'state', key }))),
    ];
  }

  /** Re-renders a node and what is under it, or (no node) the whole tree. */
  refresh(node?: LabsTreeNode): void {
    if (node) return this.changed.fire(node);
    this.nodes.reset();
    this.changed.fire();
  }

  /** The lab files the tree lists: those in a workspace folder (not untitled ones, not stray files). */
  labs(): LabSnapshot[] {
    return this.session.workspace
      .all()
      .filter((snapshot) => LabFileSync.isInWorkspace(vscode.Uri.parse(snapshot.key)))
      .sort((a, b) => relativePath(a).localeCompare(relativePath(b)));
  }

  getChildren(node?: LabsTreeNode): LabsTreeNode[] {
    if (!node) return this.labs().map((snapshot) => this.nodes.labNode(snapshot.key));
    const children = this.nodes.children(node);
    if (node.kind === 'lab' && this.session.workspace.get(node.key)?.result.lab && !this.shownLabs.has(node.key)) {
      this.shownLabs.add(node.key);
      this.clock.setTimeout(() => this.shown.fire(node.key), 0);
    }
    return children;
  }

  getParent(node: LabsTreeNode): LabsTreeNode | undefined {
    return this.nodes.parent(node);
  }

  getTreeItem(node: LabsTreeNode): vscode.TreeItem {
    const uri = vscode.Uri.parse(node.key);
    switch (node.kind) {
      case 'lab': {
        const snapshot = this.session.workspace.get(node.key);
        if (!snapshot) return new vscode.TreeItem(uri.path.split('/').pop() ?? node.key);
        const { result, file } = snapshot;
        const hasChildren = result.lab ? result.lab.hosts.length + result.lab.segments.length > 0 : result.diagnostics.length > 0;
        const only = this.labs().length === 1;
        const item = toTreeItem(labFileView(result, file, relativePath(snapshot)), !hasChildren ? 'none' : only ? 'expanded' : 'collapsed');
        item.id = `lab:${node.key}`;
        item.resourceUri = uri;
        item.command = { command: 'overlayLab.openLabFile', title: 'Open Lab File', arguments: [uri] };
        return item;
      }
      case 'diagnostic': {
        const item = toTreeItem(diagnosticView(node.diagnostic), 'none');
        item.id = `diagnostic:${node.key}#${node.index}`;
        const options: vscode.TextDocumentShowOptions = { selection: toVscodeRange(node.diagnostic) };
        item.command = { command: 'vscode.open', title: 'Show Problem', arguments: [uri, options] };
        return item;
      }
      case 'item': {
        const item = toTreeItem(node.model, node.model.collapsible);
        item.id = `${node.key}#${node.model.id}`;
        if (node.model.revealOnClick) item.command = { command: 'overlayLab.revealInLabFile', title: 'Reveal in Lab File', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    for (const subscription of this.following) subscription.dispose();
    this.batch.dispose();
    this.changed.dispose();
    this.shown.dispose();
  }

  private render(ids: string[]): void {
    const changes = this.nodes.changes(ids);
    if (changes === 'all') this.refresh();
    else if (changes.length) this.changed.fire(changes);
  }
}

export function relativePath(snapshot: LabSnapshot): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(snapshot.key), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

function toTreeItem(view: ItemView, collapsible: Collapsible): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSIBLE[collapsible]);
  item.description = view.description;
  if (view.tooltip) item.tooltip = new vscode.MarkdownString(view.tooltip);
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  item.contextValue = view.contextValue;
  return item;
}
