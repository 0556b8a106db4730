// What the hosts of each lab really look like, as far as it has been read: one snapshot per lab,
// replaced (never patched) whenever a host's reading arrives, a read starts or ends, or a
// connection is lost. Views re-render from these snapshots. Plain Node: the read function is
// handed in (`readLabState` of src/hosts in the editor, a fake in tests).

import type { Finding } from '../doctor/types';
import { hostDrift, labDrift } from '../compare/drift';
import type { DriftItem, HostReading, LabReadings, LabState } from '../hosts/types';
import type { Lab } from '../lab/types';
import type { HostConnectionState, HostStateEvent, SshPool } from '../ssh/pool';
import { Coalescer, scopeOf, type ReadScope } from './coalescer';
import type { LabSession } from './labSession';
import type { Unsubscribe } from './labWorkspace';

/** What the editor asks of `readLabState` (src/hosts/readLabState.ts). */
export interface ReadOptions {
  signal?: AbortSignal;
  hosts?: string[];
  onHost?: (reading: HostReading) => void;
  /** Hosts read at once. */
  concurrency?: number;
}

/**
 * Every host of a lab is read at once (up to this many), so that a dead host, which holds its
 * slot until its connection times out, never holds up a live one.
 */
export const MAX_READ_CONCURRENCY = 64;

export function readingHost(reading: HostReading): string {
  return reading.ok ? reading.state.host : reading.failure.host;
}

/** Reads only; the drift of each reading is worked out here, from the one comparison. */
export type ReadLabState = (pool: SshPool, lab: Lab, options?: ReadOptions) => Promise<LabReadings>;

export interface LabLive {
  readonly key: string;
  /** Each host's latest reading, and the drift of the hosts read. */
  readonly state: LabState;
  /** The hosts being read right now. */
  readonly reading: ReadonlySet<string>;
  /** When the last read of this lab ended (ms since the epoch); absent before the first. */
  readonly readAt?: number;
}

/** What a view needs to know of a host besides its reading: its connection, and whether it is being read. */
export interface HostLive {
  connection: HostConnectionState;
  reading: boolean;
}

/** Something changed for these hosts of the lab (all of them, and the lab itself, without `hosts`). */
export interface LiveChange {
  key: string;
  hosts?: string[];
}

export class LiveLabs {
  private readonly labs = new Map<string, LabLive>();
  private readonly findings = new Map<string, readonly Finding[]>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly reads: Coalescer<string>;
  private readonly following: Unsubscribe[];

  constructor(
    private readonly session: LabSession,
    private readonly read: ReadLabState,
    private readonly now: () => number = Date.now,
  ) {
    this.reads = new Coalescer((key, scope, signal) => this.readNow(key, scope, signal));
    this.following = [
      session.workspace.onDidChange(({ key, snapshot }) => {
        if (!snapshot) this.forget(key);
        else if (snapshot.result.lab) this.labChanged(key, snapshot.result.lab);
      }),
      session.pools.onDidChange(({ key, event }) => this.poolChanged(key, event)),
    ];
  }

  get(key: string): LabLive | undefined {
    return this.labs.get(key);
  }

  /** The last doctor run's findings for a lab: the tree marks the nodes they concern. */
  setFindings(key: string, findings: readonly Finding[]): void {
    this.findings.set(key, findings);
    this.emit({ key });
  }

  findingsOf(key: string): readonly Finding[] {
    return this.findings.get(key) ?? [];
  }

  isReading(key: string): boolean {
    return this.reads.isRunning(key);
  }

  /** Each host's connection state (from its pool, without building one) and whether it is being read. */
  hostsOf(key: string, lab: Lab): Record<string, HostLive> {
    const pool = this.session.pools.existing(key);
    const live = this.labs.get(key);
    const result: Record<string, HostLive> = {};
    for (const host of lab.hosts) {
      result[host.name] = { connection: pool?.state(host.name).state ?? 'idle', reading: live?.reading.has(host.name) ?? false };
    }
    return result;
  }

  /**
   * Reads the lab's hosts (all, or those named). A read of this lab already running is not
   * doubled: the request joins one follow-up read. Resolves when a read covering it has ended.
   */
  refresh(key: string, hosts?: readonly string[]): Promise<void> {
    if (!this.session.workspace.get(key)?.result.lab) return Promise.resolve();
    return this.reads.request(key, scopeOf(hosts));
  }

  /** Stops the running read of the lab (its file changed: what it reads against is outdated). */
  abort(key: string): void {
    this.reads.abort(key);
  }

  onDidChange(listener: (change: LiveChange) => void): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const subscription of this.following) subscription.dispose();
    this.reads.dispose();
    this.listeners.clear();
  }

  private forget(key: string): void {
    this.reads.cancel(key);
    if (this.labs.delete(key)) this.emit({ key });
  }

  /** A new model of the lab: readings of hosts it no longer has go. */
  private labChanged(key: string, lab: Lab): void {
    const live = this.labs.get(key);
    if (!live) return;
    const names = new Set(lab.hosts.map((host) => host.name));
    const hosts = Object.fromEntries(Object.entries(live.state.hosts).filter(([host]) => names.has(host)));
    const drift = live.state.drift.filter((item) => names.has(item.subject.host));
    this.labs.set(key, { ...live, state: { ...live.state, lab: lab.name, file: lab.file, hosts, drift } });
    this.emit({ key });
  }

  /**
   * A lost or failed connection makes its host unreachable at once; what was read of it before
   * is no longer known to be true. A host being read is left to its read, which reports the failure.
   */
  private poolChanged(key: string, event: HostStateEvent | undefined): void {
    if (!event) return this.emit({ key });
    const lab = this.session.workspace.get(key)?.result.lab;
    if (event.state === 'failed' && lab?.hosts.some((host) => host.name === event.host) && !this.labs.get(key)?.reading.has(event.host)) {
      const live = this.ensure(key, lab);
      const reading: HostReading = {
        ok: false,
        failure: { host: event.host, readAt: new Date(this.now()).toISOString(), kind: event.error?.kind ?? 'connection-lost', message: event.error?.message ?? `${event.host}: connection lost.` },
      };
      this.setReading(key, live, event.host, reading);
      return;
    }
    this.emit({ key, hosts: [event.host] });
    // Back after a loss (the pool's own retries): what the host holds now is read at once.
    if (event.state === 'connected' && event.reconnected && lab?.hosts.some((host) => host.name === event.host)) void this.refresh(key, [event.host]);
  }

  /** A host's new reading; `drift` replaces the host's drift (none for a failure: nothing is known). */
  private setReading(key: string, live: LabLive, host: string, reading: HostReading, drift: DriftItem[] = []): void {
    const lab = this.session.workspace.get(key)?.result.lab;
    const others = live.state.drift.filter((item) => item.subject.host !== host);
    const stillReading = new Set(live.reading);
    stillReading.delete(host);
    const state = { ...live.state, hosts: { ...live.state.hosts, [host]: reading }, drift: [...others, ...drift] };
    this.labs.set(key, { ...live, reading: stillReading, state: lab ? inLabOrder(lab, state) : state });
    this.emit({ key, hosts: [host] });
  }

  private ensure(key: string, lab: Lab): LabLive {
    let live = this.labs.get(key);
    if (!live) {
      live = { key, state: { lab: lab.name, file: lab.file, hosts: {}, drift: [] }, reading: new Set() };
      this.labs.set(key, live);
    }
    return live;
  }

  private async readNow(key: string, scope: ReadScope, signal: AbortSignal): Promise<void> {
    const lab = this.session.workspace.get(key)?.result.lab;
    if (!lab) return;
    const hosts = lab.hosts.map((host) => host.name).filter((host) => scope === 'all' || scope.has(host));
    if (hosts.length === 0) return;
    const started = this.ensure(key, lab);

    let pool: SshPool;
    try {
      pool = this.session.pools.poolFor(key, lab);
    } catch (error) {
      // A configuration no connection can be made with (a ProxyJump loop, say): every host fails alike.
      const failure = (host: string): HostReading => ({ ok: false, failure: { host, readAt: new Date(this.now()).toISOString(), kind: 'config', message: (error as Error).message } });
      const state = { ...started.state, hosts: { ...started.state.hosts, ...Object.fromEntries(hosts.map((host) => [host, failure(host)])) } };
      this.labs.set(key, { ...started, readAt: this.now(), state: inLabOrder(lab, state) });
      this.emit({ key });
      return;
    }

    this.labs.set(key, { ...started, reading: new Set([...started.reading, ...hosts]) });
    this.emit({ key, hosts });
    const delivered = new Set<string>();
    let result: LabReadings | undefined;
    let failed: Error | undefined;
    try {
      result = await this.read(pool, lab, {
        signal,
        hosts: scope === 'all' ? undefined : hosts,
        concurrency: Math.min(hosts.length, MAX_READ_CONCURRENCY),
        onHost: (reading) => {
          const host = readingHost(reading);
          const live = this.labs.get(key);
          const declared = lab.hosts.find((candidate) => candidate.name === host);
          if (signal.aborted || !live || !declared || !hosts.includes(host)) return;
          delivered.add(host);
          // Each host's drift shows with its reading, not once the slowest host has answered.
          this.setReading(key, live, host, reading, reading.ok ? hostDrift(lab, declared, reading.state) : []);
        },
      });
    } catch (error) {
      failed = error as Error;
    }

    const live = this.labs.get(key);
    if (!live) return; // the file went while it was read
    const reading = new Set(live.reading);
    for (const host of hosts) reading.delete(host);
    if (signal.aborted) {
      this.labs.set(key, { ...live, reading });
    } else if (result) {
      // Hosts reported through onHost are in already, and may have changed since (a connection
      // lost after its reading): the result only fills in hosts that were never reported.
      const unreported = new Set(hosts.filter((host) => !delivered.has(host)));
      const fresh = Object.fromEntries(Object.entries(result.hosts).filter(([host]) => unreported.has(host)));
      const freshStates = Object.fromEntries(Object.entries(fresh).flatMap(([host, reading]) => (reading.ok ? [[host, reading.state]] : [])));
      const drift: DriftItem[] = [...live.state.drift.filter((item) => !unreported.has(item.subject.host)), ...labDrift(lab, freshStates)];
      this.labs.set(key, { ...live, reading, readAt: this.now(), state: inLabOrder(lab, { ...live.state, lab: result.lab, file: result.file, hosts: { ...live.state.hosts, ...fresh }, drift }) });
    } else {
      // The read itself broke (a bug, not a host): the hosts it had not reported get its message.
      const message = `Reading the lab failed: ${failed?.message ?? 'no reason given'}`;
      const readAt = new Date(this.now()).toISOString();
      const broken = Object.fromEntries(hosts.filter((host) => !delivered.has(host)).map((host): [string, HostReading] => [host, { ok: false, failure: { host, readAt, kind: 'read', message } }]));
      this.labs.set(key, { ...live, reading, readAt: this.now(), state: { ...live.state, hosts: { ...live.state.hosts, ...broken } } });
    }
    this.emit({ key, hosts });
  }

  private emit(change: LiveChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

/** Readings and drift in the lab's host order (as `readLabState` gives them), whatever order they came in. */
function inLabOrder(lab: Lab, state: LabState): LabState {
  const order = new Map(lab.hosts.map((host, i) => [host.name, i]));
  const rank = (host: string) => order.get(host) ?? order.size;
  const hosts = Object.fromEntries(Object.entries(state.hosts).sort(([a], [b]) => rank(a) - rank(b)));
  // A stable sort: each host's items keep their own (file) order.
  const drift = [...state.drift].sort((a, b) => rank(a.subject.host) - rank(b.subject.host));
  return { ...state, hosts, drift };
}
