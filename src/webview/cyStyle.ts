// The diagram's cytoscape stylesheet, built from the theme's palette (concrete colours only:
// cytoscape draws on a canvas and cannot read CSS variables). Rebuilt whenever the theme
// changes. Status is never told by colour alone: missing is dashed, drifted double, unreachable
// dotted, disabled (admin down) greyed out, and the label says the word.

import { flatten, withAlpha } from './colours';
import type { Palette } from './palette';

export type StyleValue = string | number | number[];
export interface StyleRule {
  selector: string;
  style: Record<string, StyleValue>;
}

export function buildStyle(palette: Palette): StyleRule[] {
  const contrast = palette.kind === 'high-contrast' || palette.kind === 'high-contrast-light';
  const border = contrast ? 3 : 2;
  const tint = (colour: string, alpha: number) => flatten(withAlpha(colour, alpha), palette.background);
  return [
    {
      selector: 'core',
      style: { 'selection-box-color': palette.focus, 'selection-box-border-color': palette.focus, 'selection-box-opacity': 0.2, 'active-bg-color': palette.focus, 'active-bg-opacity': 0.15 },
    },
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        'font-family': palette.fontFamily,
        'font-size': palette.fontSize,
        'font-weight': contrast ? 'bold' : 'normal',
        color: palette.foreground,
        'text-wrap': 'wrap',
        'text-max-width': '180px',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'background-color': palette.nodeFill,
        'border-width': border,
        'border-color': palette.unknown,
        'border-style': 'solid',
        shape: 'round-rectangle',
        width: 30,
        height: 22,
      },
    },
    {
      selector: 'node:parent',
      style: {
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'padding-top': '14px',
        'padding-bottom': '14px',
        'padding-left': '14px',
        'padding-right': '14px',
        'background-opacity': 1,
      },
    },
    { selector: 'node.host', style: { 'background-color': palette.hostFill, 'border-color': palette.border, 'font-weight': 'bold', 'font-size': palette.fontSize + 1 } },
    { selector: 'node.bridge', style: { 'background-color': palette.bridgeFill, 'border-color': palette.border, shape: 'round-rectangle' } },
    { selector: 'node.port', style: { shape: 'ellipse', width: 22, height: 22 } },
    { selector: 'node.port.tunnel', style: { shape: 'diamond', width: 28, height: 28, 'background-color': tint(palette.tunnel, 0.3) } },
    { selector: 'node.port.internal', style: { shape: 'round-rectangle', width: 22, height: 16 } },
    { selector: 'node.port.patch', style: { shape: 'round-triangle' } },
    { selector: 'node.iface', style: { shape: 'round-rectangle', width: 30, height: 20 } },
    { selector: 'node.iface.underlay, node.bridge.underlay', style: { 'background-color': tint(palette.underlay, 0.18) } },
    {
      selector: 'node.segment',
      style: {
        shape: 'barrel',
        width: 150,
        height: 44,
        'text-valign': 'center',
        'text-margin-y': 0,
        'text-max-width': '140px',
        'background-color': tint(palette.segment, 0.18),
        'border-color': palette.segment,
      },
    },
    { selector: 'node.segment.underlay', style: { 'background-color': tint(palette.underlay, 0.2), 'border-color': palette.underlay } },
    { selector: 'node.remote', style: { shape: 'round-tag', width: 34, height: 24, 'border-style': 'dashed', 'border-color': palette.tunnel } },

    // Status: colour and a line style, so that it reads without colour too.
    { selector: 'node.up', style: { 'border-color': palette.up } },
    { selector: 'node.host.up, node.bridge.up', style: { 'border-color': palette.border } },
    { selector: 'node.down', style: { 'border-color': palette.down, 'border-width': border + 1 } },
    { selector: 'node.drifted', style: { 'border-color': palette.warning, 'border-style': 'double', 'border-width': border + 2 } },
    { selector: 'node.missing', style: { 'border-color': palette.warning, 'border-style': 'dashed', 'border-width': border + 1, 'background-opacity': 0.4 } },
    { selector: 'node.unreachable', style: { 'border-color': palette.down, 'border-style': 'dotted', 'border-width': border + 2 } },
    { selector: 'node.disabled', style: { 'border-color': palette.unknown, 'border-style': 'dashed', color: palette.muted, 'background-opacity': 0.5 } },
    { selector: 'node.unknown', style: { 'border-color': palette.unknown, color: palette.muted } },
    { selector: 'node.segment.unknown', style: { 'border-color': palette.segment } },
    { selector: 'node.segment.underlay.unknown', style: { 'border-color': palette.underlay } },
    { selector: 'node.busy', style: { 'underlay-color': palette.focus, 'underlay-opacity': 0.12, 'underlay-padding': 6 } },

    {
      selector: 'edge',
      style: {
        width: contrast ? 3 : 2,
        'curve-style': 'bezier',
        'line-color': palette.segment,
        label: 'data(label)',
        'font-family': palette.fontFamily,
        'font-size': palette.fontSize - 1,
        color: palette.foreground,
        'text-background-color': palette.background,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'round-rectangle',
        'text-wrap': 'wrap',
      },
    },
    { selector: 'edge.member', style: { 'z-index': 10, 'line-color': palette.segment } },
    { selector: 'edge.member.underlay', style: { 'line-color': palette.underlay, width: contrast ? 4 : 3 } },
    { selector: 'edge.member.missing, edge.member.down', style: { 'line-style': 'dashed', 'line-color': palette.down } },
    { selector: 'edge.member.disabled', style: { 'line-style': 'dashed', 'line-color': palette.unknown } },
    { selector: 'edge.member.unknown', style: { opacity: 0.7 } },
    // Tunnels are drawn above the underlay they ride on.
    { selector: 'edge.tunnel', style: { 'z-index': 30, 'line-style': 'dashed', 'line-dash-pattern': [8, 4], 'line-color': palette.tunnel, width: contrast ? 3.5 : 2.5 } },
    { selector: 'edge.tunnel.geneve', style: { 'line-dash-pattern': [3, 4] } },
    { selector: 'edge.tunnel.gre', style: { 'line-dash-pattern': [12, 3, 2, 3] } },
    { selector: 'edge.tunnel.down', style: { 'line-color': palette.down } },
    { selector: 'edge.tunnel.disabled', style: { 'line-color': palette.unknown } },
    { selector: 'edge.tunnel.missing, edge.tunnel.drifted', style: { 'line-color': palette.warning } },
    { selector: 'edge.tunnel.unknown', style: { opacity: 0.75 } },
    { selector: 'edge.tunnel.unpaired', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': palette.tunnel, 'arrow-scale': 0.8 } },

    // Traffic seen by a capture: a glow that blinks while packets flow.
    { selector: '.active', style: { 'underlay-color': palette.active, 'underlay-opacity': 0.55, 'underlay-padding': 7, 'underlay-shape': 'ellipse' } },
    { selector: '.active.blink', style: { 'underlay-opacity': 0.2 } },
    // A trace: each capture point seen on every leg it is on (solid), on none (dashed), on some
    // (solid, warning colour), not watched (dotted), the place of loss haloed; the words under
    // the label say which leg saw it. The request leg is a solid line with a triangle, the reply
    // a dashed line with a vee; the hop of loss is drawn in the error colour, ending in a bar.
    // The graph's own edges fade behind the path.
    { selector: 'node[traceDisplay]', style: { label: 'data(traceDisplay)' } },
    { selector: 'node.trace-seen', style: { 'border-color': palette.up, 'border-width': 4, 'border-style': 'solid' } },
    { selector: 'node.trace-partial', style: { 'border-color': palette.warning, 'border-width': 4, 'border-style': 'solid' } },
    { selector: 'node.trace-missed', style: { 'border-color': palette.down, 'border-width': 4, 'border-style': 'dashed' } },
    { selector: 'node.trace-unwatched', style: { 'border-style': 'dotted' } },
    { selector: 'node.trace-break', style: { 'overlay-color': palette.down, 'overlay-opacity': 0.25, 'overlay-padding': 8 } },
    { selector: 'edge.trace-dim', style: { opacity: 0.3 } },
    {
      selector: 'edge.trace-leg',
      style: {
        'z-index': 40,
        width: contrast ? 5 : 4,
        'curve-style': 'bezier',
        'control-point-step-size': 30,
        'arrow-scale': 1.2,
        'font-weight': 'bold',
        'text-rotation': 'autorotate',
        'text-margin-y': -8,
      },
    },
    { selector: 'edge.trace-request', style: { 'line-color': palette.focus, 'target-arrow-color': palette.focus, 'target-arrow-shape': 'triangle', 'line-style': 'solid', color: palette.foreground } },
    { selector: 'edge.trace-reply', style: { 'line-color': palette.active, 'target-arrow-color': palette.active, 'target-arrow-shape': 'vee', 'line-style': 'dashed', 'line-dash-pattern': [7, 4], color: palette.foreground } },
    { selector: 'edge.trace-unreached', style: { opacity: 0.45, width: contrast ? 3 : 2 } },
    { selector: 'edge.trace-lost', style: { 'line-color': palette.down, 'target-arrow-color': palette.down, 'target-arrow-shape': 'tee', color: palette.down, width: contrast ? 6 : 5 } },
    { selector: ':selected', style: { 'overlay-color': palette.focus, 'overlay-opacity': 0.18, 'overlay-padding': 4 } },
    { selector: 'node:selected', style: { 'border-color': palette.focus } },
  ];
}
