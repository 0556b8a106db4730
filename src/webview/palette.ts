// The diagram's colours, each from a VS Code theme variable with a fallback, as concrete values.
// Pure: `read` is handed the variable reader (getComputedStyle in the webview, a table in tests).

import { concreteColour, flatten } from './colours';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Palette {
  kind: ThemeKind;
  background: string;
  foreground: string;
  muted: string;
  border: string;
  hostFill: string;
  bridgeFill: string;
  nodeFill: string;
  focus: string;
  up: string;
  down: string;
  warning: string;
  unknown: string;
  tunnel: string;
  segment: string;
  underlay: string;
  active: string;
  fontFamily: string;
  fontSize: number;
}

/** Reads a CSS variable, '' when unset. */
export type VariableReader = (name: string) => string;

/** The first of these variables that is set, as a concrete colour, else the fallback. */
function pick(read: VariableReader, names: string[], fallback: string): string {
  for (const name of names) {
    const value = read(name).trim();
    if (value) return concreteColour(value, fallback);
  }
  return fallback;
}

export function readPalette(read: VariableReader, kind: ThemeKind): Palette {
  const light = kind === 'light' || kind === 'high-contrast-light';
  const contrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const background = pick(read, ['--vscode-editor-background'], light ? '#ffffff' : '#1e1e1e');
  const foreground = pick(read, ['--vscode-editor-foreground', '--vscode-foreground'], light ? '#3b3b3b' : '#cccccc');
  const opaque = (colour: string) => flatten(colour, background);
  return {
    kind,
    background,
    foreground,
    muted: opaque(pick(read, ['--vscode-descriptionForeground'], light ? '#717171' : '#9d9d9d')),
    border: opaque(contrast ? pick(read, ['--vscode-contrastBorder'], light ? '#0f4a85' : '#6fc3df') : pick(read, ['--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border'], light ? '#c8c8c8' : '#454545')),
    hostFill: opaque(pick(read, ['--vscode-sideBar-background', '--vscode-editorWidget-background'], light ? '#f3f3f3' : '#252526')),
    bridgeFill: opaque(pick(read, ['--vscode-editorWidget-background', '--vscode-input-background'], light ? '#f8f8f8' : '#2d2d30')),
    nodeFill: background,
    focus: opaque(pick(read, ['--vscode-focusBorder'], light ? '#0090f1' : '#007fd4')),
    up: opaque(pick(read, ['--vscode-testing-iconPassed', '--vscode-charts-green'], light ? '#388a34' : '#73c991')),
    down: opaque(pick(read, ['--vscode-errorForeground', '--vscode-testing-iconFailed'], light ? '#a1260d' : '#f48771')),
    warning: opaque(pick(read, ['--vscode-editorWarning-foreground', '--vscode-problemsWarningIcon-foreground'], light ? '#bf8803' : '#cca700')),
    unknown: opaque(pick(read, ['--vscode-disabledForeground', '--vscode-descriptionForeground'], light ? '#616161' : '#8b8b8b')),
    tunnel: opaque(pick(read, ['--vscode-charts-purple'], light ? '#652d90' : '#b180d7')),
    segment: opaque(pick(read, ['--vscode-charts-blue'], light ? '#1a85ff' : '#3794ff')),
    underlay: opaque(pick(read, ['--vscode-charts-orange'], light ? '#d18616' : '#d18616')),
    active: opaque(pick(read, ['--vscode-charts-yellow', '--vscode-focusBorder'], light ? '#bf8803' : '#cca700')),
    fontFamily: read('--vscode-font-family').trim() || 'system-ui, sans-serif',
    fontSize: 11,
  };
}

/** The theme kind from the body's classes, as VS Code sets them. */
export function themeKindOf(classes: { contains(name: string): boolean }): ThemeKind {
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}
