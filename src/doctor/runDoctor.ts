// A doctor run: read every host's state (the same probe as the tree), measure what the checks
// need beyond it, run the checks. Never rejects: unreachable hosts are findings.

import { performance } from 'node:perf_hooks';
import type { ProbeTransport } from '../hosts/probe';
import { readLabState } from '../hosts/readLabState';
import type { HostReading, LabReadings } from '../hosts/types';
import type { Lab } from '../lab/types';
import { gatherMeasurements } from './measure/gather';
import { runChecks } from './runChecks';
import type { DoctorMeasurements, DoctorReport, HostVerdict } from './types';

export interface DoctorOptions {
  signal?: AbortSignal;
  /** Told of each host's state reading as it arrives. */
  onHost?: (reading: HostReading) => void;
  /** Skip the measurements over SSH (pings, log, module): checks run on the state alone. */
  stateOnly?: boolean;
}

export interface DoctorRun extends DoctorReport {
  state: LabReadings;
  measurements: DoctorMeasurements;
  /** Milliseconds: reading the states, measuring, in all. */
  timings: { state: number; measure: number; total: number };
}

export async function runDoctor(pool: ProbeTransport, lab: Lab, options: DoctorOptions = {}): Promise<DoctorRun> {
  const started = performance.now();
  const state = await readLabState(pool, lab, { signal: options.signal, onHost: options.onHost });
  const read = performance.now();
  const measurements = options.stateOnly ? { hosts: {}, tunnels: [] } : await gatherMeasurements(pool, lab, state, { signal: options.signal });
  const measured = performance.now();
  const findings = runChecks({ lab, state, measurements });
  const hosts: Record<string, HostVerdict> = Object.fromEntries(lab.hosts.map((h) => [h.name, state.hosts[h.name]?.ok ? 'ok' : 'unreachable']));
  return {
    findings,
    hosts,
    state,
    measurements,
    timings: { state: Math.round(read - started), measure: Math.round(measured - read), total: Math.round(performance.now() - started) },
  };
}
