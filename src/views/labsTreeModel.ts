// What a lab file's own item of the Labs tree shows (and its problems, when it has errors),
// worked out from a lab snapshot without the editor; liveTreeModel.ts does what is under a valid lab.

import type { Lab, LabDiagnostic, LabHost, LabLoadResult } from '../lab/types';
import { countDiagnostics, describeCounts, describePosition } from './diagnosticsModel';
import { escapeMarkdown } from './markdownText';

/** `viewItem` values that package.json menus match. */
export const ContextValue = {
  lab: 'overlayLab.lab',
  labWithErrors: 'overlayLab.labWithErrors',
  diagnostic: 'overlayLab.diagnostic',
} as const;

/** A codicon and the theme colour to paint it with. */
export interface IconView {
  id: string;
  color?: string;
}

export interface ItemView {
  label: string;
  description?: string;
  /** Markdown; every piece of text from the file or a server is escaped. */
  tooltip?: string;
  icon: IconView;
  contextValue: string;
}

/** How many diagnostics a lab tooltip lists before it says how many more there are. */
export const TOOLTIP_DIAGNOSTICS = 5;

const Colors = {
  passed: 'testing.iconPassed',
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
} as const;

export type LabStatus = 'valid' | 'warnings' | 'errors';

export function labStatus(result: LabLoadResult): LabStatus {
  const { errors, warnings } = countDiagnostics(result.diagnostics);
  if (errors || !result.lab) return 'errors';
  return warnings ? 'warnings' : 'valid';
}

function statusIcon(status: LabStatus): IconView {
  if (status === 'errors') return { id: 'error', color: Colors.error };
  if (status === 'warnings') return { id: 'warning', color: Colors.warning };
  return { id: 'pass', color: Colors.passed };
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function diagnosticLine(diagnostic: LabDiagnostic): string {
  return `- ${diagnostic.severity === 'error' ? 'Error' : 'Warning'}, ${describePosition(diagnostic.range)}: ${escapeMarkdown(diagnostic.message)}`;
}

export function labTooltip(result: LabLoadResult, relativePath: string): string {
  const title = result.lab ? `**${escapeMarkdown(result.lab.name)}** — ${escapeMarkdown(relativePath)}` : `**${escapeMarkdown(relativePath)}**`;
  const lines = [title, ''];
  if (result.lab?.description) lines.push(escapeMarkdown(result.lab.description.trim()), '');
  const facts = [];
  if (result.lab) facts.push(`${result.lab.hosts.length} host${result.lab.hosts.length === 1 ? '' : 's'}`);
  facts.push(describeCounts(countDiagnostics(result.diagnostics)));
  lines.push(facts.join(' · '));
  const shown = result.diagnostics.slice(0, TOOLTIP_DIAGNOSTICS);
  if (shown.length) lines.push('', ...shown.map(diagnosticLine));
  const more = result.diagnostics.length - shown.length;
  if (more > 0) lines.push(`- …and ${more} more (see the Problems panel)`);
  return lines.join('\n');
}

/** A lab file at the root of the tree: named after its lab when it has one, else after the file. */
export function labFileView(result: LabLoadResult, file: string, relativePath: string): ItemView {
  const status = labStatus(result);
  return {
    label: result.lab?.name ?? fileName(file),
    description: relativePath,
    tooltip: labTooltip(result, relativePath),
    icon: statusIcon(status),
    contextValue: status === 'errors' ? ContextValue.labWithErrors : ContextValue.lab,
  };
}

/** `user@host:port` as far as the lab file says; ~/.ssh/config fills the rest when connecting. */
export function hostAddress(host: LabHost): string {
  const name = host.ssh.host ?? host.name;
  const port = host.ssh.port;
  // An IPv6 address gets brackets before a port, as ssh and URLs write it.
  const withPort = port !== undefined && port !== 22 ? `${name.includes(':') ? `[${name}]` : name}:${port}` : name;
  return host.ssh.user ? `${host.ssh.user}@${withPort}` : withPort;
}

/** The jump hosts on the way to a host, outermost first; empty for a direct connection. */
export function hostJumps(lab: Lab, host: LabHost): string[] {
  const route = lab.routes[host.name];
  if (route) return route.jumps;
  return host.ssh.jump ? [host.ssh.jump] : [];
}

/** A problem of a lab with errors, shown in place of its hosts. */
export function diagnosticView(diagnostic: LabDiagnostic): ItemView {
  const error = diagnostic.severity === 'error';
  return {
    label: diagnostic.message.split('\n')[0],
    description: describePosition(diagnostic.range),
    tooltip: diagnosticLine(diagnostic).slice(2),
    icon: error ? { id: 'error', color: Colors.error } : { id: 'warning', color: Colors.warning },
    contextValue: ContextValue.diagnostic,
  };
}
