// What the topology panel needs of packet capture: start tcpdump on a host's interface, hear its
// parsed lines in batches, stop it, save what it caught as a pcap. The capture module's
// sessions are adapted to this where the extension is wired; the panel knows only this.

import type { Lab } from '../../lab/types';
import type { CaptureSummary, FrameLine, MergedSource, SourceClock } from '../../webview/protocol';

export interface CaptureRequest {
  lab: Lab;
  /** A host of the lab. */
  host: string;
  /** A device on that host (checked against the lab's graph before a request is made). */
  iface: string;
  /** A BPF filter as typed by the user ('' for none), passed to tcpdump as one argument. */
  filter: string;
}

/** One timeline over several interfaces, on any hosts of the lab, all with one filter. */
export interface MergedRequest {
  lab: Lab;
  targets: MergedSource[];
  filter: string;
}

export interface CaptureBatch {
  /** The lines parsed since the last batch (one batch per animation frame at most, of at most one frame's worth of lines). */
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
  /** Writes the packets caught so far as a pcap file on this machine (a merged capture: one pcapng). */
  savePcap(localPath: string): Promise<void>;
  /** A merged capture: each host's clock against this machine's, measured before its tcpdumps start. */
  onClocks?(listener: (clocks: SourceClock[]) => void): void;
  /** The pane is gone: nothing of the capture may stay on the host, its pcap included. */
  release(): void;
}

export interface CaptureBackend {
  start(request: CaptureRequest): CaptureHandle;
  /** One merged pane over several interfaces; without it, merged panes say they are not available. */
  startMerged?(request: MergedRequest): CaptureHandle;
}
