// The captures of one topology panel, by pane: start (a start on a pane that runs restarts it),
// restart with a new filter, stop, close (stop and forget), save as pcap, stop all when the panel
// goes. Each start is a new run; events of an earlier run of the pane are dropped, so a restart
// never mixes two captures' lines. Plain Node: the backend and the way to post are handed in.

import type { Lab } from '../../lab/types';
import { packLines, type MergedSource, type ToWebview } from '../../webview/protocol';
import type { CaptureBackend, CaptureHandle } from './captureBackend';

interface PaneCapture {
  host: string;
  iface: string;
  filter: string;
  run: number;
  handle?: CaptureHandle;
  running: boolean;
  /** A merged pane's interfaces (host and iface are then the first's). */
  merged?: MergedSource[];
}

export class PanelCaptures {
  private readonly panes = new Map<string, PaneCapture>();
  private runs = 0;
  private disposed = false;

  constructor(
    private readonly backend: CaptureBackend | undefined,
    private readonly post: (message: ToWebview) => void,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  start(lab: Lab, id: string, host: string, iface: string, filter: string): void {
    this.begin(lab, id, { host, iface, filter }, undefined);
  }

  /** A merged pane: one timeline over these interfaces (a start on a pane that runs restarts it). */
  startMerged(lab: Lab, id: string, targets: MergedSource[], filter: string): void {
    if (targets.length === 0) return;
    this.begin(lab, id, { host: targets[0].host, iface: targets[0].iface, filter }, targets);
  }

  private begin(lab: Lab, id: string, { host, iface, filter }: { host: string; iface: string; filter: string }, merged: MergedSource[] | undefined): void {
    if (this.disposed) return;
    const previous = this.panes.get(id);
    const run = ++this.runs;
    const pane: PaneCapture = { host, iface, filter, run, running: true, ...(merged ? { merged } : {}) };
    // The new run is the pane's before the old one stops, so the old one's end goes unreported.
    this.panes.set(id, pane);
    if (previous) {
      this.halt(id, previous);
      previous.handle?.release();
    }
    if (merged) this.post({ type: 'merged-started', id, run, sources: merged, filter });
    else this.post({ type: 'capture-started', id, run, host, iface, filter });
    if (!this.backend || (merged && !this.backend.startMerged)) {
      this.fail(id, pane, merged ? 'A merged capture is not available in this build of Overlay Lab.' : 'Packet capture is not available in this build of Overlay Lab.');
      return;
    }
    let handle: CaptureHandle;
    try {
      handle = merged ? this.backend.startMerged!({ lab, targets: merged, filter }) : this.backend.start({ lab, host, iface, filter });
    } catch (error) {
      this.fail(id, pane, (error as Error).message);
      return;
    }
    pane.handle = handle;
    this.log(`capture ${id} run ${run}: ${merged ? merged.map((m) => `${m.host}:${m.iface}`).join(' + ') : `${host}:${iface}`}${filter ? ` "${filter}"` : ''}`);
    const current = () => this.panes.get(id)?.run === run && !this.disposed;
    handle.onClocks?.((clocks) => current() && this.post({ type: 'merged-clocks', id, run, clocks }));
    handle.onListening(() => current() && this.post({ type: 'capture-listening', id, run }));
    handle.onFrames((batch) => {
      if (!current()) return;
      this.post({ type: 'capture-batch', id, run, lines: packLines(batch.lines), packets: batch.packets, rate: batch.rate, skipped: batch.skipped });
    });
    handle.onError((message) => current() && this.post({ type: 'capture-error', id, run, message }));
    handle.onEnd((summary) => {
      pane.running = false;
      if (current()) this.post({ type: 'capture-ended', id, run, summary });
    });
  }

  /** Restarts the pane's capture with another filter; a pane never started is ignored. */
  setFilter(lab: Lab, id: string, filter: string): boolean {
    const pane = this.panes.get(id);
    if (!pane) return false;
    this.begin(lab, id, { host: pane.host, iface: pane.iface, filter }, pane.merged);
    return true;
  }

  stop(id: string): void {
    this.halt(id);
  }

  /** Stops the pane's capture and forgets it. */
  close(id: string): void {
    const pane = this.panes.get(id);
    this.halt(id);
    pane?.handle?.release();
    this.panes.delete(id);
  }

  /** The pane's capture, for Save as pcap (also once it has ended). */
  handle(id: string): { host: string; iface: string; handle: CaptureHandle; merged?: MergedSource[] } | undefined {
    const pane = this.panes.get(id);
    return pane?.handle ? { host: pane.host, iface: pane.iface, handle: pane.handle, ...(pane.merged ? { merged: pane.merged } : {}) } : undefined;
  }

  isRunning(id: string): boolean {
    return this.panes.get(id)?.running ?? false;
  }

  /** The webview was reloaded: its panes are gone, so are their captures. */
  stopAll(): void {
    for (const id of [...this.panes.keys()]) this.close(id);
  }

  dispose(): void {
    this.stopAll();
    this.disposed = true;
  }

  private halt(id: string, pane = this.panes.get(id)): void {
    if (!pane?.running) return;
    pane.running = false;
    try {
      pane.handle?.stop();
    } catch (error) {
      this.log(`capture ${id}: stopping failed: ${(error as Error).message}`);
    }
  }

  private fail(id: string, pane: PaneCapture, message: string): void {
    pane.running = false;
    this.post({ type: 'capture-error', id, run: pane.run, message });
    this.post({ type: 'capture-ended', id, run: pane.run, summary: { packets: 0, reason: 'not started' } });
  }
}
