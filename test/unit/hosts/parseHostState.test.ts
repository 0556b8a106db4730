import { strict as assert } from 'node:assert';
import { openvswitchService, parseOsRelease } from '../../../src/hosts/osRelease';
import { parseHostState } from '../../../src/hosts/parseHostState';
import type { HostState } from '../../../src/hosts/types';
import { probeText, recordedState } from './fixtures';

const M = '@@overlay-lab-probe';

/** A probe output from sections given by hand: [name, status, stdout, stderr]. */
function probe(...sections: [string, number, string, string?][]): string {
  return [`${M} format 1\n`, ...sections.map(([name, status, stdout, stderr]) => `${M} begin ${name}\n${stdout}\n${M} end ${name} ${status}\n${stderr ? `${stderr}\n` : ''}`)].join('');
}

const ovsSummary = (s: HostState) => ({ ovs: s.ovs, bridgesKnown: s.bridgesKnown, bridges: s.bridges.map((b) => b.name), notes: s.notes });

describe('the host state from a recorded probe', () => {
  it('reads the system of the host', () => {
    const state = recordedState('configured-ovs-a');
    assert.deepEqual(state.system, { kernel: '6.18.44-fc-v657', distribution: 'Debian GNU/Linux 12 (bookworm)', hostname: 'ovs-a' });
    assert.equal(state.host, 'ovs-a');
    assert.equal(state.readAt, '2026-01-01T00:00:00.000Z');
    assert.equal(state.linksKnown, true);
  });

  it('a blank OVS host: running, no bridge, no note', () => {
    assert.deepEqual(ovsSummary(recordedState('blank-ovs-a')), {
      ovs: { state: 'running', version: '3.1.0', dbVersion: '8.3.1' },
      bridgesKnown: true,
      bridges: [],
      notes: [],
    });
  });

  it('a configured OVS host: its two bridges', () => {
    assert.deepEqual(ovsSummary(recordedState('configured-ovs-b')).bridges, ['br-phy', 'br0']);
  });

  it('a test host with the tools but no OVS ever started: stopped, with a note that says so', () => {
    assert.deepEqual(ovsSummary(recordedState('blank-test-a')), {
      ovs: {
        state: 'stopped',
        stopped: ['ovsdb-server', 'ovs-vswitchd'],
        version: '3.1.0',
        message: 'Open vSwitch is installed on test-a but has never run there (no database, no daemon); start it with systemctl start openvswitch-switch',
      },
      bridgesKnown: false,
      bridges: [],
      notes: ['Open vSwitch is installed on test-a but has never run there (no database, no daemon); start it with systemctl start openvswitch-switch'],
    });
  });

  it('a light host read by format 2, which leaves ovs-vsctl out with no daemon and no socket: the same verdict as format 1 gave after running it', () => {
    const text = probeText('light-h01');
    assert.match(text, /^@@overlay-lab-probe format 2\n/);
    assert.doesNotMatch(text, /begin ovsdb\n/, 'ovs-vsctl list was not run');
    assert.deepEqual(ovsSummary(recordedState('light-h01')), {
      ovs: {
        state: 'stopped',
        stopped: ['ovsdb-server', 'ovs-vswitchd'],
        version: '3.1.0',
        message: 'Open vSwitch is installed on h01 but has never run there (no database, no daemon); start it with systemctl start openvswitch-switch',
      },
      bridgesKnown: false,
      bridges: [],
      notes: ['Open vSwitch is installed on h01 but has never run there (no database, no daemon); start it with systemctl start openvswitch-switch'],
    });
    assert.equal(recordedState('light-h01').linksKnown, true);
  });

  it('ovs-vswitchd stopped: the bridges are known, and the note says they forward nothing', () => {
    const note = 'ovs-vswitchd is not running on ovs-b: bridges are configured but forward nothing; start it with systemctl start openvswitch-switch';
    assert.deepEqual(ovsSummary(recordedState('vswitchd-stopped-ovs-b')), {
      ovs: { state: 'stopped', stopped: ['ovs-vswitchd'], version: '3.1.0', dbVersion: '8.3.1', message: note },
      bridgesKnown: true,
      bridges: ['br-phy', 'br0'],
      notes: [note],
    });
  });

  it('ovsdb-server stopped too: the bridges are unknown', () => {
    const note = 'Open vSwitch is installed on ovs-b but not running (neither ovsdb-server nor ovs-vswitchd); start it with systemctl start openvswitch-switch';
    assert.deepEqual(ovsSummary(recordedState('ovs-stopped-ovs-b')), {
      ovs: { state: 'stopped', stopped: ['ovsdb-server', 'ovs-vswitchd'], version: '3.1.0', message: note },
      bridgesKnown: false,
      bridges: [],
      notes: [note],
    });
  });

  it('read through sudo -n by an unprivileged login: Open vSwitch and its version as root reads them', () => {
    const viaSudo = recordedState('sudo-blank-ovs-a');
    assert.deepEqual(viaSudo.ovs, { state: 'running', version: '3.1.0', dbVersion: '8.3.1' });
    assert.deepEqual(viaSudo.ovs, recordedState('blank-ovs-a').ovs);
    assert.equal(viaSudo.bridgesKnown, true);
    assert.deepEqual(viaSudo.notes, []);
  });

  it('ovs-vsctl not on the PATH while OVS runs: unreadable, not missing', () => {
    const note = 'Open vSwitch runs on ovs-a (ovsdb-server and ovs-vswitchd running), but ovs-vsctl is not on the PATH, so its bridges cannot be read';
    const state = recordedState('ovs-vsctl-not-found-ovs-a');
    assert.deepEqual(ovsSummary(state), { ovs: { state: 'unreadable', message: note }, bridgesKnown: false, bridges: [], notes: [note] });
    assert.ok(state.links.some((l) => l.name === 'br0'), 'the kernel side is still read');
  });
});

describe('the host state from unusual probe outputs', () => {
  const base: [string, number, string, string?][] = [
    ['kernel', 0, '5.14.0-427.el9.x86_64'],
    ['hostname', 0, 'ord1'],
    ['os_release', 0, 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"'],
  ];
  const links: [string, number, string, string?][] = [
    ['ip_link', 0, '[{"ifindex":1,"ifname":"lo","flags":["UP"],"mtu":65536,"operstate":"UNKNOWN"}]'],
    ['ip_addr', 0, '[]'],
  ];

  it('no Open vSwitch at all', () => {
    const state = parseHostState({ host: 'ovs-ord', stdout: probe(...base, ['ovs_vsctl_path', 127, ''], ['ovs_conf_db', 1, '', 'no /etc/openvswitch/conf.db'], ['ovsdb_server', 1, '', 'no pid file'], ['ovs_vswitchd', 1, '', 'no pid file'], ...links) });
    assert.deepEqual(state.ovs, { state: 'missing', message: 'Open vSwitch is not installed on ovs-ord' });
    assert.deepEqual(state.notes, ['Open vSwitch is not installed on ovs-ord']);
    assert.equal(state.system.distribution, 'Rocky Linux 9.4 (Blue Onyx)');
    assert.deepEqual(state.links.map((l) => l.name), ['lo']);
  });

  it('advises the unit of the host’s distribution', () => {
    const state = parseHostState({
      host: 'ord1',
      stdout: probe(...base, ['ovs_vsctl_path', 0, '/usr/bin/ovs-vsctl'], ['ovs_conf_db', 0, '/etc/openvswitch/conf.db'], ['ovsdb_server', 1, '', 'no pid file'], ['ovs_vswitchd', 1, '', 'no pid file'], ['ovsdb', 1, '', 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (Connection refused)'], ...links),
    });
    assert.deepEqual(state.notes, ['Open vSwitch is installed on ord1 but not running (neither ovsdb-server nor ovs-vswitchd); start it with systemctl start openvswitch']);
  });

  it('a database it may not read says to use sudo', () => {
    const state = parseHostState({
      host: 'dfw1',
      stdout: probe(['ovs_vsctl_path', 0, '/usr/bin/ovs-vsctl'], ['ovsdb_server', 0, '812'], ['ovs_vswitchd', 0, '840'], ['ovsdb', 1, '', 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (Permission denied)'], ['ovs_vsctl_version', 0, 'ovs-vsctl (Open vSwitch) 2.17.9'], ...links),
    });
    assert.deepEqual(state.ovs, {
      state: 'unreadable',
      version: '2.17.9',
      message: 'ovs-vsctl may not read the Open vSwitch database on dfw1 (permission denied); set sudo: true for dfw1 in the lab file',
    });
    assert.equal(state.system.kernel, undefined);
  });

  it('a database that does not answer', () => {
    const state = parseHostState({ host: 'h', stdout: probe(['ovs_vsctl_path', 0, '/usr/bin/ovs-vsctl'], ['ovsdb_server', 0, '812'], ['ovs_vswitchd', 0, '840'], ['ovsdb', 142, '', 'ovs-vsctl: timeout after 3 seconds'], ...links) });
    assert.deepEqual(state.notes, ['the Open vSwitch database on h did not answer within 3 s']);
  });

  it('an ip too old for JSON, and output cut short, become notes, never exceptions', () => {
    const state = parseHostState({ host: 'old', stdout: probe(['ovs_vsctl_path', 127, ''], ['ip_link', 255, '', 'Option "-j" is unknown, try "ip -help".']) });
    assert.equal(state.linksKnown, false);
    assert.deepEqual(state.notes, ['Open vSwitch is not installed on old', 'the ip command on old is too old to print JSON (ip -j); its interfaces cannot be read (iproute2 4.13 or later is needed)']);
    const cut = parseHostState({ host: 'cut', stdout: `${M} format 1\n${M} begin kernel\n6.1.0\n` });
    assert.equal(cut.system.kernel, undefined);
    assert.deepEqual(cut.notes, ['the state probe of cut stopped before it reached Open vSwitch', 'the interfaces of cut could not be read: it did not run']);
    for (const garbage of ['', 'Welcome to host\n', probeText('configured-ovs-a').slice(0, 3000), probe(['ovs_vsctl_path', 0, 'x'], ['ovsdb', 0, '{"headings":'], ['ip_link', 0, '[{"ifname":']) ]) {
      assert.doesNotThrow(() => parseHostState({ host: 'x', stdout: garbage }));
    }
  });

  it('a database that answers with something else', () => {
    const state = parseHostState({ host: 'h', stdout: probe(['ovs_vsctl_path', 0, '/usr/bin/ovs-vsctl'], ['ovsdb_server', 0, '1'], ['ovs_vswitchd', 0, '2'], ['ovsdb', 0, 'not json'], ...links) });
    assert.equal(state.ovs.state, 'unreadable');
    assert.match(state.notes[0], /^the Open vSwitch database of h answered with something unexpected \(not JSON/);
  });
});

describe('/etc/os-release', () => {
  it('unquotes values and knows each family’s Open vSwitch unit', () => {
    const ubuntu = parseOsRelease('PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\n');
    assert.deepEqual(ubuntu, { prettyName: 'Ubuntu 24.04.1 LTS', id: 'ubuntu', idLike: ['debian'] });
    assert.equal(openvswitchService(ubuntu), 'openvswitch-switch');
    assert.equal(openvswitchService(parseOsRelease("ID='almalinux'\nID_LIKE='rhel centos fedora'")), 'openvswitch');
    assert.equal(openvswitchService(parseOsRelease('ID=nixos')), 'openvswitch-switch (Debian, Ubuntu) or openvswitch (Red Hat, Fedora)');
    assert.equal(parseOsRelease('PRETTY_NAME="a \\"quoted\\" name"').prettyName, 'a "quoted" name');
  });
});
