// Lab files for integration tests, benches and the demo: the shipped example, pointed at the
// test lab's own keys and known_hosts, so the product is exercised on the very file users read.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Lab } from '../../src/lab/types';
import { EndpointTable } from '../../src/ssh/endpoints';
import { SshPool } from '../../src/ssh/pool';
import { SshConfigReader } from '../../src/ssh/sshConfig';
import type { TestLab } from './testlab';
import { LAB_PASSWORD_SUDO_USER, LAB_SUDO_USER } from './users';

export const DEMO_LAB = join(__dirname, '..', '..', 'examples', 'demo.lab.yaml');
export const DEMO_LINUX_LAB = join(__dirname, '..', '..', 'examples', 'demo-linux.lab.yaml');

/**
 * Writes examples/demo.lab.yaml with `defaults.ssh` aimed at the test lab, after `edit`. Each
 * host's ssh.host becomes the address the lab really gave it, so a lab built on another
 * management subnet (to run beside another one) is reached all the same.
 */
export function writeDemoLabFile(lab: TestLab, name: string, edit?: (doc: ReturnType<typeof parseDocument>) => void, source = DEMO_LAB): string {
  const doc = parseDocument(readFileSync(source, 'utf8'));
  doc.setIn(['defaults', 'ssh', 'identityFile'], lab.paths.clientKey);
  doc.setIn(['defaults', 'ssh', 'knownHostsFile'], lab.paths.knownHosts);
  for (const host of lab.hosts()) {
    if (host.sshHost && doc.hasIn(['hosts', host.name])) doc.setIn(['hosts', host.name, 'ssh', 'host'], host.sshHost);
  }
  edit?.(doc);
  const file = join(lab.paths.workDir, `${name}.lab.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

/** Skips the suite only where it cannot run at all (not root); as root, a lab that fails to build fails the suite. */
export function requireRoot(context: Mocha.Context): void {
  if (process.getuid?.() !== 0) {
    // eslint-disable-next-line no-console
    console.log('    (skipped: the test lab builds network namespaces and needs root; CI runs as root)');
    context.skip();
  }
}

/** No SSH config files at all: the machine's ~/.ssh/config never leaks into tests or benchmarks. */
export function noSshConfig(): SshConfigReader {
  return new SshConfigReader({ userFile: '/nonexistent', systemFile: '/nonexistent', home: '/nonexistent' });
}

/** A connection pool for a lab file written for the test lab (see writeDemoLabFile). */
export function labPool(lab: Lab): SshPool {
  return new SshPool(new EndpointTable(lab, noSshConfig()));
}

/**
 * The unprivileged flavour of a lab file, as most real hosts want it: log in as the lab's
 * sudo user (passwordless sudo) with `sudo: true` on every host. With `passwordSudo`, the
 * user whose sudo wants a password instead. Pass it as writeDemoLabFile's `edit`.
 */
export function asSudoUser(options: { passwordSudo?: boolean; hosts?: string[] } = {}): (doc: ReturnType<typeof parseDocument>) => void {
  const user = options.passwordSudo ? LAB_PASSWORD_SUDO_USER : LAB_SUDO_USER;
  return (doc) => {
    const hosts = doc.getIn(['hosts']) as { items: { key: { value: string } }[] };
    for (const item of hosts.items) {
      const name = String(item.key.value);
      if (options.hosts && !options.hosts.includes(name)) continue;
      doc.setIn(['hosts', name, 'ssh', 'user'], user);
      doc.setIn(['hosts', name, 'sudo'], true);
    }
  };
}

/**
 * A lab file for a scale lab (scaleLabSpec): every host as root with the lab's key and
 * known_hosts, nothing declared on it, so reading it is the light probe and nothing else.
 */
export function writeScaleLabFile(lab: TestLab, name: string): string {
  const yaml = [
    'version: 1',
    `name: ${name}`,
    'defaults:',
    '  ssh:',
    '    user: root',
    `    identityFile: ${lab.paths.clientKey}`,
    `    knownHostsFile: ${lab.paths.knownHosts}`,
    'hosts:',
    ...lab.hosts().flatMap((host) => [`  ${host.name}:`, `    ssh: { host: ${host.sshHost} }`]),
    '',
  ].join('\n');
  const file = join(lab.paths.workDir, `${name}.lab.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Lines where an sshd says it throttled or dropped connections because of MaxStartups. */
export const MAX_STARTUPS_LINE = /MaxStartups|drop connection/i;
