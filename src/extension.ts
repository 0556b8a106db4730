// activate(): builds the lab session (lab files as snapshots, a connection pool per lab), then
// the adapters that show it: diagnostics, the Labs tree, and the commands.

import * as vscode from 'vscode';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerLabCommands } from './commands/labCommands';
import { registerPassphraseCommands } from './commands/passphraseCommands';
import type { Lab } from './lab/types';
import { LabSession } from './session/labSession';
import { PassphraseKeeper } from './session/passphraseKeeper';
import { PassphraseStore } from './session/passphraseStore';
import { EndpointTable } from './ssh/endpoints';
import { SshPool } from './ssh/pool';
import { SshConfigReader } from './ssh/sshConfig';
import { LabDiagnostics } from './views/labDiagnostics';
import { LabFileSync } from './views/labFileSync';
import { LabsTreeProvider } from './views/labsTreeProvider';
import { editorPassphraseQuestions } from './views/passphraseQuestions';

/** Where the list of key files with a stored passphrase is kept (paths only; the passphrases are secrets). */
const STORED_KEY_FILES = 'overlayLab.storedPassphraseKeyFiles';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Overlay Lab', { log: true });
  const store = new PassphraseStore(context.secrets, {
    get: () => context.globalState.get<string[]>(STORED_KEY_FILES, []),
    set: (keyFiles) => context.globalState.update(STORED_KEY_FILES, keyFiles),
  });
  const keeper = new PassphraseKeeper(store, editorPassphraseQuestions, (message) => log.info(message));
  const session = new LabSession((lab) => createPool(lab, keeper, log));
  const sync = new LabFileSync(session.workspace, log);
  const diagnostics = new LabDiagnostics(session.workspace);
  const tree = new LabsTreeProvider(session);
  const view = vscode.window.createTreeView('overlayLab.labs', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(
    log,
    session,
    sync,
    diagnostics,
    tree,
    view,
    ...registerLabCommands(session, sync, tree),
    ...registerConnectionCommands(session, tree, log),
    ...registerPassphraseCommands(session, keeper, log),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The timeout is baked into a pool's endpoints; pools in use keep theirs until they close.
      if (event.affectsConfiguration('overlayLab.ssh.connectTimeout')) session.pools.closeUnused();
    }),
  );

  sync.start().then(
    // The welcome text ("no lab files") waits for the first scan, so it never flashes at startup.
    () => vscode.commands.executeCommand('setContext', 'overlayLab.labsScanned', true),
    (error: Error) => log.error(`Could not read the workspace's lab files: ${error.message}`),
  );
}

export function deactivate(): void {
  // Everything, the connection pools included, is in context.subscriptions and disposed by VS Code.
}

function createPool(lab: Lab, keeper: PassphraseKeeper, log: vscode.LogOutputChannel): SshPool {
  const endpoints = new EndpointTable(lab, new SshConfigReader(), { connectTimeoutMs: connectTimeoutSetting() });
  return new SshPool(endpoints, {
    prompt: keeper.prompt,
    onPassphraseAccepted: keeper.accepted,
    agentSocket: process.env.SSH_AUTH_SOCK,
    onNotice: (host, message) => log.info(message.startsWith(`${host}:`) ? message : `${host}: ${message}`),
  });
}

/** Only a value the user set overrides ~/.ssh/config's ConnectTimeout; the default leaves it in charge. */
function connectTimeoutSetting(): number | undefined {
  const inspected = vscode.workspace.getConfiguration('overlayLab.ssh').inspect<number>('connectTimeout');
  const seconds = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : undefined;
}
