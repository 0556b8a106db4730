// JUnit XML, as CI systems read it (the Ant/Jenkins schema): one <testsuite> for the lab, one
// <testcase> per test, a failed test's <failure> carrying the trace's place and cause as its
// message and the evidence as its text, a cancelled one <skipped/>.

import type { LabTestResult, LabTestRun } from './types';

/** XML 1.0 allows no control characters but tab, newline and carriage return, even escaped. */
function xmlText(text: string): string {
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const attribute = (text: string) => xmlText(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(lab: string, result: LabTestResult): string {
  const open = `    <testcase name="${attribute(result.name)}" classname="${attribute(`overlay-lab.${lab}`)}" time="${seconds(result.ms)}">`;
  if (result.passed) return `${open}</testcase>`;
  if (result.cancelled) return `${open}\n      <skipped message="${attribute(result.message ?? 'cancelled')}"/>\n    </testcase>`;
  const type = result.finding ? `doctor ${result.finding.id}` : result.trace?.cause ? `trace ${result.trace.cause.kind}` : result.expect === 'isolated' ? 'not-isolated' : 'unreachable';
  const body = [`${result.from} -> ${result.to} (${result.expect})`, result.message ?? '', ...result.details].filter(Boolean).join('\n');
  return `${open}\n      <failure message="${attribute(result.message ?? 'failed')}" type="${attribute(type)}">${xmlText(body)}</failure>\n    </testcase>`;
}

export function junitXml(lab: string, run: LabTestRun, options: { timestamp: Date; hostname: string }): string {
  const failed = run.results.filter((r) => !r.passed && !r.cancelled).length;
  const skipped = run.results.filter((r) => r.cancelled).length;
  const counts = `tests="${run.results.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(run.ms)}"`;
  // The Ant schema's timestamp has no time zone: ISO 8601 without the "Z" or milliseconds.
  const timestamp = options.timestamp.toISOString().replace(/\.\d+Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attribute(`overlay-lab ${lab}`)}" ${counts}>`,
    `  <testsuite name="${attribute(lab)}" ${counts} timestamp="${timestamp}" hostname="${attribute(options.hostname)}" id="0" package="overlay-lab">`,
    '    <properties>',
    `      <property name="lab" value="${attribute(lab)}"/>`,
    '    </properties>',
    ...run.results.map((result) => testcase(lab, result)),
    '    <system-out></system-out>',
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
