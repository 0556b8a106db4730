// Show Topology, Capture Packets (from a tree item) and the internal Draw Trace: each finds its
// lab's panel (opening it if need be) and hands it what to show.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import type { TopologyPanels } from '../views/topology/topologyPanels';
import type { TraceOverlay } from '../webview/protocol';
import { captureTargetOf } from './captureTarget';
import { pickLab } from './pickLab';

export const TopologyCommands = {
  show: 'overlayLab.showTopology',
  capture: 'overlayLab.captureInterface',
  /** Internal: (lab key, TraceOverlay) from the Trace Path command. */
  drawTrace: 'overlayLab.drawTrace',
} as const;

export function registerTopologyCommands(session: LabSession, tree: LabsTreeProvider, panels: TopologyPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TopologyCommands.show, async (argument?: unknown) => {
      const picked = await pickLab(session, tree, { argument, placeHolder: 'Show the topology of which lab?', validOnly: true });
      if (picked) panels.show(picked.snapshot.key);
    }),
    vscode.commands.registerCommand(TopologyCommands.capture, (argument?: unknown) => {
      const found = captureTargetOf(argument);
      if (!found) {
        void vscode.window.showInformationMessage('Overlay Lab: run Capture Packets on an interface, port or bridge of the Labs view, or click one in the topology.');
        return;
      }
      panels.show(found.key).openCapture(found.target);
    }),
    vscode.commands.registerCommand(TopologyCommands.drawTrace, (key: unknown, trace: unknown) => {
      if (typeof key !== 'string' || typeof trace !== 'object') return;
      panels.show(key).showTrace(trace as TraceOverlay | null);
    }),
  ];
}
