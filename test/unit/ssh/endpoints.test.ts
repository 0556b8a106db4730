import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab, LabHost } from '../../../src/lab/types';
import { EndpointTable, parseJumpSpec } from '../../../src/ssh/endpoints';
import { SshConfigReader } from '../../../src/ssh/sshConfig';

const range = { line: 1, col: 1, endLine: 1, endCol: 1 };
function host(name: string, ssh: LabHost['ssh']): LabHost {
  return { name, ssh, sudo: false, interfaces: [], bridges: [], range };
}
function lab(hosts: LabHost[], defaults: Lab['defaults']['ssh'] = {}): Lab {
  return { file: 'x.lab.yaml', version: 1, name: 'x', defaults: { ssh: defaults }, hosts, segments: [], scripts: [], tunnels: [], routes: {} };
}

describe('SSH endpoints: lab file, then ~/.ssh/config, then defaults', () => {
  let home: string;
  let reader: SshConfigReader;

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'ol-home-'));
    mkdirSync(join(home, '.ssh', 'config.d'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), 'not read here');
    writeFileSync(
      join(home, '.ssh', 'config'),
      ['Include config.d/*.conf', 'Host dfw-gw', '  HostName 203.0.113.10', '  User admin', '  Port 2200', '  IdentityFile ~/.ssh/dfw_key', '  IdentitiesOnly yes', 'Host *', '  ConnectTimeout 5', '  StrictHostKeyChecking accept-new', ''].join('\n'),
    );
    writeFileSync(join(home, '.ssh', 'config.d', 'ord.conf'), ['Host ord-gw', '  HostName 198.51.100.20', '  ProxyJump bastion.example:2022', ''].join('\n'));
    reader = new SshConfigReader({ userFile: join(home, '.ssh', 'config'), systemFile: join(home, 'none'), home });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('fills what the lab leaves out from the config, and the lab wins', () => {
    const table = new EndpointTable(lab([host('ovs-dfw', { host: 'dfw-gw' }), host('ovs-x', { host: 'dfw-gw', user: 'root', port: 22 })]), reader, {}, home);
    const dfw = table.get('ovs-dfw');
    assert.equal(dfw.hostname, '203.0.113.10');
    assert.equal(dfw.user, 'admin');
    assert.equal(dfw.port, 2200);
    assert.deepEqual(dfw.identityFiles, [join(home, '.ssh', 'dfw_key')]);
    assert.equal(dfw.identitiesOnly, true);
    assert.equal(dfw.connectTimeoutMs, 5000);
    assert.equal(dfw.strictHostKeyChecking, 'accept-new');
    const x = table.get('ovs-x');
    assert.equal(x.user, 'root');
    assert.equal(x.port, 22);
  });

  it('uses the default identity files that exist, and the default known_hosts files', () => {
    const table = new EndpointTable(lab([host('plain', { host: '10.0.0.1' })], { strictHostKeyChecking: 'yes' }), reader, {}, home);
    const plain = table.get('plain');
    assert.deepEqual(plain.identityFiles, [join(home, '.ssh', 'id_ed25519')]);
    assert.deepEqual(plain.knownHostsFiles, [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts']);
    assert.equal(plain.strictHostKeyChecking, 'yes');
  });

  it('chains jumps through lab hosts and through ProxyJump from Included config', () => {
    const table = new EndpointTable(lab([host('ovs-ord', { host: 'ord-gw' }), host('test-ord', { host: 'test-ord', jump: 'ovs-ord' }), host('far', { host: '10.1.1.1', jump: 'ops@bastion2:2022,ovs-ord' })]), reader, {}, home);
    assert.equal(table.get('test-ord').via, 'ovs-ord');
    assert.equal(table.get('ovs-ord').via, 'bastion.example:2022');
    const bastion = table.get('bastion.example:2022');
    assert.equal(bastion.hostname, 'bastion.example');
    assert.equal(bastion.port, 2022);
    assert.equal(table.get('far').via, 'ovs-ord');
    assert.equal(table.get('ops@bastion2:2022').user, 'ops');
  });

  it('applies --accept-new-host-keys and --known-hosts, but never loosens accept-new to no', () => {
    const table = new EndpointTable(lab([host('a', { host: '10.0.0.1', strictHostKeyChecking: 'yes' }), host('b', { host: '10.0.0.2', strictHostKeyChecking: 'no' })]), reader, { acceptNewHostKeys: true, knownHostsFile: '/tmp/kh' }, home);
    assert.equal(table.get('a').strictHostKeyChecking, 'accept-new');
    assert.equal(table.get('b').strictHostKeyChecking, 'no');
    assert.deepEqual(table.get('a').knownHostsFiles, ['/tmp/kh']);
  });

  it('parses ProxyJump specs', () => {
    assert.deepEqual(parseJumpSpec('ops@[2001:db8::1]:2022'), { user: 'ops', host: '2001:db8::1', port: 2022 });
    assert.deepEqual(parseJumpSpec('gw'), { user: undefined, host: 'gw', port: undefined });
  });
});
