// Under `sudo: true`, Open vSwitch's tools must still reach the host's own OVS: sudo resets the
// environment, and a host that keeps OVS outside the default places says where in OVS_RUNDIR
// and friends. Run by a real sh, with a stand-in sudo that resets the environment as sudo's
// env_reset does, so the test checks what the remote shell would do with the rendered line.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCommand } from '../../../src/ssh/pool';

describe('sudo keeps where Open vSwitch lives', () => {
  let bin: string;
  before(() => {
    bin = mkdtempSync(join(tmpdir(), 'olab-sudo-'));
    // env_reset: the command sees only what sudo sets, never the caller's variables.
    writeFileSync(join(bin, 'sudo'), '#!/bin/sh\n[ "$1" = -n ] || exit 9\nshift\nexec env -i PATH=/usr/bin:/bin "$@"\n');
    chmodSync(join(bin, 'sudo'), 0o755);
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  const run = (env: Record<string, string>, sudo: boolean) =>
    execFileSync('sh', ['-c', renderCommand(['sh', '-c', 'printf "%s|%s|%s" "${OVS_RUNDIR-unset}" "${OVS_DBDIR-unset}" "${HOME-unset}"'], sudo)], {
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: '/home/someone', ...env },
    }).toString();

  it('hands the OVS variables the login has on to the command, and nothing else', () => {
    assert.equal(run({ OVS_RUNDIR: '/var/run/ovs two', OVS_DBDIR: '/srv/ovs-b/etc' }, true), '/var/run/ovs two|/srv/ovs-b/etc|unset');
  });

  it('sets none that the login does not have (plain sudo -n CMD then)', () => {
    assert.equal(run({}, true), 'unset|unset|unset');
    assert.equal(renderCommand(['ip', 'link'], false), 'ip link');
  });

  it('never pastes a value into the line: a hostile value stays one word', () => {
    assert.equal(run({ OVS_RUNDIR: '$(touch /tmp/olab-pwned); x"y' }, true), '$(touch /tmp/olab-pwned); x"y|unset|unset');
    assert.ok(!existsSync('/tmp/olab-pwned'), 'the value was not run');
    assert.ok(!renderCommand(['true'], true).includes('pwned'));
  });
});
