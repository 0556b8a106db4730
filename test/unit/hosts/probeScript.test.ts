// The probe script's decision to leave `ovs-vsctl` out, run for real by /bin/sh on this machine
// with a stand-in `ovs-vsctl` first on the PATH (it only says it was called), and OVS_RUNDIR
// pointed at a folder of the test's own.

import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROBE_SCRIPT } from '../../../src/hosts/probeScript';
import { splitProbeOutput } from '../../../src/hosts/probeSections';

const STANDARD_RUNDIRS = ['/run/openvswitch', '/var/run/openvswitch', '/usr/local/var/run/openvswitch'];

describe('the probe leaves ovs-vsctl out only when no database can be reached', () => {
  let dir: string;
  let rundir: string;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'probe-script-'));
    rundir = join(dir, 'run');
    execFileSync('mkdir', ['-p', rundir, join(dir, 'bin')]);
    const stub = join(dir, 'bin', 'ovs-vsctl');
    writeFileSync(stub, '#!/bin/sh\ncase "$1" in --version) echo "ovs-vsctl (Open vSwitch) 3.1.0";; *) echo "{}"; echo "stand-in called" >&2;; esac\n');
    chmodSync(stub, 0o755);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function probe(): Map<string, { status: number | undefined; stderr: string }> {
    const stdout = execFileSync('/bin/sh', ['-c', PROBE_SCRIPT], {
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, OVS_RUNDIR: rundir, OVS_DBDIR: dir },
      encoding: 'utf8',
    });
    const { format, sections } = splitProbeOutput(stdout);
    assert.equal(format, 2);
    return new Map([...sections].map(([name, section]) => [name, { status: section.status, stderr: section.stderr }]));
  }

  it('no ovsdb-server pid file and no socket anywhere: ovs-vsctl list is not run, its version is', function () {
    // The machine's own folders are looked at too: if an Open vSwitch runs here, this case cannot be made.
    if (STANDARD_RUNDIRS.some((d) => existsSync(join(d, 'db.sock')) || existsSync(join(d, 'ovsdb-server.pid')))) this.skip();
    const sections = probe();
    assert.equal(sections.has('ovsdb'), false);
    assert.equal(sections.get('ovs_vsctl_version')?.status, 0);
    assert.match(sections.get('ovsdb_server')!.stderr, new RegExp(`no pid file ovsdb-server.pid in ${rundir} /run/openvswitch`));
  });

  it('a database socket in OVS_RUNDIR but no pid file (a server started by hand): ovs-vsctl list is run', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(join(rundir, 'db.sock'), resolve));
    const sections = probe();
    assert.deepEqual(sections.get('ovsdb'), { status: 0, stderr: 'stand-in called' });
  });

  it('a pid file of a live ovsdb-server: ovs-vsctl list is run', () => {
    // The script checks the pid's process name: a copy of sleep named ovsdb-server has it.
    const fake = join(dir, 'bin', 'ovsdb-server');
    execFileSync('cp', ['/bin/sleep', fake]);
    const child = spawn(fake, ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(rundir, 'ovsdb-server.pid'), `${child.pid}\n`);
      const sections = probe();
      assert.equal(sections.get('ovsdb_server')?.status, 0);
      assert.deepEqual(sections.get('ovsdb'), { status: 0, stderr: 'stand-in called' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
