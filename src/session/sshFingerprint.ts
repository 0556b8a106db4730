// What a lab's connection pool was built from. Two snapshots with the same fingerprint can share
// a pool; a different one means the pool's endpoints are stale and its connections must go.

import type { Lab } from '../lab/types';

/** JSON with object keys sorted, so that reordering keys in the file is not a change. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${stableJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SSH side of a lab: its hosts (names and order-free) with their settings, and the defaults. */
export function sshFingerprint(lab: Lab): string {
  const hosts = Object.fromEntries(lab.hosts.map((host) => [host.name, host.ssh]));
  return stableJson({ defaults: lab.defaults.ssh, hosts });
}
