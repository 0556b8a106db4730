// What the topology panel needs of packet capture: start tcpdump on a host's interface, hear its
// parsed lines in batches, stop it, save what it caught as a pcap. The capture module's
// sessions are adapted to this where the extension is wired; the panel knows only this.

import type { Lab } from '../../lab/types';
import type { CaptureSummary, FrameLine } from '../../webview/protocol';

export interface CaptureRequest {
  lab: Lab;
  /** A host of the lab. */
  host: string;
  /** A device on that host (checked against the lab's graph before a request is made). */
  iface: string;
  /** A BPF filter as typed by the user ('' for none), passed to tcpdump as one argument. */
  filter: string;
}

export interface CaptureBatch {
  /** The lines parsed since the last batch (one batch per animation frame at most). */
  lines: FrameLine[];
  /** Packets seen since the capture started. */
  packets: number;
  /** Packets per second, lately. */
  rate: number;
  /** Lines dropped since the last batch because they came faster than they could be sent. */
  skipped: number;
}

export interface CaptureHandle {
  readonly id: string;
  onFrames(listener: (batch: CaptureBatch) => void): void;
  /** tcpdump says it is listening. */
  onListening(listener: () => void): void;
  /** tcpdump's error (a bad filter, no such device, no permission), or the connection's. */
  onError(listener: (message: string) => void): void;
  /** Called once, whatever the reason it ended; no event follows it. */
  onEnd(listener: (summary: CaptureSummary) => void): void;
  /** Stops tcpdump on the host (nothing is left running there); onEnd follows. */
  stop(): void;
  /** Writes the packets caught so far as a pcap file on this machine. */
  savePcap(localPath: string): Promise<void>;
  /** The pane is gone: nothing of the capture may stay on the host, its pcap included. */
  release(): void;
}

export interface CaptureBackend {
  start(request: CaptureRequest): CaptureHandle;
}
