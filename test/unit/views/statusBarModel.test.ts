import { strict as assert } from 'node:assert';
import { statusBarView } from '../../../src/views/statusBarModel';
import { configuredStates, demoLab, failed, labState, ok } from './hostStates';

describe('the status bar item', () => {
  const lab = demoLab();
  const states = configuredStates();

  it('counts the hosts before any reading', () => {
    const view = statusBarView(lab, undefined, {});
    assert.equal(view.text, '$(server) 4 hosts');
    assert.equal(view.warning, false);
    assert.match(view.tooltip, /not read yet/);
  });

  it('counts the reachable hosts, warns when one is not, and says why in the tooltip', () => {
    const readings = { 'ovs-a': ok(states['ovs-a']), 'ovs-b': failed('ovs-b', 'connection-refused', 'ovs-b: connection refused by 10.213.0.12:22.'), 'test-a': ok(states['test-a']), 'test-b': ok(states['test-b']) };
    const view = statusBarView(lab, labState(lab, readings), {});
    assert.equal(view.text, '$(server) 3/4 hosts');
    assert.equal(view.warning, true);
    assert.match(view.tooltip, /- ✗ ovs\\-b — unreachable: ovs\\-b: connection refused/);
    assert.match(view.tooltip, /- ✓ ovs\\-a — reachable/);
  });

  it('spins while a host is read, counting the last reading', () => {
    const readings = Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
    const view = statusBarView(lab, labState(lab, readings), { 'ovs-a': { connection: 'connected', reading: true } });
    assert.equal(view.text, '$(loading~spin) 4/4 hosts');
    assert.equal(view.warning, false);
  });

  it('mentions drift per host', () => {
    const readings = Object.fromEntries(Object.entries(states).map(([host, state]) => [host, ok(state)]));
    const drift = [{ subject: { host: 'ovs-a', kind: 'bridge' as const, name: 'br0' }, status: 'missing' as const, message: 'bridge br0 is missing' }];
    assert.match(statusBarView(lab, labState(lab, readings, drift), {}).tooltip, /ovs\\-a — reachable · ⚠ 1 drift/);
  });
});
