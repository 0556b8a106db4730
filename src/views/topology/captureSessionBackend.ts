// The topology panel's captures, made of the capture module's sessions: tcpdump on the host over
// the lab's pooled connection, frames batched per animation frame (bounded, skips counted, at
// most one frame's worth of lines a message), the pcap kept on the host for "Save as pcap"
// until the pane goes. A merged pane is the capture module's MergedCapture: one tcpdump per
// interface, the hosts' clocks measured, one timeline, saved as one pcapng.

import { FrameBatcher } from '../../capture/frameBatcher';
import { startCapture, type CaptureSession } from '../../capture/captureSession';
import { isClockOffset } from '../../capture/clockOffset';
import { splitTimestamp } from '../../capture/frameTime';
import { startMergedCapture, type MergedFrame } from '../../capture/mergedCapture';
import type { CaptureEnd, CaptureFrame } from '../../capture/types';
import type { Lab } from '../../lab/types';
import type { SshPool } from '../../ssh/pool';
import type { FrameLine, SourceClock } from '../../webview/protocol';
import type { CaptureBackend, CaptureBatch, CaptureHandle } from './captureBackend';

/**
 * A frame as the pane shows it: a tunnel's outer line, then the frame it carries, marked as
 * carried; its time apart (whole µs), for the pane to print as wall clock or relative. In a
 * merged pane, `timeUs` is the corrected time and `source` its interface.
 */
export function frameLines(frame: CaptureFrame, merged?: { timeUs: number; source: number }): FrameLine[] {
  const [outer, inner] = frame.raw.split('\n');
  const stamped = splitTimestamp(outer);
  const time = merged?.timeUs ?? stamped?.timeUs;
  const first: FrameLine = { text: stamped ? stamped.text : outer, class: frame.class, encapsulated: false };
  if (time !== undefined && stamped) first.time = time;
  if (merged) first.source = merged.source;
  if (!frame.encapsulated || inner === undefined) {
    if (!stamped) first.text = frame.raw;
    return [first];
  }
  const carried: FrameLine = { text: inner, class: frame.inner?.class ?? 'other', encapsulated: true };
  return [first, carried];
}

/** The pieces both kinds of pane share: their listeners, being told it listens, and the handle. */
function handleParts() {
  const frames: ((batch: CaptureBatch) => void)[] = [];
  const listening: (() => void)[] = [];
  const errors: ((message: string) => void)[] = [];
  const ends: ((summary: { packets: number; reason?: string }) => void)[] = [];
  const clocks: ((clocks: SourceClock[]) => void)[] = [];
  return {
    frames,
    errors,
    ends,
    clocks,
    /** The pane hears when the capture listens, or why it could not. */
    followListening(confirmed: Promise<unknown>): void {
      confirmed.then(
        () => listening.forEach((listener) => listener()),
        (error: Error) => errors.forEach((listener) => listener(error.message)),
      );
    },
    handle(id: string, control: Pick<CaptureHandle, 'stop' | 'savePcap' | 'release'>): CaptureHandle {
      return {
        id,
        onFrames: (listener) => void frames.push(listener),
        onListening: (listener) => void listening.push(listener),
        onError: (listener) => void errors.push(listener),
        onEnd: (listener) => void ends.push(listener),
        onClocks: (listener) => void clocks.push(listener),
        ...control,
      };
    },
  };
}

export function captureSessionBackend(poolFor: (lab: Lab) => SshPool): CaptureBackend {
  let next = 0;
  return {
    start(request): CaptureHandle {
      const id = `capture-${++next}`;
      const parts = handleParts();
      const { frames, errors, ends } = parts;
      const batcher = new FrameBatcher((batch) => {
        const payload: CaptureBatch = { lines: batch.frames.flatMap((frame) => frameLines(frame)), packets: batch.counters.frames, rate: batch.counters.framesPerSecond, skipped: batch.skippedLines };
        for (const listener of frames) listener(payload);
      });
      const session: CaptureSession = startCapture(poolFor(request.lab), {
        host: request.host,
        interface: request.iface,
        filter: request.filter || undefined,
        sudo: request.lab.hosts.find((h) => h.name === request.host)?.sudo,
        pcap: true,
        onFrame: (frame) => batcher.push(frame),
      });
      parts.followListening(session.listening);
      void session.ended.then((end) => {
        batcher.flushAll();
        if ((end.reason === 'error' || end.reason === 'connection-lost') && end.message) errors.forEach((listener) => listener(end.message as string));
        ends.forEach((listener) => listener({ packets: end.frames, reason: end.reason }));
      });
      return parts.handle(id, {
        // tcpdump ends; the pcap stays on the host until release(), so it can still be saved.
        stop: () => void session.stop(),
        savePcap: async (localPath) => {
          await session.savePcap(localPath);
        },
        release: () => void session.close(),
      });
    },

    startMerged(request): CaptureHandle {
      const id = `merged-${++next}`;
      const parts = handleParts();
      const { frames, errors, ends, clocks } = parts;
      // The batcher takes CaptureFrames; each carries its merged time and source along.
      const merged = new WeakMap<CaptureFrame, MergedFrame>();
      const batcher = new FrameBatcher((batch) => {
        const lines = batch.frames.flatMap((frame) => {
          const at = merged.get(frame);
          return frameLines(frame, at ? { timeUs: at.timeUs, source: at.source } : undefined);
        });
        const payload: CaptureBatch = { lines, packets: batch.counters.frames, rate: batch.counters.framesPerSecond, skipped: batch.skippedLines };
        for (const listener of frames) listener(payload);
      });
      const capture = startMergedCapture(poolFor(request.lab), {
        targets: request.targets.map((target) => ({ host: target.host, interface: target.iface, sudo: request.lab.hosts.find((h) => h.name === target.host)?.sudo })),
        filter: request.filter || undefined,
        pcap: true,
        onFrames: (list) => {
          for (const item of list) {
            merged.set(item.frame, item);
            batcher.push(item.frame);
          }
        },
        onClocks: (readings) => {
          const said: SourceClock[] = readings.map((reading) => (isClockOffset(reading) ? { host: reading.host, offsetUs: reading.offsetUs, boundUs: reading.boundUs, corrected: reading.correctionUs !== 0 } : { host: reading.host, problem: reading.problem }));
          clocks.forEach((listener) => listener(said));
        },
      });
      parts.followListening(capture.listening);
      void capture.ended.then((list: CaptureEnd[]) => {
        batcher.flushAll();
        for (const end of list) if ((end.reason === 'error' || end.reason === 'connection-lost') && end.message) errors.forEach((listener) => listener(end.message as string));
        const reasons = [...new Set(list.map((end) => end.reason))].join(', ');
        ends.forEach((listener) => listener({ packets: list.reduce((sum, end) => sum + end.frames, 0), reason: reasons }));
      });
      return parts.handle(id, {
        stop: () => void capture.stop(),
        savePcap: async (localPath) => {
          await capture.savePcapng(localPath);
        },
        release: () => void capture.close(),
      });
    },
  };
}
