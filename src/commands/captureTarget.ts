// Which device a Labs tree item stands for, for its Capture Packets command. Read defensively:
// the tree's node objects belong to the tree, and only these few fields are relied on.

import type { CaptureTarget } from '../webview/protocol';

/** What a Labs tree item says of itself, as far as the Capture command reads it. */
interface TreeItemArgument {
  key: string;
  model?: { kind?: unknown; host?: unknown; label?: unknown };
}

function isTreeItemArgument(value: unknown): value is TreeItemArgument {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

/** The device a tree item (a bridge, port, interface or segment member) stands for. */
export function captureTargetOf(argument: unknown): { key: string; target: CaptureTarget } | undefined {
  if (!isTreeItemArgument(argument) || !argument.model) return undefined;
  const { kind, host, label } = argument.model;
  if (typeof label !== 'string') return undefined;
  if (kind === 'member') {
    const at = label.indexOf(':');
    if (at <= 0) return undefined;
    return { key: argument.key, target: { host: label.slice(0, at), iface: label.slice(at + 1) } };
  }
  if ((kind === 'port' || kind === 'interface' || kind === 'bridge') && typeof host === 'string') return { key: argument.key, target: { host, iface: label } };
  return undefined;
}
