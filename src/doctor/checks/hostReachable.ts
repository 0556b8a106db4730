// A host the doctor could not read is a finding of its own, with the SSH layer's reason (which
// already names the host and says what to do); every other check is silent about it. A host
// whose state was read but whose extra facts were not gets a note, so silence is not mistaken
// for health.

import type { LabHost } from '../../lab/types';
import type { Check } from '../input';
import type { Finding } from '../types';

const FIXES: Record<string, string> = {
  'name-not-resolved': 'fix ssh.host in the lab file, or HostName in ~/.ssh/config',
  'connection-refused': 'start sshd on the host, or fix ssh.port',
  timeout: 'check that the host is up and that nothing drops SSH on the way',
  unreachable: 'check that the host is up and that its address is right',
  authentication: "add your public key to the host's authorized_keys, or set ssh.identityFile",
  'host-key-unknown': 'check the host key and add it to known_hosts (or run with --accept-new-host-keys)',
  'host-key-changed': 'find out why the host key changed before removing the old key from known_hosts',
  'probe-timeout': 'look for a hung command on the host (a stuck ovs-vsctl, an overloaded machine)',
  'probe-failed': 'allow passwordless sudo, or connect as root',
  cancelled: 'run the doctor again',
};

function fixFor(host: LabHost, kind: string): string {
  if (kind === 'jump') return `check that sshd runs on ${host.name} and that its jump host${host.ssh.jump ? ` ${host.ssh.jump}` : ''} allows TCP forwarding`;
  return FIXES[kind] ?? 'check that the host is up and reachable over SSH';
}

export const checkHostsReachable: Check = ({ lab, state, measurements }) => {
  const findings: Finding[] = [];
  for (const host of lab.hosts) {
    const reading = state.hosts[host.name];
    const problem = measurements?.hosts[host.name]?.problem;
    if (reading?.ok && problem) {
      // Read, but its facts (module, log) not: the checks that need them say nothing of it.
      findings.push({
        id: 'host-facts-unreadable',
        check: 'host-reachable',
        severity: 'info',
        host: host.name,
        hosts: [host.name],
        message: `The doctor read ${host.name}'s state but not its kernel module and ovs-vswitchd log: ${problem}.`,
        fix: `run the doctor again; if it persists, run overlay-lab exec on ${host.name} to see why`,
      });
    }
    if (!reading || reading.ok) continue;
    const { failure } = reading;
    findings.push({
      id: failure.kind === 'cancelled' ? 'host-cancelled' : 'host-unreachable',
      check: 'host-reachable',
      severity: failure.kind === 'cancelled' ? 'warning' : 'error',
      host: host.name,
      hosts: [host.name],
      message: failure.message,
      fix: fixFor(host, failure.kind),
      range: host.range,
      values: { kind: failure.kind },
    });
  }
  return findings;
};
