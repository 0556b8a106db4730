// Node positions the user gave a lab's diagram, kept in the workspace's state per lab file.
// Positions of nodes that are gone are kept a while (an edit may bring the node back), up to a
// limit past which those are dropped first.

import type { Positions } from '../../webview/protocol';

/** What VS Code's Memento offers (workspaceState), and a Map in tests. */
export interface PositionMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const MAX_KEPT_POSITIONS = 2000;

export function positionsKey(labKey: string): string {
  return `overlayLab.topology.positions:${labKey}`;
}

/** The stored positions with the new ones laid over; past the limit, positions of nodes not in `current` go first. */
export function mergePositions(stored: Positions, incoming: Positions, current: ReadonlySet<string>, limit = MAX_KEPT_POSITIONS): Positions {
  const merged: Positions = { ...stored, ...incoming };
  const ids = Object.keys(merged);
  if (ids.length <= limit) return merged;
  const stale = ids.filter((id) => !current.has(id) && !(id in incoming));
  const excess = ids.length - limit;
  for (const id of stale.slice(0, excess)) delete merged[id];
  return merged;
}

/** Only well-formed points survive a read (the state may be from an older version, or damaged). */
export function readPositions(memento: PositionMemento, labKey: string): Positions {
  const value = memento.get<unknown>(positionsKey(labKey));
  if (typeof value !== 'object' || value === null) return {};
  const positions: Positions = {};
  for (const [id, point] of Object.entries(value as Record<string, unknown>)) {
    const candidate = point as { x?: unknown; y?: unknown } | null;
    if (candidate && typeof candidate.x === 'number' && typeof candidate.y === 'number' && Number.isFinite(candidate.x) && Number.isFinite(candidate.y)) {
      positions[id] = { x: candidate.x, y: candidate.y };
    }
  }
  return positions;
}

export async function savePositions(memento: PositionMemento, labKey: string, incoming: Positions, current: ReadonlySet<string>): Promise<void> {
  await memento.update(positionsKey(labKey), mergePositions(readPositions(memento, labKey), incoming, current));
}
