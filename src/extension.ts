// activate(): builds the lab session (lab files as snapshots, a connection pool per lab, the
// hosts' live state and when to read it), then the adapters that show it: diagnostics (the
// file's and drift), the Labs tree, the status bar, the commands, and the lab scripts as tasks.

import * as vscode from 'vscode';
import { registerApplyCommands } from './commands/applyCommands';
import { registerTraceCommands } from './commands/traceCommands';
import { registerDoctorCommands } from './commands/doctorCommands';
import { captureSessionBackend } from './views/topology/captureSessionBackend';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerHostCommands } from './commands/hostCommands';
import { registerLabCommands } from './commands/labCommands';
import { registerLabTestCommands } from './commands/labTestCommands';
import { registerNodeCommands } from './commands/nodeCommands';
import { registerPassphraseCommands } from './commands/passphraseCommands';
import { registerScriptCommands } from './commands/scriptCommands';
import { registerTopologyCommands } from './commands/topologyCommands';
import { registerMergedCapture } from './commands/mergedCaptureCommand';
import { readLabState } from './hosts/readLabState';
import type { Lab } from './lab/types';
import { LabSession } from './session/labSession';
import { LiveLabs } from './session/liveLabs';
import { RefreshManager } from './session/refreshManager';
import { PassphraseKeeper } from './session/passphraseKeeper';
import { PassphraseStore } from './session/passphraseStore';
import { EndpointTable } from './ssh/endpoints';
import { SshPool } from './ssh/pool';
import { SshConfigReader } from './ssh/sshConfig';
import { DriftDiagnostics } from './views/driftDiagnostics';
import { LabDiagnostics } from './views/labDiagnostics';
import { LabFileSync } from './views/labFileSync';
import { LabLanguage } from './views/labLanguage';
import { LabsTreeProvider } from './views/labsTreeProvider';
import { editorPassphraseQuestions } from './views/passphraseQuestions';
import { ScriptTaskProvider } from './views/scriptTaskProvider';
import { TopologyPanels } from './views/topology/topologyPanels';
import { LabStatusBar } from './views/statusBar';
import { LabTestController } from './views/testing/labTestController';
import { LastTestResults } from './labtests/lastResults';

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
  const live = new LiveLabs(session, readLabState);
  const diagnostics = new LabDiagnostics(session.workspace);
  const drift = new DriftDiagnostics(session.workspace, live);
  const tree = new LabsTreeProvider(session, live);
  const view = vscode.window.createTreeView('overlayLab.labs', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const refresh = new RefreshManager(live, session.workspace, { listLabs: () => tree.labs() });
  const statusBar = new LabStatusBar(session, live, () => tree.labs());
  const topology = new TopologyPanels(context, {
    session,
    live,
    log,
    // Captures ride the lab's own pooled connections.
    captures: captureSessionBackend((lab) => session.pools.poolFor(tree.labs().find((s) => s.result.lab?.file === lab.file)?.key ?? vscode.Uri.file(lab.file).toString(), lab)),
  });
  // The lab tests' last results, one store: the Testing view records them, the lab file's hover reads them.
  const testResults = new LastTestResults();
  const labTests = new LabTestController(session, log, testResults);
  refresh.setInterval(refreshIntervalSetting());
  refresh.setVisible(view.visible);
  let scanned!: () => void;
  const firstScan = new Promise<void>((resolve) => (scanned = resolve));

  context.subscriptions.push(
    log,
    // Disposed in this order: reading stops before the pools it uses close.
    refresh,
    live,
    session,
    sync,
    diagnostics,
    drift,
    tree,
    view,
    statusBar,
    labTests,
    new LabLanguage(context.extensionPath, live, log, testResults),
    view.onDidChangeVisibility(({ visible }) => refresh.setVisible(visible)),
    tree.onDidShowLab((key) => refresh.labShown(key)),
    ...registerLabCommands(session, sync, tree, live, refresh),
    ...registerHostCommands(session, refresh, tree, log),
    ...registerNodeCommands(),
    ...registerConnectionCommands(session, tree, log),
    ...registerPassphraseCommands(session, keeper, log),
    ...registerApplyCommands(session, tree, refresh, log),
    ...registerTraceCommands(session, tree, log),
    ...registerDoctorCommands(session, tree, live, log),
    topology,
    ...registerTopologyCommands(session, tree, topology),
    registerMergedCapture(session, tree, topology),
    ...registerScriptCommands(session, tree),
    ...registerLabTestCommands(session, tree, labTests),
    ScriptTaskProvider.register(session, tree, firstScan),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The timeout is baked into a pool's endpoints; pools in use keep theirs until they close.
      if (event.affectsConfiguration('overlayLab.ssh.connectTimeout')) session.pools.closeUnused();
      if (event.affectsConfiguration('overlayLab.refreshInterval')) refresh.setInterval(refreshIntervalSetting());
    }),
  );

  sync.start().then(
    // The welcome text ("no lab files") waits for the first scan, so it never flashes at startup.
    () => vscode.commands.executeCommand('setContext', 'overlayLab.labsScanned', true),
    (error: Error) => log.error(`Could not read the workspace's lab files: ${error.message}`),
  ).finally(scanned);
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

function refreshIntervalSetting(): number {
  return vscode.workspace.getConfiguration('overlayLab').get<number>('refreshInterval', 30);
}
