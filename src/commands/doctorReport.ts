// The doctor's findings in the editor: a Markdown report per host, and where each finding
// sits in the lab file (its declaration, else the host's). Pure.

import type { DoctorReport, Finding, FindingSeverity } from '../doctor/types';
import type { Lab, SourceRange } from '../lab/types';

const ICON: Record<FindingSeverity, string> = { error: '✘', warning: '⚠', info: 'ℹ' };

export function doctorMarkdown(lab: Lab, report: DoctorReport, elapsedMs: number): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const lines = [`# Doctor: ${lab.name}`, '', `${errors} error(s), ${warnings} warning(s) on ${Object.keys(report.hosts).length} host(s), in ${(elapsedMs / 1000).toFixed(1)} s.`, ''];
  for (const host of lab.hosts) {
    const verdict = report.hosts[host.name];
    if (verdict === undefined) continue;
    const findings = report.findings.filter((f) => f.host === host.name);
    lines.push(`## ${host.name}${verdict === 'unreachable' ? ' (unreachable)' : findings.length === 0 ? ' ✔' : ''}`, '');
    for (const finding of findings) {
      const subject = finding.subject ? `**${finding.subject.bridge ? `${finding.subject.bridge}/` : ''}${finding.subject.name}**: ` : '';
      lines.push(`- ${ICON[finding.severity]} ${subject}${finding.message}${finding.fix ? `  \n  *Fix:* ${finding.fix}` : ''}`);
    }
    if (findings.length) lines.push('');
  }
  return lines.join('\n');
}

/** Where a finding shows in the lab file: its own declaration, else its host's. */
export function findingRange(lab: Lab, finding: Finding): SourceRange | undefined {
  return finding.range ?? lab.hosts.find((h) => h.name === finding.host)?.range;
}

export function doctorSummary(report: DoctorReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  if (errors === 0 && warnings === 0) return 'the doctor found nothing wrong.';
  return `the doctor found ${errors} error(s) and ${warnings} warning(s).`;
}
