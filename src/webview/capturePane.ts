// One capture pane: a read-only xterm.js terminal with the capture's lines coloured by class, a
// BPF filter field (Enter restarts the capture with it), start/stop, pause (rendering stops,
// counting does not), clear, save as pcap, and a status line (state, packets, rate, held and
// skipped lines). The extension runs the capture; the pane only asks and shows.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { frameLines, noticeLine, skippedNotice } from './ansi';
import { LineFlow } from './flowControl';
import type { CaptureTarget, FromWebview, PanelSettings, ToWebview } from './protocol';
import { terminalTheme } from './theme';

export type CaptureMessage = Extract<ToWebview, { type: `capture-${string}` }>;

type PaneState = 'idle' | 'starting' | 'listening' | 'ended' | 'failed';

export interface PaneOptions {
  id: string;
  target: CaptureTarget;
  settings: PanelSettings;
  post(message: FromWebview): void;
  /** Packets arrived: the diagram lights the nodes this capture watches (with the filter it runs). */
  traffic(target: CaptureTarget): void;
}

export class CapturePane {
  readonly element: HTMLElement;
  readonly id: string;
  readonly target: CaptureTarget;
  private readonly terminal: Terminal;
  private readonly fitAddon = new FitAddon();
  private readonly flow: LineFlow;
  private readonly filterField: HTMLElement & { value: string };
  private readonly startButton: HTMLElement;
  private readonly pauseButton: HTMLElement;
  private readonly saveButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly screen: HTMLElement;
  private state: PaneState = 'idle';
  /** The run of the capture this pane shows; messages of earlier runs are late and ignored. */
  private run = -1;
  private packets = 0;
  private rate = 0;
  private skipped = 0;
  private filter: string;
  private opened = false;

  constructor(private readonly options: PaneOptions) {
    this.id = options.id;
    this.target = options.target;
    this.filter = options.target.filter ?? '';
    this.element = element('div', 'pane');
    this.element.dataset.pane = options.id;

    const bar = element('div', 'pane-bar');
    this.filterField = document.createElement('vscode-textfield') as unknown as HTMLElement & { value: string };
    this.filterField.className = 'pane-filter';
    this.filterField.setAttribute('placeholder', 'BPF filter, e.g. icmp or arp — Enter to apply');
    this.filterField.setAttribute('aria-label', 'Capture filter');
    this.filterField.value = this.filter;
    this.filterField.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') {
        event.preventDefault();
        this.applyFilter(this.filterField.value);
      }
    });
    this.startButton = button('debug-stop', 'Stop', () => (this.running ? this.stop() : this.start()));
    this.pauseButton = button('debug-pause', 'Pause', () => this.togglePause(), true);
    const clear = button('clear-all', 'Clear', () => this.clear(), true);
    this.saveButton = button('save', 'Save as pcap', () => this.options.post({ type: 'save-pcap', id: this.id }), true);
    this.status = element('span', 'pane-status');
    this.status.setAttribute('role', 'status');
    bar.append(this.filterField, this.startButton, this.pauseButton, clear, this.saveButton, this.status);

    this.error = element('div', 'pane-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;

    const screen = element('div', 'pane-terminal');
    this.element.append(bar, this.error, screen);

    this.terminal = new Terminal({
      disableStdin: true,
      convertEol: false,
      cursorBlink: false,
      cursorStyle: 'bar',
      cursorInactiveStyle: 'none',
      scrollback: options.settings.scrollback,
      fontFamily: options.settings.terminalFontFamily,
      fontSize: options.settings.terminalFontSize,
      lineHeight: options.settings.terminalLineHeight,
      theme: terminalTheme(),
    });
    this.terminal.loadAddon(this.fitAddon);
    this.flow = new LineFlow({ write: (data, parsed) => this.terminal.write(data, parsed) }, skippedNotice);
    this.screen = screen;
    this.renderStatus();
  }

  /** Opens the terminal once its element is in the page (xterm measures it). */
  attach(): void {
    if (this.opened) return;
    this.opened = true;
    this.terminal.open(this.screen);
    this.fit();
  }

  get running(): boolean {
    return this.state === 'starting' || this.state === 'listening';
  }

  get label(): string {
    return `${this.target.host}:${this.target.iface}`;
  }

  start(): void {
    // After a failure (a lost connection, say) the same button resumes: a new run, same filter,
    // the lines so far kept above it.
    this.hideError();
    this.options.post({ type: 'start-capture', id: this.id, host: this.target.host, iface: this.target.iface, filter: this.filter });
    this.setState('starting');
  }

  stop(): void {
    if (!this.running) return;
    this.options.post({ type: 'stop-capture', id: this.id });
  }

  /** Enter in the filter field: a running capture restarts with it, a stopped one starts. */
  applyFilter(filter: string): void {
    this.filter = filter.trim();
    this.hideError();
    if (this.running) {
      this.options.post({ type: 'set-filter', id: this.id, filter: this.filter });
      this.setState('starting');
    } else {
      this.start();
    }
  }

  handle(message: CaptureMessage): void {
    if (message.type === 'capture-started') {
      this.run = message.run;
      this.packets = 0;
      this.rate = 0;
      this.filter = message.filter;
      if (this.filterField.value.trim() !== message.filter) this.filterField.value = message.filter;
      this.hideError();
      this.flow.pushNotice(noticeLine(`tcpdump on ${message.host}:${message.iface}${message.filter ? ` — ${message.filter}` : ''}`, 'info'));
      this.setState('starting');
      return;
    }
    if (message.run !== this.run) return;
    switch (message.type) {
      case 'capture-listening':
        this.setState('listening');
        break;
      case 'capture-batch': {
        const more = message.packets > this.packets || message.lines.length > 0;
        this.packets = message.packets;
        this.rate = message.rate;
        if (message.skipped > 0) {
          this.skipped += message.skipped;
          this.flow.push([skippedNotice(message.skipped)]);
        }
        this.flow.push(frameLines(message.lines));
        if (more) this.options.traffic({ ...this.target, filter: this.filter });
        if (this.state === 'starting') this.setState('listening');
        else this.renderStatus();
        break;
      }
      case 'capture-error':
        this.showError(message.message);
        this.flow.pushNotice(noticeLine(message.message, 'error'));
        this.setState('failed');
        break;
      case 'capture-ended':
        this.packets = Math.max(this.packets, message.summary.packets);
        this.flow.pushNotice(noticeLine(`ended: ${message.summary.packets} packet${message.summary.packets === 1 ? '' : 's'}${message.summary.reason ? ` (${message.summary.reason})` : ''}`, 'info'));
        this.rate = 0;
        if (this.state !== 'failed') this.setState('ended');
        else this.renderStatus();
        break;
    }
  }

  togglePause(): void {
    if (this.flow.paused) this.flow.resume();
    else this.flow.pause();
    this.renderStatus();
  }

  clear(): void {
    this.terminal.clear();
    this.flow.clear();
    this.skipped = 0;
    this.renderStatus();
  }

  fit(): void {
    if (!this.opened || this.element.offsetParent === null) return;
    try {
      this.fitAddon.fit();
    } catch {
      // Not laid out yet: the next resize fits it.
    }
  }

  applyTheme(): void {
    this.terminal.options.theme = terminalTheme();
  }

  applySettings(settings: PanelSettings): void {
    this.terminal.options.fontFamily = settings.terminalFontFamily;
    this.terminal.options.fontSize = settings.terminalFontSize;
    this.terminal.options.lineHeight = settings.terminalLineHeight;
    this.terminal.options.scrollback = settings.scrollback;
    this.fit();
  }

  focusFilter(): void {
    (this.filterField as HTMLElement).focus();
  }

  dispose(): void {
    this.terminal.dispose();
    this.element.remove();
  }

  private setState(state: PaneState): void {
    this.state = state;
    this.renderStatus();
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  private hideError(): void {
    this.error.hidden = true;
    this.error.textContent = '';
  }

  private renderStatus(): void {
    const running = this.running;
    setButton(this.startButton, running ? 'debug-stop' : this.state === 'failed' ? 'debug-restart' : 'play', running ? 'Stop' : this.state === 'failed' ? 'Resume' : 'Start');
    setButton(this.pauseButton, this.flow.paused ? 'debug-continue' : 'debug-pause', this.flow.paused ? 'Resume' : 'Pause');
    this.saveButton.toggleAttribute('disabled', this.run < 0);
    const words: Record<PaneState, string> = { idle: 'stopped', starting: 'starting…', listening: 'listening', ended: 'ended', failed: 'failed' };
    const parts = [
      words[this.state],
      `${this.packets.toLocaleString()} packet${this.packets === 1 ? '' : 's'}`,
      running ? `${Math.round(this.rate).toLocaleString()}/s` : '',
      this.flow.paused ? `paused, ${this.flow.heldCount.toLocaleString()} line${this.flow.heldCount === 1 ? '' : 's'} held` : '',
      this.skipped + this.flow.dropped > 0 ? `skipped ${(this.skipped + this.flow.dropped).toLocaleString()}` : '',
    ];
    this.status.textContent = parts.filter(Boolean).join(' · ');
    this.element.dataset.state = this.state;
  }
}

function element(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(icon: string, title: string, action: () => void, secondary = false): HTMLElement {
  const node = document.createElement('vscode-button');
  node.setAttribute('icon', icon);
  node.setAttribute('title', title);
  node.setAttribute('aria-label', title);
  if (secondary) node.setAttribute('secondary', '');
  node.textContent = title;
  node.addEventListener('click', action);
  return node;
}

function setButton(node: HTMLElement, icon: string, title: string): void {
  node.setAttribute('icon', icon);
  node.setAttribute('title', title);
  node.setAttribute('aria-label', title);
  node.textContent = title;
}
