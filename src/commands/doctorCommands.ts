// "Overlay Lab: Run Doctor": the overlay checks on every host of a lab, under a cancellable
// progress; the findings mark the hosts in the tree, become problems at the lines of the lab
// file they concern, and a report opens beside it.

import * as vscode from 'vscode';
import { runDoctor } from '../doctor/runDoctor';
import type { LabSession } from '../session/labSession';
import type { LiveLabs } from '../session/liveLabs';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { doctorMarkdown, doctorSummary, findingRange } from './doctorReport';
import { pickLab } from './pickLab';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

export function registerDoctorCommands(session: LabSession, tree: LabsTreeProvider, live: LiveLabs, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const problems = vscode.languages.createDiagnosticCollection('overlay-lab-doctor');
  return [
    problems,
    vscode.commands.registerCommand('overlayLab.runDoctor', async (argument?: unknown) => {
      const picked = await pickLab(session, tree, { argument, placeHolder: 'Run the doctor on which lab?', validOnly: true });
      const lab = picked?.snapshot.result.lab;
      if (!picked || !lab) return;
      const pool = session.pools.poolFor(picked.snapshot.key, lab);
      const started = Date.now();
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Overlay Lab: doctor on ${lab.name}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          progress.report({ message: 'reading the hosts and measuring the underlay' });
          return runDoctor(pool, lab, { signal: abort.signal, onHost: (reading) => progress.report({ message: `read ${reading.ok ? reading.state.host : reading.failure.host}` }) });
        },
      );
      const elapsed = Date.now() - started;
      live.setFindings(picked.snapshot.key, report.findings);
      problems.set(
        picked.uri,
        report.findings.flatMap((finding) => {
          const range = findingRange(lab, finding);
          if (!range) return [];
          const diagnostic = new vscode.Diagnostic(new vscode.Range(range.line - 1, range.col - 1, range.endLine - 1, range.endCol - 1), `${finding.host}: ${finding.message}${finding.fix ? ` Fix: ${finding.fix}` : ''}`, SEVERITY[finding.severity]);
          diagnostic.source = 'overlay-lab doctor';
          diagnostic.code = finding.id;
          return [diagnostic];
        }),
      );
      const markdown = doctorMarkdown(lab, report, elapsed);
      log.info(markdown);
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      const message = `Overlay Lab: ${lab.name}: ${doctorSummary(report)}`;
      if (report.findings.some((f) => f.severity === 'error')) void vscode.window.showErrorMessage(message);
      else void vscode.window.showInformationMessage(message);
    }),
  ];
}
