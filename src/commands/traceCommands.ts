// "Overlay Lab: Trace Path": pick where the probe starts (host, interface) and where it goes
// (an address of the lab, or any address typed in), run the trace under a cancellable
// progress, then draw both legs and the place of loss on the topology and show the report: one
// read-only document per route, replaced by the next trace of that route. The trace keeps the
// frames its capture points saw; "Save Frames as pcapng…" (the report's lens, its title bar, the
// notification) writes them as one pcapng, an interface per host:iface.

import * as vscode from 'vscode';
import { parseIp } from '../lab/addresses';
import type { LabSession } from '../session/labSession';
import { runTrace } from '../trace/runTrace';
import { describeSaved, saveTracePcapng, tracePcapngName } from '../trace/traceFrames';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { TopologyCommands } from './topologyCommands';
import { hostFromArgument } from './hostCommands';
import { pickLab } from './pickLab';
import { destinationChoices, sourceChoices, traceMarkdown, traceOverlay, traceSummary } from './traceReport';
import { SAVE_TRACE_FRAMES_COMMAND, TRACE_REPORT_SCHEME, TraceReportDocuments } from './traceReportDocuments';

const TYPE_ADDRESS = 'Another address…';

export function registerTraceCommands(session: LabSession, tree: LabsTreeProvider, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const reports = new TraceReportDocuments();
  return [
    reports,
    vscode.commands.registerCommand('overlayLab.tracePath', (argument?: unknown) => tracePath(session, tree, log, reports, argument)),
    vscode.commands.registerCommand(SAVE_TRACE_FRAMES_COMMAND, (argument?: unknown) => saveTraceFrames(reports, log, argument)),
  ];
}

/** Writes the frames of the trace a report shows (the argument, else the report in the active editor) to a pcapng the user picks. */
async function saveTraceFrames(reports: TraceReportDocuments, log: vscode.LogOutputChannel, argument: unknown): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const report = argument instanceof vscode.Uri ? argument : active?.scheme === TRACE_REPORT_SCHEME ? active : undefined;
  const kept = report ? reports.framesOf(report) : undefined;
  if (!kept) {
    void vscode.window.showWarningMessage('Overlay Lab: the frames of this trace are no longer kept (the newest traces keep theirs). Run Trace Path… again to save them.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = tracePcapngName(kept.from, kept.to);
  const target = await vscode.window.showSaveDialog({ title: 'Save the frames of the trace as pcapng', saveLabel: 'Save Frames', defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { pcapng: ['pcapng'] } });
  if (!target) return;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage(`Overlay Lab: cannot write ${target.toString()}: pick a file on the machine the extension runs on.`);
    return;
  }
  try {
    const saved = await saveTracePcapng(kept.frames, target.fsPath);
    const said = describeSaved(saved, target.fsPath);
    log.info(said);
    const message = `Overlay Lab: ${said.split('\n').join('; ')}`;
    void (saved.problems.length ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
  } catch (error) {
    log.error(`saving the trace's frames to ${target.fsPath}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Overlay Lab: cannot write ${target.fsPath}: ${(error as Error).message}`);
  }
}

async function tracePath(session: LabSession, tree: LabsTreeProvider, log: vscode.LogOutputChannel, reports: TraceReportDocuments, argument: unknown): Promise<void> {
  const fromNode = hostFromArgument(session, argument);
  const picked = fromNode ? undefined : await pickLab(session, tree, { argument, placeHolder: 'Trace a path in which lab?', validOnly: true });
  const key = fromNode?.key ?? picked?.snapshot.key;
  const lab = fromNode?.lab ?? picked?.snapshot.result.lab;
  if (!key || !lab) return;

  const host = fromNode?.host ?? (await vscode.window.showQuickPick(lab.hosts.map((h) => ({ label: h.name, description: sourceChoices(lab, h.name).map((c) => c.description).join(', ') })), { placeHolder: 'Send the probe from which host?' }))?.label;
  if (!host) return;
  const sources = sourceChoices(lab, host);
  if (sources.length === 0) {
    void vscode.window.showWarningMessage(`Overlay Lab: ${host} holds no address in the lab file, so it cannot send a probe. Trace from a host whose interface has an address.`);
    return;
  }
  const source = sources.length === 1 ? sources[0] : await vscode.window.showQuickPick(sources, { placeHolder: `From which interface of ${host}?` });
  if (!source) return;
  const destination = await vscode.window.showQuickPick([...destinationChoices(lab, host), { label: TYPE_ADDRESS, description: 'any IP address', address: '' }], { placeHolder: `Trace from ${host}:${source.label} to which address?` });
  if (!destination) return;
  const to =
    destination.label === TYPE_ADDRESS
      ? await vscode.window.showInputBox({ prompt: 'The address to reach', validateInput: (value) => (parseIp(value.trim()) ? undefined : 'An IPv4 or IPv6 address, without prefix length') })
      : destination.address;
  if (!to) return;

  const pool = session.pools.poolFor(key, lab);
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Overlay Lab: tracing ${host}:${source.label} → ${to.trim()}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        return await runTrace(pool, lab, { from: { host, interface: source.label }, to: to.trim(), signal: abort.signal, keepFrames: true, onProgress: (message) => progress.report({ message }) });
      } catch (error) {
        void vscode.window.showErrorMessage(`Overlay Lab: the trace could not run: ${(error as Error).message}`);
        log.error(`trace ${host}:${source.label} -> ${to}: ${(error as Error).message}`);
        return undefined;
      }
    },
  );
  if (!run) return;
  const result = run.result;
  const report = traceMarkdown(lab.name, result);
  // The report of an earlier trace of this route is replaced in its tab; the log keeps every one.
  log.info(report);
  await vscode.commands.executeCommand(TopologyCommands.drawTrace, key, traceOverlay(result));
  const shown = await reports.show(lab.name, result.from, result.to, report, run.frames);
  const summary = `Overlay Lab: ${traceSummary(result)}`;
  const copy = 'Copy as Markdown';
  const save = 'Save Frames as pcapng…';
  const actions = run.frames ? [copy, save] : [copy];
  const choice = result.delivered ? await vscode.window.showInformationMessage(summary, ...actions) : await vscode.window.showWarningMessage(summary, ...actions);
  if (choice === copy) await vscode.env.clipboard.writeText(report);
  if (choice === save) await vscode.commands.executeCommand(SAVE_TRACE_FRAMES_COMMAND, shown.document.uri);
}
