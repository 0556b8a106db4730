// The topology panel's commands and its serializer (panels come back after a reload): one panel
// per lab file, shown again rather than doubled.

import * as vscode from 'vscode';
import type { TraceOverlay } from '../../webview/protocol';
import { pickLab } from '../../commands/pickLab';
import { captureTargetOf } from './treeTarget';
import { panelOptions, TOPOLOGY_VIEW_TYPE, TopologyPanel, type TopologyDeps } from './topologyPanel';

export { TOPOLOGY_VIEW_TYPE, type TopologyDeps } from './topologyPanel';
export type { CaptureBackend, CaptureBatch, CaptureHandle, CaptureRequest } from './captureBackend';

export const TopologyCommands = {
  show: 'overlayLab.showTopology',
  capture: 'overlayLab.captureInterface',
  /** Internal: (lab key, TraceOverlay) from the Trace Path command. */
  drawTrace: 'overlayLab.drawTrace',
} as const;

export function registerTopology(context: vscode.ExtensionContext, deps: TopologyDeps): vscode.Disposable[] {
  const panels = new Map<string, TopologyPanel>();
  const forget = (panel: TopologyPanel) => {
    if (panels.get(panel.key) === panel) panels.delete(panel.key);
  };
  const adopt = (webviewPanel: vscode.WebviewPanel, key: string): TopologyPanel => {
    const panel = new TopologyPanel(webviewPanel, key, context, deps, forget);
    panels.set(key, panel);
    return panel;
  };
  const show = (key: string): TopologyPanel => {
    const existing = panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const name = deps.session.workspace.get(key)?.result.lab?.name ?? 'lab';
    const webviewPanel = vscode.window.createWebviewPanel(TOPOLOGY_VIEW_TYPE, `Topology: ${name}`, vscode.ViewColumn.Active, panelOptions(context.extensionUri));
    return adopt(webviewPanel, key);
  };

  return [
    vscode.commands.registerCommand(TopologyCommands.show, async (argument?: unknown) => {
      const picked = await pickLab(deps.session, deps.tree, { argument, placeHolder: 'Show the topology of which lab?', validOnly: true });
      if (picked) show(picked.snapshot.key);
    }),
    vscode.commands.registerCommand(TopologyCommands.capture, (argument?: unknown) => {
      const found = captureTargetOf(argument);
      if (!found) {
        void vscode.window.showInformationMessage('Overlay Lab: run Capture Packets on an interface, port or bridge of the Labs view, or click one in the topology.');
        return;
      }
      show(found.key).openCapture(found.target);
    }),
    vscode.commands.registerCommand(TopologyCommands.drawTrace, (key: unknown, trace: unknown) => {
      if (typeof key !== 'string' || typeof trace !== 'object') return;
      show(key).showTrace(trace as TraceOverlay | null);
    }),
    vscode.window.registerWebviewPanelSerializer(TOPOLOGY_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const key = typeof state === 'object' && state !== null ? (state as { key?: unknown }).key : undefined;
        if (typeof key !== 'string' || !key || panels.has(key)) {
          // Nothing to show (a panel from an older version), or the lab has its panel already.
          webviewPanel.dispose();
          return;
        }
        adopt(webviewPanel, key);
      },
    }),
    { dispose: () => [...panels.values()].forEach((panel) => panel.dispose()) },
  ];
}
