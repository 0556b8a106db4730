// What Plan, Apply and Destroy tell the user: the plan in a sentence, the confirmation that names
// the hosts and counts the changes, the progress line for the step being run, what goes to the
// log, and the closing message. Pure, so the wording is tested without an editor.

import type { LabPlan, PlanMode } from '../apply/labPlan';
import { changeCount } from '../apply/plan';
import type { ApplyEvent, HostApplyResult } from '../apply/runPlan';
import { isNotReached } from '../ssh/errors';
import { failureLine } from './connectionReport';

export type Severity = 'info' | 'warning' | 'error';

export interface Report {
  severity: Severity;
  message: string;
}

export interface PlanOverview {
  mode: PlanMode;
  /** Changes across every host. */
  total: number;
  /** Hosts with something to do, in the lab's order, with how much. */
  changed: { host: string; changes: number; steps: number }[];
  /** Hosts the plan cannot bring to the file's state (nothing runs on them), with why. */
  blocked: { host: string; problems: string[] }[];
  /** Hosts that could not be read, so were not planned; `reached` when the host answered (a sudo that wants a password, a missing ovs-vsctl). */
  unread: { host: string; message: string; reached: boolean }[];
  /** Hosts read and planned (compared with the file). */
  planned: number;
  /** Differences apply does not change (an error OVS reports), per host. */
  notes: { host: string; notes: string[] }[];
}

/** How many host names a sentence lists before it says how many more there are. */
export const NAMED_HOSTS = 6;

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** `a, b and 3 more` */
export function hostList(hosts: readonly string[], limit = NAMED_HOSTS): string {
  if (hosts.length <= limit) return hosts.join(', ');
  return `${hosts.slice(0, limit).join(', ')} and ${hosts.length - limit} more`;
}

/** A message that may name a host already (SSH errors do) as a sentence naming it once. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The host's name off the front of a message that starts with it. */
function withoutHost(host: string, message: string): string {
  const text = message.trim();
  return text.startsWith(`${host}: `) ? text.slice(host.length + 2) : text;
}

export function planOverview(plan: LabPlan): PlanOverview {
  const changed = plan.plans
    .filter((host) => host.problems.length === 0 && changeCount(host) > 0)
    .map((host) => ({ host: host.host, changes: changeCount(host), steps: host.steps.length }));
  return {
    mode: plan.mode,
    total: changed.reduce((sum, host) => sum + host.changes, 0),
    changed,
    blocked: plan.plans.filter((host) => host.problems.length > 0).map((host) => ({ host: host.host, problems: host.problems.map((problem) => withoutHost(host.host, problem)) })),
    unread: plan.failures.map((failure) => ({ host: failure.host, message: withoutHost(failure.host, failure.message), reached: !isNotReached(failure.kind) })),
    planned: plan.plans.length,
    notes: plan.plans.filter((host) => host.notes.length > 0).map((host) => ({ host: host.host, notes: host.notes.map((note) => withoutHost(host.host, note)) })),
  };
}

/** A host that answered is not unreachable: it was reached and could not be read. */
const unreadWord = (host: { reached: boolean }) => (host.reached ? 'reached, not read' : 'unreachable');

/** ` 1 host blocked (ovs-b); 1 unreachable (test-a).` — empty when every host was planned. */
function troubleSuffix(overview: PlanOverview): string {
  const parts: string[] = [];
  if (overview.blocked.length) parts.push(`${plural(overview.blocked.length, 'host')} blocked (${hostList(overview.blocked.map((b) => b.host))})`);
  for (const word of ['unreachable', 'reached, not read']) {
    const hosts = overview.unread.filter((host) => unreadWord(host) === word);
    if (hosts.length) parts.push(`${hosts.length} ${word} (${hostList(hosts.map((u) => u.host))})`);
  }
  return parts.length ? ` ${parts.join('; ')}: see the log.` : '';
}

/** What Plan says once the plan is in the log: `demo: 20 changes on 4 hosts.` or `demo: no changes.` */
export function planReport(labName: string, overview: PlanOverview): Report {
  const head =
    overview.total === 0
      ? `${labName}: no changes${overview.mode === 'destroy' ? ' (nothing of the lab to remove)' : ''}.`
      : `${labName}: ${plural(overview.total, 'change')} on ${plural(overview.changed.length, 'host')}${overview.mode === 'destroy' ? ' to destroy the lab' : ''}.`;
  const trouble = troubleSuffix(overview);
  return { severity: trouble ? 'warning' : 'info', message: `${head}${trouble}` };
}

/** Apply or Destroy with nothing to run: what to say instead of asking. Undefined when there is work. */
export function nothingToDo(labName: string, overview: PlanOverview): Report | undefined {
  if (overview.total > 0) return undefined;
  const head = overview.mode === 'apply' ? `${labName}: nothing to apply` : `${labName}: nothing to destroy`;
  const trouble = troubleSuffix(overview);
  // No host read is no host compared: saying they are as the file says would be a guess.
  if (overview.planned === 0 && overview.unread.length > 0) return { severity: 'error', message: `${labName}: no host could be read, so nothing was compared with the lab file.${trouble}` };
  if (trouble) return { severity: 'warning', message: `${head} on the hosts that were planned.${trouble}` };
  const notes = overview.notes.flatMap((host) => host.notes.map((note) => `${host.host}: ${note}`));
  if (notes.length && overview.mode === 'apply') return { severity: 'warning', message: `${head}, but ${plural(notes.length, 'difference')} apply does not change: ${notes.join(' ')}` };
  return { severity: 'info', message: overview.mode === 'apply' ? `${head}: every host is as the lab file says.` : `${head}: none of what the lab declares is on its hosts.` };
}

export interface Confirmation {
  message: string;
  detail: string;
  /** The button that goes ahead. */
  button: string;
}

/** The modal question before anything runs: the hosts, the number of changes; per host in the detail. */
export function confirmation(labName: string, overview: PlanOverview): Confirmation {
  const hosts = hostList(overview.changed.map((host) => host.host));
  const changes = plural(overview.total, 'change');
  const message = overview.mode === 'apply' ? `Apply ${changes} to ${hosts}?` : `Destroy ${labName} on ${hosts} (${changes})?`;
  const lines = overview.changed.map((host) => `${host.host}: ${plural(host.changes, 'change')}`);
  if (overview.blocked.length) {
    lines.push('', 'Blocked, nothing will run on them:');
    for (const host of overview.blocked) lines.push(`${host.host}: ${host.problems.join(' ')}`);
  }
  if (overview.unread.length) {
    lines.push('', 'Not read, not planned:');
    for (const host of overview.unread) lines.push(`${host.host} (${unreadWord(host)}): ${host.message}`);
  }
  lines.push('', 'The plan, with every command, is in the Overlay Lab log.');
  return { message, detail: lines.join('\n'), button: overview.mode === 'apply' ? 'Apply' : 'Destroy' };
}

/** `ovs-a [2/5] bring br-phy up`, with the other changes of a many-change step counted. */
export function progressMessage(event: Extract<ApplyEvent, { type: 'step-start' }>): string {
  const [first = 'run a step', ...rest] = event.step.changes;
  return `${event.host} [${event.index + 1}/${event.total}] ${first}${rest.length ? ` (+${plural(rest.length, 'more change', 'more changes')})` : ''}`;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  text: string;
}

/** What a step's start and end put in the log (its output is logged line by line as it comes). */
export function stepLogLines(event: ApplyEvent): LogLine[] {
  switch (event.type) {
    case 'step-start':
      return [{ level: 'info', text: `${event.host} [${event.index + 1}/${event.total}] ${event.step.changes.join('; ')}` }, { level: 'info', text: `${event.host}     $ ${event.command}` }];
    case 'step-done':
      return event.ok ? [] : [{ level: 'error', text: `${event.host} [${event.index + 1}] failed` }];
    case 'host-done':
      return [];
    case 'step-output':
      return [];
  }
}

/** A line of a step's output, as the log shows it. */
export function outputLogLine(host: string, stream: 'stdout' | 'stderr', line: string): LogLine {
  return { level: stream === 'stderr' ? 'warn' : 'info', text: `${host}     ${line}` };
}

/** The apply summary (`renderApplySummary`'s lines) with a level each, then the unreachable hosts. */
export function summaryLogLines(results: readonly HostApplyResult[], summary: string, overview: PlanOverview): LogLine[] {
  const levels = new Map(results.map((result) => [result.host, result.status === 'failed' ? 'error' : result.status === 'changed' || result.status === 'unchanged' ? 'info' : 'warn'] as const));
  const lines: LogLine[] = [];
  let level: LogLine['level'] = 'info';
  for (const text of summary.replace(/\n$/, '').split('\n')) {
    // A host's entry starts with its name; an error's further lines keep that host's level.
    const named = levels.get(text.slice(0, Math.max(0, text.indexOf(':'))));
    if (named) level = named;
    lines.push({ level, text });
  }
  for (const host of overview.unread) lines.push({ level: 'warn', text: `${host.host}: ${unreadWord(host).toUpperCase()}: ${host.message}` });
  return lines;
}

/** The first line of a host's error, which is what a notification can show. */
function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim()) ?? '';
  return line.trim();
}

/**
 * The closing message: information when every host came out as asked; an error naming each
 * failing host, its step and the host's own error; a warning when the user cancelled, or when
 * only hosts they were told about at the confirmation (blocked, not read) were left out.
 */
export function applyOutcome(labName: string, overview: PlanOverview, results: readonly HostApplyResult[], cancelled: boolean): Report {
  const verb = overview.mode === 'apply' ? 'apply' : 'destroy';
  const done = results.filter((result) => result.status === 'changed');
  const failed = results.filter((result) => result.status === 'failed');
  const stopped = results.filter((result) => result.status === 'cancelled');
  const doneText = done.length ? ` Done on ${hostList(done.map((result) => result.host))}.` : '';
  const leftOut = [...overview.blocked.map((b) => b.host), ...overview.unread.map((u) => u.host)];
  const leftOutText = leftOut.length ? ` Not run on ${hostList(leftOut)} (blocked or not read).` : '';

  if (failed.length) {
    const failures = failed.map((result) => {
      const step = result.failedStep;
      if (!step) return sentence(failureLine(result.host, result.message ?? 'failed'));
      return sentence(`${result.host} failed at step ${step.index + 1} of ${result.stepsTotal} (${step.changes[0] ?? 'a step'}): ${firstLine(step.error) || 'no error text'}`);
    });
    const stoppedText = stopped.length ? ` Cancelled on ${hostList(stopped.map((result) => result.host))}.` : '';
    return { severity: 'error', message: `${labName}: ${verb} failed. ${failures.join(' ')}${doneText}${stoppedText}${leftOutText}` };
  }
  if (cancelled || stopped.length) {
    const stoppedText = stopped.length ? ` Stopped on ${hostList(stopped.map((result) => result.host))}; what ran there stays.` : '';
    return { severity: 'warning', message: `${labName}: ${verb} cancelled.${stoppedText}${doneText}${leftOutText}` };
  }
  const changes = plural(overview.total, 'change');
  const head = overview.mode === 'apply' ? `${labName}: applied ${changes} to ${plural(done.length, 'host')}.` : `${labName}: destroyed on ${plural(done.length, 'host')} (${changes}).`;
  return { severity: leftOut.length ? 'warning' : 'info', message: `${head}${leftOutText}` };
}
