// One connection pool per lab file, built on first use. A pool is kept while the lab's SSH
// settings stay the same, and closed when they change, when the file goes, or on shutdown.

import type { Lab } from '../lab/types';
import type { HostStateEvent, SshPool } from '../ssh/pool';
import type { Unsubscribe } from './labWorkspace';
import { sshFingerprint } from './sshFingerprint';

export type PoolFactory = (lab: Lab) => SshPool;

/** A host's connection changed, or (no `event`) the lab's pool was closed and every host is idle again. */
export interface PoolChange {
  key: string;
  event?: HostStateEvent;
}

interface PoolEntry {
  pool: SshPool;
  fingerprint: string;
  stopListening: () => void;
}

export class LabPools {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly listeners = new Set<(change: PoolChange) => void>();

  constructor(private readonly create: PoolFactory) {}

  /** The lab file's pool, built now if it has none or its SSH settings changed. May throw (a bad ProxyJump chain). */
  poolFor(key: string, lab: Lab): SshPool {
    const fingerprint = sshFingerprint(lab);
    const entry = this.entries.get(key);
    if (entry?.fingerprint === fingerprint) return entry.pool;
    if (entry) this.close(key);
    const pool = this.create(lab);
    const onState = (event: HostStateEvent) => this.emit({ key, event });
    pool.on('state', onState);
    this.entries.set(key, { pool, fingerprint, stopListening: () => pool.off('state', onState) });
    return pool;
  }

  /** The pool if one was built; views ask this so that looking never connects. */
  existing(key: string): SshPool | undefined {
    return this.entries.get(key)?.pool;
  }

  /**
   * A new snapshot of a lab file. A lab with errors keeps its pool: a half-typed edit should not
   * drop connections; the pool goes once the file is valid again with other SSH settings.
   */
  labChanged(key: string, lab: Lab | undefined): void {
    const entry = this.entries.get(key);
    if (entry && lab && sshFingerprint(lab) !== entry.fingerprint) this.close(key);
  }

  hasAny(): boolean {
    return this.entries.size > 0;
  }

  close(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.stopListening();
    entry.pool.dispose();
    this.emit({ key });
  }

  /** Closes the pools that hold no open or opening connection (they would reconnect with new settings). */
  closeUnused(): void {
    for (const [key, { pool }] of [...this.entries]) {
      const busy = pool.endpoints.labels().some((host) => ['connected', 'connecting'].includes(pool.state(host).state));
      if (!busy) this.close(key);
    }
  }

  closeAll(): void {
    for (const key of [...this.entries.keys()]) this.close(key);
  }

  onDidChange(listener: (change: PoolChange) => void): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.closeAll();
    this.listeners.clear();
  }

  private emit(change: PoolChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
