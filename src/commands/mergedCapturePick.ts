// Which interfaces a merged capture runs over: a quick pick of many, over the capture targets of
// the lab's graph, those the user had selected (in the diagram or the tree) ticked first.

import * as vscode from 'vscode';
import type { MergedSource } from '../webview/protocol';

interface TargetItem extends vscode.QuickPickItem {
  source: MergedSource;
}

export async function pickMergedInterfaces(targets: ReadonlyMap<string, ReadonlySet<string>>, selected: readonly MergedSource[]): Promise<MergedSource[] | undefined> {
  const ticked = new Set(selected.map((source) => `${source.host}:${source.iface}`));
  const items: TargetItem[] = [];
  for (const [host, faces] of [...targets.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const iface of [...faces].sort()) items.push({ label: `${host}:${iface}`, source: { host, iface }, picked: ticked.has(`${host}:${iface}`) });
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Overlay Lab: this lab has no interfaces to capture on.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Capture on several interfaces, in one timeline',
    placeHolder: 'Tick two or more interfaces, on any hosts: their lines are merged by time, each host’s clock corrected',
  });
  if (!picked || picked.length === 0) return undefined;
  // In the order of the lab (hosts, then interfaces), which is how the legend lists them.
  return picked.map((item) => item.source);
}
