// Shared by the doctor's unit tests: the demo lab and its recorded states (test/fixtures/hosts),
// turned into the input the checks take, and small editors for the faults the tests inject.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorInput } from '../../../src/doctor/input';
import type { DoctorMeasurements, Finding } from '../../../src/doctor/types';
import type { HostReading, HostState, LabState, LinkState, OvsInterface } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { copy, demoLab, demoStates, recordedState } from '../hosts/fixtures';

export { copy, demoLab, demoStates, recordedState, loadCleanLab } from '../hosts/fixtures';

export const DOCTOR_FIXTURES = join(__dirname, 'fixtures');

export function doctorFixture(name: string): string {
  return readFileSync(join(DOCTOR_FIXTURES, name), 'utf8');
}

/** A recorded ping: first line its exit status, then its stdout and stderr. */
export function recordedPing(name: string): { code: number; output: string } {
  const text = doctorFixture(`ping-${name}.txt`);
  const newline = text.indexOf('\n');
  return { code: Number(text.slice(0, newline)), output: text.slice(newline + 1) };
}

export function labState(lab: Lab, states: Record<string, HostState>, failures: Record<string, string> = {}): LabState {
  const hosts: Record<string, HostReading> = {};
  for (const host of lab.hosts) {
    if (failures[host.name] !== undefined) {
      hosts[host.name] = { ok: false, failure: { host: host.name, readAt: '2026-01-01T00:00:00.000Z', kind: 'connection-refused', message: failures[host.name] } };
    } else if (states[host.name]) {
      hosts[host.name] = { ok: true, state: states[host.name] };
    }
  }
  return { lab: lab.name, file: lab.file, hosts, drift: [] };
}

export function input(lab: Lab, states: Record<string, HostState>, measurements?: DoctorMeasurements, failures?: Record<string, string>): DoctorInput {
  return { lab, state: labState(lab, states, failures), measurements };
}

/** The configured demo lab's states, copied so a test may edit them. */
export function configured(): Record<string, HostState> {
  return copy(demoStates('configured'));
}

export function link(state: HostState, name: string): LinkState {
  const found = state.links.find((l) => l.name === name);
  assert.ok(found, `${state.host} has no link ${name}`);
  return found;
}

export function ovsInterface(state: HostState, name: string): OvsInterface {
  const found = state.bridges.flatMap((b) => b.ports.flatMap((p) => p.interfaces)).find((i) => i.name === name);
  assert.ok(found, `${state.host} has no OVS interface ${name}`);
  return found;
}

/** The overlay of both OVS hosts and both test hosts set to `mtu`, in the kernel and in OVS. */
export function setOverlayMtu(states: Record<string, HostState>, mtu: number): void {
  for (const host of ['ovs-a', 'ovs-b']) {
    for (const name of ['br0', 'eth2']) {
      link(states[host], name).mtu = mtu;
      ovsInterface(states[host], name).mtu = mtu;
    }
  }
  for (const host of ['test-a', 'test-b']) link(states[host], 'eth2').mtu = mtu;
}

/** The demo with its overlay at 1450, which fits a 1500-byte underlay: nothing to find. */
export function healthy(): Record<string, HostState> {
  const states = configured();
  setOverlayMtu(states, 1450);
  return states;
}

/** The demo lab file with `mtu: 1450` on the overlay, as a healthy lab declares it. */
export function healthyLab(): Lab {
  return demoLab((text) =>
    text
      .replace(/(address: 10\.213\.50\.[12]\/24)\n/g, '$1\n        mtu: 1450\n')
      .replace(/eth2: \{\}/g, 'eth2: { mtu: 1450 }')
      .replace(/eth2: \{ address: (10\.213\.50\.1[12]\/24) \}/g, 'eth2: { address: $1, mtu: 1450 }'),
  );
}

/** `severity id host subject`, the part of a finding most tests compare. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.id} ${f.host}${f.subject ? ` ${f.subject.bridge ? `${f.subject.bridge}/` : ''}${f.subject.name}` : ''}`);
}

export function only<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}: ${JSON.stringify(items, null, 1).slice(0, 2000)}`);
  return items[0];
}

export { recordedState as recorded };
