// The Problems panel and the squiggles: every lab snapshot's diagnostics, republished whenever a
// new snapshot arrives, and withdrawn when the file goes.

import * as vscode from 'vscode';
import type { LabDiagnostic } from '../lab/types';
import type { LabWorkspace, Unsubscribe } from '../session/labWorkspace';
import { toZeroBasedRange } from './diagnosticsModel';

export const DIAGNOSTIC_SOURCE = 'overlay-lab';

export function toVscodeRange(diagnostic: LabDiagnostic): vscode.Range {
  const range = toZeroBasedRange(diagnostic.range);
  return new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
}

export function toVscodeDiagnostic(diagnostic: LabDiagnostic): vscode.Diagnostic {
  const severity = diagnostic.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const result = new vscode.Diagnostic(toVscodeRange(diagnostic), diagnostic.message, severity);
  result.source = DIAGNOSTIC_SOURCE;
  return result;
}

export class LabDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly following: Unsubscribe;

  constructor(workspace: LabWorkspace) {
    for (const snapshot of workspace.all()) this.collection.set(vscode.Uri.parse(snapshot.key), snapshot.result.diagnostics.map(toVscodeDiagnostic));
    this.following = workspace.onDidChange(({ key, snapshot }) => {
      const uri = vscode.Uri.parse(key);
      if (snapshot) this.collection.set(uri, snapshot.result.diagnostics.map(toVscodeDiagnostic));
      else this.collection.delete(uri);
    });
  }

  dispose(): void {
    this.following.dispose();
    this.collection.dispose();
  }
}
