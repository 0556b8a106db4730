// The panel against a stand-in `vscode` (given to topologyPanel.ts alone) and a fake webview:
// the ready handshake, graphs that follow the lab, messages checked before anything is done,
// captures routed by pane and stopped with the panel.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabState } from '../../../src/hosts/types';
import { LabWorkspace } from '../../../src/session/labWorkspace';
import type { CaptureBackend, CaptureHandle, CaptureRequest } from '../../../src/views/topology/captureBackend';
import type { FromWebview, ToWebview } from '../../../src/webview/protocol';
import { ManualClock } from '../../support/manualClock';
import { configuredStates, DEMO_FILE, labState, ok } from '../views/hostStates';

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T) {
    for (const listener of [...this.listeners]) listener(value);
  }
  get size() {
    return this.listeners.size;
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(text: string) {
    const match = /^([a-z]+):\/\/(.*)$/.exec(text);
    return new Uri(match?.[1] ?? 'file', match?.[2] ?? text);
  }
  static joinPath(base: Uri, ...parts: string[]) {
    return new Uri(base.scheme, [base.path, ...parts].join('/'));
  }
  get fsPath() {
    return this.path;
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}

const SETTINGS = { 'terminal.integrated.fontFamily': 'Fira Code', 'terminal.integrated.fontSize': 13, 'editor.fontFamily': 'Menlo' };
const configurationChanged = new Emitter<{ affectsConfiguration(section: string): boolean }>();
/** What the quick pick answers: by default, the items that came ticked. */
let quickPick: (items: { label: string; picked?: boolean }[]) => unknown = (items) => items.filter((item) => item.picked);

const stub = {
  Uri,
  ViewColumn: { Active: -1, Beside: -2 },
  ProgressLocation: { Notification: 15 },
  Position: class {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  },
  Range: class {
    constructor(
      readonly start: unknown,
      readonly end: unknown,
    ) {}
  },
  window: {
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showQuickPick: async (items: { label: string; picked?: boolean }[]) => quickPick(items),
  },
  workspace: {
    onDidChangeConfiguration: configurationChanged.event,
    getConfiguration: (section: string) => ({
      get: (key: string) => (SETTINGS as Record<string, unknown>)[`${section}.${key}`],
    }),
    workspaceFolders: [],
  },
};

// Only the module under test gets the stand-in; every other module keeps whatever it has.
const internals = Module as unknown as { _load: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => unknown };
const load = internals._load;
internals._load = function (request, parent, ...rest) {
  const from = parent?.filename?.replace(/\\/g, '/') ?? '';
  if (request === 'vscode' && (from.endsWith('/views/topology/topologyPanel.ts') || from.endsWith('/commands/mergedCapturePick.ts'))) return stub;
  return load.call(this, request, parent, ...rest);
};
const { TopologyPanel } = require('../../../src/views/topology/topologyPanel') as typeof import('../../../src/views/topology/topologyPanel');

class FakeWebview {
  readonly posted: ToWebview[] = [];
  readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  html = '';
  options: unknown;
  cspSource = 'vscode-webview://csp';
  asWebviewUri(uri: Uri) {
    return new Uri('vscode-webview', uri.path);
  }
  async postMessage(message: ToWebview) {
    this.posted.push(message);
    return true;
  }
  /** What the webview says, as the panel hears it. */
  async say(message: FromWebview | unknown) {
    this.received.fire(message);
    await sleep(0);
  }
  of<T extends ToWebview['type']>(type: T): Extract<ToWebview, { type: T }>[] {
    return this.posted.filter((message): message is Extract<ToWebview, { type: T }> => message.type === type);
  }
}

class FakePanel {
  readonly webview = new FakeWebview();
  readonly disposed = new Emitter<void>();
  readonly onDidDispose = this.disposed.event;
  title = '';
  iconPath: unknown;
  revealed = 0;
  reveal() {
    this.revealed++;
  }
  dispose() {
    this.disposed.fire();
  }
}

class FakeLive {
  state: LabState | undefined;
  readonly changed = new Emitter<{ key: string; hosts?: string[] }>();
  readonly onDidChange = this.changed.event;
  get(_key: string) {
    return this.state ? { key: _key, state: this.state, reading: new Set<string>() } : undefined;
  }
  hostsOf() {
    return {};
  }
}

class FakeBackend implements CaptureBackend {
  readonly requests: CaptureRequest[] = [];
  stopped = 0;
  start(request: CaptureRequest): CaptureHandle {
    this.requests.push(request);
    return { id: `c${this.requests.length}`, onFrames: () => undefined, onListening: () => undefined, onError: () => undefined, onEnd: () => undefined, stop: () => void this.stopped++, savePcap: async () => undefined, release: () => undefined };
  }
}

const KEY = 'file:///ws/demo.lab.yaml';

function setup(options: { loaded?: boolean } = {}) {
  const workspace = new LabWorkspace();
  if (options.loaded !== false) workspace.update(KEY, '/ws/demo.lab.yaml', readFileSync(DEMO_FILE, 'utf8'));
  const live = new FakeLive();
  const backend = new FakeBackend();
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`), debug: () => undefined };
  const panel = new FakePanel();
  const memento = new Map<string, unknown>();
  const context = { extensionUri: Uri.parse('file:///ext'), workspaceState: { get: (key: string) => memento.get(key), update: async (key: string, value: unknown) => void memento.set(key, value) } };
  let forgotten = 0;
  const clock = new ManualClock();
  const topology = new TopologyPanel(panel as never, KEY, context as never, { session: { workspace } as never, live: live as never, log: log as never, captures: backend, clock }, () => forgotten++);
  return { workspace, live, backend, logs, panel, webview: panel.webview, topology, memento, clock, forgotten: () => forgotten };
}

describe('the topology panel', () => {
  after(() => {
    internals._load = load;
  });

  it('serves a page with a strict policy, scripts and styles from dist and media only', () => {
    const { webview, panel } = setup();
    assert.match(webview.html, /script-src 'nonce-[A-Za-z0-9]+'/);
    assert.ok(webview.html.includes('src="vscode-webview:///ext/dist/webview.js"'));
    assert.ok(webview.html.includes('href="vscode-webview:///ext/dist/codicons/codicon.css"'));
    assert.ok(webview.html.includes('href="vscode-webview:///ext/media/topology/topology.css"'));
    const options = webview.options as { enableScripts: boolean; localResourceRoots: Uri[] };
    assert.equal(options.enableScripts, true);
    assert.deepEqual(
      options.localResourceRoots.map(String),
      ['file:///ext/dist', 'file:///ext/media'],
    );
    assert.equal(panel.title, 'Topology: demo');
  });

  it('posts nothing before the webview is ready, then init with the graph, saved positions and the terminal font', async () => {
    const { webview, live, memento, clock } = setup();
    memento.set(`overlayLab.topology.positions:${KEY}`, { 'port:ovs-a/br0/vx0': { x: 10, y: 20 } });
    live.changed.fire({ key: KEY });
    clock.advance(100);
    assert.deepEqual(webview.posted, []);
    await webview.say({ type: 'ready' });
    const [init] = webview.of('init');
    assert.ok(init);
    assert.deepEqual(init.lab, { key: KEY, file: '/ws/demo.lab.yaml', name: 'demo' });
    assert.ok(init.graph.nodes.some((node) => node.id === 'port:ovs-a/br0/vx0'));
    assert.deepEqual(init.positions, { 'port:ovs-a/br0/vx0': { x: 10, y: 20 } });
    assert.equal(init.settings.terminalFontFamily, 'Fira Code');
    assert.equal(init.settings.terminalFontSize, 13);
  });

  it('posts a new graph when the live state changes, once per burst', async () => {
    const { webview, live, workspace, clock } = setup();
    await webview.say({ type: 'ready' });
    const lab = workspace.get(KEY)!.result.lab!;
    live.state = labState(lab, { 'ovs-a': ok(configuredStates()['ovs-a']) });
    live.changed.fire({ key: KEY, hosts: ['ovs-a'] });
    live.changed.fire({ key: KEY, hosts: ['ovs-a'] });
    live.changed.fire({ key: 'file:///ws/other.lab.yaml' });
    clock.advance(99);
    assert.equal(webview.of('graph').length, 0, 'held for the rest of the burst');
    clock.advance(1);
    const graphs = webview.of('graph');
    assert.equal(graphs.length, 1);
    assert.equal(graphs[0].graph.nodes.find((node) => node.id === 'host:ovs-a')?.status, 'up');
  });

  it('follows edits of the lab file, and keeps the last valid version while the file has errors', async () => {
    const { webview, workspace, panel, clock } = setup();
    await webview.say({ type: 'ready' });
    workspace.update(KEY, '/ws/demo.lab.yaml', readFileSync(DEMO_FILE, 'utf8').replace('name: demo', 'name: demo2'));
    clock.advance(100);
    assert.equal(webview.of('graph').at(-1)?.graph.lab, 'demo2');
    assert.equal(panel.title, 'Topology: demo2');
    workspace.update(KEY, '/ws/demo.lab.yaml', 'version: 1\nname: [broken');
    clock.advance(100);
    const last = webview.of('graph').at(-1)!.graph;
    assert.equal(last.lab, 'demo2');
    assert.match(last.notice ?? '', /errors: this is its last valid version/);
  });

  it('waits for a lab file not read yet', async () => {
    const { webview, workspace, clock } = setup({ loaded: false });
    await webview.say({ type: 'ready' });
    assert.match(webview.of('init')[0].graph.notice ?? '', /Waiting for the lab file/);
    workspace.update(KEY, '/ws/demo.lab.yaml', readFileSync(DEMO_FILE, 'utf8'));
    clock.advance(100);
    assert.equal(webview.of('graph').at(-1)?.graph.notice, undefined);
  });

  it('ignores and logs malformed messages and names not in the lab', async () => {
    const { webview, backend, logs } = setup();
    await webview.say({ type: 'ready' });
    await webview.say({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth7', filter: '' });
    await webview.say({ type: 'start-capture', id: 'p1', host: 'nowhere', iface: 'eth0', filter: '' });
    await webview.say({ type: 'drop-tables' });
    await webview.say('ready');
    assert.deepEqual(backend.requests, []);
    assert.equal(logs.filter((line) => line.startsWith('warn') && line.includes('ignored a message from the webview')).length, 4);
  });

  it('starts, restarts and stops captures by pane', async () => {
    const { webview, backend } = setup();
    await webview.say({ type: 'ready' });
    await webview.say({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789' });
    assert.equal(backend.requests[0].lab.name, 'demo');
    assert.deepEqual({ ...backend.requests[0], lab: undefined }, { lab: undefined, host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789' });
    assert.deepEqual(webview.of('capture-started')[0], { type: 'capture-started', id: 'p1', run: 1, host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789' });
    await webview.say({ type: 'set-filter', id: 'p1', filter: 'icmp' });
    assert.equal(backend.stopped, 1);
    assert.equal(backend.requests[1].filter, 'icmp');
    await webview.say({ type: 'close-capture', id: 'p1' });
    assert.equal(backend.stopped, 2);
  });

  it('stops the captures of a reloaded webview, and all of them when the panel closes', async () => {
    const { webview, backend, panel, forgotten, live } = setup();
    await webview.say({ type: 'ready' });
    await webview.say({ type: 'start-capture', id: 'p1', host: 'ovs-a', iface: 'eth0', filter: '' });
    await webview.say({ type: 'ready' });
    assert.equal(backend.stopped, 1);
    await webview.say({ type: 'start-capture', id: 'p1', host: 'ovs-b', iface: 'eth0', filter: '' });
    await webview.say({ type: 'start-capture', id: 'p2', host: 'test-a', iface: 'eth2', filter: '' });
    const following = configurationChanged.size;
    panel.dispose();
    assert.equal(backend.stopped, 3);
    assert.equal(forgotten(), 1);
    assert.equal(live.changed.size, 0, 'no longer follows the live state');
    assert.equal(configurationChanged.size, following - 1, 'nor the settings');
  });

  it('keeps the positions the webview reports', async () => {
    const { webview, memento } = setup();
    await webview.say({ type: 'ready' });
    await webview.say({ type: 'positions-changed', positions: { 'segment:wan': { x: 1, y: 2 }, 'segment:gone': { x: 3, y: 4 } } });
    assert.deepEqual(memento.get(`overlayLab.topology.positions:${KEY}`), { 'segment:wan': { x: 1, y: 2 } });
  });

  it('holds a capture asked for before the webview is ready, and captures an OVS tunnel port on its underlay as the diagram does', async () => {
    const { webview, topology } = setup();
    topology.openCapture({ host: 'ovs-a', iface: 'vx0' });
    topology.openCapture({ host: 'ovs-a', iface: 'eth2' });
    assert.deepEqual(webview.posted, []);
    await webview.say({ type: 'ready' });
    assert.deepEqual(webview.of('open-capture'), [
      { type: 'open-capture', target: { host: 'ovs-a', iface: 'eth0', filter: 'udp port 4789 and host 10.213.100.2' } },
      { type: 'open-capture', target: { host: 'ovs-a', iface: 'eth2' } },
    ]);
  });

  it('sends the terminal font again when the settings change', async () => {
    const { webview } = setup();
    await webview.say({ type: 'ready' });
    configurationChanged.fire({ affectsConfiguration: (section) => section === 'terminal.integrated' });
    assert.equal(webview.of('settings').length, 1);
    configurationChanged.fire({ affectsConfiguration: () => false });
    assert.equal(webview.of('settings').length, 1);
  });
});
