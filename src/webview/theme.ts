// The editor's theme as the webview sees it: VS Code sets `--vscode-*` variables on the root
// element and a `vscode-light` / `vscode-dark` / `vscode-high-contrast` class on the body, and
// changes both when the user switches theme. Canvas drawing (cytoscape) and xterm.js need
// concrete colours, so they are read here and re-applied on every change.

import type { ITheme } from '@xterm/xterm';
import { concreteColour } from './colours';
import { readPalette, themeKindOf, type Palette } from './palette';

export function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name);
}

export function currentPalette(): Palette {
  return readPalette(cssVariable, themeKindOf(document.body.classList));
}

const ANSI = ['Black', 'Red', 'Green', 'Yellow', 'Blue', 'Magenta', 'Cyan', 'White'] as const;

/** The integrated terminal's colours (`terminal.*`), falling back to the panel's and the editor's. */
export function terminalTheme(): ITheme {
  const kind = themeKindOf(document.body.classList);
  const light = kind === 'light' || kind === 'high-contrast-light';
  const first = (names: string[], fallback: string) => {
    for (const name of names) {
      const value = cssVariable(name).trim();
      if (value) return concreteColour(value, fallback);
    }
    return fallback;
  };
  const background = first(['--vscode-terminal-background', '--vscode-panel-background', '--vscode-editor-background'], light ? '#ffffff' : '#1e1e1e');
  const foreground = first(['--vscode-terminal-foreground', '--vscode-editor-foreground'], light ? '#333333' : '#cccccc');
  const theme: ITheme = {
    background,
    foreground,
    cursor: first(['--vscode-terminalCursor-foreground'], foreground),
    cursorAccent: first(['--vscode-terminalCursor-background'], background),
    selectionBackground: first(['--vscode-terminal-selectionBackground', '--vscode-editor-selectionBackground'], light ? 'rgba(0,96,192,0.25)' : 'rgba(38,79,120,0.8)'),
    selectionInactiveBackground: first(['--vscode-terminal-inactiveSelectionBackground', '--vscode-editor-inactiveSelectionBackground'], light ? 'rgba(0,96,192,0.15)' : 'rgba(58,61,65,0.8)'),
  };
  const record = theme as Record<string, string>;
  for (const colour of ANSI) {
    const normal = colour.toLowerCase();
    const value = cssVariable(`--vscode-terminal-ansi${colour}`).trim();
    if (value) record[normal] = concreteColour(value, '');
    const bright = cssVariable(`--vscode-terminal-ansiBright${colour}`).trim();
    if (bright) record[`bright${colour}`] = concreteColour(bright, '');
  }
  for (const key of Object.keys(record)) if (!record[key]) delete record[key];
  return theme;
}

/**
 * Calls `changed` after the theme changes (the body's class, or the root's variables), at most
 * once per frame. Returns the function that stops watching.
 */
export function onThemeChange(changed: () => void): () => void {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      changed();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
