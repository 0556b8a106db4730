// A trace drawn on the diagram, as plain data: which node stands for each capture point, how each
// node is marked (seen on every leg it is on, on none, on some; not watched; the place of loss),
// the words added under its label, and the edges of both legs in path order (the request's and
// the reply's, each its own style; the hop where the frame was lost marked with its leg). Pure:
// the webview applies it to cytoscape.

import type { NodeKind, TraceLeg, TraceOverlay, TracePoint } from './protocol';

/** What a node of the diagram offers for finding a capture point on it. */
export interface TraceNodeRef {
  id: string;
  kind: NodeKind;
  host?: string;
  label: string;
  captureIface?: string;
}

export interface TraceNodeMark {
  id: string;
  /** `trace-seen`, `trace-missed` or `trace-partial`; `trace-unwatched`; `trace-break`. */
  classes: string[];
  /** Words under the node's label: "request ✔ · reply ✘", "✘ lost here (reply)". */
  badge: string;
}

export interface TraceEdgeDef {
  id: string;
  source: string;
  target: string;
  leg: TraceLeg;
  /** `trace-leg`, `trace-request` or `trace-reply`, and `trace-reached`, `trace-unreached` or `trace-lost`. */
  classes: string[];
  /** The leg's name on its first hop, "✘ lost (reply)" on the hop of loss, else empty. */
  label: string;
  /** Said when the pointer is on it. */
  info: string;
}

export interface TraceDrawing {
  nodes: TraceNodeMark[];
  edges: TraceEdgeDef[];
}

const LEGS: readonly TraceLeg[] = ['request', 'reply'];
/** A port stands for the device before an interface of that name, and both before a bridge's own. */
const KIND_ORDER: Partial<Record<NodeKind, number>> = { port: 0, iface: 1, bridge: 2 };

/** The node that stands for `host:iface`: the one device of that name on that host that can be captured on. */
export function pointNode(nodes: readonly TraceNodeRef[], host: string, iface: string): string | undefined {
  const candidates = nodes.filter((node) => node.host === host && node.label === iface && node.captureIface !== undefined && KIND_ORDER[node.kind] !== undefined);
  candidates.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
  return candidates[0]?.id;
}

const same = (point: TracePoint, end: { host: string; iface: string }) => point.host === end.host && point.iface === end.iface;
const named = (point: TracePoint) => `${point.host}:${point.iface}`;

export function traceDrawing(trace: TraceOverlay, nodes: readonly TraceNodeRef[]): TraceDrawing {
  const lost = trace.lostBetween;
  const lostAtOnePoint = lost !== undefined && lost.from.host === lost.to.host && lost.from.iface === lost.to.iface;
  const marks = new Map<string, { legs: { leg: TraceLeg; point: TracePoint }[]; breakLeg?: TraceLeg }>();
  const edges: TraceEdgeDef[] = [];

  for (const leg of LEGS) {
    const placed = trace[leg].flatMap((point) => {
      const id = pointNode(nodes, point.host, point.iface);
      return id ? [{ id, point }] : [];
    });
    for (const { id, point } of placed) {
      const mark = marks.get(id) ?? { legs: [] };
      mark.legs.push({ leg, point });
      if (lost?.leg === leg && same(point, lost.to)) mark.breakLeg = leg;
      marks.set(id, mark);
    }
    let labelled = false;
    placed.forEach((to, index) => {
      const from = placed[index - 1];
      if (!from || from.id === to.id) return;
      const isLost = !lostAtOnePoint && lost?.leg === leg && same(to.point, lost.to);
      const state = isLost ? 'trace-lost' : to.point.seen ? 'trace-reached' : 'trace-unreached';
      const label = isLost ? `✘ lost (${leg})` : labelled ? '' : leg;
      labelled = true;
      const fate = isLost ? `lost here${lost?.segment ? ` (${lost.segment})` : ''}` : to.point.error ? `${named(to.point)} could not be watched` : to.point.seen ? `seen at ${named(to.point)}` : `not seen at ${named(to.point)}`;
      edges.push({
        id: `trace:${leg}:${index}`,
        source: from.id,
        target: to.id,
        leg,
        classes: ['trace-leg', `trace-${leg}`, state],
        label,
        info: `The ${leg} leg, ${named(from.point)} → ${named(to.point)}: ${fate}.`,
      });
    });
  }

  const drawn: TraceNodeMark[] = [...marks].map(([id, mark]) => {
    const watched = mark.legs.filter(({ point }) => !point.error);
    const seen = watched.filter(({ point }) => point.seen).length;
    const classes = [seen === watched.length && watched.length > 0 ? 'trace-seen' : seen === 0 ? 'trace-missed' : 'trace-partial'];
    if (watched.length < mark.legs.length) classes.push('trace-unwatched');
    if (mark.breakLeg) classes.push('trace-break');
    const words = mark.legs.map(({ leg, point }) => `${leg} ${point.error ? '⚠ not watched' : point.seen ? '✔' : '✘'}`);
    const badge = [words.join(' · '), mark.breakLeg && lostAtOnePoint ? `✘ lost here (${mark.breakLeg})` : ''].filter(Boolean).join('\n');
    return { id, classes, badge };
  });
  return { nodes: drawn, edges };
}
