// A big lab's readings arrive host by host, and the tree re-renders once per burst: rebuilding
// every host's node on each render made the load of 128 hosts cost a whole tree per render. A host's
// node is worked out from a few inputs only (its reading, its connection, its drift, its doctor
// findings, and the lab model), all replaced (never patched) when they change; so a host whose
// inputs are the very same as last time keeps its node, the same object, and the tree's diff
// passes it by without looking inside.

import type { Finding } from '../doctor/types';
import type { DriftItem, HostReading } from '../hosts/types';
import type { Lab, LabHost } from '../lab/types';
import type { HostLive } from '../session/liveLabs';

/** What one host's node is built from. */
export interface HostNodeInputs {
  reading: HostReading | undefined;
  live: HostLive | undefined;
  drift: readonly DriftItem[];
  findings: readonly Finding[];
}

interface Entry<T> {
  host: LabHost;
  inputs: HostNodeInputs;
  node: T;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameInputs(a: HostNodeInputs, b: HostNodeInputs): boolean {
  return (
    a.reading === b.reading &&
    a.live?.connection === b.live?.connection &&
    a.live?.reading === b.live?.reading &&
    sameItems(a.drift, b.drift) &&
    sameItems(a.findings, b.findings)
  );
}

export class HostNodeCache<T> {
  private lab?: Lab;
  private readonly entries = new Map<string, Entry<T>>();
  /** Nodes built, and nodes handed back unchanged, since the cache was made (for tests and measures). */
  built = 0;
  kept = 0;

  /** The node of `host` for these inputs: last time's object when nothing it depends on changed. */
  node(lab: Lab, host: LabHost, inputs: HostNodeInputs, build: () => T): T {
    // A new model of the lab (an edit) may change anything about any host: start again.
    if (lab !== this.lab) {
      this.lab = lab;
      this.entries.clear();
    }
    const entry = this.entries.get(host.name);
    if (entry && entry.host === host && sameInputs(entry.inputs, inputs)) {
      this.kept++;
      return entry.node;
    }
    const node = build();
    this.built++;
    this.entries.set(host.name, { host, inputs, node });
    return node;
  }
}
