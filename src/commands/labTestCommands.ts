// "Overlay Lab: Run Lab Tests" (the command palette's way into the Testing view's run) and the
// action on a failed test's message that draws its trace on the topology. They route; the
// controller and the core do the work.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import type { LabTestController } from '../views/testing/labTestController';
import { traceOverlay } from './traceReport';
import { TopologyCommands } from './topologyCommands';
import { pickLab } from './pickLab';

export const LabTestCommands = {
  run: 'overlayLab.runLabTests',
  showTrace: 'overlayLab.showTestTrace',
} as const;

export function registerLabTestCommands(session: LabSession, tree: LabsTreeProvider, tests: LabTestController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(LabTestCommands.run, async (argument?: unknown) => {
      const picked = await pickLab(session, tree, { argument, placeHolder: 'Run the tests of which lab?', validOnly: true });
      if (!picked) return;
      await vscode.commands.executeCommand('workbench.view.testing.focus');
      const cancel = new vscode.CancellationTokenSource();
      try {
        await tests.runLab(picked.snapshot.key, cancel.token);
      } finally {
        cancel.dispose();
      }
    }),
    // Called from the test message's menus with { test, message }.
    vscode.commands.registerCommand(LabTestCommands.showTrace, async (argument?: unknown) => {
      const test = (argument as { test?: vscode.TestItem } | undefined)?.test;
      const traced = test && tests.traceOf(test.id);
      if (!traced) {
        void vscode.window.showInformationMessage('Overlay Lab: this test has no trace to draw; run it again, and a failure is traced.');
        return;
      }
      await vscode.commands.executeCommand(TopologyCommands.drawTrace, traced.labKey, traceOverlay(traced.trace));
    }),
  ];
}
