// The broken fixtures in test/fixtures/labs/: the contract example with one realistic mistake
// each, and a file of hostile values. Each must give exactly the diagnostics listed.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, expectExactly, type Expected } from './helpers';

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('lab fixtures: one mistake each', () => {
  it('asymmetric-vni: an error on each end of vx0, at its own vni, saying what differs', () => {
    const [dfw, ord] = expectExactly(fixture('asymmetric-vni.lab.yaml'), [
      ['25:61', 'error', 'vx0 on ovs-dfw has vni 42 but its peer vx0 on ovs-ord has vni 43'],
      ['37:61', 'error', 'vx0 on ovs-ord has vni 43 but its peer vx0 on ovs-dfw has vni 42'],
    ]);
    assert.deepEqual(dfw.range, { line: 25, col: 61, endLine: 25, endCol: 63 });
    assert.deepEqual(ord.range, { line: 37, col: 61, endLine: 37, endCol: 63 });
  });

  it('missing-tunnel-back: the tunnel that has no partner says what to add on the other host', () => {
    expectExactly(fixture('missing-tunnel-back.lab.yaml'), [
      ['25:47', 'error', 'vx0 on ovs-dfw leads to ovs-ord, but ovs-ord has no tunnel back to ovs-dfw; add { name: vx0, type: vxlan, remote: ovs-dfw } to a bridge of ovs-ord'],
    ]);
  });

  it('no-underlay: the remote that has no underlay address, and no report about the tunnel back', () => {
    expectExactly(fixture('no-underlay.lab.yaml'), [['25:47', 'error', 'remote ovs-ord has no underlay address for the tunnel to reach']]);
  });

  it('jump-cycle: the cycle spelled out from each host on it', () => {
    expectExactly(fixture('jump-cycle.lab.yaml'), [
      ['15:38', 'error', 'jump cycle: ovs-dfw → test-dfw → ovs-dfw'],
      ['39:34', 'error', 'jump cycle: test-dfw → ovs-dfw → test-dfw'],
    ]);
  });

  it('bridged-address: a warning at the address that enslaving eth2 would flush; the lab still loads', () => {
    expectExactly(fixture('bridged-address.lab.yaml'), [
      ['18:24', 'warning', 'eth2 holds 192.168.1.5/24 but is a port of bridge br0: once bridged it loses its addresses, as after ip addr flush dev eth2; move the address to the bridge (bridges.br0.address)'],
    ]);
  });

  it('hostile: every value that could reach a shell or ssh as code or an option is an error', () => {
    const expected: Expected[] = [
      ['3:7', 'error', 'lab name "x; rm -rf /" is not allowed'],
      ['6:11', 'error', 'ssh user "-oProxyCommand=x" must not start with "-" (ssh would read it as an option)'],
      ['9:18', 'error', 'ssh host "-oProxyCommand=touch /tmp/pwned" must not start with "-"'],
      ['9:69', 'error', 'knownHostsFile "/tmp/k\\nnewline" contains a control character'],
      ['11:7', 'error', 'interface name "eth0$(reboot)" is not allowed'],
      ['14:17', 'error', 'port name "eth1;reboot" is not allowed'],
      ['14:66', 'error', 'remote "b`id`" is neither a host name of the lab nor an IP address'],
      ['15:3', 'error', 'host name "b;touch" is not allowed'],
      ['16:18', 'error', 'jump "root@a -oProxyCommand=x" has a host "a -oProxyCommand=x" that is not a safe SSH host'],
      ['19:13', 'error', 'host name "$(id)" is not allowed'],
    ];
    expectExactly(fixture('hostile.lab.yaml'), expected);
  });
});
