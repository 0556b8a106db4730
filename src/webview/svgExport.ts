// A plain SVG of the diagram as it is drawn: cytoscape has no SVG export, so the webview hands
// over each element's box, colours and label and this writes the document. Compound boxes first
// (outermost first), then edges (tunnels last, above the underlay), then the other nodes. Pure.

export type SvgShape = 'rect' | 'ellipse' | 'diamond' | 'barrel' | 'tag';

export interface SvgNode {
  /** Centre and size. */
  x: number;
  y: number;
  width: number;
  height: number;
  shape: SvgShape;
  compound: boolean;
  /** How deep in compounds: drawn in this order. */
  depth: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
  strokeStyle: 'solid' | 'dashed' | 'dotted' | 'double';
  /** Lines of the label. */
  label: string[];
  labelAt: 'top' | 'bottom' | 'center';
  textColour: string;
  opacity?: number;
}

export interface SvgEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  width: number;
  dash?: number[];
  label?: string;
  zIndex: number;
  textColour: string;
  opacity?: number;
}

export interface SvgDocument {
  /** The drawing's bounds in model coordinates. */
  bounds: { x1: number; y1: number; x2: number; y2: number };
  background: string;
  fontFamily: string;
  fontSize: number;
  nodes: SvgNode[];
  edges: SvgEdge[];
  title?: string;
}

const MARGIN = 24;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function dashOf(style: SvgNode['strokeStyle'], width: number): string {
  if (style === 'dashed') return ` stroke-dasharray="${num(width * 3)} ${num(width * 2)}"`;
  if (style === 'dotted') return ` stroke-dasharray="${num(width)} ${num(width * 1.5)}"`;
  return '';
}

function shapeOf(node: SvgNode, attributes: string): string {
  const { x, y, width: w, height: h } = node;
  const left = x - w / 2;
  const top = y - h / 2;
  switch (node.shape) {
    case 'ellipse':
      return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}"${attributes}/>`;
    case 'diamond':
      return `<polygon points="${num(x)},${num(top)} ${num(left + w)},${num(y)} ${num(x)},${num(top + h)} ${num(left)},${num(y)}"${attributes}/>`;
    case 'barrel':
      return `<rect x="${num(left)}" y="${num(top)}" width="${num(w)}" height="${num(h)}" rx="${num(Math.min(w, h) / 2)}"${attributes}/>`;
    case 'tag':
      return `<polygon points="${num(left)},${num(top)} ${num(left + w * 0.75)},${num(top)} ${num(left + w)},${num(y)} ${num(left + w * 0.75)},${num(top + h)} ${num(left)},${num(top + h)}"${attributes}/>`;
    default:
      return `<rect x="${num(left)}" y="${num(top)}" width="${num(w)}" height="${num(h)}" rx="${num(Math.min(6, h / 4))}"${attributes}/>`;
  }
}

function text(lines: string[], x: number, y: number, anchorTop: boolean, size: number, colour: string, weight = 'normal'): string {
  if (lines.length === 0) return '';
  const lineHeight = size * 1.25;
  // `y` is the first line's baseline when anchorTop, else the last line's.
  const first = anchorTop ? y : y - lineHeight * (lines.length - 1);
  const spans = lines.map((line, i) => `<tspan x="${num(x)}" y="${num(first + i * lineHeight)}">${escapeXml(line)}</tspan>`).join('');
  return `<text text-anchor="middle" font-size="${num(size)}" font-weight="${weight}" fill="${escapeXml(colour)}">${spans}</text>`;
}

function nodeSvg(node: SvgNode, fontSize: number): string {
  const attributes = ` fill="${escapeXml(node.fill)}" stroke="${escapeXml(node.stroke)}" stroke-width="${num(node.strokeWidth)}"${dashOf(node.strokeStyle, node.strokeWidth)}${node.opacity !== undefined && node.opacity < 1 ? ` opacity="${num(node.opacity)}"` : ''}`;
  let shape = shapeOf(node, attributes);
  if (node.strokeStyle === 'double' && node.width > 8 && node.height > 8) {
    const inner = { ...node, width: node.width - node.strokeWidth * 2, height: node.height - node.strokeWidth * 2 };
    shape += shapeOf(inner, ` fill="none" stroke="${escapeXml(node.stroke)}" stroke-width="${num(Math.max(1, node.strokeWidth / 3))}"`);
  }
  const size = node.compound ? fontSize + 1 : fontSize;
  let label: string;
  if (node.labelAt === 'top') label = text(node.label, node.x, node.y - node.height / 2 - 6, false, size, node.textColour, node.compound ? 'bold' : 'normal');
  else if (node.labelAt === 'center') label = text(node.label, node.x, node.y - ((node.label.length - 1) * size * 1.25) / 2 + size * 0.35, true, size, node.textColour);
  else label = text(node.label, node.x, node.y + node.height / 2 + size + 3, true, size, node.textColour);
  return shape + label;
}

function edgeSvg(edge: SvgEdge, fontSize: number, background: string): string {
  const dash = edge.dash?.length ? ` stroke-dasharray="${edge.dash.map(num).join(' ')}"` : '';
  const opacity = edge.opacity !== undefined && edge.opacity < 1 ? ` opacity="${num(edge.opacity)}"` : '';
  const line = `<line x1="${num(edge.x1)}" y1="${num(edge.y1)}" x2="${num(edge.x2)}" y2="${num(edge.y2)}" stroke="${escapeXml(edge.stroke)}" stroke-width="${num(edge.width)}"${dash}${opacity}/>`;
  if (!edge.label) return line;
  const size = fontSize - 1;
  const x = (edge.x1 + edge.x2) / 2;
  const y = (edge.y1 + edge.y2) / 2;
  const width = edge.label.length * size * 0.6 + 6;
  const box = `<rect x="${num(x - width / 2)}" y="${num(y - size * 0.9)}" width="${num(width)}" height="${num(size * 1.5)}" rx="3" fill="${escapeXml(background)}" opacity="0.85"/>`;
  return line + box + text([edge.label], x, y + size * 0.3, true, size, edge.textColour);
}

export function renderSvg(document: SvgDocument): string {
  const { bounds } = document;
  const x = bounds.x1 - MARGIN;
  const y = bounds.y1 - MARGIN - document.fontSize * 2;
  const width = bounds.x2 - bounds.x1 + MARGIN * 2;
  const height = bounds.y2 - bounds.y1 + MARGIN * 2 + document.fontSize * 2;
  const compounds = document.nodes.filter((node) => node.compound).sort((a, b) => a.depth - b.depth);
  const leaves = document.nodes.filter((node) => !node.compound);
  const edges = [...document.edges].sort((a, b) => a.zIndex - b.zIndex);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x)} ${num(y)} ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" font-family="${escapeXml(document.fontFamily)}">`,
    ...(document.title ? [`<title>${escapeXml(document.title)}</title>`] : []),
    `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}" fill="${escapeXml(document.background)}"/>`,
    ...compounds.map((node) => nodeSvg(node, document.fontSize)),
    ...edges.map((edge) => edgeSvg(edge, document.fontSize, document.background)),
    ...leaves.map((node) => nodeSvg(node, document.fontSize)),
    '</svg>',
    '',
  ].join('\n');
}
