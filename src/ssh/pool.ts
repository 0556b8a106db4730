// One connection per host, shared by every feature. A second caller gets the live connection or
// the pending connect, so concurrent connects merge. A jump through a lab host reuses that
// host's pooled connection. Losing a connection is an event; the next use reconnects.

import { EventEmitter } from 'node:events';
import { shellCommand } from '../util/shell';
import { SshConnection } from './connection';
import type { EndpointTable } from './endpoints';
import { SshError } from './errors';
import type { ExecOptions, ExecResult, PassphrasePrompt } from './types';

export type HostConnectionState = 'idle' | 'connecting' | 'connected' | 'failed';

export interface HostStateEvent {
  host: string;
  state: HostConnectionState;
  error?: SshError;
}

export interface PoolOptions {
  prompt?: PassphrasePrompt;
  /** Told when a prompted passphrase proved right (the editor may offer to keep it in SecretStorage). */
  onPassphraseAccepted?: (keyFile: string, passphrase: string) => void;
  agentSocket?: string;
  keepaliveIntervalMs?: number;
  /** Messages worth showing, such as a newly recorded host key. */
  onNotice?: (host: string, message: string) => void;
}

/** A command: an argument list (quoted by the one quoting function) or a lab script's own shell text. */
export type Command = readonly string[] | { script: string };

/**
 * Where Open vSwitch's tools find its socket, database and files when a host does not keep them
 * in the default places (several OVS instances on one machine, containers): set in the login's
 * environment, so `ovs-vsctl` as the user reaches the host's own OVS.
 */
export const OVS_ENVIRONMENT = ['OVS_RUNDIR', 'OVS_DBDIR', 'OVS_SYSCONFDIR', 'OVS_LOGDIR', 'OVS_PKGDATADIR', 'OVS_BINDIR'] as const;

/**
 * sudo resets the environment, so under `sudo: true` ovs-vsctl would talk to whatever OVS sits
 * at the default socket instead (another instance's, with other bridges and no version), or to
 * none. Each variable the login has set is handed on through `env`, expanded by the login shell
 * (`${V+…}` is empty when V is unset, so a host without them runs plain `sudo -n CMD`).
 */
const KEEP_OVS_ENVIRONMENT = OVS_ENVIRONMENT.map((name) => `\${${name}+env "${name}=$${name}"}`).join(' ');

/** Renders a command as the line sshd hands to the user's shell, with `sudo -n` when asked. */
export function renderCommand(command: Command, sudo = false): string {
  const argv = 'script' in command ? ['sh', '-e', '-c', command.script] : [...command];
  return sudo ? `sudo -n ${KEEP_OVS_ENVIRONMENT} ${shellCommand(argv)}` : shellCommand(argv);
}

export class SshPool extends EventEmitter {
  private readonly live = new Map<string, SshConnection>();
  private readonly pending = new Map<string, Promise<SshConnection>>();
  private readonly states = new Map<string, HostStateEvent>();
  private readonly passphrases = new Map<string, string>();
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
    if (this.disposed) return Promise.reject(new SshError('connection-lost', host, `${host}: the connection pool is closed.`));
    const live = this.live.get(host);
    if (live && !live.closed) return Promise.resolve(live);
    const pending = this.pending.get(host);
    if (pending) return pending;
    const attempt = this.open(host).finally(() => this.pending.delete(host));
    this.pending.set(host, attempt);
    return attempt;
  }

  private async open(host: string): Promise<SshConnection> {
    const endpoint = this.endpoints.get(host);
    this.setState({ host, state: 'connecting' });
    try {
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
      this.live.set(host, connection);
      connection.once('close', (error: SshError) => {
        if (this.live.get(host) !== connection) return; // closed on purpose by disconnect() or dispose()
        this.live.delete(host);
        this.setState({ host, state: 'failed', error });
      });
      this.setState({ host, state: 'connected' });
      return connection;
    } catch (error) {
      const sshError = error instanceof SshError ? error : new SshError('connection-lost', host, `${host}: ${(error as Error).message}`, error);
      this.setState({ host, state: 'failed', error: sshError });
      throw sshError;
    }
  }

  /** Runs a command on a host over its pooled connection. */
  async exec(host: string, command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    const connection = await this.connect(host);
    return connection.exec(renderCommand(command, options.sudo), options);
  }

  disconnect(host: string): void {
    const connection = this.live.get(host);
    this.live.delete(host);
    connection?.close();
    this.setState({ host, state: 'idle' });
  }

  /** Closes every connection, innermost hops first so their channels close before the jump hosts. */
  dispose(): void {
    this.disposed = true;
    const connections = [...this.live.values()].sort((a, b) => Number(Boolean(b.endpoint.via)) - Number(Boolean(a.endpoint.via)));
    this.live.clear();
    for (const connection of connections) connection.close();
  }
}
