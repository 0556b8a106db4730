// Plan, Apply and Destroy, for a whole lab (palette, the lab's item, the view's title) or one host
// (the host's item). Plan reads the hosts and puts the plan in the log. Apply and Destroy plan
// first, ask before changing anything (naming the hosts and counting the changes), then run
// under a cancellable notification that shows the step being run; every step, its command and
// its output go to the log; the end is a message per outcome, and the lab's state is read again.
// A lab with errors is never applied. applyReport.ts has the wording.

import * as vscode from 'vscode';
import { planLab, type LabPlan, type PlanMode } from '../apply/labPlan';
import { runPlans, type HostApplyResult } from '../apply/runPlan';
import { renderApplySummary, renderPlan } from '../apply/planText';
import type { Lab } from '../lab/types';
import type { LabSession } from '../session/labSession';
import type { RefreshManager } from '../session/refreshManager';
import type { SshPool } from '../ssh/pool';
import { LineSplitter } from '../util/lineSplitter';
import type { LabsTreeProvider } from '../views/labsTreeProvider';
import { applyOutcome, confirmation, nothingToDo, outputLogLine, planOverview, planReport, progressMessage, stepLogLines, summaryLogLines, type LogLine, type PlanOverview, type Report } from './applyReport';
import { hostFromArgument } from './hostCommands';
import { pickLab } from './pickLab';

export const SHOW_LOG = 'Show Log';
/** A notification's message renders command links: the log is a click away while a run goes on. */
const LOG_LINK = '[Show Log](command:overlayLab.showLog)';

/** What a command acts on: a lab, or one of its hosts. */
interface ApplyTarget {
  key: string;
  lab: Lab;
  host?: string;
}

interface Context {
  session: LabSession;
  tree: LabsTreeProvider;
  refresh: RefreshManager;
  log: vscode.LogOutputChannel;
  /** Labs being applied or destroyed: one run per lab at a time. */
  busy: Set<string>;
}

export function registerApplyCommands(session: LabSession, tree: LabsTreeProvider, refresh: RefreshManager, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const context: Context = { session, tree, refresh, log, busy: new Set() };
  return [
    vscode.commands.registerCommand('overlayLab.plan', (argument?: unknown) => plan(context, argument)),
    vscode.commands.registerCommand('overlayLab.apply', (argument?: unknown) => applyOrDestroy(context, argument, 'apply')),
    vscode.commands.registerCommand('overlayLab.destroy', (argument?: unknown) => applyOrDestroy(context, argument, 'destroy')),
    vscode.commands.registerCommand('overlayLab.showLog', () => log.show(true)),
  ];
}

const VERB: Record<PlanMode, string> = { apply: 'Apply', destroy: 'Destroy' };

/** The host item's host, else the lab of the item, the active editor or the user's choice; never a lab with errors. */
async function pickTarget(context: Context, argument: unknown, placeHolder: string, what: string): Promise<ApplyTarget | undefined> {
  const host = hostFromArgument(context.session, argument);
  if (host) return host;
  const picked = await pickLab(context.session, context.tree, { argument, placeHolder, validOnly: true });
  if (!picked) return undefined;
  const lab = picked.snapshot.result.lab;
  if (!lab) {
    // What a lab with errors says of its hosts may be wrong: nothing is planned or run from it.
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(picked.uri)} has errors, so it is not ${what}. Fix them (they are in the Problems panel) and try again.`);
    return undefined;
  }
  return { key: picked.snapshot.key, lab };
}

function poolFor(context: Context, target: ApplyTarget): SshPool | undefined {
  try {
    return context.session.pools.poolFor(target.key, target.lab);
  } catch (error) {
    context.log.error(`${target.lab.name}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Overlay Lab: ${(error as Error).message}`);
    return undefined;
  }
}

function writeLog(log: vscode.LogOutputChannel, lines: readonly LogLine[]): void {
  for (const line of lines) log[line.level](line.text);
}

function targetName(target: ApplyTarget): string {
  return target.host ? `${target.lab.name} (${target.host})` : target.lab.name;
}

async function report(context: Context, result: Report, buttons: string[] = [SHOW_LOG]): Promise<string | undefined> {
  const answer =
    result.severity === 'error'
      ? await vscode.window.showErrorMessage(result.message, ...buttons)
      : result.severity === 'warning'
        ? await vscode.window.showWarningMessage(result.message, ...buttons)
        : await vscode.window.showInformationMessage(result.message, ...buttons);
  if (answer === SHOW_LOG) context.log.show(true);
  return answer;
}

/** Reads the hosts and plans, under a cancellable notification; undefined when cancelled. */
async function readPlan(context: Context, target: ApplyTarget, pool: SshPool, mode: PlanMode): Promise<LabPlan | undefined> {
  const title = `Overlay Lab: planning ${mode === 'destroy' ? 'the destruction of ' : ''}${targetName(target)}`;
  context.log.info(`${targetName(target)}: planning ${mode}…`);
  const abort = new AbortController();
  const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => abort.abort());
    progress.report({ message: `reading ${target.host ?? `${target.lab.hosts.length} host${target.lab.hosts.length === 1 ? '' : 's'}`}…` });
    return planLab(pool, target.lab, { mode, hosts: target.host ? [target.host] : undefined, signal: abort.signal });
  });
  if (abort.signal.aborted) {
    context.log.info(`${targetName(target)}: planning cancelled.`);
    return undefined;
  }
  context.log.info(`${targetName(target)}: ${mode} plan\n${renderPlan(plan).replace(/\n$/, '')}`);
  return plan;
}

async function plan(context: Context, argument: unknown): Promise<void> {
  const target = await pickTarget(context, argument, 'Plan which lab?', 'planned');
  const pool = target && poolFor(context, target);
  if (!target || !pool) return;
  const labPlan = await guarded(context, () => readPlan(context, target, pool, 'apply'));
  if (!labPlan) return;
  context.log.show(true);
  const overview = planOverview(labPlan);
  const buttons = overview.total > 0 ? [`${VERB.apply}…`, SHOW_LOG] : [SHOW_LOG];
  const answer = await report(context, planReport(targetName(target), overview), buttons);
  if (answer === `${VERB.apply}…`) await applyOrDestroy(context, target, 'apply');
}

async function applyOrDestroy(context: Context, argument: unknown, mode: PlanMode): Promise<void> {
  const target = isApplyTarget(argument) ? argument : await pickTarget(context, argument, `${VERB[mode]} which lab?`, mode === 'apply' ? 'applied' : 'destroyed');
  const pool = target && poolFor(context, target);
  if (!target || !pool) return;
  if (context.busy.has(target.key)) {
    await report(context, { severity: 'info', message: `${target.lab.name}: an apply or destroy is already running; wait for it to end (or cancel it).` });
    return;
  }
  context.busy.add(target.key);
  try {
    const labPlan = await guarded(context, () => readPlan(context, target, pool, mode));
    if (!labPlan) return;
    const overview = planOverview(labPlan);
    const idle = nothingToDo(targetName(target), overview);
    if (idle) {
      context.log.info(idle.message);
      await report(context, idle);
      return;
    }
    const question = confirmation(target.lab.name, overview);
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.button);
    if (answer !== question.button) {
      context.log.info(`${targetName(target)}: ${mode} not confirmed; nothing was changed.`);
      return;
    }
    const outcome = await guarded(context, () => run(context, target, pool, labPlan, overview));
    // Whatever happened (done, failed, cancelled half-way), the hosts changed: show them as they are now.
    void vscode.window.withProgress({ location: { viewId: 'overlayLab.labs' } }, () => (target.host ? context.refresh.refreshHost(target.key, target.host) : context.refresh.refreshLab(target.key)));
    if (!outcome) return;
    writeLog(context.log, [{ level: outcome.severity === 'error' ? 'error' : outcome.severity === 'warning' ? 'warn' : 'info', text: outcome.message }]);
    void report(context, outcome);
  } finally {
    context.busy.delete(target.key);
  }
}

/** Runs the plan's steps under a cancellable notification, with every step and its output in the log. */
async function run(context: Context, target: ApplyTarget, pool: SshPool, labPlan: LabPlan, overview: PlanOverview): Promise<Report> {
  const { log } = context;
  const verb = labPlan.mode === 'apply' ? 'applying' : 'destroying';
  const abort = new AbortController();
  const sudo = (host: string) => target.lab.hosts.find((candidate) => candidate.name === host)?.sudo ?? false;
  const totalSteps = overview.changed.reduce((sum, host) => sum + host.steps, 0);
  // A step's output comes in chunks: the log gets it line by line, each naming its host.
  const splitters = new Map<string, LineSplitter>();
  const splitter = (host: string, stream: 'stdout' | 'stderr') => {
    const id = `${host}\n${stream}`;
    let found = splitters.get(id);
    if (!found) {
      found = new LineSplitter((line) => writeLog(log, [outputLogLine(host, stream, line)]));
      splitters.set(id, found);
    }
    return found;
  };
  const flush = (host: string) => {
    for (const stream of ['stdout', 'stderr'] as const) {
      splitters.get(`${host}\n${stream}`)?.end();
      splitters.delete(`${host}\n${stream}`);
    }
  };

  log.info(`${targetName(target)}: ${verb} ${overview.total} change(s) on ${overview.changed.map((host) => host.host).join(', ')}`);
  let results: HostApplyResult[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Overlay Lab: ${verb} ${targetName(target)}`, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => {
      log.warn(`${targetName(target)}: cancelled; stopping what runs on the hosts…`);
      abort.abort();
    });
    progress.report({ message: LOG_LINK });
    results = await runPlans(pool, labPlan.plans, {
      sudo,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === 'step-output') return void splitter(event.host, event.stream).push(event.text);
        if (event.type === 'step-done') flush(event.host);
        writeLog(log, stepLogLines(event));
        if (event.type === 'step-start') progress.report({ message: `${progressMessage(event)} · ${LOG_LINK}` });
        if (event.type === 'step-done') progress.report({ increment: totalSteps ? 100 / totalSteps : 0 });
      },
    });
  });
  for (const host of [...splitters.keys()].map((id) => id.split('\n')[0])) flush(host);
  writeLog(log, summaryLogLines(results, renderApplySummary(results), overview));
  return applyOutcome(targetName(target), overview, results, abort.signal.aborted);
}

/** A bug or an unexpected failure of the core ends in the log and a message, not in silence. */
async function guarded<T>(context: Context, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    context.log.error(`Overlay Lab: ${(error as Error).stack ?? (error as Error).message}`);
    await report(context, { severity: 'error', message: `Overlay Lab: ${(error as Error).message}` });
    return undefined;
  }
}

/** Plan's "Apply…" button hands over its target as is. */
function isApplyTarget(argument: unknown): argument is ApplyTarget {
  return typeof argument === 'object' && argument !== null && 'lab' in argument && 'key' in argument && typeof (argument as ApplyTarget).key === 'string' && !('kind' in argument);
}
