// The lab files' tests in VS Code's Testing view: a TestController whose items follow the lab
// snapshots (a file change rebuilds its items and marks the results of changed tests out of
// date), run profiles that run them through the core (src/labtests/) on the lab's pooled
// connections, with the output of each test (ping, trace) in the test's output, a failure's
// message at the test's line. Each result is recorded in the last-results store (the lab file's
// hover reads the same entries) and the test is reported from what was recorded; the trace of a
// failure is read from there too, for the action that draws it on the topology.

import * as vscode from 'vscode';
import type { SourceRange } from '../../lab/types';
import type { LastTestResult, LastTestResults } from '../../labtests/lastResults';
import { runLabTests } from '../../labtests/runLabTests';
import type { LabTestCase, LabTestResult } from '../../labtests/types';
import type { LabSession } from '../../session/labSession';
import type { TraceResultV2 } from '../../trace/traceResultV2';
import { Debouncer } from '../../util/debounce';
import { DOCTOR_TEST, labTestNodes, leavesOf, testNodeId, type TestNode } from './labTestTree';
import { failureText } from './testMessages';

/** The test message's contextValue for a failure that carries a trace (package.json's testing/message menus). */
export const TRACED_MESSAGE = 'overlayLab.tracedTest';

export interface TracedTest {
  labKey: string;
  trace: TraceResultV2;
}

const toRange = (range: SourceRange) => new vscode.Range(range.line - 1, range.col - 1, range.endLine - 1, range.endCol - 1);
/** The Testing view's output is a terminal: lines end in CR LF. */
const terminalText = (text: string) => text.replace(/\r?\n/g, '\r\n');

export class LabTestController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly nodes = new Map<string, TestNode>();
  /** Where each test item's results are kept in the store: its lab and its test's name. */
  private readonly recorded = new Map<string, { labKey: string; name: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: LabSession,
    private readonly log: vscode.LogOutputChannel,
    private readonly results: LastTestResults,
  ) {
    this.controller = vscode.tests.createTestController('overlayLab.labTests', 'Overlay Lab');
    this.controller.refreshHandler = () => {
      for (const snapshot of session.workspace.all()) this.sync(snapshot.key);
    };
    const run = this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => (request.continuous ? this.watch(request, token) : this.run(request, token, false)), true, undefined, true);
    const withDoctor = this.controller.createRunProfile('Run with Doctor', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token, true), false);
    this.disposables.push(
      this.controller,
      run,
      withDoctor,
      session.workspace.onDidChange(({ key }) => this.sync(key)),
    );
    for (const snapshot of session.workspace.all()) this.sync(snapshot.key);
  }

  /** The trace of a test's last failure, for the action that draws it. */
  traceOf(testId: string): TracedTest | undefined {
    const at = this.recorded.get(testId);
    const last = at && this.results.get(at.labKey, at.name);
    return at && last?.status === 'failed' && last.result?.trace ? { labKey: at.labKey, trace: last.result.trace } : undefined;
  }

  /** Runs a lab's tests as if from the Testing view (the command palette's Run Lab Tests). */
  runLab(labKey: string, token: vscode.CancellationToken): Promise<void> {
    const item = this.controller.items.get(labKey);
    if (!item) return Promise.resolve();
    return this.run(new vscode.TestRunRequest([item]), token, false);
  }

  /** Rebuilds one lab's items from its snapshot; a test whose sending changed loses its result. */
  private sync(key: string): void {
    const snapshot = this.session.workspace.get(key);
    if (!snapshot) {
      this.controller.items.delete(key);
      return;
    }
    const uri = vscode.Uri.parse(key);
    const lab = snapshot.result.lab;
    let labItem = this.controller.items.get(key);
    if (!labItem) {
      labItem = this.controller.createTestItem(key, lab?.name ?? vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(labItem);
    }
    labItem.label = lab?.name ?? vscode.workspace.asRelativePath(uri);
    labItem.description = vscode.workspace.asRelativePath(uri);
    labItem.range = new vscode.Range(0, 0, 0, 0);
    // A file with errors keeps its items as they were (the user is mid-edit) and says why it cannot run.
    labItem.error = lab ? undefined : new vscode.MarkdownString('The lab file has errors (see Problems); its tests cannot run until they are fixed.');
    if (!lab) return;
    const stale: vscode.TestItem[] = [];
    const build = (parent: vscode.TestItemCollection, nodes: TestNode[]) => {
      const items = nodes.map((node, index) => {
        const existing = parent.get(node.id);
        const item = existing ?? this.controller.createTestItem(node.id, node.label, uri);
        item.label = node.label;
        // The file's order (VS Code would sort by line, and the doctor has none).
        item.sortText = String(index).padStart(5, '0');
        item.description = node.description;
        item.range = node.range ? toRange(node.range) : undefined;
        const before = this.nodes.get(node.id);
        if (existing && before?.signature !== node.signature) stale.push(item);
        this.nodes.set(node.id, node);
        build(item.children, node.children);
        return item;
      });
      parent.replace(items);
    };
    build(labItem.children, labTestNodes(key, lab));
    if (stale.length) {
      this.controller.invalidateTestResults(stale);
      this.results.markOutdated(key, stale.flatMap((item) => this.caseOf(item)?.name ?? []));
    }
  }

  /**
   * Continuous run: the tests run again each time their lab file changes (a save, an edit on
   * disk), until the user turns it off. Edits in a burst run once, after the last.
   */
  private async watch(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const keys = new Set((request.include ?? []).map((item) => this.labKeyOf(item)));
    const settle = new Debouncer(500);
    let running: Promise<void> = Promise.resolve();
    const again = () => {
      running = running.then(() => (token.isCancellationRequested ? undefined : this.run(new vscode.TestRunRequest(request.include, request.exclude, request.profile), token, false)));
    };
    const listening = this.session.workspace.onDidChange(({ key }) => {
      if (keys.size && !keys.has(key)) return;
      settle.schedule('lab', again);
    });
    again();
    await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
    settle.dispose();
    listening.dispose();
    await running;
  }

  private leavesUnder(item: vscode.TestItem, excluded: Set<string>): vscode.TestItem[] {
    if (excluded.has(item.id)) return [];
    if (item.children.size === 0) return this.nodes.get(item.id)?.runs ? [item] : [];
    const found: vscode.TestItem[] = [];
    item.children.forEach((child) => found.push(...this.leavesUnder(child, excluded)));
    return found;
  }

  private caseOf(item: vscode.TestItem): LabTestCase | undefined {
    const runs = this.nodes.get(item.id)?.runs;
    return runs === 'doctor' ? undefined : runs;
  }

  /** A test that could not run: recorded, then reported as the record says. */
  private errored(run: vscode.TestRun, key: string, leaf: vscode.TestItem, message: string): void {
    const test = this.caseOf(leaf);
    if (test) {
      this.recorded.set(leaf.id, { labKey: key, name: test.name });
      this.results.recordError(key, test, message);
    }
    run.errored(leaf, new vscode.TestMessage(message));
  }

  private labKeyOf(item: vscode.TestItem): string {
    let top = item;
    while (top.parent) top = top.parent;
    return top.id;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, withDoctor: boolean): Promise<void> {
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => roots.push(item));
    const perLab = new Map<string, vscode.TestItem[]>();
    // The doctor takes its time and its verdict is about the hosts, not the tests: it runs when
    // picked itself, or with the Run with Doctor profile (as `test --doctor` on the command line).
    const picked = new Set(roots.map((item) => item.id));
    for (const root of roots) {
      for (const leaf of this.leavesUnder(root, excluded)) {
        if (this.nodes.get(leaf.id)?.runs === 'doctor' && !picked.has(leaf.id)) continue;
        const key = this.labKeyOf(leaf);
        const list = perLab.get(key) ?? [];
        if (!list.includes(leaf)) list.push(leaf);
        perLab.set(key, list);
      }
    }
    const run = this.controller.createTestRun(request, undefined, true);
    const abort = new AbortController();
    const cancelling = token.onCancellationRequested(() => abort.abort());
    try {
      await Promise.all([...perLab].map(([key, leaves]) => this.runOneLab(run, key, leaves, withDoctor, abort.signal)));
    } finally {
      cancelling.dispose();
      run.end();
    }
  }

  private async runOneLab(run: vscode.TestRun, key: string, leaves: vscode.TestItem[], withDoctor: boolean, signal: AbortSignal): Promise<void> {
    const lab = this.session.workspace.get(key)?.result.lab;
    if (!lab) {
      for (const leaf of leaves) this.errored(run, key, leaf, 'The lab file has errors (see Problems); fix them to run its tests.');
      return;
    }
    const uri = vscode.Uri.parse(key);
    const byName = new Map<string, vscode.TestItem>();
    const cases: LabTestCase[] = [];
    let doctorItem: vscode.TestItem | undefined;
    for (const leaf of leaves) {
      const runs = this.nodes.get(leaf.id)?.runs;
      if (runs === 'doctor') doctorItem = leaf;
      else if (runs) {
        cases.push(runs);
        byName.set(runs.name, leaf);
      }
      run.enqueued(leaf);
    }
    if (withDoctor) doctorItem ??= this.controller.items.get(key)?.children.get(testNodeId(key, DOCTOR_TEST));
    if (doctorItem) run.started(doctorItem);
    const doctorFailures: vscode.TestMessage[] = [];
    let doctorMs = 0;
    let doctorPassed = false;
    const pool = this.session.pools.poolFor(key, lab);
    try {
      await runLabTests(pool, lab, cases, {
        signal,
        doctor: Boolean(doctorItem),
        onStart: (test) => {
          const item = byName.get(test.name);
          if (item) run.started(item);
        },
        onOutput: (test, text) => run.appendOutput(terminalText(text), undefined, byName.get(test.name)),
        onResult: (test, result) => {
          if (!test) {
            doctorMs = Math.max(doctorMs, result.ms);
            if (result.passed) doctorPassed = true;
            else doctorFailures.push(this.messageOf(uri, result, result.range));
            if (doctorItem) run.appendOutput(terminalText(`${result.passed ? 'no error found' : failureText(result)}\n`), undefined, doctorItem);
            return;
          }
          const item = byName.get(test.name);
          if (item) this.report(run, item, key, uri, test, result);
        },
      });
    } catch (error) {
      this.log.error(`lab tests of ${lab.name}: ${(error as Error).message}`);
      for (const leaf of leaves) this.errored(run, key, leaf, `The tests could not run: ${(error as Error).message}`);
      return;
    }
    if (doctorItem) {
      if (signal.aborted && !doctorPassed && doctorFailures.length === 0) run.skipped(doctorItem);
      else if (doctorFailures.length) run.failed(doctorItem, doctorFailures, doctorMs);
      else run.passed(doctorItem, doctorMs);
    }
  }

  private messageOf(uri: vscode.Uri, result: LabTestResult, range: SourceRange | undefined): vscode.TestMessage {
    const message = new vscode.TestMessage(failureText(result));
    if (range) message.location = new vscode.Location(uri, toRange(range));
    return message;
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, key: string, uri: vscode.Uri, test: LabTestCase, result: LabTestResult): void {
    this.recorded.set(item.id, { labKey: key, name: test.name });
    const last: LastTestResult | undefined = this.results.record(key, test, result);
    if (!last) {
      // Cancelled: no answer, and the last result stays as it was.
      run.skipped(item);
      return;
    }
    if (last.status === 'passed') {
      run.passed(item, last.ms);
      return;
    }
    const message = this.messageOf(uri, result, test.range);
    if (last.result?.trace) message.contextValue = TRACED_MESSAGE;
    run.failed(item, message, last.ms);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
