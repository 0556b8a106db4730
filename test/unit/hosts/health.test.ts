// Health on the recorded host states of test/fixtures/hosts, and on them changed one field at a
// time as a host would report it (admin down, no carrier, an OVS error).

import { strict as assert } from 'node:assert';
import { deviceHealth, healthOn, segmentHealth } from '../../../src/hosts/health';
import type { HostState, OvsInterface } from '../../../src/hosts/types';
import { copy, recordedState } from './fixtures';

function ovsInterface(state: HostState, name: string): OvsInterface {
  const found = state.bridges.flatMap((bridge) => bridge.ports.flatMap((port) => port.interfaces)).find((iface) => iface.name === name);
  assert.ok(found, `no OVS interface ${name} on ${state.host}`);
  return found;
}

describe('device health, judged once', () => {
  it('is up for every device of a configured OVS host, each with the value it was judged on', () => {
    const state = recordedState('configured-ovs-a');
    assert.deepEqual(healthOn(state, 'vx0'), { state: 'up', reason: 'OVS link_state up' });
    assert.deepEqual(healthOn(state, 'eth0'), { state: 'up', reason: 'OVS link_state up' });
    assert.equal(healthOn(state, 'br-phy').state, 'up');
    assert.deepEqual(healthOn(state, 'to-test-a'), { state: 'up', reason: 'admin up, oper UP' });
    // The netdev datapath's own device is kept administratively down by OVS.
    assert.deepEqual(healthOn(state, 'ovs-netdev'), { state: 'disabled', reason: 'admin down (no UP flag)' });
  });

  it('is up for a Linux bridge and its kernel VXLAN device, which reports oper UNKNOWN while it works', () => {
    const state = recordedState('linux-bridge-test-a');
    assert.equal(healthOn(state, 'br1').state, 'up');
    assert.match(healthOn(state, 'vxk0').reason, /oper UNKNOWN/);
    assert.equal(healthOn(state, 'vxk0').state, 'up');
  });

  it('says no carrier for a veth whose other end is down (a blank host’s eth0)', () => {
    assert.deepEqual(healthOn(recordedState('blank-ovs-a'), 'eth0'), { state: 'down', reason: 'no carrier (admin up, oper DOWN)' });
  });

  it('calls OVS ports down when ovs-vswitchd is stopped, although the database still says link_state up', () => {
    const state = recordedState('vswitchd-stopped-ovs-b');
    assert.equal(ovsInterface(state, 'vx0').linkState, 'up', 'the recording keeps the stale value');
    const vx0 = healthOn(state, 'vx0');
    assert.equal(vx0.state, 'down');
    assert.match(vx0.reason, /ovs-vswitchd is not running.*link_state up is from before it stopped/);
    // A kernel device outside OVS is judged on its own.
    assert.equal(healthOn(state, 'to-test-b').state, 'up');
  });

  it('says unknown, not missing, for an OVS port when the database could not be read', () => {
    assert.deepEqual(healthOn(recordedState('ovs-stopped-ovs-b'), 'vx0'), { state: 'unknown', reason: 'not read' });
    assert.equal(healthOn(recordedState('ovs-vsctl-not-found-ovs-a'), 'vx0').state, 'unknown');
    assert.deepEqual(healthOn(recordedState('configured-ovs-a'), 'vx9'), { state: 'missing', reason: 'the host has no such device' });
    assert.equal(healthOn(undefined, 'vx0').state, 'unknown');
  });

  it('tells admin down, no carrier and an OVS error apart on an OVS port, the error first', () => {
    const base = recordedState('configured-ovs-a');
    const changed = (edit: (iface: OvsInterface) => void) => {
      const state = copy(base);
      edit(ovsInterface(state, 'vx0'));
      return healthOn(state, 'vx0');
    };
    assert.deepEqual(changed((iface) => (iface.adminState = 'down')), { state: 'disabled', reason: 'admin down (OVS admin_state down)' });
    assert.deepEqual(changed((iface) => (iface.linkState = 'down')), { state: 'down', reason: 'no carrier (OVS link_state down)' });
    const error = 'could not add network device vx0 to ofproto (File exists)';
    assert.deepEqual(
      changed((iface) => {
        iface.error = error;
        iface.adminState = 'down';
      }),
      { state: 'error', reason: `OVS: ${error}` },
    );
  });

  it('judges a kernel device on its UP flag, then its operational state', () => {
    const eth2 = recordedState('configured-test-a').links.find((link) => link.name === 'eth2')!;
    assert.equal(deviceHealth({ link: eth2 }).state, 'up');
    assert.deepEqual(deviceHealth({ link: { ...eth2, up: false, operState: 'DOWN' } }), { state: 'disabled', reason: 'admin down (no UP flag)' });
    assert.deepEqual(deviceHealth({ link: { ...eth2, operState: 'LOWERLAYERDOWN' } }), { state: 'down', reason: 'the device below it is down (oper LOWERLAYERDOWN)' });
    assert.deepEqual(deviceHealth({ link: { ...eth2, operState: 'DORMANT' } }), { state: 'down', reason: 'admin up, oper DORMANT' });
    assert.equal(deviceHealth({}, false).state, 'unknown');
    assert.equal(deviceHealth({}).state, 'missing');
  });

  it('calls a segment up only when every member is, down when any is out of service', () => {
    const up = { state: 'up', reason: '' } as const;
    assert.equal(segmentHealth([up, up]), 'up');
    assert.equal(segmentHealth([up, { state: 'disabled', reason: '' }]), 'down');
    assert.equal(segmentHealth([up, { state: 'missing', reason: '' }]), 'down');
    assert.equal(segmentHealth([up, { state: 'unknown', reason: '' }]), 'unknown');
    assert.equal(segmentHealth([]), 'unknown');
  });
});
