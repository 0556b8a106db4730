// One connection per host, shared by every feature. A second caller gets the live connection or
// the pending connect, so concurrent connects merge. A jump through a lab host reuses that
// host's pooled connection. A channel that sshd refuses (MaxSessions) goes to an extra
// connection to the same host (overflow.ts). Losing a connection is an event; the pool then
// reconnects in the background with backoff, and the next use reconnects at once.

import { EventEmitter } from 'node:events';
import { shellCommand } from '../util/shell';
import type { ClientChannel } from 'ssh2';
import { isChannelRefused, SshConnection } from './connection';
import type { EndpointTable } from './endpoints';
import { SshError } from './errors';
import { ChannelSpreader, REAL_TIMERS, type Timers } from './overflow';
import { withSudo } from './sudo';
import type { ExecOptions, ExecResult, PassphrasePrompt } from './types';

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
  private readonly pending = new Map<string, Promise<SshConnection>>();
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
  }

  state(host: string): HostStateEvent {
    return this.states.get(host) ?? { host, state: 'idle' };
  }

  private setState(event: HostStateEvent): void {
    this.states.set(event.host, event);
    this.emit('state', event);
  }

  /** The host's connection, opened if needed (through its jump hosts). */
  connect(host: string): Promise<SshConnection> {
    return this.connectAs(host, false);
  }

  /** `quiet`: a background retry after a loss, which leaves the host shown as lost until it succeeds. */
  private connectAs(host: string, quiet: boolean): Promise<SshConnection> {
    if (this.disposed) return Promise.reject(new SshError('connection-lost', host, `${host}: the connection pool is closed.`));
    const live = this.live.get(host);
    if (live && !live.closed) return Promise.resolve(live);
    const pending = this.pending.get(host);
    if (pending) return pending;
    const attempt = this.open(host, quiet).finally(() => this.pending.delete(host));
    this.pending.set(host, attempt);
    return attempt;
  }

  private async open(host: string, quiet: boolean): Promise<SshConnection> {
    const wasLost = this.retries.has(host);
    if (!quiet) this.setState({ host, state: 'connecting' });
    try {
      const connection = await this.dial(host);
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
      const sshError = error instanceof SshError ? error : new SshError('connection-lost', host, `${host}: ${(error as Error).message}`, error);
      if (!quiet) this.setState({ host, state: 'failed', error: sshError, lost: this.retries.has(host) || undefined });
      throw sshError;
    }
  }

  /** A new authenticated connection to the host (through its jump hosts), with no state events. */
  private async dial(host: string): Promise<SshConnection> {
    const endpoint = this.endpoints.get(host);
    let sock;
    if (endpoint.via) {
      let hop: SshConnection;
      try {
        hop = await this.connect(endpoint.via);
      } catch (error) {
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
    const connection = await SshConnection.open(endpoint, {
      sock,
      agentSocket: this.options.agentSocket,
      prompt: this.options.prompt,
      onPassphraseAccepted: this.options.onPassphraseAccepted,
      passphrases: this.passphrases,
      keepaliveIntervalMs: this.options.keepaliveIntervalMs,
      onNotice: (message) => this.options.onNotice?.(host, message),
    });
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
    const connection = await this.connect(host);
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
    for (const host of [...this.retries.keys()]) this.stopRetrying(host);
    const byDepth = (a: SshConnection, b: SshConnection) => Number(Boolean(b.endpoint.via)) - Number(Boolean(a.endpoint.via));
    const connections = [...this.live.values()].sort(byDepth);
    this.live.clear();
    for (const spreader of this.spreaders.values()) spreader.closeAll();
    this.spreaders.clear();
    for (const connection of connections) connection.close();
  }
}
