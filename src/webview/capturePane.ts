// One capture pane: a read-only xterm.js terminal with the capture's lines coloured by class, a
// BPF filter field (Enter restarts the capture with it), start/stop, pause (rendering stops,
// counting does not; Resume replays every held line, up to the hold limit), clear, save as
// pcap, the time shown as wall clock or since the first frame, and a status line of its own
// under the buttons (state, packets, rate, held and skipped lines), so that the buttons never
// move as its text grows. A merged pane runs over several interfaces on any hosts: each line
// starts with its `host:iface` in that source's colour, and a legend names each host's clock
// offset. The extension runs the capture; the pane only asks and shows.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { frameLines, inert, noticeLine, skippedNotice, SOURCE_CSS, sourcePrefix } from './ansi';
import { DEFAULT_FLOW, LineFlow, type TickScheduler } from './flowControl';
import { unpackLines, type CaptureTarget, type FrameLine, type FromWebview, type MergedSource, type PanelSettings, type SourceClock, type ToWebview } from './protocol';
import { terminalTheme } from './theme';
import { formatRelative, formatWallClock, type TimeMode } from './timeFormat';

export type CaptureMessage = Extract<ToWebview, { type: `capture-${string}` | `merged-${'started' | 'clocks'}` }>;

type PaneState = 'idle' | 'starting' | 'listening' | 'ended' | 'failed';

export interface PaneOptions {
  id: string;
  target: CaptureTarget;
  settings: PanelSettings;
  post(message: FromWebview): void;
  /** Packets arrived: the diagram lights the nodes this capture watches (with the filter it runs). */
  traffic(target: CaptureTarget): void;
  /** A merged pane: the interfaces it runs over (`target` is then the first). */
  sources?: MergedSource[];
  /** The terminal's pace (requestAnimationFrame). */
  tick?: TickScheduler;
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
  private readonly timeButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly legend: HTMLElement;
  readonly sources: MergedSource[] | undefined;
  private clocks: SourceClock[] = [];
  private timeMode: TimeMode = 'wall';
  /** The first frame's time in this run, µs: where relative time counts from. */
  private firstUs: number | undefined;
  private labelWidth = 0;
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
  /** The status is drawn at most this often while lines flow (every change of state at once). */
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatusAt = -Infinity;
  /** What the status and buttons show now: set again only when it changes (each set costs the page a style pass). */
  private readonly drawn = new Map<string, string>();
  private lastTrafficAt = -Infinity;
  private utcOffsetMinutes: number | undefined;

  constructor(private readonly options: PaneOptions) {
    this.id = options.id;
    this.target = options.target;
    this.sources = options.sources && options.sources.length > 0 ? options.sources : undefined;
    this.labelWidth = Math.max(0, ...(this.sources ?? []).map((source) => `${source.host}:${source.iface}`.length));
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
    this.saveButton = button('save', this.sources ? 'Save as pcapng' : 'Save as pcap', () => this.options.post({ type: 'save-pcap', id: this.id }), true);
    this.timeButton = button('watch', 'Wall clock', () => this.toggleTime(), true);
    this.timeButton.title = 'Times as the wall clock (HH:MM:SS.micro); click for time since the first frame';
    for (const [node, name] of [[this.startButton, 'start'], [this.pauseButton, 'pause'], [clear, 'clear'], [this.saveButton, 'save'], [this.timeButton, 'time']] as const) node.dataset.action = name;
    bar.append(this.filterField, this.startButton, this.pauseButton, clear, this.saveButton, this.timeButton);
    // On a line of its own, under the buttons: its text grows and shrinks, the buttons stay put.
    this.status = element('div', 'pane-status');
    this.status.setAttribute('role', 'status');
    this.legend = element('div', 'pane-legend');
    this.legend.hidden = !this.sources;

    this.error = element('div', 'pane-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;

    const screen = element('div', 'pane-terminal');
    this.element.append(bar, this.status, this.legend, this.error, screen);

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
    // Behind by more than the scrollback holds, the oldest waiting lines are trimmed unwritten (they would scroll out unseen).
    const flowOptions = { ...DEFAULT_FLOW, maxBehind: maxBehind(options.settings.scrollback) };
    this.flow = new LineFlow({ write: (data, parsed) => this.terminal.write(data, parsed) }, skippedNotice, options.tick ?? ((callback) => requestAnimationFrame(() => callback())), flowOptions);
    this.screen = screen;
    // While it replays, the status counts the held lines down.
    this.flow.onDrain = () => {
      if (this.flow.replaying || this.element.dataset.held !== '0') this.statusSoon();
    };
    this.renderLegend();
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
    if (this.sources) return this.sources.length <= 3 ? this.sources.map((source) => `${source.host}:${source.iface}`).join(' + ') : `${this.sources.length} interfaces, merged`;
    return `${this.target.host}:${this.target.iface}`;
  }

  start(): void {
    // After a failure (a lost connection, say) the same button resumes: a new run, same filter,
    // the lines so far kept above it.
    this.hideError();
    if (this.sources) this.options.post({ type: 'start-merged', id: this.id, targets: this.sources, filter: this.filter });
    else this.options.post({ type: 'start-capture', id: this.id, host: this.target.host, iface: this.target.iface, filter: this.filter });
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
    if (this.running && !this.sources) {
      this.options.post({ type: 'set-filter', id: this.id, filter: this.filter });
      this.setState('starting');
    } else {
      this.start();
    }
  }

  handle(message: CaptureMessage): void {
    if (message.type === 'capture-started' || message.type === 'merged-started') {
      this.run = message.run;
      // A new capture counts from zero: packets, rate, skipped, held past the limit.
      this.packets = 0;
      this.rate = 0;
      this.skipped = 0;
      this.firstUs = undefined;
      this.flow.resetCounts();
      this.filter = message.filter;
      if (this.filterField.value.trim() !== message.filter) this.filterField.value = message.filter;
      this.hideError();
      const where = message.type === 'capture-started' ? `${message.host}:${message.iface}` : message.sources.map((source) => `${source.host}:${source.iface}`).join(', ');
      this.flow.pushNotice(noticeLine(`tcpdump on ${where}${message.filter ? ` — ${message.filter}` : ''}`, 'info'));
      if (message.type === 'merged-started') {
        this.clocks = [];
        this.renderLegend();
      }
      this.setState('starting');
      return;
    }
    if (message.run !== this.run) return;
    switch (message.type) {
      case 'merged-clocks':
        this.clocks = message.clocks;
        this.renderLegend();
        for (const clock of message.clocks) if (clock.problem) this.flow.pushNotice(noticeLine(`${clock.host}: ${clock.problem}; its lines are not corrected`, 'error'));
        break;
      case 'capture-listening':
        this.setState('listening');
        break;
      case 'capture-batch': {
        const more = message.packets > this.packets || message.lines.texts.length > 0;
        this.packets = message.packets;
        this.rate = message.rate;
        if (message.skipped > 0) {
          this.skipped += message.skipped;
          this.flow.pushNotice(skippedNotice(message.skipped, 'sender'));
        }
        // The time zone's offset once a batch, not once a line (a Date each costs a flood's frames).
        const lines = unpackLines(message.lines);
        const first = lines.find((line) => line.time !== undefined)?.time;
        if (first !== undefined) this.utcOffsetMinutes = -new Date(Math.floor(first / 1000)).getTimezoneOffset();
        this.flow.push(frameLines(lines, (line) => this.prefixOf(line)));
        // The diagram's pulse lasts far longer than this: telling it a few times a second is enough.
        if (more && performance.now() - this.lastTrafficAt > TRAFFIC_EVERY_MS) {
          this.lastTrafficAt = performance.now();
          this.options.traffic({ ...this.target, filter: this.filter });
        }
        if (this.state === 'starting') this.setState('listening');
        else this.statusSoon();
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

  /** Lines shown so far, held now, and not held (for tests and the bench, through the element's dataset). */
  get counts(): { shown: number; held: number; notHeld: number; dropped: number; skipped: number; trimmed: number } {
    return { shown: this.flow.shown, held: this.flow.heldCount, notHeld: this.flow.notHeldCount, dropped: this.flow.dropped, skipped: this.skipped, trimmed: this.flow.trimmed };
  }

  toggleTime(): void {
    this.timeMode = this.timeMode === 'wall' ? 'relative' : 'wall';
    setButton(this.timeButton, 'watch', this.timeMode === 'wall' ? 'Wall clock' : 'Since first');
    this.timeButton.title = this.timeMode === 'wall' ? 'Times as the wall clock (HH:MM:SS.micro); click for time since the first frame' : 'Times since the first frame of this capture; click for the wall clock';
  }

  /** A line's time (as the pane shows it now) and, in a merged pane, its `host:iface`. */
  private prefixOf(line: FrameLine): { first: string; continuation: string } {
    // A tunnel's inner frame comes as a line of its own, without a time: it lines up under its outer line's text.
    if (line.encapsulated && line.time === undefined) {
      const blank = ' '.repeat((this.firstUs !== undefined ? 16 : 0) + (this.sources ? this.labelWidth + 1 : 0));
      return { first: blank, continuation: blank };
    }
    let time = '';
    if (line.time !== undefined) {
      this.firstUs ??= line.time;
      time = `\x1b[2m${this.timeMode === 'wall' ? formatWallClock(line.time, this.utcOffsetMinutes) : formatRelative(line.time, this.firstUs).padStart(15)}\x1b[0m `;
    }
    let source = '';
    if (this.sources && line.source !== undefined) {
      const at = this.sources[line.source];
      source = at ? sourcePrefix(`${at.host}:${at.iface}`, line.source, this.labelWidth) : '';
    }
    const first = time + source;
    const blank = ' '.repeat((line.time !== undefined ? 16 : 0) + (source ? this.labelWidth + 1 : 0));
    return { first, continuation: blank };
  }

  private renderLegend(): void {
    if (!this.sources) return;
    this.legend.replaceChildren(
      ...this.sources.map((source, index) => {
        const item = element('span', 'pane-source');
        const swatch = element('span', 'pane-swatch');
        swatch.style.background = SOURCE_CSS[index % SOURCE_CSS.length];
        const clock = this.clocks.find((candidate) => candidate.host === source.host);
        const said = !clock ? 'clock: measuring…' : clock.offsetUs === undefined ? `clock unknown: ${clock.problem ?? ''}` : `clock ${clock.offsetUs >= 0 ? '+' : '−'}${(Math.abs(clock.offsetUs) / 1000).toFixed(3)} ms ± ${((clock.boundUs ?? 0) / 1000).toFixed(3)} ms${clock.corrected ? ', corrected' : ', agrees'}`;
        item.dataset.source = `${source.host}:${source.iface}`;
        item.append(swatch, `${inert(`${source.host}:${source.iface}`)} ${said}`);
        item.title = `${source.host}'s clock against this machine's, from the shortest of several round trips over its SSH connection. ${clock?.corrected ? "It exceeds its bound: the lines are moved onto this machine's clock by it." : 'Within its bound the clocks may agree: the lines keep the host’s time.'}`;
        return item;
      }),
    );
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
    this.flow.setMaxBehind(maxBehind(settings.scrollback));
    this.fit();
  }

  focusFilter(): void {
    (this.filterField as HTMLElement).focus();
  }

  dispose(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer);
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

  /** Draws the status within STATUS_EVERY_MS: lines flowing change it on every batch, and a draw a batch costs frames. */
  private statusSoon(): void {
    if (this.statusTimer !== undefined) return;
    const wait = Math.max(0, this.lastStatusAt + STATUS_EVERY_MS - performance.now());
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.renderStatus();
    }, wait);
  }

  private renderStatus(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.lastStatusAt = performance.now();
    const running = this.running;
    this.setButtonOnce('start', this.startButton, running ? 'debug-stop' : this.state === 'failed' ? 'debug-restart' : 'play', running ? 'Stop' : this.state === 'failed' ? 'Resume' : 'Start');
    this.setButtonOnce('pause', this.pauseButton, this.flow.paused ? 'debug-continue' : 'debug-pause', this.flow.paused ? 'Resume' : 'Pause');
    if (this.changed('save', String(this.run < 0))) this.saveButton.toggleAttribute('disabled', this.run < 0);
    const words: Record<PaneState, string> = { idle: 'stopped', starting: 'starting…', listening: 'listening', ended: 'ended', failed: 'failed' };
    const held = this.flow.heldCount;
    const replay = this.flow.replayCount;
    const trimmed = this.flow.trimmed;
    const parts = [
      words[this.state],
      `${this.packets.toLocaleString('en-US')} packet${this.packets === 1 ? '' : 's'}`,
      running ? `${Math.round(this.rate).toLocaleString('en-US')}/s` : '',
      this.flow.paused
        ? `paused: ${held.toLocaleString('en-US')} line${held === 1 ? '' : 's'} held of at most ${this.flow.holdLimit.toLocaleString('en-US')}${this.flow.notHeldCount > 0 ? `, ${this.flow.notHeldCount.toLocaleString('en-US')} not held` : ''}`
        : replay > 0
          ? `replaying ${replay.toLocaleString('en-US')} held line${replay === 1 ? '' : 's'}`
          : '',
      this.skipped + this.flow.dropped > 0 ? `skipped ${(this.skipped + this.flow.dropped).toLocaleString('en-US')}` : '',
      trimmed > 0 ? `${trimmed.toLocaleString('en-US')} trimmed unseen (behind by more than the scrollback)` : '',
    ];
    const text = parts.filter(Boolean).join(' · ');
    if (this.changed('status', text)) this.status.textContent = text;
    const data: Record<string, string> = { state: this.state, shown: String(this.flow.shown), held: String(held), notHeld: String(this.flow.notHeldCount), packets: String(this.packets), trimmed: String(trimmed), skipped: String(this.skipped) };
    for (const [key, value] of Object.entries(data)) if (this.changed(`data-${key}`, value)) this.element.dataset[key] = value;
  }

  /** Whether `key` shows something else than `value` now (and remembers `value`). */
  private changed(key: string, value: string): boolean {
    if (this.drawn.get(key) === value) return false;
    this.drawn.set(key, value);
    return true;
  }

  private setButtonOnce(key: string, node: HTMLElement, icon: string, title: string): void {
    if (this.changed(`button-${key}`, `${icon} ${title}`)) setButton(node, icon, title);
  }
}

/** Lines that may wait before the oldest are trimmed: more than the scrollback and a screen hold, so a trimmed line would have scrolled out unseen. */
function maxBehind(scrollback: number): number {
  return Math.max(DEFAULT_FLOW.maxBehind, scrollback + 500);
}

/** How often, at most, the status is drawn while lines flow, and the diagram told of traffic. */
const STATUS_EVERY_MS = 100;
const TRAFFIC_EVERY_MS = 250;

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
