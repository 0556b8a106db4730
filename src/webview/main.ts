// The topology panel's browser side: the diagram (toolbar, info bar) above the capture panes.
// It says `ready`, draws what `init` brings, then follows the extension's messages; every
// message it gets is checked against the protocol, and everything it does is a message back.

import '@xterm/xterm/css/xterm.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import type { NodeData } from './graphUpdate';
import { PaneDeck } from './paneDeck';
import { isToWebview, type CaptureTarget, type FromWebview, type GraphSnapshot, type LabRef, type PanelSettings, type ToWebview, type TraceBanner } from './protocol';
import { currentPalette, onThemeChange } from './theme';
import { TopologyView } from './topology';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the panel keeps across reloads (the serializer reads it): which lab it shows. */
export interface SavedState {
  key: string;
  file: string;
  name: string;
}

const vscode = acquireVsCodeApi();
const post = (message: FromWebview) => vscode.postMessage(message);

const DEFAULT_SETTINGS: PanelSettings = { terminalFontFamily: 'monospace', terminalFontSize: 12, terminalLineHeight: 1, scrollback: 5000 };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function toolButton(id: string, icon: string, title: string, action: () => void): HTMLElement {
  const node = document.createElement('vscode-button');
  node.id = id;
  node.setAttribute('icon', icon);
  node.setAttribute('icon-only', '');
  node.setAttribute('secondary', '');
  node.setAttribute('title', title);
  node.setAttribute('aria-label', title);
  node.addEventListener('click', action);
  return node;
}

// ---------------------------------------------------------------------------------------------
// The page.

const root = el('div', { id: 'root' });
const toolbar = el('header', { id: 'toolbar', role: 'toolbar', 'aria-label': 'Topology' });
const labName = el('span', { id: 'lab-name' }, 'Loading…');
const notice = el('div', { id: 'notice', role: 'status' });
notice.hidden = true;
// The last trace's verdict: its cause and evidence, kept above the diagram while the graph updates under it.
const traceBanner = el('section', { id: 'trace', role: 'status', 'aria-label': 'Trace' });
traceBanner.hidden = true;
const graph = el('div', { id: 'graph', 'aria-label': 'Topology diagram' });
const info = el('div', { id: 'info', 'aria-live': 'polite' });
const splitter = el('div', { id: 'splitter', role: 'separator', 'aria-orientation': 'horizontal', title: 'Drag to resize the capture panes' });
const panes = el('section', { id: 'panes', 'aria-label': 'Captures' });
// The diagram is a canvas: the same nodes as a list, for screen readers and keyboards (and tests).
const nodeList = el('ul', { id: 'node-list', class: 'visually-hidden', 'aria-label': 'Nodes of the diagram' });
splitter.hidden = true;
panes.hidden = true;
// In the page before the diagram is made: cytoscape measures its container.
root.append(toolbar, notice, traceBanner, graph, nodeList, info, splitter, panes);
document.body.append(root);

let lab: LabRef | undefined;
let selected: NodeData | undefined;
let hovering: string | undefined;

const view = new TopologyView(graph, currentPalette(), {
  positions: (positions) => post({ type: 'positions-changed', positions }),
  open: (node) => openCapture(node),
  hover: (text) => {
    hovering = text;
    renderInfo();
  },
  select: (node) => {
    selected = node;
    renderInfo();
    captureButton.toggleAttribute('disabled', !node?.captureIface);
    revealButton.toggleAttribute('disabled', !node?.source);
  },
});

const deck = new PaneDeck(panes, {
  settings: DEFAULT_SETTINGS,
  post,
  traffic: (target) => view.pulse(view.nodesCapturing(target.host, target.iface, target.filter ?? '')),
  shown: (visible) => {
    panes.hidden = !visible;
    splitter.hidden = !visible;
    requestAnimationFrame(() => view.cy.resize());
  },
});

const captureButton = toolButton('capture', 'record', 'Capture on the selected interface', () => selected && openCapture(selected));
// Several interfaces (Ctrl- or Shift-click them in the diagram) in one pane, one timeline; the
// extension asks which, offering the selected ones first.
const mergedButton = toolButton('capture-merged', 'combine', 'Capture on several interfaces in one timeline (Ctrl-click to select them)', () =>
  post({
    type: 'pick-merged',
    selected: view.cy
      .nodes(':selected')
      .map((node) => node.data() as NodeData)
      .filter((data) => data.captureHost && data.captureIface)
      .map((data) => ({ host: data.captureHost!, iface: data.captureIface! })),
  }),
);
const revealButton = toolButton('reveal', 'go-to-file', 'Show the selected node in the lab file', () => selected && post({ type: 'reveal', node: selected.id }));
captureButton.setAttribute('disabled', '');
revealButton.setAttribute('disabled', '');
toolbar.append(
  labName,
  toolButton('zoom-in', 'zoom-in', 'Zoom in', () => view.zoom(1.25)),
  toolButton('zoom-out', 'zoom-out', 'Zoom out', () => view.zoom(0.8)),
  toolButton('fit', 'screen-full', 'Fit the diagram', () => view.fit()),
  toolButton('relayout', 'type-hierarchy', 'Lay out again (forgets the positions you gave)', () => view.relayout()),
  el('span', { class: 'separator' }),
  captureButton,
  mergedButton,
  revealButton,
  el('span', { class: 'separator' }),
  toolButton('export-svg', 'file-code', 'Export as SVG', () => post({ type: 'export', format: 'svg', data: view.svg(lab?.name ?? 'topology') })),
  toolButton('export-png', 'file-media', 'Export as PNG', () => post({ type: 'export', format: 'png', data: view.png() })),
);

function openCapture(node: NodeData): void {
  if (!node.captureHost || !node.captureIface) return;
  const target: CaptureTarget = { host: node.captureHost, iface: node.captureIface, ...(node.captureFilter ? { filter: node.captureFilter } : {}) };
  deck.openPane(target);
}

const STATUS_WORDS: Record<GraphSnapshot['nodes'][number]['status'], string> = { up: 'up', down: 'down', disabled: 'admin down', drifted: 'drifted', unreachable: 'unreachable', missing: 'missing', unknown: 'not read' };

let shownGraph: GraphSnapshot | undefined;

function renderNodeList(snapshot: GraphSnapshot): void {
  shownGraph = snapshot;
  nodeList.replaceChildren(
    ...snapshot.nodes.map((node) => {
      const traced = view.traceBadge(node.id);
      const item = el('li', { 'data-node': node.id, 'data-status': node.status }, `${node.kind} ${node.label}: ${STATUS_WORDS[node.status]}. ${node.info.join(' ')}${traced ? ` Trace: ${traced.replace(/\n/g, ', ')}.` : ''}`);
      if (node.capture) {
        const capture = el('button', { type: 'button', 'data-capture': node.id }, `Capture on ${node.capture.host}:${node.capture.iface}`);
        capture.addEventListener('click', () => {
          const data = view.node(node.id);
          if (data) openCapture(data);
        });
        item.append(' ', capture);
      }
      return item;
    }),
  );
}

function renderInfo(): void {
  const text = hovering ?? (selected ? (selected.info || selected.label).split('\n').join(' ') : '');
  info.textContent = text || 'Click an interface or port to capture on it; drag to arrange; the toolbar zooms, fits and exports.';
}
renderInfo();

// The splitter between diagram and panes.
splitter.addEventListener('pointerdown', (event) => {
  splitter.setPointerCapture(event.pointerId);
  const move = (moved: PointerEvent) => {
    const height = Math.max(120, Math.min(window.innerHeight - 160, window.innerHeight - moved.clientY));
    document.documentElement.style.setProperty('--panes-height', `${height}px`);
  };
  const up = () => {
    splitter.removeEventListener('pointermove', move);
    splitter.removeEventListener('pointerup', up);
    view.cy.resize();
    deck.fitActive();
  };
  splitter.addEventListener('pointermove', move);
  splitter.addEventListener('pointerup', up);
});

// ---------------------------------------------------------------------------------------------
// Messages.

function showNotice(text: string | undefined): void {
  notice.hidden = !text;
  notice.textContent = text ?? '';
}

/** The legend of the trace's marks: a sample of each leg's line beside its words. */
function traceLegend(): HTMLElement {
  const legend = el('p', { class: 'trace-legend' });
  const sample = (kind: string, words: string) => {
    const item = el('span', { class: 'trace-legend-item' });
    item.append(el('span', { class: `trace-swatch ${kind}`, 'aria-hidden': 'true' }), words);
    return item;
  };
  legend.append(
    sample('request', 'request: solid line, filled arrow'),
    sample('reply', 'reply: dashed line, open arrow'),
    sample('lost', 'where it was lost: ending in a bar'),
    el('span', { class: 'trace-legend-item' }, '✔ seen · ✘ not seen · ⚠ not watched'),
  );
  return legend;
}

function renderTrace(banner: TraceBanner | undefined): void {
  traceBanner.hidden = !banner;
  if (!banner) {
    traceBanner.replaceChildren();
    return;
  }
  traceBanner.dataset.verdict = banner.delivered ? 'delivered' : 'lost';
  const close = el('button', { type: 'button', class: 'trace-close', title: 'Clear the trace from the diagram', 'aria-label': 'Clear the trace from the diagram' }, '✕');
  close.addEventListener('click', () => {
    view.showTrace(null);
    renderTrace(undefined);
    if (shownGraph) renderNodeList(shownGraph);
    post({ type: 'clear-trace' });
  });
  const summary = el('p', { class: 'trace-summary' });
  summary.append(el('strong', {}, banner.delivered ? '✔ Delivered.' : '✘ Not delivered.'), ` ${banner.summary}`);
  const parts: HTMLElement[] = [close, summary];
  if (banner.cause) parts.push(el('p', { class: 'trace-cause' }, `Cause: ${banner.cause}`));
  if (banner.evidence.length) {
    const evidence = el('ul', { class: 'trace-evidence', 'aria-label': 'What was measured' });
    evidence.append(...banner.evidence.map((line) => el('li', {}, line)));
    parts.push(evidence);
  }
  if (banner.hint) parts.push(el('p', { class: 'trace-hint' }, `What to do: ${banner.hint}`));
  const legs = el('details', { class: 'trace-legs' });
  legs.append(el('summary', {}, 'Every point of both legs'), ...banner.legs.map((line) => el('p', {}, line)));
  parts.push(legs, traceLegend());
  traceBanner.replaceChildren(...parts);
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'init': {
      lab = message.lab;
      vscode.setState({ key: message.lab.key, file: message.lab.file, name: message.lab.name } satisfies SavedState);
      labName.textContent = message.lab.name;
      labName.title = message.lab.file;
      deck.applySettings(message.settings);
      showNotice(message.graph.notice);
      view.setGraph(message.graph, message.positions);
      renderNodeList(message.graph);
      break;
    }
    case 'graph':
      showNotice(message.graph.notice);
      view.setGraph(message.graph);
      renderNodeList(message.graph);
      break;
    case 'settings':
      deck.applySettings(message.settings);
      break;
    case 'open-capture': {
      const node = view.findDevice(message.target.host, message.target.iface);
      if (node) openCapture(node);
      else deck.openPane(message.target);
      break;
    }
    case 'open-merged':
      deck.openMerged(message.targets);
      break;
    case 'trace':
      view.showTrace(message.trace);
      renderTrace(message.trace?.banner);
      if (shownGraph) renderNodeList(shownGraph);
      break;
    default:
      deck.handle(message);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToWebview(event.data)) {
    post({ type: 'log', level: 'warn', message: `webview: ignored a malformed message ${JSON.stringify(event.data)?.slice(0, 200)}` });
    return;
  }
  try {
    receive(event.data);
  } catch (error) {
    post({ type: 'log', level: 'error', message: `webview: ${(error as Error).stack ?? String(error)}` });
  }
});

window.addEventListener('error', (event) => post({ type: 'log', level: 'error', message: `webview: ${event.message} (${event.filename}:${event.lineno})` }));

onThemeChange(() => {
  view.applyPalette(currentPalette());
  deck.applyTheme();
});

post({ type: 'ready' });
