// Drift diagnostics against a stand-in `vscode` and a manual clock: a big lab's readings arrive
// host by host, and the lab file's drift is republished once per burst, not once per host.

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { HostReading, LinkState } from '../../../src/hosts/types';
import type { Lab } from '../../../src/lab/types';
import { LabSession } from '../../../src/session/labSession';
import { LiveLabs, type ReadLabState } from '../../../src/session/liveLabs';
import type { SshPool } from '../../../src/ssh/pool';
import { ManualClock } from '../../support/manualClock';
import { diagnosticSets, installVscodeStub } from './vscodeStub';

installVscodeStub();
const { DriftDiagnostics } = require('../../../src/views/driftDiagnostics') as typeof import('../../../src/views/driftDiagnostics');

const COUNT = 64;
const NAMES = Array.from({ length: COUNT }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
const KEY = 'file:///ws/scale.lab.yaml';
// Every host declares an interface it lacks: each reading brings one drift item.
const TEXT = ['version: 1', 'name: scale', 'defaults:', '  ssh: { user: root }', 'hosts:', ...NAMES.flatMap((name, i) => [`  ${name}:`, `    ssh: { host: 10.213.184.${11 + i} }`, '    interfaces:', '      eth9: {}']), ''].join('\n');

const NO_TRAFFIC = { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0 };
const lo: LinkState = { name: 'lo', index: 1, mtu: 65536, up: true, operState: 'UNKNOWN', addresses: [], stats: NO_TRAFFIC };

class FakePool extends EventEmitter {
  constructor(readonly lab: Lab) {
    super();
  }
  get endpoints() {
    return { labels: () => this.lab.hosts.map((host) => host.name) };
  }
  state(host: string) {
    return { host, state: 'idle' };
  }
  dispose() {}
}

describe('DriftDiagnostics (with a stand-in vscode)', () => {
  it('republishes a big lab\'s drift once per burst of readings, ending with every host\'s', async () => {
    let report: ((reading: HostReading) => void) | undefined;
    let finish: (() => void) | undefined;
    const read: ReadLabState = async (_pool, lab, options = {}) => {
      report = options.onHost;
      await new Promise<void>((resolve) => (finish = resolve));
      return { lab: lab.name, file: lab.file, hosts: {}, drift: [] };
    };
    const session = new LabSession((lab) => new FakePool(lab) as unknown as SshPool);
    const live = new LiveLabs(session, read);
    const clock = new ManualClock();
    const drift = new DriftDiagnostics(session.workspace, live, clock);
    session.workspace.update(KEY, '/ws/scale.lab.yaml', TEXT);
    diagnosticSets.length = 0;

    void live.refresh(KEY);
    await clock.advanceAsync(0);
    for (let i = 0; i < COUNT; i++) {
      report!({
        ok: true,
        state: { host: NAMES[i], readAt: '2026-01-01T00:00:00.000Z', elapsedMs: 9, system: {}, ovs: { state: 'absent' }, bridgesKnown: false, bridges: [], linksKnown: true, links: [lo], notes: [] } as never,
      });
      await clock.advanceAsync(1);
    }
    finish!();
    await clock.advanceAsync(100);
    const sets = diagnosticSets.filter((set) => set.uri === KEY);
    // 64 readings over 64 ms: two bursts (and the read's end, which changes no drift).
    assert.equal(sets.length, 2, `published ${sets.length} times`);
    assert.equal(sets[1].diagnostics.length, COUNT);
    assert.match(sets[1].diagnostics[COUNT - 1].message, /h64/);
    drift.dispose();
    live.dispose();
  });
});
