// Trace reports as read-only virtual documents (`overlay-lab-trace:`, Markdown): nothing to save,
// nothing asks to be saved on close. One document per lab and route: tracing the same route
// again replaces the report in its tab instead of opening another beside it. A report whose
// trace kept its frames has a "Save Frames as pcapng…" lens on its first line.

import * as vscode from 'vscode';
import { KeptTraceFrames } from '../trace/keptFrames';
import type { TraceFrames } from '../trace/traceFrames';
import { traceReportPath } from './traceReport';

export const TRACE_REPORT_SCHEME = 'overlay-lab-trace';

/** Reports kept for documents that may be shown again (a tab brought back); older ones go. */
const KEPT_REPORTS = 50;
export const SAVE_TRACE_FRAMES_COMMAND = 'overlayLab.saveTraceFrames';

/** What "Save Frames as pcapng…" needs of a report: the frames and the route, for the file's name. */
export interface KeptFrames {
  frames: TraceFrames;
  from: { host: string; interface: string };
  to: string;
}

export class TraceReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly kept = new KeptTraceFrames<KeptFrames>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(TRACE_REPORT_SCHEME, this),
      vscode.languages.registerCodeLensProvider({ scheme: TRACE_REPORT_SCHEME }, { provideCodeLenses: (document) => this.lenses(document), onDidChangeCodeLenses: this.lensesChanged.event }),
    ];
  }

  /** The frames of the trace shown in this report, while they are kept. */
  framesOf(uri: vscode.Uri): KeptFrames | undefined {
    return this.kept.get(uri.toString());
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const kept = this.kept.get(document.uri.toString());
    if (!kept) return [];
    const count = kept.frames.points.length;
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: '$(save) Save Frames as pcapng…', command: SAVE_TRACE_FRAMES_COMMAND, arguments: [document.uri], tooltip: `The frames each of the ${count} capture points saw, in one pcapng with an interface per host:iface (Wireshark, tshark -r)` })];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# Trace report\n\nThis report is no longer kept: run **Overlay Lab: Trace Path…** again.\n';
  }

  /** Puts the report of this route in its document and shows it: in the tab that has it already, else beside. */
  async show(lab: string, from: { host: string; interface: string }, to: string, markdown: string, frames?: TraceFrames): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: TRACE_REPORT_SCHEME, path: traceReportPath(lab, from, to) });
    const key = uri.toString();
    this.reports.delete(key);
    this.reports.set(key, markdown);
    for (const old of [...this.reports.keys()].slice(0, Math.max(0, this.reports.size - KEPT_REPORTS))) this.reports.delete(old);
    // The newest traces keep their frames (src/trace/keptFrames.ts bounds them); a report whose frames went loses its lens.
    this.kept.keep(key, frames ? { frames, from, to } : undefined);
    this.changed.fire(uri);
    this.lensesChanged.fire();

    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    const shownIn = vscode.window.tabGroups.all.find((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
    return vscode.window.showTextDocument(document, { viewColumn: shownIn?.viewColumn ?? vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
    this.lensesChanged.dispose();
    this.reports.clear();
    this.kept.clear();
  }
}
