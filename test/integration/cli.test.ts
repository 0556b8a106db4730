// bin/overlay-lab as a user runs it: the built bundle, a real lab file, real hosts.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoSpec, TestLab } from '../lab';
import { buildCli, cli } from '../lab/productCli';
import { requireRoot, writeDemoLabFile } from '../lab/labFiles';

const ROOT = join(__dirname, '..', '..');

describe('bin/overlay-lab', function () {
  this.timeout(60_000);

  before(buildCli);

  describe('validate (no hosts needed)', () => {
    it('passes both examples with exit 0', async () => {
      const result = await cli(['validate', 'examples/dfw-ord.lab.yaml', 'examples/demo.lab.yaml']);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.equal(result.stdout, '');
    });

    it('prints FILE:LINE:COL diagnostics and exits 1 on a broken file', async () => {
      const file = join(ROOT, 'test', 'fixtures', 'labs', 'asymmetric-vni.lab.yaml');
      const broken = readFileSync(file, 'utf8');
      const result = await cli(['validate', file]);
      assert.equal(result.status, 1);
      const lines = result.stdout.trim().split('\n');
      assert.ok(lines.length >= 1);
      for (const line of lines) assert.match(line, /^.+asymmetric-vni\.lab\.yaml:\d+:\d+: (error|warning): .+/);
      // The position is the offending value's: the line it names holds a vni.
      const [, lineNumber] = /:(\d+):\d+: error/.exec(lines[0]) ?? [];
      assert.match(broken.split('\n')[Number(lineNumber) - 1], /vni/);
    });

    it('exits 2 on bad usage', async () => {
      assert.equal((await cli(['validate'])).status, 2);
      assert.equal((await cli(['frobnicate'])).status, 2);
    });
  });

  describe('exec against the test lab', () => {
    let lab: TestLab;
    let labFile: string;

    before(async function () {
      requireRoot(this);
      lab = await TestLab.up(demoSpec);
      // As a user would have it: strict checking, nothing known yet.
      labFile = writeDemoLabFile(lab, 'cli', (doc) => doc.setIn(['defaults', 'ssh', 'strictHostKeyChecking'], 'yes'));
    });
    after(async () => {
      await lab?.down();
    });

    it('refuses unknown host keys under strict checking, and changes nothing', async () => {
      const result = await cli(['exec', labFile, 'ovs-a', '--', 'hostname']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /ovs-a: no ED25519 host key is known for 10\.213\.0\.11 and you have requested strict checking/);
      assert.equal(readFileSync(lab.paths.knownHosts, 'utf8'), '');
    });

    it('runs a command through a jump host, recording new keys under --accept-new-host-keys', async () => {
      const knownHosts = join(lab.paths.workDir, 'cli_known_hosts');
      const result = await cli(['exec', labFile, 'test-a', '--accept-new-host-keys', '--known-hosts', knownHosts, '--', 'sh', '-c', 'hostname; ip -br addr show dev mgmt0']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^test-a\nmgmt0@\S+\s+UP\s+10\.213\.1\.2\/30/);
      const recorded = readFileSync(knownHosts, 'utf8');
      assert.ok(recorded.includes(`10.213.0.11 ${await lab.hostPublicKey('ovs-a')}`), recorded);
      assert.ok(recorded.includes(`10.213.1.2 ${await lab.hostPublicKey('test-a')}`), recorded);
      assert.match(result.stderr, /permanently added '10\.213\.1\.2'/);
    });

    it('passes argument lists through unharmed, and reports a failing command with exit 1', async () => {
      const knownHosts = join(lab.paths.workDir, 'cli_known_hosts');
      const ok = await cli(['exec', labFile, 'ovs-b', '--known-hosts', knownHosts, '--accept-new-host-keys', '--', 'printf', '%s|', 'a b', '$(id)', "it's"]);
      assert.equal(ok.stdout, "a b|$(id)|it's|");
      const failing = await cli(['exec', labFile, 'ovs-b', '--known-hosts', knownHosts, '--', 'sh', '-c', 'exit 7']);
      assert.equal(failing.status, 1);
      assert.match(failing.stderr, /ovs-b: command exited with status 7/);
    });

    it('refuses a changed host key with its fingerprint', async () => {
      const knownHosts = join(lab.paths.workDir, 'cli_known_hosts');
      const newKey = await lab.regenerateHostKey('test-a');
      writeFileSync(join(lab.paths.workDir, 'new.pub'), `${newKey}\n`);
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(lab.paths.workDir, 'new.pub')]).toString().split(' ')[1];
      const result = await cli(['exec', labFile, 'test-a', '--accept-new-host-keys', '--known-hosts', knownHosts, '--', 'hostname']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /test-a: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
      assert.ok(result.stderr.includes(fingerprint), result.stderr);
      assert.equal(result.stdout, '');
    });

    it('never reaches a host with a lab file that has errors', async () => {
      const knownHosts = join(lab.paths.workDir, 'cli_known_hosts');
      const broken = writeDemoLabFile(lab, 'broken', (doc) => doc.setIn(['hosts', 'ovs-b', 'bridges', 'br0', 'ports', 1, 'vni'], 99));
      const result = await cli(['exec', broken, 'ovs-a', '--accept-new-host-keys', '--known-hosts', knownHosts, '--', 'touch', '/root/reached']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /broken\.lab\.yaml:\d+:\d+: error: .*vni/);
      assert.match(result.stderr, /nothing was run/);
      const check = await lab.nsExec('ovs-a', ['test', '-e', '/root/reached']);
      assert.notEqual(check.code, 0, 'the command must not have run');
    });

    it('exits 2 for a host the lab does not have', async () => {
      const result = await cli(['exec', labFile, 'nope', '--', 'true']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /unknown host "nope"; the lab's hosts are: ovs-a, ovs-b, test-a, test-b/);
    });
  });
});
