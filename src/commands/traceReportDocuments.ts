// Trace reports as read-only virtual documents (`overlay-lab-trace:`, Markdown): nothing to save,
// nothing asks to be saved on close. One document per lab and route: tracing the same route
// again replaces the report in its tab instead of opening another beside it.

import * as vscode from 'vscode';
import { traceReportPath } from './traceReport';

export const TRACE_REPORT_SCHEME = 'overlay-lab-trace';

/** Reports kept for documents that may be shown again (a tab brought back); older ones go. */
const KEPT_REPORTS = 50;

export class TraceReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(TRACE_REPORT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# Trace report\n\nThis report is no longer kept: run **Overlay Lab: Trace Path…** again.\n';
  }

  /** Puts the report of this route in its document and shows it: in the tab that has it already, else beside. */
  async show(lab: string, from: { host: string; interface: string }, to: string, markdown: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: TRACE_REPORT_SCHEME, path: traceReportPath(lab, from, to) });
    const key = uri.toString();
    this.reports.delete(key);
    this.reports.set(key, markdown);
    for (const old of [...this.reports.keys()].slice(0, Math.max(0, this.reports.size - KEPT_REPORTS))) this.reports.delete(old);
    this.changed.fire(uri);

    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    const shownIn = vscode.window.tabGroups.all.find((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
    return vscode.window.showTextDocument(document, { viewColumn: shownIn?.viewColumn ?? vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.reports.clear();
  }
}
