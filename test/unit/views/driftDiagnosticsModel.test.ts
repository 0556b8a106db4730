import { strict as assert } from 'node:assert';
import { labDrift } from '../../../src/compare/drift';
import type { DriftItem } from '../../../src/hosts/types';
import { driftDiagnostics } from '../../../src/views/driftDiagnosticsModel';
import { blankStates, demoLab, labState, ok } from './hostStates';

describe('drift diagnostics', () => {
  const lab = demoLab();

  it('puts each drift item at the line that declares it, naming the host', () => {
    const states = blankStates();
    const readings = Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
    const diagnostics = driftDiagnostics(lab, labState(lab, readings, labDrift(lab, states)));
    const br0 = diagnostics.find((item) => item.message === 'ovs-a: bridge br0 is missing');
    assert.ok(br0, diagnostics.map((item) => item.message).join('\n'));
    assert.deepEqual(br0.range, lab.hosts[0].bridges[1].range);
    // Missing items are for apply to make: information, not a warning.
    assert.equal(br0.severity, 'information');
    assert.equal(diagnostics.length, 16);
  });

  it('warns about what differs, and falls back to the host line without a range', () => {
    const items: DriftItem[] = [
      { subject: { host: 'ovs-b', kind: 'port', name: 'vx0', bridge: 'br0' }, status: 'different', message: 'vx0 has remote_ip 10.0.0.9; the lab says 10.213.100.1' },
      { subject: { host: 'gone', kind: 'host', name: 'gone' }, status: 'missing', message: 'not in the lab any more' },
    ];
    const diagnostics = driftDiagnostics(lab, labState(lab, {}, items));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 'warning');
    assert.deepEqual(diagnostics[0].range, lab.hosts[1].range);
    assert.equal(diagnostics[0].message, 'ovs-b: vx0 has remote_ip 10.0.0.9; the lab says 10.213.100.1');
  });

  it('is empty before any reading', () => {
    assert.deepEqual(driftDiagnostics(lab, undefined), []);
  });
});
