// Shared by the host-state tests: the recorded probes of test/fixtures/hosts (see its README)
// and the demo lab model they were recorded against.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/lab/diagnostics';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import { parseHostState } from '../../../src/hosts/parseHostState';
import type { HostState } from '../../../src/hosts/types';

const ROOT = join(__dirname, '..', '..', '..');
export const HOST_FIXTURES = join(ROOT, 'test', 'fixtures', 'hosts');
// The demo lab as the recordings were made from it (see the file's header).
export const DEMO_LAB_FILE = join(ROOT, 'test', 'fixtures', 'labs', 'recorded', 'demo.lab.yaml');

/** The raw probe output of a recording, e.g. `configured-ovs-a`. */
export function probeText(name: string): string {
  return readFileSync(join(HOST_FIXTURES, `${name}.txt`), 'utf8');
}

/** The host a recording was made on: the file name ends in it. */
export function hostOf(name: string): string {
  const match = /(ovs-[ab]|test-[ab]|h\d\d)$/.exec(name);
  assert.ok(match, `no host name at the end of ${name}`);
  return match[1];
}

export function recordedState(name: string): HostState {
  return parseHostState({ host: hostOf(name), stdout: probeText(name), readAt: '2026-01-01T00:00:00.000Z', elapsedMs: 18 });
}

/**
 * examples/demo.lab.yaml with the SSH addresses of the recording lab (management network
 * 10.213.30.0/24), after `edit` of its text.
 */
export function demoLab(edit: (text: string) => string = (text) => text): Lab {
  const text = readFileSync(DEMO_LAB_FILE, 'utf8').replace('host: 10.213.0.11', 'host: 10.213.30.11').replace('host: 10.213.0.12', 'host: 10.213.30.12');
  return loadCleanLab(edit(text), DEMO_LAB_FILE);
}

export function loadCleanLab(text: string, file = 'test.lab.yaml'): Lab {
  const result = loadLabText(text, file);
  assert.deepEqual(result.diagnostics.map(formatDiagnostic), [], 'the lab should load without diagnostics');
  assert.ok(result.lab);
  return result.lab;
}

/** The four demo hosts in one recorded phase: `blank` or `configured`. */
export function demoStates(phase: 'blank' | 'configured'): Record<string, HostState> {
  return Object.fromEntries(['ovs-a', 'ovs-b', 'test-a', 'test-b'].map((host) => [host, recordedState(`${phase}-${host}`)]));
}

/** A deep copy to edit in a test without touching other tests' states. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
