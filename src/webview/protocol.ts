// Every message between the topology panel (extension host) and its webview (browser bundle).
// Both bundles import this file, so it imports nothing: plain types, limits and checks.
//
// The extension trusts nothing that comes from the webview: `parseWebviewMessage` checks the
// shape of each message and, given the graph the webview was sent, that the hosts, interfaces
// and nodes it names are in that graph. A message that fails is ignored (and logged) by the caller.

// ---------------------------------------------------------------------------------------------
// The graph.

export type NodeKind = 'host' | 'bridge' | 'port' | 'iface' | 'segment' | 'remote';

/**
 * What is known of a node from the hosts' live state: `unknown` not read yet (or its host could
 * not be read), `missing` declared but absent, `drifted` there but not as declared, `down` there
 * and not forwarding (no carrier, or in error), `disabled` there and administratively down,
 * `unreachable` a host that could not be reached or read.
 */
export type NodeStatus = 'up' | 'down' | 'disabled' | 'drifted' | 'unreachable' | 'missing' | 'unknown';
export const NODE_STATUSES: readonly NodeStatus[] = ['up', 'down', 'disabled', 'drifted', 'unreachable', 'missing', 'unknown'];

/** Where a capture on a node runs: the device, and a filter to start with (a tunnel port's outer packets). */
export interface CaptureTarget {
  host: string;
  iface: string;
  filter?: string;
}

/** 1-based, as the lab file's diagnostics give them. */
export interface SourcePlace {
  line: number;
  col: number;
}

export interface GraphNode {
  /** Stable across snapshots: `host:ovs-a`, `bridge:ovs-a/br0`, `port:ovs-a/br0/vx0`, `iface:ovs-a/eth0`, `segment:wan`, `remote:192.0.2.9`. */
  id: string;
  kind: NodeKind;
  label: string;
  /** The compound node holding it (a host holds bridges and interfaces, a bridge its ports). */
  parent?: string;
  /** A short second line: addresses, tunnel type and peer. */
  detail?: string;
  status: NodeStatus;
  /** The kind, the status, then flags (`tunnel`, `internal`, `patch`, `underlay`, `implicit`, `busy`). */
  classes: string[];
  /** Plain sentences shown when the node is pointed at: what it is, what is wrong. */
  info: string[];
  host?: string;
  capture?: CaptureTarget;
  /** Where the lab file declares it. */
  source?: SourcePlace;
}

export type EdgeKind = 'tunnel' | 'member';

export interface GraphEdge {
  /** `tunnel:ovs-a/vx0~ovs-b/vx0`, `member:wan/ovs-a/eth0`. */
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  label?: string;
  status: NodeStatus;
  classes: string[];
  info: string[];
  /** For a tunnel: the underlay segment it rides on (`segment:wan`), drawn beneath it. */
  underlay?: string;
}

export interface GraphSnapshot {
  /** The lab's name. */
  lab: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Said above the diagram: the file has errors and this is its last valid version, say. */
  notice?: string;
}

export interface Point {
  x: number;
  y: number;
}

/** Positions of leaf nodes by id (compound nodes follow their children). */
export type Positions = Record<string, Point>;

/** Editor settings the webview cannot read itself. Colours it reads from the theme's CSS variables. */
export interface PanelSettings {
  terminalFontFamily: string;
  terminalFontSize: number;
  terminalLineHeight: number;
  scrollback: number;
}

export interface LabRef {
  /** The lab file's URI string: what the panel and its saved state are keyed by. */
  key: string;
  file: string;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Captures.

export type FrameClass = 'arp' | 'icmp' | 'icmp6' | 'ip' | 'ipv6' | 'vxlan' | 'geneve' | 'other';
export const FRAME_CLASSES: readonly FrameClass[] = ['arp', 'icmp', 'icmp6', 'ip', 'ipv6', 'vxlan', 'geneve', 'other'];

/**
 * One frame of tcpdump output, parsed by the extension. The same classes as src/capture/types.ts.
 * `encapsulated` says this frame was carried inside a tunnel (an inner frame), not that it
 * carries one: a VXLAN frame is best sent as its outer line (class `vxlan`) and its inner frame
 * (the inner class, `encapsulated: true`); a `text` of two lines is shown that way too.
 */
export interface FrameLine {
  /** tcpdump's line; after its timestamp when `time` is given (the pane prints the time its own way). */
  text: string;
  class: FrameClass;
  encapsulated: boolean;
  /** The frame's time, whole µs since the epoch: the host's clock, or in a merged pane this machine's (corrected). */
  time?: number;
  /** In a merged pane: the index of the `host:iface` (of `merged-started`'s sources) it came from. */
  source?: number;
}

/**
 * A batch's lines as they travel to the pane: columns of plain values, not an object a line.
 * Every message is serialized by the extension host, parsed by the workbench and cloned into
 * the webview twice; under a flood that per-line object cost was the largest share of the
 * page's time spent on capture messages (and the garbage its collector had to sweep).
 */
export interface PackedLines {
  texts: string[];
  /** Per line: the index of its class in FRAME_CLASSES, times two, plus one when encapsulated. */
  kinds: number[];
  /** Per line: its time (µs since the epoch), or -1 when it has none. */
  times: number[];
  /** Per line, in a merged pane: its source's index (-1: none). */
  sources?: number[];
}

export function packLines(lines: readonly FrameLine[]): PackedLines {
  const texts: string[] = new Array<string>(lines.length);
  const kinds: number[] = new Array<number>(lines.length);
  const times: number[] = new Array<number>(lines.length);
  let sources: number[] | undefined;
  lines.forEach((line, index) => {
    texts[index] = line.text;
    const known = FRAME_CLASSES.indexOf(line.class);
    kinds[index] = (known >= 0 ? known : FRAME_CLASSES.indexOf('other')) * 2 + (line.encapsulated ? 1 : 0);
    times[index] = line.time ?? -1;
    if (line.source !== undefined) {
      sources ??= new Array<number>(lines.length).fill(-1);
      sources[index] = line.source;
    }
  });
  return sources ? { texts, kinds, times, sources } : { texts, kinds, times };
}

export function unpackLines(packed: PackedLines): FrameLine[] {
  return packed.texts.map((text, index) => {
    const kind = packed.kinds[index];
    const line: FrameLine = { text, class: FRAME_CLASSES[kind >> 1] ?? 'other', encapsulated: (kind & 1) === 1 };
    if (packed.times[index] >= 0) line.time = packed.times[index];
    const source = packed.sources?.[index];
    if (source !== undefined && source >= 0) line.source = source;
    return line;
  });
}

function isPackedLines(value: unknown): value is PackedLines {
  if (!isRecord(value) || !Array.isArray(value.texts) || !Array.isArray(value.kinds) || !Array.isArray(value.times)) return false;
  const count = value.texts.length;
  return value.kinds.length === count && value.times.length === count && (value.sources === undefined || (Array.isArray(value.sources) && value.sources.length === count));
}

/** One interface of a merged pane, and its host's clock against this machine's once measured. */
export interface MergedSource {
  host: string;
  iface: string;
}

export interface SourceClock {
  host: string;
  /** Host clock minus this machine's, µs; absent when it could not be read (`problem` says why). */
  offsetUs?: number;
  /** Half the shortest round trip, µs: the offset is right to within this. */
  boundUs?: number;
  /** The lines are moved by the offset (it exceeds its bound); else they keep the host's time. */
  corrected?: boolean;
  problem?: string;
}

export interface CaptureSummary {
  packets: number;
  /** Why it ended, in words (`stopped`, `connection lost`, tcpdump's exit status). */
  reason?: string;
}

/** A trace's two legs: the request, and the answer on its way back. */
export type TraceLeg = 'request' | 'reply';

/** One capture point of a leg, in path order. */
export interface TracePoint {
  host: string;
  iface: string;
  seen: boolean;
  count: number;
  encapsulated: boolean;
  /** Why the point could not be watched; absent when it was. */
  error?: string;
}

/** What the banner above the diagram says: the verdict, the cause with its evidence, what to do. */
export interface TraceBanner {
  delivered: boolean;
  /** One line: "test-a:eth2 → 10.213.50.12: lost on the reply leg (ICMP echo) at test-a:eth2: host-firewall, proved." */
  summary: string;
  /** "host-firewall, proved: the host received the frame and its firewall dropped it." */
  cause?: string;
  /** What was measured, with the values seen. */
  evidence: string[];
  /** The first thing to do about it. */
  hint?: string;
  /** Each leg's points in words ("request (ICMP echo): test-a:eth2 ✔ 1, …"), for those who do not see the diagram. */
  legs: string[];
}

/**
 * A trace's verdict drawn on the diagram: the probe drawn (the one lost, else the last ping
 * sent), each leg's points seen or not, the place of loss with its leg, and the banner's words.
 */
export interface TraceOverlay {
  probe: 'arp' | 'icmp';
  request: TracePoint[];
  reply: TracePoint[];
  lostBetween?: { leg: TraceLeg; from: { host: string; iface: string }; to: { host: string; iface: string }; segment?: string };
  banner: TraceBanner;
}

// ---------------------------------------------------------------------------------------------
// Extension → webview.

export type ToWebview =
  | { type: 'init'; lab: LabRef; graph: GraphSnapshot; positions: Positions; settings: PanelSettings }
  | { type: 'graph'; graph: GraphSnapshot }
  | { type: 'settings'; settings: PanelSettings }
  /** Open (or focus) a capture pane on this target: the tree's "Capture" command. */
  | { type: 'open-capture'; target: CaptureTarget }
  | { type: 'capture-started'; id: string; run: number; host: string; iface: string; filter: string }
  | { type: 'capture-listening'; id: string; run: number }
  | { type: 'capture-batch'; id: string; run: number; lines: PackedLines; packets: number; rate: number; skipped: number }
  | { type: 'capture-error'; id: string; run: number; message: string }
  | { type: 'capture-ended'; id: string; run: number; summary: CaptureSummary }
  /** Draw a trace's verdict (null clears it). */
  | { type: 'trace'; trace: TraceOverlay | null }
  /** Open a merged pane over these interfaces (the "Capture on Several Interfaces" command). */
  | { type: 'open-merged'; targets: MergedSource[] }
  /** A merged pane's run has begun; its batches' lines name their source by index into `sources`. */
  | { type: 'merged-started'; id: string; run: number; sources: MergedSource[]; filter: string }
  /** Each host's clock, measured before the merged pane's tcpdumps start. */
  | { type: 'merged-clocks'; id: string; run: number; clocks: SourceClock[] };

export type ToWebviewType = ToWebview['type'];

const TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set<ToWebviewType>([
  'init',
  'graph',
  'settings',
  'open-capture',
  'capture-started',
  'capture-listening',
  'capture-batch',
  'capture-error',
  'capture-ended',
  'trace',
  'open-merged',
  'merged-started',
  'merged-clocks',
]);

/** The webview's check of what the extension posts: a known type with the fields it reads. */
export function isToWebview(value: unknown): value is ToWebview {
  if (!isRecord(value) || typeof value.type !== 'string' || !TO_WEBVIEW_TYPES.has(value.type)) return false;
  switch (value.type as ToWebviewType) {
    case 'init':
      return isRecord(value.lab) && isGraph(value.graph) && isRecord(value.positions) && isRecord(value.settings);
    case 'graph':
      return isGraph(value.graph);
    case 'settings':
      return isRecord(value.settings);
    case 'open-capture':
      return isRecord(value.target) && typeof value.target.host === 'string' && typeof value.target.iface === 'string';
    case 'capture-started':
      return isRun(value) && typeof value.host === 'string' && typeof value.iface === 'string' && typeof value.filter === 'string';
    case 'capture-listening':
      return isRun(value);
    case 'capture-batch':
      return isRun(value) && isPackedLines(value.lines) && isCount(value.packets) && typeof value.rate === 'number' && isCount(value.skipped);
    case 'capture-error':
      return isRun(value) && typeof value.message === 'string';
    case 'capture-ended':
      return isRun(value) && isRecord(value.summary) && isCount(value.summary.packets);
    case 'trace':
      return value.trace === null || isTraceOverlay(value.trace);
    case 'open-merged':
      return isSources(value.targets);
    case 'merged-started':
      return isRun(value) && isSources(value.sources) && typeof value.filter === 'string';
    case 'merged-clocks':
      return isRun(value) && Array.isArray(value.clocks) && value.clocks.every((clock) => isRecord(clock) && typeof clock.host === 'string');
  }
}

function isSources(value: unknown): value is MergedSource[] {
  return Array.isArray(value) && value.length > 0 && value.every((source) => isRecord(source) && typeof source.host === 'string' && typeof source.iface === 'string');
}

function isTraceOverlay(value: unknown): value is TraceOverlay {
  if (!isRecord(value) || !Array.isArray(value.request) || !Array.isArray(value.reply) || !isRecord(value.banner)) return false;
  const banner = value.banner;
  return typeof banner.delivered === 'boolean' && typeof banner.summary === 'string' && Array.isArray(banner.evidence) && Array.isArray(banner.legs);
}

function isGraph(value: unknown): value is GraphSnapshot {
  return isRecord(value) && typeof value.lab === 'string' && Array.isArray(value.nodes) && Array.isArray(value.edges);
}

function isRun(value: Record<string, unknown>): boolean {
  return isPaneId(value.id) && isCount(value.run);
}

// ---------------------------------------------------------------------------------------------
// Webview → extension.

export type ExportFormat = 'svg' | 'png';

export type FromWebview =
  /** The webview is listening: the extension answers with `init`. */
  | { type: 'ready' }
  /** Positions of the nodes the user moved (or the layout placed), to keep for this lab. */
  | { type: 'positions-changed'; positions: Positions }
  /** `id` is the pane's, chosen by the webview; a start on a pane that runs restarts it. */
  | { type: 'start-capture'; id: string; host: string; iface: string; filter: string }
  | { type: 'stop-capture'; id: string }
  /** The pane closed: stop its capture and forget it (its pcap included). */
  | { type: 'close-capture'; id: string }
  /** Restart the pane's capture with this filter (Enter in its filter field). */
  | { type: 'set-filter'; id: string; filter: string }
  | { type: 'save-pcap'; id: string }
  /** Start (or restart) a merged pane over these interfaces, all with one filter. Save on it writes one pcapng. */
  | { type: 'start-merged'; id: string; targets: MergedSource[]; filter: string }
  /** The toolbar's merged capture: the extension asks which interfaces (these offered first), then sends `open-merged`. */
  | { type: 'pick-merged'; selected: MergedSource[] }
  /** `data`: the SVG text, or the PNG as a `data:image/png;base64,` URI. */
  | { type: 'export'; format: ExportFormat; data: string }
  /** Show where the lab file declares this node. */
  | { type: 'reveal'; node: string }
  /** The user cleared the trace from the diagram: it is not drawn again when the page reloads. */
  | { type: 'clear-trace' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type FromWebviewType = FromWebview['type'];

export const LIMITS = {
  paneId: /^[A-Za-z0-9_-]{1,64}$/,
  filterLength: 1024,
  /** Bytes of an export (an SVG, or a PNG's base64 text). */
  exportLength: 32 * 1024 * 1024,
  positions: 10_000,
  coordinate: 1e7,
  logLength: 4000,
  nodeIdLength: 512,
  /** Interfaces of one merged pane. */
  mergedSources: 32,
} as const;

/** What a webview message may name: the graph it was last sent. */
export interface MessageScope {
  /** Capture targets: host → interfaces. */
  targets: ReadonlyMap<string, ReadonlySet<string>>;
  /** Node ids of the graph. */
  nodes: ReadonlySet<string>;
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

/**
 * Checks a message from the webview: its type, every field's type and size, and (with a scope)
 * that the hosts, interfaces and nodes it names are in the graph. Positions of nodes that are
 * not in the graph are left out rather than refused (a snapshot may have replaced it meanwhile).
 */
export function parseWebviewMessage(value: unknown, scope?: MessageScope): Parsed<FromWebview> {
  if (!isRecord(value)) return fail('not an object');
  const type = value.type;
  switch (type) {
    case 'ready':
    case 'clear-trace':
      return { ok: true, message: { type } };
    case 'positions-changed': {
      const positions = parsePositions(value.positions, scope?.nodes);
      return positions.ok ? { ok: true, message: { type, positions: positions.message } } : positions;
    }
    case 'start-capture': {
      if (!isPaneId(value.id)) return fail('start-capture: bad pane id');
      if (typeof value.host !== 'string' || typeof value.iface !== 'string') return fail('start-capture: host and iface must be strings');
      const filter = parseFilter(value.filter);
      if (!filter.ok) return filter;
      if (scope && !scope.targets.get(value.host)?.has(value.iface)) return fail(`start-capture: ${value.host}:${value.iface} is not an interface of the lab`);
      return { ok: true, message: { type, id: value.id, host: value.host, iface: value.iface, filter: filter.message } };
    }
    case 'start-merged': {
      if (!isPaneId(value.id)) return fail('start-merged: bad pane id');
      const targets = parseSources(value.targets, scope, 'start-merged', 1);
      if (!targets.ok) return targets;
      const filter = parseFilter(value.filter);
      if (!filter.ok) return filter;
      return { ok: true, message: { type, id: value.id, targets: targets.message, filter: filter.message } };
    }
    case 'pick-merged': {
      const selected = parseSources(value.selected, scope, 'pick-merged', 0);
      return selected.ok ? { ok: true, message: { type, selected: selected.message } } : selected;
    }
    case 'set-filter': {
      if (!isPaneId(value.id)) return fail('set-filter: bad pane id');
      const filter = parseFilter(value.filter);
      return filter.ok ? { ok: true, message: { type, id: value.id, filter: filter.message } } : filter;
    }
    case 'stop-capture':
    case 'close-capture':
    case 'save-pcap':
      return isPaneId(value.id) ? { ok: true, message: { type, id: value.id } } : fail(`${type}: bad pane id`);
    case 'export': {
      if (value.format !== 'svg' && value.format !== 'png') return fail('export: format must be svg or png');
      if (typeof value.data !== 'string' || value.data.length === 0 || value.data.length > LIMITS.exportLength) return fail('export: data must be a string of at most 32 MiB');
      if (value.format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(value.data)) return fail('export: png data must be a base64 data URI');
      if (value.format === 'svg' && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(value.data)) return fail('export: svg data must be an SVG document');
      return { ok: true, message: { type, format: value.format, data: value.data } };
    }
    case 'reveal': {
      if (typeof value.node !== 'string' || value.node.length > LIMITS.nodeIdLength) return fail('reveal: node must be a node id');
      if (scope && !scope.nodes.has(value.node)) return fail(`reveal: no node ${value.node}`);
      return { ok: true, message: { type, node: value.node } };
    }
    case 'log': {
      if (value.level !== 'info' && value.level !== 'warn' && value.level !== 'error') return fail('log: bad level');
      if (typeof value.message !== 'string') return fail('log: message must be a string');
      return { ok: true, message: { type, level: value.level, message: value.message.slice(0, LIMITS.logLength) } };
    }
    default:
      return fail(`unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`);
  }
}

export function isPaneId(value: unknown): value is string {
  return typeof value === 'string' && LIMITS.paneId.test(value);
}

/** Interfaces a merged pane names: each in the graph, none twice, at most LIMITS.mergedSources. */
function parseSources(value: unknown, scope: MessageScope | undefined, type: string, least: number): Parsed<MergedSource[]> {
  if (!Array.isArray(value) || value.length < least || value.length > LIMITS.mergedSources) return fail(`${type}: targets must be a list of ${least} to ${LIMITS.mergedSources} interfaces`);
  const seen = new Set<string>();
  const sources: MergedSource[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.host !== 'string' || typeof item.iface !== 'string') return fail(`${type}: each target is a host and an iface`);
    if (scope && !scope.targets.get(item.host)?.has(item.iface)) return fail(`${type}: ${item.host.slice(0, 80)}:${item.iface.slice(0, 40)} is not an interface of the lab`);
    const key = `${item.host}:${item.iface}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push({ host: item.host, iface: item.iface });
  }
  return { ok: true, message: sources };
}

/** A BPF filter as the user typed it: one line of printable text (tcpdump gets it as one argument). */
function parseFilter(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail('filter must be a string');
  if (value.length > LIMITS.filterLength) return fail(`filter is longer than ${LIMITS.filterLength} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return fail('filter holds control characters');
  return { ok: true, message: value.trim() };
}

function parsePositions(value: unknown, nodes: ReadonlySet<string> | undefined): Parsed<Positions> {
  if (!isRecord(value)) return fail('positions must be an object');
  const entries = Object.entries(value);
  if (entries.length > LIMITS.positions) return fail('too many positions');
  const positions: Positions = {};
  for (const [id, point] of entries) {
    if (!isRecord(point) || !isCoordinate(point.x) || !isCoordinate(point.y)) return fail(`positions: ${id.slice(0, 80)} is not a point`);
    if (id.length > LIMITS.nodeIdLength || id === '__proto__') return fail('positions: bad node id');
    if (nodes && !nodes.has(id)) continue;
    positions[id] = { x: point.x, y: point.y };
  }
  return { ok: true, message: positions };
}

function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < LIMITS.coordinate;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** The scope a graph gives: its capture targets and its node ids. */
export function scopeOfGraph(graph: GraphSnapshot): MessageScope {
  const targets = new Map<string, Set<string>>();
  for (const node of graph.nodes) {
    if (!node.capture) continue;
    const set = targets.get(node.capture.host) ?? new Set<string>();
    set.add(node.capture.iface);
    targets.set(node.capture.host, set);
  }
  return { targets, nodes: new Set(graph.nodes.map((node) => node.id)) };
}
