// A host the lab gives no OVS bridge needs no Open vSwitch: its state says what was found, but
// no note tells the user to start it. On recorded probes of the demo lab's hosts.

import { strict as assert } from 'node:assert';
import { probeHost, type ProbeTransport } from '../../../src/hosts/probe';
import type { LabHost } from '../../../src/lab/types';
import type { ExecResult } from '../../../src/ssh/types';
import { demoLab, probeText } from './fixtures';

/** Answers the probe with a recording. */
const recording = (name: string): ProbeTransport => ({ exec: async (): Promise<ExecResult> => ({ code: 0, stdout: probeText(name), stderr: '' }) });

const labHost = (name: string): LabHost => {
  const host = demoLab().hosts.find((h) => h.name === name);
  assert.ok(host, name);
  return host;
};

async function stateOf(recordingName: string, host: Pick<LabHost, 'name' | 'sudo'> & Partial<Pick<LabHost, 'bridges'>>) {
  const reading = await probeHost(recording(recordingName), host);
  assert.ok(reading.ok);
  return reading.state;
}

const ovsNotes = (notes: string[]) => notes.filter((note) => /Open vSwitch|ovsdb-server|ovs-vswitchd/.test(note));

describe('Open vSwitch notes follow what the lab declares', () => {
  it('a host with no bridge (test-a, OVS installed and never started) gets no note to start it', async () => {
    const host = labHost('test-a');
    assert.deepEqual(host.bridges, [], 'the demo lab gives test-a no bridge');
    const state = await stateOf('configured-test-a', host);
    assert.equal(state.ovs.state, 'stopped', 'what was found is still said');
    assert.deepEqual(ovsNotes(state.notes), []);
  });

  it('a host with only Linux bridges gets none either', async () => {
    const host = { ...labHost('test-a'), bridges: [{ ...labHost('ovs-a').bridges[0], kind: 'linux' as const }] };
    const state = await stateOf('linux-bridge-test-a', host);
    assert.deepEqual(ovsNotes(state.notes), []);
  });

  it('a host with OVS bridges (ovs-b, both daemons stopped) is told to start it', async () => {
    const host = labHost('ovs-b');
    assert.ok(host.bridges.some((bridge) => bridge.kind === 'ovs'));
    const state = await stateOf('ovs-stopped-ovs-b', host);
    assert.deepEqual(ovsNotes(state.notes), ['Open vSwitch is installed on ovs-b but not running (neither ovsdb-server nor ovs-vswitchd); start it with systemctl start openvswitch-switch']);
  });

  it('a host read without its lab keeps the note (nothing says it needs no OVS)', async () => {
    const state = await stateOf('configured-test-a', { name: 'test-a', sudo: false });
    assert.equal(ovsNotes(state.notes).length, 1);
  });
});
