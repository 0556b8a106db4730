// The human form of a doctor report: per host in the lab's order, each finding with its
// severity, what it is about, what to do, and where the lab file declares it. Pure.

import { basename } from 'node:path';
import type { Lab } from '../lab/types';
import { plural } from './input';
import type { DoctorReport, Finding, FindingSeverity } from './types';

const MARK: Record<FindingSeverity, string> = { error: '✗ error  ', warning: '! warning', info: '· info   ' };
/** Continuation lines start under the message. */
const INDENT = ' '.repeat(2 + MARK.error.length + 2);

function subjectText(finding: Finding): string {
  const s = finding.subject;
  if (!s) return '';
  return `${s.kind === 'port' && s.bridge ? `${s.bridge}/${s.name}` : s.name}: `;
}

function wrapFinding(lab: Lab, finding: Finding): string[] {
  const lines = [`  ${MARK[finding.severity]}  ${subjectText(finding)}${finding.message}`];
  if (finding.fix) lines.push(`${INDENT}fix: ${finding.fix}`);
  if (finding.range) lines.push(`${INDENT}at ${basename(lab.file)}:${finding.range.line}`);
  return lines;
}

export function renderDoctorText(lab: Lab, report: DoctorReport, elapsedMs?: number): string {
  const out: string[] = [];
  for (const host of lab.hosts) {
    const verdict = report.hosts[host.name];
    if (verdict === undefined) continue;
    const findings = report.findings.filter((f) => f.host === host.name);
    const head = verdict === 'unreachable' ? 'unreachable' : findings.length === 0 ? 'ok, nothing found' : 'reachable';
    out.push(`${host.name}  ${head}`);
    for (const finding of findings) out.push(...wrapFinding(lab, finding));
    out.push('');
  }
  const count = (severity: FindingSeverity) => report.findings.filter((f) => f.severity === severity).length;
  const hosts = Object.values(report.hosts);
  const reachable = hosts.filter((v) => v === 'ok').length;
  const time = elapsedMs !== undefined ? ` in ${(elapsedMs / 1000).toFixed(1)} s` : '';
  out.push(
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}; ${reachable}/${hosts.length} hosts reachable${time}`,
  );
  return `${out.join('\n')}\n`;
}
