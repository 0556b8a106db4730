// At most N commands at once per host, so that a trace's measurements (beside its captures)
// stay well under sshd's default of 10 sessions per connection.

import type { ProbeTransport } from '../../hosts/probe';

export const MEASUREMENTS_PER_HOST = 3;

export function limitPerHost(pool: ProbeTransport, limit = MEASUREMENTS_PER_HOST): ProbeTransport {
  const running = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  const acquire = async (host: string) => {
    while ((running.get(host) ?? 0) >= limit) await new Promise<void>((resolve) => waiting.set(host, [...(waiting.get(host) ?? []), resolve]));
    running.set(host, (running.get(host) ?? 0) + 1);
  };
  const release = (host: string) => {
    running.set(host, (running.get(host) ?? 1) - 1);
    const next = waiting.get(host)?.shift();
    next?.();
  };
  return {
    exec: async (host, command, options) => {
      await acquire(host);
      try {
        return await pool.exec(host, command, options);
      } finally {
        release(host);
      }
    },
  };
}
