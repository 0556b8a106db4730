// The unprivileged logins of the test lab, as most real hosts have them: a user that may run
// anything through `sudo -n` without a password, and one whose sudo wants a password. They are
// users of this machine (the hosts share its /etc/passwd), made once and kept: they have no
// password (`*`), and only the lab's sshds accept a key for them (the lab's AuthorizedKeysFile).

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { run } from './exec';

/** Logs in with the lab's client key; `sudo -n` works for it without a password (NOPASSWD). */
export const LAB_SUDO_USER = 'olabsudo';
/** Logs in with the lab's client key; its sudo asks for a password, so `sudo -n` fails at once. */
export const LAB_PASSWORD_SUDO_USER = 'olabpass';

const SUDOERS_FILE = '/etc/sudoers.d/overlay-lab-test-users';
const SUDOERS = [
  '# Written by the Overlay Lab test lab (test/lab/users.ts).',
  `${LAB_SUDO_USER} ALL=(ALL:ALL) NOPASSWD: ALL`,
  `${LAB_PASSWORD_SUDO_USER} ALL=(ALL:ALL) ALL`,
  '',
].join('\n');

async function ensureUser(name: string): Promise<void> {
  if ((await run(['id', '-u', name], { check: false })).code === 0) return;
  const made = await run(['useradd', '-m', '-s', '/bin/bash', name], { check: false, what: `add user ${name}` });
  // 9: made meanwhile by another lab.
  if (made.code !== 0 && made.code !== 9) throw new Error(`add user ${name}: ${made.stderr.trim() || `exit ${made.code}`}`);
  // With `UsePAM no`, sshd refuses key logins to a locked account ('!'); '*' is no password, unlocked.
  await run(['usermod', '-p', '*', name], { what: `unlock ${name} for key logins` });
}

let made: Promise<void> | undefined;

/** Makes both users and their sudoers file, once per process (and once per machine). */
export function ensureLabUsers(): Promise<void> {
  made ??= (async () => {
    await ensureUser(LAB_SUDO_USER);
    await ensureUser(LAB_PASSWORD_SUDO_USER);
    if (!existsSync('/etc/sudoers.d')) throw new Error('the test lab needs sudo (apt-get install sudo): /etc/sudoers.d is missing');
    await writeFile(`${SUDOERS_FILE}.new`, SUDOERS, { mode: 0o440 });
    await run(['visudo', '-c', '-q', '-f', `${SUDOERS_FILE}.new`], { what: 'check the lab sudoers file' });
    await run(['mv', '-f', `${SUDOERS_FILE}.new`, SUDOERS_FILE], { what: 'install the lab sudoers file' });
  })().catch((error: unknown) => {
    made = undefined;
    throw error;
  });
  return made;
}
