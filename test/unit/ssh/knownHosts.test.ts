import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeHostKey } from '../../../src/ssh/hostKeyCheck';
import { fingerprintSha256, keyTypeOfBlob, knownHostsName, matchHostKey, parseKnownHosts } from '../../../src/ssh/knownHosts';

// Keys and known_hosts files are made by OpenSSH's own ssh-keygen, so the parser meets the real format.
describe('known_hosts', () => {
  let dir: string;
  const blobs: Record<string, Buffer> = {};
  const fingerprints: Record<string, string> = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ol-kh-'));
    for (const [name, type] of [['ed1', 'ed25519'], ['ed2', 'ed25519'], ['ec1', 'ecdsa']]) {
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', join(dir, name)]);
      const [, base64] = readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ');
      blobs[name] = Buffer.from(base64, 'base64');
      // ssh-keygen -l prints "256 SHA256:xxxx comment (ED25519)"
      fingerprints[name] = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, `${name}.pub`)]).toString().split(' ')[1];
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const line = (name: string, key: string) => `${name} ${keyTypeOfBlob(blobs[key])} ${blobs[key].toString('base64')}`;

  it('prints fingerprints exactly as ssh-keygen does', () => {
    for (const key of Object.keys(blobs)) assert.equal(fingerprintSha256(blobs[key]), fingerprints[key]);
  });

  it('names non-standard ports as [host]:port', () => {
    assert.equal(knownHostsName('10.0.0.1', 22), '10.0.0.1');
    assert.equal(knownHostsName('10.0.0.1', 2222), '[10.0.0.1]:2222');
  });

  it('matches plain, listed, wildcard and negated patterns', () => {
    const entries = parseKnownHosts([`# comment`, line('a.example,10.0.0.5', 'ed1'), line('*.lab,!bad.lab', 'ed2'), line('[10.0.0.9]:2222', 'ec1')].join('\n'));
    assert.equal(matchHostKey(entries, '10.0.0.5', blobs.ed1).status, 'known');
    assert.equal(matchHostKey(entries, 'x.lab', blobs.ed2).status, 'known');
    assert.equal(matchHostKey(entries, 'bad.lab', blobs.ed2).status, 'unknown');
    assert.equal(matchHostKey(entries, '[10.0.0.9]:2222', blobs.ec1).status, 'known');
    assert.equal(matchHostKey(entries, '10.0.0.9', blobs.ec1).status, 'unknown');
  });

  it('reads entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${line('ovs-a.example', 'ed1')}\n${line('[10.213.0.11]:2200', 'ec1')}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\|1\|/m);
    assert.doesNotMatch(text, /ovs-a\.example/);
    const entries = parseKnownHosts(text);
    assert.equal(matchHostKey(entries, 'ovs-a.example', blobs.ed1).status, 'known');
    assert.equal(matchHostKey(entries, '[10.213.0.11]:2200', blobs.ec1).status, 'known');
    assert.equal(matchHostKey(entries, 'ovs-b.example', blobs.ed1).status, 'unknown');
  });

  it('tells a changed key from a key of another type', () => {
    const entries = parseKnownHosts(line('h', 'ed1'));
    assert.equal(matchHostKey(entries, 'h', blobs.ed2).status, 'changed');
    const other = matchHostKey(entries, 'h', blobs.ec1);
    assert.deepEqual(other, { status: 'unknown', otherTypes: ['ssh-ed25519'] });
  });

  it('honours @revoked', () => {
    const entries = parseKnownHosts(`@revoked * ${keyTypeOfBlob(blobs.ed1)} ${blobs.ed1.toString('base64')}\n${line('h', 'ed1')}`);
    assert.equal(matchHostKey(entries, 'h', blobs.ed1).status, 'revoked');
  });

  describe('judged as OpenSSH does', () => {
    const request = (strict: 'yes' | 'accept-new' | 'no', key = 'ed1') => ({ host: 'ovs-a', lookupName: '10.213.0.11', blob: blobs[key], strict, files: ['/k/known_hosts'] });
    const entries = () => parseKnownHosts(line('10.213.0.11', 'ed1')).map((entry) => ({ ...entry, file: '/k/known_hosts' }));

    it('refuses an unknown key under yes, naming host, type and fingerprint', () => {
      const verdict = judgeHostKey(request('yes'), []);
      assert.equal(verdict.accept, false);
      if (verdict.accept) return;
      assert.equal(verdict.error.kind, 'host-key-unknown');
      assert.match(verdict.error.message, /^ovs-a: no ED25519 host key is known for 10\.213\.0\.11/);
      assert.ok(verdict.error.message.includes(fingerprints.ed1));
    });

    it('records an unknown key under accept-new and no', () => {
      for (const strict of ['accept-new', 'no'] as const) {
        const verdict = judgeHostKey(request(strict), []);
        assert.equal(verdict.accept, true);
        if (!verdict.accept) return;
        assert.deepEqual(verdict.record, { file: '/k/known_hosts', line: line('10.213.0.11', 'ed1') });
      }
    });

    it('refuses a changed key under every setting, with the offending line', () => {
      for (const strict of ['yes', 'accept-new', 'no'] as const) {
        const verdict = judgeHostKey(request(strict, 'ed2'), entries());
        assert.equal(verdict.accept, false);
        if (verdict.accept) return;
        assert.equal(verdict.error.kind, 'host-key-changed');
        assert.match(verdict.error.message, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
        assert.ok(verdict.error.message.includes(fingerprints.ed2));
        assert.ok(verdict.error.message.includes('/k/known_hosts:1'));
      }
    });

    it('passes a known key without recording it again', () => {
      assert.deepEqual(judgeHostKey(request('yes'), entries()), { accept: true });
    });
  });
});
