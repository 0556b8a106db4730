// More channels than sshd allows on one connection. A stock sshd opens at most 10 sessions per
// connection (MaxSessions) and refuses the next with "open failed"; one host may well hold ten
// capture panes, a trace's points, the state probe and a script at once. As OpenSSH users do
// with several ControlMasters, a channel that sshd refuses goes to another connection to the
// same host, opened for it; callers never see it. What each connection holds is learned from
// the refusal itself (sshd's limit is not known in advance), and an extra connection that has
// carried nothing for a grace period is closed.

/** What the spreader needs of a connection. */
export interface SessionCarrier {
  readonly closed: boolean;
  /** Session channels open now. */
  readonly sessions: number;
  /** Session channels asked for and not yet opened or refused. */
  readonly pendingSessions: number;
  close(): void;
  on(event: 'sessions', listener: (count: number) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'sessions' | 'close', listener: () => void): unknown;
}

/** Timers, injected so that the grace period is tested without waiting for it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An extra connection that carried nothing for this long is closed. */
export const IDLE_GRACE_MS = 30_000;
/** Connections per host at most (the first included): 8 × sshd's default 10 sessions. */
export const MAX_CONNECTIONS_PER_HOST = 8;

export interface OverflowOptions<C> {
  /** Opens one more connection to the host (authenticated, ready for channels). */
  openExtra: () => Promise<C>;
  /** True when the error says sshd refused the channel and nothing ran. */
  isRefused: (error: unknown) => boolean;
  /** The error to throw when the host holds the most connections allowed, all full. */
  tooMany: (connections: number, perConnection: number) => Error;
  log?: (message: string) => void;
  timers?: Timers;
  idleGraceMs?: number;
  maxConnections?: number;
}

/** Resolves once no session channel of the connection is waiting for sshd's answer. */
function settled(connection: SessionCarrier): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (connection.pendingSessions > 0 && !connection.closed) return false;
      resolve();
      return true;
    };
    if (check()) return;
    const listener = () => {
      if (!check()) return;
      connection.off('sessions', listener);
      connection.off('close', listener);
    };
    connection.on('sessions', listener);
    connection.on('close', listener);
  });
}

export class ChannelSpreader<C extends SessionCarrier> {
  private readonly extras: C[] = [];
  /** Sessions a connection held when sshd refused one more: it is full at that count. */
  private readonly capacity = new WeakMap<C, number>();
  private readonly idleTimers = new Map<C, unknown>();
  private opening: Promise<C> | undefined;
  private closedAll = false;

  constructor(
    private readonly host: string,
    private readonly options: OverflowOptions<C>,
  ) {}

  /** Extra connections open now (for tests and the log). */
  get extraCount(): number {
    return this.extras.length;
  }

  /**
   * Runs `use` (which opens one channel) on a connection of the host with room for it: the
   * primary first, then the extra ones in the order they were opened, then a new one.
   */
  async place<T>(primary: C, use: (connection: C) => Promise<T>): Promise<T> {
    for (;;) {
      const target = this.withRoom(primary) ?? (await this.another(primary));
      try {
        return await use(target);
      } catch (error) {
        if (!this.options.isRefused(error)) throw error;
        // Replies to channels asked for at the same time may still be on their way: what the
        // connection holds is known once they are in.
        await settled(target);
        const open = target.sessions;
        // Refused on a connection that holds nothing: another connection would be refused too.
        if (open === 0 || this.closedAll) throw error;
        if (this.capacity.get(target) !== open) {
          this.options.log?.(`${this.host}: sshd refused a channel on a connection holding ${open} (its MaxSessions); the channel goes to another connection to ${this.host}`);
        }
        this.capacity.set(target, open);
      }
    }
  }

  /** Closes every extra connection (the pool lets go of the host). */
  closeAll(): void {
    this.closedAll = true;
    for (const handle of this.idleTimers.values()) this.timers.clearTimeout(handle);
    this.idleTimers.clear();
    for (const connection of this.extras.splice(0)) connection.close();
  }

  private get timers(): Timers {
    return this.options.timers ?? REAL_TIMERS;
  }

  private withRoom(primary: C): C | undefined {
    return [primary, ...this.extras].find((connection) => !connection.closed && connection.sessions < (this.capacity.get(connection) ?? Infinity));
  }

  private another(primary: C): Promise<C> {
    if (this.opening) return this.opening;
    const count = 1 + this.extras.length;
    if (count >= (this.options.maxConnections ?? MAX_CONNECTIONS_PER_HOST)) {
      return Promise.reject(this.options.tooMany(count, this.capacity.get(primary) ?? primary.sessions));
    }
    this.opening = this.options.openExtra().then(
      (connection) => {
        this.opening = undefined;
        if (this.closedAll) {
          connection.close();
          throw this.options.tooMany(0, 0);
        }
        this.adopt(connection);
        this.options.log?.(`${this.host}: opened connection ${1 + this.extras.length} to ${this.host} for more channels than one connection may hold`);
        return connection;
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  private adopt(connection: C): void {
    this.extras.push(connection);
    connection.on('sessions', (count) => (count > 0 ? this.stopIdle(connection) : this.armIdle(connection)));
    connection.on('close', () => this.drop(connection));
    // Opened for a channel that may have found room elsewhere meanwhile: idle until one comes.
    if (connection.sessions === 0) this.armIdle(connection);
  }

  private armIdle(connection: C): void {
    if (this.idleTimers.has(connection)) return;
    const graceMs = this.options.idleGraceMs ?? IDLE_GRACE_MS;
    this.idleTimers.set(
      connection,
      this.timers.setTimeout(() => {
        this.idleTimers.delete(connection);
        if (connection.sessions > 0) return;
        this.drop(connection);
        connection.close();
        this.options.log?.(`${this.host}: closed an extra connection to ${this.host}, idle for ${Math.round(graceMs / 1000)} s`);
      }, graceMs),
    );
  }

  private stopIdle(connection: C): void {
    const handle = this.idleTimers.get(connection);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    this.idleTimers.delete(connection);
  }

  private drop(connection: C): void {
    this.stopIdle(connection);
    const at = this.extras.indexOf(connection);
    if (at >= 0) this.extras.splice(at, 1);
  }
}
