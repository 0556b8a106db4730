// The lab files the editor knows about, each as its latest snapshot: the file read and checked.
// A change (an edit, a save, a file on disk) produces a new snapshot; views re-render from
// snapshots and never patch each other. Plain Node: the editor adapter feeds it text.

import { START_OF_FILE } from '../lab/diagnostics';
import { loadLabText } from '../lab/load';
import type { LabLoadResult } from '../lab/types';

export interface LabSnapshot {
  /** Identifies the file for whoever feeds the workspace (a URI string in the editor). */
  readonly key: string;
  /** The path that diagnostics name. */
  readonly file: string;
  readonly result: LabLoadResult;
  /** Grows with every snapshot of any file, so a view can tell a newer snapshot from an older one. */
  readonly revision: number;
}

export interface LabWorkspaceChange {
  key: string;
  /** The new snapshot; absent when the file is gone. */
  snapshot?: LabSnapshot;
  previous?: LabSnapshot;
}

export type LabLoader = (text: string, file: string) => LabLoadResult;

/** What `context.subscriptions` and friends accept. */
export interface Unsubscribe {
  dispose(): void;
}

export class LabWorkspace {
  private readonly snapshots = new Map<string, LabSnapshot>();
  private readonly texts = new Map<string, string>();
  private readonly listeners = new Set<(change: LabWorkspaceChange) => void>();
  private revision = 0;

  constructor(private readonly load: LabLoader = loadLabText) {}

  /** Checks the file's text; the same text as last time makes no new snapshot. */
  update(key: string, file: string, text: string): LabSnapshot {
    const previous = this.snapshots.get(key);
    if (previous && previous.file === file && this.texts.get(key) === text) return previous;
    const snapshot: LabSnapshot = { key, file, result: this.check(text, file), revision: ++this.revision };
    this.snapshots.set(key, snapshot);
    this.texts.set(key, text);
    this.emit({ key, snapshot, previous });
    return snapshot;
  }

  remove(key: string): void {
    const previous = this.snapshots.get(key);
    if (!previous) return;
    this.snapshots.delete(key);
    this.texts.delete(key);
    this.emit({ key, previous });
  }

  get(key: string): LabSnapshot | undefined {
    return this.snapshots.get(key);
  }

  /** Every snapshot, in the order of their file paths. */
  all(): LabSnapshot[] {
    return [...this.snapshots.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  onDidChange(listener: (change: LabWorkspaceChange) => void): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A bug in the checker must not take the views down: it becomes a diagnostic on the file. */
  private check(text: string, file: string): LabLoadResult {
    try {
      return this.load(text, file);
    } catch (error) {
      const message = `Overlay Lab could not check this file (an internal error; please report it): ${(error as Error).message}`;
      return { diagnostics: [{ file, severity: 'error', message, range: START_OF_FILE }] };
    }
  }

  private emit(change: LabWorkspaceChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
