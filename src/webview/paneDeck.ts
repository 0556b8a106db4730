// The capture panes under the diagram, one tab each (several at once, on different hosts).
// Closing a tab stops its capture and forgets it.

import { CapturePane, type CaptureMessage } from './capturePane';
import type { CaptureTarget, FromWebview, MergedSource, PanelSettings } from './protocol';

export interface DeckOptions {
  settings: PanelSettings;
  post(message: FromWebview): void;
  traffic(target: CaptureTarget): void;
  /** The deck went from empty to not, or back. */
  shown(visible: boolean): void;
}

interface Tab {
  pane: CapturePane;
  header: HTMLElement;
  panel: HTMLElement;
}

export class PaneDeck {
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private readonly open = new Map<string, Tab>();
  private counter = 0;
  private settings: PanelSettings;

  constructor(
    container: HTMLElement,
    private readonly options: DeckOptions,
  ) {
    this.settings = options.settings;
    this.tabs = document.createElement('vscode-tabs') as unknown as HTMLElement & { selectedIndex: number };
    this.tabs.id = 'pane-tabs';
    this.tabs.addEventListener('vsc-tabs-select', () => requestAnimationFrame(() => this.fitActive()));
    container.append(this.tabs);
    new ResizeObserver(() => this.fitActive()).observe(container);
  }

  get size(): number {
    return this.open.size;
  }

  /** Opens a pane on the target and starts it, or shows the pane already on it. */
  openPane(target: CaptureTarget): CapturePane {
    const existing = [...this.open.values()].find(({ pane }) => !pane.sources && pane.target.host === target.host && pane.target.iface === target.iface && (pane.target.filter ?? '') === (target.filter ?? ''));
    return existing ? this.reopen(existing) : this.add(target);
  }

  /** Opens one merged pane over these interfaces (one timeline), or shows the one already over them. */
  openMerged(sources: MergedSource[]): CapturePane {
    const key = (list: MergedSource[]) => list.map((source) => `${source.host}:${source.iface}`).join(' ');
    const existing = [...this.open.values()].find(({ pane }) => pane.sources && key(pane.sources) === key(sources));
    return existing ? this.reopen(existing) : this.add({ host: sources[0].host, iface: sources[0].iface }, sources);
  }

  private reopen(existing: Tab): CapturePane {
    this.select(existing);
    if (!existing.pane.running) existing.pane.start();
    return existing.pane;
  }

  private add(target: CaptureTarget, sources?: MergedSource[]): CapturePane {
    const id = `p${++this.counter}`;
    const pane = new CapturePane({ id, target, sources, settings: this.settings, post: this.options.post, traffic: this.options.traffic });

    const header = document.createElement('vscode-tab-header');
    header.setAttribute('slot', 'header');
    header.dataset.pane = id;
    if (sources) header.dataset.merged = 'true';
    const title = document.createElement('span');
    title.textContent = pane.label;
    title.title = sources ? `One timeline over ${sources.map((source) => `${source.host}:${source.iface}`).join(', ')}` : target.filter ? `${pane.label} — ${target.filter}` : pane.label;
    const close = document.createElement('span');
    close.className = 'codicon codicon-close tab-close';
    close.setAttribute('role', 'button');
    close.setAttribute('aria-label', `Close ${pane.label}`);
    close.title = 'Close (stops the capture)';
    close.addEventListener('click', (event) => {
      event.stopPropagation();
      this.close(id);
    });
    header.append(title, close);

    const panel = document.createElement('vscode-tab-panel');
    panel.append(pane.element);

    const wasEmpty = this.open.size === 0;
    const tab = { pane, header, panel };
    this.open.set(id, tab);
    this.tabs.append(header, panel);
    if (wasEmpty) this.options.shown(true);
    this.select(tab);
    requestAnimationFrame(() => {
      pane.attach();
      pane.fit();
    });
    pane.start();
    return pane;
  }

  close(id: string): void {
    const tab = this.open.get(id);
    if (!tab) return;
    this.options.post({ type: 'close-capture', id });
    const order = [...this.open.keys()];
    const at = order.indexOf(id);
    this.open.delete(id);
    tab.pane.dispose();
    tab.header.remove();
    tab.panel.remove();
    const next = [...this.open.values()][Math.min(at, this.open.size - 1)];
    if (next) this.select(next);
    else this.options.shown(false);
  }

  handle(message: CaptureMessage): void {
    this.open.get(message.id)?.pane.handle(message);
  }

  applyTheme(): void {
    for (const { pane } of this.open.values()) pane.applyTheme();
  }

  applySettings(settings: PanelSettings): void {
    this.settings = settings;
    for (const { pane } of this.open.values()) pane.applySettings(settings);
  }

  fitActive(): void {
    for (const { pane } of this.open.values()) pane.fit();
  }

  private select(tab: Tab): void {
    const index = [...this.open.values()].indexOf(tab);
    if (index < 0) return;
    this.tabs.selectedIndex = index;
    requestAnimationFrame(() => tab.pane.fit());
  }
}
