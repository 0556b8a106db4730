// The Labs tree: the workspace's lab files; under a valid lab its hosts (with their connection
// state once connected), under a lab with errors its problems. It re-renders from the session's
// snapshots whenever they change; it never patches items in place.

import * as vscode from 'vscode';
import type { Lab, LabDiagnostic, LabHost } from '../lab/types';
import type { LabSession } from '../session/labSession';
import type { LabSnapshot, Unsubscribe } from '../session/labWorkspace';
import { Debouncer } from './debounce';
import { toVscodeRange } from './labDiagnostics';
import { LabFileSync } from './labFileSync';
import { diagnosticView, hostView, labFileView, type ItemView } from './labsTreeModel';

export type LabsTreeNode =
  | { kind: 'lab'; snapshot: LabSnapshot }
  | { kind: 'host'; snapshot: LabSnapshot; lab: Lab; host: LabHost }
  | { kind: 'diagnostic'; snapshot: LabSnapshot; diagnostic: LabDiagnostic; index: number };

/** Connection states arrive in bursts (a jump host, then the hosts behind it): one re-render per burst. */
const RENDER_DELAY_MS = 100;

export class LabsTreeProvider implements vscode.TreeDataProvider<LabsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabsTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly render = new Debouncer(RENDER_DELAY_MS);
  private readonly following: Unsubscribe[];

  constructor(private readonly session: LabSession) {
    this.following = [
      session.workspace.onDidChange(() => this.refreshSoon()),
      session.pools.onDidChange(() => this.refreshSoon()),
    ];
  }

  refresh(): void {
    this.render.cancel('');
    this.changed.fire();
  }

  refreshSoon(): void {
    this.render.schedule('', () => this.changed.fire());
  }

  /** The lab files the tree lists: those in a workspace folder (not untitled ones, not stray files). */
  labs(): LabSnapshot[] {
    return this.session.workspace
      .all()
      .filter((snapshot) => LabFileSync.isInWorkspace(vscode.Uri.parse(snapshot.key)))
      .sort((a, b) => relativePath(a).localeCompare(relativePath(b)));
  }

  getChildren(node?: LabsTreeNode): LabsTreeNode[] {
    if (!node) return this.labs().map((snapshot) => ({ kind: 'lab', snapshot }));
    if (node.kind !== 'lab') return [];
    const { snapshot } = node;
    const lab = snapshot.result.lab;
    if (lab) return lab.hosts.map((host) => ({ kind: 'host', snapshot, lab, host }));
    return snapshot.result.diagnostics.map((diagnostic, index) => ({ kind: 'diagnostic', snapshot, diagnostic, index }));
  }

  getParent(node: LabsTreeNode): LabsTreeNode | undefined {
    return node.kind === 'lab' ? undefined : { kind: 'lab', snapshot: node.snapshot };
  }

  getTreeItem(node: LabsTreeNode): vscode.TreeItem {
    const uri = vscode.Uri.parse(node.snapshot.key);
    switch (node.kind) {
      case 'lab': {
        const { result, file } = node.snapshot;
        const hasChildren = result.lab ? result.lab.hosts.length > 0 : result.diagnostics.length > 0;
        const only = this.labs().length === 1;
        const item = toTreeItem(
          labFileView(result, file, relativePath(node.snapshot)),
          !hasChildren ? vscode.TreeItemCollapsibleState.None : only ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `lab:${node.snapshot.key}`;
        item.resourceUri = uri;
        item.command = { command: 'overlayLab.openLabFile', title: 'Open Lab File', arguments: [uri] };
        return item;
      }
      case 'host': {
        const state = this.session.pools.existing(node.snapshot.key)?.state(node.host.name);
        const item = toTreeItem(hostView(node.lab, node.host, state), vscode.TreeItemCollapsibleState.None);
        item.id = `host:${node.snapshot.key}#${node.host.name}`;
        return item;
      }
      case 'diagnostic': {
        const item = toTreeItem(diagnosticView(node.diagnostic), vscode.TreeItemCollapsibleState.None);
        item.id = `diagnostic:${node.snapshot.key}#${node.index}`;
        const options: vscode.TextDocumentShowOptions = { selection: toVscodeRange(node.diagnostic) };
        item.command = { command: 'vscode.open', title: 'Show Problem', arguments: [uri, options] };
        return item;
      }
    }
  }

  dispose(): void {
    for (const subscription of this.following) subscription.dispose();
    this.render.dispose();
    this.changed.dispose();
  }
}

export function relativePath(snapshot: LabSnapshot): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(snapshot.key), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

function toTreeItem(view: ItemView, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, collapsible);
  item.description = view.description;
  if (view.tooltip) item.tooltip = new vscode.MarkdownString(view.tooltip);
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  item.contextValue = view.contextValue;
  return item;
}
