import { strict as assert } from 'node:assert';
import { checkOvsDaemons } from '../../../src/doctor/checks/ovsDaemons';
import { brief, configured, demoLab, input, only, recordedState } from './support';

describe('doctor check 1: Open vSwitch daemons', () => {
  it('finds nothing when both daemons run on the hosts that declare OVS bridges', () => {
    assert.deepEqual(checkOvsDaemons(input(demoLab(), configured())), []);
  });

  it('reports a stopped ovs-vswitchd on the host, with the bridges it leaves dead and how to start it', () => {
    const states = configured();
    states['ovs-b'] = recordedState('vswitchd-stopped-ovs-b');
    const finding = only(checkOvsDaemons(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error ovs-daemon-stopped ovs-b']);
    assert.equal(finding.message, 'ovs-vswitchd is not running on ovs-b, which declares OVS bridges br-phy and br0: the bridges are configured but forward nothing.');
    assert.equal(finding.fix, 'start Open vSwitch on ovs-b: systemctl start openvswitch-switch');
    assert.equal(finding.range?.line, demoLab().hosts[1].bridges[0].range.line, 'points at the first OVS bridge of ovs-b');
    assert.equal(finding.subject, undefined, 'it is about the host');
  });

  it('reports both daemons stopped', () => {
    const states = configured();
    states['ovs-b'] = recordedState('ovs-stopped-ovs-b');
    const finding = only(checkOvsDaemons(input(demoLab(), states)));
    assert.equal(finding.id, 'ovs-daemon-stopped');
    assert.match(finding.message, /^Neither ovsdb-server nor ovs-vswitchd is running on ovs-b/);
  });

  it('warns when OVS runs but cannot be read, and says nothing about hosts without OVS bridges', () => {
    const states = configured();
    states['ovs-a'] = recordedState('ovs-vsctl-not-found-ovs-a');
    states['test-a'].ovs = { state: 'missing', message: 'Open vSwitch is not installed on test-a' };
    const finding = only(checkOvsDaemons(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['warning ovs-unreadable ovs-a']);
    assert.match(finding.message, /ovs-vsctl is not on the PATH/);
  });

  it('reports Open vSwitch missing on a host that declares OVS bridges', () => {
    const states = configured();
    states['ovs-a'].ovs = { state: 'missing', message: 'Open vSwitch is not installed on ovs-a' };
    const finding = only(checkOvsDaemons(input(demoLab(), states)));
    assert.deepEqual(brief([finding]), ['error ovs-missing ovs-a']);
    assert.match(finding.fix ?? '', /apt-get install openvswitch-switch/);
  });
});
