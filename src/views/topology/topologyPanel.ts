// The topology panel of one lab: the webview, fed snapshots. Each change of the lab file or of
// its hosts' live state posts a new graph, which the webview applies in place. Messages from
// the webview are checked (protocol.ts) against the graph last sent before anything is done;
// captures run through the CaptureBackend, one per pane, and all stop when the panel goes.

import * as vscode from 'vscode';
import type { Lab } from '../../lab/types';
import type { LabSession } from '../../session/labSession';
import type { Unsubscribe } from '../../session/labWorkspace';
import type { LiveLabs } from '../../session/liveLabs';
import { systemClock, type Clock } from '../../util/clock';
import { pickMergedInterfaces } from '../../commands/mergedCapturePick';
import { parseWebviewMessage, scopeOfGraph, type MergedSource, type CaptureTarget, type ExportFormat, type FromWebview, type GraphSnapshot, type MessageScope, type PanelSettings, type ToWebview, type TraceOverlay } from '../../webview/protocol';
import type { CaptureBackend } from './captureBackend';
import { buildGraph } from './graphModel';
import { topologyHtml } from './html';
import { PanelCaptures } from './panelCaptures';
import { readPositions, savePositions } from './positions';
import { deviceCaptureSpot } from '../../session/captureTargets';

export const TOPOLOGY_VIEW_TYPE = 'overlayLab.topology';

export interface TopologyDeps {
  session: LabSession;
  live: LiveLabs;
  log: vscode.LogOutputChannel;
  /** Packet capture; without it, a pane says capture is not available. */
  captures?: CaptureBackend;
  /** Time for the redraw delay (tests move it themselves). */
  clock?: Clock;
}

/** Live state arrives host by host: the diagram is redrawn at most this often. */
const GRAPH_DELAY_MS = 100;

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Capture panes hold live terminals: kept while the tab is hidden rather than rebuilt empty.
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class TopologyPanel implements vscode.Disposable {
  private ready = false;
  private graph: GraphSnapshot;
  private scope: MessageScope;
  private lab: Lab | undefined;
  private readonly captures: PanelCaptures;
  private readonly following: (Unsubscribe | vscode.Disposable)[] = [];
  private timer: unknown;
  private readonly clock: Clock;
  private readonly waiting: CaptureTarget[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly key: string,
    private readonly context: vscode.ExtensionContext,
    private readonly deps: TopologyDeps,
    private readonly onDispose: (panel: TopologyPanel) => void,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.captures = new PanelCaptures(deps.captures, (message) => this.post(message), (message) => deps.log.debug(`topology: ${message}`));
    this.graph = this.currentGraph();
    this.scope = scopeOfGraph(this.graph);
    const extensionUri = context.extensionUri;
    panel.webview.options = panelOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'overlay-lab.svg');
    this.retitle();
    const asUri = (...path: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
    panel.webview.html = topologyHtml({
      cspSource: panel.webview.cspSource,
      script: asUri('dist', 'webview.js'),
      bundleStyles: asUri('dist', 'webview.css'),
      codicons: asUri('dist', 'codicons', 'codicon.css'),
      styles: asUri('media', 'topology', 'topology.css'),
      title: panel.title,
    });

    this.following.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      deps.session.workspace.onDidChange(({ key }) => key === this.key && this.schedule()),
      deps.live.onDidChange(({ key }) => key === this.key && this.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['terminal.integrated', 'editor.fontFamily', 'editor.fontSize'].some((section) => event.affectsConfiguration(section))) this.post({ type: 'settings', settings: panelSettings() });
      }),
    );
  }

  /** The last trace drawn, drawn again when the webview (re)loads. */
  private trace: TraceOverlay | null = null;

  /** Shows a capture pane on this device (the tree's Capture command); held until the webview is ready. */
  openCapture(asked: CaptureTarget): void {
    // A tree item names a device; an OVS tunnel port is captured where the core says (its underlay), as in the diagram.
    const lab = this.deps.session.workspace.get(this.key)?.result.lab ?? this.lab;
    const target = (!asked.filter && lab && deviceCaptureSpot(lab, asked.host, asked.iface)) || asked;
    if (this.ready) this.post({ type: 'open-capture', target });
    else this.waiting.push(target);
  }

  /** Opens one merged pane over these interfaces; with none given, asks which (of the panel's graph). */
  async openMerged(targets: readonly MergedSource[], selected: readonly MergedSource[] = []): Promise<void> {
    const scope = this.scope;
    const known = targets.filter((target) => scope.targets.get(target.host)?.has(target.iface));
    const chosen = known.length > 0 ? [...known] : await pickMergedInterfaces(scope.targets, selected);
    if (!chosen || chosen.length === 0 || this.disposed) return;
    if (this.ready) this.post({ type: 'open-merged', targets: chosen });
    else this.waitingMerged.push(chosen);
  }

  private readonly waitingMerged: MergedSource[][] = [];

  /** Draws a trace's verdict on the diagram; the last one is drawn again once the webview is (re)loaded. */
  showTrace(trace: TraceOverlay | null): void {
    this.trace = trace;
    if (this.ready) this.post({ type: 'trace', trace });
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.captures.dispose();
    for (const subscription of this.following) subscription.dispose();
    this.onDispose(this);
    this.panel.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private currentGraph(): GraphSnapshot {
    const snapshot = this.deps.session.workspace.get(this.key);
    const fresh = snapshot?.result.lab;
    if (fresh) this.lab = fresh;
    let notice: string | undefined;
    if (!snapshot) notice = this.lab ? 'The lab file is gone: this is its last version.' : 'Waiting for the lab file…';
    else if (!fresh) notice = this.lab ? 'The lab file has errors: this is its last valid version.' : 'The lab file has errors: fix them to see its topology.';
    if (!this.lab) return { lab: snapshot?.file.split(/[\\/]/).pop() ?? 'lab', nodes: [], edges: [], ...(notice ? { notice } : {}) };
    const live = this.deps.live.get(this.key);
    return buildGraph({ lab: this.lab, state: live?.state, hosts: this.deps.live.hostsOf(this.key, this.lab), notice });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.graph = this.currentGraph();
      this.scope = scopeOfGraph(this.graph);
      this.retitle();
      this.post({ type: 'graph', graph: this.graph });
    }, GRAPH_DELAY_MS);
  }

  private retitle(): void {
    this.panel.title = `Topology: ${this.lab?.name ?? this.graph.lab}`;
  }

  private post(message: ToWebview): void {
    // Before `ready` nothing is listening; `init` then carries the latest graph.
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private labRef() {
    const snapshot = this.deps.session.workspace.get(this.key);
    return { key: this.key, file: snapshot?.file ?? this.lab?.file ?? this.key, name: this.lab?.name ?? this.graph.lab };
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw, this.scope);
    if (!parsed.ok) {
      this.deps.log.warn(`Topology of ${this.labRef().name}: ignored a message from the webview: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.deps.log.error(`Topology of ${this.labRef().name}: ${parsed.message.type} failed: ${(error as Error).message}`);
    }
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A (re)loaded webview has no panes: captures of an earlier page stop.
        this.captures.stopAll();
        this.ready = true;
        this.graph = this.currentGraph();
        this.scope = scopeOfGraph(this.graph);
        this.post({ type: 'init', lab: this.labRef(), graph: this.graph, positions: readPositions(this.context.workspaceState, this.key), settings: panelSettings() });
        for (const target of this.waiting.splice(0)) this.post({ type: 'open-capture', target });
        for (const targets of this.waitingMerged.splice(0)) this.post({ type: 'open-merged', targets });
        if (this.trace) this.post({ type: 'trace', trace: this.trace });
        return;
      case 'positions-changed':
        await savePositions(this.context.workspaceState, this.key, message.positions, this.scope.nodes);
        return;
      case 'start-capture':
        if (!this.lab) return;
        this.captures.start(this.lab, message.id, message.host, message.iface, message.filter);
        return;
      case 'start-merged':
        if (!this.lab) return;
        this.captures.startMerged(this.lab, message.id, message.targets, message.filter);
        return;
      case 'pick-merged':
        await this.openMerged([], message.selected);
        return;
      case 'set-filter':
        if (this.lab && !this.captures.setFilter(this.lab, message.id, message.filter)) this.deps.log.warn(`Topology: set-filter for unknown pane ${message.id}`);
        return;
      case 'stop-capture':
        this.captures.stop(message.id);
        return;
      case 'close-capture':
        this.captures.close(message.id);
        return;
      case 'save-pcap':
        await this.savePcap(message.id);
        return;
      case 'export':
        await this.exportImage(message.format, message.data);
        return;
      case 'reveal':
        await this.revealNode(message.node);
        return;
      case 'log':
        this.deps.log[message.level](`topology webview: ${message.message}`);
        return;
      case 'clear-trace':
        this.trace = null;
        return;
    }
  }

  private labFolder(): vscode.Uri | undefined {
    const uri = vscode.Uri.parse(this.key);
    return uri.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(uri, '..');
  }

  private async savePcap(id: string): Promise<void> {
    const capture = this.captures.handle(id);
    if (!capture) {
      void vscode.window.showWarningMessage('Overlay Lab: this pane has no capture to save yet.');
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const folder = this.labFolder();
    const merged = capture.merged;
    const name = merged ? `merged-${merged.length}-interfaces-${stamp}.pcapng` : `${capture.host}-${capture.iface}-${stamp}.pcap`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: merged ? { 'Packet capture (pcapng)': ['pcapng'] } : { 'Packet capture': ['pcap'] },
      saveLabel: 'Save Capture',
      title: merged ? `Save the merged capture on ${merged.map((m) => `${m.host}:${m.iface}`).join(', ')} as one pcapng` : `Save the capture on ${capture.host}:${capture.iface}`,
    });
    if (!target) return;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage('Overlay Lab: a capture can only be saved to a file on this machine.');
      return;
    }
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Overlay Lab: saving ${name}` }, () => capture.handle.savePcap(target.fsPath));
      void vscode.window.showInformationMessage(`Overlay Lab: saved the capture to ${vscode.workspace.asRelativePath(target)}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Overlay Lab: could not save the capture: ${(error as Error).message}`);
    }
  }

  private async exportImage(format: ExportFormat, data: string): Promise<void> {
    const folder = this.labFolder();
    const name = `${this.labRef().name}-topology.${format}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      saveLabel: 'Export',
      title: `Export the topology of ${this.labRef().name}`,
    });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Overlay Lab: exported the topology to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async revealNode(id: string): Promise<void> {
    const node = this.graph.nodes.find((candidate) => candidate.id === id);
    if (!node?.source) return;
    const position = new vscode.Position(node.source.line - 1, node.source.col - 1);
    await vscode.window.showTextDocument(vscode.Uri.parse(this.key), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

/** The terminal font as the integrated terminal has it, else the editor's. */
export function panelSettings(): PanelSettings {
  const terminal = vscode.workspace.getConfiguration('terminal.integrated');
  const editor = vscode.workspace.getConfiguration('editor');
  const family = terminal.get<string>('fontFamily') || editor.get<string>('fontFamily') || 'monospace';
  const size = terminal.get<number>('fontSize') || editor.get<number>('fontSize') || 12;
  const lineHeight = terminal.get<number>('lineHeight') || 1;
  const scrollback = terminal.get<number>('scrollback') || 1000;
  return {
    terminalFontFamily: family,
    terminalFontSize: Math.min(Math.max(size, 6), 40),
    terminalLineHeight: Math.min(Math.max(lineHeight, 1), 3),
    scrollback: Math.min(Math.max(scrollback, 500), 50_000),
  };
}
