// The diagram: cytoscape with compound nodes (hosts hold bridges and interfaces, bridges hold
// ports) laid out by fcose. A new snapshot updates the elements in place, so positions, zoom and
// selection stay; only nodes that have no position yet are laid out. Positions the user gives
// (by dragging) are reported, debounced, for the extension to keep.

import cytoscape, { type Core, type EdgeSingular, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { buildStyle } from './cyStyle';
import { layoutNeed, planUpdate, toElements, type ElementDef, type Existing, type NodeData } from './graphUpdate';
import type { Palette } from './palette';
import type { GraphSnapshot, Positions, TraceOverlay } from './protocol';
import { renderSvg, type SvgEdge, type SvgNode, type SvgShape } from './svgExport';
import { traceDrawing, type TraceNodeRef } from './traceDrawing';

cytoscape.use(fcose);

export interface TopologyEvents {
  /** Positions of leaf nodes that moved (a drag, a layout). */
  positions(positions: Positions): void;
  /** A capturable node was clicked. */
  open(node: NodeData): void;
  /** What the pointer is on (the info bar), or nothing. */
  hover(text: string | undefined): void;
  /** The selected node, or none. */
  select(node: NodeData | undefined): void;
}

const POSITIONS_DELAY_MS = 400;
const ACTIVE_IDLE_MS = 1000;
const BLINK_MS = 450;

interface Activity {
  idle: ReturnType<typeof setTimeout>;
  blink: ReturnType<typeof setInterval>;
}

export class TopologyView {
  readonly cy: Core;
  private positions: Positions = {};
  private unsent: Positions = {};
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly activity = new Map<string, Activity>();
  private palette: Palette;
  private layingOut = false;

  constructor(
    container: HTMLElement,
    palette: Palette,
    private readonly events: TopologyEvents,
  ) {
    this.palette = palette;
    this.cy = cytoscape({
      container,
      elements: [],
      style: buildStyle(palette) as unknown as cytoscape.StylesheetJson,
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('dragfree', 'node', (event) => this.moved(event.target as NodeSingular));
    this.cy.on('tap', 'node', (event) => {
      const node = event.target as NodeSingular;
      if (node.isChildless() && node.data('captureIface')) this.events.open(node.data() as NodeData);
    });
    this.cy.on('select', 'node', (event) => this.events.select((event.target as NodeSingular).data() as NodeData));
    this.cy.on('unselect', 'node', () => {
      if (this.cy.$('node:selected').empty()) this.events.select(undefined);
    });
    this.cy.on('mouseover', 'node, edge', (event) => this.events.hover(describe(event.target as NodeSingular | EdgeSingular)));
    this.cy.on('mouseout', 'node, edge', () => this.events.hover(undefined));
    new ResizeObserver(() => this.cy.resize()).observe(container);
  }

  /** The trace drawn, drawn again on every new snapshot; the words it put under each node's label. */
  private trace: TraceOverlay | null = null;
  private readonly traceBadges = new Map<string, string>();

  /** A new snapshot. `saved` (the first time) are the positions kept for this lab. */
  setGraph(graph: GraphSnapshot, saved?: Positions): void {
    if (saved) this.positions = { ...saved };
    const elements = toElements(graph);
    // The trace's edges are not the graph's: the trace is drawn again below.
    const existing: Existing[] = this.cy.elements().not('edge.trace-leg').map((element) =>
      element.isNode() ? { id: element.id(), parent: element.data('parent') as string | undefined } : { id: element.id(), source: element.data('source') as string, target: element.data('target') as string },
    );
    const firstDraw = existing.length === 0;
    const plan = planUpdate(existing, elements);
    const placedBefore = new Set(this.cy.nodes().filter((node) => node.isChildless()).map((node) => node.id()));

    this.cy.batch(() => {
      for (const id of plan.remove) this.cy.getElementById(id).remove();
      for (const element of plan.update) this.updateElement(element);
      for (const element of plan.add) this.addElement(element);
    });

    // Placed: leaves drawn before, or given a kept position now; the layout leaves them where they are.
    const placed = new Set(
      this.cy
        .nodes()
        .filter((node) => node.isChildless() && (placedBefore.has(node.id()) || this.positions[node.id()] !== undefined))
        .map((node) => node.id()),
    );
    // A graph update resets classes; the trace drawn on it stays.
    this.showTrace(this.trace);
    const need = layoutNeed(graph, this.positions, placed);
    if (need === 'all') this.layout('all');
    else if (need === 'new') this.layout('new', placed);
    else if (firstDraw) this.cy.fit(undefined, 30);
  }

  applyPalette(palette: Palette): void {
    this.palette = palette;
    this.cy.style(buildStyle(palette) as unknown as cytoscape.StylesheetJson);
  }

  zoom(factor: number): void {
    const level = Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), this.cy.zoom() * factor));
    this.cy.zoom({ level, renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } });
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  /** Lays everything out afresh (the toolbar's Re-layout): every position is replaced. */
  relayout(): void {
    this.layout('all');
  }

  /** Traffic on these nodes: they glow and blink until a second passes without any. */
  pulse(ids: Iterable<string>): void {
    for (const id of ids) {
      const node = this.cy.getElementById(id);
      if (node.empty()) continue;
      const current = this.activity.get(id);
      if (current) {
        clearTimeout(current.idle);
        current.idle = setTimeout(() => this.quiet(id), ACTIVE_IDLE_MS);
        continue;
      }
      node.addClass('active');
      this.activity.set(id, {
        idle: setTimeout(() => this.quiet(id), ACTIVE_IDLE_MS),
        blink: setInterval(() => this.cy.getElementById(id).toggleClass('blink'), BLINK_MS),
      });
    }
  }

  /**
   * A trace's verdict: both legs as edges of their own style, each capture point marked seen or
   * not (with words under its label), the place of loss; the rest of the graph's edges fade
   * behind them. Null clears it.
   */
  showTrace(trace: TraceOverlay | null): void {
    this.trace = trace;
    this.traceBadges.clear();
    this.cy.batch(() => {
      this.cy.remove('edge.trace-leg');
      this.cy.nodes().removeClass(TRACE_NODE_CLASSES).removeData('traceDisplay');
      this.cy.edges().removeClass('trace-dim');
      if (!trace) return;
      const refs: TraceNodeRef[] = this.cy.nodes().map((node) => {
        const data = node.data() as NodeData;
        return { id: data.id, kind: data.kind, host: data.host, label: data.label, captureIface: data.captureIface };
      });
      const drawing = traceDrawing(trace, refs);
      for (const mark of drawing.nodes) {
        const node = this.cy.getElementById(mark.id);
        node.addClass(mark.classes.join(' '));
        this.traceBadges.set(mark.id, mark.badge);
        node.data('traceDisplay', `${String(node.data('display') ?? '')}\n${mark.badge}`);
      }
      this.cy.edges().addClass('trace-dim');
      for (const edge of drawing.edges) {
        this.cy.add({ group: 'edges', data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label, info: edge.info, kind: 'trace' }, classes: edge.classes.join(' ') });
      }
    });
  }

  /** The words the trace put under a node's label ("request ✔ · reply ✘"), for the node list. */
  traceBadge(id: string): string | undefined {
    return this.traceBadges.get(id);
  }

  node(id: string): NodeData | undefined {
    const node = this.cy.getElementById(id);
    return node.nonempty() && node.isNode() ? (node.data() as NodeData) : undefined;
  }

  /**
   * Nodes whose traffic a capture sees: the device's own node (no filter of its own), and a
   * tunnel port whose capture is this device with the very filter running.
   */
  nodesCapturing(host: string, iface: string, filter: string): string[] {
    return this.cy
      .nodes()
      .filter((node) => node.data('captureHost') === host && node.data('captureIface') === iface && (!node.data('captureFilter') || node.data('captureFilter') === filter))
      .map((node) => node.id());
  }

  /** A node whose own name is this device on this host (for the tree's Capture command). */
  findDevice(host: string, name: string): NodeData | undefined {
    const node = this.cy.nodes().filter((candidate) => candidate.data('host') === host && candidate.data('label') === name && candidate.data('captureIface') !== undefined);
    return node.nonempty() ? (node.first().data() as NodeData) : undefined;
  }

  png(): string {
    return this.cy.png({ output: 'base64uri', full: true, scale: 2, bg: this.palette.background });
  }

  svg(title: string): string {
    const nodes: SvgNode[] = this.cy.nodes(':visible').map((node) => svgNode(node));
    const edges: SvgEdge[] = this.cy.edges(':visible').map((edge) => svgEdge(edge));
    const box = this.cy.elements().boundingBox({ includeLabels: true });
    return renderSvg({
      bounds: { x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2 },
      background: this.palette.background,
      fontFamily: this.palette.fontFamily,
      fontSize: this.palette.fontSize,
      nodes,
      edges,
      title,
    });
  }

  private updateElement(element: ElementDef): void {
    const current = this.cy.getElementById(element.data.id);
    const old = current.data() as Record<string, unknown>;
    const gone = Object.keys(old).filter((key) => !(key in element.data) && key !== 'id' && key !== 'parent' && key !== 'source' && key !== 'target');
    if (gone.length) current.removeData(gone.join(' '));
    current.data(element.data);
    const active = current.hasClass('active');
    const blink = current.hasClass('blink');
    current.classes(element.classes);
    if (active) current.addClass('active');
    if (blink) current.addClass('blink');
  }

  private addElement(element: ElementDef): void {
    if (element.group === 'edges') {
      this.cy.add({ group: 'edges', data: element.data, classes: element.classes });
      return;
    }
    const saved = this.positions[element.data.id];
    const position = saved ?? this.nearSiblings(element.data.parent);
    this.cy.add({ group: 'nodes', data: element.data, classes: element.classes, position: { ...position } });
  }

  /** Where a node with no position starts: beside what its parent already holds, else the view's centre. */
  private nearSiblings(parent: string | undefined): { x: number; y: number } {
    const holder = parent ? this.cy.getElementById(parent) : undefined;
    if (holder && holder.nonempty() && holder.children().nonempty()) {
      const box = holder.children().boundingBox({});
      return { x: box.x2 + 40, y: (box.y1 + box.y2) / 2 };
    }
    const extent = this.cy.extent();
    return { x: (extent.x1 + extent.x2) / 2 + (Math.random() - 0.5) * 40, y: (extent.y1 + extent.y2) / 2 + (Math.random() - 0.5) * 40 };
  }

  private layout(mode: 'all' | 'new', placed: ReadonlySet<string> = new Set()): void {
    if (this.layingOut) return;
    this.layingOut = true;
    const fixed = [...placed].map((id) => ({ nodeId: id, position: { ...this.cy.getElementById(id).position() } }));
    const options = {
      name: 'fcose',
      quality: mode === 'all' ? 'default' : 'proof',
      randomize: mode === 'all',
      animate: mode === 'new',
      animationDuration: 300,
      fit: mode === 'all',
      padding: 30,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: 9000,
      idealEdgeLength: 90,
      nestingFactor: 0.6,
      tile: true,
      ...(mode === 'new' && fixed.length ? { fixedNodeConstraint: fixed } : {}),
    };
    const layout = this.cy.layout(options as unknown as cytoscape.LayoutOptions);
    layout.one('layoutstop', () => {
      this.layingOut = false;
      // fcose keeps fixed nodes where they were up to their label's offset: put them back exactly.
      this.cy.batch(() => {
        for (const { nodeId, position } of fixed) this.cy.getElementById(nodeId).position(position);
      });
      const leaves = this.cy.nodes().filter((node) => node.isChildless() && (mode === 'all' || !placed.has(node.id())));
      this.record(leaves.map((node) => node as NodeSingular));
      this.flush();
    });
    layout.run();
  }

  private moved(node: NodeSingular): void {
    // Dragging a compound moves everything it holds.
    const leaves = node.isChildless() ? [node] : node.descendants().filter((child) => child.isChildless()).map((child) => child as NodeSingular);
    this.record(leaves);
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => this.flush(), POSITIONS_DELAY_MS);
  }

  private record(nodes: NodeSingular[]): void {
    for (const node of nodes) {
      const { x, y } = node.position();
      const point = { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
      this.positions[node.id()] = point;
      this.unsent[node.id()] = point;
    }
  }

  private flush(): void {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = undefined;
    if (Object.keys(this.unsent).length === 0) return;
    this.events.positions(this.unsent);
    this.unsent = {};
  }

  private quiet(id: string): void {
    const current = this.activity.get(id);
    if (!current) return;
    clearTimeout(current.idle);
    clearInterval(current.blink);
    this.activity.delete(id);
    this.cy.getElementById(id).removeClass('active blink');
  }

  dispose(): void {
    this.flush();
    for (const id of [...this.activity.keys()]) this.quiet(id);
    this.cy.destroy();
  }
}

function describe(element: NodeSingular | EdgeSingular): string {
  const info = String(element.data('info') ?? '');
  return info.split('\n').filter(Boolean).join(' ');
}

const TRACE_NODE_CLASSES = 'trace-seen trace-missed trace-partial trace-unwatched trace-break';

const SHAPES: Record<string, SvgShape> = { ellipse: 'ellipse', diamond: 'diamond', barrel: 'barrel', 'round-tag': 'tag', tag: 'tag' };

function svgNode(node: NodeSingular): SvgNode {
  const box = node.boundingBox({ includeLabels: false, includeOverlays: false } as cytoscape.BoundingBoxOptions);
  const compound = node.isParent();
  const width = parseFloat(node.style('border-width')) || 0;
  const borderStyle = String(node.style('border-style'));
  return {
    x: (box.x1 + box.x2) / 2,
    y: (box.y1 + box.y2) / 2,
    width: Math.max(1, box.w - width),
    height: Math.max(1, box.h - width),
    shape: compound ? 'rect' : (SHAPES[String(node.style('shape'))] ?? 'rect'),
    compound,
    depth: node.ancestors().length,
    fill: String(node.style('background-color')),
    stroke: String(node.style('border-color')),
    strokeWidth: width,
    strokeStyle: borderStyle === 'dashed' || borderStyle === 'dotted' || borderStyle === 'double' ? borderStyle : 'solid',
    label: String(node.data('traceDisplay') ?? node.data('display') ?? '').split('\n'),
    labelAt: compound ? 'top' : node.hasClass('segment') ? 'center' : 'bottom',
    textColour: String(node.style('color')),
    opacity: Number(node.style('background-opacity')) < 1 ? 0.6 : undefined,
  };
}

function svgEdge(edge: EdgeSingular): SvgEdge {
  const source = edge.sourceEndpoint();
  const target = edge.targetEndpoint();
  const dashed = String(edge.style('line-style')) === 'dashed';
  const pattern = edge.hasClass('geneve') ? [3, 4] : edge.hasClass('gre') ? [12, 3, 2, 3] : [8, 4];
  return {
    x1: source.x,
    y1: source.y,
    x2: target.x,
    y2: target.y,
    stroke: String(edge.style('line-color')),
    width: parseFloat(edge.style('width')) || 1,
    dash: dashed ? pattern : undefined,
    label: String(edge.data('label') ?? '') || undefined,
    zIndex: Number(edge.style('z-index')) || 0,
    textColour: String(edge.style('color')),
    opacity: Number(edge.style('opacity')) < 1 ? Number(edge.style('opacity')) : undefined,
  };
}
