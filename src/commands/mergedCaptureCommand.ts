// "Capture on Several Interfaces (One Timeline)": from the Labs view with several interfaces
// selected, a merged pane over them opens in the lab's topology at once; from anywhere else,
// the lab is picked, then its interfaces.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import type { TopologyPanels } from '../views/topology/topologyPanels';
import type { MergedSource } from '../webview/protocol';
import { captureTargetOf } from './captureTarget';
import { pickLab } from './pickLab';

export const MERGED_CAPTURE_COMMAND = 'overlayLab.captureMerged';

/** The lab and interfaces a tree selection names: every selected item of the clicked item's lab that stands for a device. */
export function mergedTargetsOf(clicked: unknown, selection: unknown): { key: string; targets: MergedSource[] } | undefined {
  const items = Array.isArray(selection) && selection.length > 0 ? selection : [clicked];
  const found = items.map((item) => captureTargetOf(item)).filter((target): target is NonNullable<typeof target> => target !== undefined);
  const first = captureTargetOf(clicked) ?? found[0];
  if (!first) return undefined;
  const seen = new Set<string>();
  const targets: MergedSource[] = [];
  for (const { key, target } of found) {
    const name = `${target.host}:${target.iface}`;
    if (key !== first.key || seen.has(name)) continue;
    seen.add(name);
    targets.push({ host: target.host, iface: target.iface });
  }
  return { key: first.key, targets };
}

export function registerMergedCapture(session: LabSession, tree: LabsTreeProvider, panels: TopologyPanels): vscode.Disposable {
  return vscode.commands.registerCommand(MERGED_CAPTURE_COMMAND, async (clicked?: unknown, selection?: unknown) => {
    const named = mergedTargetsOf(clicked, selection);
    if (named && named.targets.length >= 2) {
      await panels.show(named.key).openMerged(named.targets);
      return;
    }
    const picked = named ? { key: named.key } : await pickLab(session, tree, { argument: clicked, placeHolder: 'Capture on interfaces of which lab?', validOnly: true }).then((lab) => lab && { key: lab.snapshot.key });
    if (!picked) return;
    await panels.show(picked.key).openMerged([], named?.targets ?? []);
  });
}
