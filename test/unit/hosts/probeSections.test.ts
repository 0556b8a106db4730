import { strict as assert } from 'node:assert';
import { PROBE_SECTIONS } from '../../../src/hosts/probeScript';
import { failureText, splitProbeOutput } from '../../../src/hosts/probeSections';
import { probeText } from './fixtures';

const M = '@@overlay-lab-probe';

describe('splitting the probe output into sections', () => {
  it('gives each section its stdout exactly, its status and its stderr', () => {
    const text = [
      `${M} format 1`,
      `${M} begin a`,
      'line 1',
      'line 2',
      '',
      `${M} end a 0`,
      `${M} begin b`,
      'no newline at the end',
      `${M} end b 3`,
      'something failed',
      'and said more',
      `${M} begin empty`,
      '',
      `${M} end empty 1`,
      'no pid file',
      '',
    ].join('\n');
    const { format, sections } = splitProbeOutput(text);
    assert.equal(format, 1);
    assert.deepEqual(sections.get('a'), { name: 'a', stdout: 'line 1\nline 2\n', status: 0, stderr: '' });
    assert.deepEqual(sections.get('b'), { name: 'b', stdout: 'no newline at the end', status: 3, stderr: 'something failed\nand said more' });
    assert.deepEqual(sections.get('empty'), { name: 'empty', stdout: '', status: 1, stderr: 'no pid file' });
    assert.equal(failureText(sections.get('b')), 'something failed');
  });

  it('keeps what a section cut short printed, without a status', () => {
    const { sections } = splitProbeOutput(`${M} format 1\n${M} begin a\n${M} end a 0\n${M} begin ip_link\n[{"ifname":"lo"`);
    assert.deepEqual(sections.get('ip_link'), { name: 'ip_link', stdout: '[{"ifname":"lo"', stderr: '' });
    assert.equal(failureText(sections.get('ip_link')), 'its output was cut short');
    assert.equal(failureText(undefined), 'it did not run');
  });

  it('ignores what a chatty shell printed before the script', () => {
    const { format, sections } = splitProbeOutput(`Welcome!\n${M} format 1\n${M} begin a\nx\n${M} end a 0\n`);
    assert.equal(format, 1);
    assert.equal(sections.get('a')?.stdout, 'x');
  });

  it('finds every section in a recorded probe, and the database output whole', () => {
    const { format, sections } = splitProbeOutput(probeText('configured-ovs-a'));
    assert.equal(format, 1);
    // ovs-vsctl succeeded, so its version was not asked separately.
    assert.deepEqual([...sections.keys()], PROBE_SECTIONS.filter((s) => s !== 'ovs_vsctl_version'));
    for (const section of sections.values()) assert.equal(section.status, 0, section.name);
    const ovsdb = sections.get('ovsdb')!.stdout.trim().split('\n');
    assert.equal(ovsdb.length, 4);
    for (const line of ovsdb) assert.ok(JSON.parse(line).headings);
    assert.equal(sections.get('hostname')?.stdout, 'ovs-a\n');
  });

  it('keeps the stderr of failed sections in a recorded probe', () => {
    const { sections } = splitProbeOutput(probeText('ovs-stopped-ovs-b'));
    assert.equal(sections.get('ovsdb')?.status, 1);
    assert.equal(sections.get('ovsdb')?.stderr, 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)');
    assert.equal(sections.get('ovsdb_server')?.stderr, 'no pid file /run/openvswitch/ovsdb-server.pid');
    assert.equal(sections.get('ovs_vsctl_version')?.stdout, 'ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n');
  });
});
