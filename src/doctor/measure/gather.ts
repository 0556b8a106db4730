// Gathers what the checks need beyond the state, from every host that answered the state probe:
// its facts (one round trip) and a probe of each of its tunnels towards the far end. Hosts run
// in parallel; each host probes at most TUNNELS_PER_HOST tunnels at once. Never rejects.

import { parseIp } from '../../lab/addresses';
import type { ProbeTransport } from '../../hosts/probe';
import type { LabReadings } from '../../hosts/types';
import type { Lab, LabHost, ResolvedTunnel } from '../../lab/types';
import { tunnelMtuNeeds } from '../mtuNeeds';
import { actualTunnel } from '../tunnelEnds';
import type { DoctorMeasurements, HostFacts, TunnelProbe } from '../types';
import { readHostCounters } from '../../trace/measure/hostCounters';
import type { HostCounters } from '../../trace/measure/hostCounters';
import { readHostFacts } from './hostFacts';
import { probeTunnel, type TunnelProbeTarget } from './tunnelProbe';

export const TUNNELS_PER_HOST = 4;

export interface GatherOptions {
  signal?: AbortSignal;
}

async function eachLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Where the tunnel really sends from and to: the host's own options when they are addresses, else the lab's. */
export function probeTarget(host: LabHost, state: LabReadings, tunnel: ResolvedTunnel): TunnelProbeTarget {
  const reading = state.hosts[host.name];
  const hostState = reading?.ok ? reading.state : undefined;
  const actual = hostState ? actualTunnel(hostState, tunnel.port) : undefined;
  const isIp = (value: string | undefined): value is string => value !== undefined && parseIp(value) !== undefined;
  const remote = isIp(actual?.remoteIp) ? actual!.remoteIp! : tunnel.remoteAddress;
  const local = isIp(actual?.localIp) ? actual!.localIp : isIp(tunnel.localAddress) ? tunnel.localAddress : undefined;
  const needs = hostState ? tunnelMtuNeeds(hostState, tunnel) : undefined;
  return { host: host.name, sudo: host.sudo, bridge: actual?.bridge ?? tunnel.bridge, port: tunnel.port, remote, local, wanted: needs?.required };
}

export async function gatherMeasurements(pool: ProbeTransport, lab: Lab, state: LabReadings, options: GatherOptions = {}): Promise<DoctorMeasurements> {
  const readable = lab.hosts.filter((host) => state.hosts[host.name]?.ok);
  const perHost = await Promise.all(
    readable.map(async (host): Promise<{ facts: HostFacts; tunnels: TunnelProbe[]; counters: HostCounters }> => {
      const targets = lab.tunnels.filter((t) => t.host === host.name).map((t) => probeTarget(host, state, t));
      const ovsBridges = host.bridges.filter((b) => b.kind === 'ovs').map((b) => b.name);
      const [facts, tunnels, counters] = await Promise.all([
        readHostFacts(pool, host, { signal: options.signal }),
        eachLimited(targets, TUNNELS_PER_HOST, (target) => probeTunnel(pool, target, options.signal)),
        readHostCounters(pool, { name: host.name, sudo: host.sudo }, ovsBridges, options.signal),
      ]);
      return { facts, tunnels, counters };
    }),
  );
  return {
    hosts: Object.fromEntries(perHost.map(({ facts }) => [facts.host, facts])),
    tunnels: perHost.flatMap(({ tunnels }) => tunnels),
    counters: Object.fromEntries(perHost.map(({ counters }) => [counters.host, counters])),
  };
}
