// One capture over several interfaces on any hosts, as one timeline. Each host's clock offset
// against this machine is measured over its pooled connection first (clockOffset.ts); then a
// tcpdump runs on every interface (captureSession.ts, each ending with its channel), all with
// the same filter; every frame is moved onto this machine's clock by its host's offset and
// the frames are handed on interleaved by that time (timelineMerge.ts), each with the index of
// the `host:iface` it came from. savePcapng() writes what every interface caught as one pcapng,
// an interface block per `host:iface`.

import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { startCapture, CaptureError, type CaptureExec, type CaptureSession } from './captureSession';
import { isClockOffset, localMicroClock, measureClockOffset, describeOffset, type ClockReading, type MicroClock } from './clockOffset';
import { frameTimeUs } from './frameTime';
import { readPcap, writePcapng, type PcapngInterface } from './pcapng';
import { CaptureArgumentError, tcpdumpOptionsProblem } from './tcpdumpCommand';
import { TimelineMerge, DEFAULT_HOLD_US } from './timelineMerge';
import type { CaptureEnd, CaptureFrame } from './types';
import { systemClock, type Clock } from '../util/clock';

export interface MergedTarget {
  host: string;
  interface: string;
  /** The host's `sudo: true`. */
  sudo?: boolean;
}

/** A frame of the merged timeline: which target it came from, and its time on this machine's clock. */
export interface MergedFrame {
  source: number;
  /** µs since the epoch, corrected by the host's offset. */
  timeUs: number;
  frame: CaptureFrame;
}

export interface MergedCaptureOptions {
  targets: readonly MergedTarget[];
  filter?: string;
  /** Each tcpdump stops after this many frames. */
  count?: number;
  seconds?: number;
  /** Keep a pcap on each host, for savePcapng(). */
  pcap?: boolean;
  /** Round trips per host for its clock offset. Default 5. */
  clockSamples?: number;
  holdUs?: number;
  /** This machine's clock in µs (offsets, the merge's hold). */
  clock?: MicroClock;
  /** Timers for the merge's ticks (tests move time themselves). */
  timers?: Clock;
  /** Frames in time order, in batches. */
  onFrames?: (frames: MergedFrame[]) => void;
  /** Each host's clock, once measured (before any tcpdump starts). */
  onClocks?: (clocks: ClockReading[]) => void;
  /** What a tcpdump said besides its frames, prefixed by its `host:iface`. */
  onMessage?: (line: string) => void;
  signal?: AbortSignal;
}

/** How often waiting frames are looked at: well under the hold, so a frame waits little more than it must. */
const TICK_MS = 40;

export function targetLabel(target: { host: string; interface: string }): string {
  return `${target.host}:${target.interface}`;
}

export class MergedCapture {
  readonly targets: readonly MergedTarget[];
  /** Each host's clock, by host, once measured. */
  readonly clocks: Promise<Map<string, ClockReading>>;
  /** Every tcpdump listens; rejects with the first that does not (the others are closed). */
  readonly listening: Promise<void>;
  /** Every tcpdump has ended; never rejects. */
  readonly ended: Promise<CaptureEnd[]>;
  /** Nothing of any capture is left on any host; never rejects. */
  readonly closed: Promise<CaptureEnd[]>;
  private sessions: CaptureSession[] = [];
  private readonly merge: TimelineMerge<MergedFrame>;
  private readonly offsets: number[];
  private timer: unknown;
  private readonly timers: Clock;
  private closing = false;
  private stopping = false;

  constructor(
    private readonly pool: CaptureExec,
    private readonly options: MergedCaptureOptions,
  ) {
    if (options.targets.length === 0) throw new CaptureError('error', 'a merged capture needs at least one interface');
    for (const target of options.targets) {
      const problem = tcpdumpOptionsProblem({ interface: target.interface, filter: options.filter, count: options.count });
      if (problem) throw new CaptureArgumentError(`${target.host}: ${problem}`);
    }
    if (options.seconds !== undefined && !(options.seconds > 0 && Number.isFinite(options.seconds))) throw new CaptureArgumentError(`seconds must be a number above 0, not ${options.seconds}`);
    this.targets = options.targets;
    this.offsets = options.targets.map(() => 0);
    this.timers = options.timers ?? systemClock;
    const clock = options.clock ?? localMicroClock;
    this.merge = new TimelineMerge<MergedFrame>(options.targets.length, (frames) => options.onFrames?.(frames), { now: clock, holdUs: options.holdUs ?? DEFAULT_HOLD_US });
    this.clocks = this.measureClocks(clock);
    const started = this.clocks.then(() => this.startSessions());
    this.listening = started.then(async (sessions) => {
      try {
        await Promise.all(sessions.map((session) => session.listening));
      } catch (error) {
        void this.close();
        throw error;
      }
    });
    this.listening.catch(() => undefined);
    this.ended = started.then((sessions) => Promise.all(sessions.map((session) => session.ended))).then((ends) => {
      this.finishMerge();
      return ends;
    });
    this.closed = started.then((sessions) => Promise.all(sessions.map((session) => session.closed))).then((ends) => {
      this.finishMerge();
      return ends;
    });
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** Frames handed on out of order because their host was later than the hold. */
  get late(): number {
    return this.merge.late;
  }

  get pcapAvailable(): boolean {
    return this.sessions.length > 0 && this.sessions.every((session) => session.pcapAvailable);
  }

  /** Ends every tcpdump (their pcaps stay on the hosts until close()). */
  async stop(): Promise<CaptureEnd[]> {
    this.stopping = true;
    await this.clocks;
    for (const session of this.sessions) void session.stop();
    return this.ended;
  }

  /** Ends everything on every host. */
  async close(): Promise<CaptureEnd[]> {
    this.closing = true;
    await this.clocks;
    for (const session of this.sessions) void session.close();
    return this.closed;
  }

  /** Writes every interface's pcap so far as one pcapng (removed again on failure). */
  async savePcapng(file: string, signal?: AbortSignal): Promise<{ packets: number; bytes: number; interfaces: number }> {
    const clocks = await this.clocks;
    const interfaces: PcapngInterface[] = [];
    for (const [index, session] of this.sessions.entries()) {
      const chunks: Buffer[] = [];
      await session.fetchPcap((chunk) => chunks.push(chunk), signal);
      const pcap = readPcap(Buffer.concat(chunks));
      const target = this.targets[index];
      const reading = clocks.get(target.host)!;
      interfaces.push({
        name: targetLabel(target),
        description: `${targetLabel(target)}: ${describeOffset(reading)} against the machine that merged it${isClockOffset(reading) && reading.correctionUs !== 0 ? "; times here are on that machine's clock" : "; times here are the host's own"}`,
        linkType: pcap.linkType,
        snapLength: pcap.snapLength,
        offsetUs: this.offsets[index],
        records: pcap.records,
      });
    }
    const out = createWriteStream(file, { mode: 0o644 });
    try {
      await new Promise<void>((resolve, reject) => {
        out.once('open', () => resolve());
        out.once('error', reject);
      });
      const written = writePcapng(interfaces, (chunk) => out.write(chunk));
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      return { ...written, interfaces: interfaces.length };
    } catch (error) {
      out.destroy();
      await rm(file, { force: true });
      throw error;
    }
  }

  private async measureClocks(clock: MicroClock): Promise<Map<string, ClockReading>> {
    const hosts = [...new Set(this.targets.map((target) => target.host))];
    const readings = await Promise.all(hosts.map((host) => measureClockOffset(this.pool, host, { samples: this.options.clockSamples, clock, signal: this.options.signal })));
    const byHost = new Map(readings.map((reading) => [reading.host, reading]));
    this.targets.forEach((target, index) => {
      const reading = byHost.get(target.host)!;
      this.offsets[index] = isClockOffset(reading) ? reading.correctionUs : 0;
    });
    this.options.onClocks?.(readings);
    return byHost;
  }

  private startSessions(): CaptureSession[] {
    const sessions: CaptureSession[] = [];
    try {
      this.targets.forEach((target, source) => {
        sessions.push(
          startCapture(this.pool, {
            host: target.host,
            interface: target.interface,
            filter: this.options.filter,
            count: this.options.count,
            seconds: this.options.seconds,
            sudo: target.sudo,
            pcap: this.options.pcap,
            signal: this.options.signal,
            onFrame: (frame) => this.merge.push(source, { source, timeUs: frameTimeUs(frame) - this.offsets[source], frame }),
            onMessage: (line) => this.options.onMessage?.(line.startsWith(`${target.host}:`) ? line : `${targetLabel(target)}: ${line}`),
          }),
        );
      });
    } catch (error) {
      for (const session of sessions) void session.close();
      throw error;
    }
    this.sessions = sessions;
    sessions.forEach((session, source) => void session.ended.then(() => this.merge.end(source)));
    this.scheduleTick();
    if (this.closing) for (const session of sessions) void session.close();
    else if (this.stopping) for (const session of sessions) void session.stop();
    return sessions;
  }

  private scheduleTick(): void {
    this.timer = this.timers.setTimeout(() => {
      this.merge.tick();
      if (this.timer !== undefined) this.scheduleTick();
    }, TICK_MS);
  }

  private finishMerge(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.merge.flush();
  }
}

export function startMergedCapture(pool: CaptureExec, options: MergedCaptureOptions): MergedCapture {
  return new MergedCapture(pool, options);
}
