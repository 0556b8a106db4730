// One SSH connection to one endpoint, over a socket we make ourselves (so Nagle is off and the
// connect timeout is ours) or over a channel of a jump host. Host keys are checked before any
// authentication; every channel in flight hears about it when the connection is lost.

import { EventEmitter } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type PseudoTtyOptions } from 'ssh2';
import { describeConnectError, SshError, timeoutError } from './errors';
import { checkHostKey, knownTypesFor } from './hostKeyCheck';
import { IdentityQueue, type IdentityOptions } from './identities';
import { knownHostsName } from './knownHosts';
import { withSudo } from './sudo';
import { HEARTBEAT_BYTE, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_SECONDS, supervisedCommand } from './supervise';
import type { ExecOptions, ExecResult, SshEndpoint } from './types';

/** How long a stopped command may take to go before the caller stops waiting for it. */
const STOP_GRACE_MS = 5000;

/**
 * SSH keepalives: one every 4 s, and the connection counts as lost after 3 unanswered, so a
 * host whose link dies silently is known lost 12 to 16 s later (TCP alone takes minutes).
 */
export const KEEPALIVE_INTERVAL_MS = 4_000;
export const KEEPALIVE_COUNT_MAX = 3;

/** ssh2's reason code when sshd refuses a channel (MaxSessions reached: "open failed"). */
const ADMINISTRATIVELY_PROHIBITED = 1;

/** True when sshd refused to open a channel on a connection that is otherwise fine. */
export function isChannelRefused(error: unknown): boolean {
  if (!(error instanceof SshError) || error.kind !== 'channel') return false;
  const cause = error.cause as { reason?: unknown; message?: unknown } | undefined;
  return cause?.reason === ADMINISTRATIVELY_PROHIBITED || /open failed|administratively prohibited/i.test(String(cause?.message ?? ''));
}

export interface ConnectOptions extends IdentityOptions {
  /** A channel through a jump host; without it a TCP socket is opened. */
  sock?: Duplex;
  /** Default KEEPALIVE_INTERVAL_MS. */
  keepaliveIntervalMs?: number;
  onNotice?: (message: string) => void;
}

/** Algorithms to ask for first, for each key type already in known_hosts (as OpenSSH orders them). */
function hostKeyAlgorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}

function openSocket(endpoint: SshEndpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: endpoint.hostname, port: endpoint.port });
    const where = { host: endpoint.label, hostname: endpoint.hostname, port: endpoint.port, user: endpoint.user, timeoutMs: endpoint.connectTimeoutMs };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timeoutError(where));
    }, endpoint.connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      // ssh2 leaves Nagle on: every small request would wait for the previous ACK (44 ms vs 3.6 ms measured).
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(describeConnectError(error, where));
    });
  });
}

/** Why a connection that was up went away, in words a user can act on. */
function lostError(endpoint: SshEndpoint, error: Error, keepaliveMs: number): SshError {
  if (/keepalive timeout/i.test(error.message)) {
    const seconds = Math.round((keepaliveMs * (KEEPALIVE_COUNT_MAX + 1)) / 1000);
    return new SshError(
      'connection-lost',
      endpoint.label,
      `${endpoint.label}: stopped answering: no reply to ${KEEPALIVE_COUNT_MAX} SSH keepalives in ${seconds} s (the host, its network or its sshd is down, or a firewall drops the traffic). Reconnecting when it answers again.`,
      error,
    );
  }
  return new SshError('connection-lost', endpoint.label, `${endpoint.label}: connection lost: ${error.message}`, error);
}

export class SshConnection extends EventEmitter {
  private closedWith: SshError | undefined;
  private isClosed = false;
  private readonly inFlight = new Set<(error: SshError) => void>();
  private openSessions = 0;
  private openingSessions = 0;

  private constructor(
    readonly endpoint: SshEndpoint,
    private readonly client: Client,
    keepaliveMs: number,
  ) {
    super();
    // Every channel placed on it waits on 'sessions' for a moment; dozens at once are normal.
    this.setMaxListeners(0);
    client.on('error', (error) => {
      this.closedWith ??= lostError(endpoint, error, keepaliveMs);
    });
    client.on('close', () => {
      this.isClosed = true;
      const error = this.closedWith ?? new SshError('connection-lost', endpoint.label, `${endpoint.label}: connection closed by ${endpoint.hostname}.`);
      for (const fail of this.inFlight) fail(error);
      this.inFlight.clear();
      this.emit('close', error);
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Session channels open now (commands and shells; a jump's forwarded streams are not
   * sessions and sshd's MaxSessions does not count them). Emits 'sessions' when it or
   * `pendingSessions` changes.
   */
  get sessions(): number {
    return this.openSessions;
  }

  /** Session channels asked for and not yet opened or refused. */
  get pendingSessions(): number {
    return this.openingSessions;
  }

  /** Counts a session channel from the request until it is refused, or until its close. */
  private opening(): (channel: ClientChannel | undefined) => void {
    this.openingSessions++;
    return (channel) => {
      this.openingSessions--;
      if (channel) {
        this.openSessions++;
        channel.once('close', () => {
          this.openSessions--;
          this.emit('sessions', this.openSessions);
        });
      }
      this.emit('sessions', this.openSessions);
    };
  }

  static async open(endpoint: SshEndpoint, options: ConnectOptions): Promise<SshConnection> {
    const started = Date.now();
    const sock = options.sock ?? (await openSocket(endpoint));
    const lookupName = endpoint.hostKeyAlias ?? knownHostsName(endpoint.hostname, endpoint.port);
    const knownTypes = await knownTypesFor(endpoint.knownHostsFiles, lookupName);
    const identities = new IdentityQueue(endpoint, options);
    const where = { host: endpoint.label, hostname: endpoint.hostname, port: endpoint.port, user: endpoint.user, timeoutMs: endpoint.connectTimeoutMs };
    const client = new Client();
    let hostKeyError: SshError | undefined;

    return new Promise<SshConnection>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        client.end();
        sock.destroy();
        if (hostKeyError) return reject(hostKeyError);
        const described = describeConnectError(error, where);
        if (described.kind === 'authentication') {
          const detail = [`tried: ${identities.tried.join(', ') || 'nothing (no agent, no identity file)'}`];
          if (identities.skipped.length) detail.push(`skipped: ${identities.skipped.join('; ')}`);
          return reject(new SshError('authentication', endpoint.label, `${described.message} (${detail.join('; ')})`, error));
        }
        reject(described);
      };
      client.once('ready', () => {
        settled = true;
        resolve(new SshConnection(endpoint, client, options.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS));
      });
      client.once('error', fail);
      client.once('close', () => fail(new SshError('connection-lost', endpoint.label, `${endpoint.label}: ${endpoint.hostname}:${endpoint.port} closed the connection during the SSH handshake.`)));
      if (options.sock) {
        // Through a jump host, the far end going away shows only as EOF on the forwarded
        // channel; ssh2 would then stop its keepalives (the stream is not writable) and wait
        // forever. End the connection then, so that it closes like a TCP one.
        options.sock.once('end', () => {
          client.end();
          setTimeout(() => sock.destroy(), 1000).unref();
        });
      }
      client.connect({
        sock,
        username: endpoint.user,
        // One connect timeout for TCP and the handshake together, not one each.
        readyTimeout: Math.max(1, endpoint.connectTimeoutMs - (Date.now() - started)),
        keepaliveInterval: options.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: KEEPALIVE_COUNT_MAX,
        algorithms: knownTypes.length ? { serverHostKey: { prepend: knownTypes.flatMap(hostKeyAlgorithmsFor) as never[] } } : undefined,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          checkHostKey({ host: endpoint.label, lookupName, blob: key, strict: endpoint.strictHostKeyChecking, files: endpoint.knownHostsFiles })
            .then((verdict) => {
              if (!verdict.accept) hostKeyError = verdict.error;
              else if (verdict.notice) options.onNotice?.(verdict.notice);
              verify(verdict.accept);
            })
            .catch((error: Error) => {
              hostKeyError = new SshError('host-key-unknown', endpoint.label, `${endpoint.label}: cannot check the host key: ${error.message}`);
              verify(false);
            });
        },
        authHandler: (methodsLeft: string[] | null, _partial: boolean | null, callback: (method: unknown) => void) => {
          if (methodsLeft && !methodsLeft.includes('publickey')) return callback(false);
          identities.next().then(
            (method) => callback(method ?? false),
            () => callback(false),
          );
        },
      } as never);
    });
  }

  /** Runs one command line; output streams to the callbacks and is collected for the result. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const label = this.endpoint.label;
    if (this.isClosed) return Promise.reject(this.closedWith ?? new SshError('connection-lost', label, `${label}: not connected.`));
    return new Promise<ExecResult>((resolve, reject) => {
      const pty: PseudoTtyOptions | undefined = options.pty ? { term: 'dumb', rows: 24, cols: 200 } : undefined;
      // A command that may be stopped must die with its channel, and also when the link goes
      // silent: the supervisor ends it on EOF, on a hangup (pty) and when the heartbeats stop.
      const supervised = options.stdin === undefined && (options.signal !== undefined || options.timeoutSeconds !== undefined);
      const line = supervised
        ? supervisedCommand(command, { heartbeatSeconds: HEARTBEAT_TIMEOUT_SECONDS, sudo: options.sudo })
        : options.sudo
          ? withSudo(command)
          : command;
      const opened = this.opening();
      try {
        this.client.exec(line, pty ? { pty } : {}, (error, channel) => {
          opened(error ? undefined : channel);
          if (error) return reject(new SshError('channel', label, `${label}: cannot start a command: ${error.message}`, error));
          this.runChannel(channel, { ...options, heartbeat: supervised }, resolve, reject);
        });
      } catch (error) {
        // ssh2 throws "Not connected" when the socket went away before its close event came.
        opened(undefined);
        reject(this.closedWith ?? new SshError('connection-lost', label, `${label}: connection lost: ${(error as Error).message}`, error));
      }
    });
  }

  private runChannel(
    channel: ClientChannel,
    options: ExecOptions & { heartbeat?: boolean },
    resolve: (result: ExecResult) => void,
    reject: (error: SshError) => void,
  ): void {
    const collect = options.collect ?? true;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exit: { code: number | null; signal?: string } | undefined;
    let cancelled: ExecResult['cancelled'];
    let done = false;

    const finish = (error?: SshError) => {
      if (done) return;
      done = true;
      this.inFlight.delete(onConnectionLost);
      clearTimeout(timer);
      clearInterval(heartbeat);
      options.signal?.removeEventListener('abort', onAbort);
      if (error && !cancelled) return reject(error);
      resolve({
        code: exit?.code ?? null,
        signal: exit?.signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        cancelled,
      });
    };
    const stop = (why: NonNullable<ExecResult['cancelled']>) => {
      if (done || cancelled) return;
      cancelled = why;
      clearInterval(heartbeat);
      // EOF on stdin makes the supervisor kill the command; closing a pty channel hangs it up.
      // Either way the channel closes once the process is gone; if it does not, stop waiting.
      if (options.pty) channel.close();
      else channel.end();
      setTimeout(() => {
        channel.close();
        finish();
      }, STOP_GRACE_MS).unref();
    };
    const onAbort = () => stop('aborted');
    const onConnectionLost = (error: SshError) => finish(error);
    this.inFlight.add(onConnectionLost);
    const timer = options.timeoutSeconds ? setTimeout(() => stop('timeout'), options.timeoutSeconds * 1000) : undefined;
    const heartbeat = options.heartbeat
      ? setInterval(() => {
          if (channel.writable) channel.write(HEARTBEAT_BYTE);
        }, HEARTBEAT_INTERVAL_MS)
      : undefined;
    heartbeat?.unref();
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    channel.on('data', (chunk: Buffer) => {
      if (collect) stdout.push(chunk);
      options.onStdout?.(chunk);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (collect) stderr.push(chunk);
      options.onStderr?.(chunk);
    });
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
    });
    channel.on('close', () => {
      if (exit || cancelled) return finish();
      finish(new SshError('connection-lost', this.endpoint.label, `${this.endpoint.label}: the command ended without an exit status (the connection or sshd went away).`));
    });
    if (options.stdin !== undefined) channel.end(options.stdin);
  }

  /** An interactive shell with a pty, for terminals. */
  shell(window: { rows: number; cols: number; term?: string }): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      const opened = this.opening();
      const label = this.endpoint.label;
      try {
        this.client.shell({ rows: window.rows, cols: window.cols, term: window.term ?? 'xterm-256color' }, (error, channel) => {
          opened(error ? undefined : channel);
          if (error) return reject(new SshError('channel', label, `${label}: cannot open a shell: ${error.message}`, error));
          resolve(channel);
        });
      } catch (error) {
        opened(undefined);
        reject(this.closedWith ?? new SshError('connection-lost', label, `${label}: connection lost: ${(error as Error).message}`, error));
      }
    });
  }

  /**
   * sshd turns Nagle off on a connection only when its first session starts. A connection used
   * purely as a jump host never has one, so every small packet it forwards back to us waited
   * for our delayed ACK: 43 ms per command through the jump, measured, against 4 ms once one
   * session (`true`) had run on it first.
   */
  private nagleOff: Promise<unknown> | undefined;

  /** A TCP stream to `host:port` as seen from this host: how a jump host carries the next hop. */
  async forwardOut(host: string, port: number): Promise<ClientChannel> {
    this.nagleOff ??= this.exec('true').catch(() => undefined);
    await this.nagleOff;
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        if (error) reject(error);
        else resolve(channel);
      });
    });
  }

  close(): void {
    this.closedWith ??= new SshError('connection-lost', this.endpoint.label, `${this.endpoint.label}: disconnected.`);
    this.client.end();
  }
}
