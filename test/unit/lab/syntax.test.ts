// YAML syntax, reading files, and how diagnostics print.

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/lab/diagnostics';
import { formatDiagnostic as formatFromLoad, loadLabFile, loadLabText } from '../../../src/lab/load';
import { expectExactly, expectOne, FIXTURES, yaml } from './helpers';

describe('lab file: YAML syntax and loading', () => {
  it('reports an unclosed flow map where the parser gives up, and nothing else', () => {
    const d = expectOne(
      yaml`
        version: 1
        name: t
        hosts:
          a: { ssh: { host: x }
      `,
      '5:1',
      'error',
      'YAML syntax error: Flow map',
    );
    assert.equal(d.file, 'test.lab.yaml');
  });

  it('reports an unterminated quoted string', () => {
    expectOne('version: 1\nname: "t\nhosts: { a: {} }\n', '4:1', 'error', 'Missing closing "quote');
  });

  it('reports a duplicate key on the second one, with the whole key marked', () => {
    const d = expectOne(
      yaml`
        version: 1
        name: t
        hosts:
          ovs-a: {}
          ovs-a: {}
      `,
      '5:3',
      'error',
      'duplicate key ovs-a: a key may appear only once in a map',
    );
    assert.deepEqual(d.range, { line: 5, col: 3, endLine: 5, endCol: 8 });
  });

  it('reports tabs used for indentation', () => {
    expectOne('version: 1\nname: t\nhosts:\n\ta: {}\n', '4:1', 'error', 'YAML does not allow tabs for indentation');
  });

  it('reports a second YAML document', () => {
    expectOne('version: 1\nname: t\nhosts: { a: {} }\n---\nversion: 1\n', '4:1', 'error', 'more than one YAML document');
  });

  it('reports an alias with no anchor, once', () => {
    expectOne(
      yaml`
        version: 1
        name: t
        hosts:
          a:
            bridges:
              br0: { ports: [*nope] }
      `,
      '6:22',
      'error',
      'alias *nope has no anchor &nope before it',
    );
  });

  it('reports an empty file and a file that is not a map', () => {
    expectOne('', '1:1', 'error', 'the lab file is empty');
    expectOne('# nothing yet\n', '1:1', 'error', 'the lab file is empty');
    expectOne('- a\n- b\n', '1:1', 'error', 'a lab file is a YAML map with version, name and hosts at the top, not a list');
  });

  it('follows aliases and << merges, and ignores x- keys, which hold the anchors', () => {
    const result = loadLabText(
      yaml`
        version: 1
        name: t
        x-ovs: &ovs { kind: ovs, datapath: netdev }
        x-ssh: &ssh { user: admin, port: 2222 }
        hosts:
          a:
            ssh: { <<: *ssh, host: 10.0.0.1, port: 22 }
            bridges:
              br0: { <<: *ovs }
              br1: *ovs
      `,
      't.lab.yaml',
    );
    assert.deepEqual(result.diagnostics, []);
    const host = result.lab!.hosts[0];
    assert.deepEqual(host.ssh, { user: 'admin', port: 22, host: '10.0.0.1' }, 'own keys win over merged ones');
    assert.deepEqual(host.bridges.map((b) => [b.name, b.kind, b.datapath]), [
      ['br0', 'ovs', 'netdev'],
      ['br1', 'ovs', 'netdev'],
    ]);
  });

  it('reports a value reached through an alias where the alias is used', () => {
    expectExactly(
      yaml`
        version: 1
        name: t
        x-mtu: &big 99999
        hosts:
          a:
            interfaces:
              eth0: { mtu: *big }
      `,
      [['7:20', 'error', 'mtu must be a whole number from 68 to 65535, not 99999']],
    );
  });

  it('reports a << that does not merge a map', () => {
    expectOne('version: 1\nname: t\nhosts:\n  a: { <<: [1] }\n', '4:13', 'error', '"<<" merges maps, not the number 1');
  });

  describe('loadLabFile', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ol-lab-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a file and labels diagnostics with its path', async () => {
      const path = join(FIXTURES, 'asymmetric-vni.lab.yaml');
      const result = await loadLabFile(path);
      assert.equal(result.lab, undefined);
      assert.ok(result.diagnostics.length > 0);
      assert.ok(result.diagnostics.every((d) => d.file === path));
    });

    it('turns a missing file into a diagnostic', async () => {
      const path = join(dir, 'nope.lab.yaml');
      const result = await loadLabFile(path);
      assert.equal(result.lab, undefined);
      assert.deepEqual(result.diagnostics.map(formatDiagnostic), [`${path}:1:1: error: no such lab file; check the path`]);
    });

    it('turns a directory into a diagnostic', async () => {
      const result = await loadLabFile(dir);
      assert.deepEqual(result.diagnostics.map(formatDiagnostic), [`${dir}:1:1: error: this is a directory, not a lab file`]);
    });
  });

  describe('formatDiagnostic', () => {
    it('prints FILE:LINE:COL: severity: message', () => {
      const range = { line: 12, col: 7, endLine: 12, endCol: 10 };
      assert.equal(formatDiagnostic({ file: 'labs/x.lab.yaml', severity: 'error', message: 'bad thing', range }), 'labs/x.lab.yaml:12:7: error: bad thing');
      assert.equal(formatDiagnostic({ file: 'x.lab.yaml', severity: 'warning', message: 'odd thing', range }), 'x.lab.yaml:12:7: warning: odd thing');
      assert.equal(formatFromLoad, formatDiagnostic, 'load.ts re-exports the same function');
    });

    it('prints a real file diagnostic in file order, errors before warnings at one place', () => {
      const lines = loadLabText('version: 3\nname: Bad\nhosts: {}\n', 'x.lab.yaml').diagnostics.map(formatDiagnostic);
      assert.deepEqual(lines, [
        'x.lab.yaml:1:10: error: version must be 1, the only version of the lab format, not the number 3',
        'x.lab.yaml:2:7: error: lab name "Bad" is not allowed: use lowercase letters, digits and "-", starting with a letter or digit',
        'x.lab.yaml:3:1: error: hosts is empty; a lab needs at least one host',
      ]);
    });
  });
});
