// The topology panel's captures, made of the capture module's sessions: tcpdump on the host over
// the lab's pooled connection, frames batched per animation frame (bounded, skips counted),
// the pcap kept on the host for "Save as pcap" until the pane goes.

import { FrameBatcher } from '../../capture/frameBatcher';
import { startCapture, type CaptureSession } from '../../capture/captureSession';
import type { CaptureFrame } from '../../capture/types';
import type { Lab } from '../../lab/types';
import type { SshPool } from '../../ssh/pool';
import type { FrameLine } from '../../webview/protocol';
import type { CaptureBackend, CaptureBatch, CaptureHandle } from './captureBackend';

/** A frame as the pane shows it: a tunnel's outer line, then the frame it carries, marked as carried. */
export function frameLines(frame: CaptureFrame): FrameLine[] {
  const [outer, inner] = frame.raw.split('\n');
  if (!frame.encapsulated || inner === undefined) return [{ text: frame.raw, class: frame.class, encapsulated: false }];
  return [
    { text: outer, class: frame.class, encapsulated: false },
    { text: inner, class: frame.inner?.class ?? 'other', encapsulated: true },
  ];
}

export function captureSessionBackend(poolFor: (lab: Lab) => SshPool): CaptureBackend {
  let next = 0;
  return {
    start(request): CaptureHandle {
      const id = `capture-${++next}`;
      const frames: ((batch: CaptureBatch) => void)[] = [];
      const listening: (() => void)[] = [];
      const errors: ((message: string) => void)[] = [];
      const ends: ((summary: { packets: number; reason?: string }) => void)[] = [];
      const batcher = new FrameBatcher((batch) => {
        const payload: CaptureBatch = { lines: batch.frames.flatMap(frameLines), packets: batch.counters.frames, rate: batch.counters.framesPerSecond, skipped: batch.skippedLines };
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
      session.listening.then(
        () => listening.forEach((listener) => listener()),
        (error: Error) => errors.forEach((listener) => listener(error.message)),
      );
      void session.ended.then((end) => {
        batcher.flush();
        if ((end.reason === 'error' || end.reason === 'connection-lost') && end.message) errors.forEach((listener) => listener(end.message as string));
        ends.forEach((listener) => listener({ packets: end.frames, reason: end.reason }));
      });
      return {
        id,
        onFrames: (listener) => void frames.push(listener),
        onListening: (listener) => void listening.push(listener),
        onError: (listener) => void errors.push(listener),
        onEnd: (listener) => void ends.push(listener),
        // tcpdump ends; the pcap stays on the host until release(), so it can still be saved.
        stop: () => void session.stop(),
        savePcap: async (localPath) => {
          await session.savePcap(localPath);
        },
        release: () => void session.close(),
      };
    },
  };
}
