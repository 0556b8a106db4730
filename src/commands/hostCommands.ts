// Commands about one host of a lab: refresh or retry its reading, connect, disconnect, and open
// an SSH terminal on it. Run from a host's item (or an item under it); the terminal can also be
// asked for from the palette, which then asks for the lab and the host.

import * as vscode from 'vscode';
import type { Lab } from '../lab/types';
import type { LabSession } from '../session/labSession';
import type { RefreshManager } from '../session/refreshManager';
import type { SshPool } from '../ssh/pool';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { openSshTerminal } from '../views/sshTerminal';
import { isTreeNode, pickLab } from './pickLab';

export interface HostTarget {
  key: string;
  lab: Lab;
  host: string;
}

/** The host a tree item is about, in a lab without errors. */
export function hostFromArgument(session: LabSession, argument: unknown): HostTarget | undefined {
  if (!isTreeNode(argument) || argument.kind !== 'item' || !argument.model.host) return undefined;
  const lab = session.workspace.get(argument.key)?.result.lab;
  if (!lab?.hosts.some((host) => host.name === argument.model.host)) return undefined;
  return { key: argument.key, lab, host: argument.model.host };
}

async function pickHost(session: LabSession, tree: LabsTreeProvider, argument: unknown, placeHolder: string): Promise<HostTarget | undefined> {
  const fromNode = hostFromArgument(session, argument);
  if (fromNode) return fromNode;
  const picked = await pickLab(session, tree, { argument, placeHolder: 'Which lab?', validOnly: true });
  const lab = picked?.snapshot.result.lab;
  if (!picked || !lab) return undefined;
  const choice = await vscode.window.showQuickPick(
    lab.hosts.map((host) => ({ label: host.name, description: host.ssh.host })),
    { placeHolder },
  );
  return choice && { key: picked.snapshot.key, lab, host: choice.label };
}

function poolFor(session: LabSession, target: HostTarget, log: vscode.LogOutputChannel): SshPool | undefined {
  try {
    return session.pools.poolFor(target.key, target.lab);
  } catch (error) {
    log.error(`${target.lab.name}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Overlay Lab: ${(error as Error).message}`);
    return undefined;
  }
}

export function registerHostCommands(session: LabSession, refresh: RefreshManager, tree: LabsTreeProvider, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const readHost = (argument: unknown) => {
    const target = hostFromArgument(session, argument);
    if (!target) return;
    return vscode.window.withProgress({ location: { viewId: 'overlayLab.labs' } }, () => refresh.refreshHost(target.key, target.host));
  };
  return [
    vscode.commands.registerCommand('overlayLab.refreshHost', readHost),
    vscode.commands.registerCommand('overlayLab.retryHost', readHost),
    vscode.commands.registerCommand('overlayLab.connectHost', async (argument?: unknown) => {
      const target = hostFromArgument(session, argument);
      const pool = target && poolFor(session, target, log);
      if (!target || !pool) return;
      try {
        await pool.connect(target.host);
      } catch (error) {
        // The host's item shows it unreachable already; the message says why without a hover.
        log.error((error as Error).message);
        void vscode.window.showErrorMessage(`Overlay Lab: ${(error as Error).message}`);
        return;
      }
      await refresh.refreshHost(target.key, target.host);
    }),
    vscode.commands.registerCommand('overlayLab.disconnectHost', (argument?: unknown) => {
      const target = hostFromArgument(session, argument);
      if (target) session.pools.existing(target.key)?.disconnect(target.host);
    }),
    vscode.commands.registerCommand('overlayLab.openTerminal', async (argument?: unknown) => {
      const target = await pickHost(session, tree, argument, 'Open a terminal on which host?');
      const pool = target && poolFor(session, target, log);
      if (!target || !pool) return;
      openSshTerminal(target.host, (size) => pool.shell(target.host, { rows: size.rows, cols: size.cols }));
    }),
  ];
}
