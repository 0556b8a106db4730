import { strict as assert } from 'node:assert';
import { concreteColour, flatten, luminance, withAlpha } from '../../../src/webview/colours';
import { buildStyle } from '../../../src/webview/cyStyle';
import { readPalette, themeKindOf, type Palette, type ThemeKind } from '../../../src/webview/palette';
import { escapeXml, renderSvg, type SvgNode } from '../../../src/webview/svgExport';

/** A few variables as VS Code's Dark Modern, Light Modern and High Contrast themes set them. */
const THEMES: Record<'dark' | 'light' | 'high-contrast', Record<string, string>> = {
  dark: {
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-border': '#313131',
    '--vscode-disabledForeground': '#cccccc80',
    '--vscode-testing-iconPassed': '#73c991',
    '--vscode-errorForeground': '#f85149',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-font-family': '-apple-system, BlinkMacSystemFont, sans-serif',
  },
  light: {
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)',
  },
  'high-contrast': {
    '--vscode-editor-background': '#000000',
    '--vscode-editor-foreground': '#ffffff',
    '--vscode-contrastBorder': '#6fc3df',
  },
};

const reader = (variables: Record<string, string>) => (name: string) => variables[name] ?? '';

const COLOUR = /^(#[0-9a-f]{6}|rgba?\(\d+,\d+,\d+(,[\d.]+)?\)|[a-z]+)$/;

describe('the diagram in the editor theme', () => {
  describe('colours', () => {
    it('turns VS Code colour values into ones cytoscape parses', () => {
      assert.equal(concreteColour('#1F1F1F', 'x'), '#1f1f1f');
      assert.equal(concreteColour(' #abc ', 'x'), '#aabbcc');
      assert.equal(concreteColour('#cccccc80', 'x'), 'rgba(204,204,204,0.502)');
      assert.equal(concreteColour('#fff8', 'x'), 'rgba(255,255,255,0.533)');
      assert.equal(concreteColour('rgba(97, 97, 97, 0.5)', 'x'), 'rgba(97,97,97,0.5)');
      assert.equal(concreteColour('rgb(1 2 3 / 50%)', 'x'), 'rgba(1,2,3,0.5)');
      assert.equal(concreteColour('rgb(300, 0, 0)', 'x'), 'rgb(255,0,0)');
      assert.equal(concreteColour('red', 'x'), 'red');
    });

    it('falls back on what it cannot use', () => {
      for (const value of ['', '   ', 'var(--vscode-foo)', 'transparent', 'color-mix(in srgb, red, blue)', '#12345', undefined]) assert.equal(concreteColour(value, '#010203'), '#010203', String(value));
    });

    it('lays a translucent colour on the background, and sets opacity', () => {
      assert.equal(flatten('rgba(255,255,255,0.5)', '#000000'), '#808080');
      assert.equal(flatten('#123456', '#000000'), '#123456');
      assert.equal(withAlpha('#ff0000', 0.25), 'rgba(255,0,0,0.25)');
      assert.ok(luminance('#ffffff') > 0.9 && luminance('#000000') < 0.01);
    });
  });

  describe('the palette', () => {
    it('reads the theme kind from the body classes', () => {
      const classes = (...names: string[]) => ({ contains: (name: string) => names.includes(name) });
      assert.equal(themeKindOf(classes('vscode-light')), 'light');
      assert.equal(themeKindOf(classes('vscode-dark')), 'dark');
      assert.equal(themeKindOf(classes('vscode-high-contrast')), 'high-contrast');
      assert.equal(themeKindOf(classes('vscode-high-contrast', 'vscode-high-contrast-light')), 'high-contrast-light');
      assert.equal(themeKindOf(classes()), 'dark');
    });

    it('takes the theme variables, with fallbacks for those a theme leaves unset', () => {
      const dark = readPalette(reader(THEMES.dark), 'dark');
      assert.equal(dark.background, '#1f1f1f');
      assert.equal(dark.up, '#73c991');
      assert.equal(dark.down, '#f85149');
      assert.equal(dark.unknown, '#767676', 'a translucent colour is flattened on the background');
      assert.equal(dark.fontFamily, '-apple-system, BlinkMacSystemFont, sans-serif');
      const light = readPalette(reader(THEMES.light), 'light');
      assert.equal(light.hostFill, '#f8f8f8');
      assert.equal(light.up, '#388a34', 'a light fallback on a light theme');
      const contrast = readPalette(reader(THEMES['high-contrast']), 'high-contrast');
      assert.equal(contrast.border, '#6fc3df', 'high contrast borders use contrastBorder');
    });

    for (const kind of ['dark', 'light', 'high-contrast'] as const) {
      it(`gives a ${kind} theme concrete colours only, with labels that stand out from the background`, () => {
        const palette: Palette = readPalette(reader(THEMES[kind]), kind as ThemeKind);
        for (const [key, value] of Object.entries(palette)) {
          if (key === 'kind' || key === 'fontFamily' || key === 'fontSize') continue;
          assert.match(String(value), COLOUR, `${key}: ${value}`);
        }
        assert.ok(Math.abs(luminance(palette.foreground) - luminance(palette.background)) > 0.4, 'text reads on the background');
      });
    }
  });

  describe('the stylesheet', () => {
    it('uses no CSS variable, only concrete colours', () => {
      for (const kind of ['dark', 'light', 'high-contrast'] as const) {
        for (const rule of buildStyle(readPalette(reader(THEMES[kind]), kind))) {
          for (const [property, value] of Object.entries(rule.style)) {
            assert.ok(!String(value).includes('var('), `${rule.selector} ${property}`);
            if (property.endsWith('color')) assert.match(String(value), COLOUR, `${rule.selector} ${property}: ${value}`);
          }
        }
      }
    });

    it('styles every status, draws tunnels dashed above member edges, and thickens lines in high contrast', () => {
      const rules = buildStyle(readPalette(reader(THEMES.dark), 'dark'));
      const style = (selector: string) => rules.find((rule) => rule.selector === selector)?.style;
      for (const status of ['up', 'down', 'drifted', 'missing', 'unreachable', 'unknown']) assert.ok(style(`node.${status}`), status);
      assert.equal(style('node.missing')?.['border-style'], 'dashed');
      assert.equal(style('node.drifted')?.['border-style'], 'double');
      assert.equal(style('node.unreachable')?.['border-style'], 'dotted');
      assert.equal(style('edge.tunnel')?.['line-style'], 'dashed');
      assert.ok(Number(style('edge.tunnel')?.['z-index']) > Number(style('edge.member')?.['z-index']));
      assert.ok(style('.active'), 'traffic has a style');
      const contrast = buildStyle(readPalette(reader(THEMES['high-contrast']), 'high-contrast'));
      assert.ok(Number(contrast.find((rule) => rule.selector === 'node')?.style['border-width']) > Number(style('node')?.['border-width']));
    });
  });

  describe('SVG export', () => {
    const node = (fields: Partial<SvgNode>): SvgNode => ({
      x: 0,
      y: 0,
      width: 30,
      height: 20,
      shape: 'rect',
      compound: false,
      depth: 0,
      fill: '#1f1f1f',
      stroke: '#73c991',
      strokeWidth: 2,
      strokeStyle: 'solid',
      label: ['eth0'],
      labelAt: 'bottom',
      textColour: '#cccccc',
      ...fields,
    });

    const svg = renderSvg({
      bounds: { x1: -100, y1: -50, x2: 100, y2: 50 },
      background: '#1f1f1f',
      fontFamily: 'Segoe UI, "Helvetica Neue"',
      fontSize: 11,
      title: 'demo & <friends>',
      nodes: [
        node({ label: ['vx0', 'vxlan → ovs-b'], shape: 'diamond', x: 40 }),
        node({ label: ['ovs-a · root@10.213.0.11'], compound: true, width: 180, height: 90, labelAt: 'top', strokeStyle: 'dashed' }),
        node({ label: ['wan'], shape: 'barrel', labelAt: 'center', strokeStyle: 'double', y: 40 }),
      ],
      edges: [
        { x1: 0, y1: 0, x2: 40, y2: 0, stroke: '#b180d7', width: 2.5, dash: [8, 4], label: 'vni 0 · 10.213.100.1 → 10.213.100.2', zIndex: 30, textColour: '#cccccc' },
        { x1: 0, y1: 0, x2: 0, y2: 40, stroke: '#3794ff', width: 2, zIndex: 10, textColour: '#cccccc' },
      ],
    });

    it('is a standalone SVG document sized to the drawing', () => {
      assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'));
      assert.ok(svg.trimEnd().endsWith('</svg>'));
      assert.match(svg, /viewBox="-124 -96 248 170"/);
      assert.ok(svg.includes('<title>demo &amp; &lt;friends&gt;</title>'));
      assert.ok(svg.includes('font-family="Segoe UI, &quot;Helvetica Neue&quot;"'));
    });

    it('draws compounds first, then edges (tunnels last), then nodes with their labels', () => {
      const compound = svg.indexOf('ovs-a · root@10.213.0.11');
      const member = svg.indexOf('stroke="#3794ff"');
      const tunnel = svg.indexOf('stroke="#b180d7"');
      const port = svg.indexOf('>vx0<');
      assert.ok(compound > 0 && compound < member && member < tunnel && tunnel < port, `${compound} ${member} ${tunnel} ${port}`);
      assert.ok(svg.includes('stroke-dasharray="8 4"'));
      assert.ok(svg.includes('vni 0 · 10.213.100.1 → 10.213.100.2'));
      assert.ok(svg.includes('<tspan x="40" y="24">vx0</tspan><tspan x="40" y="37.8">vxlan → ovs-b</tspan>'));
      assert.ok(svg.includes('<polygon points="40,-10 55,0 40,10 25,0"'));
      assert.equal((svg.match(/<rect x="-15" y="30"/g) ?? []).length, 1, 'the barrel');
    });

    it('escapes what it writes', () => {
      assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
      const hostile = renderSvg({ bounds: { x1: 0, y1: 0, x2: 1, y2: 1 }, background: '#000000', fontFamily: 'x', fontSize: 11, nodes: [node({ label: ['<script>alert(1)</script>'] })], edges: [] });
      assert.ok(!hostile.includes('<script>'));
    });
  });
});
