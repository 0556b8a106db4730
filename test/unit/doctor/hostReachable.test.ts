import { strict as assert } from 'node:assert';
import { checkHostsReachable } from '../../../src/doctor/checks/hostReachable';
import type { HostReading } from '../../../src/hosts/types';
import { brief, configured, demoLab, input } from './support';

describe('doctor: hosts that could not be read', () => {
  it('makes each one a finding with the SSH layer’s message and what to do', () => {
    const lab = demoLab();
    const given = input(lab, configured());
    const failed = (host: string, kind: string, message: string): HostReading => ({ ok: false, failure: { host, readAt: '', kind, message } });
    given.state.hosts['ovs-b'] = failed('ovs-b', 'timeout', 'ovs-b: timed out after 10 s connecting to 10.213.30.12:22. The host is down, or a firewall drops SSH.');
    given.state.hosts['test-a'] = failed('test-a', 'jump', 'test-a: jump host ovs-a could not open a connection to 10.213.1.2:22 (Connection refused).');
    given.state.hosts['test-b'] = failed('test-b', 'cancelled', 'test-b: reading its state was cancelled');
    const findings = checkHostsReachable(given);
    assert.deepEqual(brief(findings), ['error host-unreachable ovs-b', 'error host-unreachable test-a', 'warning host-cancelled test-b']);
    assert.equal(findings[0].message, 'ovs-b: timed out after 10 s connecting to 10.213.30.12:22. The host is down, or a firewall drops SSH.');
    assert.equal(findings[1].fix, 'check that sshd runs on test-a and that its jump host ovs-a allows TCP forwarding');
    assert.equal(findings[0].range?.line, lab.hosts[1].range.line);
  });

  it('notes a host read without its facts', () => {
    const given = input(demoLab(), configured(), { hosts: { 'ovs-a': { host: 'ovs-a', problem: 'reading its facts timed out' } }, tunnels: [] });
    const findings = checkHostsReachable(given);
    assert.deepEqual(brief(findings), ['info host-facts-unreadable ovs-a']);
    assert.equal(findings[0].message, "The doctor read ovs-a's state but not its kernel module and ovs-vswitchd log: reading its facts timed out.");
  });
});
