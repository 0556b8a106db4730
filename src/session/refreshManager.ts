// When the hosts' state is read again: on command; a moment after a lab file changes (the new
// model is read against); every `refreshInterval` seconds while the Labs view is visible; and,
// the first time the view shows a lab, at once. Lost connections need no read: LiveLabs marks
// the host unreachable as soon as its pool says so. Plain Node: the editor feeds it visibility
// and the interval.

import { systemClock, type Clock } from '../util/clock';
import { Debouncer } from '../util/debounce';
import type { LabSnapshot, LabWorkspace, Unsubscribe } from './labWorkspace';
import type { LiveLabs } from './liveLabs';
import { Poller } from './poller';

/** Edits come in bursts, each a new model; reading the hosts waits for the burst to end. */
export const FILE_CHANGE_DELAY_MS = 1000;

export interface RefreshManagerOptions {
  /** The labs the view lists (the periodic refresh and the first read are for these only). */
  listLabs: () => LabSnapshot[];
  fileChangeDelayMs?: number;
  /** Time for the periodic refresh and the wait after edits (tests move it themselves). */
  clock?: Clock;
}

export class RefreshManager {
  private readonly poller: Poller;
  private readonly edits: Debouncer<string>;
  private readonly following: Unsubscribe;
  private visible = false;

  constructor(
    private readonly live: LiveLabs,
    workspace: LabWorkspace,
    private readonly options: RefreshManagerOptions,
  ) {
    const clock = options.clock ?? systemClock;
    this.poller = new Poller(() => this.tick(), clock);
    this.edits = new Debouncer(options.fileChangeDelayMs ?? FILE_CHANGE_DELAY_MS, clock);
    this.following = workspace.onDidChange(({ key, snapshot }) => {
      if (!snapshot?.result.lab) return this.edits.cancel(key);
      // A lab already read is read again against its new model; a new one only if it is on show.
      if (this.live.get(key) === undefined && !this.visible) return;
      this.edits.schedule(key, () => {
        // A read against the old model would end with outdated drift: stop it, then read again.
        if (this.live.isReading(key)) this.live.abort(key);
        void this.live.refresh(key);
      });
    });
  }

  /** Seconds between refreshes while the view is visible; 0 turns it off. */
  setInterval(seconds: number): void {
    this.poller.setInterval(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.poller.setVisible(visible);
    if (visible) this.readUnread(this.validLabs().map((snapshot) => snapshot.key));
  }

  /**
   * The tree has just shown the lab's hosts: a lab never read is read now, rather than after the
   * wait for edits (a lab the first scan found is not being typed). Reading waits for this moment
   * on purpose: a big lab's read keeps the extension host busy, and the tree's rows, asked for
   * during it, would show only once most hosts had answered.
   */
  labShown(key: string): void {
    if (!this.visible || !this.validLabs().some((snapshot) => snapshot.key === key)) return;
    this.readUnread([key]);
  }

  /** Every listed lab, now (a read already running is followed by one more, not doubled). */
  refreshAll(): Promise<void> {
    this.poller.reset();
    return Promise.all(this.validLabs().map((snapshot) => this.live.refresh(snapshot.key))).then(() => undefined);
  }

  refreshLab(key: string): Promise<void> {
    this.edits.cancel(key);
    return this.live.refresh(key);
  }

  refreshHost(key: string, host: string): Promise<void> {
    return this.live.refresh(key, [host]);
  }

  dispose(): void {
    this.following.dispose();
    this.edits.dispose();
    this.poller.dispose();
  }

  /** Those of these labs never read (nor being read) are read now; a wait for their edits to end is dropped. */
  private readUnread(keys: string[]): void {
    for (const key of keys) {
      if (this.live.get(key)?.readAt !== undefined || this.live.isReading(key)) continue;
      this.edits.cancel(key);
      void this.live.refresh(key);
    }
  }

  /** A periodic refresh skips a lab still being read: the running read is as fresh. */
  private tick(): void {
    for (const snapshot of this.validLabs()) {
      if (!this.live.isReading(snapshot.key)) void this.live.refresh(snapshot.key);
    }
  }

  private validLabs(): LabSnapshot[] {
    return this.options.listLabs().filter((snapshot) => snapshot.result.lab);
  }
}
