// The status bar item of the active lab: `$(server) 3/4 hosts`, a tooltip with each host's state,
// and whether to warn (some host unreachable). Without the editor.

import type { LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { HostLive } from '../session/liveLabs';
import { hostPhase, type HostPhase } from '../session/hostPhase';
import { driftBadge } from './liveTreeModel';
import { escapeMarkdown } from './markdownText';

export interface StatusBarView {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Some host is unreachable or could not be read. */
  warning: boolean;
}

const PHASE_TEXT: Record<HostPhase, string> = {
  unknown: 'not read yet',
  connecting: 'connecting…',
  reading: 'reading…',
  reachable: 'reachable',
  unreachable: 'unreachable',
  readError: 'could not be read',
};

const PHASE_MARK: Record<HostPhase, string> = {
  unknown: '○',
  connecting: '…',
  reading: '…',
  reachable: '✓',
  unreachable: '✗',
  readError: '⚠',
};

export function statusBarView(lab: Lab, state: LabState | undefined, hosts: Readonly<Record<string, HostLive | undefined>>): StatusBarView {
  const phases = lab.hosts.map((host) => ({ host, phase: hostPhase(state?.hosts[host.name], hosts[host.name]) }));
  const reachable = phases.filter(({ host, phase }) => phase === 'reachable' || (phase === 'reading' && state?.hosts[host.name]?.ok)).length;
  const failed = phases.filter(({ phase }) => phase === 'unreachable' || phase === 'readError').length;
  const busy = phases.some(({ phase }) => phase === 'reading' || phase === 'connecting');
  const read = phases.some(({ phase }) => phase !== 'unknown');
  const total = lab.hosts.length;
  const icon = busy ? '$(loading~spin)' : '$(server)';
  const text = read ? `${icon} ${reachable}/${total} host${total === 1 ? '' : 's'}` : `${icon} ${total} host${total === 1 ? '' : 's'}`;

  const lines = [`**${escapeMarkdown(lab.name)}** — ${read ? `${reachable} of ${total} hosts reachable` : 'not read yet'}`, ''];
  for (const { host, phase } of phases) {
    const reading = state?.hosts[host.name];
    const drift = (state?.drift ?? []).filter((item) => item.subject.host === host.name).length;
    const detail = reading && !reading.ok && phase !== 'reading' ? `: ${escapeMarkdown(reading.failure.message)}` : drift ? ` · ${driftBadge(drift)}` : '';
    lines.push(`- ${PHASE_MARK[phase]} ${escapeMarkdown(host.name)} — ${PHASE_TEXT[phase]}${detail}`);
  }
  lines.push('', 'Click to refresh.');
  return { text, tooltip: lines.join('\n'), warning: failed > 0 };
}
