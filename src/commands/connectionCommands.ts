// "Check Connections": connect to every host of a lab at once (jump hosts first, through the
// pool) and say how many answered, naming each host that did not and why.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { SshPool } from '../ssh/pool';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { connectionReport, type ConnectionOutcome } from './connectionReport';
import { pickLab } from './pickLab';

const SHOW_LOG = 'Show Log';
const SHOW_PROBLEMS = 'Show Problems';

export function registerConnectionCommands(session: LabSession, tree: LabsTreeProvider, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [vscode.commands.registerCommand('overlayLab.checkConnections', (argument?: unknown) => checkConnections(session, tree, log, argument))];
}

async function checkConnections(session: LabSession, tree: LabsTreeProvider, log: vscode.LogOutputChannel, argument: unknown): Promise<void> {
  const picked = await pickLab(session, tree, { argument, placeHolder: 'Check the connections of which lab?', validOnly: true });
  if (!picked) return;
  const { snapshot } = picked;
  const lab = snapshot.result.lab;
  if (!lab) {
    // A lab with errors never reaches a host: what it says about them may be wrong.
    const answer = await vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(picked.uri)} has errors; fix them before connecting to its hosts.`, SHOW_PROBLEMS);
    if (answer === SHOW_PROBLEMS) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }

  let pool: SshPool;
  try {
    pool = session.pools.poolFor(snapshot.key, lab);
  } catch (error) {
    log.error(`${lab.name}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Overlay Lab: ${(error as Error).message}`);
    return;
  }

  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Overlay Lab: connecting to the hosts of ${lab.name}` },
    async (progress) => {
      let settled = 0;
      const total = lab.hosts.length;
      return Promise.all(
        lab.hosts.map(async (host): Promise<ConnectionOutcome> => {
          let outcome: ConnectionOutcome;
          try {
            await pool.connect(host.name);
            outcome = { host: host.name };
          } catch (error) {
            outcome = { host: host.name, error: (error as Error).message };
          }
          settled++;
          progress.report({ increment: 100 / total, message: `${settled}/${total}` });
          return outcome;
        }),
      );
    },
  );

  const report = connectionReport(lab.name, outcomes);
  for (const failure of report.failures) log.error(failure);
  log.info(`${lab.name}: ${report.reachable}/${report.total} hosts reachable.`);
  if (report.failures.length === 0) {
    void vscode.window.showInformationMessage(report.message);
    return;
  }
  const answer = await vscode.window.showWarningMessage(report.message, SHOW_LOG);
  if (answer === SHOW_LOG) log.show(true);
}
