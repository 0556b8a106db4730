// Reads every host of a lab at once; nothing is compared here (compare/drift.ts does that for
// the callers that need drift). Each host is read on its own: one
// that is down, slow or refusing costs only its own slot, and every reading is reported through
// `onHost` the moment it arrives, so the tree fills in as hosts answer.

import type { Lab } from '../lab/types';
import { probeHost, type ProbeOptions, type ProbeTransport } from './probe';
import type { HostReading, LabReadings } from './types';

export interface ReadLabStateOptions extends ProbeOptions {
  /** Read only these hosts (names of the lab); default all of them. */
  hosts?: string[];
  /** Told of each host's reading as soon as it is known, success or failure. */
  onHost?: (reading: HostReading) => void;
  /**
   * Hosts read at once, default DEFAULT_READ_CONCURRENCY (64). A host that does not answer
   * holds its slot until its connect timeout, so with more hosts than slots a dead one can
   * delay later ones. Connects are bounded apart from this, by the pool (parallelConnects).
   */
  concurrency?: number;
}

// Probes are one small exec each, so 64 at once is cheap; a dead host holding a slot until its
// connect timeout then delays nothing in labs of up to 64 hosts. The pool bounds the connects
// among them on its own (DEFAULT_PARALLEL_CONNECTS), so this bound is only the probes'.
export const DEFAULT_READ_CONCURRENCY = 64;

/** Never rejects: unreachable and cancelled hosts are HostReadFailures in the result. */
export async function readLabState(pool: ProbeTransport, lab: Lab, options: ReadLabStateOptions = {}): Promise<LabReadings> {
  const wanted = options.hosts ? new Set(options.hosts) : undefined;
  const hosts = lab.hosts.filter((h) => !wanted || wanted.has(h.name));
  const readings = new Map<string, HostReading>();

  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const host = hosts[next++];
      const reading = await probeHost(pool, host, options);
      readings.set(host.name, reading);
      try {
        options.onHost?.(reading);
      } catch {
        // A listener's bug must not cost the other hosts their readings.
      }
    }
  };
  const slots = Math.max(1, Math.min(options.concurrency ?? DEFAULT_READ_CONCURRENCY, hosts.length));
  await Promise.all(Array.from({ length: slots }, worker));

  // In the lab's order, whatever order they answered in.
  const byHost: Record<string, HostReading> = {};
  for (const host of hosts) byHost[host.name] = readings.get(host.name)!;
  return { lab: lab.name, file: lab.file, hosts: byHost };
}
