// The frames of the newest traces, kept for "Save Frames as pcapng…" after the trace has ended
// (its captures, and the pcaps on the hosts, are gone by then). Bounded in count and in bytes:
// a point keeps up to 2 MB (TRACE_PCAP_MEGABYTES × 2), so ten traces of a dozen points could
// otherwise hold a quarter of a gigabyte. The newest trace keeps its frames whatever their size.

import type { TraceFrames } from './traceFrames';

export const KEPT_TRACES = 10;
export const KEPT_BYTES = 64 * 1024 * 1024;

export function frameBytes(frames: TraceFrames): number {
  return frames.points.reduce((sum, point) => sum + (point.pcap?.length ?? 0), 0);
}

export class KeptTraceFrames<T extends { frames: TraceFrames }> {
  private readonly kept = new Map<string, T>();

  constructor(private readonly limits: { traces: number; bytes: number } = { traces: KEPT_TRACES, bytes: KEPT_BYTES }) {}

  get(key: string): T | undefined {
    return this.kept.get(key);
  }

  get size(): number {
    return this.kept.size;
  }

  /** Keeps these frames under key (replacing what it held), then lets the oldest go until within the limits. */
  keep(key: string, value: T | undefined): void {
    this.kept.delete(key);
    if (!value) return;
    this.kept.set(key, value);
    let total = [...this.kept.values()].reduce((sum, held) => sum + frameBytes(held.frames), 0);
    for (const [old, held] of this.kept) {
      if (this.kept.size <= this.limits.traces && total <= this.limits.bytes) break;
      if (old === key) continue;
      this.kept.delete(old);
      total -= frameBytes(held.frames);
    }
  }

  clear(): void {
    this.kept.clear();
  }
}
