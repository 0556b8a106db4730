// The status bar item of the active lab (the active editor's, else the first the tree lists):
// `$(server) 3/4 hosts`, warning-coloured when a host is unreachable; a click refreshes the lab.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabSnapshot, Unsubscribe } from '../session/labWorkspace';
import type { LiveLabs } from '../session/liveLabs';
import { Debouncer } from '../util/debounce';
import { statusBarView } from './statusBarModel';

const RENDER_DELAY_MS = 50;

export class LabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('overlayLab.hosts', vscode.StatusBarAlignment.Left, 50);
  private readonly render = new Debouncer(RENDER_DELAY_MS);
  private readonly following: Unsubscribe[];

  constructor(
    private readonly session: LabSession,
    private readonly live: LiveLabs,
    private readonly listLabs: () => LabSnapshot[],
  ) {
    this.item.name = 'Overlay Lab hosts';
    const soon = () => this.render.schedule('', () => this.update());
    this.following = [
      session.workspace.onDidChange(soon),
      live.onDidChange(soon),
      vscode.window.onDidChangeActiveTextEditor(soon),
    ];
    this.update();
  }

  /** The lab the status bar is about: the active editor's, else the first valid lab listed. */
  activeLab(): LabSnapshot | undefined {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const snapshot = active ? this.session.workspace.get(active) : undefined;
    if (snapshot?.result.lab) return snapshot;
    return this.listLabs().find((candidate) => candidate.result.lab);
  }

  private update(): void {
    const snapshot = this.activeLab();
    const lab = snapshot?.result.lab;
    if (!snapshot || !lab) {
      this.item.hide();
      return;
    }
    const view = statusBarView(lab, this.live.get(snapshot.key)?.state, this.live.hostsOf(snapshot.key, lab));
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip);
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { command: 'overlayLab.refreshLab', title: 'Refresh Lab', arguments: [vscode.Uri.parse(snapshot.key)] };
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.following) subscription.dispose();
    this.render.dispose();
    this.item.dispose();
  }
}
