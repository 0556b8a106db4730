// The topology panels that are open: one per lab file, shown again rather than doubled, and
// brought back by VS Code after a reload (the panel's state names its lab). The commands that
// open them live in commands/topologyCommands.ts.

import * as vscode from 'vscode';
import { panelOptions, TOPOLOGY_VIEW_TYPE, TopologyPanel, type TopologyDeps } from './topologyPanel';

export class TopologyPanels implements vscode.Disposable {
  private readonly panels = new Map<string, TopologyPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: TopologyDeps,
  ) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(TOPOLOGY_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const key = typeof state === 'object' && state !== null ? (state as { key?: unknown }).key : undefined;
        if (typeof key !== 'string' || !key || this.panels.has(key)) {
          // Nothing to show (a panel from an older version), or the lab has its panel already.
          webviewPanel.dispose();
          return;
        }
        this.adopt(webviewPanel, key);
      },
    });
  }

  /** The lab's panel, revealed if open, else opened. */
  show(key: string): TopologyPanel {
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const name = this.deps.session.workspace.get(key)?.result.lab?.name ?? 'lab';
    const webviewPanel = vscode.window.createWebviewPanel(TOPOLOGY_VIEW_TYPE, `Topology: ${name}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri));
    return this.adopt(webviewPanel, key);
  }

  dispose(): void {
    this.serializer.dispose();
    for (const panel of [...this.panels.values()]) panel.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, key: string): TopologyPanel {
    const panel = new TopologyPanel(webviewPanel, key, this.context, this.deps, (closed) => {
      if (this.panels.get(closed.key) === closed) this.panels.delete(closed.key);
    });
    this.panels.set(key, panel);
    return panel;
  }
}
