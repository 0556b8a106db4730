// One connection per host, shared by every feature. A second caller gets the live connection or
// the pending connect, so concurrent connects merge. A jump through a lab host reuses that
// host's pooled connection. A channel that sshd refuses (MaxSessions) goes to an extra
// connection to the same host (overflow.ts). Losing a connection is an event; the pool then
// reconnects in the background with backoff, and the next use reconnects at once. Connects run
// a bounded number at a time (connectLimiter.ts), as `xargs -P` bounds OpenSSH.

import { EventEmitter } from 'node:events';
import { shellCommand } from '../util/shell';
import type { ClientChannel } from 'ssh2';
import { isChannelRefused, SshConnection, type ConnectOptions } from './connection';
import { ConnectCancelled, ConnectDeadline, ConnectLimiter, type ConnectLimiterStats } from './connectLimiter';
import type { EndpointTable } from './endpoints';
import { SshError, timeoutError } from './errors';
import { ChannelSpreader, REAL_TIMERS, type Timers } from './overflow';
import { withSudo } from './sudo';
import type { ExecOptions, ExecResult, PassphrasePrompt, SshEndpoint } from './types';

export type HostConnectionState = 'idle' | 'connecting' | 'connected' | 'failed';

export interface HostStateEvent {
  host: string;
  state: HostConnectionState;
  error?: SshError;
  /** A connection that was up went away (not a connect that failed): the pool is trying to get it back. */
  lost?: boolean;
  /** Connected again after a loss, by the pool's own retries or by a use. */
  reconnected?: boolean;
}

/**
 * Connects (TCP, handshake, authentication) at once, by default: 16, as `xargs -P 16` users
 * pick. Measured by bench/scaleState.ts on 128 light hosts, whose sshds share this machine's
 * 2 cores with the client, cold reads took 3.1-4.6 s with 4 at once, 3.1-4.2 s with 8, and
 * 2.9-4.5 s with 16, 32 or 64, differences within the machine's noise from 8 up: there the
 * CPU (about 7 ms ours and 35 ms the host's per connect and probe) is the bound, not the
 * parallelism. 16 is as fast as any, and holds fewer half-open connections than 32 or 64.
 * Each connect goes to a different sshd, so MaxStartups (10 unauthenticated connections per
 * sshd by default) does not limit this; extra connections to one host (overflow.ts) are few.
 */
export const DEFAULT_PARALLEL_CONNECTS = 16;

/** Opens one authenticated connection; tests pass a stand-in. */
export type Connector = (endpoint: SshEndpoint, options: ConnectOptions) => Promise<SshConnection>;

/** Seconds between the pool's attempts to get a lost connection back: 1, 2, 4, … up to 30. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}

export interface PoolOptions {
  prompt?: PassphrasePrompt;
  /** Told when a prompted passphrase proved right (the editor may offer to keep it in SecretStorage). */
  onPassphraseAccepted?: (keyFile: string, passphrase: string) => void;
  agentSocket?: string;
  keepaliveIntervalMs?: number;
  /** Messages worth showing, such as a newly recorded host key. */
  onNotice?: (host: string, message: string) => void;
  /** Lines for the log: extra connections opened and closed, reconnect attempts. */
  onLog?: (host: string, message: string) => void;
  /** Timers for the extra connections' grace period and the reconnect backoff (tests inject them). */
  timers?: Timers;
  /** Reconnect by itself after a lost connection (default true). */
  reconnect?: boolean;
  /** Connects running at once, default DEFAULT_PARALLEL_CONNECTS; the rest wait in order. */
  parallelConnects?: number;
  /** Opens the connections (default SshConnection.open); tests count or fake the connects. */
  connector?: Connector;
}

export interface ConnectRequest {
  /** Stops waiting: for a slot, or for the shared connect; the connect itself goes on if someone else waits for it. */
  signal?: AbortSignal;
}

/** A connect in progress, shared by everyone who asked for the host meanwhile. */
interface PendingConnect {
  promise: Promise<SshConnection>;
  /** Aborted when every caller that asked for it has cancelled (one without a signal never does). */
  abandon: AbortController;
  waiting: number;
  pinned: boolean;
}

/** A command: an argument list (quoted by the one quoting function) or a lab script's own shell text. */
export type Command = readonly string[] | { script: string };

export { OVS_ENVIRONMENT } from './sudo';

/** Renders a command as the line sshd hands to the user's shell, with `sudo -n` when asked. */
export function renderCommand(command: Command, sudo = false): string {
  const argv = 'script' in command ? ['sh', '-e', '-c', command.script] : [...command];
  return sudo ? withSudo(shellCommand(argv)) : shellCommand(argv);
}

export class SshPool extends EventEmitter {
  private readonly live = new Map<string, SshConnection>();
  private readonly pending = new Map<string, PendingConnect>();
  private readonly limiter: ConnectLimiter;
  private readonly states = new Map<string, HostStateEvent>();
  private readonly passphrases = new Map<string, string>();
  private readonly spreaders = new Map<string, ChannelSpreader<SshConnection>>();
  /** Hosts whose connection was lost and not yet regained, with the pending retry. */
  private readonly retries = new Map<string, { attempt: number; timer?: unknown }>();
  private disposed = false;

  constructor(
    readonly endpoints: EndpointTable,
    private readonly options: PoolOptions = {},
  ) {
    super();
    this.limiter = new ConnectLimiter(options.parallelConnects ?? DEFAULT_PARALLEL_CONNECTS, options.timers ?? REAL_TIMERS);
  }

  /** How many connects run and wait now, and the most that ran at once. */
  connectStats(): ConnectLimiterStats {
    return this.limiter.stats();
  }

  state(host: string): HostStateEvent {
    return this.states.get(host) ?? { host, state: 'idle' };
  }

  private setState(event: HostStateEvent): void {
    this.states.set(event.host, event);
    this.emit('state', event);
  }

  /** The host's connection, opened if needed (through its jump hosts). */
  connect(host: string, request: ConnectRequest = {}): Promise<SshConnection> {
    return this.connectAs(host, false, request.signal);
  }

  /**
   * `quiet`: a background retry after a loss, which leaves the host shown as lost until it
   * succeeds. A caller that cancels (ConnectCancelled) stops waiting at once; the connect
   * itself leaves the queue when nobody else waits for it.
   */
  private connectAs(host: string, quiet: boolean, signal?: AbortSignal): Promise<SshConnection> {
    if (this.disposed) return Promise.reject(new SshError('connection-lost', host, `${host}: the connection pool is closed.`));
    if (signal?.aborted) return Promise.reject(new ConnectCancelled(host));
    const live = this.live.get(host);
    if (live && !live.closed) return Promise.resolve(live);
    let pending = this.pending.get(host);
    if (!pending) {
      const abandon = new AbortController();
      const entry: PendingConnect = { abandon, waiting: 0, pinned: false, promise: undefined as never };
      entry.promise = this.open(host, quiet, abandon.signal, () => (this.pending.get(host) ?? entry) === entry).finally(() => {
        if (this.pending.get(host) === entry) this.pending.delete(host);
      });
      this.pending.set(host, entry);
      pending = entry;
    }
    if (!signal) {
      pending.pinned = true;
      return pending.promise;
    }
    const entry = pending;
    entry.waiting++;
    return new Promise<SshConnection>((resolve, reject) => {
      const onAbort = () => {
        entry.waiting--;
        if (entry.waiting === 0 && !entry.pinned) {
          // Nobody waits for it now: the next caller starts afresh rather than join a connect
          // that is about to end as cancelled (it leaves the limiter's queue a few ticks later).
          if (this.pending.get(host) === entry) this.pending.delete(host);
          entry.abandon.abort();
        }
        reject(new ConnectCancelled(host));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (connection) => {
          signal.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * `isCurrent`: whether no newer connect to the host has replaced this one. An abandoned
   * connect that a newer one replaced no longer speaks for the host's state, and if it connects
   * anyway, the first of the two to connect is kept and the other closed.
   */
  private async open(host: string, quiet: boolean, signal: AbortSignal, isCurrent: () => boolean): Promise<SshConnection> {
    const wasLost = this.retries.has(host);
    if (!quiet) this.setState({ host, state: 'connecting' });
    try {
      const connection = await this.dial(host, signal);
      const existing = this.live.get(host);
      if (existing && !existing.closed) {
        connection.close();
        return existing;
      }
      this.live.set(host, connection);
      connection.once('close', (error: SshError) => {
        if (this.live.get(host) !== connection) return; // closed on purpose by disconnect() or dispose()
        this.live.delete(host);
        this.setState({ host, state: 'failed', error, lost: true });
        this.scheduleReconnect(host);
      });
      this.stopRetrying(host);
      this.setState({ host, state: 'connected', reconnected: wasLost || undefined });
      if (wasLost) this.options.onLog?.(host, `${host}: connected again`);
      return connection;
    } catch (error) {
      const live = this.live.get(host);
      const speaks = !quiet && isCurrent() && !(live && !live.closed);
      if (error instanceof ConnectCancelled) {
        if (speaks) this.setState(this.retries.has(host) ? { host, state: 'failed', lost: true } : { host, state: 'idle' });
        throw error;
      }
      const sshError = error instanceof SshError ? error : new SshError('connection-lost', host, `${host}: ${(error as Error).message}`, error);
      if (speaks) this.setState({ host, state: 'failed', error: sshError, lost: this.retries.has(host) || undefined });
      throw sshError;
    }
  }

  /** A new authenticated connection to the host (through its jump hosts), with no state events. */
  private async dial(host: string, signal?: AbortSignal): Promise<SshConnection> {
    const endpoint = this.endpoints.get(host);
    let sock;
    if (endpoint.via) {
      let hop: SshConnection;
      try {
        hop = await this.connect(endpoint.via, { signal });
      } catch (error) {
        if (error instanceof ConnectCancelled) throw new ConnectCancelled(host);
        throw new SshError('jump', host, `${host}: cannot reach its jump host ${endpoint.via}. ${(error as Error).message}`, error);
      }
      try {
        sock = await hop.forwardOut(endpoint.hostname, endpoint.port);
      } catch (error) {
        throw new SshError(
          'jump',
          host,
          `${host}: jump host ${endpoint.via} could not open a connection to ${endpoint.hostname}:${endpoint.port} (${(error as Error).message}). Is sshd running on ${host}, and does ${endpoint.via} allow TCP forwarding?`,
          error,
        );
      }
    }
    const connector = this.options.connector ?? SshConnection.open;
    const options: ConnectOptions = {
      sock,
      agentSocket: this.options.agentSocket,
      prompt: this.options.prompt,
      onPassphraseAccepted: this.options.onPassphraseAccepted,
      passphrases: this.passphrases,
      keepaliveIntervalMs: this.options.keepaliveIntervalMs,
      onNotice: (message) => this.options.onNotice?.(host, message),
    };
    let connection: SshConnection;
    try {
      // Only the connect to this host takes a slot: its jump host took (and gave back) its own,
      // so hidden hosts waiting for slots never hold up the jump they need.
      connection = await this.limiter.run({
        host,
        start: () => connector(endpoint, options),
        // TCP, handshake and authentication together, as OpenSSH's ConnectTimeout: a host that
        // does not answer gives its slot back after its own connect timeout.
        deadlineMs: endpoint.connectTimeoutMs,
        late: (connection) => connection.close(),
        signal,
      });
    } catch (error) {
      if (error instanceof ConnectDeadline) {
        sock?.destroy();
        throw timeoutError({ host, hostname: endpoint.hostname, port: endpoint.port, user: endpoint.user, timeoutMs: endpoint.connectTimeoutMs });
      }
      throw error;
    }
    if (this.disposed) {
      connection.close();
      throw new SshError('connection-lost', host, `${host}: the connection pool is closed.`);
    }
    return connection;
  }

  private get timers(): Timers {
    return this.options.timers ?? REAL_TIMERS;
  }

  /** The host's spreader of channels over its connections (overflow.ts). */
  private spreader(host: string): ChannelSpreader<SshConnection> {
    let spreader = this.spreaders.get(host);
    if (!spreader) {
      spreader = new ChannelSpreader<SshConnection>(host, {
        openExtra: () => this.dial(host),
        isRefused: isChannelRefused,
        tooMany: (connections, perConnection) =>
          new SshError(
            'channel',
            host,
            `${host}: sshd refuses more channels: ${connections} connections to it hold ${perConnection} each (MaxSessions). Close some capture panes or terminals, or raise MaxSessions in ${host}'s sshd_config.`,
          ),
        log: (message) => this.options.onLog?.(host, message),
        timers: this.timers,
      });
      this.spreaders.set(host, spreader);
    }
    return spreader;
  }

  /** Runs a command on a host over its pooled connection (or an extra one when sshd refuses another channel). */
  async exec(host: string, command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    let connection: SshConnection;
    try {
      connection = await this.connect(host, { signal: options.signal });
    } catch (error) {
      // Cancelled before it could start: the same result as a command cancelled at once.
      if (error instanceof ConnectCancelled) return { code: null, stdout: '', stderr: '', cancelled: 'aborted' };
      throw error;
    }
    const line = renderCommand(command);
    return this.spreader(host).place(connection, (target) => target.exec(line, options));
  }

  /** An interactive shell with a pty on the host, for terminals. */
  async shell(host: string, window: { rows: number; cols: number; term?: string }): Promise<ClientChannel> {
    const connection = await this.connect(host);
    return this.spreader(host).place(connection, (target) => target.shell(window));
  }

  /**
   * After a loss, tries to get the connection back after 1, 2, 4, … 30 s (then every 30 s). A use in between connects by itself; disconnect() stops it.
   */
  private scheduleReconnect(host: string): void {
    if (this.disposed || this.options.reconnect === false) return;
    const retry = this.retries.get(host) ?? { attempt: 0 };
    this.retries.set(host, retry);
    if (retry.timer !== undefined) return;
    const delay = reconnectDelayMs(retry.attempt);
    retry.timer = this.timers.setTimeout(() => {
      retry.timer = undefined;
      if (this.disposed || this.retries.get(host) !== retry || this.live.has(host)) return;
      retry.attempt++;
      this.connectAs(host, true).catch(() => {
        if (this.retries.get(host) === retry && !this.live.has(host)) this.scheduleReconnect(host);
      });
    }, delay);
  }

  private stopRetrying(host: string): void {
    const retry = this.retries.get(host);
    if (retry?.timer !== undefined) this.timers.clearTimeout(retry.timer);
    this.retries.delete(host);
  }

  disconnect(host: string): void {
    const connection = this.live.get(host);
    this.live.delete(host);
    this.stopRetrying(host);
    this.spreaders.get(host)?.closeAll();
    this.spreaders.delete(host);
    connection?.close();
    this.setState({ host, state: 'idle' });
  }

  /** Closes every connection, innermost hops first so their channels close before the jump hosts. */
  dispose(): void {
    this.disposed = true;
    // Connects still waiting for a slot end now, with the same answer a new connect gets.
    this.limiter.close((host) => new SshError('connection-lost', host, `${host}: the connection pool is closed.`));
    for (const host of [...this.retries.keys()]) this.stopRetrying(host);
    const byDepth = (a: SshConnection, b: SshConnection) => Number(Boolean(b.endpoint.via)) - Number(Boolean(a.endpoint.via));
    const connections = [...this.live.values()].sort(byDepth);
    this.live.clear();
    for (const spreader of this.spreaders.values()) spreader.closeAll();
    this.spreaders.clear();
    for (const connection of connections) connection.close();
  }
}
