// Drift as diagnostics in the lab file, in a collection of their own (the file's own problems are
// LabDiagnostics'), republished whenever a lab's drift changes and withdrawn when the file goes.
// A big lab's readings arrive host by host: the drift is republished once per burst, not once per
// host (each republishing sends the lab's whole list to the window and the Problems panel).

import * as vscode from 'vscode';
import type { LabWorkspace, Unsubscribe } from '../session/labWorkspace';
import type { LiveLabs } from '../session/liveLabs';
import { systemClock, type Clock } from '../util/clock';
import { ChangeBatcher } from './changeBatcher';
import { toZeroBasedRange } from './diagnosticsModel';
import { DRIFT_SOURCE, driftDiagnostics } from './driftDiagnosticsModel';

/** How long the drift of a lab being read waits for the rest of its burst of readings. */
const PUBLISH_DELAY_MS = 50;

export class DriftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DRIFT_SOURCE);
  /** What was last published per lab: readings that leave drift alone publish nothing. */
  private readonly published = new Map<string, string>();
  private readonly following: Unsubscribe[];
  private readonly batch: ChangeBatcher<string>;

  constructor(
    private readonly workspace: LabWorkspace,
    private readonly live: LiveLabs,
    clock: Clock = systemClock,
  ) {
    this.batch = new ChangeBatcher<string>(PUBLISH_DELAY_MS, (keys) => keys.forEach((key) => this.update(key)), clock);
    this.following = [
      live.onDidChange(({ key }) => this.batch.add(key)),
      workspace.onDidChange(({ key, snapshot }) => {
        if (!snapshot) this.forget(key);
      }),
    ];
  }

  private update(key: string): void {
    const state = this.live.get(key)?.state;
    if (!state) return this.forget(key);
    // While the file has errors there is no model to place drift on: the last drift stays.
    const lab = this.workspace.get(key)?.result.lab;
    if (!lab) return;
    const items = driftDiagnostics(lab, state);
    const fingerprint = JSON.stringify(items);
    if (this.published.get(key) === fingerprint) return;
    this.published.set(key, fingerprint);
    this.collection.set(
      vscode.Uri.parse(key),
      items.map((item) => {
        const range = toZeroBasedRange(item.range);
        const severity = item.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
        const diagnostic = new vscode.Diagnostic(new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter), item.message, severity);
        diagnostic.source = DRIFT_SOURCE;
        return diagnostic;
      }),
    );
  }

  private forget(key: string): void {
    this.published.delete(key);
    this.collection.delete(vscode.Uri.parse(key));
  }

  dispose(): void {
    for (const subscription of this.following) subscription.dispose();
    this.batch.dispose();
    this.collection.dispose();
  }
}
