// One tcpdump on one host, over the host's pooled connection (architecture rule 2), that ends
// with its channel (rule 5). The remote side is remoteWrapper.ts under the SSH core's
// supervisor: closing the channel, the client dying, or the connection dropping all end tcpdump
// and remove the pcap folder on the host.
//
// Life of a session: starting → listening (tcpdump said "listening on …") → ended (tcpdump is
// gone; its summary is in `stats`) → closed (nothing of it is left on the host). Without a pcap,
// ended and closed come together. With one, the host keeps the pcap after tcpdump ends so that
// "Save as pcap" still works, until close() (or keepPcapSeconds): whoever starts a session
// closes it.

import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { SshError } from '../ssh/errors';
import { sudoRefusal } from '../ssh/sudo';
import type { ExecOptions, ExecResult } from '../ssh/types';
import type { Command } from '../ssh/pool';
import { LineSplitter } from '../util/lineSplitter';
import { FrameReader } from './frameParser';
import { PcapGuard, type PcapSummary } from './pcap';
import { fetchArgv, MARKER, stopArgv, wrapperArgv } from './remoteWrapper';
import { CaptureArgumentError, tcpdumpArgs, type TcpdumpOptions } from './tcpdumpCommand';
import { parseStderrLine } from './tcpdumpStderr';
import type { CaptureEnd, CaptureEndReason, CaptureFrame, CaptureState, CaptureStats } from './types';

/** What a session needs of the connection pool (SshPool has it). */
export interface CaptureExec {
  exec(host: string, command: Command, options?: ExecOptions): Promise<ExecResult>;
}

export interface CaptureOptions extends TcpdumpOptions {
  /** A host of the lab. */
  host: string;
  /** Stop after this many seconds of listening. */
  seconds?: number;
  /** Keep a pcap on the host, for savePcap(). Default false. */
  pcap?: boolean;
  /** The pcap is a ring of two files of this many million bytes: the newest 1–2× this much is kept. Default 20. */
  pcapMegabytes?: number;
  /** How long the host keeps the pcap after tcpdump ended, if close() never comes. Default 3600 s. */
  keepPcapSeconds?: number;
  /** Run tcpdump with `sudo -n` (the host's `sudo: true`). */
  sudo?: boolean;
  /** Aborting it closes the session. */
  signal?: AbortSignal;
  /** Every frame, as soon as it is whole. */
  onFrame?: (frame: CaptureFrame) => void;
  /** What tcpdump says on stderr besides "listening" and its summary (warnings, errors), word for word. */
  onMessage?: (line: string) => void;
  onState?: (state: CaptureState) => void;
}

export const DEFAULT_PCAP_MEGABYTES = 20;
export const DEFAULT_KEEP_PCAP_SECONDS = 3600;
/** tcpdump's last lines on stderr kept for an error message. */
const KEPT_MESSAGES = 20;

export interface Listening {
  interface: string;
  linkType: string;
}

/** A capture that failed or could not start: the message names host and interface. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly reason: CaptureEndReason,
    message: string,
    /** tcpdump's own lines, as it printed them. */
    readonly tcpdumpMessages: string[] = [],
  ) {
    super(message);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class CaptureSession {
  readonly host: string;
  readonly interface: string;
  readonly filter: string | undefined;
  /** Resolves once tcpdump listens (send a probe after this); rejects with CaptureError if it never does. */
  readonly listening: Promise<Listening>;
  /** Resolves when tcpdump has ended, whatever the reason; never rejects. */
  readonly ended: Promise<CaptureEnd>;
  /** Resolves when nothing of the capture is left on the host (or the connection is gone); never rejects. */
  readonly closed: Promise<CaptureEnd>;

  private currentState: CaptureState = 'starting';
  private readonly abort = new AbortController();
  private readonly listeningDeferred = deferred<Listening>();
  private readonly endedDeferred = deferred<CaptureEnd>();
  private readonly closedDeferred = deferred<CaptureEnd>();
  private readonly reader: FrameReader;
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;
  private readonly messages: string[] = [];
  private readonly statsSoFar: Partial<CaptureStats> = {};
  private frameCount = 0;
  private folder: string | undefined;
  private noPcapReason: string | undefined;
  private pid: number | undefined;
  private exitStatus: number | undefined;
  private stdoutDone = false;
  private stderrDone = false;
  private stopReason: 'stopped' | 'seconds' | undefined;
  private closeRequested = false;
  private end: CaptureEnd | undefined;
  private secondsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => void this.close();

  constructor(
    private readonly pool: CaptureExec,
    private readonly options: CaptureOptions,
  ) {
    this.host = options.host;
    this.interface = options.interface;
    this.filter = options.filter?.trim() || undefined;
    const argv = tcpdumpArgs(options); // throws CaptureArgumentError before anything starts
    if (options.seconds !== undefined && !(options.seconds > 0 && Number.isFinite(options.seconds))) {
      throw new CaptureArgumentError(`seconds must be a number above 0, not ${options.seconds}`);
    }
    const command = wrapperArgv(argv, {
      pcapMegabytes: options.pcap ? (options.pcapMegabytes ?? DEFAULT_PCAP_MEGABYTES) : 0,
      keepSeconds: options.keepPcapSeconds ?? DEFAULT_KEEP_PCAP_SECONDS,
    });
    this.listening = this.listeningDeferred.promise;
    this.ended = this.endedDeferred.promise;
    this.closed = this.closedDeferred.promise;
    // Nobody has to listen for a failure to start; whoever awaits `listening` still gets it.
    this.listening.catch(() => undefined);

    this.reader = new FrameReader((frame) => {
      this.frameCount++;
      this.options.onFrame?.(frame);
    });
    this.stdout = new LineSplitter((line) => this.onStdoutLine(line));
    this.stderr = new LineSplitter((line) => this.onStderrLine(line));

    if (options.signal?.aborted) this.closeRequested = true;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.closeRequested) {
      this.finish(undefined, new CaptureError('cancelled', `${this.where()}: cancelled before it started.`));
      return;
    }
    this.pool
      .exec(this.host, command, {
        signal: this.abort.signal,
        // The pool runs the supervisor itself under `sudo -n`, so it may also SIGKILL what it runs.
        sudo: this.options.sudo,
        collect: false,
        onStdout: (chunk) => this.stdout.push(chunk),
        onStderr: (chunk) => this.stderr.push(chunk),
      })
      .then(
        (result) => this.finish(result),
        (error: unknown) => this.finish(undefined, error),
      );
  }

  get state(): CaptureState {
    return this.currentState;
  }

  /** Frames parsed so far. */
  get frames(): number {
    return this.frameCount;
  }

  /** tcpdump's summary, once it has printed it. */
  get stats(): CaptureStats | undefined {
    return this.statsSoFar.captured === undefined ? undefined : ({ ...this.statsSoFar } as CaptureStats);
  }

  /** True while the host holds a pcap that savePcap() can fetch. */
  get pcapAvailable(): boolean {
    return this.folder !== undefined && this.currentState !== 'closed';
  }

  /** Why there is no pcap although one was asked for (the host could not make a temporary folder). */
  get pcapProblem(): string | undefined {
    return this.noPcapReason;
  }

  /** The pcap's folder on the host (for diagnostics and tests). */
  get remoteFolder(): string | undefined {
    return this.folder;
  }

  /**
   * Ends tcpdump as Ctrl-C would (it prints its summary). With a pcap, the host keeps it until
   * close(); without, the session closes. Resolves when tcpdump has ended.
   */
  stop(): Promise<CaptureEnd> {
    if (this.end || this.currentState === 'closed') return this.ended;
    this.stopReason ??= 'stopped';
    if (this.folder !== undefined && this.pid !== undefined) {
      // Only tcpdump: the wrapper lives on and keeps the pcap.
      this.pool.exec(this.host, stopArgv(this.pid), { sudo: this.options.sudo }).then(
        (result) => {
          if (result.code !== 0 && !this.end) void this.close();
        },
        () => undefined, // the connection is gone: the session hears of it on its own channel
      );
    } else {
      void this.close();
    }
    return this.ended;
  }

  /** Ends everything: tcpdump, the pcap on the host, the channel. Resolves once nothing is left. */
  close(): Promise<CaptureEnd> {
    if (this.currentState !== 'closed') {
      this.closeRequested = true;
      this.abort.abort();
    }
    return this.closed;
  }

  /** Streams the pcap so far (whole records only) to `write`. */
  async fetchPcap(write: (chunk: Buffer) => void, signal?: AbortSignal): Promise<PcapSummary> {
    if (!this.options.pcap) throw new CaptureError('error', `${this.where()}: this capture keeps no pcap (start it with pcap: true).`);
    if (this.currentState === 'closed') throw new CaptureError('error', `${this.where()}: the capture is closed; its pcap is gone from the host.`);
    if (this.folder === undefined) {
      const why = this.noPcapReason ? `the host could not keep one: ${this.noPcapReason}` : 'tcpdump has not started yet';
      throw new CaptureError('error', `${this.where()}: no pcap: ${why}.`);
    }
    const guard = new PcapGuard(write);
    let failure: Error | undefined;
    let said = '';
    const result = await this.pool.exec(this.host, fetchArgv(this.folder), {
      sudo: this.options.sudo,
      collect: false,
      signal,
      onStdout: (chunk) => {
        if (failure) return;
        try {
          guard.push(chunk);
        } catch (error) {
          failure = error as Error;
        }
      },
      onStderr: (chunk) => {
        if (said.length < 2000) said += chunk.toString('utf8');
      },
    });
    if (failure) throw new CaptureError('error', `${this.where()}: the pcap from the host is not valid: ${failure.message}`);
    if (result.cancelled) throw new CaptureError('cancelled', `${this.where()}: fetching the pcap was cancelled.`);
    if (result.code !== 0) {
      throw new CaptureError('error', `${this.where()}: cannot read the pcap on the host: ${said.trim() || `exit ${result.code}`}`);
    }
    return guard.end();
  }

  /** Writes the pcap so far to a local file that `tcpdump -r` reads; removes it again on failure. */
  async savePcap(file: string, signal?: AbortSignal): Promise<PcapSummary> {
    const out = createWriteStream(file, { mode: 0o644 });
    const opened = new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    try {
      await opened;
      const summary = await this.fetchPcap((chunk) => out.write(chunk), signal);
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      return summary;
    } catch (error) {
      out.destroy();
      await rm(file, { force: true });
      throw error;
    }
  }

  private where(): string {
    return `${this.host}: capture on ${this.interface}`;
  }

  private setState(state: CaptureState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.options.onState?.(state);
  }

  private onStdoutLine(line: string): void {
    if (line.startsWith(MARKER)) {
      if (/ exit \d+$/.test(line)) {
        this.reader.end();
        this.stdoutDone = true;
        this.maybeEnded();
      }
      return;
    }
    this.reader.push(line);
  }

  private onStderrLine(line: string): void {
    const event = parseStderrLine(line);
    switch (event.kind) {
      case 'listening':
        if (this.currentState === 'starting') {
          this.setState('listening');
          this.listeningDeferred.resolve({ interface: event.interface, linkType: event.linkType });
          if (this.options.seconds !== undefined) {
            this.secondsTimer = setTimeout(() => {
              this.stopReason ??= 'seconds';
              void this.stop();
            }, this.options.seconds * 1000);
          }
        }
        return;
      case 'stat':
        this.statsSoFar[event.field] = event.value;
        return;
      case 'pcap':
        this.folder = event.folder;
        return;
      case 'nopcap':
        this.noPcapReason = event.reason;
        this.options.onMessage?.(`${this.host}: no pcap: ${event.reason}`);
        return;
      case 'pid':
        this.pid = event.pid;
        if (this.stopReason && !this.end && !this.closeRequested) void this.stop(); // stop() came before we knew whom to stop
        return;
      case 'exit':
        this.exitStatus = event.status;
        this.stderrDone = true;
        this.maybeEnded();
        return;
      case 'noise':
        return;
      case 'message':
        this.messages.push(event.text);
        if (this.messages.length > KEPT_MESSAGES) this.messages.shift();
        this.options.onMessage?.(event.text);
    }
  }

  private maybeEnded(): void {
    if (this.stdoutDone && this.stderrDone && this.exitStatus !== undefined) this.settleEnd(this.endFromStatus(this.exitStatus));
  }

  /** How tcpdump's exit status reads, given what we asked of it. */
  private endFromStatus(status: number): CaptureEnd {
    const base = { stats: this.stats, frames: this.frameCount };
    if (this.stopReason) return { ...base, reason: this.stopReason };
    if (this.closeRequested) return { ...base, reason: 'cancelled' };
    if (status === 0 && this.options.count !== undefined) return { ...base, reason: 'count' };
    return { ...base, reason: 'error', message: this.failureMessage(status) };
  }

  private failureMessage(status: number | null): string {
    if (status === 127) {
      return `${this.where()} failed: tcpdump is not installed on ${this.host} (or not on the PATH of its SSH sessions). ${this.messages.join(' ')}`.trim();
    }
    const refused = this.options.sudo ? sudoRefusal(this.host, this.messages.join('\n')) : undefined;
    if (refused) return `${this.where()} failed: ${refused}`;
    const said = this.messages.join(' ');
    if (!said) return `${this.where()} failed: tcpdump ended with status ${status ?? 'unknown'} and said nothing.`;
    const hint = /permission|not permitted/i.test(said) && !this.options.sudo ? ' (capturing needs root: set sudo: true for the host in the lab file)' : '';
    return `${this.where()} failed: ${said}${hint}`;
  }

  private settleEnd(end: CaptureEnd): void {
    if (this.end) return;
    this.end = end;
    clearTimeout(this.secondsTimer);
    if (this.currentState !== 'closed') this.setState('ended');
    // A no-op once tcpdump has listened.
    this.listeningDeferred.reject(new CaptureError(end.reason, end.message ?? `${this.where()}: ended (${end.reason}) before tcpdump listened.`, [...this.messages]));
    this.endedDeferred.resolve(end);
  }

  /** The channel has closed (result) or failed (error): nothing of the capture is left running. */
  private finish(result: ExecResult | undefined, error?: unknown): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.stdout.end();
    this.stderr.end();
    this.reader.end();
    if (!this.end) {
      if (error) {
        const lost = error instanceof SshError && error.kind === 'connection-lost';
        const message = error instanceof CaptureError ? error.message : error instanceof SshError ? `${this.where()}: ${error.message}` : `${this.where()}: ${(error as Error).message}`;
        this.settleEnd({
          reason: error instanceof CaptureError ? error.reason : lost ? 'connection-lost' : 'error',
          stats: this.stats,
          frames: this.frameCount,
          message,
        });
      } else if (this.exitStatus !== undefined) {
        this.settleEnd(this.endFromStatus(this.exitStatus));
      } else {
        // The wrapper never said how tcpdump ended: it failed before (or was killed).
        const status = result?.code ?? null;
        const cancelled = this.closeRequested || result?.cancelled !== undefined;
        this.settleEnd(
          this.stopReason
            ? { reason: this.stopReason, stats: this.stats, frames: this.frameCount }
            : cancelled
              ? { reason: 'cancelled', stats: this.stats, frames: this.frameCount }
              : { reason: 'error', stats: this.stats, frames: this.frameCount, message: this.failureMessage(status) },
        );
      }
    }
    this.setState('closed');
    this.closedDeferred.resolve(this.end!);
  }
}

/** Starts a capture; throws CaptureArgumentError at once for a bad interface name, count or seconds. */
export function startCapture(pool: CaptureExec, options: CaptureOptions): CaptureSession {
  return new CaptureSession(pool, options);
}
