// What every check reads: the lab, what its hosts really hold, and what the doctor measured
// beyond that. Checks are pure functions of this.

import type { HostState, LabReadings } from '../hosts/types';
import type { Lab, LabHost } from '../lab/types';
import type { DoctorMeasurements, Finding } from './types';

export interface DoctorInput {
  lab: Lab;
  state: LabReadings;
  /** Absent (or partly empty) when only the state was read: checks that need a measurement then say nothing. */
  measurements?: DoctorMeasurements;
}

export type Check = (input: DoctorInput) => Finding[];

/** The state of a host that answered; undefined for one that did not (its own finding says why). */
export function stateOf(input: DoctorInput, host: string): HostState | undefined {
  const reading = input.state.hosts[host];
  return reading?.ok ? reading.state : undefined;
}

/** Hosts of the lab that answered, with their states, in the lab's order. */
export function readHosts(input: DoctorInput): { host: LabHost; state: HostState }[] {
  return input.lab.hosts.flatMap((host) => {
    const state = stateOf(input, host.name);
    return state ? [{ host, state }] : [];
  });
}

/** `a, b and c` */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 time`, `3 times` */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
